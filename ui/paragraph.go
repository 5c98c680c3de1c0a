package ui

import (
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// paragraph is text that wraps at spaces: it draws what a widget.Label
// with TextWrapWord draws (the same lines, padding, sizes and colours),
// but breaks its lines from each word's width, measured once. A wrapped
// Label finds each line by measuring ever shorter prefixes of the text
// (a binary search), again at every width it is laid out at, and Fyne
// shapes every string it measures anew (~0.1 ms each): the GitHub tab's
// first layout made 455 such measurements (~75 ms) before its first frame.
// Its words are measured through fyne.MeasureText, whose results Fyne
// keeps, so a word met again costs nothing.
type paragraph struct {
	widget.BaseWidget
	Text       string
	TextStyle  fyne.TextStyle
	SizeName   fyne.ThemeSizeName // theme.SizeNameText when ""
	Importance widget.Importance

	// What the words were measured for, and the lines broken for.
	measured wordsKey
	words    [][]string  // per line of Text (split at "\n"), its words
	widths   [][]float32 // their widths
	spaced   [][]float32 // their widths with the space after them
	height   float32     // a line's height
	broken   float32     // the width lines were broken for; -1: none yet
	lines    []string
}

type wordsKey struct {
	text  string
	style fyne.TextStyle
	size  float32
}

func newParagraph(text string) *paragraph {
	p := &paragraph{Text: text, broken: -1}
	p.ExtendBaseWidget(p)
	return p
}

// SetText changes the text and redraws it.
func (p *paragraph) SetText(text string) {
	p.Text = text
	p.Refresh()
}

func (p *paragraph) textSize() float32 {
	name := p.SizeName
	if name == "" {
		name = theme.SizeNameText
	}
	return theme.SizeForWidget(name, p)
}

// measure measures the words when the text, style or size changed.
func (p *paragraph) measure() bool {
	key := wordsKey{p.Text, p.TextStyle, p.textSize()}
	if key == p.measured {
		return false
	}
	p.measured = key
	p.words, p.widths, p.spaced = nil, nil, nil
	space := fyne.MeasureText(" ", key.size, key.style)
	p.height = space.Height
	for _, line := range strings.Split(p.Text, "\n") {
		words := strings.Fields(line)
		widths, spaced := make([]float32, len(words)), make([]float32, len(words))
		for i, w := range words {
			// A space is shaped in the font of the character before it: in
			// the text's own font after ASCII, maybe in a fallback font
			// after an arrow, which measures it wider.
			spaced[i] = fyne.MeasureText(w+" ", key.size, key.style).Width
			if last := w[len(w)-1]; last < utf8.RuneSelf {
				widths[i] = spaced[i] - space.Width
			} else {
				widths[i] = fyne.MeasureText(w, key.size, key.style).Width
			}
		}
		p.words, p.widths, p.spaced = append(p.words, words), append(p.widths, widths), append(p.spaced, spaced)
	}
	p.broken = -1
	return true
}

// breakLines breaks the text into lines for a widget width as a wrapped
// Label does: each line the most words that fit, a word wider than a line
// broken where it must be.
func (p *paragraph) breakLines(width float32) {
	p.measure()
	if width == p.broken {
		return
	}
	p.broken = width
	p.lines = p.lines[:0]
	avail := width - 2*theme.SizeForWidget(theme.SizeNameInnerPadding, p)
	if avail < 0 { // not laid out yet: one line per line of text, as a Label
		for _, words := range p.words {
			p.lines = append(p.lines, strings.Join(words, " "))
		}
		return
	}
	for li, words := range p.words {
		widths, spaced := p.widths[li], p.spaced[li]
		var line []string
		x := float32(0) // the line's width with a space after its last word
		for i, word := range words {
			w := widths[i]
			if len(line) > 0 {
				if x+w <= avail {
					line, x = append(line, word), x+spaced[i]
					continue
				}
				p.lines = append(p.lines, strings.Join(line, " "))
				line = line[:0]
			}
			if w > avail { // a word wider than a line: as much of it as fits on each
				rest := []rune(word)
				for n := p.fitting(rest, avail); n < len(rest); n = p.fitting(rest, avail) {
					p.lines = append(p.lines, string(rest[:n]))
					rest = rest[n:]
				}
				word = string(rest)
				line, x = append(line, word), fyne.MeasureText(word+" ", p.measured.size, p.measured.style).Width
				continue
			}
			line, x = append(line, word), spaced[i]
		}
		p.lines = append(p.lines, strings.Join(line, " "))
	}
}

// fitting is how many of runes fit in width, at least one.
func (p *paragraph) fitting(runes []rune, width float32) int {
	lo, hi := 1, len(runes)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(runes[:mid]), p.measured.size, p.measured.style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// Resize breaks the lines for the new width before they are laid out.
func (p *paragraph) Resize(size fyne.Size) {
	if size.Width != p.Size().Width || p.broken < 0 {
		p.breakLines(size.Width)
	}
	p.BaseWidget.Resize(size)
}

// CreateRenderer draws each line as a canvas.Text.
func (p *paragraph) CreateRenderer() fyne.WidgetRenderer {
	r := &paragraphRenderer{p: p}
	r.Refresh()
	return r
}

type paragraphRenderer struct {
	p     *paragraph
	texts []*canvas.Text
	objs  []fyne.CanvasObject
}

// MinSize is as narrow as a wrapped Label's, and as tall as the lines at
// the width last laid out at.
func (r *paragraphRenderer) MinSize() fyne.Size {
	p := r.p
	if p.measure() || p.broken < 0 {
		p.breakLines(p.Size().Width)
	}
	pad := theme.SizeForWidget(theme.SizeNameInnerPadding, p)
	return fyne.NewSize(2*pad, float32(max(1, len(p.lines)))*p.height+2*pad)
}

func (r *paragraphRenderer) Layout(size fyne.Size) {
	p := r.p
	p.breakLines(size.Width)
	r.sync()
	pad := theme.SizeForWidget(theme.SizeNameInnerPadding, p)
	for i, t := range r.texts {
		t.Move(fyne.NewPos(pad, pad+float32(i)*p.height))
		t.Resize(fyne.NewSize(max(0, size.Width-2*pad), p.height))
	}
}

// sync makes one canvas.Text per line, in the paragraph's style; it
// tells the canvas when the lines are new objects.
func (r *paragraphRenderer) sync() {
	p := r.p
	c := themeColor(p, importanceColor(p.Importance))
	for i, line := range p.lines {
		if i == len(r.texts) {
			r.texts = append(r.texts, canvas.NewText("", c))
		}
		t := r.texts[i]
		if t.Text != line || t.Color != c || t.TextStyle != p.measured.style || t.TextSize != p.measured.size {
			t.Text, t.Color, t.TextStyle, t.TextSize = line, c, p.measured.style, p.measured.size
			t.Refresh()
		}
	}
	if len(r.texts) != len(p.lines) || len(r.objs) != len(p.lines) {
		r.texts = r.texts[:len(p.lines)]
		r.objs = r.objs[:0]
		for _, t := range r.texts {
			r.objs = append(r.objs, t)
		}
		canvas.Refresh(p)
	}
}

func (r *paragraphRenderer) Refresh() {
	p := r.p
	if p.measure() {
		p.breakLines(p.Size().Width)
	}
	r.Layout(p.Size())
}

func (r *paragraphRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *paragraphRenderer) Destroy()                     {}

// importanceColor is the colour a Label of that importance is drawn in.
func importanceColor(i widget.Importance) fyne.ThemeColorName {
	switch i {
	case widget.LowImportance:
		return theme.ColorNameDisabled
	case widget.HighImportance:
		return theme.ColorNamePrimary
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	default:
		return theme.ColorNameForeground
	}
}
