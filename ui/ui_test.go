package ui

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	events *uiLoop
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
		Illustration: blankDrawing,
		Clock:        f.clock,
		Now:          func() time.Time { return time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) },
	})
	f.events = listen(f.ui)
	f.ui.Window().Resize(fyne.NewSize(1000, 720))
	f.ui.opened()
	t.Cleanup(f.ui.Close)
	return f
}

// uiLoop stands in for the desktop driver's UI goroutine: what background
// work hands to the window (UI.do) waits in funcs until the test goroutine
// runs it in await, so the widgets are only ever touched by the test
// goroutine, as they are only by the main goroutine in the app.
type uiLoop struct {
	funcs  chan func()
	events chan event
}

// blankDrawing stands for every step's drawing, a PNG of one colour as
// wide as asked: the layout takes its size from illustrationSize, and
// decoding the real ones slows the tests.
func blankDrawing(name string, px int) (fyne.Resource, error) {
	img := image.NewNRGBA(image.Rect(0, 0, px, px*5/8))
	draw.Draw(img, img.Rect, image.NewUniform(color.NRGBA{0x20, 0x40, 0x60, 0xff}), image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return fyne.NewStaticResource(name+".png", b.Bytes()), nil
}

// listen puts the window's background hand-offs and events through a
// uiLoop. Call it before anything runs in the background.
func listen(u *UI) *uiLoop {
	l := &uiLoop{funcs: make(chan func(), 1000), events: make(chan event, 1000)}
	u.do = func(f func()) { l.funcs <- f }
	u.onEvent = func(e event) { l.events <- e }
	loops.Store(u, l)
	return l
}

// loops are the uiLoops of the windows the tests made, for helpers that
// are given a tab or a window rather than a fixture.
var loops sync.Map // *UI → *uiLoop

func loopOf(t *testing.T, u *UI) *uiLoop {
	t.Helper()
	l, ok := loops.Load(u)
	if !ok {
		t.Fatal("the window was made without listen")
	}
	return l.(*uiLoop)
}

// waitFor runs what background work hands to u's window until cond holds;
// cond reads widgets on the test goroutine, the only one that touches them.
func waitFor(t *testing.T, u *UI, cond func() bool) {
	t.Helper()
	l := loopOf(t, u)
	timeout := time.After(10 * time.Second)
	for !cond() {
		select {
		case f := <-l.funcs:
			f()
		case <-l.events:
		case <-timeout:
			t.Fatal("the window never got there")
		}
	}
}

// waitResult waits until tab shows a check's outcome, and returns its text.
func waitResult(t *testing.T, tab *hostTab) string {
	t.Helper()
	await(t, loopOf(t, tab.ui), evResult)
	return textOf(tab.result)
}

// await runs what background work hands to the window until it says it
// has shown want.
func await(t *testing.T, l *uiLoop, want event) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case e := <-l.events:
			if e == want {
				return
			}
		case f := <-l.funcs:
			f()
		case <-timeout:
			t.Fatalf("the window never showed %q", want)
		}
	}
}

// githubTab selects GitHub Enterprise pointed at the fake.
func (f *fixture) githubTab() *hostTab {
	tab := f.ui.hostUI[0]
	tab.variant.choose(1)
	field(tab, "url").SetText(f.github.URL)
	return tab
}

// testToken presses Test token and waits for the result.
func (f *fixture) testToken(t *testing.T, tab *hostTab) string {
	t.Helper()
	test.Tap(tab.testBtn)
	await(t, f.events, evResult)
	return textOf(tab.result)
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

// textOf collects every visible label's and link's text under obj.
func textOf(obj fyne.CanvasObject) string {
	var b strings.Builder
	walk(obj, func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *paragraph:
			b.WriteString(w.Text + "\n")
		case *widget.Hyperlink:
			b.WriteString(w.Text + "\n")
		case *link:
			b.WriteString(w.Text + "\n")
		}
	})
	return b.String()
}

func TestTabsInTheOrderUsersKnowDownTheSide(t *testing.T) {
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
	f.ui.deps.Illustration = assets.IllustrationFor // the real drawings, for the tabs not built yet
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
	if p := tab.secretRows[0].problem; p != "" {
		t.Errorf("problem shown for a good token: %q", p)
	}
	test.Type(e, "x y")
	if p := tab.secretRows[0].problem; !strings.Contains(p, "contains a space") || !tab.secretRows[0].note.Visible() {
		t.Errorf("no problem under the field for an inner space: %q", p)
	}
}

// TestAnotherHostsTokenIsSaidOnceUnderItsField: a GitLab token in the
// GitHub tab is named under the token field, once, as the wrong tab; Test
// sends nothing, shows no "rejected" headline and leaves the focus on the
// field.
func TestAnotherHostsTokenIsSaidOnceUnderItsField(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.secrets[0].SetText("glpat-CANARYabcdefghij0123")
	want := "This looks like a GitLab personal access token, not a GitHub token: paste it in the GitLab tab."
	if p := tab.secretRows[0].problem; !strings.HasPrefix(p, want) {
		t.Fatalf("under the field: %q", p)
	}
	test.Tap(tab.testBtn)
	all := textOf(f.ui.win.Content())
	if n := strings.Count(all, "looks like a GitLab personal access token"); n != 1 {
		t.Errorf("said %d times:\n%s", n, all)
	}
	if strings.Contains(all, "rejected") || len(tab.result.Objects) != 0 || len(f.github.Requests()) != 0 {
		t.Errorf("result %q, requests %v", textOf(tab.result), f.github.Requests())
	}
	if f.ui.win.Canvas().Focused() != fyne.Focusable(tab.secrets[0]) {
		t.Errorf("focus on %T, not the token field", f.ui.win.Canvas().Focused())
	}
}

func TestCheckResultIsShownAndCopyEnabledOnlyAfterSuccess(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	if !tab.copyBtns[0].Disabled() {
		t.Fatal("Copy enabled before any check")
	}
	tab.secrets[0].SetText(canary)
	text := f.testToken(t, tab)
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

func TestResultCanBeCopiedAsText(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.secrets[0].SetText(canaryNoRepo)
	f.testToken(t, tab)
	test.Tap(findButton(tab.result, "Copy this result"))
	got := f.ui.app.Clipboard().Content()
	if !strings.Contains(got, "GitHub: The token works, but") || !strings.Contains(got, "Missing:") || strings.Contains(got, "CANARY") {
		t.Errorf("clipboard: %q", got)
	}
}

func TestInsufficientTokenSaysWhatIsMissing(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.secrets[0].SetText(canaryNoRepo)
	tab.secrets[0].OnSubmitted(tab.secrets[0].Text) // Enter runs the check
	await(t, f.events, evResult)
	if text := textOf(tab.result); !strings.Contains(text, "lacks the repo scope") || !strings.Contains(text, "Missing") {
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

// TestClipboardClearedAfterTheDelay: the countdown shows under Copy, says
// "Clipboard cleared." when it ends, and that goes a few seconds later.
func TestClipboardClearedAfterTheDelay(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.secrets[0].SetText(canary)
	f.testToken(t, tab)
	test.Tap(tab.copyBtns[0])
	await(t, f.events, evTick)
	board := f.ui.app.Clipboard()
	if board.Content() != canary || tab.countdown.Text != "Copied. The clipboard clears in 30 s." {
		t.Fatalf("clipboard %v, note %q", board.Content() == canary, tab.countdown.Text)
	}
	f.clock.Advance(1)
	await(t, f.events, evTick)
	if tab.countdown.Text != "Copied. The clipboard clears in 29 s." {
		t.Errorf("note %q", tab.countdown.Text)
	}
	f.clock.Advance(29)
	await(t, f.events, evCleared)
	if board.Content() != "" || tab.countdown.Text != "Clipboard cleared." || !tab.countdown.Visible() {
		t.Errorf("clipboard %q, note %q", board.Content(), tab.countdown.Text)
	}
	f.clock.Advance(1) // the note lingers, then goes
	await(t, f.events, evHidden)
	if tab.countdown.Visible() {
		t.Errorf("note still shown: %q", tab.countdown.Text)
	}
}

// TestClipboardLeftAloneSaysTheTokenWasReplaced: when the user copied
// something else before the countdown ended, gitpat leaves it and says why.
func TestClipboardLeftAloneSaysTheTokenWasReplaced(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.secrets[0].SetText(canary)
	f.testToken(t, tab)
	test.Tap(tab.copyBtns[0])
	await(t, f.events, evTick)
	f.ui.app.Clipboard().SetContent("the user's own text")
	f.clock.Advance(30)
	await(t, f.events, evCleared)
	if got := f.ui.app.Clipboard().Content(); got != "the user's own text" {
		t.Errorf("clipboard %q", got)
	}
	if !strings.Contains(tab.countdown.Text, "the token was already replaced") {
		t.Errorf("note %q", tab.countdown.Text)
	}
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

// TestTheOpeningTabBuildsItsFirstFrameFirst: before the window is first
// drawn, the tab it opens on builds the steps its first frame shows, and
// no other tab is built; once drawn, the rest follow, after the first
// frame's drawings are painted.
func TestTheOpeningTabBuildsItsFirstFrameFirst(t *testing.T) {
	for _, open := range []int{0, 1} {
		a := test.NewTempApp(t)
		u := New(a, Deps{Hosts: hosts.All(), Illustration: blankDrawing, Clock: cliptest.NewClock()})
		listen(u)
		t.Cleanup(u.Close)
		h := u.hostUI[open].host
		if !u.SelectHost(h.ID) {
			t.Fatalf("no tab %s", h.ID)
		}
		u.prepare()
		for i, other := range u.hostUI {
			if i != open && other.content != nil {
				t.Errorf("opening on %s, %s was built", h.Name, other.host.Name)
			}
		}
		tab := u.hostUI[open]
		text := textOf(tab.steps)
		for i, s := range h.Steps {
			if shown := strings.Contains(text, s.Text); shown != (i < firstFrameSteps) {
				t.Errorf("%s, before the first frame: step %d built %v", h.Name, i+1, shown)
			}
		}
		if len(tab.drawn) != firstFrameSteps {
			t.Errorf("%s, before the first frame: %d drawings", h.Name, len(tab.drawn))
		}
		u.opened()
		if strings.Contains(textOf(tab.steps), h.Steps[firstFrameSteps].Text) {
			t.Errorf("%s: step %d built before the first drawings were painted", h.Name, firstFrameSteps+1)
		}
		// Frames painted (by Fyne's software painter) decode the drawings,
		// then show them; the rest of the steps follows.
		u.win.Resize(fyne.NewSize(1000, 720))
		waitFor(t, u, func() bool { u.win.Canvas().Capture(); return tab.view.complete() })
		for _, p := range tab.drawn[:firstFrameSteps] {
			if p.img == nil {
				t.Errorf("%s: the rest of the steps came before drawing %q", h.Name, p.name)
			}
		}
		text = textOf(tab.steps)
		for _, s := range h.Steps {
			if !strings.Contains(text, s.Text) {
				t.Errorf("%s, once drawn: no step %q", h.Name, s.Text)
			}
		}
		if len(h.Notes) > 0 && !strings.Contains(text, h.Notes[0].Text) {
			t.Errorf("%s, once drawn: no notes", h.Name)
		}
		if len(tab.drawn) != len(h.Steps) {
			t.Errorf("%s, once drawn: %d drawings for %d steps", h.Name, len(tab.drawn), len(h.Steps))
		}
	}
}

// TestTheRestOfTheStepsFollowDrawingsThatFail: a drawing that cannot be
// decoded does not hold the rest of the steps back.
func TestTheRestOfTheStepsFollowDrawingsThatFail(t *testing.T) {
	a := test.NewTempApp(t)
	broken := func(string, int) (fyne.Resource, error) { return nil, errors.New("no such drawing") }
	u := New(a, Deps{Hosts: hosts.All(), Illustration: broken, Clock: cliptest.NewClock()})
	listen(u)
	t.Cleanup(u.Close)
	u.prepare()
	u.opened()
	u.win.Resize(fyne.NewSize(1000, 720))
	tab := u.hostUI[0]
	waitFor(t, u, func() bool { u.win.Canvas().Capture(); return tab.view.complete() })
}

// TestOpenBuildsTheTabsWhileTheWindowShows: the app's own start (Open)
// builds nothing until ShowAndRun, which builds the tab SelectHost chose,
// as far as its first frame goes, beside the window being created, and
// only then gives the window its content.
func TestOpenBuildsTheTabsWhileTheWindowShows(t *testing.T) {
	for _, id := range []string{"gitlab", "saved"} {
		a := test.NewTempApp(t)
		u := Open(a, Deps{Hosts: hosts.All(), Vault: &flakyVault{}, Illustration: blankDrawing, Clock: cliptest.NewClock()})
		t.Cleanup(u.Close)
		if u.SelectHost("no-such-host") {
			t.Error("SelectHost took an unknown host")
		}
		if !u.SelectHost(id) {
			t.Fatalf("no tab %s", id)
		}
		if u.tabs != nil || u.win.Content() != nil {
			t.Fatal("Open built the tabs before ShowAndRun")
		}
		u.showWhileBuilding()
		if u.win.Content() != u.tabs {
			t.Fatal("the window has no tabs")
		}
		var want *container.TabItem = u.savedTab
		for _, tab := range u.hostUI {
			if tab.host.ID == id {
				want = tab.item
				if !strings.Contains(textOf(tab.steps), tab.host.Steps[0].Text) || tab.view.complete() {
					t.Errorf("%s: not its first frame's steps", id)
				}
			} else if tab.content != nil {
				t.Errorf("opening on %s, %s was built", id, tab.host.Name)
			}
		}
		if u.tabs.Selected() != want {
			t.Errorf("opened on %q, not %s", u.tabs.Selected().Text, id)
		}
		u.opened()
		if id == "saved" && u.saved == nil {
			t.Error("the saved tokens were not built once opened")
		}
	}
}
