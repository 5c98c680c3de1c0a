//go:build realkeyring

// Package systemtest runs the vault against the real Secret Service. It is
// its own package because keyring.MockInit swaps the provider for a whole
// test binary, and it needs a build tag because it needs a running keyring:
// `make keyring-test` starts gnome-keyring under dbus-run-session with a
// fresh HOME and runs it.
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

const canary = "ghp_CANARYrealkeyringCANARYrealkeyring00"

func TestRealSecretServiceStoresReadsAndDeletes(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("no D-Bus session: run this through make keyring-test")
	}
	s := vault.Store{}
	account := "github|https://github.com|systemtest"
	if err := s.Save(account, []secret.Value{secret.New(canary)}); err != nil {
		t.Fatalf("Save: %v (%v)", err, errors.Unwrap(err))
	}
	got, err := s.Load(account)
	if err != nil || len(got) != 1 || got[0].Reveal() != canary {
		t.Fatalf("Load = %d values, %v", len(got), err)
	}
	// Two values (an access key ID and its secret) survive as two.
	two := []secret.Value{secret.New("AKIACANARY"), secret.New("CANARY/secret+key")}
	if err := s.Save(account, two); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Load(account); err != nil || len(got) != 2 || got[1].Reveal() != "CANARY/secret+key" {
		t.Fatalf("Load after overwrite = %d values, %v", len(got), err)
	}
	if err := s.Delete(account); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Load(account); !errors.Is(err, vault.ErrNotFound) {
		t.Fatalf("Load after Delete: %v", err)
	}
}

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
