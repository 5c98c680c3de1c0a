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

// Each test below builds a fake GitLab holding projects and groups the
// token's user (john_smith) stands in as the test says, names some of
// them in the repository field, and reads the per-repository verdicts.

func gitlabReposFake(t *testing.T, version string, projects map[string]hoststest.GitLabProject, groups map[string]hoststest.GitLabGroup) *hoststest.GitLab {
	t.Helper()
	return gitlabFake(t, hoststest.GitLabOptions{Version: version, Projects: projects, Groups: groups})
}

// checkRepos checks token against g with names in the repository field.
func checkRepos(t *testing.T, g *hoststest.GitLab, token string, names ...string) *hosts.Report {
	t.Helper()
	req := hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": g.Web(), hosts.RepoFieldKey: strings.Join(names, "\n")}}
	r := runCheck(t, hosts.GitLab, req, []string{token}, g.CAFile(t), glNow, 20*time.Second)
	if len(r.Repositories) != len(names) {
		t.Fatalf("%d repositories reported for %d names:\n%s", len(r.Repositories), len(names), r.JSON())
	}
	for i, rp := range r.Repositories {
		if rp.Name != names[i] {
			t.Errorf("repository %d is %q, want %q", i, rp.Name, names[i])
		}
	}
	return r
}

// ability renders a *bool as the JSON contract does.
func ability(b *bool) string {
	if b == nil {
		return "null"
	}
	return fmt.Sprint(*b)
}

// wantRepo checks one repository's verdict: found, read, branch and
// pull_request as "true", "false" or "null", and texts its findings say.
func wantGitLabRepo(t *testing.T, rp hosts.RepoReport, kind, found, read, branch, pr string, texts ...string) {
	t.Helper()
	got := []string{ability(rp.Found), ability(rp.Read), ability(rp.Branch), ability(rp.PullRequest)}
	if want := []string{found, read, branch, pr}; !slices.Equal(got, want) || rp.Kind != kind || rp.Unchecked {
		t.Errorf("%s: kind %q found/read/branch/pull_request %v unchecked %v, want %q %v", rp.Name, rp.Kind, got, rp.Unchecked, kind, want)
	}
	all := ""
	for _, f := range rp.Findings {
		all += "\n" + f.Text + " | " + f.Fix + " | " + f.Link
	}
	for _, want := range texts {
		if !strings.Contains(all, want) {
			t.Errorf("%s: findings do not say %q:%s", rp.Name, want, all)
		}
	}
}

func TestGitLabDeveloperProjectIsReady(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{"acme/api": {Group: 30}}, nil)
	r := checkRepos(t, g, glAPI, "acme/api")
	wantOutcome(t, r, hosts.Sufficient)
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "true", "true")
	if f := r.Repositories[0].Findings; len(f) != 0 {
		t.Errorf("a ready project with nothing to say says %+v", f)
	}
	want := append(glRequests("", "/projects/acme/api", "/projects/acme/api/protected_branches"), "POST /api/graphql")
	if got := sorted(g.Requests()); !slices.Equal(got, sorted(want)) {
		t.Errorf("requests = %v\nwant %v", got, sorted(want))
	}
}

func TestGitLabProjectNotFoundAndNoAccessAreTheSameAnswer(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{
		"acme/secret": {}, // private, john_smith is no member
		"acme/api":    {Direct: 40},
	}, nil)
	r := checkRepos(t, g, glAPI, "acme/ghost", "acme/secret", "acme/api")
	wantOutcome(t, r, hosts.Insufficient, "not ready for acme/ghost (not found), acme/secret (not found)")
	for _, rp := range r.Repositories[:2] {
		wantGitLabRepo(t, rp, "project", "false", "false", "false", "false",
			"GitLab found no project at "+rp.Name+": it does not exist, or john_smith may not see it. GitLab answers the same in both cases.",
			"ask a Maintainer of the project to add john_smith with the Developer role", g.Web()+"/"+rp.Name)
	}
	wantGitLabRepo(t, r.Repositories[2], "project", "true", "true", "true", "true")
	if !strings.Contains(r.Text(glNow), "Project acme/ghost: not found") {
		t.Errorf("text report:\n%s", r.Text(glNow))
	}
}

func TestGitLabArchivedProjectIsReadOnly(t *testing.T) {
	g := gitlabReposFake(t, "18.2.1", map[string]hoststest.GitLabProject{"acme/old": {Direct: 40, Archived: true}}, nil)
	r := checkRepos(t, g, glAPI, "acme/old")
	wantOutcome(t, r, hosts.Insufficient, "acme/old (not allowed)")
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "false", "false",
		"The project is archived, so it is read-only", "unarchive it", g.Web()+"/acme/old/edit")
}

func TestGitLabMergeRequestsTurnedOff(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{"acme/api": {Direct: 30, MergeRequests: "disabled"}}, nil)
	r := checkRepos(t, g, glAPI, "acme/api")
	wantOutcome(t, r, hosts.Insufficient)
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "true", "false",
		"Merge requests are turned off for this project.", "Settings → General → Visibility, project features, permissions", g.Web()+"/acme/api/edit")
}

func TestGitLabReporterCanReadButNotCreateBranchesOrMergeRequests(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{"acme/api": {Direct: 20}}, nil)
	r := checkRepos(t, g, glAPI, "acme/api")
	wantOutcome(t, r, hosts.Insufficient, "not ready for acme/api (not allowed)")
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "false", "false",
		"john_smith's role here is Reporter; creating branches and merge requests needs Developer or higher.",
		"Ask a Maintainer or Owner of the project to give john_smith the Developer role.", g.Web()+"/acme/api/-/project_members")
}

func TestGitLabGuestOfAPrivateProjectCannotReadEither(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{"acme/api": {Direct: 10}}, nil)
	r := checkRepos(t, g, glAPI, "acme/api")
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "false", "false", "false", "role here is Guest", "It cannot read the code either.")
}

func TestGitLabDeveloperWithAProtectedDefaultBranchIsReady(t *testing.T) {
	// The default protection: only Maintainers push or merge to main.
	// Developers still create branches and open merge requests into it.
	g := gitlabReposFake(t, "16.11.3-ee", map[string]hoststest.GitLabProject{"acme/api": {Direct: 30,
		Protected: []hoststest.GitLabRule{{Name: "main", Push: []int{40}, Merge: []int{40}}}}}, nil)
	r := checkRepos(t, g, glAPI, "acme/api")
	wantOutcome(t, r, hosts.Sufficient)
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "true", "true",
		"The default branch main is protected, and john_smith may not push to it. The integration does not need to")
}

func TestGitLabRuleProtectingEveryBranchStopsADeveloper(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{
		"acme/locked": {Direct: 30, Protected: []hoststest.GitLabRule{{Name: "*", Push: []int{40}, Merge: []int{40}}}},
		// Allowed to merge is enough to create a protected branch from
		// the (equally protected) default branch through the API.
		"acme/merge":  {Direct: 30, Protected: []hoststest.GitLabRule{{Name: "*", Push: []int{40}, Merge: []int{30}}}},
		"acme/lead":   {Direct: 40, Protected: []hoststest.GitLabRule{{Name: "*", Push: []int{40}, Merge: []int{40}}}},
		"acme/nobody": {Direct: 40, Protected: []hoststest.GitLabRule{{Name: "*", Push: []int{0}, Merge: []int{0}}}},
		"acme/me":     {Direct: 30, Protected: []hoststest.GitLabRule{{Name: "*", Push: []int{0}, Merge: []int{0}, PushUser: 3}}},
		"acme/release": {Direct: 30, Protected: []hoststest.GitLabRule{{Name: "main", Push: []int{40}, Merge: []int{40}},
			{Name: "release/*", Push: []int{40}, Merge: []int{40}}}},
	}, nil)
	r := checkRepos(t, g, glAPI, "acme/locked", "acme/merge", "acme/lead", "acme/nobody", "acme/me", "acme/release")
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "false", "true",
		`Every new branch is protected here: the rule "*" allows pushing to Maintainers and merging to Maintainers only, and john_smith is a Developer.`,
		"Settings → Repository → Protected branches", g.Web()+"/acme/locked/-/settings/repository")
	wantGitLabRepo(t, r.Repositories[1], "project", "true", "true", "true", "true")
	wantGitLabRepo(t, r.Repositories[2], "project", "true", "true", "true", "true")
	wantGitLabRepo(t, r.Repositories[3], "project", "true", "true", "false", "true", `the rule "*" allows pushing to No one`)
	wantGitLabRepo(t, r.Repositories[4], "project", "true", "true", "true", "true")
	wantGitLabRepo(t, r.Repositories[5], "project", "true", "true", "true", "true", "Branches named like release/* are protected here against john_smith")
}

func TestGitLabAccessThroughASharedGroupIsProven(t *testing.T) {
	// GET /projects/:id shows no membership (permissions leaves sharing
	// out); GitLab's own permission check counts it.
	for _, version := range []string{"15.8.4", "16.9.1-ee", "18.2.1"} {
		g := gitlabReposFake(t, version, map[string]hoststest.GitLabProject{"acme/api": {Shared: 30}}, nil)
		r := checkRepos(t, g, glAPI, "acme/api")
		wantOutcome(t, r, hosts.Sufficient)
		wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "true", "true",
			"through a group the project (or its group) is shared with: GitLab's REST permissions leave such access out")
	}
}

func TestGitLabReadAPIOnlyTokenCannotCreateBranchesOrMergeRequests(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{"acme/api": {Direct: 40}}, map[string]hoststest.GitLabGroup{"acme": {Member: 40}})
	r := checkRepos(t, g, glReadAPI, "acme/api", "acme")
	wantOutcome(t, r, hosts.Insufficient, "lacks the api scope")
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "false", "false",
		"The token lacks the api scope: GitLab's API creates branches and merge requests only for a token with api.",
		g.Web()+"/-/user_settings/personal_access_tokens?name=Jira+git+integration&scopes=api")
	wantGitLabRepo(t, r.Repositories[1], "group", "true", "true", "false", "false", "The token lacks the api scope")
}

func TestGitLabTokenWithoutAPIAccessSendsNoProjectRequests(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{"acme/api": {Direct: 40}}, nil)
	r := checkRepos(t, g, glRepoOnly, "acme/api")
	wantOutcome(t, r, hosts.Insufficient)
	wantGitLabRepo(t, r.Repositories[0], "project", "null", "false", "false", "false", "The token may not use GitLab's API (it has neither api nor read_api)")
	if got := sorted(g.Requests()); !slices.Equal(got, glRequests("")) {
		t.Errorf("requests = %v", got)
	}
}

func TestGitLabOldServerReadUserTokenIsRefusedTheProjectAPI(t *testing.T) {
	// Before 15.5 the token's scopes cannot be read. GET /projects/:id
	// answers a read_user token 403 insufficient_scope, and GraphQL on
	// these versions answers it as if no one had signed in: neither may
	// pass for a verdict about the user.
	g := gitlabReposFake(t, "15.0.5", map[string]hoststest.GitLabProject{"acme/api": {Direct: 40, Visibility: "public"}}, nil)
	r := checkRepos(t, g, glReadUser, "acme/api")
	wantOutcome(t, r, hosts.Insufficient)
	wantGitLabRepo(t, r.Repositories[0], "project", "null", "false", "false", "false", "neither api nor read_api")
}

func TestGitLabBeforeSelfEndpointBranchesAreNotProvenForLackOfScopes(t *testing.T) {
	// 15.4: the token's scopes cannot be read, so api is not proven; the
	// protected-branch rules are for Maintainers only, but an unprotected
	// branch proves that no rule covers every name.
	g := gitlabReposFake(t, "15.4.6-ee", map[string]hoststest.GitLabProject{"acme/api": {Direct: 30,
		Branches: []string{"feature/login"}, Protected: []hoststest.GitLabRule{{Name: "main", Push: []int{40}, Merge: []int{40}}}}}, nil)
	r := checkRepos(t, g, glAPI, "acme/api")
	wantOutcome(t, r, hosts.Insufficient)
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "null", "null",
		"GitLab 15.4.6-ee cannot show this token's scopes, so whether it has api, which creating branches and merge requests needs, is not proven.",
		"GitLab 15.4.6-ee shows protected branch rules only to Maintainers, but branch feature/login is not protected")
	if !slices.Contains(g.Requests(), "GET /api/v4/projects/acme/api/repository/branches") {
		t.Errorf("no branch list on 15.4: %v", g.Requests())
	}
}

func TestGitLabOldServerHidesTheRulesFromDevelopers(t *testing.T) {
	g := gitlabReposFake(t, "15.8.4", map[string]hoststest.GitLabProject{
		"acme/api":  {Direct: 30, Branches: []string{"feature/login"}, Protected: []hoststest.GitLabRule{{Name: "main", Push: []int{40}, Merge: []int{40}}}},
		"acme/only": {Direct: 30, Protected: []hoststest.GitLabRule{{Name: "main", Push: []int{40}, Merge: []int{40}}}},
		"acme/lead": {Direct: 40, Protected: []hoststest.GitLabRule{{Name: "*", Push: []int{40}, Merge: []int{40}}}},
	}, nil)
	r := checkRepos(t, g, glAPI, "acme/api", "acme/only", "acme/lead")
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "true", "true", "branch feature/login is not protected, so no rule protects every new branch")
	wantGitLabRepo(t, r.Repositories[1], "project", "true", "true", "null", "true",
		"GitLab 15.8.4 shows protected branch rules only to Maintainers, and every branch gitpat could see is protected",
		"unless a rule named * keeps Developers from pushing and merging", g.Web()+"/acme/only/-/settings/repository")
	// A Maintainer reads the rules on every version.
	wantGitLabRepo(t, r.Repositories[2], "project", "true", "true", "true", "true")
}

func TestGitLabNewServerListsNoBranches(t *testing.T) {
	g := gitlabReposFake(t, "16.0.0", map[string]hoststest.GitLabProject{"acme/api": {Direct: 30}}, nil)
	r := checkRepos(t, g, glAPI, "acme/api")
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "true", "true")
	if !slices.Contains(g.Requests(), "GET /api/v4/projects/acme/api/protected_branches") {
		t.Errorf("the rules were not read: %v", g.Requests())
	}
	for _, req := range g.Requests() {
		if strings.Contains(req, "/repository/branches") {
			t.Errorf("a branch list on 16.0, which lets Developers read the rules: %v", g.Requests())
		}
	}
}

func TestGitLabEmptyRepositoryHasNothingToBranchFrom(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{"acme/new": {Direct: 40, Empty: true}}, nil)
	r := checkRepos(t, g, glAPI, "acme/new")
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "false", "false", "The repository is empty", "Push a first commit")
}

func TestGitLabGroupRoleDecidesForItsProjects(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", nil, map[string]hoststest.GitLabGroup{
		"acme":          {Member: 30},
		"acme/platform": {Member: 40},
		"readers":       {Member: 20},
		"outside":       {Visibility: "public"},
	})
	r := checkRepos(t, g, glAPI, "acme", "acme/platform", "readers", "outside", "nowhere")
	wantOutcome(t, r, hosts.Insufficient, "readers (not allowed)")
	wantGitLabRepo(t, r.Repositories[0], "group", "true", "true", "true", "true",
		"john_smith's role in this group is Developer, which every project in it inherits", "name a project (group/project) to check it there")
	wantGitLabRepo(t, r.Repositories[1], "group", "true", "true", "true", "true", "role in this group is Maintainer")
	wantGitLabRepo(t, r.Repositories[2], "group", "true", "true", "false", "false",
		"john_smith is a Reporter in this group; creating branches and merge requests in its projects needs Developer or higher.",
		g.Web()+"/groups/readers/-/group_members")
	wantGitLabRepo(t, r.Repositories[3], "group", "true", "false", "false", "false", "john_smith is not a member of this group or of a group above it")
	wantGitLabRepo(t, r.Repositories[4], "group", "false", "false", "false", "false", "GitLab found no group at nowhere")
	// A subgroup's path looks like a project's: its role is asked once
	// GitLab has said it is a group.
	if !slices.Contains(g.Requests(), "GET /api/v4/groups/acme/platform/members/all/3") {
		t.Errorf("requests = %v", g.Requests())
	}
}

func TestGitLabGroupSharingCountsFrom17(t *testing.T) {
	groups := map[string]hoststest.GitLabGroup{"acme": {Shared: 30}, "readers": {Member: 20, Shared: 30}}
	old := checkRepos(t, gitlabReposFake(t, "16.9.1-ee", nil, groups), glAPI, "acme", "readers")
	wantGitLabRepo(t, old.Repositories[0], "group", "true", "null", "null", "null",
		"GitLab 16.9.1-ee does not count access through a group this group is shared with, so that is not proven either way.")
	wantGitLabRepo(t, old.Repositories[1], "group", "true", "true", "null", "null", "a Reporter in this group")
	now := checkRepos(t, gitlabReposFake(t, "17.5.2-ee", nil, groups), glAPI, "acme", "readers")
	wantGitLabRepo(t, now.Repositories[0], "group", "true", "true", "true", "true")
	wantGitLabRepo(t, now.Repositories[1], "group", "true", "true", "true", "true")
}

func TestGitLabServerErrorsOnARepositoryAreCouldNotCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail int
		want string
	}{
		{"500", 500, "server error (500 Internal Server Error), so gitpat could not check it"},
		{"502 page", 502, "server error (502 Bad Gateway)"},
		{"429", 429, "Wait 42 seconds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{
				"acme/api": {Direct: 30}, "acme/down": {Direct: 30, Fail: tc.fail}}, nil)
			r := checkRepos(t, g, glAPI, "acme/api", "acme/down")
			wantOutcome(t, r, hosts.Unchecked, "could not check acme/down")
			if rp := r.Repositories[1]; !rp.Unchecked || rp.Found != nil || rp.Branch != nil || len(rp.Findings) == 0 || !strings.Contains(rp.Findings[0].Text+rp.Findings[0].Fix, tc.want) {
				t.Errorf("acme/down: %+v", rp)
			}
			wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "true", "true")
		})
	}
}

func TestGitLabGraphQLServerErrorIsCouldNotCheck(t *testing.T) {
	tokens := map[string]hoststest.GitLabToken{glAPI: {Scopes: []string{"api"}, ExpiresAt: "2027-02-23", GraphQLBroken: true}}
	g := hoststest.NewGitLab(t, hoststest.GitLabOptions{Tokens: tokens, Projects: map[string]hoststest.GitLabProject{"acme/api": {Direct: 30}}})
	r := checkRepos(t, g, glAPI, "acme/api")
	wantOutcome(t, r, hosts.Unchecked, "could not check acme/api")
	if !r.Repositories[0].Unchecked {
		t.Errorf("%+v", r.Repositories[0])
	}
}

func TestGitLabAdministratorWithoutMembership(t *testing.T) {
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{"acme/api": {}}, nil)
	r := checkRepos(t, g, glAdmin, "acme/api")
	wantGitLabRepo(t, r.Repositories[0], "project", "true", "true", "true", "true")
}

func TestGitLabFiftyProjectsAtOnce(t *testing.T) {
	projects := map[string]hoststest.GitLabProject{}
	var names []string
	for i := range 50 {
		name := fmt.Sprintf("acme/service-%02d", i)
		projects[name] = hoststest.GitLabProject{Group: 30}
		names = append(names, name)
	}
	g := gitlabFake(t, hoststest.GitLabOptions{Version: "17.5.2-ee", Projects: projects, Slow: 50 * time.Millisecond})
	r := checkRepos(t, g, glAPI, names...)
	wantOutcome(t, r, hosts.Sufficient)
	for _, rp := range r.Repositories {
		wantGitLabRepo(t, rp, "project", "true", "true", "true", "true")
	}
	rest, graphql := g.MaxInFlight()
	// At most 20 projects at a time, two REST requests each; one GraphQL
	// query per ten names. A slow server keeps them waiting together: had
	// they gone one by one, at most one would be in flight.
	if rest > 40 || graphql > 5 || rest < 20 {
		t.Errorf("in flight at once: %d REST, %d GraphQL", rest, graphql)
	}
	posts := 0
	for _, req := range g.Requests() {
		if req == "POST /api/graphql" {
			posts++
		}
	}
	if posts != 5 || len(g.Requests()) != 3+50*2+5 {
		t.Errorf("%d GraphQL queries, %d requests", posts, len(g.Requests()))
	}
}

func TestGitLabRepositoryRequestsGoOnlyToTheServer(t *testing.T) {
	// A pasted address of another server names a project by its path; the
	// token still goes only to the server the user named.
	g := gitlabReposFake(t, "17.5.2-ee", map[string]hoststest.GitLabProject{"acme/api": {Direct: 30}}, nil)
	req := hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": g.Web(), hosts.RepoFieldKey: "https://gitlab.other.example/acme/api.git"}}
	r := runCheck(t, hosts.GitLab, req, []string{glAPI}, g.CAFile(t), glNow, 20*time.Second)
	wantOutcome(t, r, hosts.Sufficient)
	if len(r.Repositories) != 1 || r.Repositories[0].Name != "acme/api" {
		t.Fatalf("%+v", r.Repositories)
	}
	for _, req := range g.Requests() {
		if !strings.HasPrefix(req, "GET /api/v4/") && req != "POST /api/graphql" {
			t.Errorf("request %s", req)
		}
	}
}

func TestGitLabRepositoryTimeoutIsCouldNotCheck(t *testing.T) {
	// The base round answers at once; the repository round never in time.
	g := gitlabFake(t, hoststest.GitLabOptions{Version: "17.5.2-ee", Slow: 30 * time.Second,
		Projects: map[string]hoststest.GitLabProject{"acme/api": {Direct: 30}}})
	req := hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": g.Web(), hosts.RepoFieldKey: "acme/api"}}
	r := runCheck(t, hosts.GitLab, req, []string{glAPI}, g.CAFile(t), glNow, time.Second)
	wantOutcome(t, r, hosts.Unchecked, "could not check acme/api")
	if rp := r.Repositories[0]; !rp.Unchecked || rp.Branch != nil || !strings.Contains(rp.Findings[0].Text, "did not answer in time") {
		t.Errorf("%+v", rp)
	}
}
