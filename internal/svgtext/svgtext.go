// Package svgtext rewrites an SVG document so that Fyne can draw all of it.
//
// Fyne renders SVG with github.com/fyne-io/oksvg, which has no support for
// the <text> element (text is silently dropped) and which does not draw the
// rounded corners of a <rect> with rx/ry. Our illustrations are authored as
// ordinary, readable SVG with real <text> elements, so before a drawing is
// handed to Fyne, Outline converts it:
//
//   - every <text> element (with its <tspan> children) becomes a <path>
//     whose d attribute holds the glyph outlines, set in the Go fonts
//     (golang.org/x/image/font/gofont: regular, bold and mono);
//   - every <rect> with rx or ry becomes an equivalent <path> with cubic
//     Bézier corners.
//
// Everything else in the document is copied byte for byte, so namespaces,
// comments and formatting survive and the result is still a valid SVG.
package svgtext

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// defaultFontSize is the SVG initial value of font-size ("medium").
const defaultFontSize = 16

// maxFontSize bounds font sizes so that fixed-point glyph scaling never
// overflows on hostile input.
const maxFontSize = 4096

var (
	fontsOnce sync.Once
	fonts     struct{ regular, bold, mono *sfnt.Font }
	fontsErr  error
)

// loadFonts parses the embedded Go fonts once. It is only called when a
// document actually contains text.
func loadFonts() error {
	fontsOnce.Do(func() {
		var err error
		if fonts.regular, err = sfnt.Parse(goregular.TTF); err != nil {
			fontsErr = fmt.Errorf("svgtext: parse Go Regular: %w", err)
			return
		}
		if fonts.bold, err = sfnt.Parse(gobold.TTF); err != nil {
			fontsErr = fmt.Errorf("svgtext: parse Go Bold: %w", err)
			return
		}
		if fonts.mono, err = sfnt.Parse(gomono.TTF); err != nil {
			fontsErr = fmt.Errorf("svgtext: parse Go Mono: %w", err)
		}
	})
	return fontsErr
}

// Outline returns src with every <text> element replaced by a <path> of its
// glyph outlines and every rounded <rect> replaced by an equivalent <path>.
// The rest of the document is copied unchanged. It returns an error if src
// is not well-formed XML.
//
// Supported text attributes (also inherited from ancestors where SVG
// inherits them, and read from a style attribute): x, y, dx, dy (first value
// of a list), font-size, font-weight (bold, bolder or >= 600 selects Go Bold),
// font-family (a monospace family selects Go Mono) and text-anchor
// (start, middle, end). Paint attributes such as fill, fill-opacity,
// opacity, stroke, class, id and transform are kept on the emitted path.
func Outline(src []byte) ([]byte, error) {
	c := converter{src: src}
	if err := c.run(); err != nil {
		return nil, err
	}
	return c.out.Bytes(), nil
}

// textStyle holds the inherited properties that shape text.
type textStyle struct {
	size   float64
	bold   bool
	mono   bool
	anchor string
}

var rootStyle = textStyle{size: defaultFontSize, anchor: "start"}

type openElem struct {
	name     xml.Name
	replaced bool // a rect emitted as path: its end tag must be </path>
	style    textStyle
}

type converter struct {
	src   []byte
	dec   *xml.Decoder
	out   bytes.Buffer
	prev  int64 // offset in src up to which input has been handled
	stack []openElem
	buf   sfnt.Buffer
}

var errSyntax = errors.New("svgtext: malformed XML")

func (c *converter) run() error {
	c.dec = xml.NewDecoder(bytes.NewReader(c.src))
	c.out.Grow(len(c.src) + len(c.src)/2)
	sawRoot := false
	for {
		tok, err := c.dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("svgtext: %w", err)
		}
		raw := c.take()
		switch t := tok.(type) {
		case xml.StartElement:
			if len(c.stack) == 0 {
				if sawRoot {
					return fmt.Errorf("%w: more than one root element", errSyntax)
				}
				sawRoot = true
			}
			parent := rootStyle
			if n := len(c.stack); n > 0 {
				parent = c.stack[n-1].style
			}
			st := applyTextStyle(parent, t.Attr)
			switch t.Name.Local {
			case "text":
				if err := c.text(t, st); err != nil {
					return err
				}
				continue
			case "rect":
				if d, ok := roundedRectPath(t.Attr); ok {
					selfClosing := bytes.HasSuffix(raw, []byte("/>"))
					c.writePathStart(t.Name.Space, d, t.Attr, rectAttrs, nil)
					if selfClosing {
						c.out.WriteString("/>")
					} else {
						c.out.WriteString(">")
					}
					c.stack = append(c.stack, openElem{name: t.Name, replaced: true, style: st})
					continue
				}
			}
			c.out.Write(raw)
			c.stack = append(c.stack, openElem{name: t.Name, style: st})
		case xml.EndElement:
			n := len(c.stack)
			if n == 0 {
				return fmt.Errorf("%w: unexpected end element </%s>", errSyntax, qname(t.Name))
			}
			top := c.stack[n-1]
			if top.name != t.Name {
				return fmt.Errorf("%w: element <%s> closed by </%s>", errSyntax, qname(top.name), qname(t.Name))
			}
			c.stack = c.stack[:n-1]
			if top.replaced {
				if len(raw) > 0 { // not the synthesised end of <rect/>
					c.out.WriteString("</")
					writePrefixed(&c.out, t.Name.Space, "path")
					c.out.WriteString(">")
				}
				continue
			}
			c.out.Write(raw)
		case xml.CharData:
			if len(c.stack) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("%w: text outside the root element", errSyntax)
			}
			c.out.Write(raw)
		default: // comments, processing instructions, directives
			c.out.Write(raw)
		}
	}
	if n := len(c.stack); n > 0 {
		return fmt.Errorf("%w: unclosed element <%s>", errSyntax, qname(c.stack[n-1].name))
	}
	if !sawRoot {
		return fmt.Errorf("%w: no root element", errSyntax)
	}
	c.out.Write(c.src[c.prev:])
	return nil
}

// take returns the source bytes of the token just read.
func (c *converter) take() []byte {
	end := c.dec.InputOffset()
	if end < c.prev || end > int64(len(c.src)) {
		end = c.prev
	}
	raw := c.src[c.prev:end]
	c.prev = end
	return raw
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func writePrefixed(b *bytes.Buffer, prefix, local string) {
	if prefix != "" {
		b.WriteString(prefix)
		b.WriteByte(':')
	}
	b.WriteString(local)
}

// rectAttrs are the geometry attributes of <rect> that the path replaces.
var rectAttrs = map[string]bool{"x": true, "y": true, "width": true, "height": true, "rx": true, "ry": true}

// textAttrs are the attributes that only make sense on text content.
var textAttrs = map[string]bool{
	"x": true, "y": true, "dx": true, "dy": true, "rotate": true,
	"textLength": true, "lengthAdjust": true,
	"font": true, "font-size": true, "font-weight": true, "font-family": true,
	"font-style": true, "font-variant": true, "font-stretch": true,
	"text-anchor": true, "letter-spacing": true, "word-spacing": true,
	"dominant-baseline": true, "alignment-baseline": true, "baseline-shift": true,
	"writing-mode": true, "text-decoration": true, "text-rendering": true,
	"direction": true, "unicode-bidi": true,
}

// writePathStart writes "<path d=... attrs" (without closing the tag),
// copying the attributes of the original element except those in skip, then
// the attributes in extra (which override copied ones of the same name).
func (c *converter) writePathStart(prefix string, d []byte, attrs []xml.Attr, skip map[string]bool, extra []xml.Attr) {
	c.out.WriteByte('<')
	writePrefixed(&c.out, prefix, "path")
	c.out.WriteString(` d="`)
	c.out.Write(d)
	c.out.WriteByte('"')
	c.writeAttrs(attrs, skip, extra)
	for _, a := range extra {
		writeAttr(&c.out, a)
	}
}

// writeAttrs copies attrs except "d", those named in skip or in override,
// and xml:space.
func (c *converter) writeAttrs(attrs []xml.Attr, skip map[string]bool, override []xml.Attr) {
next:
	for _, a := range attrs {
		if a.Name.Space == "" && (a.Name.Local == "d" || skip[a.Name.Local]) {
			continue
		}
		if a.Name.Space == "xml" && a.Name.Local == "space" {
			continue
		}
		for _, o := range override {
			if o.Name == a.Name {
				continue next
			}
		}
		writeAttr(&c.out, a)
	}
}

func writeAttr(b *bytes.Buffer, a xml.Attr) {
	b.WriteByte(' ')
	writePrefixed(b, a.Name.Space, a.Name.Local)
	b.WriteString(`="`)
	_ = xml.EscapeText(b, []byte(a.Value)) // writes to a bytes.Buffer: cannot fail
	b.WriteByte('"')
}

// ---- style ----------------------------------------------------------------

// attrValue returns the value of an unprefixed attribute, letting a
// declaration in the style attribute win, as CSS does.
func attrValue(attrs []xml.Attr, name string) (string, bool) {
	val, found := "", false
	for _, a := range attrs {
		if a.Name.Space != "" {
			continue
		}
		if a.Name.Local == name {
			val, found = a.Value, true
		}
	}
	for _, a := range attrs {
		if a.Name.Space != "" || a.Name.Local != "style" {
			continue
		}
		for _, decl := range strings.Split(a.Value, ";") {
			k, v, ok := strings.Cut(decl, ":")
			if ok && strings.TrimSpace(k) == name {
				val, found = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important")), true
			}
		}
	}
	return strings.TrimSpace(val), found
}

func applyTextStyle(parent textStyle, attrs []xml.Attr) textStyle {
	st := parent
	if v, ok := attrValue(attrs, "font-size"); ok {
		st.size = parseFontSize(v, parent.size)
	}
	if v, ok := attrValue(attrs, "font-weight"); ok {
		switch v {
		case "bold", "bolder":
			st.bold = true
		case "normal", "lighter":
			st.bold = false
		default:
			if w, err := strconv.ParseFloat(v, 64); err == nil {
				st.bold = w >= 600
			}
		}
	}
	if v, ok := attrValue(attrs, "font-family"); ok {
		l := strings.ToLower(v)
		st.mono = strings.Contains(l, "mono") || strings.Contains(l, "courier") || strings.Contains(l, "consol")
	}
	if v, ok := attrValue(attrs, "text-anchor"); ok {
		switch v {
		case "start", "middle", "end":
			st.anchor = v
		}
	}
	return st
}

func parseFontSize(v string, parent float64) float64 {
	switch v {
	case "xx-small":
		return 9
	case "x-small":
		return 10
	case "small":
		return 13
	case "medium":
		return 16
	case "large":
		return 18
	case "x-large":
		return 24
	case "xx-large":
		return 32
	case "smaller":
		return parent / 1.2
	case "larger":
		return parent * 1.2
	}
	mul := 1.0
	switch {
	case strings.HasSuffix(v, "px"):
		v = v[:len(v)-2]
	case strings.HasSuffix(v, "pt"):
		v, mul = v[:len(v)-2], 4.0/3
	case strings.HasSuffix(v, "em"):
		v, mul = v[:len(v)-2], parent
	case strings.HasSuffix(v, "%"):
		v, mul = v[:len(v)-1], parent/100
	}
	f, ok := parseNumber(v)
	if !ok || f < 0 {
		return parent
	}
	return math.Min(f*mul, maxFontSize)
}

// parseNumber parses a finite number, accepting a trailing "px".
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// firstNumber parses the first value of a coordinate list such as x="10 20".
func firstNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " ,\t\n\r"); i >= 0 {
		s = s[:i]
	}
	return parseNumber(s)
}

// ---- rounded rectangles ----------------------------------------------------

// kappa places cubic control points to approximate a quarter ellipse.
const kappa = 0.5522847498307936

// roundedRectPath returns the path data of a <rect> with rounded corners, or
// false if the rect has no rounded corners or attributes this package does
// not understand (it is then left alone).
func roundedRectPath(attrs []xml.Attr) ([]byte, bool) {
	num := func(name string, def float64) (float64, bool, bool) { // value, present, valid
		v, ok := attrValue(attrs, name)
		if !ok || v == "auto" {
			return def, false, true
		}
		f, ok := parseNumber(v)
		return f, true, ok
	}
	x, _, okx := num("x", 0)
	y, _, oky := num("y", 0)
	w, _, okw := num("width", 0)
	h, _, okh := num("height", 0)
	rx, hasRx, okrx := num("rx", 0)
	ry, hasRy, okry := num("ry", 0)
	if !(okx && oky && okw && okh && okrx && okry) || w <= 0 || h <= 0 || rx < 0 || ry < 0 {
		return nil, false
	}
	switch {
	case hasRx && !hasRy:
		ry = rx
	case hasRy && !hasRx:
		rx = ry
	case !hasRx && !hasRy:
		return nil, false
	}
	rx = math.Min(rx, w/2)
	ry = math.Min(ry, h/2)
	if rx == 0 || ry == 0 {
		return nil, false
	}
	x1, y1 := x+w, y+h
	for _, v := range []float64{x, y, x1, y1} {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return nil, false
		}
	}
	kx, ky := kappa*rx, kappa*ry
	p := pathWriter{}
	p.cmd('M', x+rx, y)
	p.cmd('H', x1-rx)
	p.cmd('C', x1-rx+kx, y, x1, y+ry-ky, x1, y+ry)
	p.cmd('V', y1-ry)
	p.cmd('C', x1, y1-ry+ky, x1-rx+kx, y1, x1-rx, y1)
	p.cmd('H', x+rx)
	p.cmd('C', x+rx-kx, y1, x, y1-ry+ky, x, y1-ry)
	p.cmd('V', y+ry)
	p.cmd('C', x, y+ry-ky, x+rx-kx, y, x+rx, y)
	p.b = append(p.b, 'Z')
	return p.b, true
}

// pathWriter builds compact path data with coordinates rounded to 1/100.
type pathWriter struct {
	b    []byte
	open bool // a contour is open and needs a Z
}

func (p *pathWriter) cmd(op byte, args ...float64) {
	if len(p.b) > 0 {
		p.b = append(p.b, ' ')
	}
	p.b = append(p.b, op)
	for _, v := range args {
		p.b = append(p.b, ' ')
		p.b = appendNum(p.b, v)
	}
}

// appendNum appends v rounded to two decimals, without trailing zeros.
func appendNum(b []byte, v float64) []byte {
	h := math.Round(v * 100)
	if math.IsNaN(h) || math.IsInf(h, 0) {
		return append(b, '0')
	}
	if math.Abs(h) >= 1<<53 { // beyond exact integers: let strconv cope
		return strconv.AppendFloat(b, h/100, 'f', -1, 64)
	}
	i := int64(h)
	if i < 0 {
		b = append(b, '-')
		i = -i
	}
	b = strconv.AppendInt(b, i/100, 10)
	switch frac := i % 100; {
	case frac == 0:
	case frac%10 == 0:
		b = append(b, '.', byte('0'+frac/10))
	default:
		b = append(b, '.', byte('0'+frac/10), byte('0'+frac%10))
	}
	return b
}

// ---- text -----------------------------------------------------------------

// run is a piece of text content with its own style and position.
type run struct {
	text   []rune
	style  textStyle
	paint  []xml.Attr // paint attributes of the tspan (fill, fill-opacity, ...)
	x, y   *float64   // absolute position: starts a new text chunk
	dx, dy float64
}

// paintAttrs are the tspan attributes that stay on the emitted path.
var paintAttrs = map[string]bool{
	"fill": true, "fill-opacity": true, "opacity": true, "stroke": true,
	"stroke-width": true, "stroke-opacity": true, "class": true, "style": true,
}

// text consumes a <text> element (start already read) and emits its outline.
func (c *converter) text(start xml.StartElement, st textStyle) error {
	runs, err := c.collectRuns(start, st)
	if err != nil {
		return err
	}
	normaliseSpace(runs)
	hasGlyphs := false
	for _, r := range runs {
		if len(r.text) > 0 {
			hasGlyphs = true
			break
		}
	}
	if !hasGlyphs {
		// Nothing to draw: keep the element's place with an empty path so
		// ids stay valid.
		c.writePathStart(start.Name.Space, nil, start.Attr, textAttrs, nil)
		c.out.WriteString("/>")
		return nil
	}
	if err := loadFonts(); err != nil {
		return err
	}
	paths := c.layout(runs)
	if len(paths) == 1 {
		c.writePathStart(start.Name.Space, paths[0].d, start.Attr, textAttrs, paths[0].paint)
		c.out.WriteString("/>")
		return nil
	}
	// Several paints (tspans with their own fill): group them.
	c.out.WriteByte('<')
	writePrefixed(&c.out, start.Name.Space, "g")
	c.writeAttrs(start.Attr, textAttrs, nil)
	c.out.WriteByte('>')
	for _, p := range paths {
		c.writePathStart(start.Name.Space, p.d, nil, nil, p.paint)
		c.out.WriteString("/>")
	}
	c.out.WriteString("</")
	writePrefixed(&c.out, start.Name.Space, "g")
	c.out.WriteByte('>')
	return nil
}

// collectRuns reads the content of a <text> element up to its end tag.
func (c *converter) collectRuns(start xml.StartElement, st textStyle) ([]run, error) {
	type level struct {
		name   xml.Name
		style  textStyle
		paint  []xml.Attr
		ignore bool // title, desc, ...: content is not drawn
	}
	first := run{style: st}
	if v, ok := attrValue(start.Attr, "x"); ok {
		if f, ok := firstNumber(v); ok {
			first.x = &f
		}
	}
	if v, ok := attrValue(start.Attr, "y"); ok {
		if f, ok := firstNumber(v); ok {
			first.y = &f
		}
	}
	first.dx, _ = attrNumber(start.Attr, "dx")
	first.dy, _ = attrNumber(start.Attr, "dy")
	zero := 0.0
	if first.x == nil {
		first.x = &zero
	}
	if first.y == nil {
		first.y = &zero
	}
	runs := []run{first}
	levels := []level{{name: start.Name, style: st}}
	for {
		tok, err := c.dec.RawToken()
		if err == io.EOF {
			return nil, fmt.Errorf("%w: unclosed element <%s>", errSyntax, qname(start.Name))
		}
		if err != nil {
			return nil, fmt.Errorf("svgtext: %w", err)
		}
		c.take()
		top := levels[len(levels)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			l := level{name: t.Name, style: applyTextStyle(top.style, t.Attr), paint: top.paint, ignore: top.ignore}
			switch t.Name.Local {
			case "title", "desc", "metadata", "style", "script":
				l.ignore = true
			}
			if !l.ignore {
				var own []xml.Attr
				for _, a := range t.Attr {
					if a.Name.Space == "" && paintAttrs[a.Name.Local] {
						own = append(own, a)
					}
				}
				if len(own) > 0 {
					l.paint = mergePaint(top.paint, own)
				}
				r := run{style: l.style, paint: l.paint}
				if v, ok := attrValue(t.Attr, "x"); ok {
					if f, ok := firstNumber(v); ok {
						r.x = &f
					}
				}
				if v, ok := attrValue(t.Attr, "y"); ok {
					if f, ok := firstNumber(v); ok {
						r.y = &f
					}
				}
				r.dx, _ = attrNumber(t.Attr, "dx")
				r.dy, _ = attrNumber(t.Attr, "dy")
				runs = append(runs, r)
			}
			levels = append(levels, l)
		case xml.EndElement:
			if top.name != t.Name {
				return nil, fmt.Errorf("%w: element <%s> closed by </%s>", errSyntax, qname(top.name), qname(t.Name))
			}
			levels = levels[:len(levels)-1]
			if len(levels) == 0 {
				return runs, nil
			}
			if !top.ignore {
				// Text after a tspan continues in the parent's style.
				p := levels[len(levels)-1]
				runs = append(runs, run{style: p.style, paint: p.paint})
			}
		case xml.CharData:
			if top.ignore {
				continue
			}
			r := &runs[len(runs)-1]
			r.text = append(r.text, []rune(string(t))...)
		}
	}
}

func mergePaint(parent, own []xml.Attr) []xml.Attr {
	out := make([]xml.Attr, 0, len(parent)+len(own))
	for _, a := range parent {
		overridden := false
		for _, o := range own {
			if o.Name == a.Name {
				overridden = true
				break
			}
		}
		if !overridden {
			out = append(out, a)
		}
	}
	return append(out, own...)
}

func attrNumber(attrs []xml.Attr, name string) (float64, bool) {
	v, ok := attrValue(attrs, name)
	if !ok {
		return 0, false
	}
	return firstNumber(v)
}

// normaliseSpace applies SVG's default white-space handling across runs:
// newlines are removed, tabs become spaces, runs of spaces collapse to one
// and leading and trailing spaces are dropped.
func normaliseSpace(runs []run) {
	lastSpace := true // drops leading spaces
	lastRun, lastIdx := -1, -1
	for i := range runs {
		out := runs[i].text[:0]
		for _, r := range runs[i].text {
			switch r {
			case '\n', '\r':
				continue
			case '\t':
				r = ' '
			}
			if r == ' ' {
				if lastSpace {
					continue
				}
				lastSpace = true
				lastRun, lastIdx = i, len(out)
			} else {
				lastSpace = false
				lastRun = -1
			}
			out = append(out, r)
		}
		runs[i].text = out
	}
	if lastRun >= 0 { // trailing space
		runs[lastRun].text = runs[lastRun].text[:lastIdx]
	}
}

type glyphPath struct {
	d     []byte
	paint []xml.Attr
}

type placedGlyph struct {
	font *sfnt.Font
	idx  sfnt.GlyphIndex
	ppem fixed.Int26_6
	x, y float64
	run  int
}

func (st textStyle) font() *sfnt.Font {
	switch {
	case st.mono:
		return fonts.mono
	case st.bold:
		return fonts.bold
	default:
		return fonts.regular
	}
}

// layout places the glyphs of all runs, applies text-anchor per text chunk
// and returns one path per distinct paint.
func (c *converter) layout(runs []run) []glyphPath {
	var glyphs []placedGlyph
	var penX, penY float64
	chunkStart, chunkGlyph := 0.0, 0
	chunkAnchor := "start"
	prev := -1 // index of the previous glyph in the chunk, for kerning
	finishChunk := func() {
		var shift float64
		switch chunkAnchor {
		case "middle":
			shift = -(penX - chunkStart) / 2
		case "end":
			shift = -(penX - chunkStart)
		}
		for i := chunkGlyph; i < len(glyphs); i++ {
			glyphs[i].x += shift
		}
	}
	for ri, r := range runs {
		if r.x != nil || r.y != nil {
			if ri > 0 {
				finishChunk()
			}
			if r.x != nil {
				penX = *r.x
			}
			if r.y != nil {
				penY = *r.y
			}
			chunkStart, chunkGlyph, chunkAnchor = penX, len(glyphs), r.style.anchor
			prev = -1
		}
		penX += r.dx
		penY += r.dy
		if r.style.size <= 0 {
			continue
		}
		f := r.style.font()
		ppem := fixed.Int26_6(math.Round(r.style.size * 64))
		for _, ch := range r.text {
			idx, err := f.GlyphIndex(&c.buf, ch)
			if err != nil || idx == 0 {
				// Missing glyph: fall back to the regular font, then to .notdef.
				if i2, err2 := fonts.regular.GlyphIndex(&c.buf, ch); err2 == nil && i2 != 0 {
					f, idx = fonts.regular, i2
				} else {
					idx = 0
				}
			}
			if prev >= 0 && glyphs[prev].font == f && glyphs[prev].ppem == ppem {
				if k, err := f.Kern(&c.buf, glyphs[prev].idx, idx, ppem, font.HintingNone); err == nil {
					penX += float64(k) / 64
				}
			}
			glyphs = append(glyphs, placedGlyph{font: f, idx: idx, ppem: ppem, x: penX, y: penY, run: ri})
			prev = len(glyphs) - 1
			if adv, err := f.GlyphAdvance(&c.buf, idx, ppem, font.HintingNone); err == nil {
				penX += float64(adv) / 64
			}
			f = r.style.font()
		}
	}
	finishChunk()

	// Group the glyphs by paint, in order of first appearance.
	var paths []glyphPath
	var writers []*pathWriter
	find := func(paint []xml.Attr) int {
		for i, p := range paths {
			if samePaint(p.paint, paint) {
				return i
			}
		}
		paths = append(paths, glyphPath{paint: paint})
		writers = append(writers, &pathWriter{})
		return len(paths) - 1
	}
	for _, g := range glyphs {
		w := writers[find(runs[g.run].paint)]
		segs, err := g.font.LoadGlyph(&c.buf, g.idx, g.ppem, nil)
		if err != nil {
			continue
		}
		for _, s := range segs {
			a := s.Args
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				if w.open {
					w.b = append(w.b, 'Z')
				}
				w.cmd('M', g.x+fx(a[0].X), g.y+fx(a[0].Y))
				w.open = true
			case sfnt.SegmentOpLineTo:
				w.cmd('L', g.x+fx(a[0].X), g.y+fx(a[0].Y))
			case sfnt.SegmentOpQuadTo:
				w.cmd('Q', g.x+fx(a[0].X), g.y+fx(a[0].Y), g.x+fx(a[1].X), g.y+fx(a[1].Y))
			case sfnt.SegmentOpCubeTo:
				w.cmd('C', g.x+fx(a[0].X), g.y+fx(a[0].Y), g.x+fx(a[1].X), g.y+fx(a[1].Y), g.x+fx(a[2].X), g.y+fx(a[2].Y))
			}
		}
	}
	for i, w := range writers {
		if w.open {
			w.b = append(w.b, 'Z')
		}
		paths[i].d = w.b
	}
	if len(paths) == 0 {
		paths = append(paths, glyphPath{})
	}
	return paths
}

func fx(v fixed.Int26_6) float64 { return float64(v) / 64 }

func samePaint(a, b []xml.Attr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
