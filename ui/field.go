package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fieldRow is one input with its label above it and one line below it for
// what the user should know about it: the help text in small type, or,
// in its place, what is wrong with the value, with an error icon. Every
// message about a field is shown there and nowhere else.
type fieldRow struct {
	input   fyne.CanvasObject
	focus   fyne.Focusable // what to focus to fix a problem
	help    string
	note    *paragraph
	icon    *widget.Icon
	problem string
	content *fyne.Container
}

func newFieldRow(label string, input fyne.CanvasObject, focus fyne.Focusable, help string) *fieldRow {
	r := &fieldRow{input: input, focus: focus, help: help}
	title := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.note = newParagraph("")
	r.note.SizeName = theme.SizeNameCaptionText
	r.icon = widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon()))
	r.content = container.NewVBox(tight(title), input, container.NewBorder(nil, nil, container.NewVBox(r.icon), nil, r.note))
	r.setProblem("")
	return r
}

// setProblem shows what is wrong with the value under the field, or the
// help text again when p is "".
func (r *fieldRow) setProblem(p string) {
	r.problem = p
	r.icon.Hidden = p == ""
	// The problem takes the help's place in the same size of type, so
	// lines below move only if it needs more lines than the help.
	r.note.Importance = widget.MediumImportance
	r.note.TextStyle = fyne.TextStyle{}
	text := r.help
	if p != "" {
		text = p
		r.note.Importance = widget.DangerImportance
		r.note.TextStyle = fyne.TextStyle{Bold: true}
	}
	r.note.Text = text
	r.note.Hidden = text == ""
	r.note.Refresh()
	r.icon.Refresh()
	r.content.Refresh()
}

// tight removes most of a label's padding above and below, so a field's
// name sits close to its input.
func tight(l *widget.Label) fyne.CanvasObject {
	return container.New(&tightLayout{}, l)
}

type tightLayout struct{}

func (tightLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	return fyne.NewSize(s.Width, s.Height-theme.InnerPadding())
}

func (tightLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, -theme.InnerPadding()/2))
	objs[0].Resize(fyne.NewSize(size.Width, size.Height+theme.InnerPadding()))
}
