package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestTabOrderFollowsTheForm: Tab moves through the form in reading order,
// from the server URL to the CA file and the token.
func TestTabOrderFollowsTheForm(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	c := f.ui.win.Canvas()
	c.Focus(tab.inputs["url"].obj.(*widget.Entry))
	c.FocusNext()
	if c.Focused() != fyne.Focusable(tab.caFile) {
		t.Fatalf("Tab from the server URL went to %T, not the CA file", c.Focused())
	}
	// Then, maybe via the CA file button, the token entry.
	for range 3 {
		c.FocusNext()
		if c.Focused() == fyne.Focusable(tab.secrets[0]) {
			return
		}
	}
	t.Fatalf("Tab never reached the token entry (at %T)", c.Focused())
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
	test.Tap(tab.testBtn)
	waitResult(t, tab)
	tab.secrets[0].TypedShortcut(&fyne.ShortcutCopy{Clipboard: board})
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
