package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
)

// illustrationSize is the size a step's drawing is shown at in the
// steps column (drawings are 480x300, prepared at this size times 1 and 2;
// a click, or Enter, shows them larger). It leaves room for the form at
// 800 px.
// TestDrawingsPreparedAtTheirSize holds it to assets.StepWidth and
// StepHeight.
var illustrationSize = fyne.NewSize(288, 180)

// stepsPanel is the left side: the numbered steps, each with its drawing,
// and the host's notes. The text is plain (not selectable), so Tab goes
// from drawing to drawing and link to link, not through every sentence.
func stepsPanel(u *UI, h *hosts.Host) (fyne.CanvasObject, []*picture) {
	var pictures []*picture
	box := container.NewVBox(heading("How to create the " + h.CredentialNoun()))
	for i, s := range h.Steps {
		text := newParagraph(s.Text)
		box.Add(container.NewBorder(nil, nil, container.NewVBox(newNumberBadge(i+1)), nil, text))
		if u.deps.Illustration == nil || s.Illustration == "" {
			continue
		}
		p := newPicture(u, s.Illustration, fmt.Sprintf("Step %d: %s", i+1, s.Text))
		pictures = append(pictures, p)
		box.Add(container.NewCenter(p))
	}
	if len(h.Notes) > 0 {
		box.Add(widget.NewSeparator())
		box.Add(heading("Good to know"))
		for _, n := range h.Notes {
			box.Add(noteRow(u, n.Level, n.Text, "", n.Link))
		}
	}
	return container.NewPadded(box), pictures
}

func heading(text string) fyne.CanvasObject {
	l := newParagraph(text) // wraps: "How to create the HTTP access token" is wide at 800 px
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// numberBadge is a step's number in a filled circle, in the theme's
// primary colours (it follows a change of theme).
type numberBadge struct {
	widget.BaseWidget
	n int
}

func newNumberBadge(n int) *numberBadge {
	b := &numberBadge{n: n}
	b.ExtendBaseWidget(b)
	return b
}

// CreateRenderer draws the circle and the number.
func (b *numberBadge) CreateRenderer() fyne.WidgetRenderer {
	circle := canvas.NewCircle(color.Transparent)
	label := canvas.NewText(fmt.Sprint(b.n), color.Transparent)
	label.TextStyle = fyne.TextStyle{Bold: true}
	label.Alignment = fyne.TextAlignCenter
	r := &badgeRenderer{b: b, circle: circle, label: label}
	r.Refresh()
	return r
}

type badgeRenderer struct {
	b      *numberBadge
	circle *canvas.Circle
	label  *canvas.Text
}

const badgeSize = 28

func (r *badgeRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	r.circle.Move(fyne.NewPos(pad, pad))
	r.circle.Resize(fyne.NewSquareSize(badgeSize))
	ts := r.label.MinSize()
	r.label.Move(fyne.NewPos(pad+(badgeSize-ts.Width)/2, pad+(badgeSize-ts.Height)/2))
	r.label.Resize(ts)
}

func (r *badgeRenderer) MinSize() fyne.Size { return fyne.NewSquareSize(badgeSize + 2*theme.Padding()) }

func (r *badgeRenderer) Refresh() {
	r.circle.FillColor = themeColor(r.b, theme.ColorNamePrimary)
	r.label.Color = themeColor(r.b, theme.ColorNameForegroundOnPrimary)
	r.circle.Refresh()
	r.label.Refresh()
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.circle, r.label} }
func (r *badgeRenderer) Destroy()                     {}
