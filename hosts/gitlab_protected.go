package hosts

import (
	"regexp"
	"strings"
)

// Protected branches and the branches the integration creates.
//
// GitLab checks a new branch against every rule whose name or wildcard
// matches it (lib/gitlab/checks/branch_check.rb, protected_branch_checks
// and protected_branch_creation_checks): creating it is allowed when the
// user may push to it, or when the user may merge into it, it starts from
// a commit already in a protected branch, and it is created through the
// web interface or the API ("You can only create protected branches using
// the web interface and API."). Access is the union over all matching
// rules (ProtectedBranch.protected_ref_accessible_to?). The integration
// names its branches itself, so only a rule that matches every name can
// be proven to apply: a wildcard made of "*" alone. Such a rule also
// protects the default branch the new branch starts from, so "may merge"
// is enough for it. Other wildcards ("release/*") matter only for names
// that match them: they are reported, not judged.

// gitlabRule is one rule of GET /projects/:id/protected_branches
// (doc/api/protected_branches.md).
type gitlabRule struct {
	Name  string             `json:"name"`
	Push  []gitlabRuleAccess `json:"push_access_levels"`
	Merge []gitlabRuleAccess `json:"merge_access_levels"`
}

// gitlabRuleAccess is one "allowed to push" or "allowed to merge" entry:
// a role, or (GitLab Premium) a user, a group or a deploy key.
type gitlabRuleAccess struct {
	AccessLevel int    `json:"access_level"`
	Description string `json:"access_level_description"`
	UserID      *int64 `json:"user_id"`
	GroupID     *int64 `json:"group_id"`
	DeployKeyID *int64 `json:"deploy_key_id"`
	// MemberRoleID is a custom role's entry (GitLab Ultimate), which
	// gitpat cannot match against the user.
	MemberRoleID *int64 `json:"member_role_id"`
}

// gitlabRole is what is proven of the user's role in a project: at least
// min and at most max (Gitlab::Access: 10 Guest, 20 Reporter, 30
// Developer, 40 Maintainer, 50 Owner).
type gitlabRole struct {
	min, max int
	admin    bool
	userID   int64
}

// allows says whether an entry lets the user through: true, false, or
// nil when it cannot be known. ProtectedRefAccess#check_access
// (app/models/concerns/protected_ref_access.rb): access level 0 is "No
// one"; 60 is administrators; then by the entry's type: a deploy key
// entry is for that key, a user entry for that user, a group entry for
// that group's members, a custom role's for its holders, a role entry for
// a role at least as high.
func (r gitlabRole) allows(e gitlabRuleAccess) *bool {
	switch {
	case e.DeployKeyID != nil:
		return proven(false)
	case e.UserID != nil:
		return proven(*e.UserID == r.userID)
	case e.GroupID != nil || e.MemberRoleID != nil:
		return nil
	case e.AccessLevel <= 0:
		return proven(false)
	case e.AccessLevel == 60:
		return proven(r.admin)
	case r.min >= e.AccessLevel:
		return proven(true)
	case r.max < e.AccessLevel:
		return proven(false)
	}
	return nil
}

// anyOf is true when one is true, else nil when one is unknown, else
// false.
func anyOf(bs ...*bool) *bool {
	out := proven(false)
	for _, b := range bs {
		switch {
		case isTrue(b):
			return proven(true)
		case b == nil:
			out = nil
		}
	}
	return out
}

// mayPush and mayMerge say whether the rule's entries let the user push,
// or merge.
func (r gitlabRole) mayPush(rule gitlabRule) *bool  { return r.anyEntry(rule.Push) }
func (r gitlabRole) mayMerge(rule gitlabRule) *bool { return r.anyEntry(rule.Merge) }

func (r gitlabRole) anyEntry(es []gitlabRuleAccess) *bool {
	var bs []*bool
	for _, e := range es {
		bs = append(bs, r.allows(e))
	}
	return anyOf(bs...)
}

// gitlabCatchAll reports whether a rule's wildcard matches every branch
// name: "*", "**".
func gitlabCatchAll(name string) bool {
	return name != "" && strings.Trim(name, "*") == ""
}

// gitlabWildcardMatch is Gitlab::RefMatcher: a name with "*" is a
// wildcard where "*" stands for any characters; any other is exact.
func gitlabWildcardMatch(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == name
	}
	re, err := regexp.Compile(`\A` + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\*`, `.*?`) + `\z`)
	return err == nil && re.MatchString(name)
}

// gitlabRules is what a project's rules mean for the integration.
type gitlabRules struct {
	// create says whether the user may create a branch of any name: nil
	// when a rule covering every name has entries gitpat cannot judge.
	create *bool
	// catchAll names the rules covering every name that decide create.
	catchAll []gitlabRule
	// narrower names wildcard rules that would stop the user for names
	// they match.
	narrower []string
	// defaultRule is set when the default branch is protected against the
	// user's pushes.
	defaultProtected bool
}

// judgeRules reads the rules for the user's role.
func judgeRules(rules []gitlabRule, role gitlabRole, defaultBranch string) gitlabRules {
	out := gitlabRules{create: proven(true)}
	var creation []*bool
	var defaultPush []*bool
	for _, rule := range rules {
		may := anyOf(role.mayPush(rule), role.mayMerge(rule))
		switch {
		case gitlabCatchAll(rule.Name):
			out.catchAll = append(out.catchAll, rule)
			creation = append(creation, may)
		case strings.Contains(rule.Name, "*") && !isTrue(may):
			out.narrower = append(out.narrower, rule.Name)
		}
		if defaultBranch != "" && gitlabWildcardMatch(rule.Name, defaultBranch) {
			defaultPush = append(defaultPush, role.mayPush(rule))
		}
	}
	if len(creation) > 0 {
		// Access is the union over the matching rules.
		out.create = anyOf(creation...)
	}
	out.defaultProtected = len(defaultPush) > 0 && !isTrue(anyOf(defaultPush...))
	return out
}

// gitlabRoleName names an access level as GitLab's members page does.
func gitlabRoleName(level int) string {
	switch {
	case level >= 50:
		return "Owner"
	case level >= 40:
		return "Maintainer"
	case level >= 30:
		return "Developer"
	case level >= 20:
		return "Reporter"
	case level >= 15:
		return "Planner"
	case level >= 10:
		return "Guest"
	case level > 0:
		return "Minimal Access"
	}
	return "none"
}

// gitlabAllowedText says who a rule's entries let through: "Maintainers",
// "No one", "Developers + Maintainers".
func gitlabAllowedText(es []gitlabRuleAccess) string {
	var parts []string
	for _, e := range es {
		d := strings.TrimSpace(e.Description)
		if d == "" {
			d = map[int]string{0: "No one", 30: "Developers + Maintainers", 40: "Maintainers", 60: "Admins"}[e.AccessLevel]
		}
		if d != "" && !containsFold(parts, d) {
			parts = append(parts, d)
		}
	}
	if len(parts) == 0 {
		return "No one"
	}
	return strings.Join(parts, ", ")
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
