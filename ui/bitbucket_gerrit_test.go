package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/vault"
)

const (
	uiAtlassianToken = "ATATT3xFfGF0CANARYuiuiCANARYuiuiCANARYuiuiCANARYuiuiCAN=0A1B2C3D"
	uiGerritPassword = "CANARYuigerritCANARYuigerritCANARYuigerrit"
)

var uiBitbucketScopes = []string{"read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket",
	"write:repository:bitbucket", "read:pullrequest:bitbucket", "write:pullrequest:bitbucket"}

// formLabels lists the titles of a tab's fields, in the order the form
// shows them: where the server is, then step 2's fields.
func formLabels(tab *hostTab) []string {
	var out []string
	for _, box := range []fyne.CanvasObject{tab.where, tab.account, tab.panel} {
		walk(box, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok && l.TextStyle.Bold && l.Visible() && !slices.Contains(out, l.Text) &&
				fieldTitle(tab, l) {
				out = append(out, l.Text)
			}
		})
	}
	return out
}

// fieldTitle reports whether l titles one of the tab's field rows.
func fieldTitle(tab *hostTab, l *widget.Label) bool {
	rows := append([]*fieldRow{tab.caRow}, tab.secretRows...)
	for _, r := range tab.rows {
		rows = append(rows, r)
	}
	for _, r := range rows {
		found := false
		walk(r.content, func(o fyne.CanvasObject) { found = found || o == l })
		if found && r.content.Visible() {
			return true
		}
	}
	return false
}

func TestBitbucketCloudTabAsksForTheEmailRightAboveTheToken(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.tabFor(t, "bitbucket")
	if got := formLabels(tab); !slices.Equal(got, []string{"Atlassian account email", "API token", "Expiry date (optional)", "Repositories (optional)"}) {
		t.Errorf("form = %q", got)
	}
	// Another host's token is named before anything is sent.
	tab.secrets[0].SetText(canary)
	if p := tab.secretRows[0].problem; !strings.Contains(p, "looks like a GitHub personal access token") {
		t.Errorf("under the token: %q", p)
	}
	test.Tap(tab.openBtn)
	if len(f.opened) != 1 || f.opened[0] != "https://id.atlassian.com/manage-profile/security/api-tokens" {
		t.Errorf("opened %v", f.opened)
	}
	// And an Atlassian API token pasted in the GitHub tab.
	gh := f.tabFor(t, "github")
	gh.secrets[0].SetText(uiAtlassianToken)
	if p := gh.secretRows[0].problem; !strings.Contains(p, "looks like an Atlassian API token") || !strings.Contains(p, "Bitbucket Cloud tab") {
		t.Errorf("under the GitHub token: %q", p)
	}
}

func TestBitbucketCloudCheckFromTheTab(t *testing.T) {
	f := newFixture(t, nil)
	b := hoststest.NewBitbucketCloud(t, map[string]hoststest.BitbucketToken{
		uiAtlassianToken: {Email: "jira@example.com", Scopes: uiBitbucketScopes}})
	client, err := httpx.New(httpx.Options{CAFile: b.CAFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	f.ui.deps.HTTP = client
	tab := f.tabFor(t, "bitbucket")
	field(tab, "user").SetText("jira@example.com")
	field(tab, "expires").SetText("2027-05-31")
	tab.secrets[0].SetText(uiAtlassianToken)
	// The tab has no endpoint field; aim the request it builds at the fake,
	// as gitpat-check --url does.
	req, err := tab.request(true)
	if err != nil {
		t.Fatal(err)
	}
	req.Fields["url"] = b.URL
	tab.start(req)
	text := waitResult(t, tab)
	for _, want := range []string{"jira@example.com", "Jira Integration", "write:pullrequest:bitbucket", "2027-05-31"} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	if tab.report.Outcome != hosts.Sufficient || strings.Contains(text, "CANARY") {
		t.Fatalf("outcome %d:\n%s", tab.report.Outcome, text)
	}
	tab.copySecret(0)
	if f.ui.app.Clipboard().Content() != uiAtlassianToken {
		t.Error("Copy token did not copy it")
	}
}

func TestBitbucketDataCenterTabChecksAServer(t *testing.T) {
	f := newFixture(t, nil)
	token := hoststest.BitbucketDCTokenFor("112358132134", "CANARYuidc")
	b := hoststest.NewBitbucketDC(t, hoststest.BitbucketDCOptions{ContextPath: "/bitbucket", Tokens: map[string]hoststest.BitbucketDCToken{
		token: {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_READ"}}}})
	tab := f.tabFor(t, "bitbucket-datacenter")
	if got := formLabels(tab); !slices.Equal(got, []string{"Server URL", "CA file (optional)", "Bitbucket user name (optional)", "HTTP access token", "Repositories (optional)"}) {
		t.Errorf("form = %q", got)
	}
	field(tab, "url").SetText(b.Web() + "/projects/ACME")
	tab.caFile.SetText(b.CAFile(t))
	tab.secrets[0].SetText(token)
	test.Tap(tab.testBtn)
	text := waitResult(t, tab)
	for _, want := range []string{"jira-bot", "Repository read", "Missing", "Repository write"} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	if tab.report.Outcome != hosts.Insufficient || strings.Contains(text, token) {
		t.Errorf("outcome %d:\n%s", tab.report.Outcome, text)
	}
	test.Tap(tab.openBtn)
	if len(f.opened) != 1 || f.opened[0] != b.Web()+"/plugins/servlet/access-tokens/manage" {
		t.Errorf("opened %v", f.opened)
	}
}

func TestGerritTabSavesAndRechecksWithItsUserName(t *testing.T) {
	a := test.NewTempApp(t)
	u := newSavedFixture(t, a).UI
	g := hoststest.NewGerrit(t, hoststest.GerritOptions{Prefix: "/r", Accounts: []hoststest.GerritAccount{{Username: "jira-bot", Password: uiGerritPassword}}})
	var tab *hostTab
	for _, h := range u.hostUI {
		if h.host.ID == "gerrit" {
			tab = h
		}
	}
	u.SelectHost("gerrit")
	if got := formLabels(tab); !slices.Equal(got, []string{"Server URL", "CA file (optional)", "Gerrit user name", "HTTP password", "Repositories (optional)"}) {
		t.Errorf("form = %q", got)
	}
	field(tab, "url").SetText(g.Web())
	field(tab, "user").SetText("jira-bot")
	tab.caFile.SetText(g.CAFile(t))
	tab.secrets[0].SetText(uiGerritPassword)
	test.Tap(tab.testBtn)
	text := waitResult(t, tab)
	if tab.report.Outcome != hosts.Sufficient || !strings.Contains(text, "John Doe") || strings.Contains(text, "CANARY") {
		t.Fatalf("outcome %d:\n%s", tab.report.Outcome, text)
	}
	test.Tap(tab.saveBtn)
	waitFor(t, u, func() bool { return strings.Contains(tab.saveNote.Text, "Saved in the keyring") })
	account := "jira-bot on " + g.Web() + " (gerrit)"
	if got, err := (vault.Store{}).Load(account); err != nil || len(got) != 1 || got[0].Reveal() != uiGerritPassword {
		t.Fatalf("keyring: %d values, %v", len(got), err)
	}
	saved := u.loadSaved()
	if len(saved) != 1 || saved[0].Fields["user"] != "jira-bot" || saved[0].Fields["ca"] == "" {
		t.Fatalf("saved %+v", saved)
	}
	// Re-check signs in again with the saved user name and CA file.
	before := len(g.Requests())
	u.savedView().recheck(saved[0])
	waitFor(t, u, func() bool { return !u.savedView().busy[account] && u.savedView().results[account] != nil })
	if r := u.savedView().results[account]; r.Outcome != hosts.Sufficient || len(g.Requests()) <= before {
		t.Errorf("re-check: outcome %d", r.Outcome)
	}
}
