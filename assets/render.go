//go:build ignore

// render.go draws every illustration to a PNG and the icon to the PNG
// sizes desktops want, with the renderer Fyne itself uses (oksvg and
// rasterx), so what the app shows is what Fyne would have drawn, without
// the app paying for it at run time. Run it with `go generate ./assets`
// after changing a drawing; png/SOURCES.sha256 records what each PNG was
// drawn from, and the tests fail when a drawing changed without it.
package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/png"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"

	"github.com/gitpat/gitpat/assets"
	"github.com/gitpat/gitpat/internal/svgtext"
)

// The illustrations are 480x300. Each is drawn at the sizes the app shows
// it at, so the app never scales one at run time: in the steps at
// assets.StepWidth x assets.StepHeight times 1 and 2 (for HiDPI screens),
// and at 1.5 times its own size (720x450) for the enlarged view.
//
// oksvg draws a stroke as many pixels wide as the SVG says, whatever the
// size it draws at. The steps used to show the 720x450 PNG scaled down,
// so their lines were as thin as that made them: the smaller sizes are
// drawn with strokes scaled by width/720, which keeps that look.
var sizes = []struct {
	dir  string
	w, h int
}{
	{"png", 720, 450},
	{filepath.Join("png", fmt.Sprintf("%dx%d", assets.StepWidth, assets.StepHeight)), assets.StepWidth, assets.StepHeight},
	{filepath.Join("png", fmt.Sprintf("%dx%d", 2*assets.StepWidth, 2*assets.StepHeight)), 2 * assets.StepWidth, 2 * assets.StepHeight},
}

func main() {
	var sums strings.Builder
	for _, name := range assets.Illustrations() {
		src, err := os.ReadFile(filepath.Join("illustrations", name+".svg"))
		if err != nil {
			log.Fatal(err)
		}
		res, err := assets.Outlined(name)
		if err != nil {
			log.Fatal(err)
		}
		for _, s := range sizes {
			write(filepath.Join(s.dir, name+".png"), draw(res.Content(), s.w, s.h, float64(s.w)/720))
		}
		fmt.Fprintf(&sums, "%x  %s.svg\n", sha256.Sum256(src), name)
	}
	if err := os.WriteFile(filepath.Join("png", "SOURCES.sha256"), []byte(sums.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	icon, err := os.ReadFile("icon.svg")
	if err != nil {
		log.Fatal(err)
	}
	outlined, err := svgtext.Outline(icon)
	if err != nil {
		log.Fatal(err)
	}
	for _, size := range []int{32, 48, 64, 128, 256, 512} {
		write(filepath.Join("icons", fmt.Sprintf("%dx%d.png", size, size)), draw(outlined, size, size, 1))
	}
}

// draw draws svg at w x h pixels with its strokes' widths times stroke.
func draw(svg []byte, w, h int, stroke float64) image.Image {
	icon, err := oksvg.ReadIconStream(bytes.NewReader(svg))
	if err != nil {
		log.Fatal(err)
	}
	for i := range icon.SVGPaths {
		icon.SVGPaths[i].LineWidth *= stroke
	}
	icon.SetTarget(0, 0, float64(w), float64(h))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	icon.Draw(rasterx.NewDasher(w, h, rasterx.NewScannerGV(w, h, img, img.Bounds())), 1)
	return img
}

func write(path string, img image.Image) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", path, b.Len(), "bytes")
}
