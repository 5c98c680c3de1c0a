package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/gitpat/gitpat/assets"
	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/clip/cliptest"
)

// benchUI is the window as the app builds it, with the real drawings, on
// Fyne's test driver (its layout and text measuring, without painting).
func benchUI(b *testing.B) *UI {
	u := New(test.NewTempApp(b), Deps{Hosts: hosts.All(), Illustration: assets.IllustrationFor, Clock: cliptest.NewClock()})
	u.Window().Resize(fyne.NewSize(1000, 720))
	u.opened()
	b.Cleanup(u.Close)
	return u
}

// BenchmarkTabFirstShown: the window built and opened, then every tab
// shown once, so each builds its steps and form.
func BenchmarkTabFirstShown(b *testing.B) {
	for b.Loop() {
		u := benchUI(b)
		for i := range u.tabs.Items {
			u.tabs.SelectIndex(i)
		}
	}
}

// BenchmarkTabSwitch: going back and forth between two tabs already built.
func BenchmarkTabSwitch(b *testing.B) {
	u := benchUI(b)
	for i := range u.tabs.Items {
		u.tabs.SelectIndex(i)
	}
	n := 0
	for b.Loop() {
		u.tabs.SelectIndex(n % 2)
		n++
	}
}
