//go:build xvfb

package ui

import (
	"bytes"
	"errors"
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

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/xframe"
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
	x, err := xframe.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.Close)

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
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if s := stderr.String(); strings.Contains(s, "DATA RACE") || strings.Contains(s, "panic") {
			t.Errorf("gitpat's stderr:\n%s", s)
		} else if t.Failed() {
			t.Logf("gitpat's stderr:\n%s", s)
		}
	})
	exited := func() error {
		select {
		case <-done:
			return errors.New("gitpat ended before it painted a frame")
		default:
			return nil
		}
	}

	win, _, _, frame, err := x.FirstFrame(cmd.Process.Pid, exited, 60*time.Second)
	if err != nil {
		t.Fatal(err) // the cleanup logs gitpat's stderr
	}
	time.Sleep(time.Second)
	next := win.Grab()
	if next == nil {
		t.Fatal("the window could not be read back")
	}
	return frame.Image(), next.Image()
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
