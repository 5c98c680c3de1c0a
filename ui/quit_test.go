package ui

import (
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/vault"
)

// markingBoard is a clipboard that takes secrets with markers, as the X11,
// Windows and macOS ones do.
type markingBoard struct {
	mu     sync.Mutex
	s      string
	marked bool
}

func (b *markingBoard) Content() string { b.mu.Lock(); defer b.mu.Unlock(); return b.s }
func (b *markingBoard) SetContent(s string) {
	b.mu.Lock()
	b.s, b.marked = s, false
	b.mu.Unlock()
}
func (b *markingBoard) SetSecret(s string) {
	b.mu.Lock()
	b.s, b.marked = s, true
	b.mu.Unlock()
}

// copyTestedToken tests the canary in the GitHub tab and copies it.
func copyTestedToken(t *testing.T, f *fixture) *hostTab {
	t.Helper()
	tab := f.githubTab()
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	waitResult(t, tab)
	if !tab.copySecret(0) {
		t.Fatal("the passed token could not be copied")
	}
	return tab
}

func TestACopiedTokenGoesOutWithTheMarkers(t *testing.T) {
	f := newFixture(t, nil)
	b := &markingBoard{}
	f.ui.guard.Board = b
	copyTestedToken(t, f)
	if b.Content() != canary || !b.marked {
		t.Errorf("clipboard %q, marked %v", b.Content(), b.marked)
	}
}

func TestCtrlQClearsTheClipboardWhereverTheFocusIs(t *testing.T) {
	for _, where := range []string{"window", "token field", "server URL field"} {
		t.Run(where, func(t *testing.T) {
			f := newFixture(t, nil)
			tab := copyTestedToken(t, f)
			board := f.ui.app.Clipboard()
			c := f.ui.win.Canvas()
			if where == "window" {
				c.Unfocus()
				c.(fyne.Shortcutable).TypedShortcut(quitShortcut)
			} else if where == "token field" {
				c.Focus(tab.secrets[0])
				tab.secrets[0].TypedShortcut(quitShortcut)
			} else {
				url := field(tab, "url")
				c.Focus(url)
				url.TypedShortcut(quitShortcut)
			}
			if board.Content() == canary || f.ui.guard.Pending() {
				t.Errorf("Ctrl+Q in the %s left the token on the clipboard", where)
			}
		})
	}
}

func TestQuitLeavesWhatTheUserCopiedSince(t *testing.T) {
	f := newFixture(t, nil)
	copyTestedToken(t, f)
	board := f.ui.app.Clipboard()
	board.SetContent("the user's own text")
	f.ui.Quit()
	if board.Content() != "the user's own text" {
		t.Errorf("clipboard = %q after quitting", board.Content())
	}
}

func TestTheClipboardSettingSaysWhatHappensToACopy(t *testing.T) {
	const note = "A copied token is marked as a password."
	for _, want := range []string{note, ""} {
		keyring.MockInit()
		u := New(test.NewTempApp(t), Deps{Hosts: hosts.All(), Vault: vault.Store{}, ClipNote: want})
		var shown []string
		walk(u.savedView().content, func(o fyne.CanvasObject) {
			if l, ok := o.(*paragraph); ok && l.Visible() && l.Text == note {
				shown = append(shown, l.Text)
			}
		})
		if want != "" && len(shown) != 1 {
			t.Errorf("the note shows %d times in Settings", len(shown))
		}
		if want == "" && len(shown) != 0 {
			t.Error("a note shows though there is none")
		}
		u.Close()
	}
}
