package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/gitpat/gitpat/hosts"
)

// press sends a key as the desktop driver does: to the focused control,
// or to the window when none has the focus.
func press(c fyne.Canvas, key fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: key}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

func pressEnter(c fyne.Canvas) { press(c, fyne.KeyReturn) }

// shortcut sends a shortcut as the desktop driver does: to the focused
// control if it takes shortcuts (a text field), else to the window.
func shortcut(c fyne.Canvas, s fyne.Shortcut) {
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(s)
}

func key(mod fyne.KeyModifier, name fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: name, Modifier: mod}
}

const ctrl, shift, alt = fyne.KeyModifierControl, fyne.KeyModifierShift, fyne.KeyModifierAlt

// TestTabShortcutsReachEveryTab: Ctrl+Tab, Ctrl+Shift+Tab, Ctrl+Page
// Down/Up and Alt+digit reach every tab, Saved tokens included, even from
// inside a text field; the new tab's first control takes the focus.
func TestTabShortcutsReachEveryTab(t *testing.T) {
	u := newSavedFixture(t, test.NewTempApp(t)).UI
	c := u.win.Canvas()
	titles := func() string { return u.tabs.Selected().Text }
	var seen []string
	for range len(u.tabs.Items) {
		shortcut(c, key(ctrl, fyne.KeyTab))
		seen = append(seen, titles())
		if c.Focused() == nil {
			t.Errorf("no focus in the %s tab", titles())
		}
	}
	want := "GitLab|Azure DevOps|TFS 2017/2018|Azure DevOps Server|AWS CodeCommit|Bitbucket Cloud|Bitbucket Data Center|Gerrit|Saved tokens|GitHub"
	if strings.Join(seen, "|") != want {
		t.Errorf("Ctrl+Tab went %v", seen)
	}
	shortcut(c, key(ctrl|shift, fyne.KeyTab))
	if titles() != "Saved tokens" {
		t.Errorf("Ctrl+Shift+Tab from the first tab went to %s", titles())
	}
	shortcut(c, key(ctrl, fyne.KeyPageDown))
	shortcut(c, key(ctrl, fyne.KeyPageDown))
	shortcut(c, key(ctrl, fyne.KeyPageUp))
	if titles() != "GitHub" {
		t.Errorf("Ctrl+Page Down, Down, Up went to %s", titles())
	}
	shortcut(c, key(alt, fyne.Key3))
	if titles() != "Azure DevOps" || c.Focused() != u.hostUI[2].inputs["org"].focus {
		t.Errorf("Alt+3 went to %s, focus on %T", titles(), c.Focused())
	}
	// The organization field has the focus: the shortcut still works.
	shortcut(c, key(alt, fyne.Key9))
	if titles() != "Gerrit" {
		t.Errorf("Alt+9 from a text field went to %s", titles())
	}
	shortcut(c, key(alt, fyne.Key0))
	if titles() != "Saved tokens" || c.Focused() != u.savedView().firstFocus() {
		t.Errorf("Alt+0 went to %s", titles())
	}
	shortcut(c, key(ctrl, fyne.KeyTab))
	if titles() != "GitHub" {
		t.Errorf("Ctrl+Tab from Saved tokens went to %s", titles())
	}
}

// ringed is what a focused control looks like: every stop of the Tab
// cycle must be one of gitpat's controls, which draw a focus ring.
func ringShown(t *testing.T, f fyne.Focusable) bool {
	t.Helper()
	w, ok := f.(fyne.Widget)
	if !ok {
		return false
	}
	r, ok := test.WidgetRenderer(w).(*ringRenderer)
	return ok && r.ring.Visible() && r.focused()
}

// TestTabOrderFollowsTheFormWithVisibleFocus: Tab goes through the form in
// reading order, from the server to the token and Test, then round the
// drawings on the left; every stop shows a focus ring, and none is a mere
// sentence.
func TestTabOrderFollowsTheFormWithVisibleFocus(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	c := f.ui.win.Canvas()
	c.Focus(tab.firstFocus())
	want := []fyne.Focusable{tab.variant, field(tab, "url"), tab.caFile, nil /* Choose… */, tab.openBtn, tab.secrets[0],
		field(tab, hosts.RepoFieldKey), tab.testBtn}
	// The window gives Tab to a field that accepts it, as Fyne's multi-line
	// entry does: the repositories list must not, or Tab stops there.
	if field(tab, hosts.RepoFieldKey).AcceptsTab() {
		t.Error("Tab is typed into the repositories field instead of moving on")
	}
	for i, w := range want {
		got := c.Focused()
		if w != nil && got != w {
			t.Fatalf("stop %d is %T, want %T", i+1, got, w)
		}
		if !ringShown(t, got) {
			t.Errorf("stop %d (%T) shows no focus ring", i+1, got)
		}
		c.FocusNext()
	}
	stops := len(want)
	for c.Focused() != fyne.Focusable(tab.variant) {
		if !ringShown(t, c.Focused()) {
			t.Errorf("stop %d (%T) shows no focus ring", stops+1, c.Focused())
		}
		if _, isPicture := c.Focused().(*picture); !isPicture && stops > len(want)+1 {
			t.Errorf("stop %d is %T, not a drawing", stops+1, c.Focused())
		}
		c.FocusNext()
		if stops++; stops > 40 {
			t.Fatal("the Tab cycle does not come round")
		}
	}
	// 8 stops in the form (the repositories field among them), the delay
	// setting, 7 drawings on the left.
	if stops != 16 {
		t.Errorf("%d Tab stops", stops)
	}
}

func TestEnterPressesTheFocusedButton(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	c := f.ui.win.Canvas()
	c.Focus(tab.openBtn)
	pressEnter(c)
	if len(f.opened) != 1 {
		t.Fatalf("Enter on Open token page opened %v", f.opened)
	}
	press(c, fyne.KeySpace)
	if len(f.opened) != 2 {
		t.Fatalf("Space on Open token page opened %v", f.opened)
	}
}

func TestEnterInTheCAFileRunsTheTest(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.caFile.SetText(f.github.CAFile(t))
	tab.secrets[0].SetText(canary)
	c := f.ui.win.Canvas()
	c.Focus(tab.caFile)
	pressEnter(c)
	await(t, f.events, evResult)
	if tab.report == nil || !tab.report.Sufficient {
		t.Fatalf("result: %s", textOf(tab.result))
	}
}

// TestEscClosesDrawingsAndTheFilePicker: Enter on a focused drawing shows
// it larger with Close focused; Esc closes it, and the file picker too.
func TestEscClosesDrawingsAndTheFilePicker(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	c := f.ui.win.Canvas()
	var pic *picture
	walk(tab.steps, func(o fyne.CanvasObject) {
		if p, ok := o.(*picture); ok && pic == nil {
			pic = p
		}
	})
	c.Focus(pic)
	pressEnter(c)
	top := c.Overlays().Top()
	if top == nil || findButton(top, "Close") == nil || c.Focused() != fyne.Focusable(findButton(top, "Close")) {
		t.Fatal("no enlarged drawing with Close focused")
	}
	press(c, fyne.KeyEscape)
	if c.Overlays().Top() != nil {
		t.Fatal("Esc did not close the drawing")
	}

	test.Tap(findButton(tab.content, "Choose…"))
	if c.Overlays().Top() == nil || c.Focused() != nil {
		t.Fatalf("no file picker, or a control in it has the focus (%T)", c.Focused())
	}
	press(c, fyne.KeyEscape)
	if c.Overlays().Top() != nil {
		t.Fatal("Esc did not close the file picker")
	}
}

func TestCtrlCCopiesOnlyAPassedToken(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	board := f.ui.app.Clipboard()
	board.SetContent("before")
	tab.secrets[0].SetText(canary)
	f.ui.win.Canvas().Focus(tab.secrets[0])
	tab.secrets[0].TypedShortcut(&fyne.ShortcutCopy{Clipboard: board})
	if board.Content() != "before" {
		t.Fatal("Ctrl+C copied an untested token")
	}
	f.testToken(t, tab)
	tab.secrets[0].TypedShortcut(&fyne.ShortcutCopy{Clipboard: board})
	await(t, f.events, evTick)
	if board.Content() != canary {
		t.Fatal("Ctrl+C in the token field did not copy the passed token")
	}
	if !f.ui.guard.Pending() {
		t.Error("no clearing pending after Ctrl+C")
	}
}

func TestTitleSaysWhatIsHappening(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.secrets[0].SetText(canary)
	tab.setBusy(true)
	if got := f.ui.win.Title(); got != "gitpat: testing the GitHub token…" {
		t.Errorf("title while testing %q", got)
	}
	tab.setBusy(false)
	if got := f.ui.win.Title(); got != "gitpat" {
		t.Errorf("title after %q", got)
	}
}

// TestFocusScrollsIntoViewAndComesBack: Shift+Tab from the first control
// reaches the last drawing, which scrolls into view; a tab left and shown
// again has the focus where it was.
func TestFocusScrollsIntoViewAndComesBack(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	c := f.ui.win.Canvas()
	c.Focus(tab.firstFocus())
	c.FocusPrevious()
	pic, ok := c.Focused().(*picture)
	if !ok {
		t.Fatalf("Shift+Tab from the first control went to %T", c.Focused())
	}
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(pic).Y - d.AbsolutePositionForObject(tab.left).Y
	if tab.left.Offset.Y == 0 || top < 0 || top+pic.Size().Height > tab.left.Size().Height {
		t.Errorf("the drawing is at %.0f in a view of %.0f (offset %.0f)", top, tab.left.Size().Height, tab.left.Offset.Y)
	}
	c.Focus(tab.openBtn)
	shortcut(c, key(ctrl, fyne.KeyTab))
	shortcut(c, key(ctrl|shift, fyne.KeyTab))
	if c.Focused() != fyne.Focusable(tab.openBtn) {
		t.Errorf("back in GitHub the focus is on %T", c.Focused())
	}
}

// TestFocusOnATokenFieldScrollsItIntoView: the token field, an entry
// inside another widget type, is found in the window and scrolled to.
func TestFocusOnATokenFieldScrollsItIntoView(t *testing.T) {
	f := newFixture(t, nil)
	f.ui.win.Resize(fyne.NewSize(800, 300)) // a short window: the token field starts out of view
	tab := f.githubTab()
	tab.right.Refresh() // the test driver lays wrapped text out again only when asked
	inView := func() (float32, bool) {
		y := positionIn(tab.secrets[0], tab.panel).Y - tab.right.Offset.Y
		return y, y >= 0 && y+tab.secrets[0].Size().Height <= tab.right.Size().Height
	}
	if y, ok := inView(); ok {
		t.Fatalf("the token field is in view before it has the focus (at %.0f of %.0f)", y, tab.right.Size().Height)
	}
	f.ui.win.Canvas().Focus(tab.secrets[0])
	if y, ok := inView(); !ok {
		t.Errorf("the token field is at %.0f in a view of %.0f", y, tab.right.Size().Height)
	}
}

// TestCopyNoteScrollsIntoView: the note that a copy made ("Copied. The
// clipboard clears in 30 s.") appears under the buttons; when they sit at
// the bottom of the view, the view scrolls so the note is seen.
func TestCopyNoteScrollsIntoView(t *testing.T) {
	f := newFixture(t, nil)
	f.ui.win.Resize(fyne.NewSize(1000, 500))
	tab := f.githubTab()
	tab.secrets[0].SetText(canary)
	f.testToken(t, tab)
	tab.right.Refresh()
	// Scroll so the copy button's bottom edge is the view's.
	btn := tab.copyBtns[0]
	y := positionIn(btn, tab.panel).Y + btn.Size().Height - tab.right.Size().Height
	tab.right.ScrollToOffset(fyne.NewPos(0, y))
	if tab.countdown.Visible() {
		t.Fatal("the note shows before the copy")
	}
	test.Tap(btn)
	await(t, f.events, evTick)
	top := positionIn(tab.countdown, tab.panel).Y - tab.right.Offset.Y
	if !tab.countdown.Visible() || top < 0 || top+tab.countdown.Size().Height > tab.right.Size().Height {
		t.Errorf("the note is at %.0f in a view of %.0f (offset %.0f)", top, tab.right.Size().Height, tab.right.Offset.Y)
	}
}
