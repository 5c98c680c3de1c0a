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

// Canary tokens of these tests.
const (
	repoToken     = "ghp_CANARYr3p0sCANARYr3p0sCANARYr3p0sCANA"
	publicToken   = "ghp_CANARYpub1icCANARYpub1icCANARYpub1ic"
	fineRepoToken = "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repo"
)

// githubRepos are the repositories the fakes of these tests know: the
// organizations acme-corp (21955855) and octo-labs (20582480), and
// octocat's own.
func githubRepos() map[string]hoststest.GitHubRepo {
	return map[string]hoststest.GitHubRepo{
		"acme-corp/jira-sync":    {ID: 10, Private: true, Role: "write", OrgID: "21955855"},
		"acme-corp/website":      {ID: 11, Private: false, Role: "write", OrgID: "21955855"},
		"acme-corp/handbook":     {ID: 12, Private: true, Role: "read", OrgID: "21955855"},
		"acme-corp/secret-plans": {ID: 13, Private: true, Role: "", OrgID: "21955855"},
		"acme-corp/old-tool":     {ID: 14, Private: true, Role: "admin", OrgID: "21955855", Archived: true},
		"acme-corp/no-prs":       {ID: 15, Private: true, Role: "write", OrgID: "21955855", PullRequestsOff: true},
		"octo-labs/lab":          {ID: 20, Private: true, Role: "maintain", OrgID: "20582480"},
		"octo-labs/open-lab":     {ID: 21, Private: false, Role: "write", OrgID: "20582480"},
		"octocat/Hello-World":    {ID: 1296269, Private: false, Role: "admin"},
	}
}

// repoFake is a fake github.com (SAML SSO exists only there) that knows
// githubRepos.
func repoFake(t *testing.T, tokens map[string]hoststest.GitHubToken) (*hoststest.GitHub, *hosts.Host) {
	g, host := dotcomFake(t, tokens)
	g.Repos = githubRepos()
	return g, host
}

// checkGitHubRepos checks token against host for the named repositories.
func checkGitHubRepos(t *testing.T, g *hoststest.GitHub, host *hosts.Host, token string, names ...string) *hosts.Report {
	t.Helper()
	req := hosts.Request{Fields: map[string]string{hosts.RepoFieldKey: strings.Join(names, "\n")}}
	if host == hosts.GitHub {
		req = hosts.Request{Variant: "enterprise", Fields: map[string]string{"url": g.URL, hosts.RepoFieldKey: strings.Join(names, "\n")}}
	}
	return runCheck(t, host, req, []string{token}, g.CAFile(t), now, 10*time.Second)
}

// place returns the report on one named place.
func place(t *testing.T, r *hosts.Report, name string) hosts.RepoReport {
	t.Helper()
	for _, rp := range r.Repositories {
		if rp.Name == name {
			return rp
		}
	}
	t.Fatalf("no report on %s:\n%s", name, r.JSON())
	return hosts.RepoReport{}
}

// wantPlace asserts the four answers ("yes", "no", "not proven") and that
// the findings say each of texts.
func wantPlace(t *testing.T, rp hosts.RepoReport, found, read, branch, pr string, texts ...string) {
	t.Helper()
	got := []string{hosts.Ability(rp.Found), hosts.Ability(rp.Read), hosts.Ability(rp.Branch), hosts.Ability(rp.PullRequest)}
	if want := []string{found, read, branch, pr}; !slices.Equal(got, want) || rp.Unchecked {
		t.Errorf("%s: found/read/branch/pull_request = %v (unchecked %v), want %v\n%+v", rp.Name, got, rp.Unchecked, want, rp.Findings)
	}
	all := ""
	for _, f := range rp.Findings {
		all += "\n" + f.Text + " " + f.Fix + " " + f.Link
	}
	for _, w := range texts {
		if !strings.Contains(all, w) {
			t.Errorf("%s does not say %q:%s", rp.Name, w, all)
		}
	}
}

func TestGitHubClassicTokenReadyForNamedRepositories(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo", Expires: "2027-02-23 12:00:00 UTC"}})
	r := checkGitHubRepos(t, g, host, repoToken, "acme-corp/jira-sync", "https://github.com/octocat/Hello-World.git", "acme-corp/website")
	wantOutcome(t, r, hosts.Sufficient)
	for _, name := range []string{"acme-corp/jira-sync", "octocat/Hello-World", "acme-corp/website"} {
		wantPlace(t, place(t, r, name), "yes", "yes", "yes", "yes")
	}
	// The API says the account may push; git's push discovery says the
	// token may (asked with octocat's login, read only).
	for _, want := range []string{"GET /repos/acme-corp/jira-sync", "GET /acme-corp/jira-sync.git/info/refs", "GET /repos/acme-corp/website", "GET /acme-corp/website.git/info/refs"} {
		if !slices.Contains(g.Requests(), want) {
			t.Errorf("no %s: %v", want, g.Requests())
		}
	}
}

// The account may only read: proven, and the fix is the repository's
// collaborators page.
func TestGitHubClassicTokenWhoseUserHasOnlyRead(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo"}})
	r := checkGitHubRepos(t, g, host, repoToken, "acme-corp/handbook", "acme-corp/jira-sync")
	wantOutcome(t, r, hosts.Insufficient, "not ready for acme-corp/handbook (not allowed)")
	wantPlace(t, place(t, r, "acme-corp/handbook"), "yes", "yes", "no", "no",
		"Your account (octocat) may only read this repository", "Write role", g.URL+"/acme-corp/handbook/settings/access")
	wantPlace(t, place(t, r, "acme-corp/jira-sync"), "yes", "yes", "yes", "yes")
}

// GitHub answers 404 both for a repository that does not exist and for a
// private one the token may not see: the report says both.
func TestGitHubNotFoundAndNoAccessLookAlike(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo"}, fineRepoToken: {FineGrained: true}})
	r := checkGitHubRepos(t, g, host, repoToken, "acme-corp/secret-plans", "acme-corp/no-such-repo")
	wantOutcome(t, r, hosts.Insufficient)
	a, b := place(t, r, "acme-corp/secret-plans"), place(t, r, "acme-corp/no-such-repo")
	for _, rp := range []hosts.RepoReport{a, b} {
		wantPlace(t, rp, "no", "no", "no", "no", "does not exist, or this token may not see it", "your account needs access")
	}
	if a.Verdict() != "not found" || a.Findings[0].Text != b.Findings[0].Text {
		t.Errorf("the two 404s read differently: %q / %q", a.Findings[0].Text, b.Findings[0].Text)
	}
	r = checkGitHubRepos(t, g, host, fineRepoToken, "acme-corp/secret-plans")
	wantPlace(t, place(t, r, "acme-corp/secret-plans"), "no", "no", "no", "no",
		"only if it was given it", "resource owner must be acme-corp", g.URL+"/settings/personal-access-tokens")
}

// An organization whose SAML SSO has not authorized a classic token keeps
// its repositories from it, public ones included; the report names it and
// links to the authorization.
func TestGitHubSSOProtectedOrganizationRepositories(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{ssoToken: {Scopes: "repo", SSOPartial: "20582480"}})
	r := checkGitHubRepos(t, g, host, ssoToken, "octo-labs/lab", "octo-labs/open-lab", "acme-corp/jira-sync")
	wantOutcome(t, r, hosts.Insufficient, "octo-labs/lab (not allowed), octo-labs/open-lab (not allowed)")
	for _, name := range []string{"octo-labs/lab", "octo-labs/open-lab"} {
		wantPlace(t, place(t, r, name), "not proven", "no", "no", "no",
			"octo-labs uses SAML single sign-on and has not authorized this token", g.URL+"/orgs/octo-labs/sso?authorization_request=")
	}
	wantPlace(t, place(t, r, "acme-corp/jira-sync"), "yes", "yes", "yes", "yes")
}

func TestGitHubArchivedRepositoryIsReadOnly(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo"}, fineRepoToken: {FineGrained: true,
		Grants: map[string]hoststest.GitHubGrant{"acme-corp/old-tool": {Contents: "write", PullRequests: "write"}}}})
	// A fine-grained token's reading is proven only by the merge settings,
	// which GitHub does not show where no one may write.
	for tok, read := range map[string]string{repoToken: "yes", fineRepoToken: "not proven"} {
		r := checkGitHubRepos(t, g, host, tok, "acme-corp/old-tool")
		wantOutcome(t, r, hosts.Insufficient, "acme-corp/old-tool (not allowed)")
		wantPlace(t, place(t, r, "acme-corp/old-tool"), "yes", read, "no", "no", "archived, so it is read-only", "Unarchive it")
	}
}

func TestGitHubRepositoryWithPullRequestsOff(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo"}})
	r := checkGitHubRepos(t, g, host, repoToken, "acme-corp/no-prs")
	wantPlace(t, place(t, r, "acme-corp/no-prs"), "yes", "yes", "yes", "no", "Pull requests are turned off")
	if r.Outcome != hosts.Insufficient {
		t.Errorf("outcome %d", r.Outcome)
	}
}

// A fine-grained token given other repositories: the one it was not given
// is "not found" with the token's page; one it was given with Contents:
// Read and write may have branches; pull requests stay unproven, so the
// verdict is never Ready; a public repository is readable but not
// writable.
func TestGitHubFineGrainedTokenGrantedOtherRepositories(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{fineRepoToken: {FineGrained: true,
		Grants: map[string]hoststest.GitHubGrant{"acme-corp/no-prs": {Contents: "write", PullRequests: "write"}, "acme-corp/handbook": {Contents: "write", PullRequests: "write"}}}})
	r := checkGitHubRepos(t, g, host, fineRepoToken, "acme-corp/jira-sync", "acme-corp/no-prs", "acme-corp/website")
	wantOutcome(t, r, hosts.Insufficient)
	wantPlace(t, place(t, r, "acme-corp/jira-sync"), "no", "no", "no", "no", "Repository access must include acme-corp/jira-sync")
	wantPlace(t, place(t, r, "acme-corp/no-prs"), "yes", "yes", "yes", "no", "Pull requests are turned off")
	wantPlace(t, place(t, r, "acme-corp/website"), "yes", "yes", "no", "not proven",
		"every token may", "Contents to Read and write", "without opening one")
	if !slices.Contains(r.Missing, "Contents: Read and write") || !slices.Equal(r.Unverified, []string{"Pull requests: Read and write"}) {
		t.Errorf("missing %v unverified %v", r.Missing, r.Unverified)
	}
	// The account's own role still counts: read only is "no".
	r = checkGitHubRepos(t, g, host, fineRepoToken, "acme-corp/handbook")
	wantPlace(t, place(t, r, "acme-corp/handbook"), "yes", "not proven", "no", "no", "may only read")
	for _, req := range g.Requests() {
		if strings.Contains(req, ".git/") {
			t.Errorf("a fine-grained check asked git: %s", req)
		}
	}
}

// Granted the repository with Contents: Read and write and Pull requests:
// Read and write, a fine-grained token is proven for reading and branches;
// pull requests cannot be proven: "not proven", never Ready, and only Pull
// requests stays unverified.
func TestGitHubFineGrainedTokenProvenAsFarAsGitHubAllows(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{fineRepoToken: {FineGrained: true,
		Grants: map[string]hoststest.GitHubGrant{"acme-corp/jira-sync": {Contents: "write", PullRequests: "write"}}}})
	r := checkGitHubRepos(t, g, host, fineRepoToken, "acme-corp/jira-sync")
	wantOutcome(t, r, hosts.Insufficient, "not ready for acme-corp/jira-sync (not proven)")
	wantPlace(t, place(t, r, "acme-corp/jira-sync"), "yes", "yes", "yes", "not proven", "Pull requests: Read and write")
	if len(r.Missing) != 0 || !slices.Equal(r.Unverified, []string{"Pull requests: Read and write"}) {
		t.Errorf("missing %v unverified %v", r.Missing, r.Unverified)
	}
	if !slices.Contains(g.Requests(), "GET /repos/acme-corp/jira-sync/pulls") {
		t.Errorf("requests %v", g.Requests())
	}
}

// Contents: Read only, or no Pull requests at all: proven, and missing.
func TestGitHubFineGrainedTokenLackingPermissions(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{fineRepoToken: {FineGrained: true,
		Grants: map[string]hoststest.GitHubGrant{"acme-corp/jira-sync": {Contents: "read", PullRequests: "write"}, "octo-labs/lab": {Contents: "write"}}}})
	r := checkGitHubRepos(t, g, host, fineRepoToken, "acme-corp/jira-sync", "octo-labs/lab")
	wantOutcome(t, r, hosts.Insufficient)
	wantPlace(t, place(t, r, "acme-corp/jira-sync"), "yes", "not proven", "no", "not proven", "not given Contents: Read and write")
	wantPlace(t, place(t, r, "octo-labs/lab"), "yes", "yes", "yes", "no",
		"not given Pull requests", "Resource not accessible by personal access token", "pull_requests=read")
	if !slices.Equal(r.Missing, []string{"Contents: Read and write", "Pull requests: Read and write"}) || len(r.Unverified) != 0 {
		t.Errorf("missing %v unverified %v", r.Missing, r.Unverified)
	}
}

// An organization that keeps classic tokens from all but its public
// resources: GET /repos on a public repository still answers 200 with the
// account's push permission, and only git's push discovery shows the
// refusal. A private repository is refused outright.
func TestGitHubOrganizationThatForbidsClassicTokens(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo"}})
	g.ForbidsClassic = map[string]bool{"acme-corp": true}
	r := checkGitHubRepos(t, g, host, repoToken, "acme-corp/website", "acme-corp/jira-sync", "octocat/Hello-World")
	wantOutcome(t, r, hosts.Insufficient)
	wantPlace(t, place(t, r, "acme-corp/website"), "yes", "yes", "no", "no",
		"does not let classic tokens write", "Personal access tokens (classic) are forbidden", "fine-grained token")
	wantPlace(t, place(t, r, "acme-corp/jira-sync"), "not proven", "no", "no", "no", "acme-corp does not let classic tokens reach its repositories")
	wantPlace(t, place(t, r, "octocat/Hello-World"), "yes", "yes", "yes", "yes")
}

// A server error, a timeout or a rate limit on a repository request is
// "could not check", never "no".
func TestGitHubRepositoryTroubleIsCouldNotCheck(t *testing.T) {
	for name, set := range map[string]func(*hoststest.GitHub) hoststest.GitHubToken{
		"API 502": func(g *hoststest.GitHub) hoststest.GitHubToken {
			g.RepoStatus = map[string]int{"acme-corp/jira-sync": 502}
			return hoststest.GitHubToken{Scopes: "repo"}
		},
		"secondary rate limit": func(g *hoststest.GitHub) hoststest.GitHubToken {
			return hoststest.GitHubToken{Scopes: "repo", SecondaryLimit: 403, SecondaryPath: "/repos/acme-corp/jira-sync"}
		},
		"fine-grained pulls 503": func(g *hoststest.GitHub) hoststest.GitHubToken {
			g.RepoStatus = map[string]int{"acme-corp/jira-sync": 503}
			return hoststest.GitHubToken{FineGrained: true, Grants: map[string]hoststest.GitHubGrant{"acme-corp/jira-sync": {Contents: "write"}}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			g, host := repoFake(t, nil)
			tok := fineRepoToken
			g.Tokens = map[string]hoststest.GitHubToken{tok: set(g)}
			r := checkGitHubRepos(t, g, host, tok, "acme-corp/jira-sync", "octocat/Hello-World")
			wantOutcome(t, r, hosts.Unchecked, "could not check acme-corp/jira-sync")
			rp := place(t, r, "acme-corp/jira-sync")
			if !rp.Unchecked || rp.Verdict() != "could not check" || rp.Found != nil || rp.Branch != nil {
				t.Errorf("report %+v", rp)
			}
		})
	}
}

// git's push discovery failing matters where only it can tell (a public
// repository of an organization): could not check. Elsewhere the API's
// answer stands.
func TestGitHubGitTroubleMattersOnlyWhereGitDecides(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo"}})
	g.GitStatus = 502
	r := checkGitHubRepos(t, g, host, repoToken, "acme-corp/website", "acme-corp/jira-sync")
	wantOutcome(t, r, hosts.Unchecked, "could not check acme-corp/website")
	if rp := place(t, r, "acme-corp/website"); !rp.Unchecked {
		t.Errorf("website: %+v", rp)
	}
	wantPlace(t, place(t, r, "acme-corp/jira-sync"), "yes", "yes", "yes", "yes")
}

// 50 repositories at once: every one answered, never more than the bound
// in flight (20 repositories, two requests each).
func TestGitHubFiftyRepositoriesAtOnce(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo"}})
	var names []string
	for i := range 50 {
		name := fmt.Sprintf("acme-corp/service-%02d", i)
		g.Repos[name] = hoststest.GitHubRepo{ID: int64(100 + i), Private: true, Role: "write", OrgID: "21955855"}
		names = append(names, name)
	}
	g.Hold = 20 * time.Millisecond
	r := checkGitHubRepos(t, g, host, repoToken, names...)
	wantOutcome(t, r, hosts.Sufficient)
	if len(r.Repositories) != 50 {
		t.Fatalf("%d repositories reported", len(r.Repositories))
	}
	for i, rp := range r.Repositories {
		if rp.Name != names[i] || !rp.Ready() {
			t.Errorf("repository %d: %+v", i, rp)
		}
	}
	if n := len(g.Requests()); n != 2+2*50 {
		t.Errorf("%d requests, want 102", n)
	}
	if most := g.MaxInFlight(); most > 40 {
		t.Errorf("%d requests about repositories in flight at once, the bound is 40", most)
	}
}

// Requests about repositories go out once GET /user has accepted the
// token, never before: GitHub locks an account out after "several
// requests with invalid credentials within a short period".
func TestGitHubRepositoriesAreAskedOnlyOnceTheTokenIsAccepted(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo"}})
	r := checkGitHubRepos(t, g, host, badToken, "acme-corp/jira-sync", "acme-corp/website", "acme-corp")
	wantOutcome(t, r, hosts.Rejected)
	if got := g.Requests(); len(got) != 2 || slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "acme") }) {
		t.Errorf("requests with a rejected token = %v", got)
	}
	if len(r.Repositories) != 0 {
		t.Errorf("repositories of a rejected token: %+v", r.Repositories)
	}
	r = checkGitHubRepos(t, g, host, repoToken, "acme-corp/jira-sync", "acme-corp")
	wantOutcome(t, r, hosts.Insufficient)
	for _, want := range []string{"GET /repos/acme-corp/jira-sync", "GET /users/acme-corp", "GET /orgs/acme-corp/repos"} {
		if !slices.Contains(g.Requests(), want) {
			t.Errorf("no %s once the token was accepted: %v", want, g.Requests())
		}
	}
}

// A renamed repository answers through its new name, and the report says
// to use it.
func TestGitHubRenamedRepository(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo"}})
	g.Moved = map[string]int64{"acme-corp/jira-bridge": 10}
	r := checkGitHubRepos(t, g, host, repoToken, "acme-corp/jira-bridge")
	wantPlace(t, place(t, r, "acme-corp/jira-bridge"), "yes", "yes", "yes", "yes", "GitHub knows it as acme-corp/jira-sync now", "Name it so")
}

// A named organization: found, SAML SSO proven either way, whether the
// token reaches its private repositories; abilities only per repository.
func TestGitHubOrganizationEntries(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{ssoToken: {Scopes: "repo", SSOPartial: "20582480"}})
	r := checkGitHubRepos(t, g, host, ssoToken, "acme-corp", "octo-labs", "no-such-org", "octocat", "https://github.com/orgs/acme-corp/repositories")
	if len(r.Repositories) != 4 {
		t.Fatalf("the organization URL was not read as acme-corp: %+v", r.Repositories)
	}
	acme := place(t, r, "acme-corp")
	wantPlace(t, acme, "yes", "not proven", "not proven", "not proven", "reaches acme-corp's private repositories", "acme-corp/REPOSITORY")
	wantPlace(t, place(t, r, "octo-labs"), "yes", "no", "no", "no", "octo-labs uses SAML single sign-on", g.URL+"/orgs/octo-labs/sso?authorization_request=")
	wantPlace(t, place(t, r, "no-such-org"), "no", "no", "no", "no", "knows no organization or account named no-such-org")
	own := place(t, r, "octocat")
	wantPlace(t, own, "yes", "not proven", "not proven", "not proven", "per repository")
	if acme.Kind != "organization" || own.Kind != "account" {
		t.Errorf("kinds %q %q", acme.Kind, own.Kind)
	}
	wantOutcome(t, r, hosts.Insufficient)
}

// A fine-grained token whose resource owner is another account reaches
// none of an organization's private repositories.
func TestGitHubOrganizationEntryWithAFineGrainedTokenOfAnotherOwner(t *testing.T) {
	g, host := repoFake(t, map[string]hoststest.GitHubToken{fineRepoToken: {FineGrained: true}})
	r := checkGitHubRepos(t, g, host, fineRepoToken, "acme-corp")
	wantPlace(t, place(t, r, "acme-corp"), "yes", "not proven", "not proven", "not proven", "reaches none of acme-corp's private repositories", "resource owner")
}

// GitHub Enterprise Server documents the merge-settings rule from 3.14:
// there a fine-grained token's Contents is proven, before it is not.
func TestGitHubEnterpriseFineGrainedContentsByVersion(t *testing.T) {
	for version, want := range map[string]string{"3.14.2": "yes", "3.12.4": "not proven"} {
		t.Run(version, func(t *testing.T) {
			g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{fineRepoToken: {FineGrained: true,
				Grants: map[string]hoststest.GitHubGrant{"acme-corp/jira-sync": {Contents: "write", PullRequests: "write"}}}})
			g.Repos, g.Version = githubRepos(), version
			r := checkGitHubRepos(t, g, hosts.GitHub, fineRepoToken, "acme-corp/jira-sync")
			rp := place(t, r, "acme-corp/jira-sync")
			if hosts.Ability(rp.Branch) != want {
				t.Errorf("branch %s, want %s: %+v", hosts.Ability(rp.Branch), want, rp.Findings)
			}
		})
	}
}

// On an Enterprise server the same requests go to the server's one host:
// the API under /api/v3 and git at the root.
func TestGitHubEnterpriseRepositoryRequestsStayOnTheServer(t *testing.T) {
	g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{repoToken: {Scopes: "repo"}})
	g.Repos = githubRepos()
	r := checkGitHubRepos(t, g, hosts.GitHub, repoToken, "acme-corp/jira-sync", g.URL+"/acme-corp/website/pulls")
	wantOutcome(t, r, hosts.Sufficient)
	want := []string{"GET /acme-corp/jira-sync.git/info/refs", "GET /acme-corp/website.git/info/refs", "GET /api/v3/repos/acme-corp/jira-sync",
		"GET /api/v3/repos/acme-corp/website", "GET /api/v3/user", "GET /api/v3/user/repos"}
	if got := sorted(g.Requests()); !slices.Equal(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}
}
