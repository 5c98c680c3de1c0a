package ui

import (
	"bytes"
	"strings"
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

func TestTheStoppedHooksAreTakenFromFyneAndRunByGitpat(t *testing.T) {
	f := newFixture(t, nil)
	l, ok := f.ui.app.Lifecycle().(stoppedHooks)
	if !ok {
		t.Fatal("Fyne's lifecycle has changed: takeStoppedHooks leaves the hooks to Fyne's racy queue")
	}
	var ran []string
	l.SetOnStopped(func() { ran = append(ran, "app") })
	l.SetOnStoppedHookExecuted(func() { ran = append(ran, "preferences") }) // as app.NewWithID sets it
	run := f.ui.takeStoppedHooks()
	if l.OnStopped() != nil {
		t.Error("Fyne still has a stopped hook to queue as it shuts down")
	}
	if len(ran) != 0 {
		t.Fatalf("hooks ran before the driver returned: %v", ran)
	}
	run()
	if strings.Join(ran, ",") != "app,preferences" {
		t.Errorf("ran %v, want the app's hook, then Fyne's", ran)
	}
}

// Stacks as runtime.Stack writes them (runtime/traceback.go, goroutineheader:
// "goroutine N [wait reason, N minutes]:", then a function per frame, with
// a blank line between goroutines), with the frames of Fyne 2.7.1's
// catchTerm (internal/driver/glfw/driver_desktop.go) and os/signal.
const (
	stackWaiting = `goroutine 1 [running]:
main.main()
	/src/main.go:10 +0x1d

goroutine 35 [chan receive, 2 minutes]:
fyne.io/fyne/v2/internal/driver/glfw.(*gLDriver).catchTerm(0xc0001a2000?)
	/root/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/internal/driver/glfw/driver_desktop.go:210 +0x8e
created by fyne.io/fyne/v2/internal/driver/glfw.(*gLDriver).Run in goroutine 1
	/root/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/internal/driver/glfw/driver.go:161 +0x4f
`
	stackRegistering = `goroutine 35 [sync.Mutex.Lock]:
os/signal.Notify(0xc00009e0c0, {0xc0000a8000, 0x2, 0x2})
	/usr/local/go/src/os/signal/signal.go:142 +0x85
fyne.io/fyne/v2/internal/driver/glfw.(*gLDriver).catchTerm(0xc0001a2000?)
	/root/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/internal/driver/glfw/driver_desktop.go:208 +0x6a
`
	stackNotYet = `goroutine 35 [runnable]:
fyne.io/fyne/v2/internal/driver/glfw.(*gLDriver).catchTerm(0xc0001a2000?)
	/root/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/internal/driver/glfw/driver_desktop.go:206
`
	stackOtherWait = `goroutine 12 [chan receive]:
fyne.io/fyne/v2/internal/app.(*Lifecycle).WaitForEvents(...)
	/root/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/internal/app/lifecycle.go:120
`
)

func TestFyneIsSeenWaitingForSignalsOnlyOnceRegistered(t *testing.T) {
	for _, c := range []struct {
		name   string
		stacks string
		want   bool
	}{
		{"waiting in catchTerm", stackWaiting, true},
		{"inside signal.Notify", stackRegistering, false},
		{"not run yet", stackNotYet, false},
		{"another goroutine waiting", stackOtherWait, false},
		{"no Fyne at all", "goroutine 1 [running]:\nmain.main()\n", false},
	} {
		if got := fyneWaitsForSignals([]byte(c.stacks)); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestThisProcessesStacksAreReadWhole(t *testing.T) {
	// More goroutines than the first buffer holds: the stacks are read again, larger.
	stop := make(chan struct{})
	defer close(stop)
	for range 400 {
		go func() { <-stop }()
	}
	s := goroutineStacks()
	if n := bytes.Count(s, []byte("\ngoroutine ")) + 1; n < 400 {
		t.Errorf("%d goroutines in %d bytes", n, len(s))
	}
	if !bytes.Contains(s, []byte("TestThisProcessesStacksAreReadWhole")) {
		t.Error("this goroutine's own stack is missing")
	}
}
