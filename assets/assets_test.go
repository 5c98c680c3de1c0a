package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// wantIllustrations are the names other packages refer to.
var wantIllustrations = []string{
	"ados-1-security", "ados-2-new", "ados-3-form", "ados-4-scopes", "ados-5-copy",
	"aws-1-iam", "aws-2-user", "aws-3-credentials", "aws-4-usecase", "aws-5-copy",
	"azure-1-usersettings", "azure-2-new", "azure-3-form", "azure-4-scopes", "azure-5-copy",
	"bbc-1-account", "bbc-2-security", "bbc-3-create", "bbc-4-app", "bbc-5-scopes", "bbc-6-copy",
	"bbdc-1-account", "bbdc-2-tokens", "bbdc-3-permissions", "bbdc-4-expiry", "bbdc-5-copy",
	"gerrit-1-settings", "gerrit-2-profile", "gerrit-3-credentials", "gerrit-4-copy",
	"github-1-settings", "github-2-developer", "github-3-tokens", "github-4-note",
	"github-5-scopes", "github-6-copy", "github-7-sso",
	"gitlab-1-avatar", "gitlab-2-tokens", "gitlab-3-add", "gitlab-4-form", "gitlab-5-scopes", "gitlab-6-copy",
	"tfs-1-security", "tfs-2-add", "tfs-3-form", "tfs-4-scopes", "tfs-5-copy",
}

func TestIllustrationsList(t *testing.T) {
	got := Illustrations()
	if !slices.Equal(got, wantIllustrations) {
		t.Fatalf("Illustrations() = %q\nwant %q", got, wantIllustrations)
	}
	if !slices.IsSorted(got) {
		t.Error("Illustrations() is not sorted")
	}
}

// allowedElements is the drawing vocabulary of the illustrations: shapes,
// groups and text, nothing that oksvg might misdraw.
var allowedElements = map[string]bool{
	"svg": true, "g": true, "rect": true, "circle": true, "ellipse": true, "line": true,
	"polyline": true, "polygon": true, "path": true, "text": true, "tspan": true,
}

// checkSource validates an illustration's source: well-formed, 480x300,
// only allowed elements, no transforms other than translate.
func checkSource(t *testing.T, name string, src []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(src))
	root := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: malformed source: %v", name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !allowedElements[se.Name.Local] {
			t.Errorf("%s: element <%s> is not allowed", name, se.Name.Local)
		}
		attrs := map[string]string{}
		for _, a := range se.Attr {
			attrs[a.Name.Local] = a.Value
		}
		if tr, ok := attrs["transform"]; ok && !strings.HasPrefix(strings.TrimSpace(tr), "translate(") {
			t.Errorf("%s: transform %q on <%s>: only translate is allowed", name, tr, se.Name.Local)
		}
		if _, ok := attrs["style"]; ok {
			t.Errorf("%s: style attribute on <%s>: use presentation attributes", name, se.Name.Local)
		}
		if root {
			root = false
			if se.Name.Local != "svg" || se.Name.Space != "http://www.w3.org/2000/svg" {
				t.Errorf("%s: root is %v, want svg in the SVG namespace", name, se.Name)
			}
			if attrs["viewBox"] != "0 0 480 300" || attrs["width"] != "480" || attrs["height"] != "300" {
				t.Errorf("%s: viewBox %q width %q height %q, want 0 0 480 300, 480, 300",
					name, attrs["viewBox"], attrs["width"], attrs["height"])
			}
		}
		if se.Name.Local == "text" {
			size, err := strconv.ParseFloat(attrs["font-size"], 64)
			if err != nil || size < 13 {
				t.Errorf("%s: text needs a font-size of at least 13 px, has %q", name, attrs["font-size"])
			}
		}
	}
}

// placeholders only: never anything that looks like a real credential.
var realLooking = []*regexp.Regexp{
	regexp.MustCompile(`AKIA[A-Z0-9]{16}`),
	regexp.MustCompile(`ghp_[A-Za-z0-9]{8,}`),
	regexp.MustCompile(`glpat-[A-Za-z0-9_-]{8,}`),
	regexp.MustCompile(`ATATT3[A-Za-z0-9_=-]{12,}`),
	regexp.MustCompile(`BBDC-[A-Za-z0-9+/]{8,}`),
}

func TestIllustrations(t *testing.T) {
	test.NewTempApp(t)
	for _, name := range Illustrations() {
		t.Run(name, func(t *testing.T) {
			src, err := illustrationFS.ReadFile("illustrations/" + name + ".svg")
			if err != nil {
				t.Fatal(err)
			}
			checkSource(t, name, src)
			for _, re := range realLooking {
				if m := re.Find(src); m != nil {
					t.Errorf("real-looking credential %q: use a masked placeholder", m)
				}
			}

			res, err := Outlined(name)
			if err != nil {
				t.Fatalf("Outlined: %v", err)
			}
			if res.Name() != name+".svg" {
				t.Errorf("resource name %q, want %q", res.Name(), name+".svg")
			}
			if bytes.Contains(res.Content(), []byte("<text")) {
				t.Error("outlined illustration still contains <text")
			}
			if err := xml.Unmarshal(res.Content(), new(struct{})); err != nil {
				t.Errorf("outlined illustration is not well-formed: %v", err)
			}

			// What the app shows: the PNG drawn from it by Fyne's renderer.
			pngRes, err := Illustration(name)
			if err != nil {
				t.Fatalf("Illustration: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(pngRes.Content()))
			if err != nil {
				t.Fatalf("PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != 720 || b.Dy() != 450 {
				t.Errorf("PNG is %v, want 720x450", b.Size())
			}
			if n := distinctColours(img); n < 12 {
				t.Errorf("PNG has only %d distinct colours: nothing drawn?", n)
			}
			if dark := darkTextPixels(img); dark < 1200 {
				t.Errorf("PNG has only %d dark text pixels: text missing?", dark)
			}

			// The sizes the steps show it at, at scale 1 and 2: drawn at
			// exactly that size, with text (small text has fewer fully dark
			// pixels: half as many for the area is asked).
			for _, k := range []int{1, 2} {
				w, h := k*StepWidth, k*StepHeight
				res, err := IllustrationFor(name, w)
				if err != nil {
					t.Fatalf("IllustrationFor %d: %v", w, err)
				}
				small, err := png.Decode(bytes.NewReader(res.Content()))
				if err != nil {
					t.Fatalf("PNG %dx%d: %v", w, h, err)
				}
				if b := small.Bounds(); b.Dx() != w || b.Dy() != h {
					t.Errorf("PNG for %d px is %v, want %dx%d", w, b.Size(), w, h)
				}
				if n := distinctColours(small); n < 12 {
					t.Errorf("PNG %dx%d has only %d distinct colours: nothing drawn?", w, h, n)
				}
				if dark, want := darkTextPixels(small), 1200*w*h/(720*450)/2; dark < want {
					t.Errorf("PNG %dx%d has only %d dark text pixels (want %d): text missing?", w, h, dark, want)
				}
			}
		})
	}
}

// TestPNGsAreUpToDate: every PNG was drawn from the drawing as it is now.
func TestPNGsAreUpToDate(t *testing.T) {
	sums, err := pngFS.ReadFile("png/SOURCES.sha256")
	if err != nil {
		t.Fatal("png/SOURCES.sha256 is missing: run go generate ./assets")
	}
	recorded := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		sum, file, _ := strings.Cut(line, "  ")
		recorded[file] = sum
	}
	for _, name := range Illustrations() {
		src, _ := illustrationFS.ReadFile("illustrations/" + name + ".svg")
		if got := fmt.Sprintf("%x", sha256.Sum256(src)); recorded[name+".svg"] != got {
			t.Errorf("png/%s.png was drawn from another version of %s.svg: run go generate ./assets", name, name)
		}
	}
}

func render(t *testing.T, res fyne.Resource, size fyne.Size) image.Image {
	t.Helper()
	img := canvas.NewImageFromResource(res)
	img.FillMode = canvas.ImageFillContain
	w := test.NewTempWindow(t, img)
	w.SetPadded(false)
	w.Resize(size)
	return w.Canvas().Capture()
}

func distinctColours(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}

// darkTextPixels counts pixels close to the page text colour #24292f.
func darkTextPixels(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 < 0x50 && g>>8 < 0x50 && bl>>8 < 0x58 {
				n++
			}
		}
	}
	return n
}

func TestOutlinedCachedAndNamed(t *testing.T) {
	a, err := Outlined("github-1-settings")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Outlined("github-1-settings.svg")
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("repeated calls should return the cached resource")
	}
	if _, ok := a.(*fyne.StaticResource); !ok {
		t.Errorf("resource is %T, want *fyne.StaticResource", a)
	}
}

// TestIllustrationForPicksTheSize: the PNG prepared for a width is drawn
// at that width when there is one, else the next wider, else the widest.
func TestIllustrationForPicksTheSize(t *testing.T) {
	for _, c := range []struct {
		px   int
		want string
		w    int
	}{
		{1, "github-6-copy@288x180.png", 288},
		{StepWidth, "github-6-copy@288x180.png", 288},
		{StepWidth + 1, "github-6-copy@576x360.png", 576},
		{432, "github-6-copy@576x360.png", 576}, // scale 1.5
		{2 * StepWidth, "github-6-copy@576x360.png", 576},
		{600, "github-6-copy.png", 720},
		{720, "github-6-copy.png", 720},
		{864, "github-6-copy.png", 720}, // scale 3: the widest
	} {
		res, err := IllustrationFor("github-6-copy", c.px)
		if err != nil {
			t.Fatalf("IllustrationFor(%d): %v", c.px, err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(res.Content()))
		if err != nil {
			t.Fatal(err)
		}
		if res.Name() != c.want || cfg.Width != c.w {
			t.Errorf("IllustrationFor(%d) = %s, %d px wide; want %s, %d px", c.px, res.Name(), cfg.Width, c.want, c.w)
		}
	}
	if res, err := Illustration("github-6-copy.svg"); err != nil || res.Name() != "github-6-copy.png" {
		t.Errorf("Illustration = %v, %v; want the 720 px PNG", res, err)
	}
}

func TestIllustrationUnknown(t *testing.T) {
	for _, name := range []string{"", "nope", "github-99-x", "../icon", "illustrations/github-1-settings", ".svg", "png/github-1-settings"} {
		if r, err := Illustration(name); err == nil {
			t.Errorf("Illustration(%q) = %v, want an error", name, r)
		}
		if r, err := Outlined(name); err == nil {
			t.Errorf("Outlined(%q) = %v, want an error", name, r)
		}
		if r, err := IllustrationFor(name, StepWidth); err == nil {
			t.Errorf("IllustrationFor(%q) = %v, want an error", name, r)
		}
	}
}

func TestIcon(t *testing.T) {
	test.NewTempApp(t)
	if Icon == nil || Icon.Name() != "icon.svg" {
		t.Fatalf("Icon = %v", Icon)
	}
	if bytes.Contains(Icon.Content(), []byte("<text")) {
		t.Error("icon contains text")
	}
	for _, size := range []float32{32, 256} {
		img := render(t, Icon, fyne.NewSize(size, size))
		if n := distinctColours(img); n < 4 {
			t.Errorf("icon at %v px has only %d colours", size, n)
		}
	}
}

func BenchmarkOutlinedCached(b *testing.B) {
	if _, err := Outlined("github-5-scopes"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Outlined("github-5-scopes"); err != nil {
			b.Fatal(err)
		}
	}
}
