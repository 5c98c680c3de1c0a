// Package xframe watches an app's window on an X server (Xvfb, in the
// first-frame test and the start-up benchmark): when the window of a
// process is mapped, when it first shows a painted frame, and what it
// shows. It needs the DAMAGE and XFIXES extensions, which Xvfb has.
package xframe

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"slices"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/damage"
	"github.com/jezek/xgb/xfixes"
	"github.com/jezek/xgb/xproto"
)

// Display is a connection to the X server in $DISPLAY that hears of every
// window mapped on the root window.
type Display struct {
	Conn   *xgb.Conn
	Root   xproto.Window
	Events chan xgb.Event // every event, until the connection closes
	pidAtm xproto.Atom
}

// Open connects to the X server in $DISPLAY.
func Open() (*Display, error) {
	c, err := xgb.NewConn()
	if err != nil {
		return nil, err
	}
	d, err := setUp(c)
	if err != nil {
		c.Close()
		return nil, err
	}
	go func() {
		for {
			ev, err := c.WaitForEvent()
			if ev == nil && err == nil {
				close(d.Events)
				return
			}
			if ev != nil {
				d.Events <- ev
			}
		}
	}()
	return d, nil
}

func setUp(c *xgb.Conn) (*Display, error) {
	if err := damage.Init(c); err != nil {
		return nil, fmt.Errorf("DAMAGE: %w", err)
	}
	if err := xfixes.Init(c); err != nil {
		return nil, fmt.Errorf("XFIXES: %w", err)
	}
	if _, err := damage.QueryVersion(c, 1, 1).Reply(); err != nil {
		return nil, err
	}
	if _, err := xfixes.QueryVersion(c, 5, 0).Reply(); err != nil {
		return nil, err
	}
	d := &Display{Conn: c, Root: xproto.Setup(c).DefaultScreen(c).Root, Events: make(chan xgb.Event, 256)}
	if err := xproto.ChangeWindowAttributesChecked(c, d.Root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		return nil, err
	}
	a, err := xproto.InternAtom(c, false, uint16(len("_NET_WM_PID")), "_NET_WM_PID").Reply()
	if err != nil {
		return nil, err
	}
	d.pidAtm = a.Atom
	return d, nil
}

// Close closes the connection.
func (d *Display) Close() { d.Conn.Close() }

// Drain drops the events not read yet (those of an earlier run).
func (d *Display) Drain() {
	for {
		select {
		case <-d.Events:
		default:
			return
		}
	}
}

// pidOf reads a window's _NET_WM_PID; 0 when it has none.
func (d *Display) pidOf(w xproto.Window) int {
	p, err := xproto.GetProperty(d.Conn, false, w, d.pidAtm, xproto.AtomCardinal, 0, 1).Reply()
	if err != nil || p.ValueLen != 1 {
		return 0
	}
	return int(xgb.Get32(p.Value))
}

// Window is the window of a process, watched for damage.
type Window struct {
	d   *Display
	ID  xproto.Window
	dmg damage.Damage
}

// FirstFrame waits, for at most timeout, for the process pid to map a
// window and for that window to show its first painted frame (see
// Frame.Painted). It returns the window, when it was mapped and when the
// frame was read, and the frame. A damage event may be missed: the window
// is also read every 50 ms, when exited is asked whether the process has
// ended (nil: it is not asked).
func (d *Display) FirstFrame(pid int, exited func() error, timeout time.Duration) (w *Window, mapped, painted time.Time, first *Frame, err error) {
	deadline := time.After(timeout)
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	read := func() bool {
		first = w.Grab()
		if first.Painted() {
			painted = time.Now()
			return true
		}
		return false
	}
	for {
		select {
		case ev, ok := <-d.Events:
			if !ok {
				return nil, mapped, painted, nil, errors.New("the X server closed the connection")
			}
			switch e := ev.(type) {
			case xproto.MapNotifyEvent:
				if w != nil || e.Event != d.Root || d.pidOf(e.Window) != pid {
					continue
				}
				mapped = time.Now()
				dmg, err := damage.NewDamageId(d.Conn)
				if err != nil {
					return nil, mapped, painted, nil, err
				}
				damage.Create(d.Conn, dmg, xproto.Drawable(e.Window), damage.ReportLevelNonEmpty)
				w = &Window{d: d, ID: e.Window, dmg: dmg}
				if read() {
					return w, mapped, painted, first, nil
				}
			case damage.NotifyEvent:
				if w != nil && w.Damaged(e) && read() {
					return w, mapped, painted, first, nil
				}
			}
		case <-poll.C:
			if w != nil && read() {
				return w, mapped, painted, first, nil
			}
			if exited != nil {
				if err := exited(); err != nil {
					return nil, mapped, painted, nil, err
				}
			}
		case <-deadline:
			return nil, mapped, painted, nil, fmt.Errorf("no window painted within %s", timeout)
		}
	}
}

// Damaged reports whether ev says the window changed.
func (w *Window) Damaged(ev xgb.Event) bool {
	e, ok := ev.(damage.NotifyEvent)
	return ok && e.Damage == w.dmg
}

// Grab reads back the part of the window on the screen, in window
// coordinates, and takes its damage so far as seen; nil when it cannot.
func (w *Window) Grab() *Frame {
	c := w.d.Conn
	damage.Subtract(c, w.dmg, 0, 0)
	g, err := xproto.GetGeometry(c, xproto.Drawable(w.ID)).Reply()
	if err != nil || g.Width == 0 || g.Height == 0 {
		return nil
	}
	s := xproto.Setup(c).DefaultScreen(c)
	r := image.Rect(0, 0, int(g.Width), int(g.Height)).Intersect(
		image.Rect(0, 0, int(s.WidthInPixels), int(s.HeightInPixels)).Sub(image.Pt(int(g.X), int(g.Y))))
	if r.Empty() {
		return nil
	}
	img, err := xproto.GetImage(c, xproto.ImageFormatZPixmap, xproto.Drawable(w.ID), int16(r.Min.X), int16(r.Min.Y),
		uint16(r.Dx()), uint16(r.Dy()), 0xffffffff).Reply()
	if err != nil || len(img.Data) < 4*r.Dx()*r.Dy() {
		return nil
	}
	return &Frame{Rect: r, bgrx: img.Data}
}

// Close stops watching the window.
func (w *Window) Close() { damage.Destroy(w.d.Conn, w.dmg) }

// Frame is a window read back, as the X server holds it (BGRX: blue,
// green, red and a byte unused, per pixel); Image converts it.
type Frame struct {
	Rect image.Rectangle
	bgrx []byte
}

// Equal reports whether two frames show the same pixels.
func (f *Frame) Equal(o *Frame) bool {
	return f != nil && o != nil && f.Rect == o.Rect && bytes.Equal(f.bgrx, o.bgrx)
}

// Painted says whether the frame shows more than a blank background (more
// than 8 colours), drawn to the window's far corner: at scale 2 Fyne's
// first frame is drawn before its framebuffer takes the window's size and
// covers only part of the window, the rest left black, and no theme's
// background is black. A nil frame is not painted.
func (f *Frame) Painted() bool {
	if f == nil {
		return false
	}
	corner := 4 * (f.Rect.Dx()*f.Rect.Dy() - 1)
	if f.bgrx[corner] == 0 && f.bgrx[corner+1] == 0 && f.bgrx[corner+2] == 0 {
		return false
	}
	var seen []uint32
	for i := 0; i+3 < len(f.bgrx); i += 4 {
		c := uint32(f.bgrx[i]) | uint32(f.bgrx[i+1])<<8 | uint32(f.bgrx[i+2])<<16
		if !slices.Contains(seen, c) {
			seen = append(seen, c)
			if len(seen) > 8 {
				return true
			}
		}
	}
	return false
}

// Image is the frame as an opaque RGBA image.
func (f *Frame) Image() *image.RGBA {
	img := image.NewRGBA(f.Rect)
	for i := 0; i+3 < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = f.bgrx[i+2], f.bgrx[i+1], f.bgrx[i], 0xff
	}
	return img
}
