package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// radioChoice is a group of radio buttons that is one stop for the Tab
// key, as radio groups are on the desktop: the arrow keys move the choice,
// a click picks one, and a ring shows the focus. Fyne's RadioGroup makes
// each option a Tab stop with a faint tint for focus and no arrow keys.
type radioChoice struct {
	widget.BaseWidget
	ui        *UI
	options   []string
	selected  string
	onChanged func(string)
	hasFocus  bool
	icons     []*widget.Icon
	box       *fyne.Container
}

func newRadioChoice(u *UI, options []string, selected string, changed func(string)) *radioChoice {
	c := &radioChoice{ui: u, options: options, selected: selected, onChanged: changed, box: container.NewVBox()}
	for i, o := range options {
		icon := widget.NewIcon(theme.RadioButtonIcon())
		c.icons = append(c.icons, icon)
		c.box.Add(newTappable(container.NewBorder(nil, nil, icon, nil, widget.NewLabel(o)), func() { c.choose(i) }))
	}
	c.ExtendBaseWidget(c)
	c.update()
	return c
}

// Selected is the option chosen.
func (c *radioChoice) Selected() string { return c.selected }

// SetSelected chooses an option by its text, without calling onChanged; an
// unknown text is ignored.
func (c *radioChoice) SetSelected(s string) {
	for _, o := range c.options {
		if o == s {
			c.selected = s
			c.update()
		}
	}
}

func (c *radioChoice) choose(i int) {
	if c.options[i] == c.selected {
		return
	}
	c.selected = c.options[i]
	c.update()
	if c.onChanged != nil {
		c.onChanged(c.selected)
	}
}

func (c *radioChoice) update() {
	for i, o := range c.options {
		res := theme.RadioButtonIcon()
		if o == c.selected {
			res = theme.NewPrimaryThemedResource(theme.RadioButtonCheckedIcon())
		}
		c.icons[i].SetResource(res)
	}
}

// CreateRenderer draws the options with a focus ring around them.
func (c *radioChoice) CreateRenderer() fyne.WidgetRenderer {
	return newRingRenderer(c, widget.NewSimpleRenderer(c.box), func() bool { return c.hasFocus })
}

// FocusGained shows the ring.
func (c *radioChoice) FocusGained() { c.hasFocus = true; c.Refresh(); c.ui.revealFocus(c) }

// FocusLost hides the ring.
func (c *radioChoice) FocusLost() { c.hasFocus = false; c.Refresh() }

// TypedRune ignores typing.
func (c *radioChoice) TypedRune(rune) {}

// TypedKey moves the choice with the arrow keys; Esc closes the dialog on
// top.
func (c *radioChoice) TypedKey(ev *fyne.KeyEvent) {
	i := 0
	for j, o := range c.options {
		if o == c.selected {
			i = j
		}
	}
	switch ev.Name {
	case fyne.KeyDown, fyne.KeyRight:
		c.choose((i + 1) % len(c.options))
	case fyne.KeyUp, fyne.KeyLeft:
		c.choose((i - 1 + len(c.options)) % len(c.options))
	case fyne.KeyEscape:
		c.ui.escape()
	}
}

// tappable makes any object clickable.
type tappable struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

func newTappable(content fyne.CanvasObject, tapped func()) *tappable {
	t := &tappable{content: content, onTap: tapped}
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer draws the content.
func (t *tappable) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }

// Tapped runs the action.
func (t *tappable) Tapped(*fyne.PointEvent) { t.onTap() }
