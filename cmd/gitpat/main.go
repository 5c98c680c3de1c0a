// Command gitpat is the desktop app: one tab per git host, to create a
// personal access token for the Jira git integration and test it.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"

	"fyne.io/fyne/v2/app"

	"github.com/gitpat/gitpat/assets"
	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/clip"
	"github.com/gitpat/gitpat/internal/clip/system"
	"github.com/gitpat/gitpat/internal/open"
	"github.com/gitpat/gitpat/internal/remind"
	"github.com/gitpat/gitpat/internal/savedlist"
	"github.com/gitpat/gitpat/internal/vault"
	"github.com/gitpat/gitpat/ui"
)

func main() {
	startProfile()
	tab := flag.String("tab", "github", "the tab to open: github, gitlab, azure-devops, tfs, azure-devops-server, codecommit,\nbitbucket, bitbucket-datacenter, gerrit or saved")
	remindOnly := flag.Bool("remind", false, "no window: notify about saved tokens that expire soon, then exit (run at login)")
	remindDays := flag.Int("remind-days", remind.DefaultDays, "with --remind, how many days ahead to look")
	flag.Parse()
	if *remindOnly {
		os.Exit(runRemind(*remindDays))
	}
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "tab" })
	*tab = startTab(*tab, explicit)

	a := app.NewWithID("io.github.gitpat")
	a.SetIcon(assets.WindowIcon)
	// Secrets go to the clipboard with the markers that keep them out of
	// clipboard history, where the desktop has them.
	board := system.New(a.Clipboard())
	var list ui.SavedList
	if f, err := savedlist.Default(); err == nil {
		list = f
	}
	w := ui.Open(a, ui.Deps{
		SavedList:    list,
		LoginItem:    remind.ForSystem(runtime.GOOS, remind.DefaultPaths(), remind.SystemRunKey()),
		Executable:   os.Executable,
		Hosts:        hosts.All(),
		OpenURL:      open.URL,
		Illustration: assets.IllustrationFor,
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
