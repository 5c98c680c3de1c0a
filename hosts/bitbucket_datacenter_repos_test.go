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

// dcRepos are the server's repositories: each kind of answer Bitbucket
// Data Center gives about one.
func dcRepos() map[string]hoststest.BitbucketDCRepo {
	return map[string]hoststest.BitbucketDCRepo{
		"ACME/billing":    {Access: "write"},
		"ACME/web":        {Access: "write"},
		"ACME/docs":       {Access: "read"},
		"ACME/legacy":     {Access: "write", Archived: true},
		"ACME/secret":     {},
		"OPS/deploy":      {Access: "write", Status: 503},
		"~JDOE/scratch":   {Access: "write"},
		"READONLY/manual": {Access: "read"},
	}
}

func checkDCRepos(t *testing.T, b *hoststest.BitbucketDC, token string, repos ...string) *hosts.Report {
	t.Helper()
	req := hosts.Request{Fields: map[string]string{"url": b.Web(), "repos": strings.Join(repos, "\n")}}
	return runCheck(t, hosts.BitbucketDataCenter, req, []string{token}, b.CAFile(t), now, 10*time.Second)
}

func TestBitbucketDCRepositoriesWithWriteAreReady(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{ContextPath: "/bitbucket", Repos: dcRepos()})
	r := checkDCRepos(t, b, dcToken, "ACME/billing", b.Web()+"/projects/ACME/repos/web/browse", "~JDOE/scratch")
	wantOutcome(t, r, hosts.Sufficient, "has Repository write")
	for _, name := range []string{"ACME/billing", "ACME/web", "~JDOE/scratch"} {
		rp := repoOf(t, r, name)
		wantAbilities(t, rp, "yes", "yes", "yes", "yes")
		repoSays(t, rp, "lists this repository among those it may write to")
	}
	// One request per repository, one writable list per project.
	var lists int
	for _, req := range b.Requests() {
		if req == "GET /bitbucket/rest/api/latest/repos" {
			lists++
		}
	}
	if lists != 3 { // the base check's, ACME's, ~JDOE's
		t.Errorf("%d repository lists in %v", lists, b.Requests())
	}
	if !slices.Contains(b.Requests(), "GET /bitbucket/rest/api/latest/projects/~JDOE/repos/scratch") {
		t.Errorf("requests %v", b.Requests())
	}
}

func TestBitbucketDCReadOnlyUserOrTokenIsNotAllowed(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{Repos: dcRepos()})
	r := checkDCRepos(t, b, dcToken, "ACME/billing", "ACME/docs")
	rp := repoOf(t, r, "ACME/docs")
	wantAbilities(t, rp, "yes", "yes", "no", "no")
	repoSays(t, rp, "does not list ACME/docs among the repositories this token may write to", b.Web()+"/projects/ACME/repos/docs/permissions")
	wantOutcome(t, r, hosts.Insufficient, "ACME/docs (not allowed)")

	// A token with Repository read may write nowhere, whatever its user may.
	r = checkDCRepos(t, b, dcReadOnly, "ACME/billing")
	rp = repoOf(t, r, "ACME/billing")
	wantAbilities(t, rp, "yes", "yes", "no", "no")
	repoSays(t, rp, "The token lacks Repository write", b.Web()+"/plugins/servlet/access-tokens/manage")
}

func TestBitbucketDCTokenWhosePermissionsAreHiddenIsNotProvenReady(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{Repos: dcRepos()})
	r := checkDCRepos(t, b, dcPrivate, "ACME/billing")
	rp := repoOf(t, r, "ACME/billing")
	wantAbilities(t, rp, "yes", "yes", "not proven", "not proven")
	repoSays(t, rp, "The token's own Repository write could not be read")
	// Where its user may only read, that is the whole story.
	docs := repoOf(t, checkDCRepos(t, b, dcPrivate, "ACME/docs"), "ACME/docs")
	wantAbilities(t, docs, "yes", "yes", "no", "no")
	if len(docs.Findings) != 1 {
		t.Errorf("findings %+v, want only why its user may not write", docs.Findings)
	}
	// Repository admin covers write.
	if rp := repoOf(t, checkDCRepos(t, b, dcForever, "ACME/billing"), "ACME/billing"); !rp.Ready() {
		t.Errorf("a Repository admin token: %+v", rp)
	}
}

func TestBitbucketDCMissingHiddenAndArchivedRepositories(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{Repos: dcRepos()})
	r := checkDCRepos(t, b, dcToken, "ACME/nope", "ACME/secret", "ACME/legacy")
	wantAbilities(t, repoOf(t, r, "ACME/nope"), "no", "no", "no", "no")
	repoSays(t, repoOf(t, r, "ACME/nope"), "has no repository ACME/nope")
	secret := repoOf(t, r, "ACME/secret")
	wantAbilities(t, secret, "not proven", "no", "no", "no")
	repoSays(t, secret, "The token may not see ACME/secret: jira-bot has no permission on it", b.Web()+"/projects/ACME/repos/secret/permissions")
	legacy := repoOf(t, r, "ACME/legacy")
	wantAbilities(t, legacy, "yes", "yes", "no", "no")
	repoSays(t, legacy, "archived")
	wantOutcome(t, r, hosts.Insufficient, "ACME/nope (not found)", "ACME/secret (not allowed)")
}

func TestBitbucketDCProjects(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{Repos: dcRepos()})
	r := checkDCRepos(t, b, dcToken, "ACME", "READONLY", "NOPE")
	acme := repoOf(t, r, "ACME")
	if acme.Kind != "project" {
		t.Errorf("kind %q", acme.Kind)
	}
	wantAbilities(t, acme, "yes", "not proven", "not proven", "not proven")
	repoSays(t, acme, "may write to 2 repositories in ACME", "Name the repositories Jira should use as ACME/repo")
	ro := repoOf(t, r, "READONLY")
	wantAbilities(t, ro, "yes", "not proven", "no", "no")
	repoSays(t, ro, "may write to no repository in READONLY")
	wantAbilities(t, repoOf(t, r, "NOPE"), "no", "no", "no", "no")
}

func TestBitbucketDCPagedWritableListLeavesTheRestUnproven(t *testing.T) {
	repos := map[string]hoststest.BitbucketDCRepo{"ACME/a-first": {Access: "write"}, "ACME/z-last": {Access: "write"}, "ACME/m-read": {Access: "read"}}
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{Repos: repos, MaxPage: 1})
	r := checkDCRepos(t, b, dcToken, "ACME/a-first", "ACME/z-last", "ACME/m-read")
	wantAbilities(t, repoOf(t, r, "ACME/a-first"), "yes", "yes", "yes", "yes")
	for _, name := range []string{"ACME/z-last", "ACME/m-read"} {
		rp := repoOf(t, r, name)
		wantAbilities(t, rp, "yes", "yes", "not proven", "not proven")
		repoSays(t, rp, "than one page lists")
	}
}

func TestBitbucketDCServerErrorOnARepositoryIsCouldNotCheck(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{Repos: dcRepos()})
	r := checkDCRepos(t, b, dcToken, "ACME/billing", "OPS/deploy")
	wantOutcome(t, r, hosts.Unchecked, "could not check OPS/deploy")
	rp := repoOf(t, r, "OPS/deploy")
	if !rp.Unchecked || isAny(rp.Found, rp.Read, rp.Branch, rp.PullRequest) {
		t.Errorf("%+v", rp)
	}
	repoSays(t, rp, "503 Service Unavailable")
	if !repoOf(t, r, "ACME/billing").Ready() {
		t.Error("a failing neighbour changed a ready repository")
	}
}

func TestBitbucketDCRefusedTokenAsksNothingAboutRepositories(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{Repos: dcRepos()})
	r := checkDCRepos(t, b, dcRefused, "ACME/billing")
	wantOutcome(t, r, hosts.Rejected)
	for _, req := range b.Requests() {
		if strings.Contains(req, "/projects/") {
			t.Errorf("asked about a repository with a refused token: %s", req)
		}
	}
	// An accepted token does ask.
	checkDCRepos(t, b, dcToken, "ACME/billing")
	if !slices.Contains(b.Requests(), "GET /rest/api/latest/projects/ACME/repos/billing") {
		t.Errorf("an accepted token did not ask about the repository: %v", b.Requests())
	}
}

func TestBitbucketDCFiftyRepositoriesAtOnce(t *testing.T) {
	repos := map[string]hoststest.BitbucketDCRepo{}
	var names []string
	for i := range 50 {
		name := fmt.Sprintf("P%d/service-%02d", i%5, i)
		repos[name] = hoststest.BitbucketDCRepo{Access: "write"}
		names = append(names, name)
	}
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{Repos: repos})
	b.Busy.Hold = 20 * time.Millisecond
	r := checkDCRepos(t, b, dcToken, names...)
	wantOutcome(t, r, hosts.Sufficient)
	if len(r.Repositories) != 50 {
		t.Fatalf("%d repositories reported", len(r.Repositories))
	}
	for i, rp := range r.Repositories {
		if rp.Name != names[i] || !rp.Ready() {
			t.Errorf("repository %d: %s ready %v", i, rp.Name, rp.Ready())
		}
	}
	if most := b.Busy.Most(); most > 40 {
		t.Errorf("%d requests about repositories at once, more than the bound of 40", most)
	}
	if n := len(b.Requests()); n != 3+50+5 {
		t.Errorf("%d requests, want 3 + one per repository + one list per project", n)
	}
}
