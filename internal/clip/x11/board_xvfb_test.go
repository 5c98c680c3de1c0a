//go:build xvfb

// These tests own the clipboard of a real X server: `make clipboard-test`
// runs them under Xvfb, and reads the clipboard back with xclip as any other
// program would.
package x11

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// TestMain keeps one connection to the X server open throughout, as the
// toolkit does in the app: an X server resets when its last client leaves,
// and refuses connections while it does.
func TestMain(m *testing.M) {
	c, err := xgb.NewConn()
	code := m.Run()
	if err == nil {
		c.Close()
	}
	os.Exit(code)
}

func needX(t *testing.T) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no X server: run this through make clipboard-test")
	}
}

// xclip reads the clipboard as target; false when the owner refuses or
// there is none.
func xclip(t *testing.T, target string) (string, bool) {
	t.Helper()
	out, err := exec.Command("xclip", "-selection", "clipboard", "-o", "-t", target).Output()
	return string(out), err == nil
}

// eventually waits for the X server and the owner's event loop to catch up.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for range 200 {
		if ok() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("never: %s", what)
}

func TestASecretOnTheRealClipboardCarriesTheHint(t *testing.T) {
	needX(t)
	b := &Board{}
	defer b.Close()
	b.SetSecret(canary)
	if !b.Owned() || b.Content() != canary {
		t.Fatalf("owned %v", b.Owned())
	}
	targets, ok := xclip(t, "TARGETS")
	if !ok {
		t.Fatal("xclip could not read TARGETS")
	}
	t.Logf("TARGETS:\n%s", targets)
	list := strings.Fields(targets)
	for _, want := range []string{"TARGETS", "TIMESTAMP", "MULTIPLE", "UTF8_STRING", "text/plain;charset=utf-8", "STRING", "TEXT", "text/plain", PasswordHint} {
		if !slices.Contains(list, want) {
			t.Errorf("TARGETS lacks %s", want)
		}
	}
	if v, _ := xclip(t, PasswordHint); v != "secret" {
		t.Errorf("%s = %q, want secret", PasswordHint, v)
	}
	for _, target := range []string{"UTF8_STRING", "STRING", "TEXT", "text/plain", "text/plain;charset=utf-8"} {
		if v, _ := xclip(t, target); v != canary {
			t.Errorf("%s = %q", target, v)
		}
	}

	b.SetContent("")
	if _, ok := xclip(t, "UTF8_STRING"); ok || b.Owned() {
		t.Error("the secret is still on the clipboard after it was given up")
	}
}

func TestPlainTextOnTheRealClipboardHasNoHint(t *testing.T) {
	needX(t)
	b := &Board{}
	defer b.Close()
	b.SetContent("https://example.com/a-link")
	targets, _ := xclip(t, "TARGETS")
	if strings.Contains(targets, PasswordHint) {
		t.Errorf("plain text offers the hint: %s", targets)
	}
	if v, _ := xclip(t, "UTF8_STRING"); v != "https://example.com/a-link" {
		t.Errorf("text = %q", v)
	}
}

func TestWhatAnotherProgramCopiedIsLeftAlone(t *testing.T) {
	needX(t)
	b := &Board{}
	defer b.Close()
	b.SetSecret(canary)
	// xclip takes the clipboard and serves it until it is ended (-quiet
	// keeps it in the foreground).
	in := exec.Command("xclip", "-selection", "clipboard", "-i", "-quiet")
	in.Stdin = strings.NewReader("the user's own text")
	if err := in.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = in.Process.Kill(); _ = in.Wait() }()
	eventually(t, "gitpat hears it lost the clipboard", func() bool { return !b.Owned() })
	if b.Content() != "" {
		t.Errorf("Content = %q after another program copied", b.Content())
	}
	b.SetContent("") // what the Guard does when its time is up
	if v, _ := xclip(t, "UTF8_STRING"); v != "the user's own text" {
		t.Errorf("clipboard = %q: gitpat cleared what another program copied", v)
	}
}

// A release that reaches the X server after another program took the
// clipboard is ignored by the server, because gitpat gives it up at the
// time it took it.
func TestALateReleaseDoesNotClearANewerOwner(t *testing.T) {
	needX(t)
	b := &Board{}
	defer b.Close()
	b.SetSecret(canary)
	b.mu.Lock()
	mine := b.cur
	b.mu.Unlock()
	// X server times count milliseconds: let one pass, as it does between
	// any two copies a person makes.
	time.Sleep(20 * time.Millisecond)
	other := &Board{}
	defer other.Close()
	other.SetContent("newer")
	// Forget the SelectionClear: act as if it had not arrived yet.
	b.mu.Lock()
	b.owned, b.cur = true, mine
	b.mu.Unlock()
	b.SetContent("")
	if v, _ := xclip(t, "UTF8_STRING"); v != "newer" {
		t.Errorf("clipboard = %q: the late release cleared a newer owner", v)
	}
}

// requestor is another X client asking for the clipboard, for what xclip
// cannot ask: a given time, and MULTIPLE.
type requestor struct {
	c   *xgb.Conn
	win xproto.Window
}

func newRequestor(t *testing.T) *requestor {
	t.Helper()
	c, err := xgb.NewConn()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	win, _ := xproto.NewWindowId(c)
	root := xproto.Setup(c).DefaultScreen(c).Root
	if err := xproto.CreateWindowChecked(c, 0, win, root, 0, 0, 1, 1, 0, xproto.WindowClassInputOnly, 0, 0, nil).Check(); err != nil {
		t.Fatal(err)
	}
	return &requestor{c, win}
}

func (r *requestor) atom(t *testing.T, name string) xproto.Atom {
	t.Helper()
	a, err := xproto.InternAtom(r.c, false, uint16(len(name)), name).Reply()
	if err != nil {
		t.Fatal(err)
	}
	return a.Atom
}

// convert asks for target at time and returns the notified property.
func (r *requestor) convert(t *testing.T, target, prop xproto.Atom, at xproto.Timestamp) xproto.Atom {
	t.Helper()
	xproto.ConvertSelection(r.c, r.win, r.atom(t, "CLIPBOARD"), target, prop, at)
	for {
		ev, err := r.c.WaitForEvent()
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := ev.(xproto.SelectionNotifyEvent); ok {
			return n.Property
		}
	}
}

func TestARequestFromBeforeTheCopyIsRefused(t *testing.T) {
	needX(t)
	b := &Board{}
	defer b.Close()
	b.SetSecret(canary)
	r := newRequestor(t)
	prop := r.atom(t, "GITPAT_TEST")
	if got := r.convert(t, r.atom(t, "UTF8_STRING"), prop, 1); got != xproto.AtomNone {
		t.Error("a request stamped before gitpat took the clipboard was answered")
	}
	if got := r.convert(t, r.atom(t, "UTF8_STRING"), prop, xproto.TimeCurrentTime); got != prop {
		t.Error("a current request was refused")
	}
}

func TestMultipleAnswersEachPair(t *testing.T) {
	needX(t)
	b := &Board{}
	defer b.Close()
	b.SetSecret(canary)
	r := newRequestor(t)
	p1, p2, p3, multi := r.atom(t, "GITPAT_P1"), r.atom(t, "GITPAT_P2"), r.atom(t, "GITPAT_P3"), r.atom(t, "GITPAT_MULTI")
	pairs := []xproto.Atom{r.atom(t, "UTF8_STRING"), p1, r.atom(t, "image/png"), p2, r.atom(t, PasswordHint), p3}
	xproto.ChangeProperty(r.c, xproto.PropModeReplace, r.win, multi, r.atom(t, "ATOM_PAIR"), 32, uint32(len(pairs)), atomList(pairs))
	if got := r.convert(t, r.atom(t, "MULTIPLE"), multi, xproto.TimeCurrentTime); got != multi {
		t.Fatal("MULTIPLE refused")
	}
	read := func(p xproto.Atom) string {
		v, err := xproto.GetProperty(r.c, false, r.win, p, xproto.GetPropertyTypeAny, 0, 1024).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return string(v.Value)
	}
	if read(p1) != canary || read(p3) != "secret" {
		t.Errorf("MULTIPLE gave %q and %q", read(p1), read(p3))
	}
	v, _ := xproto.GetProperty(r.c, false, r.win, multi, xproto.GetPropertyTypeAny, 0, 1024).Reply()
	if xproto.Atom(xgb.Get32(v.Value[8:])) != xproto.AtomNone {
		t.Error("the image/png pair was not marked as failed")
	}
}
