package ui

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"runtime"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	xdraw "golang.org/x/image/draw"
)

// picture is a step's drawing; a click, or Enter or Space when it has the
// focus, shows it larger.
//
// It is drawn by a canvas.Raster, which the painter asks for the drawing
// at the size in pixels it paints it at: the PNG prepared at that size
// (Deps.Illustration) is decoded off the UI goroutine, and until it is
// ready a plain panel of the same size, the drawings' own background,
// stands in, so the window's first frame does not wait for the drawings
// and nothing moves when they come. The panel lies under the drawing,
// just inside its frame, so the drawing covers it once painted.
// Given at the size it is shown at, the drawing goes to the GPU as it is:
// Fyne scales an image in software when its pixels are not the size
// painted.
type picture struct {
	widget.BaseWidget
	ui       *UI
	name     string // the illustration's name
	title    string
	hasFocus bool
	raster   *canvas.Raster
	panel    *canvas.Rectangle // the drawing's background, under it

	img     *image.RGBA // the drawing at the size last painted; nil until decoded, or once released
	loading image.Point // the size being decoded; zero when none
	onShown func()      // called once, when the drawing is first painted or could not be decoded
}

// panelColor is the drawings' own background (every drawing is framed by
// a 480x300 rectangle with rx="10" of that colour).
var panelColor = color.NRGBA{0xee, 0xf1, 0xf5, 0xff}

func newPicture(u *UI, name, title string) *picture {
	p := &picture{ui: u, name: name, title: title}
	p.raster = canvas.NewRaster(p.generate)
	p.panel = canvas.NewRectangle(panelColor)
	p.panel.CornerRadius = 10 * illustrationSize.Width / 480
	p.ExtendBaseWidget(p)
	return p
}

// transparent is what the raster paints until the drawing is decoded: a
// 1x1 texture. (An image.Uniform, which the GL painter also takes as one,
// has no bounds for Fyne's software painter, used by its test driver.)
var transparent = image.NewRGBA(image.Rect(0, 0, 1, 1))

// generate is the raster's: the drawing at w x h pixels if it is decoded,
// else nothing, and the decoding starts. The painter calls it on the UI
// goroutine when it makes the texture, that is when the raster is first
// painted at a size, or after it was refreshed.
func (p *picture) generate(w, h int) image.Image {
	size := image.Pt(w, h)
	if p.img != nil && p.img.Rect.Size() == size {
		p.shown()
		return p.img
	}
	if p.loading != size && w > 0 && h > 0 {
		p.loading = size
		p.ui.drawings.add(func() { p.load(size) })
	}
	return transparent
}

// load decodes the drawing at size, on a decoding goroutine, and hands it
// to the UI goroutine, which paints it unless another size was asked for
// since.
func (p *picture) load(size image.Point) {
	img, err := decodeDrawing(p.ui.deps.Illustration, p.name, size)
	p.ui.do(func() {
		if p.loading != size {
			return
		}
		p.loading = image.Point{}
		if err != nil {
			fyne.LogError("drawing "+p.name, err)
			p.shown()
			return
		}
		p.img = img
		p.raster.Refresh()
	})
}

// shown calls onShown the first time.
func (p *picture) shown() {
	if f := p.onShown; f != nil {
		p.onShown = nil
		f()
	}
}

// release lets the decoded drawing go (its tab is no longer shown): the
// GPU keeps its texture, so the tab shows it again at once, until Fyne
// lets it expire or dropTexture drops it; painted again without it, the
// drawing is decoded again.
func (p *picture) release() {
	p.img = nil
}

// dropTexture has the GPU's copy freed at the next frame (the raster is
// not painted while its tab is hidden, so nothing makes it again).
func (p *picture) dropTexture() {
	p.img = nil
	p.raster.Refresh()
}

// decodeDrawing reads the named drawing prepared for size's width, and
// scales it to size if it was prepared at another (a screen at scale
// 1.5, say). It returns premultiplied RGBA, which Fyne hands to the GPU
// without converting it.
func decodeDrawing(get func(string, int) (fyne.Resource, error), name string, size image.Point) (*image.RGBA, error) {
	if get == nil {
		return nil, fmt.Errorf("no drawings")
	}
	res, err := get(name, size.X)
	if err != nil {
		return nil, err
	}
	src, err := png.Decode(bytes.NewReader(res.Content()))
	if err != nil {
		return nil, err
	}
	dst := image.NewRGBA(image.Rectangle{Max: size})
	if src.Bounds().Size() == size {
		xdraw.Draw(dst, dst.Rect, src, src.Bounds().Min, xdraw.Src)
	} else {
		xdraw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), xdraw.Src, nil)
	}
	return dst, nil
}

// decoder runs the decoding of drawings in the order they were asked for,
// on as many goroutines as leave a core to the UI goroutine. When it has
// nothing left to do it calls idle, on its own goroutine.
type decoder struct {
	mu      sync.Mutex
	queue   []func()
	running int
	idle    func()
}

func (d *decoder) add(job func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.queue = append(d.queue, job)
	if d.running < max(1, runtime.NumCPU()-1) {
		d.running++
		go d.work()
	}
}

func (d *decoder) work() {
	for {
		d.mu.Lock()
		if len(d.queue) == 0 {
			d.running--
			last := d.running == 0
			d.mu.Unlock()
			if last && d.idle != nil {
				d.idle()
			}
			return
		}
		job := d.queue[0]
		d.queue = d.queue[1:]
		d.mu.Unlock()
		job()
	}
}

// CreateRenderer draws the panel or the drawing, with a focus ring.
func (p *picture) CreateRenderer() fyne.WidgetRenderer {
	return newRingRenderer(p, &pictureRenderer{p: p}, func() bool { return p.hasFocus })
}

type pictureRenderer struct{ p *picture }

func (r *pictureRenderer) Layout(size fyne.Size) {
	r.p.panel.Move(fyne.NewPos(1, 1))
	r.p.panel.Resize(size.SubtractWidthHeight(2, 2))
	r.p.raster.Resize(size)
}

func (r *pictureRenderer) MinSize() fyne.Size { return illustrationSize }

// Refresh leaves the raster alone: the drawing does not change with the
// theme or the focus, and refreshing the raster would decode it again.
func (r *pictureRenderer) Refresh() {}

func (r *pictureRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.p.panel, r.p.raster}
}

func (r *pictureRenderer) Destroy() {}

// Tapped shows the drawing at full window size.
func (p *picture) Tapped(*fyne.PointEvent) { p.enlarge() }

func (p *picture) enlarge() {
	if p.ui == nil || p.ui.win == nil || p.ui.deps.Illustration == nil {
		return
	}
	res, err := p.ui.deps.Illustration(p.name, bigDrawing)
	if err != nil {
		return
	}
	big := canvas.NewImageFromResource(res)
	big.FillMode = canvas.ImageFillContain
	big.SetMinSize(fyne.NewSize(640, 400))
	caption := widget.NewLabel(p.title)
	caption.Wrapping = fyne.TextWrapWord
	p.ui.ask("Drawing", container.NewBorder(nil, caption, nil, nil, big),
		choice{label: "Close", isDefault: true, isCancel: true, importance: widget.HighImportance})
}

// bigDrawing is the width asked for in the enlarged view: the widest
// prepared.
const bigDrawing = 720

// Cursor says the drawing can be clicked.
func (p *picture) Cursor() desktop.Cursor { return desktop.PointerCursor }

// FocusGained shows the ring.
func (p *picture) FocusGained() { p.hasFocus = true; p.Refresh(); p.ui.revealFocus(p) }

// FocusLost hides the ring.
func (p *picture) FocusLost() { p.hasFocus = false; p.Refresh() }

// TypedRune ignores typing.
func (p *picture) TypedRune(rune) {}

// TypedKey shows the drawing larger on Enter or Space; Esc closes the
// dialog on top.
func (p *picture) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		p.enlarge()
	case fyne.KeyEscape:
		p.ui.escape()
	}
}
