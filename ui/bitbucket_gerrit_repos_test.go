package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
)

// The Data Center tab with repositories named: the result has a section
// per repository, with its verdict, its three abilities and what to do.
func TestBitbucketDataCenterTabShowsEachNamedRepository(t *testing.T) {
	f := newFixture(t, nil)
	token := hoststest.BitbucketDCTokenFor("314159265358", "CANARYuirepo")
	b := hoststest.NewBitbucketDC(t, hoststest.BitbucketDCOptions{Tokens: map[string]hoststest.BitbucketDCToken{
		token: {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_WRITE"}}},
		Repos: map[string]hoststest.BitbucketDCRepo{"ACME/billing": {Access: "write"}, "ACME/docs": {Access: "read"}}})
	tab := f.tabFor(t, "bitbucket-datacenter")
	entry(tab, "url").SetText(b.Web())
	tab.caFile.SetText(b.CAFile(t))
	tab.secrets[0].SetText(token)
	repos := entry(tab, hosts.RepoFieldKey)
	if !repos.MultiLine || repos.PlaceHolder != "PROJECT/repo or a project key" {
		t.Errorf("repository field: multi-line %v, placeholder %q", repos.MultiLine, repos.PlaceHolder)
	}
	repos.SetText("ACME/billing\n" + b.Web() + "/projects/ACME/repos/docs/browse\nACME/gone")
	test.Tap(tab.testBtn)
	text := waitResult(t, tab)
	for _, want := range []string{
		"Repositories",
		"ACME/billing: ready", "Read: yes · Create branches: yes · Pull requests: yes",
		"ACME/docs: not allowed", "Read: yes · Create branches: no · Pull requests: no",
		"does not list ACME/docs among the repositories this token may write to", b.Web() + "/projects/ACME/repos/docs/permissions",
		"ACME/gone: not found",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	if tab.report.Outcome != hosts.Insufficient || strings.Contains(text, token) {
		t.Errorf("outcome %d:\n%s", tab.report.Outcome, text)
	}
}
