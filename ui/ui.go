// Package ui is gitpat's window: one tab per host, each rendering a
// hosts.Host (its steps, notes and fields) and the hosts.Report of a check.
// It knows no host by name: a new host is a new hosts.Host, not a change
// here. Everything outside (HTTP, browser, clipboard clock, illustrations)
// comes in through Deps so tests can run it without a display.
package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/clip"
	"github.com/gitpat/gitpat/internal/httpx"
)

// Deps is what the window needs from the outside world.
type Deps struct {
	Hosts        []*hosts.Host
	HTTP         *httpx.Client // nil: a default client
	OpenURL      func(string) error
	Illustration func(name string) (fyne.Resource, error)
	Clock        clip.Clock
	Now          func() time.Time
	ClearAfter   time.Duration // clipboard clearing delay; 30 s when zero
	CheckTimeout time.Duration // 20 s when zero
}

// UI is the main window.
type UI struct {
	app    fyne.App
	win    fyne.Window
	deps   Deps
	guard  *clip.Guard
	tabs   *container.AppTabs
	hostUI []*hostTab
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
	if d.HTTP == nil {
		d.HTTP, _ = httpx.New(httpx.Options{})
	}
	u := &UI{app: app, deps: d}
	u.win = app.NewWindow("gitpat")
	u.guard = &clip.Guard{Board: app.Clipboard(), Clock: d.Clock, Delay: d.ClearAfter, Do: fyne.Do}
	u.guard.Tick = u.clipboardTick

	u.tabs = container.NewAppTabs()
	for _, h := range d.Hosts {
		t := newHostTab(u, h)
		u.hostUI = append(u.hostUI, t)
		u.tabs.Append(container.NewTabItem(h.Name, t.content))
	}
	u.tabs.SetTabLocation(container.TabLocationTop)
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

// ShowAndRun shows the window and runs the app until it quits.
func (u *UI) ShowAndRun() {
	u.app.Lifecycle().SetOnStopped(func() { u.guard.Flush() })
	u.win.ShowAndRun()
}

// clipboardTick shows the countdown in the tab that copied.
func (u *UI) clipboardTick(left time.Duration) {
	for _, t := range u.hostUI {
		t.showCountdown(left)
	}
}

// checkContext bounds one check.
func (u *UI) checkContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), u.deps.CheckTimeout)
}

// SelectHost shows the tab of the host with the given ID; false when there
// is none.
func (u *UI) SelectHost(id string) bool {
	for i, t := range u.hostUI {
		if t.host.ID == id {
			u.tabs.SelectIndex(i)
			return true
		}
	}
	return false
}
