package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// flowLayout puts objects in a row, left to right, and starts a new row
// when the next one does not fit. Its minimum width is its widest object,
// so a narrow window can always shrink it; its minimum height is that of
// the rows at the width it was last laid out at (Fyne's driver lays the
// parent out again when that changes). Fyne's RowWrapLayout keeps the
// width of its widest row as its minimum once laid out, which stops a
// window from shrinking.
type flowLayout struct {
	width float32 // the width last laid out at; 0: not yet
}

func newFlow(objs ...fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: &flowLayout{}, Objects: objs}
}

func (l *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	_, h := l.place(objs, max(l.width, w), false)
	return fyne.NewSize(w, h)
}

func (l *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	l.place(objs, size.Width, true)
}

// place works out (and with move, sets) where each object goes in a width;
// it returns the rows' count and height.
func (l *flowLayout) place(objs []fyne.CanvasObject, width float32, move bool) (rows int, height float32) {
	pad := theme.Padding()
	var x, y, rowH float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		s := o.MinSize()
		if rows == 0 {
			rows = 1
		} else if x+s.Width > width {
			x, y = 0, y+rowH+pad
			rowH = 0
			rows++
		}
		if move {
			o.Move(fyne.NewPos(x, y))
			o.Resize(s)
		}
		x += s.Width + pad
		rowH = max(rowH, s.Height)
	}
	return rows, y + rowH
}
