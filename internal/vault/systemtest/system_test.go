//go:build realkeyring

// Package systemtest runs the vault against the real keyring of the
// platform: the Secret Service on Linux, the Credential Manager on Windows,
// the login keychain on macOS. It is its own package because
// keyring.MockInit swaps the provider for a whole test binary, and it needs
// a build tag because it needs a running keyring: `make keyring-test`
// starts gnome-keyring under dbus-run-session with a fresh HOME on Linux,
// and uses the user's own keyring on Windows and macOS (as on a CI runner).
package systemtest

import (
	"errors"
	"os"
	"runtime"
	"testing"

	"github.com/gitpat/gitpat/internal/secret"
	"github.com/gitpat/gitpat/internal/vault"
)

const canary = "ghp_CANARYrealkeyringCANARYrealkeyring00"

func TestRealKeyringStoresReadsAndDeletes(t *testing.T) {
	if runtime.GOOS == "linux" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("no D-Bus session: run this through make keyring-test")
	}
	s := vault.Store{}
	account := "github|https://github.com|systemtest"
	if err := s.Save(account, []secret.Value{secret.New(canary)}); err != nil {
		t.Fatalf("Save: %v (%v)", err, errors.Unwrap(err))
	}
	// The entry is where the README tells users to look for it.
	filedUnder(t, vault.Service, account)
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
