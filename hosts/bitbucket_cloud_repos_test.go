package hosts_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
)

// bbRepos are the repositories of the fake account: each kind of answer
// Bitbucket gives about one.
func bbRepos() map[string]hoststest.BitbucketRepo {
	return map[string]hoststest.BitbucketRepo{
		"acme/billing":   {Permission: "write"},
		"acme/web":       {Permission: "admin"},
		"acme/docs":      {Permission: "read"},
		"acme/handbook":  {Public: true},
		"acme/secret":    {Hidden: true},
		"acme/vault":     {Forbidden: true},
		"acme/flaky":     {Permission: "write", Status: 502},
		"acme/busy":      {Permission: "write", Status: 429},
		"acme-tools/cli": {Permission: "write"},
	}
}

// checkBitbucketRepos runs the check with the repositories field set.
func checkBitbucketRepos(t *testing.T, b *hoststest.BitbucketCloud, token string, repos ...string) *hosts.Report {
	t.Helper()
	req := hosts.Request{Fields: map[string]string{"url": b.URL, "user": bbEmail, "repos": strings.Join(repos, "\n")}}
	return runCheck(t, hosts.BitbucketCloud, req, []string{token}, b.CAFile(t), now, 10*time.Second)
}

// repoOf finds a named place in a report.
func repoOf(t *testing.T, r *hosts.Report, name string) hosts.RepoReport {
	t.Helper()
	for _, rp := range r.Repositories {
		if rp.Name == name {
			return rp
		}
	}
	t.Fatalf("no report on %s:\n%s", name, r.JSON())
	return hosts.RepoReport{}
}

// wantAbilities compares found, read, branch and pull_request, each
// "yes", "no" or "not proven".
func wantAbilities(t *testing.T, rp hosts.RepoReport, found, read, branch, pr string) {
	t.Helper()
	got := []string{hosts.Ability(rp.Found), hosts.Ability(rp.Read), hosts.Ability(rp.Branch), hosts.Ability(rp.PullRequest)}
	if want := []string{found, read, branch, pr}; !slices.Equal(got, want) {
		t.Errorf("%s: found, read, branch, pull request = %q, want %q\n%+v", rp.Name, got, want, rp.Findings)
	}
}

// repoSays checks a named place's findings mention each text.
func repoSays(t *testing.T, rp hosts.RepoReport, texts ...string) {
	t.Helper()
	all := ""
	for _, f := range rp.Findings {
		all += f.Text + " " + f.Fix + " " + f.Link + "\n"
	}
	for _, want := range texts {
		if !strings.Contains(all, want) {
			t.Errorf("%s does not say %q:\n%s", rp.Name, want, all)
		}
	}
}

func TestBitbucketCloudRepositoriesWithWriteAreReady(t *testing.T) {
	b := bitbucketFake(t)
	b.Repos = bbRepos()
	r := checkBitbucketRepos(t, b, bbToken, "acme/billing", "https://bitbucket.org/acme/web/src/main/", "acme-tools/cli")
	wantOutcome(t, r, hosts.Sufficient, "every Bitbucket scope")
	for _, name := range []string{"acme/billing", "acme/web", "acme-tools/cli"} {
		rp := repoOf(t, r, name)
		wantAbilities(t, rp, "yes", "yes", "yes", "yes")
		if rp.Kind != "repository" || !rp.Ready() {
			t.Errorf("%s: kind %q ready %v", name, rp.Kind, rp.Ready())
		}
	}
	for _, want := range []string{"GET /2.0/repositories/acme/billing", "GET /2.0/user/workspaces/acme/permissions/repositories",
		"GET /2.0/repositories/acme-tools/cli", "GET /2.0/user/workspaces/acme-tools/permissions/repositories"} {
		if !slices.Contains(b.Requests(), want) {
			t.Errorf("no %s in %v", want, b.Requests())
		}
	}
}

func TestBitbucketCloudReadOnlyAccountIsNotAllowed(t *testing.T) {
	b := bitbucketFake(t)
	b.Repos = bbRepos()
	r := checkBitbucketRepos(t, b, bbToken, "acme/billing", "acme/docs")
	wantOutcome(t, r, hosts.Insufficient, "not ready for acme/docs (not allowed)")
	rp := repoOf(t, r, "acme/docs")
	wantAbilities(t, rp, "yes", "yes", "no", "no")
	repoSays(t, rp, "has Read on this repository", "Write on acme/docs", "https://bitbucket.org/acme/docs/admin/permissions")
	if !repoOf(t, r, "acme/billing").Ready() {
		t.Error("the writable repository is not ready")
	}
}

func TestBitbucketCloudMissingRepositoryAndNoAccessLookAlike(t *testing.T) {
	b := bitbucketFake(t)
	b.Repos = bbRepos()
	r := checkBitbucketRepos(t, b, bbToken, "acme/nothing-here", "acme/secret")
	wantOutcome(t, r, hosts.Insufficient, "acme/nothing-here (not found)", "acme/secret (not found)")
	for _, name := range []string{"acme/nothing-here", "acme/secret"} {
		rp := repoOf(t, r, name)
		wantAbilities(t, rp, "no", "no", "no", "no")
		repoSays(t, rp, "answers alike when a repository does not exist and when the account has no access", "https://bitbucket.org/acme/workspace/repositories")
	}
}

func TestBitbucketCloudPrivateRepositoryRefusedWith403(t *testing.T) {
	b := bitbucketFake(t)
	b.Repos = bbRepos()
	r := checkBitbucketRepos(t, b, bbToken, "acme/vault")
	rp := repoOf(t, r, "acme/vault")
	wantAbilities(t, rp, "yes", "no", "no", "no")
	repoSays(t, rp, "private and the account jira@example.com has no access", "https://bitbucket.org/acme/vault/admin/permissions")
	wantOutcome(t, r, hosts.Insufficient, "acme/vault (not allowed)")
}

func TestBitbucketCloudPublicRepositoryWithoutPermissionIsNotProven(t *testing.T) {
	b := bitbucketFake(t)
	b.Repos = bbRepos()
	r := checkBitbucketRepos(t, b, bbToken, "acme/handbook")
	rp := repoOf(t, r, "acme/handbook")
	wantAbilities(t, rp, "yes", "yes", "not proven", "not proven")
	repoSays(t, rp, "lists no permission of this account on it: it reads it because the repository is public")
	wantOutcome(t, r, hosts.Insufficient, "acme/handbook (not proven)")
}

func TestBitbucketCloudRepositoriesFollowTheTokensScopes(t *testing.T) {
	b := bitbucketFake(t)
	b.Repos = bbRepos()
	noRepoWrite := "ATATT3xFfGF0CANARYnorwCANARYnorwCANARYnorwCANARYnorwCAN=7A8B9C0D"
	noRepoRead := "ATATT3xFfGF0CANARYnorrCANARYnorrCANARYnorrCANARYnorrCAN=8B9C0D1E"
	b.Tokens[noRepoWrite] = hoststest.BitbucketToken{Email: bbEmail, Scopes: bbWithout("write:repository:bitbucket")}
	b.Tokens[noRepoRead] = hoststest.BitbucketToken{Email: bbEmail, Scopes: bbWithout("read:repository:bitbucket")}

	// A token without write:pullrequest may create branches, not pull requests.
	rp := repoOf(t, checkBitbucketRepos(t, b, bbNoPRWrite, "acme/billing"), "acme/billing")
	wantAbilities(t, rp, "yes", "yes", "yes", "no")
	repoSays(t, rp, "lacks read:pullrequest or write:pullrequest", "https://id.atlassian.com/manage-profile/security/api-tokens")

	// Without write:repository, neither: the pull request needs the branch.
	rp = repoOf(t, checkBitbucketRepos(t, b, noRepoWrite, "acme/billing"), "acme/billing")
	wantAbilities(t, rp, "yes", "yes", "no", "no")
	repoSays(t, rp, "lacks write:repository")

	// Without read:repository Bitbucket refuses the repository itself.
	rp = repoOf(t, checkBitbucketRepos(t, b, noRepoRead, "acme/billing"), "acme/billing")
	wantAbilities(t, rp, "not proven", "no", "no", "no")
	repoSays(t, rp, "lacks read:repository:bitbucket")

	// Scopes Bitbucket did not show are not proven, never granted.
	r := checkBitbucketRepos(t, b, bbQuiet, "acme/billing")
	rp = repoOf(t, r, "acme/billing")
	wantAbilities(t, rp, "yes", "yes", "not proven", "not proven")
	repoSays(t, rp, "did not show whether the token has write:repository", "did not show whether the token has write:pullrequest")
}

func TestBitbucketCloudWorkspaces(t *testing.T) {
	b := bitbucketFake(t)
	b.Repos = bbRepos()
	r := checkBitbucketRepos(t, b, bbToken, "acme", "elsewhere")
	ws := repoOf(t, r, "acme")
	if ws.Kind != "workspace" {
		t.Errorf("kind %q", ws.Kind)
	}
	wantAbilities(t, ws, "yes", "not proven", "not proven", "not proven")
	repoSays(t, ws, "may write to 4 repositories in acme", "Name the repositories Jira should use as acme/repo")
	other := repoOf(t, r, "elsewhere")
	wantAbilities(t, other, "not proven", "no", "no", "no")
	repoSays(t, other, "is not a member of the workspace elsewhere")
	wantOutcome(t, r, hosts.Insufficient, "acme (not proven)", "elsewhere (not allowed)")

	b.Repos = map[string]hoststest.BitbucketRepo{"acme/docs": {Permission: "read"}}
	ws = repoOf(t, checkBitbucketRepos(t, b, bbToken, "acme"), "acme")
	wantAbilities(t, ws, "yes", "not proven", "no", "no")
	repoSays(t, ws, "may write to no repository in acme")
}

func TestBitbucketCloudRepositoryServerErrorsAreCouldNotCheck(t *testing.T) {
	b := bitbucketFake(t)
	b.Repos = bbRepos()
	for _, tc := range []struct{ repo, says string }{
		{"acme/flaky", "server error (502 Bad Gateway)"},
		{"acme/busy", "limited the requests"},
	} {
		r := checkBitbucketRepos(t, b, bbToken, "acme/billing", tc.repo)
		wantOutcome(t, r, hosts.Unchecked, "could not check "+tc.repo)
		rp := repoOf(t, r, tc.repo)
		if !rp.Unchecked || isAny(rp.Read, rp.Branch, rp.PullRequest) {
			t.Errorf("%s: %+v", tc.repo, rp)
		}
		repoSays(t, rp, tc.says)
		if !repoOf(t, r, "acme/billing").Ready() {
			t.Error("a failing neighbour changed a ready repository")
		}
	}
}

// isAny reports whether any ability was decided.
func isAny(bs ...*bool) bool {
	return slices.ContainsFunc(bs, func(b *bool) bool { return b != nil })
}

func TestBitbucketCloudRefusedTokenAsksNothingAboutRepositories(t *testing.T) {
	b := bitbucketFake(t)
	b.Repos = bbRepos()
	r := checkBitbucketRepos(t, b, bbExpired, "acme/billing")
	wantOutcome(t, r, hosts.Rejected)
	if len(r.Repositories) != 0 {
		t.Errorf("repositories of a refused token: %v", r.Repositories)
	}
	for _, req := range b.Requests() {
		if strings.Contains(req, "acme/billing") || strings.Contains(req, "permissions") {
			t.Errorf("asked about a repository with a refused token: %s", req)
		}
	}
	// An accepted token does ask.
	checkBitbucketRepos(t, b, bbToken, "acme/billing")
	if !slices.Contains(b.Requests(), "GET /2.0/repositories/acme/billing") {
		t.Errorf("an accepted token did not ask about the repository: %v", b.Requests())
	}
}

func TestBitbucketCloudFiftyRepositoriesAtOnce(t *testing.T) {
	b := bitbucketFake(t)
	b.Repos = map[string]hoststest.BitbucketRepo{}
	var names []string
	for i := range 50 {
		name := fmt.Sprintf("acme/service-%02d", i)
		b.Repos[name] = hoststest.BitbucketRepo{Permission: "write"}
		names = append(names, name)
	}
	b.Busy.Hold = 20 * time.Millisecond
	r := checkBitbucketRepos(t, b, bbToken, names...)
	wantOutcome(t, r, hosts.Sufficient)
	if len(r.Repositories) != 50 {
		t.Fatalf("%d repositories reported", len(r.Repositories))
	}
	for i, rp := range r.Repositories {
		if rp.Name != names[i] || !rp.Ready() {
			t.Errorf("repository %d: %s ready %v", i, rp.Name, rp.Ready())
		}
	}
	// Two requests per repository, at most 20 repositories' worth at once.
	if most := b.Busy.Most(); most > 40 {
		t.Errorf("%d requests about repositories at once, more than the bound of 40", most)
	}
}
