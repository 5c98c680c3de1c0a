package ui

import (
	"bytes"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Close cancels running checks and clears a secret still on the clipboard.
func (u *UI) Close() {
	for _, t := range u.hostUI {
		t.cancel()
	}
	u.guard.Flush()
}

// standalone is a clipboard that works without the toolkit (gitpat's X11,
// Windows and macOS ones), so it can still be cleared after the toolkit
// has shut down; the toolkit's own clipboard cannot.
type standalone interface{ Standalone() bool }

// askQuit is what Ctrl+Q does wherever the focus is: Quit, once
// asked when a rotated token exists only in the window (closeOrAsk).
func (u *UI) askQuit() { u.closeOrAsk(u.Quit) }

// quitShortcut is Ctrl+Q, Cmd+Q on macOS.
var quitShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}

// Quit clears a secret still on the clipboard and cancels running checks,
// then quits. Call it on the UI goroutine: it runs while the toolkit still
// does, so the clearing never depends on what survives the shutdown. It
// stops the driver as Fyne's own signal handler does, rather than through
// App.Quit: App.Quit marks the windows closed first, and a mouse event
// that arrives before the driver stops then crashes Fyne 2.7's GLFW
// driver (processMouseMoved on a closing window's nil viewport).
func (u *UI) Quit() {
	u.Close()
	u.app.Driver().Quit()
}

// quitSignals end gitpat cleanly, as Quit does: SIGINT (Ctrl+C in a
// terminal), SIGTERM (kill, a service manager) and SIGHUP. At the end of a
// desktop session systemd-logind stops the session's scope, which sends
// SIGTERM and, right after it, SIGHUP (logind creates session scopes with
// SendSIGHUP=yes; systemd.kill(5)); a terminal that closes sends SIGHUP.
var quitSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// takeSignals makes quitSignals come to ShowAndRun's handler alone. Fyne's
// driver catches SIGINT and SIGTERM too, and quits at once without letting
// the app clear the clipboard; with two handlers, whichever runs first
// wins. Resetting the signals drops every handler, Fyne's included, and
// ours is set again at once. It runs when the app has started, as soon as
// Fyne's handler is seen (takeSignalsFromFyne), and on each copy.
func (u *UI) takeSignals() {
	u.sigMu.Lock()
	defer u.sigMu.Unlock()
	if u.signals == nil {
		return // ShowAndRun is not running
	}
	signal.Reset(syscall.SIGINT, syscall.SIGTERM)
	signal.Notify(u.signals, quitSignals...)
}

// fyneSignalWaiter is where Fyne 2.7's GLFW driver waits for SIGINT and
// SIGTERM, once it has registered for them (internal/driver/glfw,
// driver_desktop.go, catchTerm), as a goroutine's stack names it.
const fyneSignalWaiter = "fyne.io/fyne/v2/internal/driver/glfw.(*gLDriver).catchTerm("

// takeSignalsFromFyne takes the signals (takeSignals) as soon as Fyne's
// driver has registered its own handler. Fyne registers from a goroutine
// it starts as the app starts running, which under load has been seen to
// run only seconds later: after any fixed moment gitpat could choose, and
// after a token may have been copied. Nothing says when it has, but the
// goroutine's stack: waiting in catchTerm means registered. It gives up
// after 30 s, or when running is closed; a Fyne that waits elsewhere
// leaves the calls at start and on each copy.
func (u *UI) takeSignalsFromFyne(running <-chan struct{}) {
	wait := time.Millisecond
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); wait = min(2*wait, 50*time.Millisecond) {
		if fyneWaitsForSignals(goroutineStacks()) {
			u.takeSignals()
			close(u.signalsTaken)
			return
		}
		select {
		case <-running:
			return
		case <-time.After(wait):
		}
	}
}

// goroutineStacks is every goroutine's stack, as runtime.Stack writes it.
func goroutineStacks() []byte {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// fyneWaitsForSignals reports whether a goroutine in stacks waits in
// fyneSignalWaiter: blocked on its channel, in that function itself, not
// in a call it makes (signal.Notify, before it has registered).
func fyneWaitsForSignals(stacks []byte) bool {
	for _, g := range bytes.Split(stacks, []byte("\n\n")) {
		header, frames, _ := bytes.Cut(g, []byte("\n"))
		if bytes.Contains(header, []byte("[chan receive")) && bytes.HasPrefix(frames, []byte(fyneSignalWaiter)) {
			return true
		}
	}
	return false
}

// stoppedHooks is Fyne 2.7's lifecycle (internal/app.Lifecycle), as far as
// takeStoppedHooks needs it.
type stoppedHooks interface {
	OnStopped() func()
	SetOnStopped(func())
	SetOnStoppedHookExecuted(func())
}

// takeStoppedHooks takes the stopped hooks out of Fyne's hands and returns
// them, for ShowAndRun to run once the driver has returned. Fyne 2.7's
// GLFW driver queues them as it shuts down, on a queue that runs them
// through the main thread's function queue, which it drains and closes
// at that moment: a hook that lands after the drain is lost, and Run
// then waits for it for ever (seen here under load; the fix proposed
// upstream, fyne-io/fyne pull request 6442, runs them directly as this
// does). Fyne's own hook saves the preferences; without a hook nothing is
// queued. A Fyne with another lifecycle keeps its hooks.
func (u *UI) takeStoppedHooks() func() {
	l, ok := u.app.Lifecycle().(stoppedHooks)
	if !ok {
		return func() {}
	}
	f := l.OnStopped()
	l.SetOnStopped(nil)
	l.SetOnStoppedHookExecuted(nil)
	if f == nil {
		return func() {}
	}
	return f
}
