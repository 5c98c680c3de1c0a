package main

import (
	"strconv"
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

// fakeGitLabProjects is a GitLab holding projects and groups where the
// token's user (john_smith) stands as given.
func fakeGitLabProjects(t *testing.T, version string) (*hoststest.GitLab, string) {
	return fakeGitLab(t, hoststest.GitLabOptions{Version: version, SubPath: "/gitlab",
		Projects: map[string]hoststest.GitLabProject{
			"acme/api":  {Group: 30},
			"acme/docs": {Direct: 20},
			"acme/down": {Direct: 30, Fail: 503},
			"acme/web": {Direct: 30, Branches: []string{"feature/x"},
				Protected: []hoststest.GitLabRule{{Name: "main", Push: []int{40}, Merge: []int{40}}}},
		},
		Groups: map[string]hoststest.GitLabGroup{"acme": {Member: 30}}})
}

func TestGitLabRepoJSONFollowsTheContract(t *testing.T) {
	g, ca := fakeGitLabProjects(t, "17.5.2-ee")
	// A pasted web address of a project is read as its path, the
	// server's sub-path left out.
	out, _, code := runCLI(t, glCanary+"\n", "--url", g.Web(), "--ca-file", ca, "--json",
		"--repo", "acme/api", "--repo", g.Web()+"/acme/docs/-/tree/main", "--repo", "acme", "--repo", "acme/ghost", "gitlab")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	r := decodeReport(t, out)
	want := []struct {
		name                       string
		found, read, branch, merge string
		text                       string
	}{
		{"acme/api", "true", "true", "true", "true", ""},
		{"acme/docs", "true", "true", "false", "false", "john_smith's role here is Reporter"},
		{"acme", "true", "true", "true", "true", "role in this group is Developer"},
		{"acme/ghost", "false", "false", "false", "false", "it does not exist, or john_smith may not see it"},
	}
	if len(r.Repositories) != len(want) {
		t.Fatalf("repositories = %+v", r.Repositories)
	}
	str := func(b *bool) string {
		if b == nil {
			return "null"
		}
		return strconv.FormatBool(*b)
	}
	for i, w := range want {
		rp := r.Repositories[i]
		got := []string{str(rp.Found), str(rp.Read), str(rp.Branch), str(rp.PullRequest)}
		text := ""
		for _, f := range rp.Findings {
			text += f.Text + "\n"
		}
		if rp.Name != w.name || strings.Join(got, ",") != strings.Join([]string{w.found, w.read, w.branch, w.merge}, ",") || !strings.Contains(text, w.text) {
			t.Errorf("repository %d: %s %v, findings:\n%s", i, rp.Name, got, text)
		}
	}
	if !strings.Contains(r.Findings[len(r.Findings)-1].Text, "acme/docs (not allowed), acme/ghost (not found)") {
		t.Errorf("findings = %+v", r.Findings)
	}
}

func TestGitLabRepoExitStatus(t *testing.T) {
	for _, tc := range []struct {
		name, token, version string
		repos                []string
		code                 int
		want                 []string
	}{
		{"ready", glCanary, "17.5.2-ee", []string{"acme/api", "acme/web"}, 0,
			[]string{"Ready", "Project acme/api: ready", "read: yes, create branches: yes, merge requests: yes"}},
		{"reporter", glCanary, "17.5.2-ee", []string{"acme/api", "acme/docs"}, 1,
			[]string{"Project acme/docs: not allowed", "read: yes, create branches: no, merge requests: no", "/gitlab/acme/docs/-/project_members"}},
		{"read_api token", glCanaryReadAPI, "17.5.2-ee", []string{"acme/api"}, 1,
			[]string{"read: yes, create branches: no, merge requests: no", "The token lacks the api scope"}},
		{"server error", glCanary, "17.5.2-ee", []string{"acme/api", "acme/down"}, 3,
			[]string{"could not check acme/down", "server error (503 Service Unavailable)"}},
		// 15.4 cannot show the token's scopes: api is not proven.
		{"old server", glCanary, "15.4.6-ee", []string{"acme/web"}, 1,
			[]string{"Project acme/web: not proven", "create branches: not proven", "branch feature/x is not protected"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, ca := fakeGitLabProjects(t, tc.version)
			args := []string{"--url", g.Web(), "--ca-file", ca}
			for _, r := range tc.repos {
				args = append(args, "--repo", r)
			}
			out, _, code := runCLI(t, tc.token+"\n", append(args, "gitlab")...)
			if code != tc.code {
				t.Errorf("exit %d, want %d:\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestGitLabRepoNullIsJSONNull(t *testing.T) {
	g, ca := fakeGitLabProjects(t, "15.4.6-ee")
	out, _, _ := runCLI(t, glCanary+"\n", "--url", g.Web(), "--ca-file", ca, "--json", "--repo", "acme/web", "gitlab")
	for _, w := range []string{`"name": "acme/web"`, `"found": true`, `"branch": null`, `"pull_request": null`} {
		if !strings.Contains(out, w) {
			t.Errorf("JSON lacks %s:\n%s", w, out)
		}
	}
}
