package ui

import (
	"context"
	"strings"
	"testing"

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

func entry(tab *hostTab, key string) *widget.Entry { return tab.inputs[key].obj.(*widget.Entry) }

func TestGitLabTabChecksASelfManagedServer(t *testing.T) {
	f := newFixture(t, nil)
	const token = "glpat-CANARYuiuiCANARYuiui"
	g := hoststest.NewGitLab(t, hoststest.GitLabOptions{Version: "16.9.1-ee", SubPath: "/gitlab",
		Tokens: map[string]hoststest.GitLabToken{token: {Scopes: []string{"read_api"}, ExpiresAt: "2027-03-01"}}})
	tab := f.tabFor(t, "gitlab")
	tab.variant.SetSelected("Self-managed GitLab")
	entry(tab, "url").SetText(g.Web() + "/")
	tab.caFile.SetText(g.CAFile(t)) // the CA file field, as a user picks it
	tab.secrets[0].SetText(token)
	test.Tap(tab.testBtn)
	text := waitResult(t, tab)
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
	entry(tab, "url").SetText(g.Web())
	tab.caFile.SetText(g.CAFile(t))
	tab.secrets[0].SetText(token)
	entry(tab, hosts.RepoFieldKey).SetText("acme/api\n" + g.Web() + "/acme/docs.git")
	test.Tap(tab.testBtn)
	text := waitResult(t, tab)
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

func TestTFSOverPlainHTTPAsksFirst(t *testing.T) {
	f := newFixture(t, nil)
	token := strings.Repeat("canaryuiui", 6)[:52]
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureTFS2018, Tokens: map[string]hoststest.AzureToken{token: {}}})
	plain := a.PlainHTTP(t)
	tab := f.tabFor(t, "tfs")
	entry(tab, "url").SetText(plain)
	tab.secrets[0].SetText(token)

	// No: nothing is sent.
	test.Tap(tab.testBtn)
	waitFor(t, func() bool { return f.ui.win.Canvas().Overlays().Top() != nil })
	no := findButton(f.ui.win.Canvas().Overlays().Top(), "No")
	if no == nil || !strings.Contains(textOf(f.ui.win.Canvas().Overlays().Top()), "unencrypted") {
		t.Fatal("no consent dialog for http://")
	}
	test.Tap(no)
	text := waitResult(t, tab)
	if !strings.Contains(text, "the token was not sent") || len(a.Requests()) != 0 {
		t.Fatalf("after No: %q, requests %v", text, a.Requests())
	}

	// Yes: the check runs and still warns.
	tab.report = nil
	test.Tap(tab.testBtn)
	waitFor(t, func() bool { return f.ui.win.Canvas().Overlays().Top() != nil })
	test.Tap(findButton(f.ui.win.Canvas().Overlays().Top(), "Yes"))
	text = waitResult(t, tab)
	// It reads code; Code write cannot be proven without writing.
	if tab.report.Outcome != hosts.Insufficient || !strings.Contains(text, "sent over plain http://") ||
		!strings.Contains(text, "Code (read and write)") || len(a.Requests()) == 0 {
		t.Fatalf("after Yes: outcome %d\n%s", tab.report.Outcome, text)
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
	if sel := tab.inputs["region"].obj.(*widget.Select); sel.Selected != "us-east-1" {
		t.Errorf("region %q", sel.Selected)
	}
	if len(tab.copyBtns) != 2 || tab.copyBtns[0].Text != "Copy access key ID" || tab.copyBtns[1].Text != "Copy secret access key" {
		t.Errorf("copy buttons %q, %q", tab.copyBtns[0].Text, tab.copyBtns[1].Text)
	}
	// A GitHub token pasted as the key ID is flagged before anything is sent.
	tab.secrets[0].SetText(canary)
	if !strings.Contains(tab.hint.Text, "looks like a GitHub personal access token") {
		t.Errorf("hint %q", tab.hint.Text)
	}
	// The token page opens the IAM user's security credentials.
	entry(tab, "user").SetText("jira-codecommit")
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
	text := waitResult(t, tab)
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
	repos := entry(tab, hosts.RepoFieldKey)
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
