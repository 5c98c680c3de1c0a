package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
)

// illustrationSize is the size a step's drawing is shown at in the
// steps column (drawings are 480x300; a click shows them larger).
var illustrationSize = fyne.NewSize(352, 220)

// stepsPanel is the left side: the numbered steps, each with its drawing,
// and the host's notes.
func stepsPanel(h *hosts.Host, illustration func(string) (fyne.Resource, error), win fyne.Window) fyne.CanvasObject {
	box := container.NewVBox(heading("How to create the token"))
	for i, s := range h.Steps {
		text := widget.NewLabel(s.Text)
		text.Wrapping = fyne.TextWrapWord
		text.Selectable = true
		box.Add(container.NewBorder(nil, nil, container.NewVBox(numberBadge(i+1)), nil, text))
		if illustration == nil || s.Illustration == "" {
			continue
		}
		if res, err := illustration(s.Illustration); err == nil {
			box.Add(container.NewCenter(newPicture(res, fmt.Sprintf("Step %d", i+1), win)))
		}
	}
	if len(h.Notes) > 0 {
		box.Add(widget.NewSeparator())
		box.Add(heading("Good to know"))
		for _, n := range h.Notes {
			box.Add(noteRow(n.Level, n.Text, "", n.Link))
		}
	}
	return container.NewPadded(box)
}

func heading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// numberBadge is a step's number in a filled circle.
func numberBadge(n int) fyne.CanvasObject {
	circle := canvas.NewCircle(theme.Color(theme.ColorNamePrimary))
	label := canvas.NewText(fmt.Sprint(n), color.White)
	label.TextStyle = fyne.TextStyle{Bold: true}
	label.Alignment = fyne.TextAlignCenter
	size := fyne.NewSize(28, 28)
	bg := canvas.NewRectangle(color.Transparent)
	bg.SetMinSize(size)
	return container.NewPadded(container.NewStack(bg, circle, container.NewCenter(label)))
}

// picture is a step's drawing; a tap shows it larger.
type picture struct {
	widget.BaseWidget
	img   *canvas.Image
	res   fyne.Resource
	title string
	win   fyne.Window
}

func newPicture(res fyne.Resource, title string, win fyne.Window) *picture {
	img := canvas.NewImageFromResource(res)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(illustrationSize)
	p := &picture{img: img, res: res, title: title, win: win}
	p.ExtendBaseWidget(p)
	return p
}

func (p *picture) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.img) }

// Tapped shows the drawing at full window size.
func (p *picture) Tapped(*fyne.PointEvent) {
	if p.win == nil {
		return
	}
	big := canvas.NewImageFromResource(p.res)
	big.FillMode = canvas.ImageFillContain
	big.SetMinSize(fyne.NewSize(720, 450))
	d := dialog.NewCustom(p.title, "Close", big, p.win)
	d.Show()
}

// Cursor says the drawing can be clicked.
func (p *picture) Cursor() desktop.Cursor { return desktop.PointerCursor }
