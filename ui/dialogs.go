package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// dialogWidth is the width of a dialog's text, so its lines break
// evenly rather than at the window's width or word by word.
const dialogWidth = 440

// choice is one button of a dialog.
type choice struct {
	label      string
	icon       fyne.Resource
	importance widget.Importance
	do         func() // after the dialog closed; may be nil
	isDefault  bool   // focused when the dialog opens: Enter presses it
	isCancel   bool   // what Esc does
}

// ask shows a modal dialog with the choices as buttons, in order. The
// default choice is focused, so Enter presses it; Esc does what the
// cancel choice does.
func (u *UI) ask(title string, content fyne.CanvasObject, choices ...choice) *dialog.CustomDialog {
	d := dialog.NewCustomWithoutButtons(title, content, u.win)
	var buttons []fyne.CanvasObject
	var def *button
	cancel := func() {}
	for _, c := range choices {
		do := func() {
			d.Hide()
			if c.do != nil {
				c.do()
			}
		}
		b := newButton(u, c.label, c.icon, do)
		b.Importance = c.importance
		buttons = append(buttons, b)
		if c.isDefault {
			def = b
		}
		if c.isCancel {
			cancel = do
		}
	}
	d.SetButtons(buttons)
	u.showModal(d, cancel)
	if def != nil {
		u.win.Canvas().Focus(def)
	}
	u.signal(evDialog)
	return d
}

// showModal shows a dialog that Esc closes by running cancel.
func (u *UI) showModal(d dialog.Dialog, cancel func()) {
	u.nextDialog++
	id := u.nextDialog
	u.dialogs = append(u.dialogs, openDialog{id: id, cancel: cancel})
	d.SetOnClosed(func() {
		for i, o := range u.dialogs {
			if o.id == id {
				u.dialogs = append(u.dialogs[:i:i], u.dialogs[i+1:]...)
				break
			}
		}
	})
	d.Show()
}

// openDialog is a dialog on screen and what Esc does to it.
type openDialog struct {
	id     int
	cancel func()
}

// escape closes the dialog on top, as its cancel button would.
func (u *UI) escape() {
	if n := len(u.dialogs); n > 0 {
		u.dialogs[n-1].cancel()
	}
}

// paragraphs lays out text for a dialog at dialogWidth, one label per
// paragraph.
func paragraphs(texts ...string) fyne.CanvasObject {
	box := container.NewVBox()
	for _, t := range texts {
		l := widget.NewLabel(t)
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	}
	width := canvas.NewRectangle(nil)
	width.SetMinSize(fyne.NewSize(dialogWidth, 0))
	return container.NewStack(width, box)
}
