package hosts

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// gitlabRepoInput is everything the verdict on one name rests on: the
// answers (gitlab_repos.go) and what the base round learned.
type gitlabRepoInput struct {
	web, name string
	acct      gitlabAccount
	hostName  string // "GitLab", "The GitLab server"
	token     string // only to keep it out of quoted server text
	answers   gitlabRepoAnswers
}

// gitlabRESTProject is the part of GET /projects/:id the verdict reads
// (doc/api/projects.md, "Get a single project").
type gitlabRESTProject struct {
	PathWithNamespace string  `json:"path_with_namespace"`
	DefaultBranch     *string `json:"default_branch"`
	Archived          bool    `json:"archived"`
	EmptyRepo         bool    `json:"empty_repo"`
	Visibility        string  `json:"visibility"`
	MergeRequests     string  `json:"merge_requests_access_level"`
	Repository        string  `json:"repository_access_level"`
	Permissions       *struct {
		Project *struct {
			AccessLevel int `json:"access_level"`
		} `json:"project_access"`
		Group *struct {
			AccessLevel int `json:"access_level"`
		} `json:"group_access"`
	} `json:"permissions"`
	SharedWithGroups []json.RawMessage `json:"shared_with_groups"`
}

// gitlabRepoReport is the verdict on one name. It is pure: it reads the
// answers and says what they prove.
func gitlabRepoReport(in gitlabRepoInput) RepoReport {
	a := in.answers
	kind := "project"
	if !strings.Contains(in.name, "/") {
		kind = "group"
	}
	for _, ans := range []*answer{a.project, a.protected, a.branches, a.members, a.graph.failed} {
		if f, failed := in.failed(ans); failed {
			return RepoReport{Kind: kind, Unchecked: true, Findings: []Finding{f}}
		}
	}
	if kind == "group" {
		return in.groupReport()
	}
	resp := a.project.resp
	if resp.Status == http.StatusOK && isJSON(resp.Header) {
		return in.projectReport()
	}
	e := parseGitLabError(resp.Body)
	switch {
	case resp.Status == http.StatusNotFound && a.graph.trusted && a.graph.group != nil:
		return in.groupReport()
	case resp.Status == http.StatusNotFound:
		return in.notFound("project")
	case resp.Status == http.StatusForbidden && e.Error == "insufficient_scope":
		return gitlabNoAPI(in.name, in.acct)
	case resp.Status == http.StatusForbidden:
		return RepoReport{Kind: kind, Findings: []Finding{{Level: Error,
			Text: fmt.Sprintf("%s refused to describe this project: %q, so nothing about it is proven.", in.hostName, in.quote(orDefault(e.Message, "403 Forbidden"))),
			Fix:  "Do what the message says, or ask your GitLab administrator.", Link: in.web + "/" + in.name}}}
	}
	return RepoReport{Kind: kind, Unchecked: true, Findings: []Finding{in.unexpected(resp.Status)}}
}

// failed says whether an answer leaves the name unchecked: the network,
// a server error, a rate limit, a web page instead of the API, or a token
// refused between two requests.
func (in gitlabRepoInput) failed(a *answer) (Finding, bool) {
	switch {
	case a == nil:
		return Finding{}, false
	case a.err != nil:
		_, f := transportFinding(a.err, in.hostName)
		return f, true
	case a.resp.Status == http.StatusTooManyRequests:
		return gitlabRateLimit(a.resp.Header), true
	case a.resp.Status >= 500:
		return Finding{Level: Error,
			Text: fmt.Sprintf("%s answered a request about it with a server error (%d %s), so gitpat could not check it; this is not about your token.", in.hostName, a.resp.Status, http.StatusText(a.resp.Status)),
			Fix:  "Test again in a few minutes."}, true
	case a.resp.Status == http.StatusUnauthorized:
		return Finding{Level: Error, Text: in.hostName + " refused the token while gitpat checked this; it may have been revoked just now.",
			Fix: "Test again; if it is refused, create a new token.", Link: in.acct.page}, true
	case isHTML(a.resp):
		return Finding{Level: Error, Text: in.hostName + " answered a request about it with a web page, not its API, so gitpat could not check it.",
			Fix: "Test again; a proxy or a sign-in page may be in the way."}, true
	}
	return Finding{}, false
}

func (in gitlabRepoInput) unexpected(status int) Finding {
	return Finding{Level: Error,
		Text: fmt.Sprintf("%s gave an unexpected answer (%d %s) about it, so gitpat could not check it.", in.hostName, status, http.StatusText(status)),
		Fix:  "Test again later; if it persists, ask your GitLab administrator."}
}

func (in gitlabRepoInput) quote(s string) string {
	return strings.TrimSuffix(serverText(s, in.token), ".")
}

// who names the token's user in a sentence.
func (in gitlabRepoInput) who() string { return orDefault(in.acct.username, "This account") }

// gitlabNoAPI is the verdict for a token that may not use GitLab's API.
func gitlabNoAPI(name string, acct gitlabAccount) RepoReport {
	kind := "project"
	if !strings.Contains(name, "/") {
		kind = "group"
	}
	no := proven(false)
	return RepoReport{Kind: kind, Read: no, Branch: no, PullRequest: no, Findings: []Finding{{Level: Error,
		Text: "The token may not use GitLab's API (it has neither api nor read_api), so the integration can do nothing here and gitpat could not look at it either.",
		Fix:  "Create a token with the api scope; GitLab cannot add a scope to an existing token.", Link: acct.page}}}
}

// notFound is the verdict for a name GitLab does not show this user.
func (in gitlabRepoInput) notFound(kind string) RepoReport {
	no := proven(false)
	text := fmt.Sprintf("GitLab found no project at %s: it does not exist, or %s may not see it. GitLab answers the same in both cases.", in.name, in.who())
	fix := fmt.Sprintf("Check the path: it is the project's address after the server (group/subgroup/project). If it is right, ask a Maintainer of the project to add %s with the Developer role.", in.who())
	if kind == "group" {
		text = fmt.Sprintf("GitLab found no group at %s: it does not exist, or %s may not see it. GitLab answers the same in both cases.", in.name, in.who())
		fix = fmt.Sprintf("Check the group's path as in its address. A user's personal namespace is not a group: name its projects (user/project). If the path is right, ask an Owner of the group to add %s.", in.who())
	}
	return RepoReport{Kind: kind, Found: no, Read: no, Branch: no, PullRequest: no,
		Findings: []Finding{{Level: Error, Text: text, Fix: fix, Link: in.web + "/" + in.name}}}
}

// projectReport is the verdict on a project GitLab described.
func (in gitlabRepoInput) projectReport() RepoReport {
	a := in.answers
	var p gitlabRESTProject
	if json.Unmarshal(a.project.resp.Body, &p) != nil || p.PathWithNamespace == "" {
		return RepoReport{Kind: "project", Unchecked: true, Findings: []Finding{in.unexpected(a.project.resp.Status)}}
	}
	rp := RepoReport{Kind: "project", Found: proven(true)}
	add := func(f Finding) { rp.Findings = append(rp.Findings, f) }
	path := in.name
	if canonical := serverText(p.PathWithNamespace, in.token); !strings.EqualFold(canonical, in.name) && validGitLabPath(canonical) {
		// GitLab follows an old path after a rename or move (REST redirects;
		// GraphQL does not): the project's own path from now on.
		path = canonical
		add(Finding{Level: Warn, Text: fmt.Sprintf("GitLab knows this project as %s now (it was renamed or moved).", canonical),
			Fix: "Name it " + canonical + " here and in the integration.", Link: in.web + "/" + canonical})
	}
	page := in.web + "/" + path
	members, edit, repoSettings := page+"/-/project_members", page+"/edit", page+"/-/settings/repository"
	who := in.who()

	direct, inGroup := 0, 0
	if p.Permissions != nil && p.Permissions.Project != nil {
		direct = p.Permissions.Project.AccessLevel
	}
	if p.Permissions != nil && p.Permissions.Group != nil {
		inGroup = p.Permissions.Group.AccessLevel
	}
	role := gitlabRole{min: max(direct, inGroup), max: 50, admin: in.acct.admin, userID: in.acct.userID}

	var uRead, uBranch, uMR *bool
	gp := a.graph.project
	if !a.graph.trusted || (gp != nil && !strings.EqualFold(gp.FullPath, path) && !strings.EqualFold(gp.FullPath, in.name)) {
		gp = nil
	}
	archived := p.Archived || (gp != nil && gp.Archived)
	repoOff, mrOff := p.Repository == "disabled", p.MergeRequests == "disabled"
	if gp != nil {
		perm := gp.Permissions
		uRead, uBranch = proven(perm.DownloadCode), proven(perm.PushCode)
		uMR = proven(perm.CreateMergeRequestFrom && perm.CreateMergeRequestIn)
		if !in.acct.admin {
			// ProtectedRefAccess compares roles, which an administrator
			// need not have: bound the role from the policy only for others.
			if perm.PushCode {
				role.min = max(role.min, 30)
			}
			if perm.AdminProject {
				role.min = max(role.min, 40)
			} else {
				role.max = 39
			}
		}
	} else {
		// GitLab's REST answer alone proves refusals, never permission.
		if archived {
			uBranch, uMR = proven(false), proven(false)
		}
		if repoOff {
			uRead, uBranch, uMR = proven(false), proven(false), proven(false)
		}
		if mrOff {
			uMR = proven(false)
		}
		problem := a.graph.problem
		if a.graph.trusted {
			problem = "its GraphQL API did not find the project under this path"
		}
		add(Finding{Level: Warn, Text: "gitpat could not use GitLab's own permission check for this project (" + problem + "), so what GitLab's REST answers cannot prove stays unproven.",
			Fix: "Test again; if it persists, ask your GitLab administrator whether GraphQL (/api/graphql) is reachable."})
	}

	tokWrite := in.acct.scope("api")
	notEmpty := proven(!p.EmptyRepo)
	var rules gitlabRules
	rulesKnown := proven(true)
	if !isFalse(uBranch) && !p.EmptyRepo {
		rules, rulesKnown = in.protection(role, p, add, repoSettings)
	}
	rp.Read = allOf(proven(true), uRead) // the 200 proves the token may read through the API
	rp.Branch = allOf(tokWrite, uBranch, notEmpty, rulesKnown)
	rp.PullRequest = allOf(tokWrite, uMR, notEmpty)

	switch {
	case archived:
		add(Finding{Level: Error, Text: "The project is archived, so it is read-only: no one can create branches or merge requests in it.",
			Fix: "Ask an Owner of the project to unarchive it (Settings → General → Advanced), or name another project.", Link: edit})
	case repoOff:
		add(Finding{Level: Error, Text: "The project's repository is turned off, so there is no code to read or branch from.",
			Fix: "A Maintainer can turn Repository on under Settings → General → Visibility, project features, permissions.", Link: edit})
	case isFalse(uBranch) || isFalse(uRead):
		text := fmt.Sprintf("%s's role here is %s; creating branches and merge requests needs Developer or higher.", who, gitlabRoleName(role.min))
		fix := "Ask a Maintainer or Owner of the project to give " + who + " the Developer role."
		switch {
		case role.min == 0:
			text = fmt.Sprintf("%s is not a member of this project or its group, and any access through a group it is shared with is below Developer; creating branches and merge requests needs Developer or higher.", who)
		case role.min >= 30:
			// The policy refuses what the role allows: SAML SSO enforcement
			// (EE ProjectPolicy: needs_new_sso_session → no access) or a
			// group's IP restriction.
			text = fmt.Sprintf("%s's role here is %s, yet GitLab does not let it push: the group may want a new SAML single sign-on, or allow only certain IP addresses.", who, gitlabRoleName(role.min))
			fix = "Sign in to GitLab in the browser (through the group's single sign-on if it has one) and test again; otherwise ask an Owner of the group."
		}
		if isFalse(uRead) {
			text += " It cannot read the code either."
		}
		add(Finding{Level: Error, Text: text, Fix: fix, Link: members})
	}
	if !archived && !repoOff && isTrue(uBranch) && isFalse(uMR) {
		text := "GitLab does not let " + who + " open merge requests here."
		if mrOff {
			text = "Merge requests are turned off for this project."
		} else if p.MergeRequests == "private" {
			text = "Merge requests here are for project members only, and " + who + " is not one with access to them."
		}
		add(Finding{Level: Error, Text: text,
			Fix: "A Maintainer can turn merge requests on for everyone with access under Settings → General → Visibility, project features, permissions.", Link: edit})
	}
	if p.EmptyRepo && !archived && !repoOff {
		add(Finding{Level: Error, Text: "The repository is empty: there is no branch yet to start a new branch or a merge request from.",
			Fix: "Push a first commit (GitLab then creates the default branch), then test again.", Link: page})
	}
	switch {
	case isFalse(tokWrite):
		add(Finding{Level: Error, Text: "The token lacks the api scope: GitLab's API creates branches and merge requests only for a token with api.",
			Fix: "Create a token with the api scope; GitLab cannot add a scope to an existing token.", Link: in.acct.page})
	case tokWrite == nil && !isFalse(uBranch):
		add(Finding{Level: Warn, Text: "GitLab " + orDefault(in.acct.version, "on this server") + " cannot show this token's scopes, so whether it has api, which creating branches and merge requests needs, is not proven.",
			Fix: "Check on the token page that this token has the api scope.", Link: in.acct.page})
	}
	if gp != nil && gp.Permissions.PushCode && !in.acct.admin && max(direct, inGroup) < 30 {
		add(Finding{Level: Info, Text: who + " has Developer access or more here through a group the project (or its group) is shared with: GitLab's REST permissions leave such access out, its own permission check shows it."})
	}
	if rules.defaultProtected && p.DefaultBranch != nil && isTrue(rp.Branch) {
		def := serverText(*p.DefaultBranch, in.token)
		add(Finding{Level: Info, Text: fmt.Sprintf("The default branch %s is protected, and %s may not push to it. The integration does not need to: it creates its own branches and opens merge requests into %s.", def, who, def)})
	}
	return rp
}

// protection reads the protected branch rules (or, where the user may not
// read them, a few branches) for a user who may push: whether a rule
// stops every new branch.
func (in gitlabRepoInput) protection(role gitlabRole, p gitlabRESTProject, add func(Finding), settings string) (gitlabRules, *bool) {
	a := in.answers
	def := ""
	if p.DefaultBranch != nil {
		def = *p.DefaultBranch
	}
	who := in.who()
	switch st := a.protected.resp.Status; {
	case st == http.StatusOK && isJSON(a.protected.resp.Header):
		var list []gitlabRule
		if json.Unmarshal(a.protected.resp.Body, &list) != nil {
			add(Finding{Level: Warn, Text: in.hostName + " sent protected branch rules gitpat cannot read, so whether a rule stops new branches is not proven.", Link: settings})
			return gitlabRules{}, nil
		}
		rules := judgeRules(list, role, def)
		if len(list) >= 100 && len(rules.catchAll) == 0 {
			// GitLab lists at most 100 rules (ProtectedBranchesFinder::LIMIT).
			add(Finding{Level: Warn, Text: "The project has 100 or more protected branch rules, more than GitLab lists at once, so a rule covering every new branch cannot be ruled out.",
				Fix: "Ask a Maintainer to check Settings → Repository → Protected branches for a rule named *.", Link: settings})
			return rules, nil
		}
		if len(rules.catchAll) > 0 && !isTrue(rules.create) {
			r := rules.catchAll[0]
			text := fmt.Sprintf("Every new branch is protected here: the rule %q allows pushing to %s and merging to %s only", serverText(r.Name, in.token),
				serverText(gitlabAllowedText(r.Push), in.token), serverText(gitlabAllowedText(r.Merge), in.token))
			level := Error
			if rules.create == nil {
				level = Warn
				text += fmt.Sprintf(", and whether %s is among them depends on groups gitpat cannot check.", who)
			} else {
				text += fmt.Sprintf(", and %s is a %s.", who, gitlabRoleName(role.min))
			}
			add(Finding{Level: level, Text: text,
				Fix:  "Ask a Maintainer to let Developers merge (or push) under that rule in Settings → Repository → Protected branches, or to remove it.",
				Link: settings})
		}
		if len(rules.narrower) > 0 {
			names := make([]string, 0, len(rules.narrower))
			for _, n := range rules.narrower {
				names = append(names, serverText(n, in.token))
			}
			add(Finding{Level: Info, Text: fmt.Sprintf("Branches named like %s are protected here against %s: the integration's branches must be named otherwise.", shortList(names, 3), who),
				Link: settings})
		}
		return rules, rules.create
	case st == http.StatusForbidden:
		// Before GitLab 15.11 or so only Maintainers may list the rules. An
		// existing branch no rule protects proves no rule covers every name.
		if a.branches != nil && a.branches.resp.Status == http.StatusOK {
			var branches []struct {
				Name      string `json:"name"`
				Protected bool   `json:"protected"`
			}
			if json.Unmarshal(a.branches.resp.Body, &branches) == nil {
				for _, b := range branches {
					if !b.Protected {
						add(Finding{Level: Info, Text: fmt.Sprintf("GitLab %s shows protected branch rules only to Maintainers, but branch %s is not protected, so no rule protects every new branch.",
							orDefault(in.acct.version, "here"), serverText(b.Name, in.token))})
						return gitlabRules{create: proven(true)}, proven(true)
					}
				}
			}
		}
		add(Finding{Level: Warn, Text: fmt.Sprintf("GitLab %s shows protected branch rules only to Maintainers, and every branch gitpat could see is protected, so a rule that protects every new branch (*) cannot be ruled out.",
			orDefault(in.acct.version, "here")),
			Fix:  "Ask a Maintainer to check Settings → Repository → Protected branches: unless a rule named * keeps Developers from pushing and merging, the integration can create branches.",
			Link: settings})
		return gitlabRules{}, nil
	}
	add(Finding{Level: Warn, Text: fmt.Sprintf("%s gave an unexpected answer (%d %s) to the request for its protected branch rules, so whether a rule stops new branches is not proven.",
		in.hostName, a.protected.resp.Status, http.StatusText(a.protected.resp.Status)),
		Fix: "Test again; if it persists, ask a Maintainer to check Settings → Repository → Protected branches for a rule named *.", Link: settings})
	return gitlabRules{}, nil
}

// groupReport is the verdict on a group named as an entry: the user's
// role in it, which every project in it inherits (a member of a group is
// a member of its subgroups and projects with at least that role).
func (in gitlabRepoInput) groupReport() RepoReport {
	a := in.answers
	rp := RepoReport{Kind: "group"}
	add := func(f Finding) { rp.Findings = append(rp.Findings, f) }
	who := in.who()
	page := in.web + "/groups/" + in.name
	members := page + "/-/group_members"

	level, levelKnown, found := 0, false, (*bool)(nil)
	if m := a.members; m != nil {
		switch e := parseGitLabError(m.resp.Body); {
		case m.resp.Status == http.StatusOK && isJSON(m.resp.Header):
			var member struct {
				AccessLevel int `json:"access_level"`
			}
			if json.Unmarshal(m.resp.Body, &member) != nil {
				return RepoReport{Kind: "group", Unchecked: true, Findings: []Finding{in.unexpected(m.resp.Status)}}
			}
			level, levelKnown, found = member.AccessLevel, true, proven(true)
		case m.resp.Status == http.StatusNotFound && e.Message == "404 Group Not Found":
			// find_group!: no such group for this user.
			return in.notFound("group")
		case m.resp.Status == http.StatusNotFound:
			// The group is there; the user is no member of it.
			levelKnown, found = true, proven(true)
		case m.resp.Status == http.StatusForbidden && e.Error == "insufficient_scope":
			return gitlabNoAPI(in.name, in.acct)
		default:
			return RepoReport{Kind: "group", Unchecked: true, Findings: []Finding{in.unexpected(m.resp.Status)}}
		}
	}
	// GitLab's own check (GraphQL's group, which GroupPolicy's read_group
	// decides) must show the group for any ability to be proven.
	seen := a.graph.trusted && a.graph.group != nil
	switch {
	case a.graph.trusted && !seen && found == nil:
		return in.notFound("group")
	case !a.graph.trusted:
		add(Finding{Level: Warn, Text: "gitpat could not use GitLab's own check for this group (" + a.graph.problem + "), so what its member list says is not proof."})
	case !seen:
		add(Finding{Level: Warn, Text: "GitLab's own check does not show this group to " + who + ", though its member list does (SAML single sign-on may want a new sign-in), so nothing here is proven.",
			Link: page})
	}
	rp.Found = found
	if seen {
		rp.Found = proven(true)
	}
	// members/all counts memberships through a group this group is shared
	// with from 17.0 on (feature flag webui_members_inherited_users, on by
	// default in 17.0, removed in 17.4: doc/api/members.md). Before, a
	// role below Developer may not be the whole story; nor is it for an
	// administrator, who may act without a membership.
	major, _, ok := parseGitLabVersion(in.acct.version)
	sharesCounted := ok && major >= 17
	exact := levelKnown && sharesCounted && !in.acct.admin
	tokWrite := in.acct.scope("api")
	switch {
	case levelKnown && level >= 30:
		if seen {
			rp.Read, rp.Branch, rp.PullRequest = proven(true), allOf(tokWrite, proven(true)), allOf(tokWrite, proven(true))
		}
		add(Finding{Level: Info, Text: fmt.Sprintf("%s's role in this group is %s, which every project in it inherits: the integration may create branches and open merge requests there.", who, gitlabRoleName(level))})
		add(Finding{Level: Info, Text: "A project can still be archived, turn merge requests off or protect every new branch: name a project (group/project) to check it there."})
	case levelKnown:
		role := "not a member of this group or of a group above it"
		if level > 0 {
			role = "a " + gitlabRoleName(level) + " in this group"
		}
		if level >= 20 && seen {
			rp.Read = proven(true)
		} else if level < 20 && exact {
			rp.Read = proven(false)
		}
		if exact {
			rp.Branch, rp.PullRequest = proven(false), proven(false)
		}
		text := fmt.Sprintf("%s is %s; creating branches and merge requests in its projects needs Developer or higher.", who, role)
		switch {
		case in.acct.admin:
			text += " As an administrator it may still be allowed: that is not proven either way."
		case !sharesCounted:
			text += fmt.Sprintf(" GitLab %s does not count access through a group this group is shared with, so that is not proven either way.", orDefault(in.acct.version, "on this server"))
		}
		add(Finding{Level: Error, Text: text, Fix: "Ask an Owner of the group to give " + who + " the Developer role in it.", Link: members})
	default:
		add(Finding{Level: Warn, Text: "gitpat could not learn " + who + "'s role in this group.", Link: members})
	}
	if isFalse(tokWrite) {
		rp.Branch, rp.PullRequest = proven(false), proven(false)
		add(Finding{Level: Error, Text: "The token lacks the api scope: GitLab's API creates branches and merge requests only for a token with api.",
			Fix: "Create a token with the api scope; GitLab cannot add a scope to an existing token.", Link: in.acct.page})
	} else if tokWrite == nil && levelKnown && level >= 30 && seen {
		rp.Branch, rp.PullRequest = nil, nil
		add(Finding{Level: Warn, Text: "GitLab " + orDefault(in.acct.version, "on this server") + " cannot show this token's scopes, so whether it has api, which creating branches and merge requests needs, is not proven.",
			Fix: "Check on the token page that this token has the api scope.", Link: in.acct.page})
	}
	return rp
}

// validGitLabPath reports whether s reads as a project's full path.
func validGitLabPath(s string) bool {
	segs := strings.Split(s, "/")
	for _, seg := range segs {
		if !gitlabPathSegment.MatchString(seg) {
			return false
		}
	}
	return len(segs) >= 2
}
