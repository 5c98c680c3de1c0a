//go:build !windows && !darwin

// Where a window needs a display named by DISPLAY or WAYLAND_DISPLAY (see
// haveDisplay): on Windows and macOS this test would open a real window.

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// childEnv makes the test binary run gitpat's main instead of the tests.
const childEnv = "GITPAT_MAIN_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Args = []string{"gitpat"}
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestNoDisplaySaysSo: started where no window can be opened, gitpat says
// so in a sentence and points to gitpat-check, with exit code 1 and no
// panic: with no display named at all, and with one that cannot be
// reached (GLFW fails inside Fyne; nothing listens on display 9999 here).
func TestNoDisplaySaysSo(t *testing.T) {
	for _, display := range []string{"", ":9999"} {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), childEnv+"=1", "DISPLAY="+display, "WAYLAND_DISPLAY=", "HOME="+t.TempDir(), "LANG=en_US.UTF-8")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("DISPLAY=%q: %v, want exit code 1; stderr:\n%s", display, err, stderr.String())
		}
		out := stderr.String()
		if !strings.Contains(out, "gitpat: ") || !strings.Contains(out, "gitpat-check runs the same checks") {
			t.Errorf("DISPLAY=%q: no sentence on stderr:\n%s", display, out)
		}
		if strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
			t.Errorf("DISPLAY=%q: a panic on stderr:\n%s", display, out)
		}
	}
}
