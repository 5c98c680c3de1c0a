package hosts

// What the answers about named Azure DevOps, TFS and Azure DevOps Server
// places decide: found, read, and what the account may not do there.
// Pure functions, fed by the requests in azure_repos.go and by the fuzz
// test.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// azurePerm is what Has Permissions said, or why it said nothing.
type azurePerm struct {
	answered, allowed bool
	// failure, when not answered: a server error, a limit or the network
	// (unchecked, "could not check"), or an answer that evaluates nothing.
	unchecked bool
	failure   Finding
}

// azurePerms is every evaluation: bit → lower(token) → result.
type azurePerms map[int]map[string]azurePerm

// permResult is one request's answer: the values in the tokens' order,
// or the failure that stands for all of them.
type permResult struct {
	values []bool
	failed azurePerm
}

func (p azurePerms) add(bit int, tokens []string, res permResult) {
	if p[bit] == nil {
		p[bit] = map[string]azurePerm{}
	}
	for i, t := range tokens {
		if i < len(res.values) {
			p[bit][strings.ToLower(t)] = azurePerm{answered: true, allowed: res.values[i]}
		} else {
			p[bit][strings.ToLower(t)] = res.failed
		}
	}
}

// get returns an evaluation; one never asked is a failure to say so.
func (p azurePerms) get(bit int, token string) azurePerm {
	if v, ok := p[bit][strings.ToLower(token)]; ok {
		return v
	}
	return azurePerm{failure: Finding{Level: Warn, Text: "gitpat did not get to ask Azure DevOps what your account may do there."}}
}

// permAnswer reads a Has Permissions answer for n tokens: {"count": N,
// "value": [bool, ...]} in the tokens' order (specification/security/7.1/
// httpExamples/permissions/GET__permissions__securityNamespaceId__8__api-
// version-2.2_tokens-...json). Azure DevOps documents no scope for the
// request: a token it refuses (401, 403) is not proven either way, never
// "not allowed".
func (c azureCheck) permAnswer(a answer, n int) permResult {
	const asked = "gitpat could not ask Azure DevOps what your account may do there: "
	if a.err != nil {
		_, f := c.transport(a.err)
		f.Text = asked + lower(strings.TrimSuffix(f.Text, ".")) + "."
		return permResult{failed: azurePerm{unchecked: true, failure: f}}
	}
	resp := a.resp
	said := func() string {
		s := fmt.Sprintf("%d %s", resp.Status, http.StatusText(resp.Status))
		if msg := azureMessage(resp.Body); msg != "" {
			s += ": \"" + c.quote(msg) + "\""
		}
		return s
	}
	switch {
	case resp.Status == http.StatusOK && !isHTML(resp):
		var v struct {
			Count *int   `json:"count"`
			Value []bool `json:"value"`
		}
		if json.Unmarshal(resp.Body, &v) == nil && len(v.Value) == n && (v.Count == nil || *v.Count == n) {
			return permResult{values: v.Value}
		}
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		return permResult{failed: azurePerm{failure: Finding{Level: Warn,
			Text: c.name + " did not let this token evaluate your account's permissions (" + said() + "), so whether it may create branches and pull requests here is not proven. " +
				"Azure DevOps documents no scope for that request, and gitpat does not ask for a token broader than the integration needs."}}}
	case resp.Status == http.StatusTooManyRequests:
		f := c.rateLimited(resp)
		f.Text = asked + "it is limiting this user's requests (429 Too Many Requests)."
		return permResult{failed: azurePerm{unchecked: true, failure: f}}
	case resp.Status >= 500:
		return permResult{failed: azurePerm{unchecked: true, failure: Finding{Level: Error,
			Text: asked + fmt.Sprintf("it answered with a server error (%d %s), which is not about your token.", resp.Status, http.StatusText(resp.Status)),
			Fix:  c.laterFix()}}}
	}
	if len(resp.Body) > 0 && isHTML(resp) {
		return permResult{failed: azurePerm{failure: Finding{Level: Warn,
			Text: asked + fmt.Sprintf("a web page answered the permissions request (%d %s), not the API.", resp.Status, http.StatusText(resp.Status))}}}
	}
	return permResult{failed: azurePerm{failure: Finding{Level: Warn, Text: asked + "it answered the permissions request with " + said() + "."}}}
}

// azureProjectAnswer is what a project's own list said.
type azureProjectAnswer struct {
	found, missing bool // the project answered, or does not exist for this account
	repos          []azureRepo
	unchecked      bool
	failure        Finding
}

// projectAnswer reads a project's repository list,
// GET {collection}/{project}/_apis/git/repositories (Repositories_List,
// vso.code). A project that does not exist answers 404 "TF200016: The
// following project does not exist: …", ProjectDoesNotExistWithNameException
// (3p: bodies recorded from dev.azure.com in other projects' tests); one
// the account may not see is taken to answer alike, as repositories do
// (TF401019 "does not exist or you do not have permissions").
func (c azureCheck) projectAnswer(a answer) azureProjectAnswer {
	const asked = "gitpat could not ask for the project's repositories: "
	if a.err != nil {
		_, f := c.transport(a.err)
		f.Text = asked + lower(strings.TrimSuffix(f.Text, ".")) + "."
		return azureProjectAnswer{unchecked: true, failure: f}
	}
	resp := a.resp
	switch {
	case resp.Status == http.StatusOK && !isHTML(resp):
		if repos, err := parseAzureRepoList(resp.Body); err == nil {
			return azureProjectAnswer{found: true, repos: repos}
		}
	case resp.Status == http.StatusNotFound && !isHTML(resp):
		return azureProjectAnswer{missing: true}
	case resp.Status == http.StatusTooManyRequests:
		f := c.rateLimited(resp)
		f.Text = asked + "Azure DevOps is limiting this user's requests (429 Too Many Requests)."
		return azureProjectAnswer{unchecked: true, failure: f}
	case resp.Status >= 500:
		return azureProjectAnswer{unchecked: true, failure: serverError(resp.Status, c.name, c.laterFix())}
	}
	return azureProjectAnswer{failure: c.unexpected(resp, "the project's git/repositories")}
}

// repoReports decides each place from what the answers hold. Pure.
func (c azureCheck) repoReports(places []azurePlace, projects map[string]azureProjectAnswer, perms azurePerms, api azurePermAPI) []RepoReport {
	out := make([]RepoReport, len(places))
	for i, p := range places {
		rp := RepoReport{Name: p.name, Kind: azureKind(p.name)}
		if p.projectID == "" {
			// The list has nothing of this project: its own list tells
			// whether it is there.
			pa, asked := projects[strings.ToLower(p.project)]
			if !asked {
				pa.failure = Finding{Level: Warn, Text: "gitpat did not get to ask for the repositories of " + p.project + "."}
			}
			switch {
			case pa.missing:
				rp.Found, rp.Read, rp.Branch, rp.PullRequest = proven(false), proven(false), proven(false), proven(false)
				rp.Findings = append(rp.Findings, Finding{Level: Error,
					Text: "There is no project " + p.project + " in " + c.place + " that this account can see: it does not exist, or the account is not a member of it (Azure DevOps answers both alike).",
					Fix:  "Check the project's name as the browser shows it after " + c.base + "/, or ask a project administrator to add your account."})
			case pa.found:
				p.inProject = pa.repos
				for j, r := range pa.repos {
					if p.repo != "" && strings.EqualFold(r.name, p.repo) {
						p.repository = &pa.repos[j]
					}
				}
				c.judgePlace(&rp, p, perms, api, true)
			default:
				rp.Unchecked = pa.unchecked
				rp.Findings = append(rp.Findings, pa.failure)
			}
		} else {
			c.judgePlace(&rp, p, perms, api, false)
		}
		if rp.Findings == nil {
			rp.Findings = []Finding{}
		}
		out[i] = rp
	}
	return out
}

// judgePlace decides a place whose project answered; late says its
// repositories came from the project's own list, after the permissions
// were asked.
func (c azureCheck) judgePlace(rp *RepoReport, p azurePlace, perms azurePerms, api azurePermAPI, late bool) {
	no := proven(false)
	switch {
	case p.repo == "" && len(p.inProject) == 0:
		rp.Found, rp.Read, rp.Branch, rp.PullRequest = proven(true), no, no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The project " + p.project + " has no Git repository that this account can see.",
			Fix: "Ask a project administrator for Read on its repositories, or name the project that holds them."})
		return
	case p.repo != "" && p.repository == nil:
		rp.Found, rp.Read, rp.Branch, rp.PullRequest = no, no, no, no
		var seen []string
		for _, r := range p.inProject {
			seen = append(seen, r.name)
		}
		fix := "Check the repository's name, or ask a project administrator for Read on it."
		if len(seen) > 0 {
			fix = "Check the repository's name (this account sees " + shortList(seen, 5) + " in " + p.project + "), or ask a project administrator for Read on it."
		}
		rp.Findings = append(rp.Findings, Finding{Level: Error,
			Text: "The project " + p.project + " has no repository " + p.repo + " that this account can see: it does not exist, or the account may not read it (Azure DevOps answers both alike).",
			Fix:  fix, Link: c.settingsLink(api, p.project, "")})
		return
	case p.repository != nil && p.repository.disabled:
		rp.Found, rp.Read, rp.Branch, rp.PullRequest = proven(true), no, no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error,
			Text: p.name + " is disabled: nobody can read or change its contents until it is enabled again.",
			Fix:  "Ask someone with Delete repository permission on it (a project administrator) to enable it under Project settings → Repositories.",
			Link: c.settingsLink(api, p.project, p.repository.id)})
		return
	}
	rp.Found, rp.Read = proven(true), proven(true)
	where := "in " + p.name
	if p.repo == "" {
		var names []string
		for _, r := range p.inProject {
			names = append(names, r.name)
		}
		count := "1 repository"
		if len(names) != 1 {
			count = fmt.Sprintf("%d repositories", len(names))
		}
		rp.Findings = append(rp.Findings, Finding{Level: Info, Text: "The token reads " + count + " in " + p.project + ": " + shortList(names, 5) + "."})
		where = "in the repositories of " + p.project
	}
	if late {
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: "Azure DevOps listed " + p.name + " only when asked for its project, after gitpat had asked about permissions, so what your account may do there is not proven.",
			Fix:  "Test again."})
		return
	}
	c.judgePermissions(rp, p, where, perms, api)
}

// judgePermissions reads what the account may do on a place: a false is
// proven ("not allowed"); a true never proves the token may, since no
// read-only request shows whether it has Code write.
func (c azureCheck) judgePermissions(rp *RepoReport, p azurePlace, where string, perms azurePerms, api azurePermAPI) {
	token := p.token()
	link := c.securityLink(api, p)
	level := "on this repository"
	if p.repo == "" {
		level = "at the project level (a repository may still set its own: name it to check it)"
	}
	var may []string
	var failures []Finding
	fail := func(perm azurePerm) {
		rp.Unchecked = rp.Unchecked || perm.unchecked
		if !slices.ContainsFunc(failures, func(f Finding) bool { return f.Text == perm.failure.Text }) {
			failures = append(failures, perm.failure)
		}
	}

	switch perm := perms.get(azureCreateBranch, token); {
	case perm.answered && !perm.allowed:
		rp.Branch = proven(false)
		rp.Findings = append(rp.Findings, Finding{Level: Error,
			Text: "Your account may not create branches " + where + ": Create branch is not allowed for it " + level + ".",
			Fix: "Ask a project administrator to allow Create branch for your account (or a group it is in) " + c.securityPlace(api, p) +
				". gitpat checks the repository as a whole; if your team allows new branches only in folders such as feature/, the integration can create them only there.",
			Link: link})
	case perm.answered:
		may = append(may, "branches")
	default:
		fail(perm)
	}

	switch perm := perms.get(azurePullRequestContribute, token); {
	case !api.pullRequests:
		release := "this server"
		if api.release != "" {
			release = api.release
		}
		rp.Findings = append(rp.Findings, Finding{Level: Info,
			Text: "The Git permissions of " + release + " have no \"Contribute to pull requests\" (it came with Azure DevOps Server 2019), and which one lets an account open pull requests there is not documented: gitpat cannot evaluate it."})
	case perm.answered && !perm.allowed:
		rp.PullRequest = proven(false)
		rp.Findings = append(rp.Findings, Finding{Level: Error,
			Text: "Your account may not create pull requests " + where + ": Contribute to pull requests is not allowed for it " + level + ".",
			Fix:  "Ask a project administrator to allow Contribute to pull requests for your account (or a group it is in) " + c.securityPlace(api, p) + ".",
			Link: link})
	case perm.answered:
		may = append(may, "pull requests")
	default:
		fail(perm)
	}

	if perm := perms.get(azureContribute, token); perm.answered && !perm.allowed {
		rp.Findings = append(rp.Findings, Finding{Level: Info,
			Text: "Your account may not push commits " + where + " (Contribute is not allowed for it " + level + "). gitpat judges branches and pull requests by Create branch and Contribute to pull requests."})
	}
	if len(may) > 0 {
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: "Your account may create " + strings.Join(may, " and ") + " " + where + "; gitpat cannot read whether this token has " + c.writeName + ", which that needs.",
			Fix:  "On the token page, check that this token has " + c.writeName + " (or " + c.allName + "); if not, edit it or create a new one with that scope.",
			Link: c.page})
	}
	for _, f := range failures {
		if f.Fix == "" {
			f.Fix = "Check on the repository's Security page that your account has Create branch and Contribute to pull requests (" + c.securityPlace(api, p) + "), and on the token page that this token has " + c.writeName + "."
			f.Link = link
		}
		rp.Findings = append(rp.Findings, f)
	}
}

// securityPlace says where the Security page of a place is.
func (c azureCheck) securityPlace(api azurePermAPI, p azurePlace) string {
	what := "on " + p.name
	if p.repo == "" {
		what = "on the project's Git repositories"
	}
	if api.settingsPages {
		return what + " (Project settings → Repositories → Security)"
	}
	return what + " (Project settings, the gear → Version Control → Git repositories → Security)"
}

// securityLink is the Security page of a repository, or of a project's
// repositories: {project}/_settings/repositories?_a=permissions&repo=ID
// (the form third-party tools link to; the page itself is in
// azure-devops-docs, repos/git/set-git-repository-permissions.md). TFS
// has none of that form: no link.
func (c azureCheck) securityLink(api azurePermAPI, p azurePlace) string {
	if !api.settingsPages {
		return ""
	}
	u := c.base + "/" + url.PathEscape(p.project) + "/_settings/repositories?_a=permissions"
	if p.repository != nil {
		u += "&repo=" + url.QueryEscape(p.repository.id)
	}
	return u
}

// settingsLink is Project settings → Repositories, at one repository when
// repoID is set.
func (c azureCheck) settingsLink(api azurePermAPI, project, repoID string) string {
	if !api.settingsPages {
		return ""
	}
	u := c.base + "/" + url.PathEscape(project) + "/_settings/repositories"
	if repoID != "" {
		u += "?repo=" + url.QueryEscape(repoID)
	}
	return u
}
