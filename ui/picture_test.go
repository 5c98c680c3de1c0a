package ui

import (
	"image"
	"image/color"
	"sync"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/gitpat/gitpat/assets"
)

// TestDrawingsPreparedAtTheirSize: the steps show a drawing at the size
// assets prepares it for (times 1 and 2), so it is never scaled.
func TestDrawingsPreparedAtTheirSize(t *testing.T) {
	if illustrationSize != fyne.NewSize(assets.StepWidth, assets.StepHeight) {
		t.Fatalf("steps show drawings at %v, assets prepares them at %dx%d", illustrationSize, assets.StepWidth, assets.StepHeight)
	}
	f := newFixture(t, nil)
	for _, p := range f.ui.hostUI[0].drawn {
		if p.MinSize() != illustrationSize || p.Size() != illustrationSize {
			t.Errorf("%s: min %v, size %v", p.name, p.MinSize(), p.Size())
		}
	}
}

// TestDrawingIsDecodedOffTheUIGoroutine: the painter gets nothing at
// first and the drawing is decoded in the background, at the size in
// pixels it is painted at, then painted as it is; a tab left lets it go.
func TestDrawingIsDecodedOffTheUIGoroutine(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.ui.hostUI[0]
	if len(tab.drawn) == 0 {
		t.Fatal("the GitHub tab has no drawings")
	}
	p := tab.drawn[0]
	var mu sync.Mutex
	var asked []int
	f.ui.deps.Illustration = func(name string, px int) (fyne.Resource, error) {
		mu.Lock()
		asked = append(asked, px)
		mu.Unlock()
		return blankDrawing(name, max(288, min(576, (px+287)/288*288))) // prepared as assets does it
	}
	paint := func(w, h int) *image.RGBA {
		t.Helper()
		if got := p.generate(w, h); got != image.Image(transparent) {
			t.Fatalf("at %dx%d the painter got %T before the drawing was decoded", w, h, got)
		}
		waitFor(t, f.ui, func() bool { return p.img != nil && p.img.Rect.Size() == image.Pt(w, h) })
		img, ok := p.generate(w, h).(*image.RGBA)
		if !ok || img != p.img {
			t.Fatalf("at %dx%d the painter got %T, not the decoded drawing", w, h, img)
		}
		if c := img.RGBAAt(w/2, h/2); c != (color.RGBA{0x20, 0x40, 0x60, 0xff}) {
			t.Errorf("at %dx%d the middle is %v", w, h, c)
		}
		return img
	}
	paint(288, 180) // scale 1
	paint(576, 360) // scale 2
	paint(432, 270) // scale 1.5: the 576 px drawing, scaled down
	mu.Lock()
	if want := []int{288, 576, 432}; len(asked) != 3 || asked[0] != want[0] || asked[1] != want[1] || asked[2] != want[2] {
		t.Errorf("asked for widths %v, want %v", asked, want)
	}
	mu.Unlock()

	f.ui.tabs.SelectIndex(1)
	for _, q := range tab.drawn {
		if q.img != nil {
			t.Fatalf("%s still decoded after its tab was left", q.name)
		}
	}
	f.ui.tabs.SelectIndex(0)
	paint(288, 180) // decoded again when painted again
}

// TestTheTabJustLeftKeepsItsDrawings: the GPU keeps the drawings of the
// host tab just left, and no other hidden tab's, so going back is
// immediate and visiting every tab does not pile textures up.
func TestTheTabJustLeftKeepsItsDrawings(t *testing.T) {
	f := newFixture(t, nil)
	tabs := f.ui.hostUI
	kept := func() string {
		if f.ui.keptDrawings == nil {
			return "none"
		}
		return f.ui.keptDrawings.host.Name
	}
	for _, step := range []struct {
		show int
		want string
	}{
		{1, tabs[0].host.Name}, // GitHub left
		{2, tabs[1].host.Name}, // GitLab left: GitHub's dropped
		{1, tabs[2].host.Name}, // back to GitLab: the one just left kept
		{2, tabs[1].host.Name},
		{2, tabs[1].host.Name}, // shown again: nothing changes
	} {
		f.ui.tabs.SelectIndex(step.show)
		if kept() != step.want {
			t.Errorf("showing %s, the GPU keeps the drawings of %s, want %s", tabs[step.show].host.Name, kept(), step.want)
		}
	}
}
