package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

const (
	ghCanaryFine  = "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cli1"
	ghCanaryBurst = "ghp_CANARYbur5tCANARYbur5tCANARYbur5tCAN"
)

// TestGitHubFineGrainedTokenJSONSaysWhatIsUnverified: exit 1 with the
// reason in the JSON: nothing proven missing, two permissions unverified.
func TestGitHubFineGrainedTokenJSONSaysWhatIsUnverified(t *testing.T) {
	g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{ghCanaryFine: {FineGrained: true}})
	out, _, code := runCLI(t, ghCanaryFine+"\n", "--url", g.URL, "--ca-file", g.CAFile(t), "--json", "github")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	r := decodeReport(t, out)
	var extra struct {
		Unverified []string `json:"unverified"`
	}
	if err := json.Unmarshal([]byte(out), &extra); err != nil {
		t.Fatal(err)
	}
	if !r.Valid || r.Sufficient || r.Missing == nil || len(r.Missing) != 0 || r.TokenKind != "fine-grained personal access token" {
		t.Errorf("report = %+v", r)
	}
	if want := []string{"Contents: Read and write", "Pull requests: Read and write"}; !slices.Equal(extra.Unverified, want) {
		t.Errorf("unverified = %v, want %v", extra.Unverified, want)
	}
	text, _, _ := runCLI(t, ghCanaryFine+"\n", "--url", g.URL, "--ca-file", g.CAFile(t), "github")
	if !strings.Contains(text, "Not proven: Contents: Read and write, Pull requests: Read and write") {
		t.Errorf("text report:\n%s", text)
	}
}

// TestGitHubServerTroubleExitsThree: the secondary rate limit and an
// Enterprise server in maintenance are "could not check", each with advice
// that fits.
func TestGitHubServerTroubleExitsThree(t *testing.T) {
	for _, tc := range []struct {
		name        string
		maintenance bool
		want        []string
	}{
		{"secondary rate limit", false, []string{"secondary rate limit", "Wait 60 seconds"}},
		{"maintenance", true, []string{"maintenance mode", "administrator"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{ghCanaryBurst: {Scopes: "repo", SecondaryLimit: 429}})
			g.SetMaintenance(tc.maintenance)
			out, _, code := runCLI(t, ghCanaryBurst+"\n", "--url", g.URL, "--ca-file", g.CAFile(t), "github")
			if code != 3 || strings.Contains(out, "status page") || strings.Contains(out, "Wait until") {
				t.Errorf("exit %d (want 3), or advice that does not fit:\n%s", code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output does not say %q:\n%s", w, out)
				}
			}
		})
	}
}

// ghRepos are the repositories the CLI's fake GitHub Enterprise knows.
func ghRepos() map[string]hoststest.GitHubRepo {
	return map[string]hoststest.GitHubRepo{
		"acme-corp/jira-sync":    {Private: true, Role: "write", OrgID: "21955855"},
		"acme-corp/handbook":     {Private: true, Role: "read", OrgID: "21955855"},
		"acme-corp/secret-plans": {Private: true, OrgID: "21955855"},
	}
}

// repoJSON reads the repositories array of a --json report as the
// contract names it: name, found, read, branch, pull_request (each true,
// false or null, never missing) and findings.
func repoJSON(t *testing.T, out string) map[string]map[string]json.RawMessage {
	t.Helper()
	var raw struct {
		Repositories []map[string]json.RawMessage `json:"repositories"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	byName := map[string]map[string]json.RawMessage{}
	for _, rp := range raw.Repositories {
		for _, k := range []string{"name", "found", "read", "branch", "pull_request", "findings"} {
			if _, ok := rp[k]; !ok {
				t.Fatalf("a repository without %q: %v", k, rp)
			}
		}
		for _, k := range []string{"found", "read", "branch", "pull_request"} {
			if v := string(rp[k]); v != "true" && v != "false" && v != "null" {
				t.Errorf("%s = %s, want true, false or null", k, v)
			}
		}
		var name string
		_ = json.Unmarshal(rp["name"], &name)
		byName[name] = rp
	}
	return byName
}

// TestGitHubRepoFlagJSON: --repo, repeatable, in any form GitHub shows a
// repository; the JSON names each with its abilities and findings, and
// the exit status says "valid but not ready" with the repositories named.
func TestGitHubRepoFlagJSON(t *testing.T) {
	g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{canary: {Scopes: "repo"}})
	g.Repos = ghRepos()
	out, errOut, code := runCLI(t, canary+"\n", "--url", g.URL, "--ca-file", g.CAFile(t), "--json",
		"--repo", "acme-corp/jira-sync", "--repo", g.URL+"/acme-corp/handbook/pulls", "github", "--repo", "git@ghe.example.com:acme-corp/secret-plans.git")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s%s", code, out, errOut)
	}
	r := decodeReport(t, out)
	if len(r.Repositories) != 3 || r.Repositories[0].Name != "acme-corp/jira-sync" || r.Repositories[1].Name != "acme-corp/handbook" || r.Repositories[2].Name != "acme-corp/secret-plans" {
		t.Fatalf("repositories %+v", r.Repositories)
	}
	byName := repoJSON(t, out)
	for name, want := range map[string][4]string{
		"acme-corp/jira-sync":    {"true", "true", "true", "true"},
		"acme-corp/handbook":     {"true", "true", "false", "false"},
		"acme-corp/secret-plans": {"false", "false", "false", "false"},
	} {
		rp := byName[name]
		got := [4]string{string(rp["found"]), string(rp["read"]), string(rp["branch"]), string(rp["pull_request"])}
		if got != want {
			t.Errorf("%s: found/read/branch/pull_request %v, want %v", name, got, want)
		}
	}
	if f := r.Repositories[1].Findings; len(f) == 0 || !strings.Contains(f[0].Text, "may only read") || f[0].Link == "" {
		t.Errorf("handbook findings %+v", f)
	}
	if !strings.Contains(out, "not ready for acme-corp/handbook (not allowed), acme-corp/secret-plans (not found)") {
		t.Errorf("summary:\n%s", out)
	}
}

// The text report lists each repository with its verdict and abilities;
// all ready is exit 0, a server error on a repository exit 3.
func TestGitHubRepoFlagText(t *testing.T) {
	g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{canary: {Scopes: "repo"}})
	g.Repos = ghRepos()
	out, _, code := runCLI(t, canary+"\n", "--url", g.URL, "--ca-file", g.CAFile(t), "--repo", "acme-corp/jira-sync", "github")
	if code != 0 || !strings.Contains(out, "Repository acme-corp/jira-sync: ready") ||
		!strings.Contains(out, "read: yes, create branches: yes, pull requests: yes") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	g.RepoStatus = map[string]int{"acme-corp/jira-sync": 502}
	out, _, code = runCLI(t, canary+"\n", "--url", g.URL, "--ca-file", g.CAFile(t), "--repo", "acme-corp/jira-sync", "github")
	if code != 3 || !strings.Contains(out, "could not check acme-corp/jira-sync") || !strings.Contains(out, "502 Bad Gateway") {
		t.Errorf("exit %d (want 3):\n%s", code, out)
	}
}

// A fine-grained token: pull requests are null (could not be proven),
// never true, and the exit status is 1.
func TestGitHubRepoFlagFineGrainedToken(t *testing.T) {
	g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{ghCanaryFine: {FineGrained: true,
		Grants: map[string]hoststest.GitHubGrant{"acme-corp/jira-sync": {Contents: "write", PullRequests: "write"}}}})
	g.Repos, g.Version = ghRepos(), "3.14.2"
	out, _, code := runCLI(t, ghCanaryFine+"\n", "--url", g.URL, "--ca-file", g.CAFile(t), "--json", "--repo", "acme-corp/jira-sync", "github")
	rp := repoJSON(t, out)["acme-corp/jira-sync"]
	if code != 1 || string(rp["branch"]) != "true" || string(rp["pull_request"]) != "null" {
		t.Errorf("exit %d, %v:\n%s", code, rp, out)
	}
	if r := decodeReport(t, out); !slices.Equal(r.Unverified, []string{"Pull requests: Read and write"}) {
		t.Errorf("unverified %v", r.Unverified)
	}
}
