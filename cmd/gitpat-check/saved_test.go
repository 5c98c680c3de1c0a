package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/savedlist"
	"github.com/gitpat/gitpat/internal/secret"
	"github.com/gitpat/gitpat/internal/vault"
)

const (
	canaryGitLab     = "glpat-CANARYsav3dCANARYsav3d"
	canaryGitLabSoon = "glpat-CANARYso0nCANARYso0n0"
)

// savedFixture is a list of three saved tokens (GitHub Enterprise, two on
// a GitLab server) with their secrets in go-keyring's mock, answered by
// the fakes.
type savedFixture struct {
	list *savedlist.File
	now  time.Time
}

func newSavedFixture(t *testing.T) *savedFixture {
	t.Helper()
	keyring.MockInit()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	gh := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{
		canary: {Scopes: "repo", Expires: "2027-03-01 00:00:00 UTC"},
	})
	gl := hoststest.NewGitLab(t, hoststest.GitLabOptions{Tokens: map[string]hoststest.GitLabToken{
		canaryGitLab:     {Scopes: []string{"read_api"}, ExpiresAt: "2027-06-01"},
		canaryGitLabSoon: {Scopes: []string{"api"}, ExpiresAt: "2026-12-01"},
	}})
	ghCA, glCA := gh.CAFile(t), gl.CAFile(t)
	list := []savedlist.Token{
		{Account: "octocat on " + gh.URL + " (github)", Host: "github", Variant: "enterprise", User: "octocat", Server: gh.URL,
			Fields: map[string]string{"url": gh.URL, "ca": ghCA}},
		{Account: "john_smith on " + gl.Web() + " (gitlab)", Host: "gitlab", Variant: "self-managed", User: "john_smith", Server: gl.Web(),
			Fields: map[string]string{"url": gl.Web(), "ca": glCA}},
		{Account: "john_smith-soon", Host: "gitlab", Variant: "self-managed", User: "john_smith", Server: gl.Web(),
			Fields: map[string]string{"url": gl.Web(), "ca": glCA}},
	}
	for i, s := range []string{canary, canaryGitLab, canaryGitLabSoon} {
		if err := (vault.Store{}).Save(list[i].Account, []secret.Value{secret.New(s)}); err != nil {
			t.Fatal(err)
		}
	}
	f := &savedlist.File{Path: filepath.Join(t.TempDir(), savedlist.FileName)}
	if err := f.Save(list); err != nil {
		t.Fatal(err)
	}
	return &savedFixture{list: f, now: now}
}

func (f *savedFixture) run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut strings.Builder
	code := runSaved(context.Background(), append([]string{"--saved"}, args...),
		savedDeps{list: f.list, now: func() time.Time { return f.now }}, &out, &errOut)
	for _, s := range []string{out.String(), errOut.String()} {
		if strings.Contains(s, "CANARY") {
			t.Fatalf("output leaks a secret:\n%s", s)
		}
	}
	return out.String(), errOut.String(), code
}

func TestSavedPrintsOneLinePerTokenAndExitsWithTheWorst(t *testing.T) {
	f := newSavedFixture(t)
	out, errOut, code := f.run(t)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 3 {
		t.Fatalf("exit %d, %d lines:\n%s%s", code, len(lines), out, errOut)
	}
	for i, want := range []string{"ready ", "insufficient ", "ready "} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d: %q, want it to start with %q", i, lines[i], want)
		}
	}
	if !strings.Contains(lines[0], "octocat on https://127.0.0.1") || !strings.Contains(lines[0], "Expires: 2027-03-01") {
		t.Errorf("line 0: %q", lines[0])
	}
	// The results are recorded in the list, as the app's Re-check does.
	list, _ := f.list.Load()
	if list[2].ExpiresAt == nil || list[2].ExpiresAt.Format("2006-01-02") != "2026-12-01" || list[1].Outcome != 1 || list[0].CheckedAt.IsZero() {
		t.Errorf("list after --saved: %+v", list)
	}
	if b, _ := os.ReadFile(f.list.Path); strings.Contains(string(b), "CANARY") {
		t.Error("the list holds a secret")
	}
}

func TestSavedExpiringMakesAFineTokenExitOne(t *testing.T) {
	f := newSavedFixture(t)
	// Without the read_api-only token, everything is ready.
	_ = f.list.Update(func(l []savedlist.Token) []savedlist.Token { return []savedlist.Token{l[0], l[2]} })
	if out, _, code := f.run(t); code != 0 {
		t.Fatalf("exit %d without --expiring:\n%s", code, out)
	}
	out, _, code := f.run(t, "--expiring", "7")
	if code != 1 || !strings.HasPrefix(strings.Split(out, "\n")[1], "expiring ") || !strings.HasPrefix(out, "ready ") {
		t.Errorf("--expiring 7: exit %d:\n%s", code, out)
	}
	if _, _, code := f.run(t, "--expiring", "5"); code != 0 {
		t.Errorf("--expiring 5 (the token has 6 days): exit %d", code)
	}
}

func TestSavedJSONIsAnArrayOfReports(t *testing.T) {
	f := newSavedFixture(t)
	// One token is gone from the keyring: could not check (3), the worst.
	if err := (vault.Store{}).Delete("john_smith-soon"); err != nil {
		t.Fatal(err)
	}
	out, _, code := f.run(t, "--json")
	var reports []json.RawMessage
	if err := json.Unmarshal([]byte(out), &reports); err != nil || len(reports) != 3 {
		t.Fatalf("not an array of 3: %v\n%s", err, out)
	}
	r := decodeReport(t, string(reports[1]))
	if r.Host != "gitlab" || !r.Valid || r.Sufficient || strings.Join(r.Missing, ",") != "api" {
		t.Errorf("report 1: %+v", r)
	}
	gone := decodeReport(t, string(reports[2]))
	if gone.Valid || gone.User != "john_smith" || code != 3 {
		t.Errorf("missing keyring entry: exit %d, %+v", code, gone)
	}
}

func TestSavedUsageErrors(t *testing.T) {
	f := newSavedFixture(t)
	for _, args := range [][]string{{"github"}, {"--expiring", "-2"}, {"--expiring", "soon"}, {"--timeout", "0s"}} {
		_, errOut, code := f.run(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d\n%s", args, code, errOut)
		}
	}
	empty := &savedlist.File{Path: filepath.Join(t.TempDir(), "none.json")}
	var out, errOut strings.Builder
	if code := runSaved(context.Background(), []string{"--saved", "--json"}, savedDeps{list: empty}, &out, &errOut); code != 0 ||
		strings.TrimSpace(out.String()) != "[]" || !strings.Contains(errOut.String(), "no saved tokens") {
		t.Errorf("empty list: exit %d, %q %q", code, out.String(), errOut.String())
	}
}
