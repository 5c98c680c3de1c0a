package hosts

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
)

// HOSTS: what GitHub lets gitpat prove about one repository without
// writing anything (github.com, GHE.com and Enterprise Server).
//
//   - GET /repos/{owner}/{repo} answers 200, 301 (renamed or transferred:
//     httpx follows it on the same host), 403 or 404 (github/rest-api-
//     description, operation repos/get). GitHub "uses a 404 … instead of a
//     403 … to avoid confirming the existence of private repositories",
//     and for a fine-grained token also when "the token was not given
//     access to that private repository" (github/docs content/rest/
//     using-the-rest-api/troubleshooting-the-rest-api.md): a 404 is "does
//     not exist, or this token may not see it", never one of the two.
//   - Its permissions {admin, maintain, push, triage, pull} are the
//     user's role, not the token's: "the permissions of the user associated
//     with the token, not the token itself" (semantic-release/github#895;
//     GraphQL's viewerPermission likewise "The users permission level on
//     the repository"). A classic token adds its scopes (X-OAuth-Scopes).
//   - "To view merge-related settings, you must have the contents:read and
//     contents:write permissions" (the operation's own note, github/rest-
//     api-description repos/get; on Enterprise Server from the oldest
//     release GitHub's docs still carry, 3.14: github/docs src/rest/data/
//     ghes-3.14-2022-11-28/repos.json). So allow_merge_commit and its
//     siblings are present exactly when the token may write the
//     repository's contents: a fine-grained token's Contents: Read and
//     write is proven by their presence and its lack by their absence
//     (inferred from the note; terraform-provider-github#679 and PR #1727,
//     s4k10503/velvet#320 saw it so).
//   - Pull requests: Read and write cannot be proven without writing:
//     every GET of the "Pull requests" permission needs only read
//     (github/docs src/github-apps/data/fpt-2026-03-10/
//     fine-grained-pat-permissions.json), and X-Accepted-GitHub-Permissions
//     names what an endpoint needs, not what a token holds (troubleshooting
//     page above). Its absence is provable on a private repository: GET
//     /repos/{owner}/{repo}/pulls needs "Pull requests" read and nothing
//     else (same permissions file, list-pull-requests) and answers 403
//     "Resource not accessible by personal access token" without it.
//   - Organizations can restrict classic tokens; such tokens "will still be
//     able to read public resources within the organization" (github/docs
//     content/organizations/managing-programmatic-access-to-your-
//     organization/setting-a-personal-access-token-policy-for-your-
//     organization.md). On a public repository GET /repos answers 200 and
//     proves nothing about writing. git's push discovery, GET
//     {web}/{owner}/{repo}.git/info/refs?service=git-receive-pack, is the
//     first request of a push and writes nothing; a smart server answers
//     200 with Content-Type application/x-git-receive-pack-advertisement
//     (git/git Documentation/gitprotocol-http.txt), and GitHub refuses a
//     push right there with 403 and one line of text ("Permission to …
//     denied to …", "Personal access tokens (classic) are forbidden from
//     accessing this repository.", the SAML SSO notice: ad-m/github-push-
//     action#165, os-climate/os_c_data_commons#366, NOAA-FIMS/FIMS#598;
//     git prints "unable to access … 403" only when this first GET fails,
//     git/git remote-curl.c discover_refs). That it answers 200 exactly
//     when the token may push is inferred from those records, not
//     documented by GitHub, so only a 200 advertisement or a 403 decides;
//     anything else leaves it open.
//   - Opening a pull request from a branch in the same repository needs
//     write access to that branch ("To open or update a pull request in a
//     public repository, you must have write access to the head or the
//     source branch", operation pulls/create), so for a classic token the
//     proof of creating branches is the proof of opening pull requests, as
//     long as the repository has them (has_pull_requests, "Whether pull
//     requests are enabled", "default": true: absent on servers that
//     predate the setting).
//   - A named organization can be found and its SAML SSO authorization
//     proven (GET /orgs/{org}/repos is a request for one organization's
//     resources, refused like its repositories), but what the token may do
//     in each of its repositories only per repository.
//
// Requests: the check sends them once GET /user has accepted the token,
// never before: "After detecting several requests with invalid
// credentials within a short period, the API will temporarily reject all
// authentication attempts for that user (including ones with valid
// credentials)" (github/docs content/rest/authentication/
// authenticating-to-the-rest-api.md, "Failed login limit"). They go out
// together, at most repoParallelism places at once and two requests per
// place, well under GitHub's "No more than 100 concurrent requests"
// (github/docs data/reusables/rest-api/secondary-rate-limit-rest-
// graphql.md).

// githubPlace is what the check asked about one named place.
type githubPlace struct {
	name string // "owner/repo", or "owner"
	// main is GET /repos/{owner}/{repo}, or for an owner GET
	// /users/{owner}.
	main answer
	// push is git's push discovery (classic tokens).
	push answer
	// pulls is GET /repos/{owner}/{repo}/pulls?per_page=1 (fine-grained
	// tokens).
	pulls answer
	// orgRepos is GET /orgs/{owner}/repos?type=private&per_page=1 (owners).
	orgRepos answer
}

// askGitHubPlaces sends the requests about every named place: the
// repository's API answer with, for a classic token, git's push discovery
// or, for another token, its pull requests; for an owner its account and
// its private repositories. git lives on the web host of the same GitHub
// (github.com beside api.github.com, SUB.ghe.com beside api.SUB.ghe.com,
// an Enterprise server's own host), where git sends the token itself:
// Basic with the login the token belongs to.
func askGitHubPlaces(ctx context.Context, env Env, srv githubServer, header http.Header, login, token string, classic bool, names []string) []githubPlace {
	gitHeader := http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(login+":"+token))}}
	get := func(u string, h http.Header) func() (*httpx.Response, error) {
		return func() (*httpx.Response, error) { return env.HTTP.Get(ctx, u, h) }
	}
	return eachRepo(ctx, names, func(ctx context.Context, name string) githubPlace {
		p := githubPlace{name: name}
		owner, repo, isRepo := strings.Cut(name, "/")
		owner, repo = url.PathEscape(owner), url.PathEscape(repo)
		if !isRepo {
			a := parallel([]func() (*httpx.Response, error){
				get(srv.api+"/users/"+owner, header),
				get(srv.api+"/orgs/"+owner+"/repos?type=private&per_page=1", header)})
			p.main, p.orgRepos = a[0], a[1]
			return p
		}
		api := srv.api + "/repos/" + owner + "/" + repo
		second := get(api+"/pulls?per_page=1", header)
		if classic {
			second = get(srv.web+"/"+owner+"/"+repo+".git/info/refs?service=git-receive-pack", gitHeader)
		}
		a := parallel([]func() (*httpx.Response, error){get(api, header), second})
		p.main = a[0]
		if classic {
			p.push = a[1]
		} else {
			p.pulls = a[1]
		}
		return p
	})
}

// githubPlaceContext is what judging a place needs from the rest of the
// check.
type githubPlaceContext struct {
	srv     githubServer
	name    string // "GitHub", "The GitHub Enterprise server"
	login   string
	classic bool
	scopes  []string
	// mergeGate says GitHub documents that GET /repos hides the merge
	// settings from a token without Contents: write on this server.
	mergeGate bool
	// withheld are the IDs of the organizations whose SAML SSO has not
	// authorized the token (GET /user/repos said so); ssoLinks their
	// authorize links by lower-case login, where GitHub gave one.
	withheld map[string]bool
	ssoLinks map[string]string
	now      time.Time
	// facts gathers what the repositories proved about a fine-grained
	// token's own permissions.
	facts *githubFacts
}

// githubFacts counts, over the named repositories, what they proved about
// a fine-grained token's Contents and Pull requests permissions.
type githubFacts struct {
	repos, contents, noContents, noPulls int
}

// githubWithheldSet are the IDs of the organizations whose SAML SSO has
// not authorized the token, as GET /user/repos named them.
func githubWithheldSet(a githubAnswers) map[string]bool {
	set := map[string]bool{}
	for _, id := range githubWithheld(a.repos) {
		set[id] = true
	}
	return set
}

// githubSSOLinks are those organizations by lower-case login, with the
// authorize link GitHub gave for each ("" when it gave none).
func githubSSOLinks(a githubAnswers, srv githubServer) map[string]string {
	links := map[string]string{}
	for _, o := range a.orgs {
		label, link := githubOrgName(o.answer, srv)
		if login, ok := strings.CutPrefix(label, "The organization "); ok {
			links[strings.ToLower(login)] = link
		}
	}
	return links
}

// githubFineGrainedPlaces turns what the named repositories proved about
// a fine-grained token into its verdict: Contents: Read and write is
// missing when a repository proved its lack and no longer unverified when
// every repository proved it; Pull requests: Read and write is missing
// when a repository proved that the token has no Pull requests at all.
func githubFineGrainedPlaces(r *Report, f githubFacts) {
	contents, pulls := githubFineGrainedNeeds[0], githubFineGrainedNeeds[1]
	move := func(need string) {
		r.Unverified = slices.DeleteFunc(r.Unverified, func(s string) bool { return s == need })
		if !slices.Contains(r.Missing, need) {
			r.Missing = append(r.Missing, need)
		}
	}
	switch {
	case f.noContents > 0:
		move(contents)
	case f.repos > 0 && f.contents == f.repos:
		r.Unverified = slices.DeleteFunc(r.Unverified, func(s string) bool { return s == contents })
	}
	if f.noPulls > 0 {
		move(pulls)
	}
	// The repositories now say where the token stands.
	r.Summary = ""
	for i, fd := range r.Findings {
		if strings.HasPrefix(fd.Text, "This is a fine-grained token") {
			r.Findings[i].Text = "This is a fine-grained token: GitHub does not let anyone read its permissions, so gitpat proves what it can per repository below. Whether it may open pull requests (Pull requests: Read and write) cannot be proven without opening one."
			r.Findings[i].Fix = "Check Pull requests: Read and write on the token's page, or use a classic token with the repo scope, which gitpat can verify."
		}
	}
}

// githubMergeGate reports whether GitHub documents the merge-settings
// note for this server: github.com and GHE.com, and Enterprise Server
// from 3.14 (X-GitHub-Enterprise-Version, "3.14.2").
func githubMergeGate(srv githubServer, version string) bool {
	if !srv.ghes {
		return true
	}
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return err1 == nil && err2 == nil && (major > 3 || (major == 3 && minor >= 14))
}

// githubRepoJSON is the part of GET /repos/{owner}/{repo} the check reads.
type githubRepoJSON struct {
	FullName string `json:"full_name"`
	Private  bool   `json:"private"`
	Archived bool   `json:"archived"`
	Disabled bool   `json:"disabled"`
	Owner    struct {
		Login string      `json:"login"`
		ID    json.Number `json:"id"`
		Type  string      `json:"type"`
	} `json:"owner"`
	Permissions *struct {
		Pull bool `json:"pull"`
		Push bool `json:"push"`
	} `json:"permissions"`
	HasPullRequests *bool `json:"has_pull_requests"`
}

// githubMergeKeys are the merge-related settings GET /repos shows only to
// a token that may write the repository's contents.
var githubMergeKeys = []string{"allow_merge_commit", "allow_squash_merge", "allow_rebase_merge", "allow_auto_merge",
	"delete_branch_on_merge", "allow_update_branch", "use_squash_pr_title_as_default", "squash_merge_commit_title",
	"squash_merge_commit_message", "merge_commit_title", "merge_commit_message"}

// githubPlaces judges every place the check asked about. It does no I/O.
func githubPlaces(c githubPlaceContext, places []githubPlace) []RepoReport {
	if c.facts == nil {
		c.facts = &githubFacts{}
	}
	out := make([]RepoReport, 0, len(places))
	for _, p := range places {
		var rp RepoReport
		if strings.Contains(p.name, "/") {
			c.facts.repos++
			rp = githubRepoReport(c, p)
		} else {
			rp = githubOwnerReport(c, p)
		}
		rp.Name = p.name
		if rp.Findings == nil {
			rp.Findings = []Finding{}
		}
		out = append(out, rp)
	}
	return out
}

// githubTrouble says why an answer cannot be judged: the network, a
// server error, a rate limit, a web page or an unexpected status. ok is
// false then, and the place is "could not check".
func githubTrouble(c githubPlaceContext, a answer, expected ...int) (Finding, bool) {
	if a.err != nil {
		_, f := transportFinding(a.err, c.name)
		return f, false
	}
	if a.resp == nil {
		return Finding{Level: Error, Text: "gitpat did not ask " + c.name + " about it."}, false
	}
	resp := a.resp
	switch {
	case rateLimited(resp):
		return rateLimitFinding(resp, c.now), false
	case resp.Status >= 500:
		return githubServerError(resp.Status, c.srv, c.name), false
	case isHTML(resp):
		return webPage(c.srv), false
	}
	for _, s := range expected {
		if resp.Status == s {
			return Finding{}, true
		}
	}
	return Finding{Level: Error, Text: fmt.Sprintf("%s gave an unexpected answer about it (%d %s).", c.name, resp.Status, http.StatusText(resp.Status)),
		Fix: "Test again; if it persists, check the server address and your network."}, false
}

func unchecked(kind string, f Finding) RepoReport {
	return RepoReport{Kind: kind, Unchecked: true, Findings: []Finding{f}}
}

// denied is a place the token cannot reach at all, for the reason f.
func denied(kind string, found *bool, f ...Finding) RepoReport {
	no := proven(false)
	return RepoReport{Kind: kind, Found: found, Read: no, Branch: no, PullRequest: no, Findings: f}
}

// githubRepoReport judges one repository.
func githubRepoReport(c githubPlaceContext, p githubPlace) RepoReport {
	owner, _, _ := strings.Cut(p.name, "/")
	if f, ok := githubTrouble(c, p.main, http.StatusOK, http.StatusNotFound, http.StatusForbidden, http.StatusUnavailableForLegalReasons); !ok {
		return unchecked("repository", f)
	}
	resp := p.main.resp
	switch resp.Status {
	case http.StatusNotFound:
		return githubNotFound(c, p.name, owner)
	case http.StatusForbidden:
		return githubForbidden(c, resp, owner, "repository")
	case http.StatusUnavailableForLegalReasons:
		return denied("repository", proven(true), Finding{Level: Error,
			Text: c.name + " blocks this repository (451 Unavailable For Legal Reasons): no one can use it.",
			Fix:  "Leave it out of the integration, or ask its owners."})
	}
	var repo githubRepoJSON
	var keys map[string]json.RawMessage
	if !isJSON(resp.Header) || json.Unmarshal(resp.Body, &repo) != nil || json.Unmarshal(resp.Body, &keys) != nil || repo.FullName == "" {
		return unchecked("repository", Finding{Level: Error, Text: c.name + " answered about it with something that is not GitHub's API.",
			Fix: "Test again; if it persists, check your network and the server address."})
	}
	rp := RepoReport{Kind: "repository", Found: proven(true)}
	page := c.srv.web + "/" + p.name
	if !strings.EqualFold(repo.FullName, p.name) {
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: fmt.Sprintf("GitHub knows it as %s now: it was renamed or moved.", serverText(repo.FullName, "")),
			Fix:  "Name it so in the integration; old names only redirect."})
		if o, n, ok := strings.Cut(repo.FullName, "/"); ok && githubOwnerName.MatchString(o) && githubRepoName.MatchString(n) && n != "." && n != ".." {
			page = c.srv.web + "/" + repo.FullName
		}
	}
	if repo.Disabled {
		rp.Read, rp.Branch, rp.PullRequest = proven(false), proven(false), proven(false)
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "GitHub has disabled this repository: no one can use it until it is enabled again.",
			Fix: "Ask the repository's owners why it is disabled, or leave it out of the integration."})
		return rp
	}
	if c.classic {
		githubClassicRepo(c, p, repo, page, &rp)
	} else {
		githubFineRepo(c, p, repo, keys, page, &rp)
	}
	if rp.Unchecked {
		return rp
	}
	if repo.Archived {
		rp.Branch, rp.PullRequest = proven(false), proven(false)
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The repository is archived, so it is read-only: no new branches or pull requests.",
			Fix: "Unarchive it (Settings → General → Danger Zone), or leave it out of the integration.", Link: page + "/settings"})
	} else if repo.HasPullRequests != nil && !*repo.HasPullRequests {
		rp.PullRequest = proven(false)
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "Pull requests are turned off for this repository.",
			Fix: "Turn them on under Settings → General → Features, or ask an admin of the repository.", Link: page + "/settings"})
	}
	return rp
}

// githubClassicRepo judges a classic token on a repository it can see:
// the user's role, the token's scopes, SAML SSO and git's push discovery.
func githubClassicRepo(c githubPlaceContext, p githubPlace, repo githubRepoJSON, page string, rp *RepoReport) {
	scoped := slices.Contains(c.scopes, "repo") || (!repo.Private && slices.Contains(c.scopes, "public_repo"))
	switch {
	case !repo.Private:
		rp.Read = proven(true) // public repositories are readable by every token
	case repo.Permissions != nil:
		rp.Read = proven(repo.Permissions.Pull)
	}
	push := githubPush(c, p.push)
	switch {
	case repo.Archived:
		return // judged by the caller
	case repo.Permissions == nil:
		rp.Findings = append(rp.Findings, Finding{Level: Warn, Text: c.name + " did not say what your account may do in this repository."})
	case !repo.Permissions.Push:
		rp.Branch = proven(false)
		rp.Findings = append(rp.Findings, githubReadOnly(c, page))
	case !scoped:
		rp.Branch = proven(false)
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The token lacks the repo scope, so it may not write here.",
			Fix: "Tick repo on the token's page and click Update token.", Link: c.srv.web + "/settings/tokens"})
	case repo.Owner.Type == "Organization" && c.withheld[repo.Owner.ID.String()]:
		rp.Branch = proven(false)
		rp.Findings = append(rp.Findings, githubSSOFinding(c, repo.Owner.Login, c.ssoLinks[strings.ToLower(repo.Owner.Login)],
			"uses SAML single sign-on and has not authorized this token: it may read this public repository, not write to it."))
	case push.decided && !push.allowed:
		rp.Branch = proven(false)
		rp.Findings = append(rp.Findings, push.finding)
	case push.decided:
		rp.Branch = proven(true)
	case !repo.Private && repo.Owner.Type == "Organization" && push.trouble != nil:
		*rp = unchecked("repository", *push.trouble)
		return
	case !repo.Private && repo.Owner.Type == "Organization":
		// The organization may restrict classic tokens to reading its
		// public resources: only git's answer tells.
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: fmt.Sprintf("gitpat could not confirm that %s lets classic tokens write to its public repositories (%s).", serverText(repo.Owner.Login, ""), push.why),
			Fix:  "Test again; if it persists, try creating a branch in the repository with this token, or use a fine-grained token."})
	default:
		rp.Branch = proven(true)
	}
	rp.PullRequest = rp.Branch
}

// githubFineRepo judges a fine-grained token (or any token without
// X-OAuth-Scopes) on a repository it can see.
func githubFineRepo(c githubPlaceContext, p githubPlace, repo githubRepoJSON, keys map[string]json.RawMessage, page string, rp *RepoReport) {
	merge := false
	for _, k := range githubMergeKeys {
		if _, ok := keys[k]; ok {
			merge = true
		}
	}
	tokenPage := c.srv.web + "/settings/personal-access-tokens"
	switch {
	case !repo.Private:
		rp.Read = proven(true) // "Tokens always include read-only access to all public repositories"
	case merge && c.mergeGate:
		rp.Read = proven(true) // Contents: Read and write includes reading
	}
	switch {
	case repo.Archived:
	case repo.Permissions == nil:
		rp.Findings = append(rp.Findings, Finding{Level: Warn, Text: c.name + " did not say what your account may do in this repository."})
	case !repo.Permissions.Push:
		rp.Branch = proven(false)
		rp.Findings = append(rp.Findings, githubReadOnly(c, page))
	case !c.mergeGate:
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: "This GitHub Enterprise Server version does not document how it shows a fine-grained token's Contents permission, so gitpat cannot prove the token may create branches here.",
			Fix:  "Check on the token's page that it has Contents: Read and write on this repository.", Link: tokenPage})
	case merge:
		rp.Branch = proven(true)
		c.facts.contents++
	default:
		rp.Branch = proven(false)
		c.facts.noContents++
		text := "The token was not given Contents: Read and write on this repository, so it cannot create branches here."
		if !repo.Private {
			text = "The token may read this public repository (every token may) but was not given it with Contents: Read and write, so it cannot create branches here."
		}
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: text,
			Fix:  fmt.Sprintf("Edit the token: under Repository access add %s, and under Permissions set Contents to Read and write.", p.name),
			Link: tokenPage})
	}
	if rp.Read == nil && !isFalse(rp.Branch) && !repo.Archived {
		// Where branches are ruled out, what it reads matters less.
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: "gitpat cannot prove that the token may read the repository's contents (Contents: Read)."})
	}
	if repo.Archived || (repo.Permissions != nil && !repo.Permissions.Push) {
		rp.PullRequest = proven(false)
		return
	}
	if repo.Private {
		if f, ok := githubTrouble(c, p.pulls, http.StatusOK, http.StatusForbidden, http.StatusNotFound); !ok {
			*rp = unchecked("repository", f)
			return
		}
		if p.pulls.resp.Status == http.StatusForbidden {
			rp.PullRequest = proven(false)
			c.facts.noPulls++
			rp.Findings = append(rp.Findings, Finding{Level: Error,
				Text: "The token was not given Pull requests on this repository: GitHub refused to list its pull requests (" + githubQuote(p.pulls.resp) + ").",
				Fix:  fmt.Sprintf("Edit the token: under Permissions set Pull requests to Read and write for %s.", p.name), Link: tokenPage})
			return
		}
	}
	rp.Findings = append(rp.Findings, Finding{Level: Warn,
		Text: "GitHub shows no one whether a fine-grained token may open pull requests without opening one, so gitpat cannot prove it.",
		Fix:  "Check on the token's page that it has Pull requests: Read and write on this repository.", Link: tokenPage})
}

// githubReadOnly says the account may not write to the repository.
func githubReadOnly(c githubPlaceContext, page string) Finding {
	who := "Your account"
	if c.login != "" {
		who = "Your account (" + c.login + ")"
	}
	// The repository's "Collaborators and teams" page is
	// /OWNER/REPO/settings/access (seen in third-party guides; only its
	// admins may open it).
	return Finding{Level: Error, Text: who + " may only read this repository, so the token cannot create branches or open pull requests here.",
		Fix: "Ask an admin of the repository for the Write role (Settings → Collaborators and teams).", Link: page + "/settings/access"}
}

// githubPushAnswer is what git's push discovery decided: allowed, refused
// with a reason, or nothing (why says what it answered).
type githubPushAnswer struct {
	decided, allowed bool
	finding          Finding
	why              string
	// trouble is set when git could not answer (the network, a server
	// error, a rate limit): "could not check" where the answer matters.
	trouble *Finding
}

// githubPush reads git's push discovery. Only a 200 advertisement
// (allowed) or a 403 (refused, with GitHub's line of text) decides.
func githubPush(c githubPlaceContext, a answer) githubPushAnswer {
	var e *httpx.Error
	switch {
	case a.err != nil && errors.As(a.err, &e) && e.Kind == httpx.KindBodyTooLarge:
		return githubPushAnswer{why: "git's answer was too large to read"}
	case a.err != nil && errors.As(a.err, &e) && e.Kind == httpx.KindRedirect:
		return githubPushAnswer{why: "git's address redirected elsewhere"}
	case a.resp == nil && a.err == nil:
		return githubPushAnswer{why: "git was not asked"}
	}
	if f, ok := githubTrouble(c, a, http.StatusOK, http.StatusForbidden, http.StatusNotFound, http.StatusUnauthorized); !ok && (a.err != nil || a.resp.Status >= 500 || rateLimited(a.resp)) {
		return githubPushAnswer{why: "git did not answer", trouble: &f}
	}
	resp := a.resp
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch {
	case resp.Status == http.StatusOK && mt == "application/x-git-receive-pack-advertisement":
		return githubPushAnswer{decided: true, allowed: true}
	case resp.Status == http.StatusForbidden && !rateLimited(resp) && !isHTML(resp):
		msg := githubGitMessage(resp.Body)
		f := Finding{Level: Error, Text: "GitHub refuses to let this token push here: “" + msg + "”",
			Fix: "Do what GitHub's message says, or ask the repository's admins."}
		lower := strings.ToLower(msg)
		switch {
		case strings.Contains(lower, "classic") && strings.Contains(lower, "forbidden"):
			f.Text = "The organization does not let classic tokens write to its repositories: “" + msg + "”"
			f.Fix = "Create a fine-grained token with the organization as its resource owner, or ask the organization's owners to allow classic tokens."
			f.Link = c.srv.web + "/settings/personal-access-tokens/new"
		case strings.Contains(lower, "saml"):
			f.Text = "The organization uses SAML single sign-on and has not authorized this token: “" + msg + "”"
			f.Fix = "Open the link within the hour, sign in with the organization's identity provider and authorize the token."
			f.Link = c.srv.web + "/settings/tokens"
			if m := githubSSOURL.FindString(string(resp.Body)); m != "" {
				if u := githubSSOLink("url="+m, c.srv); u != nil {
					f.Link = u.String()
				}
			}
		case strings.Contains(lower, "permission to") && strings.Contains(lower, "denied"):
			f.Fix = "Ask an admin of the repository for the Write role."
		}
		return githubPushAnswer{decided: true, finding: f}
	}
	return githubPushAnswer{why: fmt.Sprintf("git answered %d %s", resp.Status, http.StatusText(resp.Status))}
}

// githubSSOURL finds an authorize link in git's SAML SSO notice.
var githubSSOURL = regexp.MustCompile(`https://[^\s"']+/sso\?authorization_request=[A-Za-z0-9_-]+`)

// githubGitMessage is the first line of the text git would print after
// "remote:".
func githubGitMessage(body []byte) string {
	for _, line := range strings.Split(string(body), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return serverText(line, "")
		}
	}
	return "no reason given"
}

// githubNotFound is a 404: GitHub does not tell "does not exist" from
// "this token may not see it".
func githubNotFound(c githubPlaceContext, name, owner string) RepoReport {
	f := Finding{Level: Error,
		Text: "GitHub answers “not found”: the repository does not exist, or this token may not see it (GitHub does not say which)."}
	if link, ok := c.ssoLinks[strings.ToLower(owner)]; ok && c.classic {
		f = githubSSOFinding(c, owner, link, "uses SAML single sign-on and has not authorized this token, which is the likely reason GitHub answers “not found”.")
		return denied("repository", proven(false), f)
	}
	if c.classic {
		f.Fix = "Check the name. If it exists, your account needs access to it (ask its admins), and the token needs the repo scope."
		f.Link = c.srv.web + "/" + name
	} else {
		f.Text += " A fine-grained token sees a private repository only if it was given it, with its owner as the token's resource owner."
		f.Fix = fmt.Sprintf("Check the name, then edit the token: the resource owner must be %s and Repository access must include %s.", owner, name)
		f.Link = c.srv.web + "/settings/personal-access-tokens"
	}
	return denied("repository", proven(false), f)
}

// githubForbidden is a 403 about a place: SAML SSO, an organization's
// token policy, a fine-grained token without the permission, or another
// refusal GitHub names.
func githubForbidden(c githubPlaceContext, resp *httpx.Response, owner, kind string) RepoReport {
	var e githubError
	_ = json.Unmarshal(resp.Body, &e)
	msg := strings.TrimSuffix(serverText(e.Message, ""), ".")
	lower := strings.ToLower(msg)
	if k, params := githubSSOHeader(resp.Header); k == "required" {
		link := ""
		if u := githubSSOLink(params, c.srv); u != nil {
			link = u.String()
		}
		return denied(kind, nil, githubSSOFinding(c, owner, link, "uses SAML single sign-on and has not authorized this token, so GitHub keeps it out."))
	}
	f := Finding{Level: Error, Text: "GitHub refused the token here: “" + orDefault(msg, "403 Forbidden") + "”.",
		Fix: "Do what GitHub's message says, or ask the organization's owners which tokens they allow."}
	switch {
	case strings.Contains(lower, "forbids access via a personal access token (classic)"):
		f.Text = fmt.Sprintf("%s does not let classic tokens reach its repositories: “%s”.", owner, msg)
		f.Fix = "Create a fine-grained token with the organization as its resource owner, or ask the organization's owners to allow classic tokens."
		f.Link = c.srv.web + "/settings/personal-access-tokens/new"
	case strings.Contains(lower, "forbids access via a fine-grained personal access token"):
		f.Text = fmt.Sprintf("%s does not accept this fine-grained token: “%s”.", owner, msg)
		f.Fix = "Do what the message asks (such as a shorter lifetime), or ask the organization's owners."
		f.Link = c.srv.web + "/settings/personal-access-tokens"
	case strings.Contains(lower, "resource not accessible by personal access token"):
		f.Text = "The token may not see this: “" + msg + "”" + githubAccepted(resp.Header) + "."
		f.Fix = "Edit the token: give it this repository under Repository access."
		f.Link = c.srv.web + "/settings/personal-access-tokens"
	}
	return denied(kind, nil, f)
}

// githubAccepted quotes X-Accepted-GitHub-Permissions ("the permissions that
// are required to use the endpoint"; "," joins, ";" separates
// alternatives: github/docs troubleshooting-the-rest-api.md).
func githubAccepted(h http.Header) string {
	if v := serverText(h.Get("X-Accepted-Github-Permissions"), ""); v != "" {
		return " (GitHub needs " + v + ")"
	}
	return ""
}

// githubQuote is a 403's message, for a sentence.
func githubQuote(resp *httpx.Response) string {
	var e githubError
	_ = json.Unmarshal(resp.Body, &e)
	return "“" + strings.TrimSuffix(orDefault(serverText(e.Message, ""), "403 Forbidden"), ".") + "”" + githubAccepted(resp.Header)
}

// githubSSOFinding says an organization's SAML SSO keeps the token out,
// with the link that authorizes it (or the tokens page).
func githubSSOFinding(c githubPlaceContext, org, link, what string) Finding {
	f := Finding{Level: Error, Text: "The organization " + serverText(org, "") + " " + what,
		Fix:  "Open the link within the hour, sign in with the organization's identity provider and authorize the token (later: Configure SSO next to the token on your tokens page).",
		Link: link}
	if link == "" {
		f.Fix = "On your tokens page, choose Configure SSO next to this token and click Authorize for " + serverText(org, "") + "."
		f.Link = c.srv.web + "/settings/tokens"
	}
	return f
}

// githubOwnerReport judges a named organization or account: that it
// exists, SAML SSO, the token policy and whether the token reaches its
// private repositories. What the token may do in each repository is
// proven only per repository.
func githubOwnerReport(c githubPlaceContext, p githubPlace) RepoReport {
	if f, ok := githubTrouble(c, p.main, http.StatusOK, http.StatusNotFound); !ok {
		return unchecked("organization", f)
	}
	if p.main.resp.Status == http.StatusNotFound {
		return denied("organization", proven(false), Finding{Level: Error,
			Text: fmt.Sprintf("%s knows no organization or account named %s.", c.name, p.name),
			Fix:  "Check the name: it is the part after " + c.srv.web + "/ in the organization's address."})
	}
	var acct struct {
		Login string      `json:"login"`
		ID    json.Number `json:"id"`
		Type  string      `json:"type"`
	}
	if !isJSON(p.main.resp.Header) || json.Unmarshal(p.main.resp.Body, &acct) != nil || acct.Login == "" {
		return unchecked("organization", Finding{Level: Error, Text: c.name + " answered about it with something that is not GitHub's API.",
			Fix: "Test again; if it persists, check your network and the server address."})
	}
	perRepo := Finding{Level: Warn,
		Text: "gitpat proves reading, creating branches and opening pull requests per repository, not for a whole " + map[bool]string{true: "account", false: "organization"}[acct.Type == "User"] + ".",
		Fix:  fmt.Sprintf("Name the repositories the integration will use, as %s/REPOSITORY.", p.name)}
	if acct.Type == "User" {
		return RepoReport{Kind: "account", Found: proven(true), Findings: []Finding{perRepo}}
	}
	rp := RepoReport{Kind: "organization", Found: proven(true)}
	if c.classic && c.withheld[acct.ID.String()] {
		r := denied("organization", proven(true), githubSSOFinding(c, acct.Login, c.ssoLinks[strings.ToLower(acct.Login)],
			"uses SAML single sign-on and has not authorized this token: the integration cannot see its repositories."))
		if k, params := githubSSOHeader(headerOf(p.orgRepos)); k == "required" {
			if u := githubSSOLink(params, c.srv); u != nil {
				r.Findings[0].Link = u.String()
			}
		}
		return r
	}
	if f, ok := githubTrouble(c, p.orgRepos, http.StatusOK, http.StatusForbidden, http.StatusNotFound); !ok {
		return unchecked("organization", f)
	}
	switch p.orgRepos.resp.Status {
	case http.StatusForbidden:
		r := githubForbidden(c, p.orgRepos.resp, acct.Login, "organization")
		r.Found = proven(true)
		return r
	case http.StatusOK:
		var list []githubRepo
		if json.Unmarshal(p.orgRepos.resp.Body, &list) != nil {
			return unchecked("organization", Finding{Level: Error, Text: c.name + " answered the list of its repositories with something that is not GitHub's API."})
		}
		if len(list) > 0 {
			rp.Findings = append(rp.Findings, Finding{Level: Info,
				Text: fmt.Sprintf("The token reaches %s's private repositories (such as %s).", acct.Login, serverText(list[0].FullName, ""))})
		} else {
			text := fmt.Sprintf("The token reaches none of %s's private repositories (it may have none).", acct.Login)
			if !c.classic {
				text += " A fine-grained token reaches an organization's private repositories only with the organization as its resource owner."
			}
			rp.Findings = append(rp.Findings, Finding{Level: Warn, Text: text})
		}
	}
	rp.Findings = append(rp.Findings, perRepo)
	return rp
}

func headerOf(a answer) http.Header {
	if a.resp == nil {
		return http.Header{}
	}
	return a.resp.Header
}
