//go:build realkeyring

// Package systemtest runs `gitpat-check --saved` as a process against the
// real Secret Service: the tokens are saved in GNOME Keyring the way the
// app saves them (internal/vault, service "gitpat"), the list in a private
// configuration folder, and the fake hosts answer the checks. It needs a
// running keyring: `make keyring-test` starts gnome-keyring under
// dbus-run-session with a fresh HOME and runs it.
package systemtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/savedlist"
	"github.com/gitpat/gitpat/internal/secret"
	"github.com/gitpat/gitpat/internal/vault"
)

const (
	canaryGitHub  = "ghp_CANARYsyst3mCANARYsyst3mCANARYsyst3m0"
	canaryReadAPI = "glpat-CANARYsyst3mreadapi0"
	canarySoon    = "glpat-CANARYsyst3ms00n0000"
	canaryRevoked = "glpat-CANARYsyst3mrev0ked0"
)

// build compiles gitpat-check the way `make build` does, without cgo.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gitpat-check")
	cmd := exec.Command("go", "build", "-o", bin, "..")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestSavedRechecksTokensFromTheRealKeyring(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("no D-Bus session: run this through make keyring-test")
	}
	bin := build(t)
	gh := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{
		canaryGitHub: {Scopes: "repo, read:org", Expires: "2099-01-02 03:04:05 UTC"},
	})
	gl := hoststest.NewGitLab(t, hoststest.GitLabOptions{Tokens: map[string]hoststest.GitLabToken{
		canaryReadAPI: {Scopes: []string{"read_api"}, ExpiresAt: "2099-06-01"},
		canarySoon:    {Scopes: []string{"api"}, ExpiresAt: "2099-01-01"},
		canaryRevoked: {Revoked: true},
	}})
	config := t.TempDir()
	list := &savedlist.File{Path: filepath.Join(config, "gitpat", savedlist.FileName)}
	tokens := []savedlist.Token{
		{Account: "octocat on " + gh.URL + " (github)", Host: "github", Variant: "enterprise", User: "octocat", Server: gh.URL,
			Fields: map[string]string{"url": gh.URL, "ca": gh.CAFile(t)}},
		{Account: "john_smith on " + gl.Web() + " (gitlab) read_api", Host: "gitlab", Variant: "self-managed", User: "john_smith",
			Server: gl.Web(), Fields: map[string]string{"url": gl.Web(), "ca": gl.CAFile(t)}},
		{Account: "john_smith on " + gl.Web() + " (gitlab) soon", Host: "gitlab", Variant: "self-managed", User: "john_smith",
			Server: gl.Web(), Fields: map[string]string{"url": gl.Web(), "ca": gl.CAFile(t)}},
		{Account: "john_smith on " + gl.Web() + " (gitlab) revoked", Host: "gitlab", Variant: "self-managed", User: "john_smith",
			Server: gl.Web(), Fields: map[string]string{"url": gl.Web(), "ca": gl.CAFile(t)}},
	}
	store := vault.Store{}
	for i, s := range []string{canaryGitHub, canaryReadAPI, canarySoon, canaryRevoked} {
		if err := store.Save(tokens[i].Account, []secret.Value{secret.New(s)}); err != nil {
			t.Fatalf("Save: %v (%v)", err, errors.Unwrap(err))
		}
		t.Cleanup(func() { _ = store.Delete(tokens[i].Account) })
	}
	save := func(l []savedlist.Token) {
		t.Helper()
		if err := list.Save(l); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+config)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{out.String(), errOut.String()} {
			if strings.Contains(s, "CANARY") {
				t.Fatalf("gitpat-check %v leaks a secret:\n%s", args, s)
			}
		}
		return out.String() + errOut.String(), code
	}

	// All four: the revoked one is the worst (2).
	save(tokens)
	out, code := run("--saved")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 2 || len(lines) != 4 {
		t.Fatalf("--saved: exit %d, want 2:\n%s", code, out)
	}
	for i, want := range []string{"ready ", "insufficient ", "ready ", "rejected "} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d = %q, want %q first", i, lines[i], want)
		}
	}
	if !strings.Contains(lines[3], "revoked") {
		t.Errorf("the revoked token's line does not say so: %q", lines[3])
	}

	// JSON: an array of four reports, in the list's order.
	out, code = run("--saved", "--json")
	var reports []struct {
		Host, User string
		Valid      bool
		Missing    []string
		ExpiresAt  *string `json:"expires_at"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &reports); err != nil || code != 2 || len(reports) != 4 {
		t.Fatalf("--saved --json: exit %d, %v:\n%s", code, err, out)
	}
	if reports[0].User != "octocat" || strings.Join(reports[1].Missing, ",") != "api" || reports[3].Valid {
		t.Errorf("reports: %+v", reports)
	}

	// The two fine tokens: 0, and 1 with --expiring when one is near. The
	// fakes' dates are far off, so the window is wide.
	save([]savedlist.Token{tokens[0], tokens[2]})
	if out, code := run("--saved"); code != 0 {
		t.Errorf("fine tokens: exit %d:\n%s", code, out)
	}
	out, code = run("--saved", "--expiring", "100000")
	if code != 1 || !strings.Contains(out, "expiring ") {
		t.Errorf("--expiring 100000: exit %d:\n%s", code, out)
	}

	// A token deleted from the keyring behind the app's back: 3.
	if err := store.Delete(tokens[2].Account); err != nil {
		t.Fatal(err)
	}
	if out, code := run("--saved"); code != 3 || !strings.Contains(out, "no longer in the keyring") {
		t.Errorf("missing entry: exit %d:\n%s", code, out)
	}

	// Nothing on disk holds a secret.
	_ = filepath.WalkDir(config, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("CANARY")) {
				t.Errorf("%s holds a secret", p)
			}
		}
		return nil
	})
}
