package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// rawRepositories reads the repositories of a --json report as raw JSON,
// to tell null (not proven) from false (not allowed).
func rawRepositories(t *testing.T, out string) map[string]map[string]json.RawMessage {
	t.Helper()
	var r struct {
		Repositories []map[string]json.RawMessage `json:"repositories"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	byName := map[string]map[string]json.RawMessage{}
	for _, rp := range r.Repositories {
		var name string
		if err := json.Unmarshal(rp["name"], &name); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"found", "read", "branch", "pull_request", "findings"} {
			if _, ok := rp[k]; !ok {
				t.Errorf("%s has no %q: %v", name, k, rp)
			}
		}
		byName[name] = rp
	}
	return byName
}

// wantRaw compares found, read, branch and pull_request as JSON words.
func wantRaw(t *testing.T, repos map[string]map[string]json.RawMessage, name string, want ...string) {
	t.Helper()
	rp, ok := repos[name]
	if !ok {
		t.Fatalf("no repository %s in %v", name, repos)
	}
	for i, k := range []string{"found", "read", "branch", "pull_request"} {
		if got := string(rp[k]); got != want[i] {
			t.Errorf("%s: %s = %s, want %s", name, k, got, want[i])
		}
	}
	if string(rp["findings"]) == "[]" || string(rp["findings"]) == "null" {
		t.Errorf("%s: no findings", name)
	}
}

func TestBitbucketCloudRepoFlagJSON(t *testing.T) {
	b := hoststest.NewBitbucketCloud(t, map[string]hoststest.BitbucketToken{bbCanary: {Email: bbEmail, Scopes: bbScopes}})
	b.Repos = map[string]hoststest.BitbucketRepo{
		"acme/billing": {Permission: "write"}, "acme/docs": {Permission: "read"}, "acme/handbook": {Public: true}, "acme/flaky": {Status: 500}}
	args := []string{"--user", bbEmail, "--url", b.URL, "--ca-file", b.CAFile(t), "--json"}

	out, errOut, code := runAtlassianCLI(t, bbCanary+"\n", append(args, "--repo", "acme/billing", "--repo", "https://bitbucket.org/acme/docs/src/main", "--repo", "acme/handbook,acme/gone", "bitbucket")...)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s%s", code, out, errOut)
	}
	r := decodeReport(t, out)
	if r.Sufficient || len(r.Repositories) != 4 {
		t.Fatalf("report = %+v", r)
	}
	repos := rawRepositories(t, out)
	wantRaw(t, repos, "acme/billing", "true", "true", "true", "true")
	wantRaw(t, repos, "acme/docs", "true", "true", "false", "false")
	wantRaw(t, repos, "acme/handbook", "true", "true", "null", "null")
	wantRaw(t, repos, "acme/gone", "false", "false", "false", "false")
	if !strings.Contains(string(repos["acme/docs"]["findings"]), "https://bitbucket.org/acme/docs/admin/permissions") {
		t.Errorf("no permissions page for acme/docs: %s", repos["acme/docs"]["findings"])
	}

	out, errOut, code = runAtlassianCLI(t, bbCanary+"\n", append(args, "--repo", "acme/billing", "bitbucket")...)
	if code != 0 {
		t.Errorf("exit %d, want 0 for a ready repository:\n%s%s", code, out, errOut)
	}
	out, errOut, code = runAtlassianCLI(t, bbCanary+"\n", append(args, "--repo", "acme/flaky", "bitbucket")...)
	if code != 3 || !strings.Contains(out, `"unchecked": true`) {
		t.Errorf("exit %d, want 3 for a server error on the repository:\n%s%s", code, out, errOut)
	}
}

func TestBitbucketDataCenterRepoFlagJSON(t *testing.T) {
	dc := hoststest.NewBitbucketDC(t, hoststest.BitbucketDCOptions{ContextPath: "/bitbucket",
		Tokens: map[string]hoststest.BitbucketDCToken{dcCanary: {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_WRITE"}}},
		Repos:  map[string]hoststest.BitbucketDCRepo{"ACME/billing": {Access: "write"}, "ACME/docs": {Access: "read"}, "~JDOE/scratch": {Access: "write"}}})
	out, errOut, code := runAtlassianCLI(t, dcCanary+"\n", "--url", dc.Web(), "--ca-file", dc.CAFile(t), "--json",
		"--repo", "ACME/billing", "--repo", dc.Web()+"/users/jdoe/repos/scratch/browse", "--repo", "ACME/docs", "--repo", "ACME", "bitbucket-datacenter")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s%s", code, out, errOut)
	}
	repos := rawRepositories(t, out)
	wantRaw(t, repos, "ACME/billing", "true", "true", "true", "true")
	wantRaw(t, repos, "~jdoe/scratch", "true", "true", "true", "true")
	wantRaw(t, repos, "ACME/docs", "true", "true", "false", "false")
	wantRaw(t, repos, "ACME", "true", "null", "null", "null")
}

func TestGerritRepoFlagTextAndJSON(t *testing.T) {
	g := hoststest.NewGerrit(t, hoststest.GerritOptions{
		Accounts: []hoststest.GerritAccount{{Username: "jira-bot", Password: gerritCanary}},
		Projects: map[string]hoststest.GerritProject{
			"platform/build": {Branches: []string{"main"}},
			"docs":           {Branches: []string{"master"}},
		}})
	args := []string{"--user", "jira-bot", "--url", g.Web(), "--ca-file", g.CAFile(t), "--repo", "platform/build", "--repo", "docs", "--repo", "nope"}
	out, errOut, code := runAtlassianCLI(t, gerritCanary+"\n", append(args, "--json", "gerrit")...)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s%s", code, out, errOut)
	}
	repos := rawRepositories(t, out)
	wantRaw(t, repos, "platform/build", "true", "true", "null", "null")
	wantRaw(t, repos, "docs", "true", "true", "null", "null")
	wantRaw(t, repos, "nope", "false", "false", "false", "false")

	out, _, code = runAtlassianCLI(t, gerritCanary+"\n", append(args, "gerrit")...)
	for _, want := range []string{"Project platform/build: not proven", "read: yes, create branches: not proven, changes for review: not proven",
		"Project docs: not proven", "Project nope: not found", g.Web() + "/admin/repos/platform%2Fbuild,access"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d", code)
	}
}
