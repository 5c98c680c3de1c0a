// Package assets holds gitpat's drawings: the app icon and the step-by-step
// illustrations that show where to click on each git host's web pages.
//
// The illustrations are authored as readable SVG with real <text> elements
// (assets/illustrations/*.svg). Fyne's SVG renderer cannot draw text, so
// Outlined passes a drawing through svgtext.Outline, which turns text into
// glyph outlines. Rasterising such a drawing takes Fyne's renderer 0.2 to
// 1.5 s of CPU, and the app shows up to seven at once, so the app shows PNGs
// rendered from the outlined SVG ahead of time (assets/png, made by
// `go generate ./assets`), at each size the app shows them at, so that it
// never scales one at run time; a test fails when a PNG is older than its
// SVG.
//
// When editing a drawing, keep to what Fyne's renderer (oksvg) draws well:
// rect, circle, ellipse, line, polyline (three points or more), polygon,
// path, g and text; no transforms, filters, gradients, masks or CSS. oksvg
// does not scale stroke widths with the drawing (a 3 px stroke stays 3 px at
// any size), so keep strokes thin in the illustrations; the icon, shown from
// 16 to 512 px, is drawn with fills only.
package assets

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/gitpat/gitpat/internal/svgtext"
)

//go:embed illustrations/*.svg
var illustrationFS embed.FS

//go:embed png/*.png png/288x180/*.png png/576x360/*.png png/SOURCES.sha256
var pngFS embed.FS

// StepWidth and StepHeight are the size, in Fyne's units, at which the steps
// show a drawing (0.6 times the drawings' 480x300). Each drawing is drawn
// at that size and at twice it (png/288x180, png/576x360), for screens at
// scale 1 and 2.
const StepWidth, StepHeight = 288, 180

// widths are the widths in pixels each drawing is prepared at, with the
// folder in png/ that holds them, narrowest first.
var widths = []struct {
	px  int
	dir string
}{
	{StepWidth, "png/288x180"},
	{2 * StepWidth, "png/576x360"},
	{720, "png"},
}

//go:generate go run render.go

//go:embed icon.svg
var iconSVG []byte

// Icon is the application icon, a key crossed with a git branch, as SVG.
var Icon fyne.Resource = mustOutline("icon.svg", iconSVG)

//go:embed icons/256x256.png
var iconPNG []byte

// WindowIcon is the icon as a 256x256 PNG, drawn from icon.svg by
// `go generate`: a window icon must be a raster, and rasterising the SVG
// at start-up would cost the window its first paint.
var WindowIcon fyne.Resource = fyne.NewStaticResource("icon.png", iconPNG)

func mustOutline(name string, src []byte) fyne.Resource {
	out, err := svgtext.Outline(src)
	if err != nil {
		panic(fmt.Sprintf("assets: %s: %v", name, err))
	}
	return fyne.NewStaticResource(name, out)
}

const illustrationDir = "illustrations"

// Illustration returns the named illustration as the PNG rendered from its
// SVG (720x450, one and a half times the drawing's size, so that it stays
// sharp when shown larger). The name is the file name with or without its
// extension, e.g. "github-1-settings".
func Illustration(name string) (fyne.Resource, error) { return IllustrationFor(name, 720) }

// IllustrationFor returns the named illustration as the PNG prepared for
// showing it px pixels wide: the narrowest at least that wide (exactly as
// wide at StepWidth, twice StepWidth and 720), else the widest. The
// resource is named after the file and its size ("github-1-settings.png"
// at 720 px, "github-1-settings@288x180.png" otherwise).
func IllustrationFor(name string, px int) (fyne.Resource, error) {
	base := strings.TrimSuffix(strings.TrimSuffix(name, ".svg"), ".png")
	if base == "" || strings.ContainsAny(base, `/\`) {
		return nil, fmt.Errorf("assets: unknown illustration %q", name)
	}
	w := widths[len(widths)-1]
	for _, c := range widths {
		if c.px >= px {
			w = c
			break
		}
	}
	b, err := pngFS.ReadFile(path.Join(w.dir, base+".png"))
	if err != nil {
		return nil, fmt.Errorf("assets: unknown illustration %q", name)
	}
	file := base + ".png"
	if w.dir != "png" {
		file = base + "@" + path.Base(w.dir) + ".png"
	}
	return fyne.NewStaticResource(file, b), nil
}

// cache maps an illustration name (without ".svg") to its outlined SVG.
var cache sync.Map

// Outlined returns the named illustration as SVG with its text outlined so
// that Fyne's renderer can draw it. The name is the file name with or
// without the ".svg" extension; the resource is named after the file
// ("github-1-settings.svg"). Results are cached.
func Outlined(name string) (fyne.Resource, error) {
	base := strings.TrimSuffix(name, ".svg")
	if r, ok := cache.Load(base); ok {
		return r.(fyne.Resource), nil
	}
	if base == "" || strings.ContainsAny(base, `/\`) {
		return nil, fmt.Errorf("assets: unknown illustration %q", name)
	}
	file := base + ".svg"
	src, err := illustrationFS.ReadFile(path.Join(illustrationDir, file))
	if err != nil {
		return nil, fmt.Errorf("assets: unknown illustration %q", name)
	}
	out, err := svgtext.Outline(src)
	if err != nil {
		return nil, fmt.Errorf("assets: illustration %q: %w", name, err)
	}
	r, _ := cache.LoadOrStore(base, fyne.NewStaticResource(file, out))
	return r.(fyne.Resource), nil
}

// Illustrations lists the names of all illustrations, sorted, without the
// ".svg" extension (e.g. "aws-1-iam", ..., "tfs-5-copy").
func Illustrations() []string {
	entries, err := fs.ReadDir(illustrationFS, illustrationDir)
	if err != nil {
		return nil // cannot happen: the directory is embedded
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && strings.HasSuffix(n, ".svg") {
			names = append(names, strings.TrimSuffix(n, ".svg"))
		}
	}
	sort.Strings(names)
	return names
}
