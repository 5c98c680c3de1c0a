package hosts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
)

// gitlabNeeds is what the Jira integration needs of a GitLab token.
var gitlabNeeds = []string{"api"}

// GitLab covers gitlab.com and self-managed GitLab CE/EE.
var GitLab = &Host{
	ID:      "gitlab",
	Name:    "GitLab",
	Family:  "gitlab",
	Summary: "The Jira integration needs a personal access token with the api scope.",
	Needs:   gitlabNeeds,
	Variants: []Variant{
		{ID: "gitlab.com", Label: "GitLab.com"},
		{ID: "self-managed", Label: "Self-managed GitLab", Fields: []Field{{
			Key: "url", Label: "Server URL", Placeholder: "https://gitlab.example.com",
			Help:     "The address you open in the browser, with its sub-path if GitLab has one (https://example.com/gitlab).",
			Validate: func(s string) error { _, err := ParseServerURL(s, true); return err },
		}}},
	},
	Secrets: []SecretField{{Label: "Token", Placeholder: "glpat-…"}},
	Repos:   &gitlabRepoSpec,
	Steps: []Step{
		{"Sign in to GitLab, click your avatar and choose Edit profile.", "gitlab-1-avatar.svg"},
		{"In the left sidebar, select Access tokens (Personal access tokens). \"Open token page\" takes you straight there, prefilled.", "gitlab-2-tokens.svg"},
		{"Click Add new token.", "gitlab-3-add.svg"},
		{"Enter a name such as \"Jira\" and an expiry date as your organization's policy allows.", "gitlab-4-form.svg"},
		{"Select the api scope: it lets the integration create branches and merge requests.", "gitlab-5-scopes.svg"},
		{"Click Create personal access token and copy the token now: GitLab shows it only once.", "gitlab-6-copy.svg"},
	},
	Notes: []Note{
		{Level: Info, Text: "Scope: api. read_api, read_user or read_repository alone are not enough."},
		{Level: Info, Text: "Expiry: as your organization's policy allows. Since GitLab 16.0 every token expires (at most a year by default)."},
		{Level: Info, Text: "Copy the token right away: GitLab shows it only once."},
	},
	TokenPage: gitlabTokenPage,
	rotate:    rotateGitLab, // hosts/gitlab_rotate.go: the one call that changes the server
	check:     checkGitLab,
}

// gitlabServer holds where a GitLab lives.
type gitlabServer struct {
	web    string // https://gitlab.com, https://gitlab.example.com, https://example.com/gitlab
	api    string // web + /api/v4
	dotcom bool
	http   bool // plain http: the token would travel unencrypted
}

// gitlabReserved are top-level paths GitLab keeps for itself, so no group
// and no sub-path install can be called so: a pasted page address (…/-/…,
// …/api/v4, …/users/sign_in) is cut there to find the web root.
var gitlabReserved = map[string]bool{"-": true, "api": true, "users": true, "dashboard": true, "profile": true,
	"explore": true, "help": true, "admin": true, "oauth": true, "search": true}

// parseGitLabServer reads the variant and the server URL field. Plain
// http is accepted here; the check asks for consent before using it.
func parseGitLabServer(req Request) (gitlabServer, error) {
	dotcom := gitlabServer{web: "https://gitlab.com", api: "https://gitlab.com/api/v4", dotcom: true}
	if req.Variant != "self-managed" && req.Field("url") == "" {
		return dotcom, nil
	}
	u, err := ParseServerURL(req.Field("url"), true)
	if err != nil {
		return gitlabServer{}, err
	}
	if u.Host == "gitlab.com" || u.Host == "www.gitlab.com" {
		return dotcom, nil
	}
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if i > 0 && gitlabReserved[s] {
			segs = segs[:i]
			break
		}
	}
	web := u.Scheme + "://" + u.Host + strings.Join(segs, "/")
	return gitlabServer{web: web, api: web + "/api/v4", http: u.Scheme == "http"}, nil
}

// gitlabTokenName prefills the name field of the token page.
const gitlabTokenName = "Jira git integration"

// The paths of the personal access token page, newest first.
const (
	gitlabPageUserSettings = "/-/user_settings/personal_access_tokens" // about 16.7 on
	gitlabPageProfile      = "/-/profile/personal_access_tokens"       // about 13.0 to 16.x
	gitlabPageLegacy       = "/profile/personal_access_tokens"         // older servers
)

// gitlabTokenPage opens the newest token page: TokenPage cannot ask the
// server its version. The check adds the right page once it knows it.
func gitlabTokenPage(req Request) (string, error) {
	srv, err := parseGitLabServer(req)
	if err != nil {
		return "", err
	}
	page, _ := GitLabTokenPages(srv.web, "")
	return page, nil
}

// GitLabTokenPages returns the personal access token page of the GitLab at
// web (its address with any sub-path) for its version, such as
// "16.9.1-ee": prefilled with a name and the api scope from GitLab 14.1 on,
// which first understood that. fallback is the neighbouring older page
// where the version's own is uncertain, "" otherwise. An unknown version
// gets the newest page, with the one before as fallback.
func GitLabTokenPages(web, version string) (primary, fallback string) {
	web = strings.TrimRight(web, "/")
	prefill := "?" + url.Values{"name": {gitlabTokenName}, "scopes": {"api"}}.Encode()
	major, minor, ok := parseGitLabVersion(version)
	v := major*1000 + minor
	switch {
	case !ok:
		return web + gitlabPageUserSettings + prefill, web + gitlabPageProfile + prefill
	case v >= 17000:
		return web + gitlabPageUserSettings + prefill, ""
	case v >= 16007:
		// The old page redirects to the new one until 17.0.
		return web + gitlabPageUserSettings + prefill, web + gitlabPageProfile + prefill
	case v >= 14001:
		return web + gitlabPageProfile + prefill, ""
	case v >= 13000:
		return web + gitlabPageProfile, web + gitlabPageLegacy
	default:
		return web + gitlabPageLegacy, web + gitlabPageProfile
	}
}

var gitlabVersionPattern = regexp.MustCompile(`^v?(\d{1,4})\.(\d{1,4})(?:\.\d{1,6})?(?:-[0-9A-Za-z.]{1,40})?$`)

// parseGitLabVersion reads "16.9.1-ee" as 16, 9.
func parseGitLabVersion(v string) (major, minor int, ok bool) {
	m := gitlabVersionPattern.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return 0, 0, false
	}
	major, _ = strconv.Atoi(m[1])
	minor, _ = strconv.Atoi(m[2])
	return major, minor, true
}

// gitlabToken is GET /personal_access_tokens/self.
type gitlabToken struct {
	Name      string    `json:"name"`
	Revoked   bool      `json:"revoked"`
	Active    *bool     `json:"active"`
	Scopes    []string  `json:"scopes"`
	UserID    int64     `json:"user_id"`
	CreatedAt string    `json:"created_at"`
	ExpiresAt *string   `json:"expires_at"`
	expires   time.Time // ExpiresAt read: 00:00 UTC that day
}

// parseGitLabToken reads the token's own description. expires_at is a
// date ("2026-12-31") or null for no expiry; the token stops working at
// 00:00 UTC that day.
func parseGitLabToken(body []byte) (gitlabToken, error) {
	var t gitlabToken
	if err := json.Unmarshal(body, &t); err != nil {
		return t, err
	}
	if t.Scopes == nil {
		return t, errors.New("not a token: no scopes")
	}
	if t.ExpiresAt != nil {
		exp, err := time.Parse("2006-01-02", *t.ExpiresAt)
		if err != nil {
			if exp, err = time.Parse(time.RFC3339, *t.ExpiresAt); err != nil {
				return t, errors.New("unreadable expiry date")
			}
		}
		t.expires = exp.UTC()
	}
	return t, nil
}

// active reports whether GitLab lists the token as usable.
func (t gitlabToken) active() bool { return !t.Revoked && (t.Active == nil || *t.Active) }

// gitlabUser is the part of GET /user a check uses. is_admin is there
// only for an administrator, who reads itself as Entities::UserWithAdmin
// (lib/api/users.rb, GET /user).
type gitlabUser struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Bot      bool   `json:"bot"`
	IsAdmin  bool   `json:"is_admin"`
}

// gitlabError is any of GitLab's error bodies: Grape's {"message": …} or
// {"error": "404 Not Found"}, and the OAuth-style {"error":
// "invalid_token", "error_description": …}.
type gitlabError struct {
	Message     string
	Error       string
	Description string
}

// parseGitLabError reads an error body; what it cannot read stays empty.
// message may be an object (validation errors) or a list.
func parseGitLabError(body []byte) gitlabError {
	var raw struct {
		Message     json.RawMessage `json:"message"`
		Error       json.RawMessage `json:"error"`
		Description json.RawMessage `json:"error_description"`
	}
	if json.Unmarshal(body, &raw) != nil {
		return gitlabError{}
	}
	text := func(m json.RawMessage) string {
		var s string
		if json.Unmarshal(m, &s) == nil {
			return s
		}
		var list []string
		if json.Unmarshal(m, &list) == nil {
			return strings.Join(list, " ")
		}
		return ""
	}
	return gitlabError{Message: text(raw.Message), Error: text(raw.Error), Description: text(raw.Description)}
}

// gitlabKind sorts one answer.
type gitlabKind int

const (
	gitlabJSON       gitlabKind = iota // 200 with JSON
	gitlabMissing                      // 404: no such endpoint here
	gitlabOldRoute                     // 400 from an older route that reads "self" as a token ID
	gitlabNotPAT                       // 400: the token is not a personal access token
	gitlabScope                        // 403 insufficient_scope
	gitlabForbidden                    // 403 for another reason, such as a blocked account
	gitlabRefused                      // 401
	gitlabLimited                      // 429
	gitlabDown                         // 5xx
	gitlabPage                         // a web page or anything else that is not the API
	gitlabUnexpected                   // any other status
)

// classifyGitLab sorts an answer and reads its error body, if any.
func classifyGitLab(resp *httpx.Response) (gitlabKind, gitlabError) {
	e := parseGitLabError(resp.Body)
	switch s := resp.Status; {
	case s == http.StatusOK && isJSON(resp.Header) && !isHTML(resp):
		return gitlabJSON, e
	case s == http.StatusOK:
		return gitlabPage, e
	case s == http.StatusNotFound:
		return gitlabMissing, e
	case s == http.StatusUnauthorized:
		return gitlabRefused, e
	case s == http.StatusTooManyRequests:
		return gitlabLimited, e
	case s >= 500:
		return gitlabDown, e
	case isHTML(resp):
		return gitlabPage, e
	case s == http.StatusBadRequest && strings.Contains(strings.ToLower(e.Message), "personal access token"):
		return gitlabNotPAT, e
	case s == http.StatusBadRequest:
		return gitlabOldRoute, e
	case s == http.StatusForbidden && e.Error == "insufficient_scope":
		return gitlabScope, e
	case s == http.StatusForbidden:
		return gitlabForbidden, e
	}
	return gitlabUnexpected, e
}

// gitlabCall is one answered request, sorted.
type gitlabCall struct {
	path string
	resp *httpx.Response
	kind gitlabKind
	err  gitlabError
}

// gitlabCheck is what one check knows along the way.
type gitlabCheck struct {
	srv   gitlabServer
	name  string // "GitLab", "The GitLab server"
	token string // only to keep it out of quoted server text
	page  string // the token page, right for the version once known
}

func checkGitLab(ctx context.Context, env Env, req Request) *Report {
	r := &Report{}
	srv, err := parseGitLabServer(req)
	if err != nil {
		return r.fail(BadInput, Finding{Level: Error, Text: err.Error(),
			Fix: "Enter the address you open GitLab with in the browser, such as https://gitlab.example.com or https://example.com/gitlab."})
	}
	r.Server = srv.web
	if srv.http && !req.AllowHTTP {
		r.NeedsHTTPConsent = true
		return r.fail(BadInput, Finding{Level: Error, Text: "The server address uses http://, which would send the token unencrypted.",
			Fix: "Use https:// if the server offers it; otherwise agree to send the token over plain http (gitpat-check: --allow-http)."})
	}
	c := gitlabCheck{srv: srv, name: "GitLab", token: req.Secrets[0].Reveal()}
	if !srv.dotcom {
		c.name = "The GitLab server"
	}
	c.page, _ = GitLabTokenPages(srv.web, "")
	header := http.Header{"Private-Token": {c.token}, "Accept": {"application/json"}}
	get := func(path string) func() (*httpx.Response, error) {
		return func() (*httpx.Response, error) { return env.HTTP.Get(ctx, srv.api+path, header) }
	}
	answers := parallel([]func() (*httpx.Response, error){get(gitlabPaths[0]), get(gitlabPaths[1]), get(gitlabPaths[2])})
	var acct gitlabAccount
	r = c.report(r, answers, get, env.Now(), &acct)
	if len(req.Repos) > 0 && (r.Outcome == Sufficient || r.Outcome == Insufficient) {
		r.Repositories = c.repos(ctx, env, acct, req.Repos)
	}
	return r
}

// gitlabPaths are the requests every check sends at once, under /api/v4.
//
// HOSTS: what GET /personal_access_tokens/self answers, by GitLab version
// (gitlabhq/gitlabhq: doc/api/personal_access_tokens.md, lib/api/):
//   - 15.5 on: the token's own description, to a token of any scope
//     (issue 373999, "Introduced in GitLab 15.5";
//     personal_access_tokens/self_information.rb: allow_access_with_scope(
//     Gitlab::Auth.all_available_scopes)); 400 "This endpoint requires
//     token type to be a personal access token" to other tokens; 401 to an
//     expired, revoked or unknown one.
//   - 15.1 to 15.4: no such route, but GET /personal_access_tokens/:id
//     (issue 362239, "Introduced in GitLab 15.1"), which takes "self" as
//     an ID and finds no token. After authentication and the scope check
//     every API class makes (api, or read_api for GET: api.rb; any other
//     token gets 403 insufficient_scope) it answers 401 {"message":"401
//     Unauthorized"}, the very body an unknown token gets, or 404 to an
//     administrator from 15.3 on (personal_access_tokens.rb: "current_user.
//     admin? ? not_found! : unauthorized!"; "404 HTTP status code
//     introduced in GitLab 15.3", merge request 93650). /user answers 200
//     to the same token, which tells the two 401s apart.
//   - before 15.1: no GET route there (13.3 added the list, 15.0 DELETE
//     self); the API's catch-all answers 404 {"error":"404 Not Found"}
//     before authentication (api.rb: route :any, '*path').
//
// So before 15.5 a token cannot read its own scopes or expiry.
var gitlabPaths = [3]string{"/personal_access_tokens/self", "/user", "/version"}

// report turns the answers to gitlabPaths into the report, and into acct
// what the repository round needs; get may fetch /metadata when the
// server has no /version.
func (c gitlabCheck) report(r *Report, answers []answer, get func(string) func() (*httpx.Response, error), now time.Time, acct *gitlabAccount) *Report {
	for _, a := range answers[:2] {
		if a.err != nil {
			o, f := transportFinding(a.err, c.name)
			return r.fail(o, f)
		}
	}
	var calls [2]gitlabCall
	for i := range calls {
		calls[i] = gitlabCall{path: gitlabPaths[i], resp: answers[i].resp}
		calls[i].kind, calls[i].err = classifyGitLab(answers[i].resp)
	}
	self, user := calls[0], calls[1]
	if o, f, ok := c.failure(self, user); !ok {
		return r.fail(o, f)
	}
	if c.srv.http {
		r.add(Finding{Level: Warn, Text: "The token was sent over plain http: anyone on the network path could read it.",
			Fix: "Ask your GitLab administrator to enable https, then replace this token with a new one."})
	}

	if user.kind == gitlabJSON {
		var u gitlabUser
		if json.Unmarshal(user.resp.Body, &u) != nil || u.Username == "" {
			return r.fail(Unchecked, c.notGitLab(false))
		}
		r.User, r.Name = c.scrub(u.Username), c.scrub(u.Name)
		acct.userID, acct.username, acct.admin = u.ID, r.User, u.IsAdmin
		if u.Bot {
			r.add(Finding{Level: Warn, Text: "It belongs to the bot user of a project or group access token: the integration sees only that project or group.",
				Fix: "If Jira should see more repositories, use a personal access token of a user who can see them all."})
		}
	}
	version := c.scrub(gitlabVersionOf(answers[2], get))
	acct.version = version
	if version != "" {
		c.page, _ = GitLabTokenPages(c.srv.web, version)
		r.add(Finding{Level: Info, Text: "GitLab " + version + "."})
	}

	switch self.kind {
	case gitlabJSON:
		t, err := parseGitLabToken(self.resp.Body)
		if err != nil {
			return r.fail(Unchecked, c.notGitLab(false))
		}
		c.tokenFacts(r, t, user, now)
		acct.scopes = r.Scopes
		if acct.userID == 0 {
			acct.userID = t.UserID
		}
	case gitlabNotPAT:
		r.Outcome = Insufficient
		r.Missing = []string{"a personal access token"}
		r.TokenKind = "not a personal access token"
		r.ExpiryUnknown = true
		r.Summary = "The token works, but it is not a personal access token."
		r.add(Finding{Level: Error, Text: "This is not a personal access token (" + c.quote(orDefault(self.err.Message, "400 Bad request")) + "); the Jira integration needs one.",
			Fix: "Create a personal access token with the api scope and paste that one.", Link: c.page})
	default: // the server is older than 15.5
		if self.kind == gitlabRefused && gitlabDescribesTokens(version) {
			return r.fail(Unchecked, Finding{Level: Error,
				Text: "GitLab " + version + " accepted the token for " + c.srv.api + "/user but refused it on /personal_access_tokens/self, which that version answers for every token it accepts.",
				Fix:  "Test again in a minute (the token may have been revoked just now); if it persists, ask your GitLab administrator."})
		}
		c.unverifiable(r, self, user, version)
	}
	c.tokenPageFinding(r, version)
	acct.page = c.page
	return r
}

// failure turns the answers of /personal_access_tokens/self and /user into
// a verdict when they end the check; ok is true when they can be read.
func (c gitlabCheck) failure(self, user gitlabCall) (Outcome, Finding, bool) {
	both := []gitlabCall{self, user}
	// A refused token: prefer the answer that says why.
	for _, call := range both {
		if call.kind == gitlabRefused && call.err.Error == "invalid_token" {
			return Rejected, c.rejected(call.err), false
		}
	}
	// /user refuses only a token GitLab does not accept. A bare 401 on
	// /personal_access_tokens/self alone is what GitLab 15.1 to 15.4 give
	// every token they accept (see gitlabPaths): /user decides.
	if user.kind == gitlabRefused {
		return Rejected, c.rejected(user.err), false
	}
	for _, call := range both {
		switch call.kind {
		case gitlabDown:
			fix := "Try again in a few minutes; if it persists, ask your GitLab administrator."
			if c.srv.dotcom {
				fix = "Try again in a few minutes; if it persists, check GitLab's status page."
			}
			return Unchecked, serverError(call.resp.Status, c.name, fix), false
		case gitlabLimited:
			return Unchecked, gitlabRateLimit(call.resp.Header), false
		case gitlabPage:
			return Unchecked, c.notGitLab(true), false
		}
	}
	if self.kind == gitlabMissing && user.kind == gitlabMissing {
		return Unchecked, c.notGitLab(false), false
	}
	for _, call := range both {
		if call.kind == gitlabForbidden {
			msg := strings.TrimPrefix(orDefault(call.err.Message, "403 Forbidden"), "403 Forbidden - ")
			return Rejected, Finding{Level: Error, Text: c.name + " refused the token: " + c.quote(msg) + ".",
				Fix: "This is about your GitLab account, not the token: do what the message says, or ask your GitLab administrator."}, false
		}
	}
	// Any token may read /personal_access_tokens/self (15.5 on): a 400,
	// 401, 403 or 404 there comes from an older server (see gitlabPaths).
	selfOK := self.kind == gitlabJSON || self.kind == gitlabMissing || self.kind == gitlabOldRoute || self.kind == gitlabNotPAT ||
		self.kind == gitlabScope || self.kind == gitlabRefused
	userOK := user.kind == gitlabJSON || user.kind == gitlabScope || (user.kind == gitlabMissing && self.kind == gitlabJSON)
	for _, call := range both {
		if (call.path == self.path && !selfOK) || (call.path == user.path && !userOK) {
			return Unchecked, c.unexpected(call), false
		}
	}
	return 0, Finding{}, true
}

// unexpected describes an answer the check cannot read.
func (c gitlabCheck) unexpected(call gitlabCall) Finding {
	return Finding{Level: Error,
		Text: fmt.Sprintf("%s gave an unexpected answer (%d %s) to %s.", c.name, call.resp.Status, http.StatusText(call.resp.Status), c.srv.api+call.path),
		Fix:  "Try again later; if it persists, check the server address or ask your GitLab administrator."}
}

// rejected says why GitLab refused the token (401).
func (c gitlabCheck) rejected(e gitlabError) Finding {
	renew := "Create a new token with the api scope and paste it into the integration."
	desc := strings.ToLower(e.Description)
	switch {
	case strings.Contains(desc, "expired"):
		return Finding{Level: Error, Text: "The token has expired.", Fix: renew, Link: c.page}
	case strings.Contains(desc, "revoked"):
		return Finding{Level: Error, Text: "The token was revoked.", Fix: renew, Link: c.page}
	case e.Description != "":
		return Finding{Level: Error, Text: c.name + " refused the token: " + c.quote(e.Description) + ".",
			Fix: renew, Link: c.page}
	}
	return Finding{Level: Error,
		Text: c.name + " does not accept this token (\"" + c.quote(orDefault(e.Message, "401 Unauthorized")) + "\"): it is mistyped, was deleted, or belongs to another GitLab server.",
		Fix:  "Copy the token again in one piece and check the server address; if it still fails, create a new token with the steps shown.",
		Link: c.page}
}

// notGitLab says the address does not lead to GitLab's API; page is set
// when a web page answered instead.
func (c gitlabCheck) notGitLab(page bool) Finding {
	text := "There is no GitLab API at " + c.srv.api + "."
	if page {
		text = c.srv.api + " answered with a web page, not GitLab's API: a sign-in page, a proxy or another site is in the way."
	}
	if c.srv.dotcom {
		return Finding{Level: Error, Text: text, Fix: "Check your network: a proxy or a sign-in portal may be answering instead of GitLab."}
	}
	fix := "Check the server address: enter the address you open GitLab with in the browser"
	if u, err := url.Parse(c.srv.web); err == nil && u.Path != "" {
		fix += "; if GitLab is at the root of the server, that is " + u.Scheme + "://" + u.Host + "."
	} else {
		fix += ", with its sub-path if it has one (such as " + c.srv.web + "/gitlab)."
	}
	return Finding{Level: Error, Text: text, Fix: fix}
}

// tokenFacts reports what /personal_access_tokens/self says.
func (c gitlabCheck) tokenFacts(r *Report, t gitlabToken, user gitlabCall, now time.Time) {
	renew := "Create a new token with the api scope and paste it into the integration."
	r.TokenKind = "personal access token"
	for _, s := range t.Scopes {
		r.Scopes = append(r.Scopes, c.scrub(s))
	}
	about := "It is a personal access token"
	if name := c.quote(t.Name); name != "" {
		about = "It is the personal access token \"" + name + "\""
	}
	if created, err := time.Parse(time.RFC3339, t.CreatedAt); err == nil {
		about += ", created on " + created.UTC().Format("2006-01-02")
	}
	r.add(Finding{Level: Info, Text: about + "."})
	if user.kind == gitlabScope {
		r.add(Finding{Level: Info, Text: fmt.Sprintf("GitLab did not say whose token it is (user ID %d): reading the profile needs api, read_api or read_user.", t.UserID)})
	}
	if t.ExpiresAt != nil {
		r.ExpiresAt = &t.expires
	}
	if !t.active() {
		state := "revoked"
		if !t.Revoked {
			state = "inactive (expired or revoked)"
		}
		r.Outcome = Rejected
		r.add(Finding{Level: Error, Text: "GitLab lists this token as " + state + ".", Fix: renew, Link: c.page})
		return
	}
	r.judgeScopes(gitlabNeeds, "GitLab cannot add a scope to an existing token: create a new token with the api scope and paste that one.", c.page)
	expiryFindings(r, r.ExpiresAt, now, renew)
	if r.ExpiresAt != nil && !r.ExpiresAt.After(now) {
		r.Outcome = Rejected
	}
}

// unverifiable reports a token on a server that cannot describe a token
// to itself (before GitLab 15.5): what could be checked and what could
// not. self is what /personal_access_tokens/self answered there (see
// gitlabPaths), user what /user did.
func (c gitlabCheck) unverifiable(r *Report, self, user gitlabCall, version string) {
	server := "This GitLab server is"
	if version != "" {
		server = "GitLab " + version + " is"
	}
	r.ExpiryUnknown = true
	r.Outcome = Insufficient
	if user.kind == gitlabScope || self.kind == gitlabScope {
		// Any token with api may read its user, and on 15.1 to 15.4 the
		// token API: a 403 insufficient_scope on either proves api absent.
		r.Missing = []string{"api"}
		text := "It lacks the api scope: GitLab refused to say whose token it is, which a token with api may always do."
		if user.kind != gitlabScope {
			text = "It lacks the api scope: GitLab refused it the personal access token API (403 insufficient_scope), which a token with api may always read."
		}
		r.add(Finding{Level: Error, Text: text,
			Fix:  "GitLab cannot add a scope to an existing token: create a new token with the api scope and paste that one.",
			Link: c.page})
		r.add(Finding{Level: Info, Text: server + " older than 15.5, so gitpat cannot read the token's scopes or expiry date."})
		return
	}
	r.Unverified = []string{"api"}
	r.Summary = "The token works, but gitpat could not verify its scopes or expiry on this GitLab version."
	has := "at least one of api, read_api or read_user"
	if self.kind == gitlabRefused {
		// It passed the scope check of the token API (api or read_api)
		// before the route found no token with the ID "self".
		has = "api or read_api"
	}
	r.add(Finding{Level: Info, Text: "What gitpat could check: the token works and signs in as " + r.User + ", so it has " + has + "."})
	r.add(Finding{Level: Warn, Text: "What it could not check: the token's scopes and expiry date. " + server + " older than 15.5, which cannot show them to the token itself.",
		Fix:  "On the token page, check that this token has the api scope (read_api is not enough) and note its expiry date.",
		Link: c.page})
}

// gitlabDescribesTokens reports whether a GitLab version has GET
// /personal_access_tokens/self (15.5 on, see gitlabPaths); false when
// the version is unknown.
func gitlabDescribesTokens(version string) bool {
	major, minor, ok := parseGitLabVersion(version)
	return ok && (major > 15 || major == 15 && minor >= 5)
}

// tokenPageFinding links the token page this server's version has when it
// is not the one "Open token page" uses, or the older page when the version
// is unknown.
func (c gitlabCheck) tokenPageFinding(r *Report, version string) {
	newest, _ := GitLabTokenPages(c.srv.web, "")
	primary, fallback := GitLabTokenPages(c.srv.web, version)
	switch {
	case version == "" && c.srv.dotcom:
		// gitlab.com always runs the newest version.
	case version == "":
		r.add(Finding{Level: Info, Text: "gitpat could not learn this server's GitLab version, so \"Open token page\" may lead to a page an older GitLab does not have.",
			Fix: "If that page shows Page Not Found, create the token on this older page.", Link: fallback})
	case primary != newest:
		text := "GitLab " + version + " has its token page at an older address than \"Open token page\" uses."
		if !strings.Contains(primary, "?") {
			text += " It cannot prefill the form: enter a name and tick api yourself."
		}
		fix := "Create tokens on this page."
		if fallback != "" {
			fix += " If it shows Page Not Found, use " + fallback + "."
		}
		r.add(Finding{Level: Info, Text: text, Fix: fix, Link: primary})
	}
}

// gitlabVersionOf reads the version from GET /version, or from GET
// /metadata where a server no longer has /version. It returns "" when the
// token may not read it or the answer is unusable.
func gitlabVersionOf(a answer, get func(string) func() (*httpx.Response, error)) string {
	resp, err := a.resp, a.err
	if err == nil && resp.Status == http.StatusNotFound {
		resp, err = get("/metadata")()
	}
	if err != nil || resp.Status != http.StatusOK || !isJSON(resp.Header) {
		return ""
	}
	var v struct {
		Version string `json:"version"`
	}
	if json.Unmarshal(resp.Body, &v) != nil {
		return ""
	}
	if _, _, ok := parseGitLabVersion(v.Version); !ok {
		return ""
	}
	return strings.TrimSpace(v.Version)
}

// gitlabRateLimit describes GitLab's 429 "Retry later".
func gitlabRateLimit(h http.Header) Finding {
	f := Finding{Level: Error, Text: "GitLab's request limit for your account or network is used up, so the check could not run.",
		Fix: "Wait a minute and test again."}
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s > 0 {
		f.Fix = fmt.Sprintf("Wait %s and test again.", plural(s, "second"))
	} else if reset, err := strconv.ParseInt(h.Get("Ratelimit-Reset"), 10, 64); err == nil && reset > 0 {
		f.Fix = "Wait until " + time.Unix(reset, 0).UTC().Format("15:04 MST") + " and test again."
	}
	return f
}

// scrub makes text from the server safe to show: one line, at most 200
// characters, and never the token, should a server echo it back.
func (c gitlabCheck) scrub(s string) string { return serverText(s, c.token) }

// quote scrubs server text for the middle of a sentence.
func (c gitlabCheck) quote(s string) string { return strings.TrimSuffix(c.scrub(s), ".") }
