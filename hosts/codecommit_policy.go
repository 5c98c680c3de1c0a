package hosts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// permissions reads the policy simulator's decisions; it reports whether
// it could. With perRepo the simulator has also judged each named
// repository's ARN, and those verdicts decide what the integration needs:
// a policy that names repositories allows nothing on every repository
// ("*"), so the account-wide answer is then only context.
func (s *awsSession) permissions(r *Report, p awsPrincipal, out *iam.SimulatePrincipalPolicyOutput, err error, perRepo bool) bool {
	if err != nil || out == nil {
		r.Unverified = append(r.Unverified, codecommitNeeds...)
		fix := "Ask an AWS administrator to confirm in the IAM policy simulator that user " + p.Name +
			" is allowed codecommit:CreateBranch and codecommit:CreatePullRequest; allowing the user iam:SimulatePrincipalPolicy on itself lets gitpat check this."
		if code := awsErrorCode(err); code == "AccessDenied" || code == "AccessDeniedException" {
			r.Outcome = max(r.Outcome, Insufficient)
			r.Summary = "The key works, but gitpat could not verify that it may create branches and pull requests."
			r.add(Finding{Level: Warn,
				Text: "It may not use the IAM policy simulator (iam:SimulatePrincipalPolicy), so gitpat could not verify that it may create branches and pull requests.",
				Fix:  fix, Link: codecommitPolicySimulator})
			return false
		}
		// The simulator failed (a server error, throttling, the network):
		// nothing is known about the permissions, which is "could not
		// check", not "insufficient".
		text := "AWS IAM sent no simulation."
		if err != nil {
			_, f := s.failure(err, "AWS IAM", s.iamNet)
			text = f.Text
		}
		r.Outcome = Unchecked
		r.Summary = "The key works, but gitpat could not check whether it may create branches and pull requests."
		r.add(Finding{Level: Error, Text: "gitpat could not check that it may create branches and pull requests: " + text,
			Fix: "Test again in a few minutes. If it persists: " + lower(fix), Link: codecommitPolicySimulator})
		return false
	}

	results := map[string]iamtypes.EvaluationResult{}
	for _, res := range out.EvaluationResults {
		results[aws.ToString(res.EvalActionName)] = res
	}
	// need reports a needed action the account-wide answer does not
	// allow: missing, or with perRepo a warning about every repository.
	scope, perms := "", codecommitUserPage(p.Name, "permissions")
	if perRepo {
		scope = " in general (resource *)"
	}
	need := func(action string, f Finding) {
		if perRepo {
			f.Level = min(f.Level, Warn)
		} else {
			r.Missing = append(r.Missing, action)
		}
		r.add(f)
	}
	var implicit, readDenied, undecided, conditional []string
	allowed := 0
	for _, action := range codecommitActions {
		res := results[action]
		switch res.EvalDecision {
		case iamtypes.PolicyEvaluationDecisionTypeAllowed:
			r.Scopes = append(r.Scopes, action)
			if slices.Contains(codecommitNeeds, action) {
				allowed++
			}
			continue
		case iamtypes.PolicyEvaluationDecisionTypeExplicitDeny, iamtypes.PolicyEvaluationDecisionTypeImplicitDeny:
		default:
			undecided = append(undecided, action)
			continue
		}
		if !slices.Contains(codecommitNeeds, action) {
			if !perRepo || action != "codecommit:GitPull" { // each named repository says whether it may be read
				readDenied = append(readDenied, action)
			}
			continue
		}
		what := codecommitDoing[action] + " (" + action + ")" + scope
		switch {
		case res.OrganizationsDecisionDetail != nil && !res.OrganizationsDecisionDetail.AllowedByOrganizations:
			need(action, Finding{Level: Error,
				Text: "A service control policy of your AWS organization denies it to " + what + ".",
				Fix:  "Ask the organization's administrators to allow " + action + " for this account in AWS Organizations."})
		case res.EvalDecision == iamtypes.PolicyEvaluationDecisionTypeExplicitDeny:
			need(action, Finding{Level: Error,
				Text: "A policy explicitly denies it to " + what + matchedPolicies(res.MatchedStatements) + ".",
				Fix:  "Remove or narrow that Deny statement in the policies of user " + p.Name + " or its groups: a deny overrides every allow.",
				Link: perms})
		case res.PermissionsBoundaryDecisionDetail != nil && !res.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary:
			need(action, Finding{Level: Error,
				Text: "The permissions boundary of user " + p.Name + " does not allow it to " + what + ".",
				Fix:  "Add " + action + " to the user's permissions boundary, or remove the boundary.",
				Link: perms})
		case len(safeNames(res.MissingContextValues)) > 0:
			// A policy may allow it under conditions the simulator was not
			// given values for: not proven either way.
			conditional = append(conditional, action)
			r.add(Finding{Level: Warn, Text: "A policy allows " + action + scope + " only under conditions on " + shortList(safeNames(res.MissingContextValues), 4) +
				", which the simulator could not evaluate: gitpat cannot tell whether the integration's requests meet them.",
				Fix: "Check these conditions in the user's policies against how the integration connects.", Link: perms})
		default:
			if !perRepo {
				r.Missing = append(r.Missing, action)
			}
			implicit = append(implicit, action)
		}
	}
	if !perRepo {
		for _, action := range undecided {
			if slices.Contains(codecommitNeeds, action) {
				r.Unverified = append(r.Unverified, action)
			}
		}
		r.Unverified = append(r.Unverified, conditional...)
	}
	if len(undecided) > 0 {
		r.add(Finding{Level: Warn, Text: "The IAM policy simulator gave no decision for " + strings.Join(undecided, ", ") + scope + ".",
			Fix: "Test again; if it persists, check these actions in the IAM policy simulator.", Link: codecommitPolicySimulator})
	}
	switch {
	case len(implicit) > 0 && perRepo:
		r.add(Finding{Level: Info,
			Text: fmt.Sprintf("No policy of IAM user %s allows it to %s (%s) on every repository (resource *); gitpat judged each repository named below on its own.",
				p.Name, doing(implicit), strings.Join(implicit, ", "))})
	case len(implicit) > 0:
		r.add(Finding{Level: Error,
			Text: fmt.Sprintf("No policy of IAM user %s allows it to %s (%s) on all repositories.", p.Name, doing(implicit), strings.Join(implicit, ", ")),
			Fix: "Attach a policy that allows codecommit:CreateBranch and codecommit:CreatePullRequest to the user, such as the AWS managed policy AWSCodeCommitPowerUser. " +
				"If the user's policy names particular repositories, name them in the repository field: gitpat then checks each.",
			Link: perms})
	}
	switch {
	case len(r.Missing) == 0 && len(r.Unverified) == 0:
		r.Outcome = Sufficient
		if allowed == len(codecommitNeeds) {
			r.add(Finding{Level: Info, Text: "It may create branches and pull requests (codecommit:CreateBranch, codecommit:CreatePullRequest)" + scope + "."})
		}
	default:
		r.Outcome = Insufficient
	}
	if len(readDenied) > 0 {
		r.add(Finding{Level: Warn,
			Text: fmt.Sprintf("It may not %s (%s): the integration reads the repositories it links to Jira.", doing(readDenied), strings.Join(readDenied, ", ")),
			Fix:  "Allow these actions to user " + p.Name + " too, for example with the AWS managed policy AWSCodeCommitReadOnly.",
			Link: perms})
	}
	return true
}

// doing joins what actions let the integration do.
func doing(actions []string) string {
	out := make([]string, 0, len(actions))
	for _, a := range actions {
		out = append(out, codecommitDoing[a])
	}
	if len(out) <= 1 {
		return strings.Join(out, "")
	}
	return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
}

// matchedPolicies names the policies whose statements decided.
func matchedPolicies(statements []iamtypes.Statement) string {
	var ids []string
	for _, st := range statements {
		ids = append(ids, aws.ToString(st.SourcePolicyId))
	}
	if ids = safeNames(ids); len(ids) == 0 {
		return ""
	}
	return ": see " + shortList(ids, 3)
}

// safeNames keeps the names an AWS answer lists that are fit to show.
func safeNames(names []string) []string {
	var out []string
	for _, n := range names {
		if n != "" && len(n) <= 128 && !strings.ContainsFunc(n, func(r rune) bool { return r <= ' ' || r > '~' }) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
