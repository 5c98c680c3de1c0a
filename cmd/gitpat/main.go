// Command gitpat is the desktop app: one tab per git host, to create a
// personal access token for the Jira git integration and test it.
package main

import (
	"flag"
	"fmt"
	"os"

	"fyne.io/fyne/v2/app"

	"github.com/gitpat/gitpat/assets"
	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/clip"
	"github.com/gitpat/gitpat/internal/clip/system"
	"github.com/gitpat/gitpat/internal/open"
	"github.com/gitpat/gitpat/internal/vault"
	"github.com/gitpat/gitpat/ui"
)

func main() {
	tab := flag.String("tab", "github", "the tab to open: github, gitlab, azure-devops, tfs, azure-devops-server, codecommit or saved")
	flag.Parse()

	a := app.NewWithID("io.github.gitpat")
	a.SetIcon(assets.WindowIcon)
	// Secrets go to the clipboard with the markers that keep them out of
	// clipboard history, where the desktop has them.
	board := system.New(a.Clipboard())
	w := ui.New(a, ui.Deps{
		Hosts:        hosts.All(),
		OpenURL:      open.URL,
		Illustration: assets.Illustration,
		Vault:        vault.Store{},
		Clock:        clip.RealClock{},
		Clipboard:    board.Board,
		ClipNote:     board.Note,
	})
	if !w.SelectHost(*tab) {
		fmt.Fprintf(os.Stderr, "gitpat: no tab %q\n", *tab)
		os.Exit(2)
	}
	// ShowAndRun quits cleanly on the close button, Ctrl+Q, SIGINT, SIGTERM
	// and SIGHUP: the clipboard is cleared first and preferences are
	// written whole.
	w.ShowAndRun()
}
