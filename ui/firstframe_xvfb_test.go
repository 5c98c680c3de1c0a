//go:build xvfb

package ui

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"github.com/jezek/xgb"
	"github.com/jezek/xgb/damage"
	"github.com/jezek/xgb/xfixes"
	"github.com/jezek/xgb/xproto"

	"github.com/gitpat/gitpat/hosts"
)

// TestFirstFrameShowsTheSteps: the first frame gitpat's window
// paints (the first read back from the X server that is more than a blank
// background) already shows the GitHub tab's steps, their text where the
// layout puts it, at scale 1 and 2. Where each line of the heading and of
// the first steps goes comes from the same window laid out by Fyne's test
// driver; a line counts as shown when its box holds ink, pixels far from
// the column's background. The frames land in GITPAT_XVFB_OUT. Run it
// on a screen the window fits at scale 2 (make first-frame-test).
func TestFirstFrameShowsTheSteps(t *testing.T) {
	lines := firstFrameLines(t)
	if len(lines) < 5 {
		t.Fatalf("the layout has %d lines of steps", len(lines))
	}
	for _, scale := range []int{1, 2} {
		t.Run(fmt.Sprintf("scale %d", scale), func(t *testing.T) {
			first, later := firstFrames(t, scale)
			save(t, first, fmt.Sprintf("first-frame-scale%d.png", scale))
			save(t, later, fmt.Sprintf("after-1s-scale%d.png", scale))
			bounds := first.Bounds()
			checked := 0
			for _, l := range lines {
				box := image.Rect(int(l.pos.X)*scale, int(l.pos.Y)*scale,
					int(l.pos.X+l.size.Width)*scale, int(l.pos.Y+l.size.Height)*scale).Intersect(bounds)
				if box.Dx() < 20*scale || box.Dy() < 10*scale {
					continue // off the screen (at scale 2 the window is larger than Xvfb's)
				}
				bg := first.At(box.Min.X-4*scale, box.Min.Y) // the padding left of the line
				if n := ink(first, box, bg); n < box.Dx()*box.Dy()/50 {
					t.Errorf("first frame: the line %q at %v has %d pixels of ink", l.text, box, n)
				}
				checked++
			}
			if checked < 4 {
				t.Errorf("only %d lines of steps on the screen", checked)
			}
		})
	}
}

// line is a line of text the steps column shows, in window coordinates.
type line struct {
	text string
	pos  fyne.Position
	size fyne.Size
}

// firstFrameLines lays the window out as gitpat opens it (1000x720, the
// GitHub tab's first frame) with Fyne's test driver and lists where the
// heading's and the steps' lines go.
func firstFrameLines(t *testing.T) []line {
	t.Helper()
	a := test.NewTempApp(t)
	u := New(a, Deps{Hosts: hosts.All(), Illustration: blankDrawing})
	t.Cleanup(u.Close)
	u.win.Resize(fyne.NewSize(1000, 720))
	u.prepare()
	u.win.Canvas().Content().Refresh()
	d := fyne.CurrentApp().Driver()
	var out []line
	walk(u.hostUI[0].steps, func(o fyne.CanvasObject) {
		p, ok := o.(*paragraph)
		if !ok {
			return
		}
		for _, c := range test.WidgetRenderer(p).Objects() {
			if txt, ok := c.(*canvas.Text); ok && txt.Text != "" {
				out = append(out, line{txt.Text, d.AbsolutePositionForObject(txt), txt.MinSize()})
			}
		}
	})
	return out
}

// firstFrames starts gitpat at a scale and reads its window back: the
// first frame with content, and the window a second later.
func firstFrames(t *testing.T, scale int) (first, later image.Image) {
	t.Helper()
	c, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if err := damage.Init(c); err != nil {
		t.Fatal(err)
	}
	if err := xfixes.Init(c); err != nil {
		t.Fatal(err)
	}
	if _, err := damage.QueryVersion(c, 1, 1).Reply(); err != nil {
		t.Fatal(err)
	}
	if _, err := xfixes.QueryVersion(c, 5, 0).Reply(); err != nil {
		t.Fatal(err)
	}
	root := xproto.Setup(c).DefaultScreen(c).Root
	if err := xproto.ChangeWindowAttributesChecked(c, root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		t.Fatal(err)
	}
	pidAtom, err := xproto.InternAtom(c, false, uint16(len("_NET_WM_PID")), "_NET_WM_PID").Reply()
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan xgb.Event, 64)
	go func() {
		for {
			ev, err := c.WaitForEvent()
			if ev == nil && err == nil {
				return
			}
			if ev != nil {
				events <- ev
			}
		}
	}()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=open", "HOME="+t.TempDir(), "LANG=en_US.UTF-8", fmt.Sprintf("FYNE_SCALE=%d", scale))
	// Built with -race (make first-frame-test), the child reports a data
	// race on its stderr when it happens; it is read once the child has
	// stopped.
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if strings.Contains(stderr.String(), "DATA RACE") || strings.Contains(stderr.String(), "panic") {
			t.Errorf("gitpat's stderr:\n%s", stderr.String())
		}
	})

	var win xproto.Window
	var dmg damage.Damage
	grab := func() image.Image {
		damage.Subtract(c, dmg, 0, 0)
		img, err := capture(c, win)
		if err != nil {
			return nil
		}
		return img
	}
	timeout := time.After(60 * time.Second)
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for first == nil {
		select {
		case ev := <-events:
			switch e := ev.(type) {
			case xproto.MapNotifyEvent:
				if win != 0 || e.Event != root {
					continue
				}
				p, err := xproto.GetProperty(c, false, e.Window, pidAtom.Atom, xproto.AtomCardinal, 0, 1).Reply()
				if err != nil || p.ValueLen != 1 || int(xgb.Get32(p.Value)) != cmd.Process.Pid {
					continue
				}
				win = e.Window
				if dmg, err = damage.NewDamageId(c); err != nil {
					t.Fatal(err)
				}
				damage.Create(c, dmg, xproto.Drawable(win), damage.ReportLevelNonEmpty)
				first = painted(grab())
			case damage.NotifyEvent:
				if win != 0 && e.Damage == dmg {
					first = painted(grab())
				}
			}
		case <-poll.C:
			if win != 0 {
				first = painted(grab())
			}
		case <-timeout:
			t.Fatal("no window painted within 60 s")
		}
	}
	time.Sleep(time.Second)
	if later = grab(); later == nil {
		t.Fatal("the window could not be read back")
	}
	return first, later
}

// capture reads the part of a window that is on the screen, in window
// coordinates.
func capture(c *xgb.Conn, win xproto.Window) (image.Image, error) {
	g, err := xproto.GetGeometry(c, xproto.Drawable(win)).Reply()
	if err != nil {
		return nil, err
	}
	s := xproto.Setup(c).DefaultScreen(c)
	onScreen := image.Rect(0, 0, int(g.Width), int(g.Height)).Intersect(
		image.Rect(0, 0, int(s.WidthInPixels), int(s.HeightInPixels)).Sub(image.Pt(int(g.X), int(g.Y))))
	if onScreen.Empty() {
		return nil, fmt.Errorf("the window is off the screen")
	}
	r, err := xproto.GetImage(c, xproto.ImageFormatZPixmap, xproto.Drawable(win), int16(onScreen.Min.X), int16(onScreen.Min.Y),
		uint16(onScreen.Dx()), uint16(onScreen.Dy()), 0xffffffff).Reply()
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(onScreen)
	for i := 0; i+3 < len(r.Data) && i < len(img.Pix); i += 4 { // BGRX
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = r.Data[i+2], r.Data[i+1], r.Data[i], 0xff
	}
	return img, nil
}

// painted is img if it shows a frame: more than a blank background (more
// than 8 colours), drawn to the window's far corner; else nil. At scale 2
// Fyne's first frame is drawn before its framebuffer takes the window's
// size and covers only part of the window, the rest left black (no
// theme's background is).
func painted(img image.Image) image.Image {
	if img == nil {
		return nil
	}
	b := img.Bounds()
	if r, g, bl, _ := img.At(b.Max.X-1, b.Max.Y-1).RGBA(); r == 0 && g == 0 && bl == 0 {
		return nil
	}
	seen := map[color.Color]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			if seen[img.At(x, y)] = true; len(seen) > 8 {
				return img
			}
		}
	}
	return nil
}

// ink counts the pixels in box far from the background colour bg.
func ink(img image.Image, box image.Rectangle, bg color.Color) int {
	br, bgr, bb, _ := bg.RGBA()
	n := 0
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if diff(r, br)+diff(g, bgr)+diff(b, bb) > 3*0x6000 {
				n++
			}
		}
	}
	return n
}

func diff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func save(t *testing.T, img image.Image, name string) {
	t.Helper()
	p := filepath.Join(outDir(t), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	t.Logf("frame %s", p)
}
