// Package x11 is gitpat's X11 clipboard: it owns the CLIPBOARD selection
// through its own connection to the X server (github.com/jezek/xgb, pure
// Go) instead of through the toolkit's window, so that a secret goes out
// with the x-kde-passwordManagerHint target next to the text targets, and
// so that clearing does not depend on the toolkit still running.
//
// It keeps the clearing rules of internal/clip.Guard: giving the clipboard
// up only takes effect while it is still gitpat's (the X server ignores a
// SetSelectionOwner whose time is older than the selection's last change,
// X11 protocol, SetSelectionOwner), and nothing is ever handed to a
// clipboard manager: GLFW, which Fyne uses, asks the clipboard manager to
// save what it owns when it quits (CLIPBOARD_MANAGER/SAVE_TARGETS,
// glfw/src/x11_init.c, _glfwPushSelectionToManagerX11); this board never
// does.
package x11

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// stampTimeout bounds the wait for the server time ownership is taken at.
const stampTimeout = 2 * time.Second

// Plain is a clipboard without markers (fyne.Clipboard), used when the X
// server cannot be reached.
type Plain interface {
	Content() string
	SetContent(string)
}

// Board is the CLIPBOARD selection, owned by gitpat's own X connection. It
// connects on first use; if that fails it hands every call to Fallback.
// Its methods may be called from any goroutine.
type Board struct {
	Display  string // the X display; "" for $DISPLAY
	Fallback Plain  // used when the X server cannot be reached; nil: nothing

	setMu sync.Mutex // one SetContent/SetSecret at a time
	mu    sync.Mutex // guards the fields below; the event loop takes it too
	conn  *xgb.Conn
	win   xproto.Window
	a     atoms
	err   error // why the X server could not be reached: the fallback is used
	done  bool  // closed, or the connection was lost
	cur   offer
	owned bool
	stamp chan xproto.Timestamp
}

// Content is the text gitpat offers while it owns the clipboard, and ""
// when something else (or nothing) owns it: what another program copied
// is never gitpat's to compare or clear.
func (b *Board) Content() string {
	if b.fallback() {
		return b.Fallback.Content()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.owned {
		return ""
	}
	return b.cur.text
}

// SetContent offers s as plain text; "" gives the clipboard up if it is
// still gitpat's.
func (b *Board) SetContent(s string) { b.set(s, false) }

// SetSecret offers s with the password manager hint.
func (b *Board) SetSecret(s string) { b.set(s, true) }

// Standalone reports whether the board works on its own connection, and so
// still works after the toolkit has shut down: false when the X server
// could not be reached and the fallback (the toolkit's clipboard) is used,
// without the hint.
func (b *Board) Standalone() bool { return !b.fallback() }

// Owned reports whether gitpat owns the clipboard now.
func (b *Board) Owned() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.owned
}

// Close gives the clipboard up if it is still gitpat's and closes the
// connection.
func (b *Board) Close() {
	b.set("", false)
	b.mu.Lock()
	c := b.conn
	b.conn, b.done = nil, true
	b.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

func (b *Board) fallback() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err != nil && b.Fallback != nil
}

func (b *Board) set(s string, secret bool) {
	b.setMu.Lock()
	defer b.setMu.Unlock()
	if s == "" {
		b.release()
		return
	}
	if err := b.connect(); err != nil {
		if b.fallback() {
			b.Fallback.SetContent(s)
		}
		return
	}
	if err := b.own(offer{text: s, secret: secret}); err != nil {
		b.mu.Lock()
		b.owned = false
		b.cur = offer{}
		b.mu.Unlock()
	}
}

// connect opens the connection and the window that owns the selection,
// once.
func (b *Board) connect() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.conn != nil:
		return nil
	case b.err != nil:
		return b.err
	case b.done:
		return errors.New("the clipboard is closed")
	}
	c, win, a, err := dial(b.Display)
	if err != nil {
		b.err = err
		return err
	}
	b.conn, b.win, b.a = c, win, a
	b.stamp = make(chan xproto.Timestamp, 1)
	go b.loop(c)
	return nil
}

func dial(display string) (*xgb.Conn, xproto.Window, atoms, error) {
	c, err := xgb.NewConnDisplay(display)
	if err != nil {
		return nil, 0, atoms{}, fmt.Errorf("connecting to the X server: %w", err)
	}
	fail := func(err error) (*xgb.Conn, xproto.Window, atoms, error) {
		c.Close()
		return nil, 0, atoms{}, err
	}
	// Ask for every atom at once, then read the answers.
	cookies := make([]xproto.InternAtomCookie, len(atomNames))
	for i, n := range atomNames {
		cookies[i] = xproto.InternAtom(c, false, uint16(len(n)), n)
	}
	ids := make([]xproto.Atom, len(atomNames))
	for i, ck := range cookies {
		r, err := ck.Reply()
		if err != nil {
			return fail(fmt.Errorf("interning %s: %w", atomNames[i], err))
		}
		ids[i] = r.Atom
	}
	win, err := xproto.NewWindowId(c)
	if err != nil {
		return fail(err)
	}
	root := xproto.Setup(c).DefaultScreen(c).Root
	// An unmapped input-only window: it is never shown, and it hears its
	// own property changes (for the server time, ICCCM 2.1).
	err = xproto.CreateWindowChecked(c, 0, win, root, 0, 0, 1, 1, 0, xproto.WindowClassInputOnly, 0,
		xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange}).Check()
	if err != nil {
		return fail(fmt.Errorf("creating the clipboard window: %w", err))
	}
	return c, win, atomsFrom(ids), nil
}

// own takes the selection for o at a server time, and checks it took.
func (b *Board) own(o offer) error {
	b.mu.Lock()
	c, win, a := b.conn, b.win, b.a
	b.mu.Unlock()
	if c == nil {
		return errors.New("no connection")
	}
	// ICCCM 2.1: take the selection at a real server time, never
	// CurrentTime; a zero-length append to a property of our own window
	// yields a PropertyNotify carrying one.
	select {
	case <-b.stamp: // a stale one
	default:
	}
	xproto.ChangeProperty(c, xproto.PropModeAppend, win, a.stampProperty, a.str, 8, 0, nil)
	var t xproto.Timestamp
	select {
	case t = <-b.stamp:
	case <-time.After(stampTimeout):
		return errors.New("the X server sent no time")
	}
	o.since = t
	b.mu.Lock()
	b.cur, b.owned = o, true
	b.mu.Unlock()
	if err := xproto.SetSelectionOwnerChecked(c, win, a.clipboard, t).Check(); err != nil {
		return err
	}
	// ICCCM 2.1: SetSelectionOwner has no reply; ask who owns it now.
	r, err := xproto.GetSelectionOwner(c, a.clipboard).Reply()
	if err != nil {
		return err
	}
	if r.Owner != win {
		return errors.New("the X server did not give gitpat the clipboard")
	}
	return nil
}

// release gives the selection up at the time it was taken, so the X server
// ignores it if anyone has taken the selection since.
func (b *Board) release() {
	if b.fallback() {
		b.Fallback.SetContent("")
		return
	}
	b.mu.Lock()
	c, a, o, owned := b.conn, b.a, b.cur, b.owned
	b.owned, b.cur = false, offer{}
	b.mu.Unlock()
	if c == nil || !owned || o.since == xproto.TimeCurrentTime {
		return // never give up "at CurrentTime": that would clear a newer owner
	}
	// Errors here mean the connection is gone, and the selection with it.
	_ = xproto.SetSelectionOwnerChecked(c, xproto.AtomNone, a.clipboard, o.since).Check()
}

// loop answers the X server's events until the connection closes.
func (b *Board) loop(c *xgb.Conn) {
	for {
		ev, xerr := c.WaitForEvent()
		if ev == nil && xerr == nil {
			b.mu.Lock()
			if b.conn == c {
				b.owned, b.cur = false, offer{}
				b.conn, b.done = nil, true
			}
			b.mu.Unlock()
			return
		}
		switch e := ev.(type) {
		case xproto.PropertyNotifyEvent:
			b.mu.Lock()
			mine := e.Window == b.win && e.Atom == b.a.stampProperty
			b.mu.Unlock()
			if mine {
				select {
				case b.stamp <- e.Time:
				default:
				}
			}
		case xproto.SelectionClearEvent:
			b.mu.Lock()
			// A clear older than our current ownership is about an earlier one.
			if e.Selection == b.a.clipboard && e.Time >= b.cur.since {
				b.owned, b.cur = false, offer{}
			}
			b.mu.Unlock()
		case xproto.SelectionRequestEvent:
			b.answer(c, e)
		}
		// X errors (xerr) come from requests to a requestor's window that
		// went away meanwhile; there is nothing to do about them.
	}
}

// answer converts the selection for a requestor (ICCCM 2.2): store the
// data in the requestor's property, then tell it with SelectionNotify,
// whose property is None when the conversion is refused.
func (b *Board) answer(c *xgb.Conn, e xproto.SelectionRequestEvent) {
	b.mu.Lock()
	a, o := b.a, b.cur
	ok := b.owned && e.Owner == b.win && e.Selection == a.clipboard && o.accepts(e.Time)
	b.mu.Unlock()

	prop := e.Property
	if prop == xproto.AtomNone {
		prop = e.Target // an obsolete requestor (ICCCM 2.2)
	}
	set := func(prop xproto.Atom, p property) {
		xproto.ChangeProperty(c, xproto.PropModeReplace, e.Requestor, prop, p.typ, p.format, p.items(), p.data)
	}
	switch {
	case !ok:
	case e.Target == a.multiple:
		ok = e.Property != xproto.AtomNone && b.answerMultiple(c, e, a, o, set)
	default:
		var p property
		if p, ok = a.convert(o, e.Target); ok {
			set(prop, p)
		}
	}
	if !ok {
		prop = xproto.AtomNone
	}
	n := xproto.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor, Selection: e.Selection, Target: e.Target, Property: prop}
	xproto.SendEvent(c, false, e.Requestor, xproto.EventMaskNoEvent, string(n.Bytes()))
}

func (b *Board) answerMultiple(c *xgb.Conn, e xproto.SelectionRequestEvent, a atoms, o offer, set func(xproto.Atom, property)) bool {
	r, err := xproto.GetProperty(c, false, e.Requestor, e.Property, a.atomPair, 0, 1024).Reply()
	if err != nil || r.Format != 32 {
		return false
	}
	pairs := make([]xproto.Atom, r.ValueLen)
	for i := range pairs {
		pairs[i] = xproto.Atom(xgb.Get32(r.Value[4*i:]))
	}
	out := a.convertMultiple(o, pairs, set)
	set(e.Property, property{a.atomPair, 32, atomList(out)})
	return true
}
