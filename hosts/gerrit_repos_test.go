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

// gerritViewPass signs in an account with View Access, which may run
// Gerrit's access checks.
const gerritViewPass = "CANARYviewaccCANARYviewaccCANARYviewacc005"

// gerritProjects are the server's projects: each kind of answer Gerrit
// gives about one.
func gerritProjects() map[string]hoststest.GerritProject {
	return map[string]hoststest.GerritProject{
		"platform/build": {Branches: []string{"main", "stable"}, Create: true, Upload: true},
		"external/gcc":   {Branches: []string{"master"}, Upload: true},
		"docs":           {Branches: []string{"master"}},
		"archive/old":    {Branches: []string{"master"}, State: "READ_ONLY", Create: true, Upload: true},
		"secret":         {Invisible: true},
		"hidden":         {State: "HIDDEN"},
		"empty":          {},
		"flaky":          {Status: 503},
	}
}

// gerritReposFake is the fake Gerrit with projects: john, who has no View
// Access, and viewer, who has.
func gerritReposFake(t *testing.T, o hoststest.GerritOptions) *hoststest.Gerrit {
	if o.Projects == nil {
		o.Projects = gerritProjects()
	}
	o.Accounts = []hoststest.GerritAccount{
		{Username: "john", Password: gerritPassword},
		{Username: "viewer", Password: gerritViewPass, ViewAccess: true},
	}
	return hoststest.NewGerrit(t, o)
}

func checkGerritRepos(t *testing.T, g *hoststest.Gerrit, user, password string, projects ...string) *hosts.Report {
	t.Helper()
	req := hosts.Request{Fields: map[string]string{"url": g.Web(), "user": user, "repos": strings.Join(projects, "\n")}}
	return runCheck(t, hosts.Gerrit, req, []string{password}, g.CAFile(t), now, 10*time.Second)
}

func TestGerritAccountWithoutViewAccessCannotBeProvenToPushForReview(t *testing.T) {
	g := gerritReposFake(t, hoststest.GerritOptions{Prefix: "/r"})
	r := checkGerritRepos(t, g, "john", gerritPassword, "platform/build", g.Web()+"/c/docs/+/12")
	build := repoOf(t, r, "platform/build")
	if build.Kind != "project" {
		t.Errorf("kind %q", build.Kind)
	}
	wantAbilities(t, build, "yes", "yes", "not proven", "not proven")
	repoSays(t, build, "Create Reference on refs/heads/*", "Push on refs/for/refs/heads/*",
		g.Web()+"/admin/repos/platform%2Fbuild,access")
	docs := repoOf(t, r, "docs")
	wantAbilities(t, docs, "yes", "yes", "not proven", "not proven")
	wantOutcome(t, r, hosts.Insufficient, "platform/build (not proven)", "docs (not proven)")
	for _, req := range g.Requests() {
		// check.access needs View Access; /access would make Gerrit commit
		// updated group names (GetAccess.java): a check never writes.
		if strings.Contains(req, "check.access") || strings.HasSuffix(req, "/access") {
			t.Errorf("a request a check must not send: %s", req)
		}
	}
}

func TestGerritAccessChecksProveBranchesAndReviews(t *testing.T) {
	g := gerritReposFake(t, hoststest.GerritOptions{})
	r := checkGerritRepos(t, g, "viewer", gerritViewPass, "platform/build", "external/gcc")
	build := repoOf(t, r, "platform/build")
	wantAbilities(t, build, "yes", "yes", "yes", "yes")
	repoSays(t, build, "may create branches (such as gitpat-check) and push them for review")
	gcc := repoOf(t, r, "external/gcc")
	wantAbilities(t, gcc, "yes", "yes", "no", "no")
	repoSays(t, gcc, "may not create a branch such as gitpat-check here", "lacks permission create for refs/heads/gitpat-check in project external/gcc",
		"Create Reference on refs/heads/*")
	wantOutcome(t, r, hosts.Insufficient, "external/gcc (not allowed)")

	// Only the account with View Access asked, with its own account id.
	var checks []string
	for _, req := range g.Requests() {
		if strings.HasSuffix(req, "/check.access") {
			checks = append(checks, req)
		}
	}
	if len(checks) != 4 {
		t.Errorf("access checks %v", checks)
	}
}

func TestGerritAccessCheckMissingOnOlderVersions(t *testing.T) {
	g := gerritReposFake(t, hoststest.GerritOptions{NoCheckAccess: true})
	r := checkGerritRepos(t, g, "viewer", gerritViewPass, "platform/build")
	wantAbilities(t, repoOf(t, r, "platform/build"), "yes", "yes", "not proven", "not proven")
}

func TestGerritMissingInvisibleHiddenReadOnlyAndEmptyProjects(t *testing.T) {
	g := gerritReposFake(t, hoststest.GerritOptions{})
	r := checkGerritRepos(t, g, "john", gerritPassword, "nope", "secret", "hidden", "archive/old", "empty")
	for _, name := range []string{"nope", "secret"} {
		rp := repoOf(t, r, name)
		wantAbilities(t, rp, "no", "no", "no", "no")
		repoSays(t, rp, "answers alike when a project does not exist and when the account may read none of its branches")
	}
	wantAbilities(t, repoOf(t, r, "hidden"), "yes", "no", "no", "no")
	repoSays(t, repoOf(t, r, "hidden"), "state HIDDEN")
	old := repoOf(t, r, "archive/old")
	wantAbilities(t, old, "yes", "yes", "no", "no")
	repoSays(t, old, "read-only (state READ_ONLY)")
	empty := repoOf(t, r, "empty")
	wantAbilities(t, empty, "yes", "not proven", "not proven", "not proven")
	repoSays(t, empty, "sees no branch in this project")
	wantOutcome(t, r, hosts.Insufficient, "nope (not found)", "archive/old (not allowed)")
}

func TestGerritServerErrorOnAProjectIsCouldNotCheck(t *testing.T) {
	g := gerritReposFake(t, hoststest.GerritOptions{})
	r := checkGerritRepos(t, g, "john", gerritPassword, "docs", "flaky")
	wantOutcome(t, r, hosts.Unchecked, "could not check flaky")
	rp := repoOf(t, r, "flaky")
	if !rp.Unchecked || isAny(rp.Found, rp.Read, rp.Branch, rp.PullRequest) {
		t.Errorf("%+v", rp)
	}
	repoSays(t, rp, "503 Service Unavailable")
}

func TestGerritRefusedPasswordAsksNothingAboutProjects(t *testing.T) {
	g := gerritReposFake(t, hoststest.GerritOptions{})
	r := checkGerritRepos(t, g, "john", "CANARYwrongpwCANARYwrongpwCANARYwrongpw9", "platform/build")
	wantOutcome(t, r, hosts.Rejected)
	if n := len(g.Requests()); n != 4 {
		t.Errorf("%d requests, want the 4 of the first round: %v", n, g.Requests())
	}
	// An accepted password does ask.
	checkGerritRepos(t, g, "john", gerritPassword, "platform/build")
	if !slices.Contains(g.Requests(), "GET /a/projects/platform/build") {
		t.Errorf("an accepted password did not ask about the project: %v", g.Requests())
	}
}

func TestGerritFiftyProjectsAtOnce(t *testing.T) {
	projects := map[string]hoststest.GerritProject{}
	var names []string
	for i := range 50 {
		name := fmt.Sprintf("services/svc-%02d", i)
		projects[name] = hoststest.GerritProject{Branches: []string{"main"}, Create: true, Upload: true}
		names = append(names, name)
	}
	g := gerritReposFake(t, hoststest.GerritOptions{Projects: projects})
	g.Busy.Hold = 20 * time.Millisecond
	r := checkGerritRepos(t, g, "viewer", gerritViewPass, names...)
	wantOutcome(t, r, hosts.Sufficient)
	if len(r.Repositories) != 50 {
		t.Fatalf("%d projects reported", len(r.Repositories))
	}
	for i, rp := range r.Repositories {
		if rp.Name != names[i] || !rp.Ready() {
			t.Errorf("project %d: %s ready %v", i, rp.Name, rp.Ready())
		}
	}
	// Five requests per project, at most 20 projects' worth at once.
	if most := g.Busy.Most(); most > 100 {
		t.Errorf("%d requests about projects at once, more than the bound of 100", most)
	}
}
