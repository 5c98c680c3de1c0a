package remind

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"howett.net/plist"
)

// LoginItem starts `gitpat --remind` each time the user logs in.
type LoginItem interface {
	// Install writes the item for the gitpat executable at exe, replacing
	// one written before (another path, another number of days).
	Install(exe string, days int) error
	// Remove deletes the item; removing what is not there is no error.
	Remove() error
	// Installed reports whether the item is there.
	Installed() bool
	// Where says in a few words where the item lives, for the settings.
	Where() string
}

// ID names gitpat's login item on every system.
const ID = "io.github.gitpat.remind"

// Args are the arguments the item starts gitpat with.
func Args(days int) []string { return []string{"--remind", "--remind-days", strconv.Itoa(days)} }

// Paths are the folders the login items live in; tests point them at
// temporary folders.
type Paths struct {
	ConfigHome string // XDG_CONFIG_HOME, or ~/.config
	Home       string // the home folder (macOS: ~/Library/LaunchAgents)
}

// ForSystem returns the login item for goos ("linux", "windows",
// "darwin"); nil where gitpat has none. run is the current user's Run key
// on Windows (SystemRunKey), unused elsewhere.
func ForSystem(goos string, p Paths, run RunKey) LoginItem {
	switch goos {
	case "windows":
		if run == nil {
			return nil
		}
		return &WindowsRun{Key: run}
	case "darwin":
		return &LaunchAgent{Dir: filepath.Join(p.Home, "Library", "LaunchAgents")}
	case "linux", "freebsd", "openbsd", "netbsd":
		return &Autostart{Dir: filepath.Join(p.ConfigHome, "autostart")}
	}
	return nil
}

// DefaultPaths reads the folders from the environment.
func DefaultPaths() Paths {
	home, _ := os.UserHomeDir()
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" || !filepath.IsAbs(cfg) {
		cfg = filepath.Join(home, ".config")
	}
	return Paths{ConfigHome: cfg, Home: home}
}

// writeAtomic writes a file whole or not at all.
func writeAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gitpat-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Autostart is an XDG autostart entry (the Desktop Application Autostart
// Specification): ~/.config/autostart/io.github.gitpat.remind.desktop,
// which GNOME, KDE, Xfce, Cinnamon, MATE and LXQt start at login.
type Autostart struct{ Dir string }

// Path is the entry's file.
func (a *Autostart) Path() string { return filepath.Join(a.Dir, ID+".desktop") }

// Where says where the entry lives.
func (a *Autostart) Where() string { return a.Path() }

// Installed reports whether the entry is there.
func (a *Autostart) Installed() bool { _, err := os.Stat(a.Path()); return err == nil }

// Remove deletes the entry.
func (a *Autostart) Remove() error { return removeFile(a.Path()) }

// Install writes the entry.
func (a *Autostart) Install(exe string, days int) error {
	return writeAtomic(a.Path(), []byte(DesktopEntry(exe, days)))
}

// DesktopEntry is the autostart entry's text (Desktop Entry
// Specification, format version 1.0, which desktop-file-validate knows).
// NoDisplay keeps it out of menus; the delay lets the notification server
// start first.
func DesktopEntry(exe string, days int) string {
	args := append([]string{exe}, Args(days)...)
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = execArg(a)
	}
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Version=1.0\n" +
		"Name=gitpat expiry reminder\n" +
		"Comment=Tells you at login when a token saved in gitpat is about to expire\n" +
		"Exec=" + strings.Join(quoted, " ") + "\n" +
		"Icon=io.github.gitpat\n" +
		"Terminal=false\n" +
		"NoDisplay=true\n" +
		"X-GNOME-Autostart-enabled=true\n" +
		"X-GNOME-Autostart-Delay=20\n"
}

// execArg quotes one Exec argument: inside double quotes, ", `, $ and \
// take a backslash; then the whole value is a string, whose own escape
// doubles each backslash (Desktop Entry Specification, "The Exec key").
func execArg(a string) string {
	if a != "" && !strings.ContainsAny(a, " \t\n\"'\\><~|&;$*?#()`=%") {
		return a
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range a {
		switch r {
		case '"', '`', '$', '\\':
			b.WriteByte('\\')
		}
		if r == '%' {
			b.WriteByte('%') // a literal % is written %%
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return strings.ReplaceAll(b.String(), `\`, `\\`)
}

// RunKey is the current user's Run key:
// HKCU\Software\Microsoft\Windows\CurrentVersion\Run, whose string values
// Windows starts at login. SystemRunKey is the real one on Windows.
type RunKey interface {
	Get(name string) (string, bool, error)
	Set(name, value string) error
	Delete(name string) error
}

// WindowsRun is a value in the Run key.
type WindowsRun struct{ Key RunKey }

// RunValueName is the value's name, as the Startup apps settings show it.
const RunValueName = "gitpat expiry reminder"

// Where says where the value lives.
func (w *WindowsRun) Where() string {
	return `HKCU\Software\Microsoft\Windows\CurrentVersion\Run, "` + RunValueName + `"`
}

// Installed reports whether the value is there.
func (w *WindowsRun) Installed() bool {
	_, ok, err := w.Key.Get(RunValueName)
	return ok && err == nil
}

// Remove deletes the value.
func (w *WindowsRun) Remove() error { return w.Key.Delete(RunValueName) }

// Install writes the value.
func (w *WindowsRun) Install(exe string, days int) error {
	return w.Key.Set(RunValueName, RunCommand(exe, days))
}

// RunCommand is the command line the Run value holds: the executable in
// double quotes (the path may hold spaces), then the arguments.
func RunCommand(exe string, days int) string {
	return `"` + exe + `" ` + strings.Join(Args(days), " ")
}

// LaunchAgent is a per-user launchd job:
// ~/Library/LaunchAgents/io.github.gitpat.remind.plist, loaded at login;
// RunAtLoad starts it then (launchd.plist(5)).
type LaunchAgent struct{ Dir string }

// Path is the plist's file.
func (l *LaunchAgent) Path() string { return filepath.Join(l.Dir, ID+".plist") }

// Where says where the plist lives.
func (l *LaunchAgent) Where() string { return l.Path() }

// Installed reports whether the plist is there.
func (l *LaunchAgent) Installed() bool { _, err := os.Stat(l.Path()); return err == nil }

// Remove deletes the plist.
func (l *LaunchAgent) Remove() error { return removeFile(l.Path()) }

// Install writes the plist.
func (l *LaunchAgent) Install(exe string, days int) error {
	b, err := LaunchAgentPlist(exe, days)
	if err != nil {
		return err
	}
	return writeAtomic(l.Path(), b)
}

// launchAgent is the plist's content.
type launchAgent struct {
	Label             string   `plist:"Label"`
	ProgramArguments  []string `plist:"ProgramArguments"`
	RunAtLoad         bool     `plist:"RunAtLoad"`
	ProcessType       string   `plist:"ProcessType"`
	LimitLoadToTypes  []string `plist:"LimitLoadToSessionType"`
	AbandonProcessGrp bool     `plist:"AbandonProcessGroup"`
}

// LaunchAgentPlist is the job's XML property list: only in the GUI
// (Aqua) session, where notifications can show; a background process.
func LaunchAgentPlist(exe string, days int) ([]byte, error) {
	var b bytes.Buffer
	enc := plist.NewEncoderForFormat(&b, plist.XMLFormat)
	enc.Indent("\t")
	err := enc.Encode(launchAgent{Label: ID, ProgramArguments: append([]string{exe}, Args(days)...), RunAtLoad: true,
		ProcessType: "Background", LimitLoadToTypes: []string{"Aqua"}})
	if err != nil {
		return nil, fmt.Errorf("cannot write the LaunchAgent: %w", err)
	}
	return b.Bytes(), nil
}
