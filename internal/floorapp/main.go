// Command floorapp is the floor gitpat's start-up is measured against: the
// smallest Fyne app, one window with one label, built the same way.
package main

import (
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.gitpat.floor")
	w := a.NewWindow("gitpat")
	w.SetContent(widget.NewLabel("floor"))
	w.Resize(fyne.NewSize(1000, 720))
	// Quit cleanly on a signal, as gitpat does, so runs compare alike.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-sig
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
}
