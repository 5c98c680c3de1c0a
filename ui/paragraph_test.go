package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
)

// drawnLines are the canvas texts a widget draws, with where.
func drawnLines(w fyne.Widget) []string {
	var out []string
	walk(w, func(o fyne.CanvasObject) {
		if t, ok := o.(*canvas.Text); ok && o.Visible() {
			out = append(out, fmt.Sprintf("%q at %v, %v %v", t.Text, t.Position(), t.TextSize, t.TextStyle))
		}
	})
	return out
}

// TestParagraphWrapsAsALabelDoes: a paragraph draws the lines a wrapped
// widget.Label draws, where it draws them, for every host's steps, notes
// and summary, in the styles the tabs use, at widths from a narrow window
// to a wide one.
func TestParagraphWrapsAsALabelDoes(t *testing.T) {
	test.NewTempApp(t)
	type style struct {
		bold bool
		size fyne.ThemeSizeName
	}
	var texts []string
	for _, h := range hosts.All() {
		texts = append(texts, h.Summary, "How to create the "+h.CredentialNoun())
		for _, s := range h.Steps {
			texts = append(texts, s.Text)
		}
		for _, n := range h.Notes {
			texts = append(texts, n.Text)
		}
	}
	texts = append(texts, "a-word-much-longer-than-any-line-can-hold-so-it-has-to-be-broken-inside-it and more", "two\nlines", "")
	styles := []style{{false, ""}, {true, ""}, {false, theme.SizeNameCaptionText}, {true, theme.SizeNameSubHeadingText}}
	checked := 0
	for _, text := range texts {
		for _, st := range styles {
			for width := float32(120); width <= 620; width += 41 {
				l := widget.NewLabel(text)
				l.Wrapping = fyne.TextWrapWord
				l.TextStyle.Bold = st.bold
				l.SizeName = st.size
				p := newParagraph(text)
				p.TextStyle.Bold = st.bold
				p.SizeName = st.size
				l.Resize(fyne.NewSize(width, 400))
				p.Resize(fyne.NewSize(width, 400))
				want, got := drawnLines(l), drawnLines(p)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("%q at %v px, %+v:\nparagraph %q\nlabel     %q", text, width, st, got, want)
				}
				if l.MinSize().Height != p.MinSize().Height {
					t.Fatalf("%q at %v px: paragraph %v high, label %v", text, width, p.MinSize().Height, l.MinSize().Height)
				}
				checked++
			}
		}
	}
	t.Logf("%d layouts alike", checked)
}

// TestTextWithEmojiIsDrawn: a name from a host may hold an emoji. The app
// is built without Fyne's emoji font (the Makefile's TAGS, which `make
// unit` tests with too): the emoji then comes from a system font, or is
// drawn as a missing glyph, and the rest of the line is drawn as usual.
func TestTextWithEmojiIsDrawn(t *testing.T) {
	test.NewTempApp(t)
	p := newParagraph("Signed in as Mona 🐙 Lisa (octocat)")
	w := test.NewWindow(p)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 100))
	lines := drawnLines(p)
	if len(lines) != 1 {
		t.Fatalf("drawn lines %v", lines)
	}
	plain := fyne.MeasureText("Signed in as Mona  Lisa (octocat)", theme.TextSize(), fyne.TextStyle{})
	if got := fyne.MeasureText(p.Text, theme.TextSize(), fyne.TextStyle{}).Width; got <= plain.Width {
		t.Errorf("the line is %v wide, no wider than without its emoji (%v)", got, plain.Width)
	}
	img := w.Canvas().Capture()
	bg := img.At(0, 0)
	ink := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.At(x, y) != bg {
				ink++
			}
		}
	}
	if ink < 200 {
		t.Errorf("the captured line has %d pixels of ink", ink)
	}
}
