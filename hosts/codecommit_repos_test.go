package hosts

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// Canary keys of the per-repository tests.
const (
	awsScopedKey     = "AKIACANARYSCOPEDKEY2"
	awsScopedOnlyKey = "AKIACANARYSCOPEDNOLS"
	awsRepoDenyKey   = "AKIACANARYREPODENY22"
	awsRepoCondKey   = "AKIACANARYREPOCOND22"
	awsRepoOrgKey    = "AKIACANARYREPOORG222"
	awsNoSimRepoKey  = "AKIACANARYNOSIMREPO2"
	awsSimDownKey    = "AKIACANARYSIMDOWN222"
	awsSimSlowKey    = "AKIACANARYTHROTTLED2"
	awsCCDownKey     = "AKIACANARYCCDOWN2222"
	awsLegacyKey     = "AKIACANARYLEGACYSIM2"
	awsListlessKey   = "AKIACANARYNOLISTREPO"
	awsGhostKey      = "AKIACANARYSCOPEDGHST"
)

const awsPerms = "https://console.aws.amazon.com/iam/home#/users/details/jira-codecommit?section=permissions"

func awsRepoFake(t *testing.T) *hoststest.AWS {
	user := func(k hoststest.AWSKey) hoststest.AWSKey {
		k.Secret, k.User = awsSecret, "jira-codecommit"
		return k
	}
	return hoststest.NewAWS(t, map[string]hoststest.AWSKey{
		awsOKKey:   user(hoststest.AWSKey{}),
		awsRootKey: {Secret: awsSecret},
		// A policy naming jira-sync only; listing is allowed by another.
		awsScopedKey: user(hoststest.AWSKey{AllowOnly: []string{"jira-sync"}, Decisions: map[string]string{"codecommit:ListRepositories": "allowed"}}),
		// A least-privilege policy naming exactly the integration's two
		// repositories, without ListRepositories.
		awsScopedOnlyKey: user(hoststest.AWSKey{AllowOnly: []string{"jira-sync", "payments-service"}, NoListRepositories: true}),
		awsRepoDenyKey: user(hoststest.AWSKey{RepoDecisions: map[string]map[string]string{
			"payments-service": {"codecommit:CreateBranch": "explicitDeny", "codecommit:CreatePullRequest": "explicitDeny"}}}),
		awsRepoCondKey: user(hoststest.AWSKey{RepoDecisions: map[string]map[string]string{"jira-sync": {"codecommit:CreatePullRequest": "conditional"}}}),
		awsRepoOrgKey: user(hoststest.AWSKey{RepoDecisions: map[string]map[string]string{
			"jira-sync":        {"codecommit:CreateBranch": "scpDeny", "codecommit:CreatePullRequest": "scpExplicitDeny"},
			"payments-service": {"codecommit:GitPull": "boundaryDeny"}}}),
		awsNoSimRepoKey: user(hoststest.AWSKey{NoSimulator: true}),
		awsSimDownKey:   user(hoststest.AWSKey{ResourceSimDown: true}),
		awsSimSlowKey:   user(hoststest.AWSKey{SimulatorThrottled: true}),
		awsCCDownKey:    user(hoststest.AWSKey{CodeCommitDown: true}),
		awsLegacyKey: user(hoststest.AWSKey{LegacySimulator: true, AllowOnly: []string{"jira-sync"},
			Decisions: map[string]string{"codecommit:ListRepositories": "allowed"}}),
		awsListlessKey: user(hoststest.AWSKey{NoListRepositories: true}),
		// A policy naming jira-sync and billing, which does not exist.
		awsGhostKey: user(hoststest.AWSKey{AllowOnly: []string{"jira-sync", "billing"}, NoListRepositories: true}),
	})
}

func checkAWSRepos(t *testing.T, a *hoststest.AWS, keyID string, repos ...string) *Report {
	t.Helper()
	return checkAWS(t, a, keyID, awsSecret, map[string]string{RepoFieldKey: strings.Join(repos, "\n")}, 10*time.Second)
}

// repoByName returns the report's section about name.
func repoByName(t *testing.T, r *Report, name string) RepoReport {
	t.Helper()
	for _, rp := range r.Repositories {
		if rp.Name == name {
			return rp
		}
	}
	t.Fatalf("no section about %s:\n%s", name, r.JSON())
	return RepoReport{}
}

// wantRepo checks one repository's found, read, branch and pull_request
// ("yes", "no", "not proven" as Ability says) and that its findings say
// each of texts.
func wantRepo(t *testing.T, r *Report, name string, found, read, branch, pr string, texts ...string) RepoReport {
	t.Helper()
	rp := repoByName(t, r, name)
	got := []string{Ability(rp.Found), Ability(rp.Read), Ability(rp.Branch), Ability(rp.PullRequest)}
	if want := []string{found, read, branch, pr}; !slices.Equal(got, want) {
		t.Errorf("%s: found, read, branch, pull_request = %v, want %v\n%s", name, got, want, r.JSON())
	}
	all := ""
	for _, f := range rp.Findings {
		all += "\n" + f.Text + " " + f.Fix + " " + f.Link
	}
	for _, want := range texts {
		if !strings.Contains(all, want) {
			t.Errorf("%s: findings do not say %q:%s", name, want, all)
		}
	}
	return rp
}

func awsARN(name string) string {
	return "arn:aws:codecommit:us-east-1:" + hoststest.AWSAccount + ":" + name
}

func callsOf(a *hoststest.AWS, action string) int {
	n := 0
	for _, c := range a.Calls() {
		if strings.HasSuffix(c, " "+action) {
			n++
		}
	}
	return n
}

func TestCodeCommitNamedRepositoriesProvenReadyInOneRound(t *testing.T) {
	a := awsRepoFake(t)
	// The account-wide and the per-repository simulations, the key list
	// and the repository list must all be in flight together.
	a.SetBarrier(4)
	r := checkAWSRepos(t, a, awsOKKey, "jira-sync", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/payments-service")
	wantAWS(t, r, Sufficient, "Ready")
	for _, name := range []string{"jira-sync", "payments-service"} {
		rp := wantRepo(t, r, name, "yes", "yes", "yes", "yes")
		if rp.Kind != "repository" || rp.Verdict() != "ready" || rp.Unchecked {
			t.Errorf("%s: kind %q verdict %q", name, rp.Kind, rp.Verdict())
		}
	}
	// The simulator was asked about each repository's ARN, never "*" alone.
	if got := a.SimulatedARNs(); !slices.Equal(got, []string{awsARN("jira-sync"), awsARN("payments-service")}) {
		t.Errorf("simulated ARNs = %v", got)
	}
	want := []string{"codecommit us-east-1 ListRepositories", "iam us-east-1 ListAccessKeys", "iam us-east-1 SimulatePrincipalPolicy",
		"iam us-east-1 SimulatePrincipalPolicy", "sts us-east-1 GetCallerIdentity"}
	if !slices.Equal(awsSortedCalls(a), want) {
		t.Errorf("calls = %v, want %v", a.Calls(), want)
	}
}

// TestCodeCommitPolicyScopedToOtherRepositories: a policy that names
// other repositories' ARNs leaves this one not allowed, with the policy
// that allows the others named and the user's permissions page.
func TestCodeCommitPolicyScopedToOtherRepositories(t *testing.T) {
	a := awsRepoFake(t)
	r := checkAWSRepos(t, a, awsScopedKey, "jira-sync", "payments-service")
	wantAWS(t, r, Insufficient, "not ready for payments-service (not allowed)",
		"No policy of IAM user jira-codecommit allows it to create branches or create pull requests (codecommit:CreateBranch, codecommit:CreatePullRequest) on every repository (resource *)")
	wantRepo(t, r, "jira-sync", "yes", "yes", "yes", "yes")
	rp := wantRepo(t, r, "payments-service", "yes", "no", "no", "no",
		"No policy of IAM user jira-codecommit allows it to read repository contents (git pull), create branches or create pull requests in this repository "+
			"(codecommit:GitPull, codecommit:CreateBranch, codecommit:CreatePullRequest); JiraCodeCommitRepos allows that on other repositories only.",
		"Add this repository's ARN, arn:aws:codecommit:us-east-1:123456789012:payments-service, to the Resource of the statement in JiraCodeCommitRepos that allows them",
		awsPerms)
	if rp.Verdict() != "not allowed" || rp.Findings[0].Level != Error {
		t.Errorf("verdict %q, findings %+v", rp.Verdict(), rp.Findings)
	}
	// Judged per repository: nothing is missing on the account as such.
	if len(r.Missing) != 0 || len(r.Unverified) != 0 {
		t.Errorf("missing %v unverified %v", r.Missing, r.Unverified)
	}

	// Named alone, nothing tells which policy names the others.
	r = checkAWSRepos(t, a, awsScopedKey, "payments-service")
	rp = wantRepo(t, r, "payments-service", "yes", "no", "no", "no", "in this repository (codecommit:GitPull, codecommit:CreateBranch, codecommit:CreatePullRequest).",
		"Add this repository's ARN, arn:aws:codecommit:us-east-1:123456789012:payments-service, to the Resource of the policy statement that allows them to user jira-codecommit")
	if strings.Contains(string(r.JSON()), "other repositories only") {
		t.Errorf("names a policy the simulator did not name:\n%s", r.JSON())
	}
}

// TestCodeCommitPolicyScopedToTheNamedRepositoriesIsReady: least
// privilege (a policy naming exactly the integration's repositories,
// without ListRepositories) is Ready once each repository is proven,
// although nothing is allowed on every repository.
func TestCodeCommitPolicyScopedToTheNamedRepositoriesIsReady(t *testing.T) {
	a := awsRepoFake(t)
	r := checkAWSRepos(t, a, awsScopedOnlyKey, "jira-sync", "payments-service")
	wantAWS(t, r, Sufficient, "Ready", "on every repository (resource *); gitpat judged each repository named below on its own")
	wantRepo(t, r, "jira-sync", "yes", "yes", "yes", "yes")
	wantRepo(t, r, "payments-service", "yes", "yes", "yes", "yes")
	if callsOf(a, "BatchGetRepositories") != 1 || callsOf(a, "GetRepository") != 0 {
		t.Errorf("calls = %v, want one BatchGetRepositories (listing is not allowed)", a.Calls())
	}
	// Without names the same key is judged on every repository: insufficient.
	r = checkAWS(t, a, awsScopedOnlyKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Insufficient, "name them in the repository field")
}

func TestCodeCommitExplicitDenyOnOneRepository(t *testing.T) {
	a := awsRepoFake(t)
	r := checkAWSRepos(t, a, awsRepoDenyKey, "jira-sync", "payments-service")
	wantAWS(t, r, Insufficient, "not ready for payments-service (not allowed)")
	wantRepo(t, r, "jira-sync", "yes", "yes", "yes", "yes")
	wantRepo(t, r, "payments-service", "yes", "yes", "no", "no",
		"A policy explicitly denies it to create branches or create pull requests here (codecommit:CreateBranch, codecommit:CreatePullRequest): see DenyPaymentsWrites.",
		"a deny overrides every allow", awsPerms)
}

// TestCodeCommitConditionsAreNotProven: an allow under a condition the
// simulator had no value for proves nothing either way.
func TestCodeCommitConditionsAreNotProven(t *testing.T) {
	a := awsRepoFake(t)
	r := checkAWSRepos(t, a, awsRepoCondKey, "jira-sync")
	wantAWS(t, r, Insufficient, "not ready for jira-sync (not proven)")
	rp := wantRepo(t, r, "jira-sync", "yes", "yes", "yes", "not proven",
		"A policy decides whether it may create pull requests here (codecommit:CreatePullRequest) by conditions on aws:SourceIp, which the simulator could not evaluate")
	if rp.Findings[0].Level != Warn || len(r.Missing) != 0 {
		t.Errorf("findings %+v missing %v", rp.Findings, r.Missing)
	}
}

func TestCodeCommitOrganizationAndBoundaryPerRepository(t *testing.T) {
	a := awsRepoFake(t)
	r := checkAWSRepos(t, a, awsRepoOrgKey, "jira-sync", "payments-service")
	wantAWS(t, r, Insufficient, "jira-sync (not allowed)", "payments-service (not allowed)")
	wantRepo(t, r, "jira-sync", "yes", "yes", "no", "no",
		"A service control policy of your AWS organization does not allow it to create branches or create pull requests here (codecommit:CreateBranch, codecommit:CreatePullRequest).",
		"organization's administrators")
	wantRepo(t, r, "payments-service", "yes", "no", "yes", "yes",
		"The permissions boundary of user jira-codecommit does not allow it to read repository contents (git pull) here (codecommit:GitPull).")
}

func TestCodeCommitRepositoriesNotInTheRegion(t *testing.T) {
	a := awsRepoFake(t)
	r := checkAWSRepos(t, a, awsOKKey, "billing", "JIRA-SYNC", "payments-service")
	wantAWS(t, r, Insufficient, "not ready for billing (not found), JIRA-SYNC (not found)")
	wantRepo(t, r, "billing", "no", "no", "no", "no", "There is no repository named billing in us-east-1.", "pick the region where the repository is")
	wantRepo(t, r, "JIRA-SYNC", "no", "no", "no", "no", "There is jira-sync: repository names are case sensitive.")
	wantRepo(t, r, "payments-service", "yes", "yes", "yes", "yes")

	// Listing not allowed: BatchGetRepositories says which do not exist.
	r = checkAWSRepos(t, a, awsListlessKey, "billing", "jira-sync")
	wantRepo(t, r, "billing", "no", "no", "no", "no", "There is no repository named billing in us-east-1.")
	wantRepo(t, r, "jira-sync", "yes", "yes", "yes", "yes")
	wantAWS(t, r, Insufficient, "billing (not found)")

	// Another region: the same names are not there.
	a.Repositories = []string{}
	r = checkAWS(t, a, awsOKKey, awsSecret, map[string]string{"region": "eu-west-1", RepoFieldKey: "jira-sync"}, 5*time.Second)
	wantRepo(t, r, "jira-sync", "no", "no", "no", "no", "There is no repository named jira-sync in eu-west-1.")
}

// TestCodeCommitExistenceOneByOne: listing not allowed, and
// BatchGetRepositories denied as a whole for one name outside the
// policy: GetRepository asks about each. Where that is denied too,
// whether the repository exists is not proven, and the simulator's
// verdict still stands.
func TestCodeCommitExistenceOneByOne(t *testing.T) {
	a := awsRepoFake(t)
	r := checkAWSRepos(t, a, awsGhostKey, "jira-sync", "billing", "payments-service")
	wantAWS(t, r, Insufficient, "billing (not found), payments-service (not allowed)")
	wantRepo(t, r, "jira-sync", "yes", "yes", "yes", "yes")
	wantRepo(t, r, "billing", "no", "no", "no", "no", "There is no repository named billing in us-east-1.")
	wantRepo(t, r, "payments-service", "not proven", "no", "no", "no",
		"gitpat could not tell whether it exists in us-east-1: user jira-codecommit may neither list repositories (codecommit:ListRepositories) nor read this one (codecommit:GetRepository).",
		"Allow codecommit:GetRepository on this repository")
	if callsOf(a, "BatchGetRepositories") != 1 || callsOf(a, "GetRepository") != 3 {
		t.Errorf("calls = %v", a.Calls())
	}
}

func TestCodeCommitFiftyRepositoriesAtOnce(t *testing.T) {
	a := awsRepoFake(t)
	var all, named []string
	for i := range 60 {
		all = append(all, fmt.Sprintf("service-%02d", i))
	}
	named = all[5:55]
	a.Repositories = all
	// 50 ARNs take three simulations, in flight together with the
	// account-wide one, the key list and the repository list.
	a.SetBarrier(6)
	r := checkAWSRepos(t, a, awsOKKey, named...)
	wantAWS(t, r, Sufficient, "Ready")
	if len(r.Repositories) != 50 {
		t.Fatalf("%d repositories", len(r.Repositories))
	}
	for i, rp := range r.Repositories {
		if rp.Name != named[i] || !rp.Ready() {
			t.Errorf("#%d %s: %s", i, rp.Name, rp.Verdict())
		}
	}
	if got := a.SimulatedARNs(); len(got) != 50 || len(slices.Compact(slices.Sorted(slices.Values(got)))) != 50 {
		t.Errorf("%d ARNs simulated, want each of the 50 once: %v", len(got), got)
	}
	if n := callsOf(a, "SimulatePrincipalPolicy"); n != 4 {
		t.Errorf("%d simulations, want 1 account-wide and 3 of 20, 20 and 10 ARNs", n)
	}
}

// TestCodeCommitListPagesAreFollowedOnlyWhileANameIsMissing: 1,000 names
// a page on AWS; here 25.
func TestCodeCommitListPagesAreFollowedOnlyWhileANameIsMissing(t *testing.T) {
	a := awsRepoFake(t)
	var all []string
	for i := range 80 {
		all = append(all, fmt.Sprintf("service-%02d", i))
	}
	a.Repositories, a.ListPageSize = all, 25
	r := checkAWSRepos(t, a, awsOKKey, "service-03", "service-60")
	wantAWS(t, r, Sufficient)
	if n := callsOf(a, "ListRepositories"); n != 3 {
		t.Errorf("%d ListRepositories pages, want 3 (service-60 is on the third)", n)
	}
	r = checkAWSRepos(t, a, awsOKKey, "service-99")
	wantRepo(t, r, "service-99", "no", "no", "no", "no", "There is no repository named service-99")
	if n := callsOf(a, "ListRepositories"); n != 3+4 {
		t.Errorf("%d more ListRepositories pages, want all 4", n-3)
	}
	// Past five pages, BatchGetRepositories asks about what is missing.
	a.ListPageSize = 10
	r = checkAWSRepos(t, a, awsOKKey, "service-01", "service-75", "service-99")
	wantRepo(t, r, "service-75", "yes", "yes", "yes", "yes")
	wantRepo(t, r, "service-99", "no", "no", "no", "no")
	if n := callsOf(a, "ListRepositories"); n != 7+5 || callsOf(a, "BatchGetRepositories") != 1 {
		t.Errorf("%d more ListRepositories pages, want 5, then one BatchGetRepositories: %v", n-7, a.Calls())
	}
}

func TestCodeCommitSimulatorNotAllowedLeavesRepositoriesNotProven(t *testing.T) {
	a := awsRepoFake(t)
	r := checkAWSRepos(t, a, awsNoSimRepoKey, "jira-sync")
	wantAWS(t, r, Insufficient, "It may not use the IAM policy simulator")
	rp := wantRepo(t, r, "jira-sync", "yes", "not proven", "not proven", "not proven",
		"It may not use the IAM policy simulator (iam:SimulatePrincipalPolicy), so what it may do in this repository is not proven.",
		codecommitPolicySimulator)
	if rp.Unchecked || rp.Verdict() != "not proven" {
		t.Errorf("unchecked %v verdict %q", rp.Unchecked, rp.Verdict())
	}
}

// TestCodeCommitRepositoryServerErrorsCouldNotCheck: a 5xx or throttling
// while judging a repository is "could not check" (exit 3), never "not
// allowed".
func TestCodeCommitRepositoryServerErrorsCouldNotCheck(t *testing.T) {
	for _, tc := range []struct {
		name, key, want string
	}{
		{"simulator 500", awsSimDownKey, "gitpat could not check what it may do in this repository: AWS IAM answered with a server error (500 Internal Server Error)"},
		{"simulator throttled", awsSimSlowKey, "gitpat could not check what it may do in this repository: AWS IAM is limiting requests from this account just now."},
		{"CodeCommit 500", awsCCDownKey, "gitpat could not check whether it exists: AWS CodeCommit in us-east-1 answered with a server error (500 Internal Server Error)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := awsRepoFake(t)
			r := checkAWSRepos(t, a, tc.key, "jira-sync")
			wantAWS(t, r, Unchecked, "could not check jira-sync")
			rp := wantRepo(t, r, "jira-sync", repoField(t, r, "jira-sync"), "not proven", "not proven", "not proven", tc.want)
			if !rp.Unchecked || rp.Verdict() != "could not check" || len(r.Missing) != 0 {
				t.Errorf("unchecked %v verdict %q missing %v", rp.Unchecked, rp.Verdict(), r.Missing)
			}
		})
	}
}

// repoField is the found value a repository has, for cases that do not
// decide it.
func repoField(t *testing.T, r *Report, name string) string {
	return Ability(repoByName(t, r, name).Found)
}

// TestCodeCommitLegacySimulatorShape: one result per action and
// resource, split over pages, gives the same verdicts.
func TestCodeCommitLegacySimulatorShape(t *testing.T) {
	a := awsRepoFake(t)
	a.SimPageSize = 4
	r := checkAWSRepos(t, a, awsLegacyKey, "jira-sync", "payments-service")
	wantAWS(t, r, Insufficient, "payments-service (not allowed)")
	wantRepo(t, r, "jira-sync", "yes", "yes", "yes", "yes")
	wantRepo(t, r, "payments-service", "yes", "no", "no", "no", "JiraCodeCommitRepos allows that on other repositories only.")
	// 3 actions × 2 ARNs = 6 results, 4 a page: 2 pages, and 1 account-wide.
	if n := callsOf(a, "SimulatePrincipalPolicy"); n != 3 {
		t.Errorf("%d simulations, want 3", n)
	}
}

func TestCodeCommitRootKeyRepositoriesNotJudged(t *testing.T) {
	a := awsRepoFake(t)
	r := checkAWSRepos(t, a, awsRootKey, "jira-sync")
	wantAWS(t, r, Insufficient, "root user")
	wantRepo(t, r, "jira-sync", "yes", "not proven", "not proven", "not proven", "root user's key")
	if len(a.SimulatedARNs()) != 0 {
		t.Errorf("simulated %v for a root key", a.SimulatedARNs())
	}
}

func TestCodeCommitRepositoriesInARegionNotEnabled(t *testing.T) {
	a := awsRepoFake(t)
	a.DisabledRegions = []string{"me-south-1"}
	r := checkAWS(t, a, awsOKKey, awsSecret, map[string]string{"region": "me-south-1", RepoFieldKey: "jira-sync"}, 5*time.Second)
	wantAWS(t, r, Insufficient, "enable me-south-1")
	wantRepo(t, r, "jira-sync", "no", "no", "no", "no", "the region is not enabled for this account")
}

// TestCodeCommitResourceResultsBothShapes reads the simulator's answer
// per resource from either shape, and never takes the top level of the
// current shape (an ARN template) for a repository.
func TestCodeCommitResourceResultsBothShapes(t *testing.T) {
	allowed, implicit := iamtypes.PolicyEvaluationDecisionTypeAllowed, iamtypes.PolicyEvaluationDecisionTypeImplicitDeny
	tmpl := "arn:${Partition}:codecommit:${Region}:${Account}:${RepositoryName}"
	got := codecommitResourceResults([]iamtypes.EvaluationResult{
		{EvalActionName: aws.String("codecommit:CreateBranch"), EvalDecision: implicit, EvalResourceName: aws.String(tmpl),
			ResourceSpecificResults: []iamtypes.ResourceSpecificResult{
				{EvalResourceName: aws.String(awsARN("a")), EvalResourceDecision: allowed},
				{EvalResourceName: aws.String(awsARN("b")), EvalResourceDecision: implicit,
					PermissionsBoundaryDecisionDetail: &iamtypes.PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: false}},
			}},
		// The top level only: the template names no repository.
		{EvalActionName: aws.String("codecommit:GitPull"), EvalDecision: allowed, EvalResourceName: aws.String(tmpl)},
		// The earlier shape.
		{EvalActionName: aws.String("codecommit:CreatePullRequest"), EvalDecision: allowed, EvalResourceName: aws.String(awsARN("a"))},
	})
	if got[ccSimKey{awsARN("a"), "codecommit:CreateBranch"}].decision != allowed ||
		got[ccSimKey{awsARN("b"), "codecommit:CreateBranch"}].decision != implicit || !got[ccSimKey{awsARN("b"), "codecommit:CreateBranch"}].boundary ||
		got[ccSimKey{awsARN("a"), "codecommit:CreatePullRequest"}].decision != allowed {
		t.Errorf("results = %+v", got)
	}
	if _, ok := got[ccSimKey{awsARN("a"), "codecommit:GitPull"}]; ok {
		t.Error("a top-level template result was taken for a repository")
	}
	rp := RepoReport{Name: "a"}
	s := &awsSession{region: "us-east-1"}
	s.repoAbilities(&rp, awsPrincipal{Partition: "aws", Account: hoststest.AWSAccount, Name: "jira"}, got)
	if rp.Read != nil || !isTrue(rp.Branch) || !isTrue(rp.PullRequest) || len(rp.Findings) != 1 ||
		!strings.Contains(rp.Findings[0].Text, "gave no decision for codecommit:GitPull on this repository") {
		t.Errorf("read %v branch %v pr %v findings %+v", rp.Read, rp.Branch, rp.PullRequest, rp.Findings)
	}
}
