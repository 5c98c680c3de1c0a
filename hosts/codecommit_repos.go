package hosts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	cctypes "github.com/aws/aws-sdk-go-v2/service/codecommit/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"github.com/gitpat/gitpat/internal/httpx"
)

// What the CodeCommit check proves about the repositories the user named
// (issue 12): that each exists in the region, and the IAM policy
// simulator's verdict for reading it, creating branches and creating pull
// requests on its own ARN. Everything is read; nothing is created.

// codecommitRepoActions are the actions asked about each repository,
// which the RepoReport's read, branch and pull_request stand for. Each
// takes the repository's ARN as its resource (CodeCommit user guide,
// auth-and-access-control-permissions-reference.md: GitPull "Required to
// pull information from a CodeCommit repository", CreateBranch,
// CreatePullRequest; resource arn:aws:codecommit:region:account-id:repository-name).
var codecommitRepoActions = []string{"codecommit:GitPull", "codecommit:CreateBranch", "codecommit:CreatePullRequest"}

const (
	// codecommitARNsPerSimulation is how many repository ARNs one
	// SimulatePrincipalPolicy names. The API reference caps neither
	// ResourceArns nor ActionNames × ResourceArns (ResourceNameListType has
	// no length limit in the model); MaxItems is 1 to 1,000 per page. The
	// calls for more repositories go out at the same time.
	codecommitARNsPerSimulation = 20
	// codecommitMaxSimPages bounds the pages one simulation may take: a
	// page holds at least the three actions of one repository.
	codecommitMaxSimPages = 3 * codecommitARNsPerSimulation
	// codecommitMaxListPages is how many pages of ListRepositories gitpat
	// reads, 1,000 names each ("Batch sizes are 1,000 for list repository
	// operations", SDK codecommit ListRepositoriesInput.NextToken), before
	// it asks for the names still missing one by one.
	codecommitMaxListPages = 5
)

// codecommitRepoARN is a repository's ARN: arn:PARTITION:codecommit:REGION:ACCOUNT:NAME.
func codecommitRepoARN(p awsPrincipal, region, name string) string {
	return "arn:" + p.Partition + ":codecommit:" + region + ":" + p.Account + ":" + name
}

// ccSimKey names one simulated action on one resource.
type ccSimKey struct{ arn, action string }

// ccSim is the simulator's verdict for one action on one repository.
type ccSim struct {
	decision   iamtypes.PolicyEvaluationDecisionType
	statements []iamtypes.Statement
	missing    []string // context keys the simulator had no value for
	boundary   bool     // the permissions boundary does not allow it
	org        bool     // a service control policy does not allow it
}

// ccRepoSims is what the per-repository simulations answered.
type ccRepoSims struct {
	results map[ccSimKey]ccSim
	errs    map[string]error // by repository name: why its simulation failed
}

// simulateRepos asks the policy simulator about codecommitRepoActions on
// each named repository's ARN, codecommitARNsPerSimulation ARNs a call,
// every call at once, following Marker when IAM splits an answer.
func (s *awsSession) simulateRepos(ctx context.Context, p awsPrincipal, names []string) ccRepoSims {
	chunks := slices.Collect(slices.Chunk(names, codecommitARNsPerSimulation))
	got := make([][]iamtypes.EvaluationResult, len(chunks))
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, chunk := range chunks {
		wg.Go(func() {
			arns := make([]string, len(chunk))
			for j, name := range chunk {
				arns[j] = codecommitRepoARN(p, s.region, name)
			}
			pages := iam.NewSimulatePrincipalPolicyPaginator(s.iam, &iam.SimulatePrincipalPolicyInput{
				PolicySourceArn: aws.String(p.ARN), ActionNames: slices.Clone(codecommitRepoActions),
				ResourceArns: arns, MaxItems: aws.Int32(1000),
			}, func(o *iam.SimulatePrincipalPolicyPaginatorOptions) { o.StopOnDuplicateToken = true })
			// Past the bound, what is missing has "no decision".
			for n := 0; pages.HasMorePages() && n < codecommitMaxSimPages; n++ {
				out, err := pages.NextPage(ctx)
				if err != nil {
					errs[i] = err
					return
				}
				got[i] = append(got[i], out.EvaluationResults...)
			}
		})
	}
	wg.Wait()
	sims := ccRepoSims{results: codecommitResourceResults(slices.Concat(got...)), errs: map[string]error{}}
	for i, chunk := range chunks {
		for _, name := range chunk {
			if errs[i] != nil {
				sims.errs[name] = errs[i]
			}
		}
	}
	return sims
}

// codecommitResourceResults reads the simulator's verdict per action and
// resource ARN, from either shape of the answer:
//   - since SDK iam v1.57.0 (CHANGELOG 2026-07-30: the simulator "evaluates
//     SCP conditions and resource scoping"), one result per action whose
//     EvalResourceName is "The ARN template for the simulated resource
//     type … not a specific customer-provided resource ARN. To find the
//     decision for a specific resource, use ResourceSpecificResults"
//     (SDK iam v1.65.0 types/types.go, EvaluationResult); its top-level
//     decision, statements and context values aggregate across resources;
//   - before, one result per action and resource, EvalResourceName the
//     resource's ARN [inferred from the field's earlier documentation].
//
// Only ResourceSpecificResult lacks OrganizationsDecisionDetail, so the
// SCP verdict comes from the action's top level, which may aggregate
// several repositories [inferred].
func codecommitResourceResults(results []iamtypes.EvaluationResult) map[ccSimKey]ccSim {
	out := map[ccSimKey]ccSim{}
	for _, res := range results {
		action := aws.ToString(res.EvalActionName)
		org := res.OrganizationsDecisionDetail != nil && !res.OrganizationsDecisionDetail.AllowedByOrganizations
		if len(res.ResourceSpecificResults) == 0 {
			out[ccSimKey{aws.ToString(res.EvalResourceName), action}] = ccSim{decision: res.EvalDecision, statements: res.MatchedStatements,
				missing: res.MissingContextValues, boundary: boundaryDenies(res.PermissionsBoundaryDecisionDetail), org: org}
			continue
		}
		for _, rs := range res.ResourceSpecificResults {
			out[ccSimKey{aws.ToString(rs.EvalResourceName), action}] = ccSim{decision: rs.EvalResourceDecision, statements: rs.MatchedStatements,
				missing: rs.MissingContextValues, boundary: boundaryDenies(rs.PermissionsBoundaryDecisionDetail), org: org}
		}
	}
	return out
}

func boundaryDenies(d *iamtypes.PermissionsBoundaryDecisionDetail) bool {
	return d != nil && !d.AllowedByPermissionsBoundary
}

// ccFound is whether CodeCommit says a repository exists in the region:
// found is nil when it could not tell, and err says why.
type ccFound struct {
	found *bool
	err   error
}

// ccExistence is what CodeCommit said about the named repositories.
type ccExistence struct {
	found  map[string]ccFound
	listed []string // the names ListRepositories gave, for "did you mean"
}

// existence decides whether each named repository exists, from the
// ListRepositories answer the check already has and its further pages
// while a name is missing. What the list cannot decide (listing not
// allowed: ListRepositories takes only the resource "*", so a policy
// naming repositories does not grant it, permissions reference; or more
// than codecommitMaxListPages pages) one BatchGetRepositories asks, up to
// 100 names ("Currently, this number is 100", SDK codecommit
// MaximumRepositoryNamesExceededException): "repositoriesNotFound" are
// proven absent. It needs the permission on every name at once ("you must
// specify the names of all of the CodeCommit repositories", permissions
// reference; its per-name errors have no code for a denial), so when it
// is denied, GetRepository asks about each name on its own, which
// answers RepositoryDoesNotExistException for a name the region lacks
// (SDK codecommit types/errors.go).
func (s *awsSession) existence(ctx context.Context, names []string, first *codecommit.ListRepositoriesOutput, err error) ccExistence {
	ex := ccExistence{found: map[string]ccFound{}}
	complete := false
	for out, page := first, 1; err == nil && out != nil; page++ {
		for _, rp := range out.Repositories {
			ex.listed = append(ex.listed, aws.ToString(rp.RepositoryName))
		}
		token := aws.ToString(out.NextToken)
		if token == "" {
			complete = true
			break
		}
		if page == codecommitMaxListPages || !slices.ContainsFunc(names, func(n string) bool { return !slices.Contains(ex.listed, n) }) {
			break
		}
		out, err = s.cc.ListRepositories(ctx, &codecommit.ListRepositoriesInput{NextToken: aws.String(token)})
	}
	var ask []string
	for _, name := range names {
		switch {
		case slices.Contains(ex.listed, name): // names are case sensitive (user guide, limits.md)
			ex.found[name] = ccFound{found: proven(true)}
		case complete:
			ex.found[name] = ccFound{found: proven(false)}
		case err == nil || isAWSAccessDenied(err):
			ask = append(ask, name)
		default:
			ex.found[name] = ccFound{err: err}
		}
	}
	var mu sync.Mutex
	set := func(name string, f ccFound) {
		mu.Lock()
		ex.found[name] = f
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for chunk := range slices.Chunk(ask, 100) {
		wg.Go(func() {
			out, err := s.cc.BatchGetRepositories(ctx, &codecommit.BatchGetRepositoriesInput{RepositoryNames: chunk})
			switch {
			case err == nil:
				s.batchFound(chunk, out, set)
			case isAWSAccessDenied(err):
				s.getEach(ctx, chunk, set)
			default:
				for _, name := range chunk {
					set(name, ccFound{err: err})
				}
			}
		})
	}
	wg.Wait()
	return ex
}

// batchFound reads a BatchGetRepositories answer: "repositories" exist,
// "repositoriesNotFound" and errors with RepositoryDoesNotExistException
// do not; the other error codes (a KMS key CodeCommit cannot use) leave
// it unknown. A name in none of them is unknown too.
func (s *awsSession) batchFound(names []string, out *codecommit.BatchGetRepositoriesOutput, set func(string, ccFound)) {
	known := map[string]ccFound{}
	for _, rp := range out.Repositories {
		known[aws.ToString(rp.RepositoryName)] = ccFound{found: proven(true)}
	}
	for _, name := range out.RepositoriesNotFound {
		known[name] = ccFound{found: proven(false)}
	}
	for _, e := range out.Errors {
		if e.ErrorCode == cctypes.BatchGetRepositoriesErrorCodeEnumRepositoryDoesNotExistException {
			known[aws.ToString(e.RepositoryName)] = ccFound{found: proven(false)}
		} else {
			known[aws.ToString(e.RepositoryName)] = ccFound{err: &smithy.GenericAPIError{Code: string(e.ErrorCode), Fault: smithy.FaultServer}}
		}
	}
	for _, name := range names {
		f, ok := known[name]
		if !ok {
			f = ccFound{err: errNotInAnswer}
		}
		set(name, f)
	}
}

// errNotInAnswer: CodeCommit answered, but not about this repository.
var errNotInAnswer = errors.New("not in the answer")

// getEach asks GetRepository about each name, repoParallelism at once.
func (s *awsSession) getEach(ctx context.Context, names []string, set func(string, ccFound)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, repoParallelism)
	for _, name := range names {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, err := s.cc.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String(name)})
			switch {
			case err == nil:
				set(name, ccFound{found: proven(true)})
			case awsErrorCode(err) == "RepositoryDoesNotExistException":
				set(name, ccFound{found: proven(false)})
			default:
				set(name, ccFound{err: err})
			}
		})
	}
	wg.Wait()
}

func isAWSAccessDenied(err error) bool {
	code := awsErrorCode(err)
	return code == "AccessDeniedException" || code == "AccessDenied"
}

// repoReports says, for each named repository, what the answers prove.
// sims is nil when no simulation about repositories was made (a root
// key); its errs say for which repositories it failed.
func (s *awsSession) repoReports(p awsPrincipal, names []string, ex ccExistence, sims *ccRepoSims) []RepoReport {
	out := make([]RepoReport, 0, len(names))
	for _, name := range names {
		rp := RepoReport{Name: name, Kind: "repository", Findings: []Finding{}}
		if !s.repoFound(&rp, p, ex) {
			out = append(out, rp)
			continue
		}
		switch {
		case sims == nil:
			rp.Findings = append(rp.Findings, Finding{Level: Warn,
				Text: "gitpat does not judge a root user's key per repository: the integration must not use it."})
		case sims.errs[name] != nil:
			s.repoSimFailed(&rp, p, sims.errs[name])
		default:
			s.repoAbilities(&rp, p, sims.results)
		}
		out = append(out, rp)
	}
	return out
}

// repoFound fills in whether the repository exists; false when there is
// nothing more to say about it.
func (s *awsSession) repoFound(rp *RepoReport, p awsPrincipal, ex ccExistence) bool {
	f := ex.found[rp.Name]
	no := proven(false)
	var he *httpx.Error
	switch code := awsErrorCode(f.err); {
	case f.found != nil && *f.found:
		rp.Found = f.found
		return true
	case f.found != nil:
		rp.Found, rp.Read, rp.Branch, rp.PullRequest = no, no, no, no
		text := fmt.Sprintf("There is no repository named %s in %s.", rp.Name, s.region)
		if i := slices.IndexFunc(ex.listed, func(n string) bool { return strings.EqualFold(n, rp.Name) }); i >= 0 {
			text += fmt.Sprintf(" There is %s: repository names are case sensitive.", ex.listed[i])
		}
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: text,
			Fix: "Check the name and the region: pick the region where the repository is, and name it exactly as CodeCommit shows it."})
		return false
	case errors.As(f.err, &he) && he.Kind == httpx.KindDNS && !s.custom:
		rp.Found, rp.Read, rp.Branch, rp.PullRequest = no, no, no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "CodeCommit does not run in " + s.region + ", so the repository cannot be there.",
			Fix: "Pick the region where your repositories are.", Link: codecommitEndpointsPage})
		return false
	case code == "UnrecognizedClientException":
		rp.Found, rp.Read, rp.Branch, rp.PullRequest = no, no, no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error,
			Text: "CodeCommit in " + s.region + " does not accept the key: the region is not enabled for this account, so the repository cannot be used there.",
			Fix:  "Pick the region where your repositories are, or ask an administrator to enable " + s.region + " for the account.", Link: codecommitEndpointsPage})
		return false
	case code == "AccessDeniedException" || code == "AccessDenied":
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: fmt.Sprintf("gitpat could not tell whether it exists in %s: user %s may neither list repositories (codecommit:ListRepositories) nor read this one (codecommit:GetRepository).", s.region, p.Name),
			Fix:  "Allow codecommit:GetRepository on this repository, or codecommit:ListRepositories, to user " + p.Name + ", then test again.",
			Link: codecommitUserPage(p.Name, "permissions")})
		return true
	case errors.Is(f.err, errNotInAnswer):
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: "CodeCommit's answer about the repositories in " + s.region + " did not mention it, so whether it exists is not proven.",
			Fix:  "Test again; check the name in the CodeCommit console."})
		return true
	default:
		// A server error, throttling, the network: nothing is known.
		_, fail := s.failure(f.err, "AWS CodeCommit in "+s.region, s.ccNet)
		rp.Unchecked = true
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "gitpat could not check whether it exists: " + fail.Text, Fix: fail.Fix})
		return false
	}
}

// repoSimFailed says why the simulator could not judge the repository:
// not allowed to use it (not proven) or failed (could not check).
func (s *awsSession) repoSimFailed(rp *RepoReport, p awsPrincipal, err error) {
	if isAWSAccessDenied(err) {
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: "It may not use the IAM policy simulator (iam:SimulatePrincipalPolicy), so what it may do in this repository is not proven.",
			Fix: "Ask an AWS administrator to allow user " + p.Name + " iam:SimulatePrincipalPolicy on itself, or to confirm " +
				strings.Join(codecommitRepoActions, ", ") + " on this repository in the IAM policy simulator.",
			Link: codecommitPolicySimulator})
		return
	}
	_, fail := s.failure(err, "AWS IAM", s.iamNet)
	rp.Unchecked = true
	rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "gitpat could not check what it may do in this repository: " + fail.Text,
		Fix: "Test again in a few minutes.", Link: codecommitPolicySimulator})
}

// repoAbilities reads the simulator's verdict for each action on the
// repository's ARN into read, branch and pull_request, with one finding
// per cause.
func (s *awsSession) repoAbilities(rp *RepoReport, p awsPrincipal, results map[ccSimKey]ccSim) {
	arn := codecommitRepoARN(p, s.region, rp.Name)
	abilities := []**bool{&rp.Read, &rp.Branch, &rp.PullRequest}
	type cause struct{ kind, policies string }
	var order []cause
	byCause := map[cause][]string{}
	for i, action := range codecommitRepoActions {
		res, ok := results[ccSimKey{arn, action}]
		var c cause
		switch {
		case !ok:
			c.kind = "undecided"
		case res.decision == iamtypes.PolicyEvaluationDecisionTypeExplicitDeny:
			*abilities[i] = proven(false)
			c = cause{"explicit", strings.TrimPrefix(matchedPolicies(res.statements), ": see ")}
			if c.policies == "" && res.org {
				// An SCP's deny: MatchedStatements never lists SCP
				// statements (types.go, EvaluationResult.MatchedStatements).
				c.kind = "scp"
			}
		case len(safeNames(res.missing)) > 0:
			// An allow or a deny under conditions the simulator had no
			// values for: not proven either way.
			c = cause{"conditional", shortList(safeNames(res.missing), 4)}
		case res.decision == iamtypes.PolicyEvaluationDecisionTypeAllowed:
			*abilities[i] = proven(true)
			continue
		case res.decision != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny:
			c.kind = "undecided"
		case res.boundary:
			*abilities[i] = proven(false)
			c.kind = "boundary"
		case res.org:
			*abilities[i] = proven(false)
			c.kind = "scp"
		default:
			*abilities[i] = proven(false)
			c = cause{"implicit", codecommitAllowedElsewhere(results, arn, action)}
		}
		if _, seen := byCause[c]; !seen {
			order = append(order, c)
		}
		byCause[c] = append(byCause[c], action)
	}
	perms := codecommitUserPage(p.Name, "permissions")
	for _, c := range order {
		actions := byCause[c]
		what := doing(actions) + " here (" + strings.Join(actions, ", ") + ")"
		var f Finding
		switch c.kind {
		case "explicit":
			see := ""
			if c.policies != "" {
				see = ": see " + c.policies
			}
			f = Finding{Level: Error, Text: "A policy explicitly denies it to " + what + see + ".",
				Fix:  "Remove or narrow that Deny statement in the policies of user " + p.Name + " or its groups: a deny overrides every allow.",
				Link: perms}
		case "scp":
			f = Finding{Level: Error, Text: "A service control policy of your AWS organization does not allow it to " + what + ".",
				Fix: "Ask the organization's administrators to allow " + strings.Join(actions, ", ") + " on this repository in AWS Organizations."}
		case "boundary":
			f = Finding{Level: Error, Text: "The permissions boundary of user " + p.Name + " does not allow it to " + what + ".",
				Fix: "Add " + strings.Join(actions, ", ") + " on " + arn + " to the user's permissions boundary, or remove the boundary.", Link: perms}
		case "conditional":
			f = Finding{Level: Warn, Text: "A policy decides whether it may " + what + " by conditions on " + c.policies +
				", which the simulator could not evaluate: gitpat cannot tell whether the integration's requests meet them.",
				Fix: "Check these conditions in the policies of user " + p.Name + " against how the integration connects.", Link: perms}
		case "implicit":
			text := "No policy of IAM user " + p.Name + " allows it to " + doing(actions) + " in this repository (" + strings.Join(actions, ", ") + ")"
			where := "the policy statement that allows them to user " + p.Name
			if c.policies != "" {
				text += "; " + c.policies + " allows that on other repositories only"
				where = "the statement in " + c.policies + " that allows them"
			}
			f = Finding{Level: Error, Text: text + ".",
				Fix:  "Add this repository's ARN, " + arn + ", to the Resource of " + where + ", or attach a policy that allows them on this repository.",
				Link: perms}
		default:
			f = Finding{Level: Warn, Text: "The IAM policy simulator gave no decision for " + strings.Join(actions, ", ") + " on this repository.",
				Fix: "Test again; if it persists, check these actions on " + arn + " in the IAM policy simulator.", Link: codecommitPolicySimulator}
		}
		rp.Findings = append(rp.Findings, f)
	}
}

// codecommitAllowedElsewhere names the policies that allowed action on
// another named repository: a policy scoped to other repositories' ARNs,
// which the simulator names when it allows, never when nothing allows.
func codecommitAllowedElsewhere(results map[ccSimKey]ccSim, arn, action string) string {
	var ids []string
	for k, res := range results {
		if k.action == action && k.arn != arn && res.decision == iamtypes.PolicyEvaluationDecisionTypeAllowed {
			for _, st := range res.statements {
				ids = append(ids, aws.ToString(st.SourcePolicyId))
			}
		}
	}
	ids = safeNames(ids)
	slices.Sort(ids)
	return shortList(ids, 3)
}
