package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
)

// tabFor shows and returns the tab of a host.
func (f *fixture) tabFor(t *testing.T, id string) *hostTab {
	t.Helper()
	if !f.ui.SelectHost(id) {
		t.Fatalf("no tab %s", id)
	}
	for _, tab := range f.ui.hostUI {
		if tab.host.ID == id {
			return tab
		}
	}
	t.Fatalf("no tab %s", id)
	return nil
}

func field(tab *hostTab, key string) *entry { return tab.inputs[key].obj.(*entry) }

func TestGitLabTabChecksASelfManagedServer(t *testing.T) {
	f := newFixture(t, nil)
	const token = "glpat-CANARYuiuiCANARYuiui"
	g := hoststest.NewGitLab(t, hoststest.GitLabOptions{Version: "16.9.1-ee", SubPath: "/gitlab",
		Tokens: map[string]hoststest.GitLabToken{token: {Scopes: []string{"read_api"}, ExpiresAt: "2027-03-01"}}})
	tab := f.tabFor(t, "gitlab")
	tab.variant.SetSelected("Self-managed GitLab")
	field(tab, "url").SetText(g.Web() + "/")
	tab.caFile.SetText(g.CAFile(t)) // the CA file field, as a user picks it
	tab.secrets[0].SetText(token)
	text := f.testToken(t, tab)
	for _, want := range []string{"read_api", "Missing", "api"} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	if tab.report.Outcome != hosts.Insufficient || strings.Contains(text, "CANARY") {
		t.Errorf("outcome %d:\n%s", tab.report.Outcome, text)
	}
}

func TestGitLabTabShowsEachRepository(t *testing.T) {
	f := newFixture(t, nil)
	const token = "glpat-CANARYuirpCANARYuirp"
	g := hoststest.NewGitLab(t, hoststest.GitLabOptions{Version: "17.5.2-ee",
		Tokens:   map[string]hoststest.GitLabToken{token: {Scopes: []string{"api"}, ExpiresAt: "2027-03-01"}},
		Projects: map[string]hoststest.GitLabProject{"acme/api": {Group: 30}, "acme/docs": {Direct: 20}}})
	tab := f.tabFor(t, "gitlab")
	tab.variant.SetSelected("Self-managed GitLab")
	field(tab, "url").SetText(g.Web())
	tab.caFile.SetText(g.CAFile(t))
	tab.secrets[0].SetText(token)
	field(tab, hosts.RepoFieldKey).SetText("acme/api\n" + g.Web() + "/acme/docs.git")
	text := f.testToken(t, tab)
	for _, want := range []string{"Repositories", "acme/api: ready", "acme/docs: not allowed",
		"Read: yes · Create branches: yes · Merge requests: yes", "Read: yes · Create branches: no · Merge requests: no",
		"john_smith's role here is Reporter", g.Web() + "/acme/docs/-/project_members"} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	if tab.report.Outcome != hosts.Insufficient || strings.Contains(text, "CANARY") {
		t.Errorf("outcome %d:\n%s", tab.report.Outcome, text)
	}
}

// TestTFSOverPlainHTTPAsksFirst: an http:// collection URL brings a
// dialog whose default, focused button is the safe one, Cancel; Esc or
// Cancel sends nothing and says so under the URL; "Send over http" runs
// the check, which still warns.
func TestTFSOverPlainHTTPAsksFirst(t *testing.T) {
	f := newFixture(t, nil)
	token := strings.Repeat("canaryuiui", 6)[:52]
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureTFS2018, Tokens: map[string]hoststest.AzureToken{token: {}}})
	plain := a.PlainHTTP(t)
	tab := f.tabFor(t, "tfs")
	field(tab, "url").SetText(plain)
	tab.secrets[0].SetText(token)
	c := f.ui.win.Canvas()

	for _, decline := range []string{"Cancel", "Esc"} {
		test.Tap(tab.testBtn)
		await(t, f.events, evDialog)
		top := c.Overlays().Top()
		cancel, send := findButton(top, "Cancel"), findButton(top, "Send over http")
		if cancel == nil || send == nil || !strings.Contains(textOf(top), "unencrypted") {
			t.Fatal("no consent dialog for http://")
		}
		if c.Focused() != fyne.Focusable(cancel) || cancel.Importance != widget.HighImportance || send.Importance == widget.HighImportance {
			t.Errorf("default: focused %T, Cancel importance %d, Send importance %d", c.Focused(), cancel.Importance, send.Importance)
		}
		if decline == "Cancel" {
			pressEnter(c) // Enter presses the focused default
		} else {
			press(c, fyne.KeyEscape)
		}
		if c.Overlays().Top() != nil {
			t.Fatalf("%s left the dialog open", decline)
		}
		if p := tab.rows["url"].problem; !strings.Contains(p, "did not send the token over http://") {
			t.Errorf("after %s, under the URL: %q", decline, p)
		}
		if len(a.Requests()) != 0 || len(tab.result.Objects) != 0 {
			t.Fatalf("after %s: requests %v", decline, a.Requests())
		}
	}

	// Send over http: the check runs and still warns.
	test.Tap(tab.testBtn)
	await(t, f.events, evDialog)
	test.Tap(findButton(c.Overlays().Top(), "Send over http"))
	await(t, f.events, evResult)
	text := textOf(tab.result)
	// It reads code; Code write cannot be proven without writing.
	if tab.report.Outcome != hosts.Insufficient || !strings.Contains(text, "sent over plain http://") ||
		!strings.Contains(text, "Code (read and write)") || len(a.Requests()) == 0 {
		t.Fatalf("after Send: outcome %d\n%s", tab.report.Outcome, text)
	}
	if strings.Contains(strings.ToLower(text), "canaryuiui") {
		t.Fatal("the result shows the token")
	}
}

func TestCodeCommitTabTakesAKeyPair(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.tabFor(t, "codecommit")
	if len(tab.secrets) != 2 || !tab.secrets[1].Password || tab.secrets[0].Password {
		t.Fatal("want a visible key ID and a masked secret")
	}
	if sel := tab.inputs["region"].obj.(*selectBox); sel.Selected != "us-east-1" {
		t.Errorf("region %q", sel.Selected)
	}
	if len(tab.copyBtns) != 2 || tab.copyBtns[0].Text != "Copy access key ID" || tab.copyBtns[1].Text != "Copy secret access key" {
		t.Errorf("copy buttons %q, %q", tab.copyBtns[0].Text, tab.copyBtns[1].Text)
	}
	// A GitHub token pasted as the key ID is flagged under that field
	// before anything is sent, and not under the secret access key.
	tab.secrets[0].SetText(canary)
	if p := tab.secretRows[0].problem; !strings.Contains(p, "looks like a GitHub personal access token, not an AWS CodeCommit access key") {
		t.Errorf("under the key ID: %q", p)
	}
	if p := tab.secretRows[1].problem; p != "" {
		t.Errorf("under the secret access key: %q", p)
	}
	// The words are the access key's, not a token's.
	for _, want := range []string{"How to create the access key", "Create the access key", "Test access key", "Open access key page"} {
		if !strings.Contains(textOf(tab.content), want) && findButton(tab.content, want) == nil {
			t.Errorf("the tab lacks %q", want)
		}
	}
	// The token page opens the IAM user's security credentials.
	field(tab, "user").SetText("jira-codecommit")
	test.Tap(tab.openBtn)
	if len(f.opened) != 1 || !strings.Contains(f.opened[0], "users/details/jira-codecommit?section=security_credentials") {
		t.Errorf("opened %v", f.opened)
	}
}

func TestCodeCommitCheckFromTheTab(t *testing.T) {
	f := newFixture(t, nil)
	const keyID, secretKey = "AKIACANARYUIUIUIUIUI", "CANARY/ui+secret/CANARY/ui+secret/CANARY"
	a := hoststest.NewAWS(t, map[string]hoststest.AWSKey{keyID: {Secret: secretKey, User: "jira-codecommit"}})
	// The tab has no endpoint field; aim the app's client at the fake via
	// the request the tab builds, as the CLI's --url does.
	client, err := httpx.New(httpx.Options{CAFile: a.CAFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	f.ui.deps.HTTP = client
	tab := f.tabFor(t, "codecommit")
	tab.secrets[0].SetText(keyID)
	tab.secrets[1].SetText(secretKey)
	req, err := tab.request(true)
	if err != nil {
		t.Fatal(err)
	}
	req.Fields["url"] = a.URL
	tab.start(req)
	await(t, f.events, evResult)
	text := textOf(tab.result)
	if tab.report.Outcome != hosts.Sufficient || !strings.Contains(text, "arn:aws:iam::123456789012:user/jira-codecommit") {
		t.Fatalf("outcome %d:\n%s", tab.report.Outcome, text)
	}
	if strings.Contains(text, "CANARY") || strings.Contains(text, keyID) {
		t.Fatal("the result shows the key")
	}
	tab.copySecret(0)
	if f.ui.app.Clipboard().Content() != keyID {
		t.Error("Copy access key ID did not copy it")
	}
	tab.copySecret(1)
	if f.ui.app.Clipboard().Content() != secretKey {
		t.Error("Copy secret access key did not copy it")
	}
}

// TestCodeCommitTabShowsEachNamedRepository: the repositories typed in
// the CodeCommit tab each get a section with their verdict, what the key
// may do there, and the fix with the IAM page that makes it.
func TestCodeCommitTabShowsEachNamedRepository(t *testing.T) {
	f := newFixture(t, nil)
	const keyID, secretKey = "AKIACANARYUIREPOS222", "CANARY/ui+repos/CANARY/ui+repos/CANARY/u"
	// A policy that names jira-sync's ARN only.
	a := hoststest.NewAWS(t, map[string]hoststest.AWSKey{keyID: {Secret: secretKey, User: "jira-codecommit", AllowOnly: []string{"jira-sync"},
		Decisions: map[string]string{"codecommit:ListRepositories": "allowed"}}})
	client, err := httpx.New(httpx.Options{CAFile: a.CAFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	f.ui.deps.HTTP = client
	tab := f.tabFor(t, "codecommit")
	repos := field(tab, hosts.RepoFieldKey)
	test.Type(repos, "jira-sync\nhttps://git-codecommit.us-east-1.amazonaws.com/v1/repos/payments-service")
	tab.secrets[0].SetText(keyID)
	tab.secrets[1].SetText(secretKey)
	req, err := tab.request(true)
	if err != nil {
		t.Fatal(err)
	}
	req.Fields["url"] = a.URL
	// The check the tab runs, on this goroutine: the test driver runs
	// fyne.Do on the calling goroutine, so waiting for tab.start's
	// background work would race under -race.
	r := tab.host.Check(context.Background(), hosts.Env{HTTP: client, Now: f.ui.deps.Now}, req)
	tab.showResult(r, req)
	text := textOf(tab.result)
	if tab.report.Outcome != hosts.Insufficient {
		t.Fatalf("outcome %d:\n%s", tab.report.Outcome, text)
	}
	for _, want := range []string{
		"The token works, but it is not ready for payments-service (not allowed).",
		"Repositories",
		"jira-sync: ready",
		"Read: yes · Create branches: yes · Pull requests: yes",
		"payments-service: not allowed",
		"Read: no · Create branches: no · Pull requests: no",
		"codecommit:CreatePullRequest); JiraCodeCommitRepos allows that on other repositories only.",
		"arn:aws:codecommit:us-east-1:123456789012:payments-service",
		"https://console.aws.amazon.com/iam/home#/users/details/jira-codecommit?section=permissions",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the result lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "CANARY") || strings.Contains(text, keyID) {
		t.Fatal("the result shows the key")
	}
}
