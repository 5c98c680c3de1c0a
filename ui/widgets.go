package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The controls gitpat draws are Fyne's, with what keyboard users need:
// a ring around the focused one that is plain to see (Fyne only tints it),
// Enter pressing a focused button as Space does, Esc closing the dialog
// on top, and the window's tab shortcuts working inside text fields.

// ringWidth is the focus ring's line; it is drawn just outside the control.
const ringWidth = 2

// ringRenderer draws a widget's own renderer and, while focused, a ring
// around it.
type ringRenderer struct {
	fyne.WidgetRenderer
	w       fyne.Widget
	ring    *canvas.Rectangle
	focused func() bool
	objects []fyne.CanvasObject
}

func newRingRenderer(w fyne.Widget, inner fyne.WidgetRenderer, focused func() bool) *ringRenderer {
	ring := canvas.NewRectangle(color.Transparent)
	ring.StrokeWidth = ringWidth
	r := &ringRenderer{WidgetRenderer: inner, w: w, ring: ring, focused: focused}
	r.update()
	return r
}

func (r *ringRenderer) update() {
	r.ring.StrokeColor = themeColor(r.w, colorNameFocusRing)
	r.ring.CornerRadius = theme.CurrentForWidget(r.w).Size(theme.SizeNameInputRadius) + ringWidth
	r.ring.Hidden = !r.focused()
	r.objects = append(append(r.objects[:0], r.WidgetRenderer.Objects()...), r.ring)
}

func (r *ringRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.ring.Move(fyne.NewPos(-ringWidth-1, -ringWidth-1))
	r.ring.Resize(size.AddWidthHeight(2*ringWidth+2, 2*ringWidth+2))
}

func (r *ringRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *ringRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	r.update()
	r.ring.Refresh()
}

// revealFocus scrolls a control that took the focus into view; u may be
// nil (a control outside the window).
func (u *UI) revealFocus(obj fyne.CanvasObject) {
	if u != nil && u.win != nil {
		u.reveal(obj)
	}
}

// button is a widget.Button with a focus ring that Enter presses too.
type button struct {
	widget.Button
	ui       *UI
	hasFocus bool
}

func newButton(u *UI, text string, icon fyne.Resource, tapped func()) *button {
	b := &button{ui: u}
	b.Text, b.Icon, b.OnTapped = text, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// CreateRenderer adds the focus ring to the button's renderer.
func (b *button) CreateRenderer() fyne.WidgetRenderer {
	return newRingRenderer(b, b.Button.CreateRenderer(), func() bool { return b.hasFocus })
}

// FocusGained shows the ring.
func (b *button) FocusGained() { b.hasFocus = true; b.Button.FocusGained(); b.ui.revealFocus(b) }

// FocusLost hides the ring.
func (b *button) FocusLost() { b.hasFocus = false; b.Button.FocusLost() }

// TypedKey presses the button on Enter or Space, and closes the dialog on
// top on Esc.
func (b *button) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(&fyne.PointEvent{})
	case fyne.KeyEscape:
		if b.ui != nil {
			b.ui.escape()
		}
	default:
		b.Button.TypedKey(ev)
	}
}

// selectBox is a widget.Select with a focus ring.
type selectBox struct {
	widget.Select
	ui       *UI
	hasFocus bool
}

func newSelect(u *UI, options []string, changed func(string)) *selectBox {
	s := &selectBox{ui: u}
	s.Options, s.OnChanged = options, changed
	s.PlaceHolder = "(Select one)"
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer adds the focus ring to the select's renderer.
func (s *selectBox) CreateRenderer() fyne.WidgetRenderer {
	return newRingRenderer(s, s.Select.CreateRenderer(), func() bool { return s.hasFocus })
}

// FocusGained shows the ring.
func (s *selectBox) FocusGained() { s.hasFocus = true; s.Select.FocusGained(); s.ui.revealFocus(s) }

// FocusLost hides the ring.
func (s *selectBox) FocusLost() { s.hasFocus = false; s.Select.FocusLost() }

// TypedKey opens the list on Enter too, and closes the dialog on top on Esc.
func (s *selectBox) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		s.Select.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	case fyne.KeyEscape:
		s.ui.escape()
	default:
		s.Select.TypedKey(ev)
	}
}

// entry is a widget.Entry with a focus ring, in which the window's tab
// shortcuts still work.
type entry struct {
	widget.Entry
	ui       *UI
	hasFocus bool
	self     fyne.Widget // the widget in the window: this entry, or one that embeds it
}

func newEntry(u *UI) *entry {
	e := &entry{ui: u}
	e.self = e
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab is false, for the multi-line list of repositories too: Tab
// moves the focus on, as everywhere in the window, instead of typing a
// tab character no name holds (a keyboard trap otherwise).
func (e *entry) AcceptsTab() bool { return false }

// CreateRenderer adds the focus ring to the entry's renderer.
func (e *entry) CreateRenderer() fyne.WidgetRenderer {
	return newRingRenderer(e.self, e.Entry.CreateRenderer(), func() bool { return e.hasFocus })
}

// FocusGained shows the ring.
func (e *entry) FocusGained() { e.hasFocus = true; e.Entry.FocusGained(); e.ui.revealFocus(e.self) }

// FocusLost hides the ring.
func (e *entry) FocusLost() { e.hasFocus = false; e.Entry.FocusLost() }

// TypedShortcut lets the window's tab shortcuts and Ctrl+Q through before
// the entry's own (copy, paste, undo…): a focused entry would swallow them.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if e.ui != nil && s.ShortcutName() == quitShortcut.ShortcutName() {
		e.ui.askQuit()
		return
	}
	if e.ui.tabShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// TypedKey closes the dialog on top on Esc.
func (e *entry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		e.ui.escape()
		return
	}
	e.Entry.TypedKey(ev)
}
