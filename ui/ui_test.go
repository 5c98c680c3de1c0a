package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/assets"
	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/clip/cliptest"
	"github.com/gitpat/gitpat/internal/httpx"
)

const (
	canary       = "ghp_CANARYu1u1CANARYu1u1CANARYu1u1CANARYu"
	canaryNoRepo = "ghp_CANARYn0n0CANARYn0n0CANARYn0n0CANARYn"
)

type fixture struct {
	ui     *UI
	github *hoststest.GitHub
	clock  *cliptest.Clock
	opened []string
}

func newFixture(t *testing.T, openErr error) *fixture {
	t.Helper()
	a := test.NewTempApp(t)
	g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{
		canary:       {Scopes: "repo", Expires: "2027-01-01 00:00:00 UTC"},
		canaryNoRepo: {Scopes: "read:org"},
	})
	client, err := httpx.New(httpx.Options{CAFile: g.CAFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{github: g, clock: cliptest.NewClock()}
	f.ui = New(a, Deps{
		Hosts:        hosts.All(),
		HTTP:         client,
		OpenURL:      func(u string) error { f.opened = append(f.opened, u); return openErr },
		Illustration: assets.Illustration,
		Clock:        f.clock,
		Now:          func() time.Time { return time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) },
	})
	f.ui.Window().Resize(fyne.NewSize(1000, 720))
	t.Cleanup(f.ui.Close)
	return f
}

// githubTab selects GitHub Enterprise pointed at the fake.
func (f *fixture) githubTab() *hostTab {
	tab := f.ui.hostUI[0]
	tab.variant.SetSelected("GitHub Enterprise Server")
	tab.inputs["url"].obj.(*widget.Entry).SetText(f.github.URL)
	return tab
}

// waitResult waits until the background check has shown its report.
func waitResult(t *testing.T, tab *hostTab) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if tab.report != nil {
			return textOf(tab.result)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no result shown")
	return ""
}

// walk visits obj and everything under it, widgets' renderers included.
func walk(obj fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if obj == nil {
		return
	}
	visit(obj)
	switch w := obj.(type) {
	case *fyne.Container:
		for _, c := range w.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			walk(c, visit)
		}
	}
}

// textOf collects every label's and link's text under obj.
func textOf(obj fyne.CanvasObject) string {
	var b strings.Builder
	walk(obj, func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *widget.Hyperlink:
			b.WriteString(w.Text + "\n")
		}
	})
	return b.String()
}

func TestTabsInTheOrderUsersKnow(t *testing.T) {
	f := newFixture(t, nil)
	var names []string
	for _, item := range f.ui.tabs.Items {
		names = append(names, item.Text)
	}
	want := "GitHub|GitLab|Azure DevOps|TFS 2017/2018|Azure DevOps Server|AWS CodeCommit|Bitbucket Cloud|Bitbucket Data Center|Gerrit"
	if strings.Join(names, "|") != want {
		t.Errorf("tabs = %v", names)
	}
	if f.ui.Window().Title() != "gitpat" {
		t.Errorf("title = %q", f.ui.Window().Title())
	}
}

func TestEveryTabShowsItsSteps(t *testing.T) {
	f := newFixture(t, nil)
	for i, h := range hosts.All() {
		if i > 0 && f.ui.hostUI[i].content != nil {
			t.Errorf("%s tab built before it was shown", h.Name)
		}
		f.ui.tabs.SelectIndex(i)
		text := textOf(f.ui.hostUI[i].steps)
		for _, s := range h.Steps {
			if !strings.Contains(text, s.Text) {
				t.Errorf("%s tab lacks step %q", h.Name, s.Text)
			}
		}
	}
}

func TestPastedTokenIsTrimmed(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	e := tab.secrets[0]
	e.SetText("  " + canary + "\r\n")
	if e.Text != canary {
		t.Errorf("entry holds %q", e.Text)
	}
	if tab.hint.Visible() {
		t.Errorf("hint shown for a good token: %q", tab.hint.Text)
	}
	test.Type(e, "x y")
	if !tab.hint.Visible() || !strings.Contains(tab.hint.Text, "contains a space") {
		t.Errorf("no hint for an inner space: %q", tab.hint.Text)
	}
}

func TestAnotherHostsTokenIsFlaggedBeforeAnyRequest(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.secrets[0].SetText("glpat-CANARYabcdefghij0123")
	if !tab.hint.Visible() || !strings.Contains(tab.hint.Text, "looks like a GitLab personal access token") {
		t.Errorf("hint = %q", tab.hint.Text)
	}
	test.Tap(tab.testBtn)
	text := waitResult(t, tab)
	if !strings.Contains(text, "did not send it") || len(f.github.Requests()) != 0 {
		t.Errorf("result %q, requests %v", text, f.github.Requests())
	}
}

func TestCheckResultIsShownAndCopyEnabledOnlyAfterSuccess(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	if !tab.copyBtns[0].Disabled() {
		t.Fatal("Copy enabled before any check")
	}
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	text := waitResult(t, tab)
	for _, want := range []string{"Ready", "octocat (monalisa octocat)", "repo", "2027-01-01 (37 days left)"} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "CANARY") {
		t.Fatal("the result shows the token")
	}
	if tab.copyBtns[0].Disabled() {
		t.Fatal("Copy disabled after success")
	}
	// Editing the token forgets the result.
	test.Type(tab.secrets[0], "x")
	if !tab.copyBtns[0].Disabled() || len(tab.result.Objects) != 0 {
		t.Error("Copy still enabled after the token changed")
	}
}

func TestInsufficientTokenSaysWhatIsMissing(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.secrets[0].SetText(canaryNoRepo)
	tab.secrets[0].OnSubmitted(tab.secrets[0].Text) // Enter runs the check
	text := waitResult(t, tab)
	if !strings.Contains(text, "lacks the repo scope") || !strings.Contains(text, "Missing") {
		t.Errorf("result:\n%s", text)
	}
}

func TestCancelStopsAHangingCheck(t *testing.T) {
	f := newFixture(t, nil)
	f.github.SetFault(hoststest.Hang)
	tab := f.githubTab()
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	if !tab.cancelBtn.Visible() || len(tab.progress.Objects) != 1 || !tab.testBtn.Disabled() {
		t.Fatal("no progress or Cancel while checking")
	}
	test.Tap(tab.cancelBtn)
	if len(tab.progress.Objects) != 0 {
		t.Error("progress still shown after Cancel")
	}
	if tab.cancelBtn.Visible() || tab.testBtn.Disabled() || tab.status.Text != "Cancelled." {
		t.Errorf("after Cancel: cancel visible %v, test disabled %v, status %q", tab.cancelBtn.Visible(), tab.testBtn.Disabled(), tab.status.Text)
	}
}

func TestClipboardClearedAfterTheDelay(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	waitResult(t, tab)
	test.Tap(tab.copyBtns[0])
	board := f.ui.app.Clipboard()
	if board.Content() != canary {
		t.Fatal("token not on the clipboard")
	}
	f.clock.Advance(1)
	waitFor(t, func() bool { return strings.Contains(tab.countdown.Text, "29 s") })
	f.clock.Advance(29)
	waitFor(t, func() bool { return board.Content() == "" })
	waitFor(t, func() bool { return tab.countdown.Text == "Clipboard cleared." })
}

func TestOpenTokenPagePrefilledOrShownWhenNoBrowser(t *testing.T) {
	f := newFixture(t, errors.New("no browser"))
	tab := f.githubTab()
	test.Tap(tab.openBtn)
	want := f.github.URL + "/settings/tokens/new?description=Jira+git+integration&scopes=repo"
	if len(f.opened) != 1 || f.opened[0] != want {
		t.Fatalf("opened %v", f.opened)
	}
	if text := textOf(tab.openHelp); !strings.Contains(text, "No web browser") || !strings.Contains(text, want) {
		t.Errorf("fallback shows %q", text)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
