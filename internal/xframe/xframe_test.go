package xframe

import (
	"image"
	"testing"
)

// frame is a w x h frame filled by colour(x, y), as BGRX.
func frame(w, h int, colour func(x, y int) (r, g, b byte)) *Frame {
	f := &Frame{Rect: image.Rect(0, 0, w, h), bgrx: make([]byte, 4*w*h)}
	for y := range h {
		for x := range w {
			r, g, b := colour(x, y)
			i := 4 * (y*w + x)
			f.bgrx[i], f.bgrx[i+1], f.bgrx[i+2] = b, g, r
		}
	}
	return f
}

func TestPaintedIsMoreThanABackgroundToTheFarCorner(t *testing.T) {
	background := func(int, int) (byte, byte, byte) { return 0x1e, 0x1f, 0x24 }
	content := func(x, y int) (byte, byte, byte) {
		if x < 12 && y == 0 {
			return byte(20 * x), 0x80, 0x40 // twelve colours of text
		}
		return background(x, y)
	}
	blackCorner := func(x, y int) (byte, byte, byte) {
		if x > 30 && y > 30 {
			return 0, 0, 0 // the framebuffer not yet the window's size
		}
		return content(x, y)
	}
	for _, c := range []struct {
		name string
		f    *Frame
		want bool
	}{
		{"nothing read", nil, false},
		{"a blank background", frame(40, 40, background), false},
		{"content", frame(40, 40, content), true},
		{"content, the far corner black", frame(40, 40, blackCorner), false},
	} {
		if got := c.f.Painted(); got != c.want {
			t.Errorf("%s: painted %v", c.name, got)
		}
	}
}

func TestFramesCompareAndConvert(t *testing.T) {
	a := frame(3, 2, func(x, y int) (byte, byte, byte) { return 0x10, 0x20, byte(x + 3*y) })
	b := frame(3, 2, func(x, y int) (byte, byte, byte) { return 0x10, 0x20, byte(x + 3*y) })
	if !a.Equal(b) || a.Equal(nil) {
		t.Error("equal frames differ, or a frame equals nothing")
	}
	b.bgrx[4] = 0xff
	if a.Equal(b) {
		t.Error("frames with a pixel apart are equal")
	}
	img := a.Image()
	if got := img.RGBAAt(2, 1); got.R != 0x10 || got.G != 0x20 || got.B != 5 || got.A != 0xff {
		t.Errorf("pixel (2,1) converted to %v", got)
	}
}
