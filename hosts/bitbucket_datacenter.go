package hosts

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
)

// bitbucketDCNeeds is the token permission the Jira integration needs:
// Repository write lets a token "Perform pull request actions; Push, pull,
// and clone repositories" (confluence.atlassian.com, Bitbucket Data Center
// HTTP access tokens, permissions table). Admin levels include it.
var bitbucketDCNeeds = []string{"Repository write"}

// bitbucketDCPermissionName names a token permission of the REST API
// (REPO_READ, REPO_WRITE, REPO_ADMIN, PROJECT_READ, PROJECT_WRITE,
// PROJECT_ADMIN: RestAccessTokenRequest in Atlassian's Bitbucket Data
// Center REST API description) as the token page shows it.
var bitbucketDCPermissionName = map[string]string{
	"REPO_READ": "Repository read", "REPO_WRITE": "Repository write", "REPO_ADMIN": "Repository admin",
	"PROJECT_READ": "Project read", "PROJECT_WRITE": "Project write", "PROJECT_ADMIN": "Project admin",
}

// bitbucketDCTokensSince is the release that brought personal access
// tokens, later called HTTP access tokens; older servers ignore a Bearer
// token and answer as to anyone ("For Bitbucket Server instances that
// don't support personal access tokens (Bitbucket Server version 5.4 and
// older)": Sourcegraph's Bitbucket Server documentation).
var bitbucketDCTokensSince = [2]int{5, 5}

// BitbucketDataCenter is self-managed Bitbucket Data Center (formerly
// Bitbucket Server), which takes HTTP access tokens.
var BitbucketDataCenter = &Host{
	ID:      "bitbucket-datacenter",
	Name:    "Bitbucket Data Center",
	Family:  "bitbucket-dc",
	Summary: "The Jira integration needs an HTTP access token with Repository write permission (Project read is enough for the project).",
	Needs:   bitbucketDCNeeds,
	Repos:   &bitbucketDCRepoSpec,
	Variants: []Variant{{ID: "datacenter", Label: "Bitbucket Data Center / Server", Fields: []Field{
		{Key: "url", Label: "Server URL", Placeholder: "https://bitbucket.example.com",
			Help: "The address you open in the browser, with its context path if Bitbucket has one (https://example.com/bitbucket)."},
		{Key: "user", Label: "Bitbucket user name", Placeholder: "jira-bot", Optional: true, WithSecret: true,
			Help: "The user name the integration signs in with, if it asks for one; gitpat checks the token is that user's. Project and repository tokens have none."},
	}}},
	Credential: "HTTP access token",
	Secrets:    []SecretField{{Label: "HTTP access token", Placeholder: "BBDC-… or 44 characters"}},
	Steps: []Step{
		{"Sign in to Bitbucket, click your profile picture (top right) and choose Manage account.", "bbdc-1-account.svg"},
		{"Choose HTTP access tokens (Personal access tokens on older servers) and click Create token. \"Open token page\" takes you there.", "bbdc-2-tokens.svg"},
		{"Name it \"Jira\" and set the permissions: Projects: Read, Repositories: Write.", "bbdc-3-permissions.svg"},
		{"Set Automatic expiry as your policy asks (your administrator may require it), then click Create.", "bbdc-4-expiry.svg"},
		{"Copy the token now: Bitbucket shows it only once.", "bbdc-5-copy.svg"},
	},
	Notes: []Note{
		{Level: Info, Text: "Permissions: Repository write lets the integration push branches and act on pull requests; Repository read alone only lets it clone. The token can never do more than its user may."},
		{Level: Info, Text: "Project and repository tokens (Data Center licence; project or repository settings → HTTP access tokens) reach only that project or repository and sign in without a user name (Bearer only)."},
		{Level: Warn, Text: "If your server uses http:// the token travels unencrypted; prefer https."},
		{Level: Info, Text: "Tokens came with Bitbucket Server 5.5; older servers have none."},
	},
	TokenPage: func(req Request) (string, error) {
		srv, err := parseBitbucketDCServer(req.Field("url"))
		if err != nil {
			return "", err
		}
		return srv.web + "/plugins/servlet/access-tokens/manage", nil
	},
	Regenerate: bitbucketDCRenewal,
	check:      checkBitbucketDC,
}

// bitbucketDCServer is where a Bitbucket Data Center lives.
type bitbucketDCServer struct {
	web  string // https://bitbucket.example.com or …/bitbucket with a context path
	http bool   // plain http: the token would travel unencrypted
}

// bitbucketDCReserved are the first path segments of Bitbucket's own
// pages and APIs: a pasted page address (…/projects/KEY/repos/…,
// …/plugins/servlet/…, …/rest/api/…, …/scm/…) is cut there to find the
// address with its context path.
var bitbucketDCReserved = map[string]bool{"projects": true, "users": true, "plugins": true, "rest": true, "scm": true,
	"dashboard": true, "account": true, "admin": true, "login": true, "repos": true, "profile": true, "git": true}

// parseBitbucketDCServer reads the server URL field. Plain http is
// accepted here; the check asks for consent before using it.
func parseBitbucketDCServer(raw string) (bitbucketDCServer, error) {
	u, err := ParseServerURL(raw, true)
	if err != nil {
		return bitbucketDCServer{}, err
	}
	if u.Host == "bitbucket.org" || u.Host == "api.bitbucket.org" || u.Host == "www.bitbucket.org" {
		return bitbucketDCServer{}, &ServerURLError{"That is Bitbucket Cloud: use the Bitbucket Cloud tab."}
	}
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if i > 0 && bitbucketDCReserved[s] {
			segs = segs[:i]
			break
		}
	}
	return bitbucketDCServer{web: u.Scheme + "://" + u.Host + strings.Join(segs, "/"), http: u.Scheme == "http"}, nil
}

// The requests of the first round, under the server's address. Both are
// anonymously accessible (Atlassian's REST API description), so a server
// that ignores the token still answers them, without a user.
const (
	bitbucketDCPropertiesPath = "/rest/api/latest/application-properties"
	bitbucketDCWritablePath   = "/rest/api/latest/repos?permission=REPO_WRITE&limit=25"
)

// bitbucketDC is what one check knows along the way.
type bitbucketDC struct {
	srv   bitbucketDCServer
	user  string // the user name field
	token string // only to keep it out of quoted server text
	id    string // the token ID the token carries, "" when unknown
	page  string // the token page
	now   time.Time
}

// checkBitbucketDC proves the user, the token's permissions and what it
// may write to, and, for the places the user named, what the integration
// may do there (bitbucket_datacenter_repos.go).
func checkBitbucketDC(ctx context.Context, env Env, req Request) *Report {
	r := &Report{}
	srv, err := parseBitbucketDCServer(req.Field("url"))
	if err != nil {
		return r.fail(BadInput, Finding{Level: Error, Text: err.Error(),
			Fix: "Enter the address you open Bitbucket with in the browser, such as https://bitbucket.example.com or https://example.com/bitbucket."})
	}
	r.Server = srv.web
	if srv.http && !req.AllowHTTP {
		r.NeedsHTTPConsent = true
		return r.fail(BadInput, Finding{Level: Error, Text: "The server address uses http://, which would send the token unencrypted.",
			Fix: "Use https:// if the server offers it; otherwise agree to send the token over plain http (gitpat-check: --allow-http)."})
	}
	token := req.Secrets[0].Reveal()
	c := bitbucketDC{srv: srv, user: strings.TrimSpace(req.Field("user")), token: token, id: bitbucketDCTokenIDOf(token),
		page: srv.web + "/plugins/servlet/access-tokens/manage", now: env.Now()}
	if c.id == "" && strings.HasPrefix(token, "BBDC-") {
		c.id = bitbucketDCTokenIDOf(strings.TrimPrefix(token, "BBDC-"))
	}
	// Bearer: every kind of HTTP access token takes it, project and
	// repository tokens only it ("you can use the project and repository
	// level token only with Bearer authentication": HTTP access tokens).
	header := http.Header{"Authorization": {"Bearer " + token}, "Accept": {"application/json"}}
	get := func(path string) func() (*httpx.Response, error) {
		return func() (*httpx.Response, error) { return env.HTTP.Get(ctx, srv.web+path, header) }
	}
	first := parallel([]func() (*httpx.Response, error){get(bitbucketDCPropertiesPath), get(bitbucketDCWritablePath)})
	var own []func() (*httpx.Response, error)
	if user := bitbucketDCUserOf(first); user != "" && c.id != "" && bitbucketDCDelivered(first) {
		// The token's own permissions and expiry. Whether a token may read
		// its own entry is not documented; a refusal leaves them unproven.
		own = append(own, get("/rest/access-tokens/latest/users/"+url.PathEscape(user)+"/"+url.PathEscape(c.id)))
	}
	// The named places need nothing from the first answers but that the
	// server took the token: their requests go with the token's entry.
	var placeCalls [][]func() (*httpx.Response, error)
	if len(req.Repos) > 0 && bitbucketDCDelivered(first) && !isHTML(first[0].resp) && !isHTML(first[1].resp) {
		placeCalls = bitbucketDCPlaceCalls(get, req.Repos)
	}
	second, places := runWithRepos(own, placeCalls, 2)
	var details *answer
	if len(second) > 0 {
		details = &second[0]
	}
	out := c.report(r, first, details)
	if places != nil && (out.Outcome == Sufficient || out.Outcome == Insufficient) {
		c.places(out, req.Repos, places)
	}
	return out
}

// bitbucketDCUserOf is the user Bitbucket says it authenticated: the
// X-AUSERNAME response header, which Atlassian's own Jenkins integration
// reads for this (BitbucketAuthenticatedUserClientImpl, GET /rest/capabilities).
func bitbucketDCUserOf(answers []answer) string {
	for _, a := range answers {
		if a.err == nil && a.resp.Status == http.StatusOK {
			if u := strings.TrimSpace(a.resp.Header.Get("X-Ausername")); u != "" {
				return u
			}
		}
	}
	return ""
}

// bitbucketDCDelivered reports whether every first-round answer is a 200.
func bitbucketDCDelivered(answers []answer) bool {
	for _, a := range answers {
		if a.err != nil || a.resp.Status != http.StatusOK {
			return false
		}
	}
	return true
}

// report turns the answers into the report; details is the token's own
// entry, nil when it was not asked for. It does no I/O.
func (c bitbucketDC) report(r *Report, first []answer, details *answer) *Report {
	if c.srv.http && azureDelivered(first[0]) {
		r.add(Finding{Level: Warn, Text: "The token was sent over plain http:// to " + c.srv.web + ": anyone on the network path could read it.",
			Fix: "Ask the administrator to enable https and use the https:// address; replace the token if the network is not trusted."})
	}
	for _, a := range first {
		if a.err != nil {
			o, f := transportFinding(a.err, "The Bitbucket server")
			return r.fail(o, f)
		}
	}
	props, writable := first[0].resp, first[1].resp
	for _, resp := range []*httpx.Response{props, writable} {
		if o, f, ok := c.failure(resp); !ok {
			return r.fail(o, f)
		}
	}
	version, err := parseBitbucketDCVersion(props.Body)
	if err != nil {
		return r.fail(Unchecked, c.notBitbucket(false))
	}
	r.add(Finding{Level: Info, Text: "Bitbucket " + c.quote(version.text) + "."})
	repos, size, err := parseBitbucketDCRepositories(writable.Body)
	if err != nil {
		return r.fail(Unchecked, c.unexpected(writable, "the repository list"))
	}
	user := c.quote(bitbucketDCUserOf(first))
	switch {
	case user == "" && version.known && !version.atLeast(bitbucketDCTokensSince[0], bitbucketDCTokensSince[1]):
		r.TokenKind = "not usable here"
		return r.fail(Rejected, Finding{Level: Error,
			Text: "Bitbucket Server " + c.quote(version.text) + " has no HTTP access tokens (they came with 5.5): it ignored the token and answered as to an anonymous visitor.",
			Fix:  "Ask the administrator to upgrade Bitbucket; until then the integration needs the user's password."})
	case user == "" && len(repos) == 0:
		return r.fail(Unchecked, Finding{Level: Error,
			Text: "Bitbucket answered as to an anonymous visitor, so gitpat cannot tell whether it used the token: something between you and the server (a proxy) may drop the Authorization header.",
			Fix:  "Run the check from inside the company network, or ask the administrator whether a proxy in front of Bitbucket passes the Authorization header."})
	}
	r.TokenKind = "HTTP access token"
	if user != "" {
		r.User = user
		r.add(Finding{Level: Info, Text: "It signs in as " + user + "."})
	} else {
		r.TokenKind = "HTTP access token (project or repository token, or a user Bitbucket does not name)"
		r.Unverified = append(r.Unverified, "whose token it is")
		r.add(Finding{Level: Warn, Text: "Bitbucket did not name the token's user (no X-AUSERNAME header), so gitpat could not prove whose token it is.",
			Fix: "If the integration asks for a user name, use the one of the user who created the token."})
	}
	c.userName(r, user)

	if details != nil {
		if t, ok := c.tokenDetails(r, *details); ok {
			c.permissions(r, t, repos, size)
			c.expiry(r, t)
			return r
		}
	}
	c.writableOnly(r, repos, size)
	r.ExpiryUnknown = true
	r.add(Finding{Level: Info, Text: "gitpat could not read the token's expiry date from Bitbucket.",
		Fix: "The token page lists it: note it and renew the token before then.", Link: c.page})
	return r
}

// failure turns an answer of the first round that ends the check into a
// verdict; ok is true for a usable 200.
func (c bitbucketDC) failure(resp *httpx.Response) (Outcome, Finding, bool) {
	switch s := resp.Status; {
	case s == http.StatusOK && isHTML(resp):
		return Unchecked, c.notBitbucket(true), false
	case s == http.StatusOK:
		return 0, Finding{}, true
	case s == http.StatusUnauthorized:
		// {"errors":[{"context":null,"message":"Authentication failed. Please
		// check your credentials and try again.","exceptionName":
		// "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException"}]}
		// (recorded in gitopscli and other clients). Bitbucket's wording for
		// an expired or revoked token could not be proven; all get this.
		said := ""
		if e := parseBitbucketDCError(resp.Body); e.Message != "" {
			said = " (\"" + c.quote(e.Message) + "\")"
		}
		return Rejected, Finding{Level: Error,
			Text: "The Bitbucket server does not accept this token" + said + ": it is mistyped, expired or revoked, or was created on another server.",
			Fix:  "Copy the token again in one piece; if it has expired or was revoked, create a new one with the steps shown.", Link: c.page}, false
	case s == http.StatusForbidden:
		e := parseBitbucketDCError(resp.Body)
		return Rejected, Finding{Level: Error, Text: "The Bitbucket server refused the token: " + c.quote(orDefault(e.Message, "403 Forbidden")) + ".",
			Fix: "Ask the administrator whether the token's user is blocked or lacks the licence to use Bitbucket."}, false
	case s == http.StatusNotFound:
		return Unchecked, c.notBitbucket(false), false
	case s == http.StatusTooManyRequests:
		return Unchecked, Finding{Level: Error, Text: "The Bitbucket server's rate limit for this user is used up, so the check could not run.",
			Fix: "Wait a minute and test again; the administrator can raise the limit."}, false
	case s >= 500:
		return Unchecked, serverError(s, "The Bitbucket server", "Try again in a few minutes; if it persists, ask the server's administrator."), false
	case isHTML(resp):
		return Unchecked, c.notBitbucket(true), false
	}
	return Unchecked, c.unexpected(resp, "the check"), false
}

// userName compares the user name the integration will use with the
// token's user: a personal token works only with its own user's name.
func (c bitbucketDC) userName(r *Report, user string) {
	if c.user == "" || user == "" || strings.EqualFold(c.user, user) {
		return
	}
	r.Outcome = max(r.Outcome, Insufficient)
	r.add(Finding{Level: Error,
		Text: "The token belongs to " + user + ", not to " + serverText(c.user, c.token) + ": a personal token signs in only with its own user's name.",
		Fix:  "Enter " + user + " as the user name in the integration (and here), or create the token while signed in as " + serverText(c.user, c.token) + "."})
}

// tokenDetails reads the token's own entry; ok is false when Bitbucket
// did not show it, which is said as what could not be proven.
func (c bitbucketDC) tokenDetails(r *Report, a answer) (bitbucketDCToken, bool) {
	if a.err == nil && a.resp.Status == http.StatusOK && isJSON(a.resp.Header) {
		if t, err := parseBitbucketDCToken(a.resp.Body); err == nil {
			name := ""
			if t.Name != "" {
				name = " \"" + c.quote(t.Name) + "\""
			}
			r.add(Finding{Level: Info, Text: "It is the HTTP access token" + name + "."})
			return t, true
		}
	}
	status := "no answer"
	if a.err == nil {
		status = fmt.Sprintf("%d %s", a.resp.Status, http.StatusText(a.resp.Status))
	}
	r.add(Finding{Level: Info, Text: "Bitbucket did not let the token read its own permissions and expiry (" + status + ")."})
	return bitbucketDCToken{}, false
}

// permissions judges the token's own permissions.
func (c bitbucketDC) permissions(r *Report, t bitbucketDCToken, repos []string, size int) {
	for _, p := range t.Permissions {
		r.Scopes = append(r.Scopes, orDefault(bitbucketDCPermissionName[p], c.quote(p)))
	}
	if !slices.Contains(t.Permissions, "REPO_WRITE") && !slices.Contains(t.Permissions, "REPO_ADMIN") {
		r.Outcome = max(r.Outcome, Insufficient)
		r.Missing = append(r.Missing, bitbucketDCNeeds...)
		r.add(Finding{Level: Error, Text: "It lacks Repository write: with " + orDefault(strings.Join(r.Scopes, " and "), "these permissions") + " the integration cannot create branches or pull requests.",
			Fix: "Edit the token on the token page and set Repositories to Write (its permissions can be changed; its expiry cannot).", Link: c.page})
		return
	}
	r.Outcome = max(r.Outcome, Sufficient)
	r.add(Finding{Level: Info, Text: "It has Repository write, which the Jira integration needs."})
	c.reach(r, repos, size)
}

// writableOnly judges from the repositories Bitbucket lists as writable
// when the token's own permissions could not be read.
func (c bitbucketDC) writableOnly(r *Report, repos []string, size int) {
	if len(repos) == 0 {
		r.Outcome = max(r.Outcome, Insufficient)
		r.Missing = append(r.Missing, bitbucketDCNeeds...)
		r.add(Finding{Level: Error, Text: "It may not write to any repository: the token lacks Repository write, or its user may write nowhere.",
			Fix: "Give the token Repositories: Write on the token page, and check that its user may write to the repositories Jira should use.", Link: c.page})
		return
	}
	r.Unverified = append(r.Unverified, bitbucketDCNeeds...)
	r.add(Finding{Level: Warn,
		Text: fmt.Sprintf("Bitbucket lists %s its user may write to, but gitpat could not read the token's own permissions, so it could not prove the token has Repository write.", repositories(max(size, len(repos)))),
		Fix:  "On the token page, check that this token has Repositories: Write.", Link: c.page})
	c.reach(r, repos, size)
}

// reach names repositories the token may write to.
func (c bitbucketDC) reach(r *Report, repos []string, size int) {
	if len(repos) == 0 {
		r.add(Finding{Level: Warn, Text: "It may not write to any repository yet: its user needs write access to the repositories Jira should use.",
			Fix: "Ask a project administrator to give the user write access."})
		return
	}
	names := slices.Clone(repos)
	for i := range names {
		names[i] = c.quote(names[i])
	}
	more := ""
	if size > len(repos) {
		more = fmt.Sprintf(" (of %d)", size)
	}
	r.add(Finding{Level: Info, Text: "Repositories it may write to" + more + ": " + shortList(names, 5) + "."})
}

// expiry reports what the token's entry says of its expiry.
func (c bitbucketDC) expiry(r *Report, t bitbucketDCToken) {
	renew := "Create a new token on the token page and paste it into the integration."
	if t.expires == nil {
		if t.ExpiryDays == 0 {
			expiryFindings(r, nil, c.now, renew)
			return
		}
		r.ExpiryUnknown = true
		r.add(Finding{Level: Info, Text: fmt.Sprintf("It expires %d days after it was created, on a date gitpat could not read.", t.ExpiryDays), Link: c.page})
		return
	}
	r.ExpiresAt = t.expires
	expiryFindings(r, t.expires, c.now, renew)
}

func (c bitbucketDC) notBitbucket(page bool) Finding {
	api := c.srv.web + "/rest/api/latest"
	text := "There is no Bitbucket API at " + api + "."
	if page {
		text = api + " answered with a web page, not Bitbucket's API: a sign-in page, a proxy or another site is in the way."
	}
	fix := "Check the server address: enter the address you open Bitbucket with in the browser"
	if u, err := url.Parse(c.srv.web); err == nil && u.Path != "" {
		fix += "; if Bitbucket is at the root of the server, that is " + u.Scheme + "://" + u.Host + "."
	} else {
		fix += ", with its context path if it has one (such as " + c.srv.web + "/bitbucket)."
	}
	return Finding{Level: Error, Text: text, Fix: fix}
}

func (c bitbucketDC) unexpected(resp *httpx.Response, what string) Finding {
	return Finding{Level: Error,
		Text: fmt.Sprintf("The Bitbucket server gave an unexpected answer to %s (%d %s).", what, resp.Status, http.StatusText(resp.Status)),
		Fix:  "Try again later; if it persists, check the server address or ask the server's administrator."}
}

// repositories counts repositories in words.
func repositories(n int) string {
	if n == 1 {
		return "1 repository"
	}
	return fmt.Sprintf("%d repositories", n)
}

// quote makes server text safe to show in a sentence.
func (c bitbucketDC) quote(s string) string { return strings.TrimSuffix(serverText(s, c.token), ".") }
