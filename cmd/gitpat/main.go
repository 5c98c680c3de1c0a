// Command gitpat is the desktop app: one tab per git host, to create a
// personal access token for the Jira git integration and test it.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"

	"fyne.io/fyne/v2"
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

	if !haveDisplay() {
		fmt.Fprintln(os.Stderr, "gitpat: there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set). "+headless)
		os.Exit(1)
	}
	a := app.NewWithID("io.github.gitpat")
	a.SetIcon(assets.WindowIcon)
	// Secrets go to the clipboard with the markers that keep them out of
	// clipboard history, where the desktop has them.
	board := system.New(a.Clipboard())
	var list ui.SavedList
	if f, err := savedlist.Default(); err == nil {
		list = f
	}
	w := openWindow(a, ui.Deps{
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

// headless is what to use where no window can be opened.
const headless = "gitpat-check runs the same checks without a window."

// haveDisplay reports whether there may be a display to open a window on:
// on Linux and the BSDs, one named by DISPLAY or WAYLAND_DISPLAY (not so
// over ssh without X forwarding, or in a container).
func haveDisplay() bool {
	switch runtime.GOOS {
	case "windows", "darwin":
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

// openWindow is ui.Open, saying in a sentence, rather than with GLFW's
// panic, that no window can be opened (a display that cannot be reached,
// no OpenGL). Nothing secret exists yet to be in the message.
func openWindow(a fyne.App, d ui.Deps) *ui.UI {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "gitpat: the window cannot be opened: %v. %s\n", r, headless)
			os.Exit(1)
		}
	}()
	return ui.Open(a, d)
}
