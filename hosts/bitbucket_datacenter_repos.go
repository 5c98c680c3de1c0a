package hosts

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gitpat/gitpat/internal/httpx"
)

// The places the user named on Bitbucket Data Center: PROJECT/repo,
// ~user/repo (a personal repository, whose project key is ~ and the user's
// slug) or a project key. The requests, all GETs of Atlassian's REST API
// description:
//
//   - GET /rest/api/latest/projects/{projectKey}/repos/{repositorySlug}:
//     "The authenticated user must have REPO_READ permission for the
//     specified repository"; 200 the repository, 401 "The currently
//     authenticated user has insufficient permissions to see the specified
//     repository", 404 "The specified repository does not exist" (its body
//     names com.atlassian.bitbucket.repository.NoSuchRepositoryException,
//     as recorded in Sourcegraph's Bitbucket Server client tests). Since
//     8.0 a repository has "archived"; an archived one is read-only.
//   - GET /rest/api/latest/projects/{projectKey} for a project.
//   - GET /rest/api/latest/repos?projectkey=KEY&permission=REPO_WRITE, once
//     per project: the repositories of the project "that the requesting
//     user has the specified permission level to" (the permission
//     parameter; projectkey since 7.x filters by the project's key). Only
//     active repositories are listed unless archived= is given ("defaults
//     to ACTIVE", since 8.0).
//
// Whether a token's own permissions narrow that list is not documented, so
// a repository in it proves only that the token's user (or the token) may
// write there; one missing from the whole list proves that this token may
// not, whichever of the two narrows it. The token's own Repository write
// comes from the base check (its own entry), or stays unproven. A token
// with Repository write may "Perform pull request actions; Push, pull, and
// clone repositories" (HTTP access tokens, permissions table), so a pull
// request needs what a branch needs.

// bitbucketDCWritablePage is the page size asked of the writable list; the
// server may cap it (page.max.repositories), which isLastPage then says.
const bitbucketDCWritablePage = 1000

// bitbucketDCPlaceCalls are the requests about the named places: one per
// place, and the writable list of each project with the first place in it.
func bitbucketDCPlaceCalls(get func(path string) func() (*httpx.Response, error), names []string) [][]func() (*httpx.Response, error) {
	out := make([][]func() (*httpx.Response, error), len(names))
	listed := map[string]bool{}
	for i, name := range names {
		key, slug, isRepo := strings.Cut(name, "/")
		if isRepo {
			out[i] = append(out[i], get("/rest/api/latest/projects/"+url.PathEscape(key)+"/repos/"+url.PathEscape(slug)))
		} else {
			out[i] = append(out[i], get("/rest/api/latest/projects/"+url.PathEscape(key)))
		}
		if k := strings.ToUpper(key); !listed[k] {
			listed[k] = true
			q := url.Values{"projectkey": {key}, "permission": {"REPO_WRITE"}, "limit": {fmt.Sprint(bitbucketDCWritablePage)}}
			out[i] = append(out[i], get("/rest/api/latest/repos?"+q.Encode()))
		}
	}
	return out
}

// bitbucketDCWritable is what a project's writable list says.
type bitbucketDCWritable struct {
	slugs    map[string]bool // lower-cased
	complete bool            // the list fit on one page
	failure  *Finding        // the server failed to answer: could not check
	unread   bool            // an answer gitpat could not read
}

// places judges every named place from its answers (in the order of
// bitbucketDCPlaceCalls) and the token's permissions in r. It does no I/O.
func (c bitbucketDC) places(r *Report, names []string, answers [][]answer) {
	writable := map[string]bitbucketDCWritable{}
	for i, name := range names {
		key, _, _ := strings.Cut(name, "/")
		if i < len(answers) && len(answers[i]) == 2 {
			writable[strings.ToUpper(key)] = c.writableOf(answers[i][1])
		}
	}
	for i, name := range names {
		if i >= len(answers) || len(answers[i]) == 0 {
			r.Repositories = append(r.Repositories, uncheckedRepo(name, Finding{Level: Error, Text: "gitpat did not get the server's answer about this."}))
			continue
		}
		key, slug, isRepo := strings.Cut(name, "/")
		w, ok := writable[strings.ToUpper(key)]
		if !ok {
			w = bitbucketDCWritable{unread: true}
		}
		if isRepo {
			r.Repositories = append(r.Repositories, c.repository(r, name, key, slug, answers[i][0], w))
		} else {
			r.Repositories = append(r.Repositories, c.project(name, answers[i][0], w))
		}
	}
}

// writableOf reads one project's writable list.
func (c bitbucketDC) writableOf(a answer) bitbucketDCWritable {
	if f, failed := c.placeFailed(a); failed {
		return bitbucketDCWritable{failure: &f}
	}
	if a.resp.Status != http.StatusOK || !isJSON(a.resp.Header) {
		return bitbucketDCWritable{unread: true}
	}
	var page struct {
		IsLastPage *bool `json:"isLastPage"`
		Values     *[]struct {
			Slug    string `json:"slug"`
			Project struct {
				Key string `json:"key"`
			} `json:"project"`
		} `json:"values"`
	}
	if json.Unmarshal(a.resp.Body, &page) != nil || page.Values == nil {
		return bitbucketDCWritable{unread: true}
	}
	w := bitbucketDCWritable{slugs: map[string]bool{}, complete: page.IsLastPage != nil && *page.IsLastPage}
	for _, v := range *page.Values {
		w.slugs[strings.ToLower(v.Project.Key+"/"+v.Slug)] = true
	}
	return w
}

// repository judges PROJECT/repo.
func (c bitbucketDC) repository(r *Report, name, key, slug string, a answer, w bitbucketDCWritable) RepoReport {
	if f, failed := c.placeFailed(a); failed {
		return uncheckedRepo(name, f)
	}
	if w.failure != nil {
		return uncheckedRepo(name, *w.failure)
	}
	page := c.repoPermissionsPage(key, slug)
	who := "Its user"
	if r.User != "" {
		who = r.User
	}
	no := proven(false)
	rp := RepoReport{Name: name, Kind: "repository"}
	switch a.resp.Status {
	case http.StatusOK:
	case http.StatusNotFound:
		return notFoundRepo(name, "repository", Finding{Level: Error,
			Text: "The Bitbucket server has no repository " + c.quote(name) + ".",
			Fix:  "Check the project key and the repository's slug against its address (…/projects/KEY/repos/SLUG).",
			Link: c.srv.web + "/projects/" + url.PathEscape(key)})
	case http.StatusUnauthorized, http.StatusForbidden:
		rp.Read, rp.Branch, rp.PullRequest = no, no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error,
			Text: "The token may not see " + c.quote(name) + ": " + who + " has no permission on it, or the token is a project or repository token for another one.",
			Fix:  "Ask a project or repository administrator to give the token's user Write on it (Repository settings → Repository permissions).",
			Link: page})
		return rp
	default:
		return uncheckedRepo(name, c.unexpected(a.resp, "the repository "+c.quote(name)))
	}
	var repo struct {
		Slug     string `json:"slug"`
		Archived bool   `json:"archived"`
		Project  *struct {
			Key string `json:"key"`
		} `json:"project"`
	}
	if !isJSON(a.resp.Header) || json.Unmarshal(a.resp.Body, &repo) != nil || repo.Project == nil {
		return uncheckedRepo(name, c.unexpected(a.resp, "the repository "+c.quote(name)))
	}
	rp.Found, rp.Read = proven(true), proven(true)
	if repo.Archived {
		rp.Branch, rp.PullRequest = no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The repository is archived: it is read-only, so no branch or pull request can be created in it.",
			Fix: "Ask a repository administrator to unarchive it (Repository settings → Repository details), or leave it out.", Link: c.srv.web + "/projects/" + url.PathEscape(key) + "/repos/" + url.PathEscape(slug) + "/settings"})
		return rp
	}
	var userWrite *bool
	switch {
	case w.unread:
		rp.Findings = append(rp.Findings, Finding{Level: Warn, Text: "gitpat could not read which repositories of " + c.quote(key) + " the token may write to, so it could not prove it may write here.",
			Fix: "Check in Repository settings → Repository permissions that the token's user has Write.", Link: page})
	case w.slugs[strings.ToLower(repo.Project.Key+"/"+repo.Slug)] || w.slugs[strings.ToLower(name)]:
		userWrite = proven(true)
	case w.complete:
		userWrite = no
		rp.Findings = append(rp.Findings, Finding{Level: Error,
			Text: "Bitbucket does not list " + c.quote(name) + " among the repositories this token may write to: " + who + " has only read access there, or the token only Repository read.",
			Fix:  "Ask a project or repository administrator to give the token's user Write on it (Repository settings → Repository permissions).",
			Link: page})
	default:
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: "The token may write to more repositories in " + c.quote(key) + " than one page lists, and this one was not on it, so gitpat could not prove it may write here.",
			Fix:  "Check in Repository settings → Repository permissions that the token's user has Write.", Link: page})
	}
	tokenWrite := c.tokenWrite(r)
	switch {
	case isFalse(tokenWrite):
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The token lacks Repository write (see above), so it cannot create branches or pull requests here.",
			Fix: "Edit the token on the token page and set Repositories to Write.", Link: c.page})
	case tokenWrite == nil && !isFalse(userWrite):
		// When its user may not write here, the token's own permission
		// changes nothing: no word about it.
		rp.Findings = append(rp.Findings, Finding{Level: Warn, Text: "The token's own Repository write could not be read (see above), so gitpat could not prove it may create branches or pull requests here.",
			Fix: "On the token page, check that this token has Repositories: Write.", Link: c.page})
	}
	rp.Branch = allOf(userWrite, tokenWrite)
	rp.PullRequest = rp.Branch
	if rp.Ready() {
		rp.Findings = append(rp.Findings, Finding{Level: Info, Text: "The token has Repository write, and Bitbucket lists this repository among those it may write to."})
	}
	return rp
}

// tokenWrite is what the base check proved of the token's own Repository
// write: its own entry named it (or Repository admin), refuted it, or
// could not be read.
func (c bitbucketDC) tokenWrite(r *Report) *bool {
	if g := grantOf(r, bitbucketDCNeeds[0]); g != nil {
		return g
	}
	if grantOf(r, bitbucketDCPermissionName["REPO_ADMIN"]) != nil {
		return proven(true)
	}
	return nil
}

// project judges a project key: whether it is there, and whether the
// token may write to any repository in it. What it may do in each needs
// the repositories named.
func (c bitbucketDC) project(name string, a answer, w bitbucketDCWritable) RepoReport {
	if f, failed := c.placeFailed(a); failed {
		return uncheckedRepo(name, f)
	}
	if w.failure != nil {
		return uncheckedRepo(name, *w.failure)
	}
	no := proven(false)
	rp := RepoReport{Name: name, Kind: "project"}
	link := c.srv.web + "/projects/" + url.PathEscape(name) + "/permissions"
	switch a.resp.Status {
	case http.StatusOK:
		rp.Found = proven(true)
	case http.StatusNotFound:
		return notFoundRepo(name, "project", Finding{Level: Error, Text: "The Bitbucket server has no project " + c.quote(name) + ".",
			Fix: "Check the project key: it is the part after /projects/ in the project's address.", Link: c.srv.web + "/projects"})
	case http.StatusUnauthorized, http.StatusForbidden:
		rp.Read, rp.Branch, rp.PullRequest = no, no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The token may not see the project " + c.quote(name) + ".",
			Fix: "Ask a project administrator to give the token's user access to it.", Link: link})
		return rp
	default:
		return uncheckedRepo(name, c.unexpected(a.resp, "the project "+c.quote(name)))
	}
	switch {
	case !w.unread && w.complete && len(w.slugs) == 0:
		rp.Branch, rp.PullRequest = no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The token may write to no repository in " + c.quote(name) + ", so the integration can create no branch there.",
			Fix: "Ask a project administrator to give the token's user Write on the repositories Jira should use.", Link: link})
	case !w.unread:
		count := repositories(len(w.slugs))
		if !w.complete {
			count = "more than " + count
		}
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: "The token may write to " + count + " in " + c.quote(name) + "; what the integration may do in each is proven only for repositories you name.",
			Fix:  "Name the repositories Jira should use as " + c.quote(name) + "/repo."})
	default:
		rp.Findings = append(rp.Findings, Finding{Level: Warn, Text: "gitpat could not read which repositories of " + c.quote(name) + " the token may write to.",
			Fix: "Name the repositories Jira should use as " + c.quote(name) + "/repo."})
	}
	return rp
}

// repoPermissionsPage is where a repository's permissions are set; a
// personal repository (~user/repo) lives under /users/. The address is
// inferred from Bitbucket's settings pages, not documented.
func (c bitbucketDC) repoPermissionsPage(key, slug string) string {
	if user, personal := strings.CutPrefix(key, "~"); personal {
		return c.srv.web + "/users/" + url.PathEscape(strings.ToLower(user)) + "/repos/" + url.PathEscape(slug) + "/permissions"
	}
	return c.srv.web + "/projects/" + url.PathEscape(key) + "/repos/" + url.PathEscape(slug) + "/permissions"
}

// placeFailed reports an answer about a named place that tells nothing:
// the network, a server error, a rate limit, a web page.
func (c bitbucketDC) placeFailed(a answer) (Finding, bool) {
	return repoAnswerFailed(a, "The Bitbucket server")
}
