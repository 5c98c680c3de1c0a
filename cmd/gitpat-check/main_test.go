package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

const (
	canary      = "ghp_CANARYcl1CANARYcl1CANARYcl1CANARYcl1"
	canaryNoRep = "ghp_CANARYn0rCANARYn0rCANARYn0rCANARYn0r"
)

// contractReport is the --json report as the CLI contract describes it,
// read the way a consumer would, not through hosts.Report.
type contractReport struct {
	Host         string   `json:"host"`
	Server       string   `json:"server"`
	Valid        bool     `json:"valid"`
	Sufficient   bool     `json:"sufficient"`
	User         string   `json:"user"`
	Name         string   `json:"name"`
	TokenKind    string   `json:"token_kind"`
	Scopes       []string `json:"scopes"`
	Needed       []string `json:"needed"`
	Missing      []string `json:"missing"`
	Unverified   []string `json:"unverified"`
	Repositories []struct {
		Name        string `json:"name"`
		Found       *bool  `json:"found"`
		Read        *bool  `json:"read"`
		Branch      *bool  `json:"branch"`
		PullRequest *bool  `json:"pull_request"`
		Findings    []struct {
			Level, Text, Fix, Link string
		} `json:"findings"`
	} `json:"repositories"`
	ExpiresAt     *string `json:"expires_at"`
	ExpiryUnknown bool    `json:"expiry_unknown"`
	Findings      []struct {
		Level, Text, Fix, Link string
	} `json:"findings"`
}

// decodeReport reads one --json report and checks the contract's shape:
// every field present (expires_at may be null, the lists are arrays) and
// every finding's level one of info, warn, error.
func decodeReport(t *testing.T, out string) contractReport {
	t.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &fields); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"host", "valid", "sufficient", "user", "scopes", "missing", "unverified", "expires_at", "findings", "repositories"} {
		v, ok := fields[k]
		if !ok {
			t.Fatalf("the report has no %q:\n%s", k, out)
		}
		if (k == "scopes" || k == "missing" || k == "unverified" || k == "findings" || k == "repositories") && !strings.HasPrefix(string(v), "[") {
			t.Errorf("%q is %s, want an array", k, v)
		}
	}
	var r contractReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("the report does not match the contract: %v\n%s", err, out)
	}
	for _, f := range r.Findings {
		if f.Level != "info" && f.Level != "warn" && f.Level != "error" {
			t.Errorf("finding level %q", f.Level)
		}
	}
	return r
}

// runCLI runs the command in-process and returns what it printed and its
// exit status. It fails the test if any output holds a canary.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	for _, s := range []string{out.String(), errOut.String()} {
		if strings.Contains(s, "CANARY") {
			t.Fatalf("output leaks a secret:\n%s", s)
		}
	}
	return out.String(), errOut.String(), code
}

func fakeGHES(t *testing.T) (*hoststest.GitHub, string) {
	g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{
		canary:      {Scopes: "repo, read:org", Expires: "2099-01-02 03:04:05 UTC"},
		canaryNoRep: {Scopes: "read:org"},
	})
	return g, g.CAFile(t)
}

func TestGitHubEnterpriseJSONReport(t *testing.T) {
	g, ca := fakeGHES(t)
	out, _, code := runCLI(t, canary+"\n", "--url", g.URL+"/api/v3", "--ca-file", ca, "--json", "github")
	if code != 0 {
		t.Fatalf("exit %d, want 0:\n%s", code, out)
	}
	r := decodeReport(t, out)
	if r.Host != "github" || !r.Valid || !r.Sufficient || r.User != "octocat" || r.Missing == nil || len(r.Missing) != 0 {
		t.Errorf("report = %+v", r)
	}
	if strings.Join(r.Scopes, ",") != "repo,read:org" {
		t.Errorf("scopes = %v", r.Scopes)
	}
	if r.ExpiresAt == nil || *r.ExpiresAt != "2099-01-02T03:04:05Z" {
		t.Errorf("expires_at = %v", r.ExpiresAt)
	}
}

func TestExitStatusIsTheVerdict(t *testing.T) {
	g, ca := fakeGHES(t)
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		want        string
	}{
		{"sufficient", canary, nil, 0, "Ready"},
		{"missing repo", canaryNoRep + "\r\n", nil, 1, "lacks the repo scope"},
		{"rejected", "ghp_CANARYbadCANARYbadCANARYbadCANARYbadX\n", nil, 2, "does not accept this token"},
		{"another host's token", "glpat-CANARY0123456789abcd\n", nil, 2, "looks like a GitLab personal access token"},
		{"no server", canary, []string{"--url", "https://127.0.0.1:1"}, 3, "refused the connection"},
		{"flags after HOST", canary, []string{"--timeout", "5s"}, 0, "Ready"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--url", g.URL, "--ca-file", ca, "github"}, tc.args...)
			out, _, code := runCLI(t, "  "+tc.stdin, args...)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d (want %d), output:\n%s", code, tc.code, out)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"no host", canary, nil, "name one HOST"},
		{"unknown host", canary, []string{"sourcehut"}, `unknown HOST "sourcehut"`},
		{"unknown flag", canary, []string{"--token", "x", "github"}, "flag provided but not defined"},
		{"empty stdin", "", []string{"github"}, "standard input ended before the token"},
		{"inner space", "ghp_CANARY CANARY\n", []string{"github"}, "contains a space"},
		{"missing CA file", canary, []string{"--ca-file", "/nonexistent.pem", "github"}, "cannot read the CA file"},
		{"bad URL", canary, []string{"--url", "ftp://x", "github"}, "must start with https://"},
		{"codecommit needs two lines", "AKIACANARY\n", []string{"codecommit"}, "before the secret access key (line 2)"},
		{"bad --repo", canary, []string{"--repo", "not a repo", "github"}, `--repo "not a repo" cannot be used`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tc.stdin, tc.args...)
			if code != exitUsage || !strings.Contains(out+errOut, tc.want) {
				t.Errorf("exit %d, want 64 and %q:\n%s%s", code, tc.want, out, errOut)
			}
		})
	}
}

// TestCredentialArgumentsAreRefusedUnseen: a secret typed where HOST or
// a flag's value goes lands in shell history and CI logs; gitpat-check
// refuses it, says what it looked like, and never prints it back.
func TestCredentialArgumentsAreRefusedUnseen(t *testing.T) {
	awsSecret := "CANARYs3cr3t/0k+CANARYs3cr3t/0k+CANARY01"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"token as HOST", []string{canary}, "refused argument 1: it looks like a GitHub personal access token"},
		{"token after HOST", []string{"github", canary}, "refused argument 2"},
		{"token as --url", []string{"--url", canary, "github"}, "refused argument 2"},
		{"token in --url=", []string{"--url=" + canary, "github"}, "refused argument 1"},
		{"token as a flag name", []string{"--" + canary, "github"}, "refused argument 1"},
		{"GitLab token as HOST", []string{"glpat-CANARY0123456789abcd"}, "a GitLab personal access token"},
		{"AWS secret as --region", []string{"--region", awsSecret, "codecommit"}, "an AWS secret access key"},
		{"old hex token as HOST", []string{"0123456789abcdef0123456789abcdef01234567"}, "40 hexadecimal characters"},
		{"odd text as HOST", []string{"Canary_Not/A+Host"}, "unknown HOST (not shown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, canary+"\n", tc.args...)
			if code != exitUsage || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, want 64 and %q:\n%s%s", code, tc.want, out, errOut)
			}
			for _, a := range tc.args {
				if len(a) > 12 && strings.Contains(out+errOut, strings.TrimLeft(a, "-")) {
					t.Errorf("the argument %q was printed:\n%s", a, errOut)
				}
			}
			if strings.Contains(out+errOut, "0123456789abcdef0123") || strings.Contains(out+errOut, "Canary_Not") {
				t.Errorf("an argument was printed:\n%s", errOut)
			}
		})
	}
}

func TestSecretNeverInAnyOutputOrFile(t *testing.T) {
	g, ca := fakeGHES(t)
	home := t.TempDir()
	tmp := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("TMPDIR", tmp)
	for _, args := range [][]string{{"--json"}, {}, {"--json", "--timeout", "1ns"}} {
		runCLI(t, canary+"\n", append([]string{"--url", g.URL, "--ca-file", ca, "github"}, args...)...)
	}
	for _, dir := range []string{home, tmp} {
		scanForCanary(t, dir)
	}
}

func scanForCanary(t *testing.T, dir string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("CANARY")) {
				t.Errorf("%s holds the secret", p)
			}
		}
		return nil
	})
}

// TestBuildsWithoutFyneOrCgo keeps the CLI small and portable: it must
// never link the GUI toolkit.
func TestBuildsWithoutFyneOrCgo(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "fyne.io/") {
		t.Error("gitpat-check depends on Fyne")
	}
}
