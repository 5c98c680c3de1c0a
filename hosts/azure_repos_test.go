package hosts_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
)

// The recorded repositories (repositories-services.json and
// repositories-onprem.json): two in Fabrikam-Fiber-Git, one in TestGit.
const (
	azAnother     = "Fabrikam-Fiber-Git/AnotherRepository"
	azAnotherID   = "5febef5a-833d-4e14-b9c0-14cb638f91e6"
	azFiberID     = "6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c"
	azGitNS       = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87"
	azPermissions = "/_apis/permissions/" + azGitNS + "/"
)

// withRepos names places in the repository field, one per line.
func (c azureRun) withRepos(names ...string) azureRun {
	fields := map[string]string{hosts.RepoFieldKey: strings.Join(names, "\n")}
	for k, v := range c.fields {
		fields[k] = v
	}
	c.fields = fields
	return c
}

// tri writes an ability as JSON does: true, false or null.
func tri(b *bool) string {
	if b == nil {
		return "null"
	}
	return fmt.Sprint(*b)
}

// wantRepo finds a place in the report and checks found, read, branch and
// pull_request ("true", "false", "null") and what its findings say.
func wantRepo(t *testing.T, r *hosts.Report, name, found, read, branch, pr string, texts ...string) hosts.RepoReport {
	t.Helper()
	i := slices.IndexFunc(r.Repositories, func(rp hosts.RepoReport) bool { return rp.Name == name })
	if i < 0 {
		t.Fatalf("no %s in the report:\n%s", name, r.JSON())
	}
	rp := r.Repositories[i]
	if got := strings.Join([]string{tri(rp.Found), tri(rp.Read), tri(rp.Branch), tri(rp.PullRequest)}, " "); got != strings.Join([]string{found, read, branch, pr}, " ") {
		t.Errorf("%s: found read branch pull_request = %s, want %s %s %s %s\n%s", name, got, found, read, branch, pr, r.JSON())
	}
	all := ""
	for _, f := range rp.Findings {
		all += "\n" + f.Text + " " + f.Fix + " " + f.Link
	}
	for _, want := range texts {
		if !strings.Contains(all, want) {
			t.Errorf("%s does not say %q:%s", name, want, all)
		}
	}
	return rp
}

// permissionRequests are the Has Permissions requests a fake received.
func permissionRequests(a *hoststest.Azure) []string {
	var out []string
	for _, r := range a.Requests() {
		if strings.Contains(r, azPermissions) {
			out = append(out, r)
		}
	}
	return out
}

func TestAzureRepositoryTheAccountMayUseIsNotProvenWithoutTheTokensWriteScope(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azGood, a).withRepos(azAnother, "https://dev.azure.com/myorg/TestGit/_git/TestGit").check(t, a)
	wantOutcome(t, r, hosts.Insufficient, "Not ready for the integration: Fabrikam-Fiber-Git/AnotherRepository (not proven), TestGit/TestGit (not proven)",
		"it proves that the token reads them", "It cannot prove that the token has Code: Read & write")
	for _, name := range []string{azAnother, "TestGit/TestGit"} {
		rp := wantRepo(t, r, name, "true", "true", "null", "null",
			"Your account may create branches and pull requests in "+name+"; gitpat cannot read whether this token has Code: Read & write, which that needs.",
			"check that this token has Code: Read & write (or Full access)", a.URL+"/myorg/_usersSettings/tokens")
		if rp.Kind != "repository" || rp.Unchecked || rp.Verdict() != "not proven" {
			t.Errorf("%s: kind %q unchecked %v verdict %q", name, rp.Kind, rp.Unchecked, rp.Verdict())
		}
	}
	// One round more than without names: the three bits for both
	// repositories at once, and nothing else.
	perms := permissionRequests(a)
	want := []string{"GET /myorg" + azPermissions + "16", "GET /myorg" + azPermissions + "16384", "GET /myorg" + azPermissions + "4"}
	if !slices.Equal(sorted(perms), want) || len(a.Requests()) != 6 {
		t.Errorf("requests = %v", a.Requests())
	}
	text := r.Text(now)
	if !strings.Contains(text, "Repository Fabrikam-Fiber-Git/AnotherRepository: not proven\n    read: yes, create branches: not proven, pull requests: not proven") {
		t.Errorf("text:\n%s", text)
	}
	var js struct {
		Repositories []map[string]any `json:"repositories"`
	}
	if err := json.Unmarshal(r.JSON(), &js); err != nil || len(js.Repositories) != 2 || js.Repositories[0]["branch"] != nil ||
		js.Repositories[0]["found"] != true || js.Repositories[0]["name"] != azAnother {
		t.Errorf("JSON repositories = %v (%v)", js.Repositories, err)
	}
}

func TestAzureAccountWithoutCreateBranchOrPullRequestsIsNotAllowed(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: azureTokens(), Deny: map[string]int{
		azAnother:                 hoststest.AzureCreateBranch | hoststest.AzurePullRequestContribute | hoststest.AzureContribute,
		"TestGit":                 hoststest.AzurePullRequestContribute, // the project's, inherited
		"Fabrikam-Fiber-Git/None": hoststest.AzureCreateBranch,          // no such repository: harmless
	}})
	r := myorg(azGood, a).withRepos(azAnother, "testgit/testgit", "Fabrikam-Fiber-Git/Fabrikam-Fiber-Git").check(t, a)
	wantOutcome(t, r, hosts.Insufficient, "Not ready for the integration: Fabrikam-Fiber-Git/AnotherRepository (not allowed), testgit/testgit (not allowed), Fabrikam-Fiber-Git/Fabrikam-Fiber-Git (not proven)")
	security := a.URL + "/myorg/Fabrikam-Fiber-Git/_settings/repositories?_a=permissions&repo=" + azAnotherID
	rp := wantRepo(t, r, azAnother, "true", "true", "false", "false",
		"Your account may not create branches in "+azAnother+": Create branch is not allowed for it on this repository.",
		"Ask a project administrator to allow Create branch for your account (or a group it is in) on "+azAnother+" (Project settings → Repositories → Security)",
		"if your team allows new branches only in folders such as feature/",
		"Your account may not create pull requests in "+azAnother+": Contribute to pull requests is not allowed for it on this repository.",
		"Your account may not push commits", security)
	if rp.Verdict() != "not allowed" || slices.ContainsFunc(rp.Findings, func(f hosts.Finding) bool { return strings.Contains(f.Text, "Your account may create") }) {
		t.Errorf("verdict %q, findings %v", rp.Verdict(), rp.Findings)
	}
	// Matched without regard to case, as Azure DevOps names are.
	wantRepo(t, r, "testgit/testgit", "true", "true", "null", "false", "Your account may create branches in testgit/testgit; gitpat cannot read",
		"Your account may not create pull requests in testgit/testgit")
	wantRepo(t, r, "Fabrikam-Fiber-Git/Fabrikam-Fiber-Git", "true", "true", "null", "null", "may create branches and pull requests")
}

func TestAzureProjectEntriesAreJudgedAtTheProjectLevel(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: azureTokens(),
		Deny: map[string]int{"TestGit": hoststest.AzureCreateBranch}})
	r := myorg(azGood, a).withRepos("Fabrikam-Fiber-Git", "TestGit").check(t, a)
	rp := wantRepo(t, r, "Fabrikam-Fiber-Git", "true", "true", "null", "null",
		"The token reads 2 repositories in Fabrikam-Fiber-Git: AnotherRepository, Fabrikam-Fiber-Git.",
		"Your account may create branches and pull requests in the repositories of Fabrikam-Fiber-Git")
	if rp.Kind != "project" {
		t.Errorf("kind %q", rp.Kind)
	}
	wantRepo(t, r, "TestGit", "true", "true", "false", "null",
		"Your account may not create branches in the repositories of TestGit: Create branch is not allowed for it at the project level (a repository may still set its own: name it to check it).",
		a.URL+"/myorg/TestGit/_settings/repositories?_a=permissions")
}

func TestAzureProjectNotVisibleAndRepositoryNotFound(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: azureTokens(),
		Repos: []hoststest.AzureRepo{
			{Project: "Web Apps", Name: "Front End"}, {Project: "Web Apps", Name: "Back End"},
			{Project: "Hidden Team", Name: "Secrets"},
		},
		EmptyProjects: []string{"Legacy TFVC"},
		Deny:          map[string]int{"Hidden Team": hoststest.AzureRead},
	})
	r := myorg(azGood, a).withRepos("https://dev.azure.com/myorg/Web%20Apps/_git/Front%20End", "Web Apps/Mobile",
		"Hidden Team/Secrets", "No Such Project", "Legacy TFVC").check(t, a)
	wantOutcome(t, r, hosts.Insufficient, "Web Apps/Mobile (not found)", "Hidden Team/Secrets (not found)", "No Such Project (not found)", "Legacy TFVC (not allowed)")
	wantRepo(t, r, "Web Apps/Front End", "true", "true", "null", "null", "may create branches and pull requests in Web Apps/Front End")
	wantRepo(t, r, "Web Apps/Mobile", "false", "false", "false", "false",
		"The project Web Apps has no repository Mobile that this account can see: it does not exist, or the account may not read it",
		"this account sees Front End, Back End in Web Apps", a.URL+"/myorg/Web%20Apps/_settings/repositories")
	for _, name := range []string{"Hidden Team/Secrets", "No Such Project"} {
		project, _, _ := strings.Cut(name, "/")
		wantRepo(t, r, name, "false", "false", "false", "false",
			"There is no project "+project+" in the organization myorg that this account can see: it does not exist, or the account is not a member of it")
	}
	wantRepo(t, r, "Legacy TFVC", "true", "false", "false", "false", "The project Legacy TFVC has no Git repository that this account can see.")
	// The projects missing from the list are asked for, each once, by
	// their names escaped; the others are not.
	var asked []string
	for _, req := range a.Requests() {
		if strings.HasSuffix(req, "/_apis/git/repositories") && req != "GET /myorg/_apis/git/repositories" {
			asked = append(asked, req)
		}
	}
	want := []string{"GET /myorg/Hidden Team/_apis/git/repositories", "GET /myorg/Legacy TFVC/_apis/git/repositories", "GET /myorg/No Such Project/_apis/git/repositories"}
	if !slices.Equal(sorted(asked), want) {
		t.Errorf("project requests = %v", asked)
	}
}

func TestAzureDisabledRepository(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: azureTokens(),
		Repos: []hoststest.AzureRepo{{Project: "Payments", Name: "Ledger", Disabled: true}, {Project: "Payments", Name: "Api"}}})
	r := myorg(azGood, a).withRepos("Payments/Ledger").check(t, a)
	rp := wantRepo(t, r, "Payments/Ledger", "true", "false", "false", "false",
		"Payments/Ledger is disabled: nobody can read or change its contents until it is enabled again.",
		"Ask someone with Delete repository permission", a.URL+"/myorg/Payments/_settings/repositories?repo=")
	if rp.Verdict() != "not allowed" {
		t.Errorf("verdict %q", rp.Verdict())
	}
}

func TestAzurePermissionsRefusedToTheTokenAreNotProvenNotFalse(t *testing.T) {
	tok := azurePAT("noperms")
	tokens := azureTokens()
	tokens[tok] = hoststest.AzureToken{NoPermissions: true}
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: tokens})
	r := myorg(tok, a).withRepos(azAnother).check(t, a)
	wantOutcome(t, r, hosts.Insufficient, azAnother+" (not proven)")
	rp := wantRepo(t, r, azAnother, "true", "true", "null", "null",
		"Azure DevOps did not let this token evaluate your account's permissions (401 Unauthorized: \"TF400813",
		"so whether it may create branches and pull requests here is not proven",
		"Azure DevOps documents no scope for that request",
		"Check on the repository's Security page that your account has Create branch and Contribute to pull requests",
		a.URL+"/myorg/Fabrikam-Fiber-Git/_settings/repositories?_a=permissions&repo="+azAnotherID)
	if rp.Unchecked || len(rp.Findings) != 1 {
		t.Errorf("unchecked %v, findings %v", rp.Unchecked, rp.Findings)
	}
}

func TestAzurePermissionsServerErrorOrLimitIsCouldNotCheck(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   []string
	}{
		{500, []string{"it answered with a server error (500 Internal Server Error), which is not about your token", "Try again in a few minutes"}},
		{429, []string{"it is limiting this user's requests (429 Too Many Requests)", "Wait 47 seconds and test again."}},
	} {
		a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: azureTokens(), PermissionsStatus: tc.status})
		r := myorg(azGood, a).withRepos(azAnother, "TestGit/TestGit").check(t, a)
		wantOutcome(t, r, hosts.Unchecked, "gitpat could not check Fabrikam-Fiber-Git/AnotherRepository, TestGit/TestGit")
		rp := wantRepo(t, r, azAnother, "true", "true", "null", "null", tc.want...)
		if !rp.Unchecked || rp.Verdict() != "could not check" {
			t.Errorf("%d: unchecked %v verdict %q", tc.status, rp.Unchecked, rp.Verdict())
		}
	}
}

func TestAzureProjectListServerErrorIsCouldNotCheck(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: azureTokens(), ProjectListStatus: 503})
	r := myorg(azGood, a).withRepos(azAnother, "Elsewhere/App").check(t, a)
	wantOutcome(t, r, hosts.Unchecked, "gitpat could not check Elsewhere/App")
	rp := wantRepo(t, r, "Elsewhere/App", "null", "null", "null", "null", "server error (503 Service Unavailable)")
	if !rp.Unchecked {
		t.Error("not unchecked")
	}
	wantRepo(t, r, azAnother, "true", "true", "null", "null")
}

func TestTFS2017HasNoPullRequestPermissionToEvaluate(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureTFS2017, Tokens: azureTokens(),
		Deny: map[string]int{"TestGit/TestGit": hoststest.AzureCreateBranch}})
	r := collection(hosts.TFS, a.Collection(), azLegacy).withRepos(azAnother, "TestGit/TestGit").check(t, a)
	wantOutcome(t, r, hosts.Insufficient, "TestGit/TestGit (not allowed)", azAnother+" (not proven)")
	wantRepo(t, r, azAnother, "true", "true", "null", "null",
		`The Git permissions of TFS 2017 Update 2 or later have no "Contribute to pull requests" (it came with Azure DevOps Server 2019)`,
		"Your account may create branches in "+azAnother+"; gitpat cannot read whether this token has Code (read and write)",
		"(or All scopes)", a.Collection()+"/_details/security/tokens")
	rp := wantRepo(t, r, "TestGit/TestGit", "true", "true", "false", "null",
		"(Project settings, the gear → Version Control → Git repositories → Security)")
	for _, f := range rp.Findings {
		if strings.Contains(f.Link, "_settings") {
			t.Errorf("a TFS has no Project settings → Repositories page: %v", f)
		}
	}
	// Create branch and Contribute only: the fake fails the test on 16384.
	want := []string{"GET /tfs/DefaultCollection" + azPermissions + "16", "GET /tfs/DefaultCollection" + azPermissions + "4"}
	if got := sorted(permissionRequests(a)); !slices.Equal(got, want) {
		t.Errorf("permissions requests = %v", got)
	}
}

func TestOnPremisesReleasesAskWithAVersionTheyHave(t *testing.T) {
	for _, tc := range []struct {
		mode hoststest.AzureMode
		host *hosts.Host
		bits int
	}{
		{hoststest.AzureTFS2018, hosts.TFS, 2},
		{hoststest.AzureServer2019, hosts.AzureDevOpsServer, 3},
		{hoststest.AzureServer2022, hosts.AzureDevOpsServer, 3},
		{hoststest.AzureTFS2018, hosts.AzureDevOpsServer, 2}, // the Server tab on a TFS: the list falls back to 3.0
	} {
		a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: tc.mode, Tokens: azureTokens(),
			Deny: map[string]int{azAnother: hoststest.AzureCreateBranch | hoststest.AzurePullRequestContribute}})
		r := collection(tc.host, a.Collection(), azGood).withRepos(azAnother, "Nowhere/App").check(t, a)
		// A version the server lacks would answer 400, and nothing would
		// be "not allowed".
		pr := "false"
		if tc.bits == 2 {
			pr = "null"
		}
		wantRepo(t, r, azAnother, "true", "true", "false", pr, "Your account may not create branches in "+azAnother)
		wantRepo(t, r, "Nowhere/App", "false", "false", "false", "false", "There is no project Nowhere in the collection "+a.Collection())
		if n := len(permissionRequests(a)); n != tc.bits {
			t.Errorf("%s: %d permissions requests, want %d", a.Collection(), n, tc.bits)
		}
	}
}

func TestAzureTokenWithoutCodeScopeReadsNoNamedRepository(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azNoCode, a).withRepos(azAnother, "TestGit").check(t, a)
	wantOutcome(t, r, hosts.Insufficient, "It lacks the Code scope")
	wantRepo(t, r, azAnother, "null", "false", "false", "false", "The token may not read code in the organization myorg (see above), so it can do nothing in "+azAnother)
	if len(permissionRequests(a)) != 0 {
		t.Errorf("requests = %v", a.Requests())
	}
}

// azureRepos makes n repositories in three projects whose names have
// spaces, all named.
func azureRepos(n int) ([]hoststest.AzureRepo, []string) {
	var repos []hoststest.AzureRepo
	var names []string
	for i := range n {
		repo := hoststest.AzureRepo{Project: fmt.Sprintf("Team %c", 'A'+i%3), Name: fmt.Sprintf("service-%02d", i)}
		repos = append(repos, repo)
		names = append(names, repo.Project+"/"+repo.Name)
	}
	return repos, names
}

func TestAzureFiftyRepositoriesAtOnce(t *testing.T) {
	repos, names := azureRepos(50)
	for _, tc := range []struct {
		mode hoststest.AzureMode
		host *hosts.Host
		bits int
	}{{hoststest.AzureServices, nil, 3}, {hoststest.AzureTFS2018, hosts.TFS, 2}} {
		a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: tc.mode, Tokens: azureTokens(), Repos: repos,
			Deny: map[string]int{"Team B": hoststest.AzureCreateBranch, names[48]: hoststest.AzureContribute}})
		c := myorg(azGood, a)
		if tc.host != nil {
			c = collection(tc.host, a.Collection(), azGood)
		}
		r := c.withRepos(names...).check(t, a)
		if len(r.Repositories) != 50 {
			t.Fatalf("%d repositories reported", len(r.Repositories))
		}
		for i, name := range names {
			branch := "null"
			if i%3 == 1 {
				branch = "false"
			}
			wantRepo(t, r, name, "true", "true", branch, "null")
		}
		wantRepo(t, r, names[48], "true", "true", "null", "null", "Your account may not push commits in "+names[48])
		// 50 tokens of 81 characters do not fit in IIS's 2048-byte query
		// string (the on-premises fake answers 404.15): three requests per
		// bit, all in the one extra round.
		if n := len(permissionRequests(a)); n != 3*tc.bits {
			t.Errorf("%d permissions requests, want %d", n, 3*tc.bits)
		}
	}
}

func TestAzureManyProjectsAreAskedForWithABound(t *testing.T) {
	var names []string
	for i := range 50 {
		names = append(names, fmt.Sprintf("Gone %02d/App", i))
	}
	a := azureFake(t, hoststest.AzureServices)
	a.Hold = 50 * time.Millisecond
	c := myorg(azGood, a).withRepos(names...)
	c.timeout = 10 * time.Second
	r := c.check(t, a)
	for _, name := range names {
		wantRepo(t, r, name, "false", "false", "false", "false")
	}
	if n := len(a.Requests()); n != 3+50 {
		t.Errorf("%d requests, want 3 and one per project", n)
	}
	if m := a.MaxInFlight(); m > 20 || m < 10 {
		t.Errorf("%d requests in flight at most, want the bound of 20 (and parallel)", m)
	}
}
