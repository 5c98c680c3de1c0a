package hosts

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gitpat/gitpat/internal/httpx"
)

// The places the user named on Bitbucket Cloud: workspace/repo, or a
// workspace. Every request here is a GET the Bitbucket Cloud OpenAPI
// description (swagger.v3.json, x-atlassian-oauth2-scopes) lists with
// read:repository:bitbucket, a scope the integration needs anyway:
//
//   - GET /2.0/repositories/{workspace}/{repo_slug} answers 200 with the
//     repository, 403 "If the repository is private and the authenticated
//     user does not have access to it", and 404 "If no repository exists
//     at this location". In practice Bitbucket answers a private repository
//     the account may not see with the same 404 as a missing one: "You may
//     not have access to this repository or it no longer exists in this
//     workspace. If you think this repository exists and you have access,
//     make sure you are authenticated." (recorded in public Bitbucket
//     clients' tests and notes, for unauthenticated requests, a token of
//     another account and a workspace that does not exist; found with the
//     code search). So 404 is "not found, or no access", as on GitHub.
//   - GET /2.0/user/workspaces/{workspace}/permissions/repositories returns
//     "an object for each repository the caller has explicit access to in
//     the specified workspace and their effective permission — the highest
//     level of permission the caller has" (admin, write or read), filtered
//     with q; it "does not return public repositories that the user was not
//     granted any specific permission in", and answers 403 when "The
//     requesting user does not have access to the workspace".
//
// What the account may do there is its permission: "All users that have
// been granted write or admin access to a repo can create branches"
// (Atlassian's answer in "How to give users Branch create permissions",
// community.atlassian.com, 2023). What the token may do is its scopes,
// which the base check proved, refuted or left open: creating a branch
// (POST .../refs/branches) needs read:repository and write:repository, and
// a pull request (POST .../pullrequests) read:pullrequest and
// write:pullrequest (the same description). The integration opens pull
// requests from the branches it creates, so a pull request also needs what
// a branch needs.

// bitbucketCloudRepoRequests is how many requests one named place costs.
const bitbucketCloudRepoRequests = 2

// bitbucketCloudRepoCalls are the requests about the named places, two per
// repository and one per workspace, in the order of names.
func bitbucketCloudRepoCalls(get func(path string) func() (*httpx.Response, error), names []string) [][]func() (*httpx.Response, error) {
	out := make([][]func() (*httpx.Response, error), len(names))
	for i, name := range names {
		ws, slug, isRepo := strings.Cut(name, "/")
		perms := "/user/workspaces/" + url.PathEscape(ws) + "/permissions/repositories?"
		if !isRepo {
			// Whether the account may write to any repository there: one is
			// enough to tell none from some.
			out[i] = append(out[i], get(perms+url.Values{"q": {`permission>"read"`}, "pagelen": {"1"}}.Encode()))
			continue
		}
		out[i] = append(out[i],
			get("/repositories/"+url.PathEscape(ws)+"/"+url.PathEscape(slug)),
			get(perms+url.Values{"q": {`repository.full_name="` + name + `"`}}.Encode()))
	}
	return out
}

// bitbucketCloudRepoPage is where a repository's permissions are set
// (Repository settings → Repository permissions). The address is inferred
// from the settings pages' addresses, not documented.
func bitbucketCloudRepoPage(name string) string {
	ws, slug, _ := strings.Cut(name, "/")
	return "https://bitbucket.org/" + url.PathEscape(ws) + "/" + url.PathEscape(slug) + "/admin/permissions"
}

// repositories judges every named place from its answers (in the order of
// bitbucketCloudRepoCalls) and the token's scopes in r. It does no I/O.
func (c *bitbucketCloud) repositories(r *Report, names []string, answers [][]answer) {
	for i, name := range names {
		if i >= len(answers) {
			break
		}
		if _, _, isRepo := strings.Cut(name, "/"); isRepo {
			r.Repositories = append(r.Repositories, c.repository(r, name, answers[i]))
		} else {
			r.Repositories = append(r.Repositories, c.workspace(name, answers[i]))
		}
	}
}

// repository judges workspace/repo from the repository and the account's
// permission on it.
func (c *bitbucketCloud) repository(r *Report, name string, a []answer) RepoReport {
	if len(a) != bitbucketCloudRepoRequests {
		return uncheckedRepo(name, Finding{Level: Error, Text: "gitpat did not get Bitbucket's answers about this repository."})
	}
	for _, x := range a {
		if f, failed := c.repoFailed(x); failed {
			return uncheckedRepo(name, f)
		}
	}
	repo, perm := classifyBitbucket(a[0].resp), classifyBitbucket(a[1].resp)
	ws, _, _ := strings.Cut(name, "/")
	rp := RepoReport{Name: name, Kind: "repository"}
	no := proven(false)
	switch repo.kind {
	case bbJSON:
		rp.Found, rp.Read = proven(true), proven(true)
	case bbMissing:
		return notFoundRepo(name, "repository", Finding{Level: Error,
			Text: "Bitbucket found no repository " + c.quote(name) + " this account may see: it answers alike when a repository does not exist and when the account has no access to it.",
			Fix:  "Check the spelling against the repository's address (bitbucket.org/workspace/repo); if it is right, ask a workspace administrator to give " + serverText(c.email, c.token) + " Write on it.",
			Link: "https://bitbucket.org/" + url.PathEscape(ws) + "/workspace/repositories"})
	case bbScope:
		rp.Read, rp.Branch, rp.PullRequest = no, no, no
		rp.Findings = append(rp.Findings, c.scopeRefusal(repo, "read this repository"))
		return rp
	case bbForbidden:
		rp.Found, rp.Read, rp.Branch, rp.PullRequest = proven(true), no, no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error,
			Text: "The repository is private and the account " + serverText(c.email, c.token) + " has no access to it.",
			Fix:  "Ask a workspace or repository administrator to give this account Write on " + c.quote(name) + " (Repository settings → Repository permissions).",
			Link: bitbucketCloudRepoPage(name)})
		return rp
	default:
		return uncheckedRepo(name, c.repoUnexpected(repo))
	}
	var private bool
	var fields struct {
		IsPrivate bool `json:"is_private"`
	}
	if json.Unmarshal(a[0].resp.Body, &fields) == nil {
		private = fields.IsPrivate
	}
	userWrite, f := c.permissionOn(name, perm, private)
	if f != nil {
		rp.Findings = append(rp.Findings, *f)
	}
	// The repository's own 200 proved read:repository.
	writeScope := grantOf(r, "write:repository:bitbucket")
	prScope := allOf(grantOf(r, "read:pullrequest:bitbucket"), grantOf(r, "write:pullrequest:bitbucket"))
	rp.Branch = allOf(userWrite, writeScope)
	rp.PullRequest = allOf(rp.Branch, prScope)
	rp.Findings = append(rp.Findings, c.scopeFindings(writeScope, prScope, !isFalse(userWrite))...)
	if rp.Ready() {
		rp.Findings = append(rp.Findings, Finding{Level: Info,
			Text: "The account may write here, and the token has the scopes to create branches and pull requests."})
	}
	return rp
}

// permissionOn reads the account's permission on a repository from the
// permission list: true for write or admin, false for read, nil when
// Bitbucket lists none (a public repository, or access it does not list).
func (c *bitbucketCloud) permissionOn(name string, call bitbucketCall, private bool) (*bool, *Finding) {
	link := bitbucketCloudRepoPage(name)
	fix := "Ask a workspace or repository administrator to give " + serverText(c.email, c.token) + " Write on " + c.quote(name) + " (Repository settings → Repository permissions)."
	switch call.kind {
	case bbScope:
		// Its scope is read:repository, which the repository itself
		// answered with: the scope findings say what is missing.
		return nil, nil
	case bbForbidden:
		return proven(false), &Finding{Level: Error,
			Text: "The account is not a member of this repository's workspace, so it may not write to it.", Fix: fix, Link: link}
	case bbJSON:
	default:
		return nil, &Finding{Level: Warn,
			Text: fmt.Sprintf("Bitbucket did not list the account's permission on this repository (%d %s), so gitpat could not prove it may write there.", call.resp.Status, http.StatusText(call.resp.Status)),
			Fix:  "Check in Repository settings → Repository permissions that the account has Write.", Link: link}
	}
	perm, err := parseBitbucketPermission(call.resp.Body, name)
	switch {
	case err != nil:
		return nil, &Finding{Level: Warn, Text: "gitpat could not read the account's permission on this repository, so it could not prove it may write there.",
			Fix: "Check in Repository settings → Repository permissions that the account has Write.", Link: link}
	case perm == "admin" || perm == "write":
		return proven(true), nil
	case perm == "read":
		return proven(false), &Finding{Level: Error,
			Text: "The account has Read on this repository: it may read it, but not create branches or open pull requests from them, which needs Write.",
			Fix:  fix, Link: link}
	case perm == "":
		why := "Bitbucket lists no permission of this account on it"
		if !private {
			why += ": it reads it because the repository is public"
		}
		return nil, &Finding{Level: Warn, Text: why + ", so gitpat could not prove the account may write there.", Fix: fix, Link: link}
	}
	return nil, &Finding{Level: Warn, Text: "Bitbucket names the account's permission on this repository \"" + c.quote(perm) + "\", which gitpat does not know.",
		Fix: "Check in Repository settings → Repository permissions that the account has Write.", Link: link}
}

// scopeFindings says what the token's scopes prove for branches and pull
// requests, when they do not prove both; unproven scopes are left unsaid
// when the account may not write there anyway (mayWrite false).
func (c *bitbucketCloud) scopeFindings(writeScope, prScope *bool, mayWrite bool) []Finding {
	var out []Finding
	fix := "Bitbucket cannot change a token's scopes: create a new API token with every scope listed under Needs and use it here and in the integration."
	switch {
	case isFalse(writeScope):
		out = append(out, Finding{Level: Error, Text: "The token lacks write:repository, so it cannot create branches here.", Fix: fix, Link: bitbucketAPITokenPage})
	case writeScope == nil && mayWrite:
		out = append(out, Finding{Level: Warn, Text: "Bitbucket did not show whether the token has write:repository (see above), so gitpat could not prove it may create branches here.",
			Fix: "On the API tokens page, check that the token has write:repository.", Link: bitbucketAPITokenPage})
	}
	switch {
	case isFalse(prScope):
		out = append(out, Finding{Level: Error, Text: "The token lacks read:pullrequest or write:pullrequest, so it cannot open pull requests here.", Fix: fix, Link: bitbucketAPITokenPage})
	case prScope == nil && mayWrite:
		out = append(out, Finding{Level: Warn, Text: "Bitbucket did not show whether the token has write:pullrequest (see above), so gitpat could not prove it may open pull requests here.",
			Fix: "On the API tokens page, check that the token has write:pullrequest.", Link: bitbucketAPITokenPage})
	}
	return out
}

// workspace judges a workspace from whether the account may write to any
// repository in it. What the integration may do in each repository needs
// the repositories named.
func (c *bitbucketCloud) workspace(name string, a []answer) RepoReport {
	if len(a) != 1 {
		return uncheckedRepo(name, Finding{Level: Error, Text: "gitpat did not get Bitbucket's answer about this workspace."})
	}
	if f, failed := c.repoFailed(a[0]); failed {
		return uncheckedRepo(name, f)
	}
	call := classifyBitbucket(a[0].resp)
	rp := RepoReport{Name: name, Kind: "workspace"}
	name = c.quote(name)
	switch call.kind {
	case bbMissing:
		return notFoundRepo(rp.Name, "workspace", Finding{Level: Error, Text: "Bitbucket has no workspace " + name + ".",
			Fix: "Check the workspace ID: it is the first part of a repository's address (bitbucket.org/WORKSPACE/repo)."})
	case bbForbidden:
		no := proven(false)
		rp.Read, rp.Branch, rp.PullRequest = no, no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error,
			Text: "The account " + serverText(c.email, c.token) + " is not a member of the workspace " + name + ", or it does not exist.",
			Fix:  "Ask a workspace administrator to add the account to " + name + " with write access to the repositories Jira should use."})
		return rp
	case bbScope:
		rp.Findings = append(rp.Findings, c.scopeRefusal(call, "read this workspace's repositories"))
		return rp
	case bbJSON:
	default:
		return uncheckedRepo(rp.Name, c.repoUnexpected(call))
	}
	rp.Found = proven(true)
	var page struct {
		Size   *int              `json:"size"`
		Values []json.RawMessage `json:"values"`
	}
	if json.Unmarshal(call.resp.Body, &page) != nil {
		return uncheckedRepo(rp.Name, c.repoUnexpected(call))
	}
	if page.Size != nil && *page.Size == 0 && len(page.Values) == 0 {
		no := proven(false)
		rp.Branch, rp.PullRequest = no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The account may write to no repository in " + name + ", so the integration can create no branch there.",
			Fix: "Ask a workspace administrator to give the account Write on the repositories Jira should use."})
		return rp
	}
	count := "repositories"
	if page.Size != nil {
		count = repositories(*page.Size)
	}
	rp.Findings = append(rp.Findings, Finding{Level: Warn,
		Text: "The account may write to " + count + " in " + name + "; what the integration may do in each is proven only for repositories you name.",
		Fix:  "Name the repositories Jira should use as " + name + "/repo."})
	return rp
}

// scopeRefusal explains a 403 for a missing scope on a named place.
func (c *bitbucketCloud) scopeRefusal(call bitbucketCall, what string) Finding {
	return Finding{Level: Error, Text: "The token lacks " + c.quote(strings.Join(call.err.Required, ", ")) + ", so it may not " + what + ".",
		Fix:  "Bitbucket cannot change a token's scopes: create a new API token with every scope listed under Needs.",
		Link: bitbucketAPITokenPage}
}

// repoFailed reports an answer about a named place that tells nothing:
// the network, a server error, a rate limit, a web page, a refusal of the
// token the first requests accepted.
func (c *bitbucketCloud) repoFailed(a answer) (Finding, bool) {
	if f, failed := repoAnswerFailed(a, "Bitbucket"); failed {
		return f, true
	}
	if a.resp.Status == http.StatusUnauthorized {
		return Finding{Level: Error, Text: "Bitbucket refused the token on this request although it accepted it before, so gitpat could not check it.",
			Fix: "Test again; if it persists, check the token on the API tokens page.", Link: bitbucketAPITokenPage}, true
	}
	return Finding{}, false
}

func (c *bitbucketCloud) repoUnexpected(call bitbucketCall) Finding {
	return Finding{Level: Error,
		Text: fmt.Sprintf("Bitbucket gave an unexpected answer (%d %s)%s, so gitpat could not check it.", call.resp.Status, http.StatusText(call.resp.Status), c.said(call.err)),
		Fix:  "Test again later; if it persists, check bitbucket.status.atlassian.com."}
}

// parseBitbucketPermission reads a page of repository_permission objects
// ({"values": [{"permission": "write", "repository": {"full_name": …}}]})
// and returns the permission on the named repository, "" when it is not
// listed.
func parseBitbucketPermission(body []byte, name string) (string, error) {
	var page struct {
		Values *[]struct {
			Permission string `json:"permission"`
			Repository struct {
				FullName string `json:"full_name"`
			} `json:"repository"`
		} `json:"values"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return "", err
	}
	if page.Values == nil {
		return "", fmt.Errorf("not a page of permissions")
	}
	for _, v := range *page.Values {
		if strings.EqualFold(v.Repository.FullName, name) {
			return strings.ToLower(strings.TrimSpace(v.Permission)), nil
		}
	}
	return "", nil
}
