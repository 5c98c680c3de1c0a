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

// The illustrations are 480x300; they are drawn at 1.5 times that, so they
// stay sharp in the enlarged view.
const width, height = 720, 450

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
		write(filepath.Join("png", name+".png"), draw(res.Content(), width, height))
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
		write(filepath.Join("icons", fmt.Sprintf("%dx%d.png", size, size)), draw(outlined, size, size))
	}
}

func draw(svg []byte, w, h int) image.Image {
	icon, err := oksvg.ReadIconStream(bytes.NewReader(svg))
	if err != nil {
		log.Fatal(err)
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
