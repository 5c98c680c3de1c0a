package main

import (
	"os"
	"path/filepath"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/godbus/dbus/v5"

	"github.com/gitpat/gitpat/assets"
	"github.com/gitpat/gitpat/internal/remind"
	"github.com/gitpat/gitpat/internal/savedlist"
)

// remindLimit ends `gitpat --remind` whatever it waits for: it runs at
// login and must never hold one up.
const remindLimit = 10 * time.Second

// runRemind is `gitpat --remind`: no window. It reads the saved-token list
// (never the keyring), sends one desktop notification through Fyne naming
// the tokens that expire within days or have expired, notes that it did so
// (see startTab), and exits. Nothing to say, no list, no session bus: it
// exits at once, quietly.
//
// Clicking the notification: Fyne's notification carries no action, so
// what a click does is the desktop's. GNOME Shell and Cinnamon open the
// application whose desktop entry matches the sender's name
// (io.github.gitpat.desktop, installed by `make install`; js/ui/
// notificationDaemon.js, _getApp), and macOS opens the app of a bundled
// notification; gitpat then starts on Saved tokens. KDE Plasma, Xfce, dunst
// and Windows' toast (sent by Fyne through PowerShell) only dismiss it.
func runRemind(days int) int {
	time.AfterFunc(remindLimit, func() { os.Exit(0) })
	list, err := savedlist.Default()
	if err != nil {
		return 0
	}
	tokens, err := list.Load()
	if err != nil {
		return 0
	}
	now := time.Now()
	title, body, ok := remind.Message(tokens, now, days)
	if !ok {
		return 0
	}
	if !notificationBus() {
		return 0
	}
	a := app.NewWithID("io.github.gitpat")
	a.SetIcon(assets.WindowIcon)
	a.SendNotification(fyne.NewNotification(title, body))
	_ = remind.MarkShown(filepath.Dir(list.Path), now)
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		// There Fyne hands the notification to PowerShell or to the
		// notification centre in the background: give it time to leave.
		time.Sleep(remindLimit / 2)
	}
	return 0
}

// notificationBus reports whether a desktop notification can be sent. On
// Linux and the BSDs that needs the session bus: without one (a console
// login, ssh), Fyne would log an error, and the D-Bus library would try
// to launch a bus of its own.
func notificationBus() bool {
	switch runtime.GOOS {
	case "windows", "darwin":
		return true
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if _, err := os.Stat(filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "bus")); os.Getenv("XDG_RUNTIME_DIR") == "" || err != nil {
			return false
		}
	}
	_, err := dbus.SessionBus() // shared with Fyne's call, so connected once
	return err == nil
}

// startTab is the tab gitpat opens on: the one asked for, or Saved tokens
// when a reminder was shown lately and nothing was asked (the user clicked
// the notification, or came to renew a token).
func startTab(asked string, explicit bool) string {
	if explicit {
		return asked
	}
	if dir, err := savedlist.Dir(); err == nil && remind.TakePending(dir, time.Now()) {
		return "saved"
	}
	return asked
}
