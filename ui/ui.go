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
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	Illustration func(name string, px int) (fyne.Resource, error) // the drawing prepared for px pixels wide (assets.IllustrationFor)
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
	clearSelects []*selectBox
	copier       copyNote // where the clipboard countdown shows; nil: nowhere
	copies       int      // counts copies, so an old note is not hidden late
	dialogs      []openDialog
	nextDialog   int
	lastFocus    map[*container.TabItem]fyne.Focusable // where each tab had the focus when left
	themes       int                                   // counts changes of the colour scheme
	themeSeen    map[*container.TabItem]int            // the scheme each tab was last drawn in
	httpOnce     sync.Once
	httpErr      error
	stopped      atomic.Bool    // the toolkit has shut down: no more widget updates
	quitting     atomic.Bool    // a quit signal came: no more widget updates
	sigMu        sync.Mutex     // guards signals
	signals      chan os.Signal // quitSignals, while ShowAndRun runs
	signalsTaken chan struct{}  // closed once Fyne's signal handler is gone (takeSignalsFromFyne)
	drawings     decoder        // decodes the steps' drawings (picture.go)
	keptDrawings *hostTab       // a host tab not shown whose drawings the GPU keeps
	justLeft     *hostTab       // the host tab just left, until the next is shown
	isOpen       bool           // the window has been drawn (opened)
	startTab     int            // the tab the window opens on, until the tabs are built

	// onlyHere are rotated tokens in no keyring and not copied; while
	// there are any, closing asks first (rotate.go).
	onlyHere    []onlyHereToken
	askingClose bool // that question is on screen

	remindCheck *widget.Check // remind.go
	remindDays  *selectBox    // remind.go
	// do runs work from the background on the UI goroutine: fyne.Do. Tests
	// (before anything runs) put in a queue they run themselves, as the
	// desktop driver does: Fyne's test driver would run it on the calling
	// goroutine, alongside the test's own.
	do func(func())
	// onEvent, when set (by tests, before anything runs), is told when
	// work done in the background has shown its outcome.
	onEvent func(event)
}

// event names what background work has just shown.
type event string

const (
	evResult  event = "result"  // a host tab shows a check's outcome
	evSaved   event = "saved"   // a host tab says whether it saved
	evRecheck event = "recheck" // the saved list shows a re-check
	evCopied  event = "copied"  // the saved list copied or could not
	evDeleted event = "deleted" // the saved list deleted or could not
	evTick    event = "tick"    // the clipboard countdown moved on
	evCleared event = "cleared" // the countdown ended
	evHidden  event = "hidden"  // the clipboard note went away
	evDialog  event = "dialog"  // a dialog opened
)

func (u *UI) signal(e event) {
	if u.onEvent != nil {
		u.onEvent(e)
	}
}

// copyNote is where a copy's countdown is shown: a host tab or a saved
// token's row.
type copyNote interface {
	showCopied(left time.Duration)
	showCleared(cleared bool)
	hideCopied()
}

// noteLinger is how long "Clipboard cleared." stays before it goes.
const noteLinger = 5 * time.Second

// New builds the window; Show or ShowAndRun it.
func New(app fyne.App, d Deps) *UI {
	u := newUI(app, d)
	u.buildTabs()
	u.win.SetContent(u.tabs)
	return u
}

// Open is New for the app's own start, where ShowAndRun builds the tabs
// while it creates the window (showWhileBuilding). Between Open and
// ShowAndRun only SelectHost may be called.
func Open(app fyne.App, d Deps) *UI {
	return newUI(app, d)
}

// newUI makes the window and all that does not need the tabs.
func newUI(app fyne.App, d Deps) *UI {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ClearAfter == 0 {
		d.ClearAfter = 30 * time.Second
	}
	if d.CheckTimeout == 0 {
		d.CheckTimeout = 20 * time.Second
	}
	if d.Clock == nil {
		d.Clock = clip.RealClock{}
	}
	u := &UI{app: app, deps: d, signalsTaken: make(chan struct{}), savedList: d.SavedList, lastFocus: map[*container.TabItem]fyne.Focusable{}, themeSeen: map[*container.TabItem]int{}}
	app.Settings().SetTheme(newAppTheme(app.Preferences().String(prefTheme)))
	if u.savedList == nil {
		u.savedList = &memoryList{}
	}
	migrateSavedPreference(app.Preferences(), u.savedList)
	u.win = app.NewWindow("gitpat")
	u.do = fyne.Do
	u.drawings.idle = releaseMemory
	board := d.Clipboard
	if board == nil {
		board = app.Clipboard()
	}
	u.guard = &clip.Guard{Board: board, Clock: d.Clock, Delay: clearDelay(app.Preferences(), d.ClearAfter),
		Do: func(f func()) { u.do(f) }}
	u.guard.Tick = u.clipboardTick
	u.guard.Done = u.clipboardDone
	u.addShortcuts()
	// Ctrl+Q (Cmd+Q) quits, clearing the clipboard first (asking first while
	// a rotated token exists only in the window).
	u.win.Canvas().AddShortcut(quitShortcut, func(fyne.Shortcut) { u.askQuit() })
	u.win.Resize(fyne.NewSize(1000, 720))
	u.win.SetCloseIntercept(func() {
		u.closeOrAsk(func() {
			u.Close()
			u.win.Close()
		})
	})
	return u
}

// buildTabs makes the tabs, with the one SelectHost chose before them
// selected. It touches no canvas, so it can run while another goroutine
// creates the window.
func (u *UI) buildTabs() {
	d := u.deps
	// Tabs down the leading side: ten of them fit at 800x600, where a top
	// row hides some behind an overflow menu.
	// All at once: each Append lays every tab button out again.
	var items []*container.TabItem
	for _, h := range d.Hosts {
		t := newHostTab(u, h)
		u.hostUI = append(u.hostUI, t)
		items = append(items, t.item)
	}
	if d.Vault != nil {
		// Built on first view too; its title flags expiring tokens from
		// the start.
		u.savedTab = container.NewTabItem("Saved tokens", container.NewStack())
		u.setSavedTitle(len(expiringSoon(u.loadSaved(), d.Now())))
		items = append(items, u.savedTab)
	}
	u.tabs = container.NewAppTabs(items...)
	u.tabs.SetTabLocation(container.TabLocationLeading)
	u.tabs.SelectIndex(u.startTab) // before OnSelected: opened shows it
	u.tabs.OnUnselected = func(item *container.TabItem) {
		u.lastFocus[item] = u.win.Canvas().Focused()
		u.leftTab(item)
	}
	u.tabs.OnSelected = func(item *container.TabItem) { u.showTab(item) }
}

// prepare builds, before the window is first drawn, the part of the tab
// it opens on that its first frame shows (unless selecting it did);
// opened builds the rest.
func (u *UI) prepare() {
	for _, t := range u.hostUI {
		if t.item == u.tabs.Selected() && t.content == nil {
			t.build(true)
			u.tabs.Refresh()
		}
	}
}

// leftTab lets the decoded drawings of a tab just left go; the GPU keeps
// their textures for now (see keepDrawings).
func (u *UI) leftTab(item *container.TabItem) {
	u.justLeft = nil
	for _, t := range u.hostUI {
		if t.item == item {
			t.releaseDrawings(false)
			u.justLeft = t
		}
	}
}

// keepDrawings, as a tab is shown, lets the GPU keep the drawings of the
// host tab just left, so going back to it shows them at once, and drops
// those of the one kept before: it holds those of two host tabs at most.
func (u *UI) keepDrawings(shown *container.TabItem) {
	if k := u.keptDrawings; k != nil && k.item != shown && k != u.justLeft {
		k.releaseDrawings(true)
	}
	u.keptDrawings = u.justLeft
	if u.justLeft != nil && u.justLeft.item == shown {
		u.keptDrawings = nil
	}
	u.justLeft = nil
}

// releaseMemory gives the memory the Go runtime no longer uses back to
// the system. The decoder calls it when it has decoded what was asked for,
// that is once start-up or a new tab is drawn: building them leaves
// garbage (mostly Fyne measuring text) that the runtime would otherwise
// hand back over minutes.
func releaseMemory() { debug.FreeOSMemory() }

// opened is what happens once the window is first drawn: the tab it
// opened on builds the steps its first frame left out (or, if nothing
// prepared it, all of it), and takes the focus.
func (u *UI) opened() {
	u.isOpen = true
	u.showTab(u.tabs.Selected())
}

// showTab builds a tab on first view and puts the keyboard focus back
// where it was in that tab, or on its first control, so Tab starts there.
func (u *UI) showTab(item *container.TabItem) {
	u.keepDrawings(item)
	var first fyne.Focusable
	seen := u.themeSeen[item] == u.themes
	u.themeSeen[item] = u.themes
	for _, t := range u.hostUI {
		if t.item == item {
			if t.content == nil {
				t.build(!u.isOpen) // before the window is drawn, what its first frame shows
				u.tabs.Refresh()   // lay the new content out before focusing in it
				seen = true
			}
			if u.isOpen {
				t.finishWhenDrawn()
			}
			first = t.firstFocus()
		}
	}
	if !seen {
		// Fyne recolours only the tab shown when the scheme changes: apply
		// it again now that this one is (a redraw of the tab's content
		// leaves icons in the old colours).
		u.app.Settings().SetTheme(u.app.Settings().Theme())
	}
	if item == u.savedTab {
		if u.saved == nil {
			u.savedView()
			u.tabs.Refresh()
		}
		first = u.saved.firstFocus()
	}
	if last := u.lastFocus[item]; last != nil {
		first = last
	}
	if first != nil {
		u.win.Canvas().Focus(first)
	}
}

// reveal scrolls the shown tab so obj, which has just taken the keyboard
// focus, is in view: Fyne does not scroll to the focused control.
func (u *UI) reveal(obj fyne.CanvasObject) {
	if u.win.Canvas().Overlays().Top() != nil {
		return
	}
	var scrolls []*container.Scroll
	for _, t := range u.hostUI {
		if t.item == u.tabs.Selected() && t.content != nil {
			scrolls = append(scrolls, t.left, t.right)
		}
	}
	if u.saved != nil && u.tabs.Selected() == u.savedTab {
		scrolls = append(scrolls, u.saved.scroll)
	}
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(obj)
	for _, s := range scrolls {
		sat := d.AbsolutePositionForObject(s)
		if at.X < sat.X || at.X >= sat.X+s.Size().Width {
			continue
		}
		scrollTo(s, at.Y-sat.Y+s.Offset.Y, obj.Size().Height)
		return
	}
}

// scrollTo scrolls s the least that shows its content from y to y+h.
func scrollTo(s *container.Scroll, y, h float32) {
	off, pad := s.Offset.Y, theme.Padding()*2
	switch {
	case y < off:
		off = y - pad
	case y+h > off+s.Size().Height:
		off = y + h - s.Size().Height + pad
	default:
		return
	}
	off = max(0, min(off, s.Content.MinSize().Height-s.Size().Height))
	s.ScrollToOffset(fyne.NewPos(s.Offset.X, off))
}

// Window is the main window.
func (u *UI) Window() fyne.Window { return u.win }

// ShowAndRun shows the window, flags saved tokens about to expire, and runs
// the app until it quits: from the window's close button, Ctrl+Q or one of
// quitSignals, each of which clears the clipboard before the toolkit shuts
// down.
func (u *UI) ShowAndRun() {
	sigs := make(chan os.Signal, 1)
	u.sigMu.Lock()
	u.signals = sigs
	signal.Notify(sigs, quitSignals...)
	u.sigMu.Unlock()
	running := make(chan struct{})
	defer func() {
		close(running)
		u.sigMu.Lock()
		signal.Stop(sigs)
		u.signals = nil
		u.sigMu.Unlock()
		close(sigs) // no signal comes after Stop: the handler below ends
	}()
	go func() {
		if _, ok := <-sigs; !ok {
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
	stopped := u.takeStoppedHooks()
	u.app.Lifecycle().SetOnStarted(func() {
		u.takeSignals()
		go u.takeSignalsFromFyne(running)
		u.opened()
		u.flagExpiring()
	})
	if u.tabs == nil { // Open
		u.showWhileBuilding()
	} else {
		u.prepare()
	}
	u.win.ShowAndRun()
	// A last chance, for a quit that did not come through Quit (Fyne's
	// own Quit menu item on macOS): the secret is cleared after the
	// toolkit stopped, by a board that does not need it. The toolkit's
	// own clipboard cannot be used by then.
	u.stopped.Store(true)
	if s, ok := u.guard.Board.(standalone); ok && s.Standalone() {
		u.guard.Flush()
	}
	stopped()
}

// showWhileBuilding builds the tabs and what the first frame shows on
// another goroutine while this one, the main one, creates the window:
// GLFW and the GL context take about as long on this thread as the
// widgets and the text they measure on the other, and neither needs the
// other. The window is mapped empty until both are done. The two share
// only Fyne's caches, which are safe for concurrent use: the builder
// touches no canvas, and the window has no content until it is done.
func (u *UI) showWhileBuilding() {
	built := make(chan struct{})
	go func() {
		defer close(built)
		u.buildTabs()
		u.prepare()
	}()
	u.win.Show()
	<-built
	u.win.SetContent(u.tabs)
}

// flagExpiring tells the user, once at start, about saved tokens that
// expire within 14 days. It reads only the preferences, not the keyring.
func (u *UI) flagExpiring() {
	if u.savedTab == nil || u.tabs.Selected() == u.savedTab {
		return // the tab itself shows them (opened from a reminder, or with --tab saved)
	}
	soon := expiringSoon(u.loadSaved(), u.deps.Now())
	if len(soon) == 0 {
		return
	}
	lines := []string{"These saved tokens expire within 14 days or already have:"}
	for _, s := range soon {
		r := &hosts.Report{ExpiresAt: s.ExpiresAt}
		lines = append(lines, fmt.Sprintf("• %s on %s: %s", s.User, s.Server, r.ExpiryText(u.deps.Now())))
	}
	u.ask("Tokens expiring soon", paragraphs(lines...),
		choice{label: "Later", isCancel: true},
		choice{label: "Show saved tokens", importance: widget.HighImportance, isDefault: true, do: func() { u.tabs.Select(u.savedTab) }},
	)
}

// SelectHost shows the tab of the host with the given ID ("saved" for the
// saved tokens), or, before ShowAndRun has built the tabs (Open), makes it
// the one the window opens on; false when there is none.
func (u *UI) SelectHost(id string) bool {
	i := -1
	for j, h := range u.deps.Hosts {
		if h.ID == id {
			i = j
		}
	}
	if id == "saved" && u.deps.Vault != nil {
		i = len(u.deps.Hosts)
	}
	switch {
	case i < 0:
		return false
	case u.tabs == nil: // Open: ShowAndRun builds them
		u.startTab = i
	default:
		u.tabs.SelectIndex(i)
	}
	return true
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
// by note (nil: nowhere).
func (u *UI) copyToClipboard(s secret.Value, note copyNote) {
	u.takeSignals()
	if u.copier != nil && u.copier != note {
		u.copier.hideCopied()
	}
	u.copier = note
	u.copies++
	u.guard.Copy(s)
	u.kept(s)
	if u.guard.Delay == 0 && note != nil {
		note.showCopied(0)
	}
}

// copiedText says a secret is on the clipboard and when it goes.
func copiedText(left time.Duration) string {
	if left <= 0 {
		return "Copied. The clipboard is not cleared automatically (see Settings in Saved tokens)."
	}
	return fmt.Sprintf("Copied. The clipboard clears in %d s.", int(left.Seconds()))
}

// clearedText says how a countdown ended.
func clearedText(cleared bool) string {
	if cleared {
		return "Clipboard cleared."
	}
	return "The clipboard was left as it is: you had copied something else since, so the token was already replaced."
}

// clipboardTick shows the countdown where the copy was made.
func (u *UI) clipboardTick(left time.Duration) {
	if u.stopped.Load() || u.quitting.Load() {
		return // no window to show it in, or not on its goroutine
	}
	if u.copier != nil && left > 0 {
		u.copier.showCopied(left)
	}
	u.signal(evTick)
}

// clipboardDone says how the countdown ended, and takes the note away a
// few seconds later unless something was copied since.
func (u *UI) clipboardDone(cleared bool) {
	if u.stopped.Load() || u.quitting.Load() {
		return // no window to show it in, or not on its goroutine
	}
	note, copies := u.copier, u.copies
	if note != nil {
		note.showCleared(cleared)
		go func() {
			<-u.deps.Clock.After(noteLinger)
			u.do(func() {
				if u.copier == note && u.copies == copies {
					note.hideCopied()
					u.copier = nil
					u.signal(evHidden)
				}
			})
		}()
	}
	u.signal(evCleared)
}

// updateSaved changes the saved list and redraws what shows it.
func (u *UI) updateSaved(change func([]savedToken) []savedToken) {
	if err := u.savedList.Save(change(u.loadSaved())); err != nil && u.saved != nil {
		u.saved.say(err.Error())
	}
	if u.saved != nil {
		u.saved.refresh()
	} else {
		u.setSavedTitle(len(expiringSoon(u.loadSaved(), u.deps.Now())))
	}
}

// savedView is the Saved tokens tab's view, built on first use.
func (u *UI) savedView() *savedView {
	if u.saved == nil && u.savedTab != nil {
		u.saved = newSavedView(u)
		u.savedTab.Content = u.saved.content
	}
	return u.saved
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
		if u.tabs != nil { // nil while New makes the tabs
			u.tabs.Refresh()
		}
	}
}

// checkContext bounds one check.
func (u *UI) checkContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), u.deps.CheckTimeout)
}
