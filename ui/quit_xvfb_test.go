//go:build xvfb

// These tests run the real window under Xvfb (`make clipboard-test`): a
// child process (this test binary, in child mode) is gitpat with its real
// clipboard, and the test is everything around it: the user who copies
// with xclip and quits in every way there is, and an X client that watches
// the clipboard's owner change (XFixes) and plays the clipboard manager.
package ui

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xfixes"
	"github.com/jezek/xgb/xproto"

	"github.com/gitpat/gitpat/assets"
	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/clip"
	"github.com/gitpat/gitpat/internal/clip/system"
	"github.com/gitpat/gitpat/internal/clip/x11"
	"github.com/gitpat/gitpat/internal/secret"
	"github.com/gitpat/gitpat/internal/vault"
)

const childEnv = "GITPAT_XVFB_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		runChild(mode)
		return
	}
	// One connection stays open throughout, as a desktop's clients do: an
	// X server resets when its last client leaves, and refuses connections
	// while it does.
	c, err := xgb.NewConn()
	code := m.Run()
	if err == nil {
		c.Close()
	}
	os.Exit(code)
}

// runChild is gitpat as cmd/gitpat builds it (Open), with the clipboard of this
// desktop. It copies the canary from the GitHub tab once it runs (unless
// mode is "settings") and reports on stdout when it copied, when the
// clipboard was cleared, and when the app returned.
func runChild(mode string) {
	a := app.NewWithID("io.github.gitpat.xvfbtest")
	a.SetIcon(assets.WindowIcon)
	board := system.New(a.Clipboard())
	delay := 30 * time.Second
	if mode == "countdown" {
		delay = 10 * time.Second // the shortest the setting offers
	}
	u := Open(a, Deps{
		Hosts: hosts.All(), Vault: vault.Store{}, Illustration: assets.IllustrationFor, Clock: clip.RealClock{},
		Clipboard: board.Board, ClipNote: board.Note, ClearAfter: delay,
	})
	if mode == "settings" {
		u.SelectHost("saved")
	}
	tick := u.guard.Tick
	u.guard.Tick = func(left time.Duration) {
		tick(left)
		if left <= 0 {
			fmt.Println("CLEARED")
		}
	}
	// The test says when to copy (SIGUSR1), once the window is up, as a
	// person copies after the window has opened. The copy waits until
	// gitpat has seen Fyne's own signal handler and taken the signals
	// from it, as happens in the first milliseconds of a normal start,
	// and fails the test if that never happens (a Fyne that waits for
	// signals elsewhere: see takeSignalsFromFyne).
	copyNow := make(chan os.Signal, 1)
	signal.Notify(copyNow, syscall.SIGUSR1)
	go func() {
		<-copyNow
		select {
		case <-u.signalsTaken:
		case <-time.After(30 * time.Second):
			fmt.Fprintln(os.Stderr, "gitpat never saw Fyne's signal handler")
			os.Exit(3)
		}
		fyne.Do(func() {
			u.copyToClipboard(secret.New(canary), u.hostUI[0])
			fmt.Println("COPIED")
		})
	}()
	u.ShowAndRun()
	fmt.Println("RETURNED")
	os.Exit(0)
}

// child is a running gitpat.
type child struct {
	win    string // its window
	cmd    *exec.Cmd
	lines  chan string
	stderr bytes.Buffer
	done   chan error
}

func startChild(t *testing.T, mode string) *child {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no X server: run this through make clipboard-test")
	}
	c := &child{lines: make(chan string, 16), done: make(chan error, 1)}
	c.cmd = exec.Command(os.Args[0], "-test.run=^$")
	c.cmd.Env = append(os.Environ(), childEnv+"="+mode, "HOME="+t.TempDir(), "LANG=en_US.UTF-8")
	c.cmd.Stderr = &c.stderr
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	go func() {
		s := bufio.NewScanner(io.TeeReader(out, &stdout))
		for s.Scan() {
			c.lines <- s.Text()
		}
		close(c.lines)
		c.done <- c.cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = c.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("gitpat's stderr:\n%s", c.stderr.String())
		}
		if strings.Contains(stdout.String()+c.stderr.String(), canary) {
			t.Error("the child printed the token")
		}
	})
	c.win = window(t)
	if mode != "settings" {
		_ = c.cmd.Process.Signal(syscall.SIGUSR1)
		c.expect(t, "COPIED")
	}
	return c
}

// expect waits for a line from the child.
func (c *child) expect(t *testing.T, line string) {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				t.Fatalf("gitpat ended before %s; stderr:\n%s", line, c.stderr.String())
			}
			if l == line {
				return
			}
		case <-timeout:
			c.dump()
			t.Fatalf("gitpat never said %s", line)
		}
	}
}

// dump makes a child that hangs print its goroutines to its stderr
// (SIGQUIT, which Go answers with every goroutine's stack and exit 2),
// which the test logs when it fails.
func (c *child) dump() {
	_ = c.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
	}
}

// exit waits for the child to end and checks it ended cleanly.
func (c *child) exit(t *testing.T) {
	t.Helper()
	c.expect(t, "RETURNED")
	select {
	case err := <-c.done:
		if err != nil {
			t.Errorf("gitpat exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("gitpat did not exit")
	}
	if s := c.stderr.String(); strings.Contains(s, "panic") || strings.Contains(s, "NotInitialized") {
		t.Errorf("gitpat failed on the way out:\n%s", s)
	}
}

// window finds gitpat's window, as the e2e script does.
func window(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("timeout", "60", "xdotool", "search", "--sync", "--onlyvisible", "--name", "^gitpat$").Output()
	if err != nil {
		t.Fatalf("no gitpat window: %v", err)
	}
	return strings.Fields(string(out))[0]
}

func xclipOut(target string) (string, bool) {
	out, err := exec.Command("xclip", "-selection", "clipboard", "-o", "-t", target).Output()
	return string(out), err == nil
}

// outDir is where screenshots and the TARGETS list go.
func outDir(t *testing.T) string {
	if d := os.Getenv("GITPAT_XVFB_OUT"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func screenshot(t *testing.T, win, name string) {
	t.Helper()
	time.Sleep(time.Second) // let the frames after the copy paint
	p := filepath.Join(outDir(t), name)
	if out, err := exec.Command("import", "-window", win, p).CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}
	t.Logf("screenshot %s", p)
}

// watcher is another X client: it sees every change of the CLIPBOARD's
// owner (XFixes SelectionNotify), sees gitpat's window go (StructureNotify),
// and owns CLIPBOARD_MANAGER, logging any request to save the clipboard
// (SAVE_TARGETS, freedesktop.org ClipboardManager specification), as GLFW
// sends one when it quits owning the clipboard.
type watcher struct {
	c                               *xgb.Conn
	clipboard, manager, saveTargets xproto.Atom
	mu                              sync.Mutex
	log                             []string
}

func watch(t *testing.T) *watcher {
	t.Helper()
	c, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if err := xfixes.Init(c); err != nil {
		t.Fatal(err)
	}
	if _, err := xfixes.QueryVersion(c, 5, 0).Reply(); err != nil {
		t.Fatal(err)
	}
	w := &watcher{c: c}
	intern := func(name string) xproto.Atom {
		r, err := xproto.InternAtom(c, false, uint16(len(name)), name).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return r.Atom
	}
	w.clipboard, w.manager, w.saveTargets = intern("CLIPBOARD"), intern("CLIPBOARD_MANAGER"), intern("SAVE_TARGETS")
	root := xproto.Setup(c).DefaultScreen(c).Root
	win, _ := xproto.NewWindowId(c)
	if err := xproto.CreateWindowChecked(c, 0, win, root, 0, 0, 1, 1, 0, xproto.WindowClassInputOnly, 0, 0, nil).Check(); err != nil {
		t.Fatal(err)
	}
	if err := xproto.SetSelectionOwnerChecked(c, win, w.manager, xproto.TimeCurrentTime).Check(); err != nil {
		t.Fatal(err)
	}
	mask := uint32(xfixes.SelectionEventMaskSetSelectionOwner | xfixes.SelectionEventMaskSelectionWindowDestroy | xfixes.SelectionEventMaskSelectionClientClose)
	if err := xfixes.SelectSelectionInputChecked(c, root, w.clipboard, mask).Check(); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			ev, err := c.WaitForEvent()
			if ev == nil && err == nil {
				return
			}
			var entry string
			switch e := ev.(type) {
			case xfixes.SelectionNotifyEvent:
				switch {
				case e.Subtype == xfixes.SelectionEventSetSelectionOwner && e.Owner == 0:
					entry = "given up"
				case e.Subtype == xfixes.SelectionEventSetSelectionOwner:
					entry = fmt.Sprintf("owned by %d", e.Owner)
				default:
					entry = "owner died" // its window or client went away still owning it
				}
			case xproto.UnmapNotifyEvent:
				entry = "window unmapped"
			case xproto.DestroyNotifyEvent:
				entry = "window destroyed"
			case xproto.SelectionRequestEvent:
				if e.Target == w.saveTargets {
					entry = "asked to save the clipboard"
				}
				n := xproto.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor, Selection: e.Selection, Target: e.Target}
				xproto.SendEvent(c, false, e.Requestor, 0, string(n.Bytes()))
			}
			if entry != "" {
				w.mu.Lock()
				w.log = append(w.log, entry)
				w.mu.Unlock()
			}
		}
	}()
	return w
}

// window has the watcher hear gitpat's window go.
func (w *watcher) window(t *testing.T, id string) {
	t.Helper()
	var win uint32
	fmt.Sscan(id, &win)
	if err := xproto.ChangeWindowAttributesChecked(w.c, xproto.Window(win), xproto.CwEventMask,
		[]uint32{xproto.EventMaskStructureNotify}).Check(); err != nil {
		t.Fatal(err)
	}
}

// events is what the watcher saw, in the X server's order.
func (w *watcher) events() []string {
	time.Sleep(300 * time.Millisecond) // the last events reach us
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.log...)
}

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// checkMarked checks the clipboard offers the token with the hint, and
// returns the TARGETS list.
func checkMarked(t *testing.T) string {
	t.Helper()
	targets, ok := xclipOut("TARGETS")
	if !ok || !strings.Contains(targets, x11.PasswordHint) {
		t.Fatalf("TARGETS = %q: no password hint", targets)
	}
	if v, _ := xclipOut(x11.PasswordHint); v != "secret" {
		t.Errorf("%s = %q", x11.PasswordHint, v)
	}
	if v, _ := xclipOut("UTF8_STRING"); v != canary {
		t.Error("the clipboard does not hold the copied token")
	}
	return targets
}

// quitters are the ways out, each as a user or the system takes it.
var quitters = map[string]func(t *testing.T, c *child, win string){
	// The window manager's close button sends WM_DELETE_WINDOW (ICCCM 4.2.8.1).
	"close": func(t *testing.T, c *child, win string) {
		conn, err := xgb.NewConn()
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		atom := func(n string) xproto.Atom {
			r, _ := xproto.InternAtom(conn, false, uint16(len(n)), n).Reply()
			return r.Atom
		}
		var id uint32
		fmt.Sscan(win, &id)
		ev := xproto.ClientMessageEvent{Format: 32, Window: xproto.Window(id), Type: atom("WM_PROTOCOLS"),
			Data: xproto.ClientMessageDataUnionData32New([]uint32{uint32(atom("WM_DELETE_WINDOW")), 0, 0, 0, 0})}
		if err := xproto.SendEventChecked(conn, false, xproto.Window(id), xproto.EventMaskNoEvent, string(ev.Bytes())).Check(); err != nil {
			t.Fatal(err)
		}
	},
	"ctrl+q": func(t *testing.T, c *child, win string) {
		if out, err := exec.Command("xdotool", "windowfocus", "--sync", win, "key", "ctrl+q").CombinedOutput(); err != nil {
			t.Fatalf("xdotool: %v %s", err, out)
		}
	},
	"sigterm": func(t *testing.T, c *child, win string) { _ = c.cmd.Process.Signal(syscall.SIGTERM) },
	"sigint":  func(t *testing.T, c *child, win string) { _ = c.cmd.Process.Signal(syscall.SIGINT) },
	"sighup":  func(t *testing.T, c *child, win string) { _ = c.cmd.Process.Signal(syscall.SIGHUP) },
	// The end of a desktop session: systemd-logind stops the session's
	// scope with SIGTERM and, right after it, SIGHUP (SendSIGHUP=yes).
	"session end": func(t *testing.T, c *child, win string) {
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		_ = c.cmd.Process.Signal(syscall.SIGHUP)
	},
}

func TestXvfbEveryWayOutClearsTheClipboardBeforeTheWindowGoes(t *testing.T) {
	for _, how := range []string{"close", "ctrl+q", "sigterm", "sigint", "sighup", "session end"} {
		t.Run(how, func(t *testing.T) {
			w := watch(t)
			c := startChild(t, "quit")
			win := c.win
			w.window(t, win)
			targets := checkMarked(t)
			if how == "sigterm" {
				screenshot(t, win, "copied.png")
				if err := os.WriteFile(filepath.Join(outDir(t), "targets.txt"), []byte(targets), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("TARGETS:\n%s", targets)
			}
			quitters[how](t, c, win)
			c.exit(t)
			ev := w.events()
			t.Logf("the watcher saw: %s", strings.Join(ev, ", "))
			given, gone := index(ev, "given up"), max(index(ev, "window unmapped"), index(ev, "window destroyed"))
			switch {
			case given < 0:
				t.Error("gitpat never gave the clipboard up: the token left only because gitpat died")
			case gone >= 0 && gone < given:
				t.Error("the window went before the clipboard was cleared")
			}
			if index(ev, "owner died") >= 0 && index(ev, "owner died") < given {
				t.Error("the clipboard's owner died still holding the token")
			}
			if index(ev, "asked to save the clipboard") >= 0 {
				t.Error("the clipboard manager was asked to save the clipboard")
			}
		})
	}
}

func TestXvfbTheCountdownClearsTheRealClipboard(t *testing.T) {
	w := watch(t)
	c := startChild(t, "countdown")
	win := c.win
	checkMarked(t)
	c.expect(t, "CLEARED")
	if v, ok := xclipOut("UTF8_STRING"); ok {
		t.Errorf("clipboard = %q after the countdown", v)
	}
	if index(w.events(), "given up") < 0 {
		t.Error("the countdown did not give the clipboard up")
	}
	screenshot(t, win, "cleared.png")
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	c.exit(t)
}

func TestXvfbTheCountdownLeavesWhatTheUserCopiedSince(t *testing.T) {
	c := startChild(t, "countdown")
	checkMarked(t)
	// The user copies something else: xclip owns the clipboard until it
	// is ended (-quiet keeps it in the foreground).
	in := exec.Command("xclip", "-selection", "clipboard", "-i", "-quiet")
	in.Stdin = strings.NewReader("the user's own text")
	if err := in.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = in.Process.Kill(); _ = in.Wait() }()
	for range 100 {
		if v, _ := xclipOut("UTF8_STRING"); v == "the user's own text" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.expect(t, "CLEARED")
	if v, _ := xclipOut("UTF8_STRING"); v != "the user's own text" {
		t.Errorf("clipboard = %q: gitpat cleared what the user copied", v)
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	c.exit(t)
	if v, _ := xclipOut("UTF8_STRING"); v != "the user's own text" {
		t.Errorf("clipboard = %q after gitpat quit", v)
	}
}

func TestXvfbTheClipboardSettingShowsItsNote(t *testing.T) {
	c := startChild(t, "settings")
	win := c.win
	screenshot(t, win, "settings.png")
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	c.exit(t)
}
