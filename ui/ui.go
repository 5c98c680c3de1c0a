// Package ui is gitpat's window: one tab per host, each rendering a
// hosts.Host (its steps, notes and fields) and the hosts.Report of a check,
// and a tab for the tokens saved in the keyring. It knows no host by name:
// a new host is a new hosts.Host, not a change here. Everything outside
// (HTTP, browser, keyring, clipboard clock, illustrations) comes in
// through Deps so tests can run it without a display.
package ui

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/clip"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/remind"
	"github.com/gitpat/gitpat/internal/secret"
)

// Deps is what the window needs from the outside world.
type Deps struct {
	Hosts        []*hosts.Host
	HTTP         *httpx.Client // for servers without an extra CA file; nil: a default client
	Vault        Vault         // the keyring; nil hides saving
	SavedList    SavedList     // the list of saved tokens; nil keeps it in memory (tests)
	OpenURL      func(string) error
	Illustration func(name string) (fyne.Resource, error)
	Clock        clip.Clock
	Clipboard    clip.Board // where secrets are copied; nil: the toolkit's clipboard (app.Clipboard())
	ClipNote     string     // what the clipboard setting says happens to a copied token there
	Now          func() time.Time
	ClearAfter   time.Duration // default clipboard clearing delay; 30 s when zero
	CheckTimeout time.Duration // 20 s when zero
	// LoginItem runs `gitpat --remind` at login when the user asks for
	// reminders; nil hides the setting. Executable is gitpat's own path.
	LoginItem  remind.LoginItem
	Executable func() (string, error)
}

// UI is the main window.
type UI struct {
	app          fyne.App
	win          fyne.Window
	deps         Deps
	guard        *clip.Guard
	tabs         *container.AppTabs
	hostUI       []*hostTab
	saved        *savedView
	savedList    SavedList
	savedTab     *container.TabItem
	clearSelects []*widget.Select
	copier       *hostTab // the tab whose copy the countdown is about
	httpOnce     sync.Once
	httpErr      error
	stopped      atomic.Bool    // the toolkit has shut down: no more widget updates
	quitting     atomic.Bool    // a quit signal came: no more widget updates
	signals      chan os.Signal // quitSignals, while ShowAndRun runs

	remindCheck *widget.Check  // remind.go
	remindDays  *widget.Select // remind.go
}

// New builds the window; Show or ShowAndRun it.
func New(app fyne.App, d Deps) *UI {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ClearAfter == 0 {
		d.ClearAfter = 30 * time.Second
	}
	if d.CheckTimeout == 0 {
		d.CheckTimeout = 20 * time.Second
	}
	u := &UI{app: app, deps: d, savedList: d.SavedList}
	if u.savedList == nil {
		u.savedList = &memoryList{}
	}
	migrateSavedPreference(app.Preferences(), u.savedList)
	u.win = app.NewWindow("gitpat")
	board := d.Clipboard
	if board == nil {
		board = app.Clipboard()
	}
	u.guard = &clip.Guard{Board: board, Clock: d.Clock, Delay: clearDelay(app.Preferences(), d.ClearAfter), Do: fyne.Do}
	u.guard.Tick = u.clipboardTick

	u.tabs = container.NewAppTabs()
	for _, h := range d.Hosts {
		t := newHostTab(u, h)
		u.hostUI = append(u.hostUI, t)
		u.tabs.Append(t.item)
	}
	u.tabs.OnSelected = func(item *container.TabItem) {
		for _, t := range u.hostUI {
			if t.item == item {
				t.build()
			}
		}
	}
	if d.Vault != nil {
		u.savedTab = container.NewTabItemWithIcon("Saved tokens", theme.StorageIcon(), nil)
		u.saved = newSavedView(u)
		u.savedTab.Content = u.saved.content
		u.tabs.Append(u.savedTab)
	}
	if len(u.hostUI) > 0 {
		u.hostUI[0].build()
	}
	// Ctrl+C outside a text field copies the shown tab's tested token.
	u.win.Canvas().AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) {
		for _, t := range u.hostUI {
			if t.item == u.tabs.Selected() {
				t.copySecret(0)
			}
		}
	})
	// Ctrl+Q (Cmd+Q) quits, clearing the clipboard first.
	u.win.Canvas().AddShortcut(quitShortcut, func(fyne.Shortcut) { u.Quit() })
	u.win.SetContent(u.tabs)
	u.win.Resize(fyne.NewSize(1000, 720))
	u.win.SetCloseIntercept(func() {
		u.Close()
		u.win.Close()
	})
	return u
}

// Window is the main window.
func (u *UI) Window() fyne.Window { return u.win }

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

// ShowAndRun shows the window, flags saved tokens about to expire, and runs
// the app until it quits: from the window's close button, Ctrl+Q or one of
// quitSignals, each of which clears the clipboard before the toolkit shuts
// down.
func (u *UI) ShowAndRun() {
	u.signals = make(chan os.Signal, 1)
	signal.Notify(u.signals, quitSignals...)
	defer signal.Stop(u.signals)
	go func() {
		if _, ok := <-u.signals; !ok {
			return
		}
		// Fyne's driver may have caught the signal too (see takeSignals)
		// and may stop the toolkit before Quit gets its turn: a clipboard
		// that works without the toolkit is cleared right here, at once.
		if s, ok := u.guard.Board.(standalone); ok && s.Standalone() {
			u.quitting.Store(true) // no countdown on screen from this goroutine
			u.guard.Flush()
		}
		fyne.Do(u.Quit)
	}()
	// A last chance, for a quit that did not come through Quit (Fyne's
	// own Quit menu item on macOS): the secret is cleared after the
	// toolkit stopped, by a board that does not need it. The toolkit's
	// own clipboard cannot be used by then.
	u.app.Lifecycle().SetOnStopped(func() {
		u.stopped.Store(true)
		if s, ok := u.guard.Board.(standalone); ok && s.Standalone() {
			u.guard.Flush()
		}
	})
	u.app.Lifecycle().SetOnStarted(func() {
		u.takeSignals()
		u.flagExpiring()
	})
	u.win.ShowAndRun()
}

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

// flagExpiring tells the user, once at start, about saved tokens that
// expire within 14 days. It reads only the preferences, not the keyring.
func (u *UI) flagExpiring() {
	if u.saved == nil || u.tabs.Selected() == u.savedTab {
		return // the tab itself shows them (opened from a reminder, or with --tab saved)
	}
	soon := expiringSoon(u.loadSaved(), u.deps.Now())
	if len(soon) == 0 {
		return
	}
	msg := "These saved tokens expire within 14 days or already have:\n"
	for _, s := range soon {
		r := &hosts.Report{ExpiresAt: s.ExpiresAt}
		msg += fmt.Sprintf("\n• %s on %s: %s", s.User, s.Server, r.ExpiryText(u.deps.Now()))
	}
	dialog.ShowCustomConfirm("Tokens expiring soon", "Show saved tokens", "Later", widget.NewLabel(msg), func(show bool) {
		if show {
			u.tabs.Select(u.savedTab)
		}
	}, u.win)
}

// SelectHost shows the tab of the host with the given ID ("saved" for the
// saved tokens); false when there is none.
func (u *UI) SelectHost(id string) bool {
	if id == "saved" && u.savedTab != nil {
		u.tabs.Select(u.savedTab)
		return true
	}
	for i, t := range u.hostUI {
		if t.host.ID == id {
			u.tabs.SelectIndex(i)
			return true
		}
	}
	return false
}

// client returns the HTTP client for a server, with its extra CA file. The
// default client is made on first use: loading the system's trust store
// takes ~13 ms that the start-up need not pay.
func (u *UI) client(caFile string) (*httpx.Client, error) {
	if caFile != "" {
		return httpx.New(httpx.Options{CAFile: caFile})
	}
	u.httpOnce.Do(func() {
		if u.deps.HTTP == nil {
			u.deps.HTTP, u.httpErr = httpx.New(httpx.Options{})
		}
	})
	return u.deps.HTTP, u.httpErr
}

// copyToClipboard copies a secret and starts the clearing countdown, shown
// in the tab that asked (nil: none).
func (u *UI) copyToClipboard(s secret.Value, from *hostTab) {
	u.takeSignals()
	u.copier = from
	u.guard.Copy(s)
}

// clearNotice says when the clipboard will be cleared.
func (u *UI) clearNotice() string {
	if u.guard.Delay == 0 {
		return "The clipboard is not cleared automatically (see Settings in Saved tokens)."
	}
	return fmt.Sprintf("The clipboard clears in %d s.", int(u.guard.Delay.Seconds()))
}

// clipboardTick shows the countdown in the tab that copied.
func (u *UI) clipboardTick(left time.Duration) {
	if u.stopped.Load() || u.quitting.Load() {
		return
	}
	for _, t := range u.hostUI {
		if t.content != nil {
			t.showCountdown(left, t == u.copier)
		}
	}
	if left <= 0 {
		u.copier = nil
	}
}

// updateSaved changes the saved list and redraws what shows it.
func (u *UI) updateSaved(change func([]savedToken) []savedToken) {
	if err := u.savedList.Save(change(u.loadSaved())); err != nil && u.saved != nil {
		u.saved.say(err.Error())
	}
	if u.saved != nil {
		u.saved.refresh()
	}
}

// setSavedTitle flags expiring tokens in the tab title.
func (u *UI) setSavedTitle(expiring int) {
	if u.savedTab == nil {
		return
	}
	title := "Saved tokens"
	if expiring > 0 {
		title = fmt.Sprintf("Saved tokens (%d expiring)", expiring)
	}
	if u.savedTab.Text != title {
		u.savedTab.Text = title
		u.tabs.Refresh()
	}
}

// checkContext bounds one check.
func (u *UI) checkContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), u.deps.CheckTimeout)
}
