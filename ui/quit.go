package ui

import (
	"os"
	"os/signal"
	"syscall"

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
// driver catches SIGINT and SIGTERM too, from a goroutine it starts when
// the app starts running, and quits at once without letting the app clear
// the clipboard; with two handlers, whichever runs first wins. Resetting
// the signals drops every handler, Fyne's included, and ours is set again
// at once. It runs when the app has started, and again on each copy, as
// Fyne's goroutine may register late (seen under load: over a second).
func (u *UI) takeSignals() {
	if u.signals == nil {
		return
	}
	signal.Reset(syscall.SIGINT, syscall.SIGTERM)
	signal.Notify(u.signals, quitSignals...)
}
