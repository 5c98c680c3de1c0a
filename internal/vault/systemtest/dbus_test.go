//go:build realkeyring && linux

package systemtest

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/internal/secret"
	"github.com/gitpat/gitpat/internal/vault"
)

// TestNoSessionBusIsUnavailable runs a save in a child process whose
// session bus does not exist (the D-Bus connection is shared per process,
// so it cannot be changed here) and expects the one-sentence reason.
func TestNoSessionBusIsUnavailable(t *testing.T) {
	if os.Getenv("GITPAT_CHILD") == "1" {
		err := vault.Store{}.Save("x", []secret.Value{secret.New(canary)})
		var u *vault.UnavailableError
		if !errors.As(err, &u) {
			t.Fatalf("err = %v, want UnavailableError", err)
		}
		os.Stdout.WriteString("REASON: " + u.Error() + "\n")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoSessionBusIsUnavailable$", "-test.v")
	cmd.Env = append(os.Environ(), "GITPAT_CHILD=1", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "REASON: The desktop session bus cannot be reached") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "CANARY") {
		t.Fatal("the child printed the secret")
	}
}
