package svgtext

import (
	"bytes"
	"encoding/xml"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const svgOpen = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100">`

func mustOutline(t *testing.T, src string) string {
	t.Helper()
	out, err := Outline([]byte(src))
	if err != nil {
		t.Fatalf("Outline: %v\ninput: %s", err, src)
	}
	return string(out)
}

// elements returns the start elements of doc, failing on malformed XML.
func elements(t *testing.T, doc string) []xml.StartElement {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	var out []xml.StartElement
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				return out
			}
			t.Fatalf("output is not well-formed XML: %v\n%s", err, doc)
		}
		if se, ok := tok.(xml.StartElement); ok {
			out = append(out, se.Copy())
		}
	}
}

func attr(se xml.StartElement, name string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func paths(t *testing.T, doc string) []xml.StartElement {
	t.Helper()
	var ps []xml.StartElement
	for _, se := range elements(t, doc) {
		if se.Name.Local == "path" {
			ps = append(ps, se)
		}
	}
	return ps
}

var numRE = regexp.MustCompile(`-?[0-9]+(?:\.[0-9]+)?`)

type bbox struct{ minX, minY, maxX, maxY float64 }

// pathBBox returns the bounding box of all coordinates in path data made of
// absolute commands with x y pairs (as Outline emits for text).
func pathBBox(t *testing.T, d string) bbox {
	t.Helper()
	nums := numRE.FindAllString(d, -1)
	if len(nums) == 0 || len(nums)%2 != 0 {
		t.Fatalf("unexpected path data %q", d)
	}
	b := bbox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i := 0; i < len(nums); i += 2 {
		x, _ := strconv.ParseFloat(nums[i], 64)
		y, _ := strconv.ParseFloat(nums[i+1], 64)
		b.minX, b.maxX = math.Min(b.minX, x), math.Max(b.maxX, x)
		b.minY, b.maxY = math.Min(b.minY, y), math.Max(b.maxY, y)
	}
	return b
}

func TestTextBecomesPath(t *testing.T) {
	src := svgOpen + `<rect x="0" y="0" width="200" height="100" fill="#eee"/>` +
		`<text x="10" y="50" font-size="20" fill="#24292f" fill-opacity="0.5" id="hello" class="c">Hello, Jira</text></svg>`
	out := mustOutline(t, src)
	if strings.Contains(out, "<text") {
		t.Fatalf("output still has <text: %s", out)
	}
	ps := paths(t, out)
	if len(ps) != 1 {
		t.Fatalf("want 1 path, got %d: %s", len(ps), out)
	}
	p := ps[0]
	for name, want := range map[string]string{"fill": "#24292f", "fill-opacity": "0.5", "id": "hello", "class": "c"} {
		if got, _ := attr(p, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for _, gone := range []string{"x", "y", "font-size"} {
		if _, ok := attr(p, gone); ok {
			t.Errorf("text attribute %s was kept on the path", gone)
		}
	}
	d, _ := attr(p, "d")
	b := pathBBox(t, d)
	// Baseline at y=50, cap height of a 20px font is ~14px, descender of "J" ~ small.
	if b.minX < 9 || b.minX > 13 || b.maxY > 56 || b.minY < 30 || b.minY > 40 {
		t.Errorf("unexpected text bounding box %+v", b)
	}
	// The rest of the document is untouched.
	if !strings.HasPrefix(out, svgOpen+`<rect x="0" y="0" width="200" height="100" fill="#eee"/>`) {
		t.Errorf("prefix not preserved: %s", out)
	}
	if !strings.HasSuffix(out, "</svg>") {
		t.Errorf("suffix not preserved: %s", out)
	}
}

func TestPreservesDocumentBytes(t *testing.T) {
	src := `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"   viewBox="0 0 10 10">
  <g fill="red" ><circle cx="5" cy="5" r="2" /></g>
  <line x1="0" y1="0" x2="10" y2="10" stroke="blue" stroke-linecap="round"></line>
</svg>
`
	if out := mustOutline(t, src); out != src {
		t.Fatalf("document without text changed:\n%s", out)
	}
}

func TestAnchorMiddleCentres(t *testing.T) {
	for _, anchor := range []string{"middle", "end", "start"} {
		src := svgOpen + `<text x="100" y="50" font-size="16" text-anchor="` + anchor + `">Generate token</text></svg>`
		ps := paths(t, mustOutline(t, src))
		if len(ps) != 1 {
			t.Fatalf("%s: want 1 path, got %d", anchor, len(ps))
		}
		d, _ := attr(ps[0], "d")
		b := pathBBox(t, d)
		switch anchor {
		case "middle":
			if centre := (b.minX + b.maxX) / 2; math.Abs(centre-100) > 1.5 {
				t.Errorf("middle: centre %.2f, want ~100 (bbox %+v)", centre, b)
			}
		case "end":
			if math.Abs(b.maxX-100) > 2 {
				t.Errorf("end: right edge %.2f, want ~100", b.maxX)
			}
		case "start":
			if math.Abs(b.minX-100) > 2 {
				t.Errorf("start: left edge %.2f, want ~100", b.minX)
			}
		}
	}
}

func TestAnchorInheritedFromGroup(t *testing.T) {
	src := svgOpen + `<g text-anchor="middle" font-size="20"><text x="100" y="50">Jira</text></g></svg>`
	d, _ := attr(paths(t, mustOutline(t, src))[0], "d")
	b := pathBBox(t, d)
	if centre := (b.minX + b.maxX) / 2; math.Abs(centre-100) > 1.5 {
		t.Errorf("centre %.2f, want ~100", centre)
	}
	if h := b.maxY - b.minY; h < 13 || h > 20 {
		t.Errorf("inherited font-size 20 not applied: height %.2f", h)
	}
}

func TestBoldDiffersFromRegular(t *testing.T) {
	outline := func(weight string) (string, bbox) {
		src := svgOpen + `<text x="10" y="50" font-size="16"` + weight + `>Settings</text></svg>`
		d, _ := attr(paths(t, mustOutline(t, src))[0], "d")
		return d, pathBBox(t, d)
	}
	regular, rb := outline("")
	bold, bb := outline(` font-weight="bold"`)
	heavy, _ := outline(` font-weight="700"`)
	medium, _ := outline(` font-weight="500"`)
	if regular == bold {
		t.Fatal("bold text has the same outline as regular text")
	}
	if bold != heavy {
		t.Error(`font-weight="700" should select the bold font`)
	}
	if medium != regular {
		t.Error(`font-weight="500" should select the regular font`)
	}
	if bb.maxX-bb.minX <= rb.maxX-rb.minX {
		t.Errorf("bold text should be wider: regular %+v bold %+v", rb, bb)
	}
}

func TestTspanRuns(t *testing.T) {
	src := svgOpen + `<text x="10" y="40" font-size="14" fill="#333">Note <tspan font-weight="bold" fill="#e8590c">Jira</tspan> ok` +
		`<tspan x="10" y="70">second line</tspan></text></svg>`
	out := mustOutline(t, src)
	if strings.Contains(out, "tspan") || strings.Contains(out, "<text") {
		t.Fatalf("text left in output: %s", out)
	}
	ps := paths(t, out)
	if len(ps) != 2 {
		t.Fatalf("want 2 paths (two paints), got %d: %s", len(ps), out)
	}
	fills := []string{}
	for _, p := range ps {
		f, _ := attr(p, "fill")
		fills = append(fills, f)
	}
	if fills[0] != "" && fills[0] != "#333" || fills[1] != "#e8590c" {
		t.Errorf("fills = %q", fills)
	}
	d, _ := attr(ps[0], "d")
	if b := pathBBox(t, d); b.maxY < 65 {
		t.Errorf("second line (y=70) missing: bbox %+v", b)
	}
}

func TestWhitespaceCollapsed(t *testing.T) {
	a := mustOutline(t, svgOpen+`<text x="10" y="40">a b</text></svg>`)
	b := mustOutline(t, svgOpen+"<text x=\"10\" y=\"40\">\n   a  \t\n  b   </text></svg>")
	if a != b {
		t.Errorf("white space not normalised:\n%s\n%s", a, b)
	}
}

func TestEmptyTextKeepsDocumentValid(t *testing.T) {
	out := mustOutline(t, svgOpen+`<text x="1" y="2" id="e">   </text><text/></svg>`)
	if strings.Contains(out, "<text") {
		t.Fatalf("text left: %s", out)
	}
	elements(t, out)
}

func TestRoundedRectBecomesPath(t *testing.T) {
	src := svgOpen + `<rect x="10" y="20" width="100" height="40" rx="8" fill="#fff" stroke="#d0d7de" id="box"/>` +
		`<rect x="0" y="0" width="5" height="5" fill="red"/>` +
		`<rect x="1" y="1" width="30" height="10" ry="20"><title>t</title></rect></svg>`
	out := mustOutline(t, src)
	if !strings.Contains(out, `<rect x="0" y="0" width="5" height="5" fill="red"/>`) {
		t.Errorf("square rect should be untouched: %s", out)
	}
	ps := paths(t, out)
	if len(ps) != 2 {
		t.Fatalf("want 2 paths, got %d: %s", len(ps), out)
	}
	p := ps[0]
	for name, want := range map[string]string{"fill": "#fff", "stroke": "#d0d7de", "id": "box"} {
		if got, _ := attr(p, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for _, gone := range []string{"x", "y", "width", "height", "rx"} {
		if _, ok := attr(p, gone); ok {
			t.Errorf("rect attribute %s kept on path", gone)
		}
	}
	d, _ := attr(p, "d")
	if !strings.HasPrefix(d, "M 18 20 H 102 C") || !strings.HasSuffix(d, "Z") {
		t.Errorf("unexpected rounded rect path %q", d)
	}
	nums := numRE.FindAllString(d, -1)
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	// H and V take one coordinate, so check extremes over all numbers by axis
	// using the known layout: every value must lie within the rect.
	for _, n := range nums {
		v, _ := strconv.ParseFloat(n, 64)
		minX, maxX = math.Min(minX, v), math.Max(maxX, v)
		minY, maxY = math.Min(minY, v), math.Max(maxY, v)
	}
	if minX < 10 || maxX > 110 {
		t.Errorf("path leaves the rect: %q", d)
	}
	// ry larger than half the height is clamped; the child element survives.
	if !strings.Contains(out, "<title>t</title></path>") {
		t.Errorf("non-empty rect not closed as path: %s", out)
	}
}

func TestNamespacesSurvive(t *testing.T) {
	src := `<svg:svg xmlns:svg="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><svg:text x="1" y="8" xml:space="preserve">A</svg:text>` +
		`<svg:rect width="5" height="5" rx="1"/></svg:svg>`
	out := mustOutline(t, src)
	els := elements(t, out)
	n := 0
	for _, se := range els {
		if se.Name.Space != "http://www.w3.org/2000/svg" {
			t.Errorf("element %v lost its namespace", se.Name)
		}
		if se.Name.Local == "path" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("want 2 paths, got %d: %s", n, out)
	}
}

var malformed = []string{
	``,
	`   `,
	`<svg`,
	`<svg>`,
	`<svg><text>abc</svg>`,
	`<svg><text x="1">a<tspan>b</text></tspan></svg>`,
	`<svg><rect rx="2" width="3" height="3"></g></svg>`,
	`<svg></svg></svg>`,
	`<svg></svg><svg></svg>`,
	`</svg>`,
	`<svg><text>&bogus;</text></svg>`,
	`<svg x="1 y="2"/>`,
	`hello`,
	`<svg/>trailing`,
	"<svg>\x00</svg>",
	`<svg><text>`,
}

func TestMalformedXMLReturnsError(t *testing.T) {
	for _, src := range malformed {
		out, err := Outline([]byte(src))
		if err == nil {
			t.Errorf("Outline(%q) = %q, want an error", src, out)
		}
	}
}

func TestIllustrationsFromAssets(t *testing.T) {
	files, _ := filepath.Glob("../../assets/illustrations/*.svg")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Outline(src)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if bytes.Contains(out, []byte("<text")) {
			t.Errorf("%s: text left after Outline", f)
		}
	}
}

func FuzzOutline(f *testing.F) {
	seeds := append([]string{
		svgOpen + `<text x="10" y="50" font-size="20" text-anchor="middle" font-weight="bold">Hello</text></svg>`,
		svgOpen + `<rect x="1" y="2" width="30" height="20" rx="4" ry="3"/><rect width="1e308" height="1e308" rx="1e308"/></svg>`,
		svgOpen + `<text x="1 2 3" y="4" dx="1" font-size="1e9" style="font-size:2em;font-weight:900">a<tspan dy="3" fill="red">b<title>t</title></tspan>c</text></svg>`,
		svgOpen + `<text font-size="-1">neg</text><text font-size="NaN" x="Inf">nan</text></svg>`,
		svgOpen + "<text>\u2022\u2022 \U0001F600 \u0000</text></svg>",
	}, malformed...)
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := Outline(src)
		if err != nil {
			return
		}
		// Whatever was accepted must come out well-formed and text-free.
		dec := xml.NewDecoder(bytes.NewReader(out))
		for {
			tok, err := dec.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("Outline(%q) produced malformed XML %q: %v", src, out, err)
				}
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "text" {
				t.Fatalf("Outline(%q) left a text element: %q", src, out)
			}
		}
	})
}

func BenchmarkOutline(b *testing.B) {
	src, err := os.ReadFile("../../assets/illustrations/github-5-scopes.svg")
	if err != nil {
		b.Skipf("illustration not found: %v", err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Outline(src); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAppendNum(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", -0.001: "0", 1: "1", -1: "-1", 1.5: "1.5", 1.05: "1.05", -12.345: "-12.35",
		0.999: "1", 100.1: "100.1", -0.5: "-0.5", math.NaN(): "0", math.Inf(-1): "0",
	} {
		if got := string(appendNum(nil, v)); got != want {
			t.Errorf("appendNum(%v) = %q, want %q", v, got, want)
		}
	}
	if got := string(appendNum(nil, 1e300)); !strings.HasPrefix(got, "1000") || strings.ContainsAny(got, "e+") {
		t.Errorf("appendNum(1e300) = %q, want plain digits", got)
	}
}
