package hoststest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The fake's answers about particular repositories (issue 12): the
// policy simulator asked about repository ARNs, ListRepositories page by
// page, BatchGetRepositories and GetRepository.

// awsRecordedRepositories are the names in aws/list-repositories.json,
// which the fake lists when AWS.Repositories is nil.
var awsRecordedRepositories = []string{"jira-sync", "payments-service"}

// awsRepoActions are what a simulation about repositories may ask: the
// actions whose resource is a repository's ARN (CodeCommit user guide,
// auth-and-access-control-permissions-reference.md: GitPull, CreateBranch,
// CreatePullRequest, GetRepository all take
// arn:aws:codecommit:region:account-id:repository-name).
var awsRepoActions = []string{"codecommit:GitPull", "codecommit:CreateBranch", "codecommit:CreatePullRequest"}

// SimulatedARNs returns every ResourceArns entry the simulations named,
// in the order they arrived.
func (a *AWS) SimulatedARNs() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.simARNs)
}

func (a *AWS) repositories() []string {
	if a.Repositories == nil {
		return awsRecordedRepositories
	}
	return a.Repositories
}

// simStatement is one entry of MatchedStatements.
type simStatement struct {
	ID, Type   string
	Start, End int
}

// simResource is the simulator's verdict for one action on one resource.
type simResource struct {
	ARN, Decision string
	Statements    []simStatement
	Missing       []string
	SCPDenied     bool
	BoundaryDeny  bool
}

// simMember is one member of EvaluationResults.
type simMember struct {
	Action, Decision, ResourceName string
	Statements                     []simStatement
	Missing                        []string
	SCPDenied, BoundaryDeny        bool
	Resources                      []simResource // ResourceSpecificResults; none in the older shape
}

// repoDecision is how the key's policies treat action on one repository.
// Per repository first (RepoDecisions), then a policy naming only some
// repositories (AllowOnly), then what the key gets on every resource.
func (k AWSKey) repoDecision(action, repo string) simResource {
	d, ok := k.RepoDecisions[repo][action]
	switch {
	case ok:
	case k.AllowOnly != nil && slices.Contains(k.AllowOnly, repo):
		d = "allowedByScope"
	case k.AllowOnly != nil:
		d = "implicitDeny"
	default:
		d = k.Decisions[action]
	}
	res := simResource{Decision: d}
	switch d {
	case "", "allowed":
		res.Decision, res.Statements = "allowed", []simStatement{{"AWSCodeCommitPowerUser", "aws-managed", 41, 1187}}
	case "allowedByScope":
		// A customer managed policy whose statement names repository ARNs.
		res.Decision, res.Statements = "allowed", []simStatement{{"JiraCodeCommitRepos", "user-managed", 37, 402}}
	case "explicitDeny":
		res.Statements = []simStatement{{"DenyPaymentsWrites", "user", 37, 236}}
	case "scpDeny":
		// An SCP allow list without CodeCommit: an implicit deny whose
		// OrganizationsDecisionDetail says so; MatchedStatements never
		// lists SCP statements (SDK iam types.go, EvaluationResult).
		res.Decision, res.SCPDenied = "implicitDeny", true
	case "scpExplicitDeny":
		// "returns explicitDeny for explicit SCP denials" (SDK iam
		// CHANGELOG v1.57.0), again without the SCP's statement.
		res.Decision, res.SCPDenied = "explicitDeny", true
	case "boundaryDeny":
		res.Decision, res.BoundaryDeny = "implicitDeny", true
		res.Statements = []simStatement{{"AWSCodeCommitPowerUser", "aws-managed", 41, 1187}}
	case "conditional":
		// Allowed only from the company's addresses (aws:SourceIp): the
		// simulator was given no value for the key, so the allow does not
		// apply and the key is named in MissingContextValues ("context
		// keys that are required by the included input policies but that
		// were not provided", SDK iam types.go, ResourceSpecificResult).
		res.Decision, res.Missing = "implicitDeny", []string{"aws:SourceIp"}
	}
	return res
}

// simulateResources answers a SimulatePrincipalPolicy that names
// ResourceArns. Since SDK iam v1.57.0 (CHANGELOG 2026-07-30) the answer
// has one EvaluationResults member per action whose EvalResourceName is
// the ARN template of the resource type, with the decision for each ARN
// in ResourceSpecificResults (SDK iam v1.65.0 types/types.go,
// EvaluationResult; wire shape in response_snapshot/
// SimulatePrincipalPolicy.response.snap). LegacySimulator answers as
// before: one member per action and resource, EvalResourceName the ARN.
func (a *AWS) simulateResources(w http.ResponseWriter, c awsCall) {
	if got := c.form.Get("PolicySourceArn"); got != c.key.arn() {
		a.t.Errorf("fake AWS: SimulatePrincipalPolicy for %q, want the caller %q", got, c.key.arn())
	}
	var arns []string
	for i := 1; c.form.Has(fmt.Sprintf("ResourceArns.member.%d", i)); i++ {
		arns = append(arns, c.form.Get(fmt.Sprintf("ResourceArns.member.%d", i)))
	}
	a.mu.Lock()
	a.simARNs = append(a.simARNs, arns...)
	a.mu.Unlock()
	var actions []string
	for i := 1; c.form.Has(fmt.Sprintf("ActionNames.member.%d", i)); i++ {
		actions = append(actions, c.form.Get(fmt.Sprintf("ActionNames.member.%d", i)))
	}
	switch {
	case c.key.IAMDown || c.key.ResourceSimDown:
		a.queryError(w, "iam", http.StatusInternalServerError, "ServiceFailure", "The request processing has failed because of an unknown error, exception or failure.")
		return
	case c.key.SimulatorThrottled:
		// cloud-custodian/cloud-custodian#7641: "An error occurred
		// (Throttling) when calling the SimulatePrincipalPolicy operation
		// ...: Rate exceeded".
		a.queryError(w, "iam", http.StatusBadRequest, "Throttling", "Rate exceeded")
		return
	case c.key.NoSimulator:
		a.queryError(w, "iam", http.StatusForbidden, "AccessDenied", accessDenied(c.key.arn(), "iam:SimulatePrincipalPolicy", "user "+c.key.User))
		return
	}
	repos := make([]string, len(arns))
	for i, arn := range arns {
		// arn:aws:codecommit:REGION:ACCOUNT:NAME (permissions reference, as above).
		parts := strings.Split(arn, ":")
		if len(parts) != 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "codecommit" || parts[3] == "" || parts[4] != AWSAccount || parts[5] == "" {
			a.t.Errorf("fake AWS: simulation of %q, not a CodeCommit repository ARN of account %s", arn, AWSAccount)
			a.queryError(w, "iam", http.StatusBadRequest, "InvalidInput", "ResourceNames are not in a valid ARN format: "+arn+".")
			return
		}
		repos[i] = parts[5]
	}
	for _, act := range actions {
		if !slices.Contains(awsRepoActions, act) {
			a.t.Errorf("fake AWS: simulation of %s on repository ARNs; it takes no repository", act)
		}
	}

	var members []simMember
	for _, act := range actions {
		if c.key.LegacySimulator {
			for i, arn := range arns {
				res := c.key.repoDecision(act, repos[i])
				members = append(members, simMember{Action: act, Decision: res.Decision, ResourceName: arn, Statements: res.Statements,
					Missing: res.Missing, SCPDenied: res.SCPDenied, BoundaryDeny: res.BoundaryDeny})
			}
			continue
		}
		// The top level aggregates: the union of matched statements and
		// missing context values across resources (types.go, as above);
		// the decision the most restrictive of them [inferred].
		m := simMember{Action: act, Decision: "allowed", ResourceName: "arn:${Partition}:codecommit:${Region}:${Account}:${RepositoryName}"}
		for i, arn := range arns {
			res := c.key.repoDecision(act, repos[i])
			res.ARN = arn
			m.Resources = append(m.Resources, res)
			if res.Decision == "explicitDeny" || res.Decision == "implicitDeny" && m.Decision == "allowed" {
				m.Decision = res.Decision
			}
			for _, st := range res.Statements {
				if !slices.Contains(m.Statements, st) {
					m.Statements = append(m.Statements, st)
				}
			}
			for _, k := range res.Missing {
				if !slices.Contains(m.Missing, k) {
					m.Missing = append(m.Missing, k)
				}
			}
			m.SCPDenied = m.SCPDenied || res.SCPDenied
		}
		members = append(members, m)
	}

	// MaxItems "defaults to 100"; "IAM might return fewer results, even
	// when there are more results available. In that case, the IsTruncated
	// response element returns true, and Marker contains a value" (SDK iam
	// api_op_SimulatePrincipalPolicy.go).
	size := 100
	if n, err := strconv.Atoi(c.form.Get("MaxItems")); err == nil && n > 0 {
		size = n
	}
	if a.SimPageSize > 0 {
		size = min(size, a.SimPageSize)
	}
	from := 0
	if m := c.form.Get("Marker"); m != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(m, "fake-marker-"))
		if err != nil || n <= 0 || n >= len(members) {
			a.t.Errorf("fake AWS: simulation continued from marker %q, which it never sent", m)
			a.queryError(w, "iam", http.StatusBadRequest, "InvalidInput", "Invalid marker.")
			return
		}
		from = n
	}
	to := min(from+size, len(members))
	marker := ""
	if to < len(members) {
		marker = fmt.Sprintf("fake-marker-%d", to)
	}
	a.xml(w, http.StatusOK, "aws/simulate-principal-policy-resources.xml", map[string]any{"Members": members[from:to], "Marker": marker})
}

// listRepositoryPage answers ListRepositories from AWS.Repositories:
// "Batch sizes are 1,000 for list repository operations. When the client
// sends the token back to CodeCommit, another page of 1,000 records is
// retrieved" (SDK codecommit api_op_ListRepositories.go; wire shape in
// response_snapshot/ListRepositories.response.snap).
func (a *AWS) listRepositoryPage(w http.ResponseWriter, body []byte) {
	var in struct {
		NextToken string `json:"nextToken"`
	}
	_ = json.Unmarshal(body, &in)
	names := a.repositories()
	size := a.ListPageSize
	if size <= 0 {
		size = 1000
	}
	from := 0
	if in.NextToken != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(in.NextToken, "fake-token-"))
		if err != nil || n <= 0 || n >= len(names) {
			a.t.Errorf("fake AWS: ListRepositories with a token it never sent: %q", in.NextToken)
			a.jsonError(w, "InvalidContinuationTokenException", "The specified continuation token is not valid.")
			return
		}
		from = n
	}
	to := min(from+size, len(names))
	type repo struct{ ID, Name string }
	var page []repo
	for i, n := range names[from:to] {
		page = append(page, repo{awsRepoID(from + i), n})
	}
	next := ""
	if to < len(names) {
		next = fmt.Sprintf("fake-token-%d", to)
	}
	out, _ := a.render("list-repositories-page.json", map[string]any{"Repositories": page, "NextToken": next})
	a.jsonBody(w, http.StatusOK, out)
}

// getRepository answers GetRepository. It needs codecommit:GetRepository
// on the repository's ARN (permissions reference, as above), which a
// policy naming only some repositories (AllowOnly) grants on those alone.
func (a *AWS) getRepository(w http.ResponseWriter, c awsCall, body []byte) {
	var in struct {
		RepositoryName string `json:"repositoryName"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.RepositoryName == "" {
		a.t.Errorf("fake AWS: GetRepository without a repositoryName: %s", body)
		a.jsonError(w, "RepositoryNameRequiredException", "A repository name is required, but was not specified.")
		return
	}
	name := in.RepositoryName
	arn := "arn:aws:codecommit:" + c.region + ":" + AWSAccount + ":" + name
	i := slices.Index(a.repositories(), name) // names are case sensitive (user guide, limits.md)
	switch {
	case slices.Contains(a.DisabledRegions, c.region):
		a.jsonError(w, "UnrecognizedClientException", "The security token included in the request is invalid.")
	case c.key.CodeCommitDown:
		a.jsonErrorStatus(w, http.StatusInternalServerError, "InternalFailure", "We encountered an internal error. Please try again.")
	case c.key.AllowOnly != nil && !slices.Contains(c.key.AllowOnly, name):
		a.jsonError(w, "AccessDeniedException", accessDenied(c.key.arn(), "codecommit:GetRepository", arn))
	case i < 0:
		// The message as CodeCommit words it: "ws-lza-config for
		// 565881944660" (awslabs/landing-zone-accelerator-on-aws#945);
		// the error code is in the SDK's model (types/errors.go).
		a.jsonError(w, "RepositoryDoesNotExistException", name+" for "+AWSAccount)
	default:
		out, _ := a.render("get-repository.json", map[string]any{"Name": name, "ID": awsRepoID(i), "Arn": arn, "Region": c.region, "Account": AWSAccount})
		a.jsonBody(w, http.StatusOK, out)
	}
}

// batchGetRepositories answers BatchGetRepositories: found repositories
// in "repositories", the others by name in "repositoriesNotFound" (SDK
// codecommit api_op_BatchGetRepositories.go; wire shape in
// response_snapshot/BatchGetRepositories.response.snap). "In Resource, you
// must specify the names of all of the CodeCommit repositories for which
// a user is allowed (or denied) information" (permissions reference):
// with a policy naming only some repositories (AllowOnly), asking about
// another fails the whole call; the per-name errors have no code for a
// denial (BatchGetRepositoriesErrorCodeEnum, SDK types/enums.go).
func (a *AWS) batchGetRepositories(w http.ResponseWriter, c awsCall, body []byte) {
	var in struct {
		RepositoryNames []string `json:"repositoryNames"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		a.t.Errorf("fake AWS: BatchGetRepositories without repositoryNames: %s", body)
		a.jsonError(w, "RepositoryNamesRequiredException", "At least one repository name is required, but was not specified.")
		return
	}
	type repo struct{ Name, ID, Arn, Region, Account string }
	var found []repo
	var notFound, outside []string
	for _, name := range in.RepositoryNames {
		if c.key.AllowOnly != nil && !slices.Contains(c.key.AllowOnly, name) {
			outside = append(outside, "arn:aws:codecommit:"+c.region+":"+AWSAccount+":"+name)
		}
		if i := slices.Index(a.repositories(), name); i >= 0 {
			found = append(found, repo{name, awsRepoID(i), "arn:aws:codecommit:" + c.region + ":" + AWSAccount + ":" + name, c.region, AWSAccount})
		} else {
			notFound = append(notFound, name)
		}
	}
	switch {
	case slices.Contains(a.DisabledRegions, c.region):
		a.jsonError(w, "UnrecognizedClientException", "The security token included in the request is invalid.")
	case c.key.CodeCommitDown:
		a.jsonErrorStatus(w, http.StatusInternalServerError, "InternalFailure", "We encountered an internal error. Please try again.")
	case len(in.RepositoryNames) > 100:
		// "The maximum number of allowed repository names was exceeded.
		// Currently, this number is 100." (SDK types/errors.go)
		a.t.Errorf("fake AWS: BatchGetRepositories with %d names", len(in.RepositoryNames))
		a.jsonError(w, "MaximumRepositoryNamesExceededException", "The maximum number of allowed repository names was exceeded. Currently, this number is 100.")
	case len(outside) > 0:
		a.jsonError(w, "AccessDeniedException", accessDenied(c.key.arn(), "codecommit:BatchGetRepositories", outside[0]))
	default:
		out, _ := a.render("batch-get-repositories.json", map[string]any{"Found": found, "NotFound": notFound})
		a.jsonBody(w, http.StatusOK, out)
	}
}

// awsRepoID is a repository ID shaped like CodeCommit's (a UUID).
func awsRepoID(i int) string { return fmt.Sprintf("f7579e13-b83e-4027-aaef-%012d", i) }
