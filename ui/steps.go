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

// stepsView is the left side: the numbered steps, each with its drawing,
// and the host's notes. The text is plain (not selectable), so Tab goes
// from drawing to drawing and link to link, not through every sentence.
// It can be built in two goes: the steps the window shows when it opens,
// then the rest (see firstFrameSteps).
type stepsView struct {
	ui       *UI
	host     *hosts.Host
	box      *fyne.Container
	content  fyne.CanvasObject
	built    int  // how many steps are built
	notes    bool // whether the notes are
	pictures []*picture
}

// firstFrameSteps is how many steps the window shows when it opens
// (1000x720: the heading, three steps and their drawings): the opening
// tab builds those for its first frame and the rest right after it.
// Building, measuring and drawing the text below cost the first frame
// about 30 ms.
const firstFrameSteps = 3

func newStepsView(u *UI, h *hosts.Host) *stepsView {
	v := &stepsView{ui: u, host: h, box: container.NewVBox(heading("How to create the " + h.CredentialNoun()))}
	v.content = container.NewPadded(v.box)
	return v
}

// build adds the steps up to n (every step when n < 0), and the notes
// once every step is there.
func (v *stepsView) build(n int) {
	h, u := v.host, v.ui
	if n < 0 || n > len(h.Steps) {
		n = len(h.Steps)
	}
	added := false
	for ; v.built < n; v.built++ {
		i, s := v.built, h.Steps[v.built]
		text := newParagraph(s.Text)
		v.box.Objects = append(v.box.Objects, container.NewBorder(nil, nil, container.NewVBox(newNumberBadge(i+1)), nil, text))
		added = true
		if u.deps.Illustration == nil || s.Illustration == "" {
			continue
		}
		p := newPicture(u, s.Illustration, fmt.Sprintf("Step %d: %s", i+1, s.Text))
		v.pictures = append(v.pictures, p)
		v.box.Objects = append(v.box.Objects, container.NewCenter(p))
	}
	if v.built == len(h.Steps) && !v.notes {
		v.notes = true
		if len(h.Notes) > 0 {
			v.box.Objects = append(v.box.Objects, widget.NewSeparator(), heading("Good to know"))
			for _, n := range h.Notes {
				v.box.Objects = append(v.box.Objects, noteRow(u, n.Level, n.Text, "", n.Link))
			}
			added = true
		}
	}
	if added {
		v.box.Refresh()
	}
}

// complete says whether every step and note is built.
func (v *stepsView) complete() bool { return v.notes }

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
