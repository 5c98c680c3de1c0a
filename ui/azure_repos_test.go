package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
)

func TestAzureDevOpsServerTabShowsEachNamedRepository(t *testing.T) {
	f := newFixture(t, nil)
	token := strings.Repeat("canaryrepo", 6)[:52]
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServer2022,
		Tokens: map[string]hoststest.AzureToken{token: {}},
		Deny:   map[string]int{"TestGit/TestGit": hoststest.AzureCreateBranch}})
	tab := f.tabFor(t, "azure-devops-server")
	entry(tab, "url").SetText(a.Collection())
	tab.caFile.SetText(a.CAFile(t))
	entry(tab, hosts.RepoFieldKey).SetText("Fabrikam-Fiber-Git/AnotherRepository\n" + a.Collection() + "/TestGit/_git/TestGit\nGone/App")
	tab.secrets[0].SetText(token)
	test.Tap(tab.testBtn)
	text := waitResult(t, tab)
	for _, want := range []string{
		"Repositories",
		"Fabrikam-Fiber-Git/AnotherRepository: not proven",
		"Read: yes · Create branches: not proven · Pull requests: not proven",
		"Your account may create branches and pull requests in Fabrikam-Fiber-Git/AnotherRepository; gitpat cannot read whether this token has Code: Read & write",
		"TestGit/TestGit: not allowed",
		"Read: yes · Create branches: no · Pull requests: not proven",
		"Your account may not create branches in TestGit/TestGit",
		a.Collection() + "/TestGit/_settings/repositories?_a=permissions&repo=",
		"Gone/App: not found",
		"There is no project Gone in the collection",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	if tab.report.Outcome != hosts.Insufficient || strings.Contains(strings.ToLower(text), "canaryrepo") {
		t.Errorf("outcome %d:\n%s", tab.report.Outcome, text)
	}
}
