package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
)

// Repositories typed into the field get a section each in the result:
// the verdict, the three abilities, and what to do with its link.
func TestRepositoriesTypedIntoTheFieldGetTheirOwnSection(t *testing.T) {
	f := newFixture(t, nil)
	f.github.Repos = map[string]hoststest.GitHubRepo{
		"acme-corp/jira-sync":    {Private: true, Role: "write", OrgID: "21955855"},
		"acme-corp/handbook":     {Private: true, Role: "read", OrgID: "21955855"},
		"acme-corp/secret-plans": {Private: true, OrgID: "21955855"},
	}
	tab := f.githubTab()
	repos := field(tab, hosts.RepoFieldKey)
	test.Type(repos, "acme-corp/jira-sync\n"+f.github.URL+"/acme-corp/handbook, acme-corp/secret-plans")
	tab.secrets[0].SetText(canary)
	text := f.testToken(t, tab)
	for _, want := range []string{
		"The token works, but it is not ready for acme-corp/handbook (not allowed), acme-corp/secret-plans (not found).",
		"Repositories",
		"acme-corp/jira-sync: ready\nRead: yes · Create branches: yes · Pull requests: yes",
		"acme-corp/handbook: not allowed\nRead: yes · Create branches: no · Pull requests: no",
		"may only read this repository", f.github.URL + "/acme-corp/handbook/settings/access",
		"acme-corp/secret-plans: not found", "does not exist, or this token may not see it",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	// Right under the headline, one line per repository in the order
	// typed: the answer at a glance, before the token's own facts; the
	// sections follow the token's findings.
	overview := "acme-corp/jira-sync: ready\nacme-corp/handbook: not allowed\nacme-corp/secret-plans: not found\n"
	if i, u, s := strings.Index(text, overview), strings.Index(text, "User"), strings.Index(text, "Repositories"); i < 0 || u < i || s < u {
		t.Errorf("order:\n%s", text)
	}
	if strings.Contains(text, "CANARY") {
		t.Fatal("the result shows the token")
	}
	// A hyperlink takes the user to the fix.
	var links []string
	walk(tab.result, func(o fyne.CanvasObject) {
		if h, ok := o.(*link); ok && h.URL != nil {
			links = append(links, h.URL.String())
		}
	})
	if !strings.Contains(strings.Join(links, " "), "/acme-corp/handbook/settings/access") {
		t.Errorf("links %v", links)
	}
}
