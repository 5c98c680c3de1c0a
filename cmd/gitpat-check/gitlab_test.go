package main

import (
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

const (
	glCanary        = "glpat-CANARYcliCANARYcli0001"
	glCanaryReadAPI = "glpat-CANARYrdaCANARYrda0001"
	glCanaryExpired = "glpat-CANARYexpCANARYexp0001"
)

func fakeGitLab(t *testing.T, o hoststest.GitLabOptions) (*hoststest.GitLab, string) {
	o.Tokens = map[string]hoststest.GitLabToken{
		glCanary:        {Scopes: []string{"api"}, ExpiresAt: "2099-01-02"},
		glCanaryReadAPI: {Scopes: []string{"read_api"}, ExpiresAt: "2099-01-02"},
		glCanaryExpired: {Scopes: []string{"api"}, Expired: true},
	}
	g := hoststest.NewGitLab(t, o)
	return g, g.CAFile(t)
}

func TestGitLabJSONReport(t *testing.T) {
	g, ca := fakeGitLab(t, hoststest.GitLabOptions{SubPath: "/gitlab"})
	out, _, code := runCLI(t, glCanary+"\n", "--url", g.Web()+"/", "--ca-file", ca, "--json", "gitlab")
	if code != 0 {
		t.Fatalf("exit %d, want 0:\n%s", code, out)
	}
	r := decodeReport(t, out)
	if r.Host != "gitlab" || r.Server != g.Web() || !r.Valid || !r.Sufficient || r.User != "john_smith" || r.Name != "John Smith" ||
		r.TokenKind != "personal access token" || r.Missing == nil || len(r.Missing) != 0 {
		t.Errorf("report = %+v", r)
	}
	if strings.Join(r.Scopes, ",") != "api" || strings.Join(r.Needed, ",") != "api" {
		t.Errorf("scopes = %v needed = %v", r.Scopes, r.Needed)
	}
	if r.ExpiresAt == nil || *r.ExpiresAt != "2099-01-02T00:00:00Z" {
		t.Errorf("expires_at = %v", r.ExpiresAt)
	}
}

func TestGitLabExitStatusIsTheVerdict(t *testing.T) {
	for _, tc := range []struct {
		name, stdin string
		opts        hoststest.GitLabOptions
		url         string // replaces the fake's address when set
		code        int
		want        string
	}{
		{"sufficient", glCanary, hoststest.GitLabOptions{}, "", 0, "Ready"},
		{"read_api only", glCanaryReadAPI + "\r\n", hoststest.GitLabOptions{}, "", 1, "lacks the api scope"},
		{"old server", glCanary, hoststest.GitLabOptions{Version: "15.4.0"}, "", 1, "could not verify its scopes or expiry"},
		{"expired", glCanaryExpired, hoststest.GitLabOptions{}, "", 2, "The token has expired"},
		{"unknown", "glpat-CANARYunkCANARYunk0001", hoststest.GitLabOptions{}, "", 2, "does not accept this token"},
		{"another host's token", "ghp_CANARYcl1CANARYcl1CANARYcl1CANARYcl1", hoststest.GitLabOptions{}, "", 2, "looks like a GitHub personal access token"},
		{"no server", glCanary, hoststest.GitLabOptions{}, "https://127.0.0.1:1", 3, "refused the connection"},
		{"sub-path missing", glCanary, hoststest.GitLabOptions{SubPath: "/gitlab"}, "root", 3, "There is no GitLab API at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, ca := fakeGitLab(t, tc.opts)
			u := g.Web()
			switch tc.url {
			case "":
			case "root":
				u = g.URL
			default:
				u = tc.url
			}
			out, _, code := runCLI(t, tc.stdin+"\n", "--url", u, "--ca-file", ca, "gitlab")
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d (want %d), output:\n%s", code, tc.code, out)
			}
		})
	}
}

func TestGitLabSecretNeverInAnyOutputOrFile(t *testing.T) {
	g, ca := fakeGitLab(t, hoststest.GitLabOptions{})
	home, tmp := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("TMPDIR", tmp)
	for _, token := range []string{glCanary, glCanaryReadAPI, glCanaryExpired} {
		for _, args := range [][]string{{"--json"}, {}, {"--json", "--timeout", "1ns"}} {
			runCLI(t, token+"\n", append([]string{"--url", g.Web(), "--ca-file", ca, "gitlab"}, args...)...)
		}
	}
	for _, dir := range []string{home, tmp} {
		scanForCanary(t, dir)
	}
}
