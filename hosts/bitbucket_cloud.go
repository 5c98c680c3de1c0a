package hosts

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
)

// bitbucketCloudNeeds are the API token scopes the Jira integration needs,
// by what it does. The scope that each REST operation requires is Atlassian's
// own (x-atlassian-oauth2-scopes in the Bitbucket Cloud OpenAPI
// description, swagger.v3.json): GET /user read:user, GET /user/workspaces
// read:workspace, GET /repositories/{workspace} read:repository, POST
// .../refs/branches write:repository and read:repository, POST
// .../pullrequests write:pullrequest and read:pullrequest. "This scope does
// not imply the read:repository:bitbucket scope" (support.atlassian.com,
// API token permissions), so every one is asked for by name.
var bitbucketCloudNeeds = []string{
	"read:user:bitbucket", "read:workspace:bitbucket",
	"read:repository:bitbucket", "write:repository:bitbucket",
	"read:pullrequest:bitbucket", "write:pullrequest:bitbucket",
}

// bitbucketScopeUse says what each needed scope lets the integration do.
var bitbucketScopeUse = map[string]string{
	"read:user:bitbucket":         "tell whose token it is",
	"read:workspace:bitbucket":    "list your workspaces",
	"read:repository:bitbucket":   "read repositories, branches and commits",
	"write:repository:bitbucket":  "create branches",
	"read:pullrequest:bitbucket":  "show pull requests",
	"write:pullrequest:bitbucket": "create pull requests",
}

// bitbucketAPITokenPage is where Atlassian API tokens are created
// (support.atlassian.com, Manage API tokens for your Atlassian account).
// Atlassian documents no parameters that prefill it.
const bitbucketAPITokenPage = "https://id.atlassian.com/manage-profile/security/api-tokens"

// The end of app passwords: creation stopped on 2025-09-09 ("Bitbucket
// Cloud enters phase 2 of app password deprecation", community.atlassian.com)
// and they were removed on 2026-07-28 ("Deprecation notice: Bitbucket Cloud
// app password brownout schedule and next steps": "app passwords will be
// fully removed on July 28, 2026"; during the brownouts "All API requests
// authenticated using app passwords will fail with an HTTP 401 error code").
var (
	bitbucketAppPasswordsStopped = time.Date(2025, 9, 9, 0, 0, 0, 0, time.UTC)
	bitbucketAppPasswordsRemoved = time.Date(2026, 7, 28, 0, 0, 0, 0, time.UTC)
)

const bitbucketAppPasswordNotice = "https://community.atlassian.com/forums/Bitbucket-articles/Deprecation-notice-Bitbucket-Cloud-app-password-brownout/ba-p/3237429"

// bitbucketEmailField is the user name an API token signs in to the REST
// API with: "API Operations: Email Address (mandatory)"; git over https
// takes the Bitbucket username or the static x-bitbucket-api-token-auth
// (support.atlassian.com, Using API tokens).
var bitbucketEmailField = Field{Key: "user", Label: "Atlassian account email", Placeholder: "you@example.com", WithSecret: true,
	Help: "The email of the Atlassian account that created the token: Bitbucket's API signs in with it, not with your Bitbucket username."}

// bitbucketExpiryField asks for the expiry date chosen on creation: the
// token cannot reveal it.
var bitbucketExpiryField = Field{Key: "expires", Label: "Expiry date", Placeholder: "YYYY-MM-DD", Optional: true, PerToken: true,
	Help: "Bitbucket does not let a token reveal its expiry: enter the date you picked (at most a year ahead), and gitpat warns before it runs out."}

// BitbucketCloud is Bitbucket Cloud (bitbucket.org), which takes an
// Atlassian API token with Bitbucket scopes and the account's email.
var BitbucketCloud = &Host{
	ID:      "bitbucket",
	Name:    "Bitbucket Cloud",
	Family:  "bitbucket",
	Summary: "The Jira integration needs an Atlassian API token with Bitbucket scopes, and the email of the Atlassian account that created it.",
	Needs:   bitbucketCloudNeeds,
	Repos:   &bitbucketCloudRepoSpec,
	Variants: []Variant{{ID: "cloud", Label: "Bitbucket Cloud (bitbucket.org)", Fields: []Field{
		bitbucketEmailField, bitbucketExpiryField,
	}}},
	Credential: "API token",
	Secrets:    []SecretField{{Label: "API token", Placeholder: "ATATT3…"}},
	Steps: []Step{
		{"Sign in to Bitbucket, click your avatar (top right) and choose Account settings: your Atlassian account opens.", "bbc-1-account.svg"},
		{"Open the Security tab and choose Create and manage API tokens. \"Open token page\" takes you straight there.", "bbc-2-security.svg"},
		{"Click Create API token with scopes (a token without scopes does not work with Bitbucket). Name it \"Jira\" and pick an expiry date, at most a year ahead.", "bbc-3-create.svg"},
		{"Select Bitbucket as the app and click Next.", "bbc-4-app.svg"},
		{"Tick read:user, read:workspace, read:repository, write:repository, read:pullrequest and write:pullrequest (each …:bitbucket), then Next.", "bbc-5-scopes.svg"},
		{"Click Create token and copy it now: Atlassian shows it only once. Paste it here with your Atlassian account email and the expiry date.", "bbc-6-copy.svg"},
	},
	Notes: []Note{
		{Level: Warn, Text: "App passwords are gone: Bitbucket stopped creating them on 2025-09-09 and removed them on 2026-07-28. Replace every app password in the integration with an API token.",
			Link: bitbucketAppPasswordNotice},
		{Level: Info, Text: "User name: Bitbucket's API takes the Atlassian account email with an API token, not the Bitbucket username (git over https takes the username, or x-bitbucket-api-token-auth)."},
		{Level: Info, Text: "Scopes: read:user, read:workspace, read:repository, write:repository, read:pullrequest, write:pullrequest. A write scope does not include its read scope: tick both. Scopes cannot be changed later; a token that lacks one must be replaced."},
		{Level: Info, Text: "Expiry: from one day to one year. Bitbucket cannot tell gitpat the date, so enter it under Expiry date."},
	},
	TokenPage:  func(Request) (string, error) { return bitbucketAPITokenPage, nil },
	Regenerate: bitbucketCloudRenewal,
	check:      checkBitbucketCloud,
}

// bitbucketCloudAPI is Bitbucket Cloud's REST API.
const bitbucketCloudAPI = "https://api.bitbucket.org/2.0"

// bitbucketCloudEndpoint is the API a check talks to: Bitbucket Cloud's,
// or the endpoint in the url field, which the tab never sets (gitpat-check
// --url, for a test server, as CodeCommit's endpoint). Plain http is
// accepted here; the check asks for consent.
func bitbucketCloudEndpoint(raw string) (api string, plainHTTP bool, err error) {
	if strings.TrimSpace(raw) == "" {
		return bitbucketCloudAPI, false, nil
	}
	u, err := ParseServerURL(raw, true)
	if err != nil {
		return "", false, err
	}
	switch u.Host {
	case "bitbucket.org", "www.bitbucket.org", "api.bitbucket.org":
		return bitbucketCloudAPI, false, nil
	}
	api = strings.TrimSuffix(u.String(), "/2.0") + "/2.0"
	return api, u.Scheme == "http", nil
}

// checkBitbucketCloud proves the account, the scopes and what the token
// sees, and, for the places the user named, what the integration may do
// there (bitbucket_cloud_repos.go).
func checkBitbucketCloud(ctx context.Context, env Env, req Request) *Report {
	r := &Report{Server: "https://bitbucket.org"}
	api, plainHTTP, err := bitbucketCloudEndpoint(req.Field("url"))
	if err != nil {
		return r.fail(BadInput, Finding{Level: Error, Text: err.Error(),
			Fix: "Leave the endpoint empty to use Bitbucket Cloud itself; set it only for a test server."})
	}
	if api != bitbucketCloudAPI {
		r.Server = api
	}
	if plainHTTP && !req.AllowHTTP {
		r.NeedsHTTPConsent = true
		return r.fail(BadInput, Finding{Level: Error, Text: "The endpoint uses http://, which would send the token unencrypted.",
			Fix: "Use https://, or allow plain http for a local test server."})
	}
	email := strings.TrimSpace(req.Field("user"))
	if o, f, ok := bitbucketEmailProblem(email); !ok {
		return r.fail(o, f)
	}
	exp, reading, err := parseAzureExpiry(req.Field("expires"))
	if err != nil {
		return r.fail(BadInput, Finding{Level: Error, Text: "gitpat cannot read the expiry date \"" + azureShorten(req.Field("expires"), 40) + "\".",
			Fix: "Enter the date you picked when creating the token as YYYY-MM-DD, such as 2027-03-31, or leave Expiry date empty."})
	}
	token := req.Secrets[0].Reveal()
	now := env.Now()
	c := bitbucketCloud{api: api, email: email, token: token, exp: exp, reading: reading, now: now}
	if o, f, ok := c.tokenKind(r); !ok {
		return r.fail(o, f)
	}
	header := http.Header{
		"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(email+":"+token))},
		"Accept":        {"application/json"},
	}
	get := func(path string) func() (*httpx.Response, error) {
		return func() (*httpx.Response, error) { return env.HTTP.Get(ctx, api+path, header) }
	}
	first := parallel([]func() (*httpx.Response, error){get(bitbucketUserPath), get(bitbucketWorkspacesPath)})
	var calls []func() (*httpx.Response, error)
	if ws := c.firstWorkspace(first[1]); ws != "" {
		// One workspace is enough to show the token reads repositories,
		// and a call that needs a scope the integration does not
		// (read:snippet) makes Bitbucket list the scopes the token has.
		calls = append(calls, get("/repositories/"+url.PathEscape(ws)+"?role=member&pagelen=10"), get("/snippets/"+url.PathEscape(ws)+"?pagelen=1"))
	}
	// The named places need nothing from the first answers but that
	// Bitbucket took the token: their requests go with the second round.
	var repoCalls [][]func() (*httpx.Response, error)
	if len(req.Repos) > 0 && bitbucketAccepted(first) {
		repoCalls = bitbucketCloudRepoCalls(get, req.Repos)
	}
	second, repoAnswers := runWithRepos(calls, repoCalls, bitbucketCloudRepoRequests)
	out := c.report(r, first, second)
	if repoAnswers != nil && (out.Outcome == Sufficient || out.Outcome == Insufficient) {
		c.repositories(out, req.Repos, repoAnswers)
	}
	return out
}

// bitbucketAccepted reports whether Bitbucket took the token in the first
// answers: each is a 200 or a refusal for a missing scope, never a 401, a
// server error or a page that is not the API.
func bitbucketAccepted(first []answer) bool {
	for _, a := range first {
		if a.err != nil {
			return false
		}
		if k := classifyBitbucket(a.resp).kind; k != bbJSON && k != bbScope {
			return false
		}
	}
	return true
}

// The calls every check makes, under /2.0.
const (
	bitbucketUserPath       = "/user"
	bitbucketWorkspacesPath = "/user/workspaces?pagelen=100"
)

// bitbucketEmailProblem refuses a user name that cannot be an Atlassian
// account's email before anything is sent.
func bitbucketEmailProblem(email string) (Outcome, Finding, bool) {
	switch {
	case email == "":
		return BadInput, Finding{Level: Error, Text: "Enter the email of the Atlassian account that created the token.",
			Fix: "It is the address you sign in to Bitbucket with; Atlassian account settings → Email shows it."}, false
	case !strings.Contains(email, "@") || strings.ContainsAny(email, " :/\t"):
		return BadInput, Finding{Level: Error,
			Text: "\"" + serverText(email, "") + "\" is not an email address: with an API token, Bitbucket's API takes the Atlassian account email, not the Bitbucket username.",
			Fix:  "Enter the email of the Atlassian account that created the token (Atlassian account settings → Email)."}, false
	}
	return 0, Finding{}, true
}

// bitbucketCloud is what one check knows along the way.
type bitbucketCloud struct {
	api     string
	email   string
	token   string // only to keep it out of quoted server text
	exp     *time.Time
	reading string // how an ambiguous expiry date was read
	now     time.Time
	// appPassword is set for a retired app password pasted before its
	// removal date: it is checked, and the report says it is ending.
	appPassword bool
}

// tokenKind refuses, before sending, credentials that are not API tokens
// and cannot work; ok is true when the token may be sent.
func (c *bitbucketCloud) tokenKind(r *Report) (Outcome, Finding, bool) {
	switch {
	case bitbucketAppPassword.MatchString(c.token) && !c.now.Before(bitbucketAppPasswordsRemoved):
		r.TokenKind = "app password (removed)"
		return Rejected, Finding{Level: Error,
			Text: "This is a Bitbucket app password: Bitbucket stopped creating them on 2025-09-09 and removed them on 2026-07-28, so it no longer works anywhere; gitpat did not send it.",
			Fix:  "Create an Atlassian API token with Bitbucket scopes with the steps shown, and replace the app password with it in the integration.",
			Link: bitbucketAPITokenPage}, false
	case bitbucketAppPassword.MatchString(c.token):
		r.TokenKind = "app password"
		c.appPassword = true
	case bitbucketAccessToken.MatchString(c.token):
		r.TokenKind = "repository, project or workspace access token"
		return Rejected, Finding{Level: Error,
			Text: "This is a repository, project or workspace access token: those sign in without an email (Bearer) and reach one repository, project or workspace, while the integration signs in with an Atlassian account's email and an API token. gitpat did not send it.",
			Fix:  "Create an Atlassian API token with Bitbucket scopes with the steps shown.", Link: bitbucketAPITokenPage}, false
	}
	return 0, Finding{}, true
}

// firstWorkspace is the slug of the first workspace the token sees, or "".
func (c *bitbucketCloud) firstWorkspace(a answer) string {
	if a.err != nil || a.resp.Status != http.StatusOK || !isJSON(a.resp.Header) {
		return ""
	}
	names, _, err := parseBitbucketWorkspaces(a.resp.Body)
	if err != nil || len(names) == 0 {
		return ""
	}
	return names[0]
}

// bitbucketKind sorts one answer.
type bitbucketKind int

const (
	bbJSON      bitbucketKind = iota // 200 with JSON
	bbRefused                        // 401
	bbScope                          // 403: the token lacks a privilege scope
	bbForbidden                      // 403 for another reason
	bbMissing                        // 404
	bbGone                           // 410: the endpoint was removed
	bbLimited                        // 429
	bbDown                           // 5xx
	bbPage                           // a web page, not the API
	bbOther                          // anything else
)

// bitbucketCall is one answered request, sorted.
type bitbucketCall struct {
	kind bitbucketKind
	resp *httpx.Response
	err  bitbucketError
}

func classifyBitbucket(resp *httpx.Response) bitbucketCall {
	c := bitbucketCall{resp: resp, err: parseBitbucketError(resp.Body)}
	switch s := resp.Status; {
	case s == http.StatusOK && isJSON(resp.Header) && !isHTML(resp):
		c.kind = bbJSON
	case s == http.StatusUnauthorized:
		c.kind = bbRefused
	case s == http.StatusTooManyRequests:
		c.kind = bbLimited
	case s >= 500:
		c.kind = bbDown
	case isHTML(resp) || s == http.StatusOK:
		c.kind = bbPage
	case s == http.StatusForbidden && len(c.err.Required) > 0:
		c.kind = bbScope
	case s == http.StatusForbidden:
		c.kind = bbForbidden
	case s == http.StatusNotFound:
		c.kind = bbMissing
	case s == http.StatusGone:
		c.kind = bbGone
	default:
		c.kind = bbOther
	}
	return c
}

// report turns the answers into the report. first holds /user and
// /user/workspaces, second the repositories of the first workspace and the
// scope probe (absent when no workspace was seen). It does no I/O, so the
// fuzz test can feed it anything.
func (c *bitbucketCloud) report(r *Report, first, second []answer) *Report {
	for _, a := range append(slices.Clone(first), second...) {
		if a.err != nil {
			o, f := transportFinding(a.err, "Bitbucket")
			return r.fail(o, f)
		}
	}
	var calls []bitbucketCall
	for _, a := range append(slices.Clone(first), second...) {
		calls = append(calls, classifyBitbucket(a.resp))
	}
	if o, f, ok := c.failure(calls); !ok {
		r.fail(o, f)
		c.afterRefusal(r)
		return r
	}
	user, workspaces := calls[0], calls[1]
	if c.appPassword {
		r.add(Finding{Level: Error,
			Text: "This is a Bitbucket app password: Bitbucket removes app passwords on 2026-07-28, " + azureDaysLeft(bitbucketAppPasswordsRemoved, c.now) + "; the integration stops working then.",
			Fix:  "Create an Atlassian API token with Bitbucket scopes now and replace the app password with it in the integration.", Link: bitbucketAPITokenPage})
		r.Outcome = max(r.Outcome, Insufficient)
	} else if r.TokenKind == "" {
		r.TokenKind = "API token"
		if !atlassianAPIToken.MatchString(c.token) {
			r.TokenKind = "API token (an unusual form)"
		}
	}

	r.User = serverText(c.email, c.token)
	proven := []string{}
	if user.kind == bbJSON {
		u, err := parseBitbucketUser(user.resp.Body)
		if err != nil {
			return r.fail(Unchecked, c.notBitbucket(false))
		}
		r.Name = c.quote(u.DisplayName)
		who := orDefault(r.Name, c.quote(u.Nickname))
		if u.Nickname != "" && u.Nickname != u.DisplayName {
			who += " (" + c.quote(u.Nickname) + ")"
		}
		r.add(Finding{Level: Info, Text: "It signs in as " + orDefault(who, "an unnamed account") + " with " + r.User + "."})
		proven = append(proven, "read:user:bitbucket")
	} else {
		r.add(Finding{Level: Info, Text: "Bitbucket accepts " + r.User + " with this token."})
	}
	if workspaces.kind == bbJSON {
		proven = append(proven, "read:workspace:bitbucket")
		c.workspaceFacts(r, workspaces)
	}
	if len(second) > 0 && calls[2].kind == bbJSON {
		proven = append(proven, "read:repository:bitbucket")
		c.repositoryFacts(r, calls[2])
	}
	c.judge(r, calls, proven)
	c.expiry(r, true)
	return r
}

// failure turns answers that end the check into a verdict; ok is true when
// the answers can be read.
func (c *bitbucketCloud) failure(calls []bitbucketCall) (Outcome, Finding, bool) {
	for _, call := range calls {
		if call.kind == bbRefused {
			return Rejected, c.refused(call), false
		}
	}
	for _, call := range calls {
		switch call.kind {
		case bbDown:
			return Unchecked, serverError(call.resp.Status, "Bitbucket", "Try again in a few minutes; if it persists, check Bitbucket's status page (bitbucket.status.atlassian.com)."), false
		case bbLimited:
			f := Finding{Level: Error, Text: "Bitbucket's request limit for this account is used up, so the check could not run.", Fix: "Wait a minute and test again."}
			if s := call.resp.Header.Get("Retry-After"); s != "" {
				f.Fix = "Wait " + serverText(s, c.token) + " seconds and test again."
			}
			return Unchecked, f, false
		case bbPage:
			return Unchecked, c.notBitbucket(true), false
		}
	}
	user, workspaces := calls[0], calls[1]
	if user.kind == bbMissing && workspaces.kind == bbMissing {
		return Unchecked, c.notBitbucket(false), false
	}
	for _, call := range calls[:2] {
		if call.kind == bbForbidden {
			return Rejected, Finding{Level: Error, Text: "Bitbucket refused the token: " + c.quote(orDefault(call.err.Message, "403 Forbidden")) + ".",
				Fix: "Do what the message says; an organization's IP allowlist or a suspended account can cause this."}, false
		}
		if call.kind != bbJSON && call.kind != bbScope {
			return Unchecked, Finding{Level: Error,
				Text: fmt.Sprintf("Bitbucket gave an unexpected answer (%d %s)%s.", call.resp.Status, http.StatusText(call.resp.Status), c.said(call.err)),
				Fix:  "Try again later; if it persists, check bitbucket.status.atlassian.com."}, false
		}
	}
	return 0, Finding{}, true
}

// refused explains a 401. Bitbucket gives the same answer for a wrong
// email, a mistyped, expired or revoked token and a token without scopes:
// {"type": "error", "error": {"message": "Token is invalid, expired, or not
// supported for this endpoint."}} (avivsinai/bitbucket-cli#30: a token
// created without scopes got exactly this), or a plain "Login failed due
// to incorrect login credentials or method." (renovatebot/renovate#20533).
func (c *bitbucketCloud) refused(call bitbucketCall) Finding {
	said := c.said(call.err)
	if said == "" && !isHTML(call.resp) {
		if line := plainMessage(call.resp.Body); line != "" {
			said = " (\"" + c.quote(line) + "\")"
		}
	}
	return Finding{Level: Error,
		Text: "Bitbucket does not accept this email and token" + said + ": the token is mistyped, expired or revoked, was created without scopes, or belongs to another Atlassian account than " + serverText(c.email, c.token) + ".",
		Fix:  "Check that the email is that of the Atlassian account that created the token, and copy the token again in one piece; if it still fails, create a new API token with scopes with the steps shown.",
		Link: bitbucketAPITokenPage}
}

// afterRefusal adds what may explain a refusal.
func (c *bitbucketCloud) afterRefusal(r *Report) {
	switch {
	case c.appPassword:
	case !atlassianAPIToken.MatchString(c.token):
		r.add(Finding{Level: Info,
			Text: "This does not look like an Atlassian API token (they start with ATATT). If it is an app password: Bitbucket removed app passwords on 2026-07-28 and answers them with 401.",
			Fix:  "Create an API token with scopes with the steps shown.", Link: bitbucketAPITokenPage})
	}
	if c.exp != nil && !c.exp.After(c.now) {
		r.ExpiresAt = c.exp
		r.add(Finding{Level: Info, Text: "The expiry date you entered, " + c.exp.Format("2006-01-02") + ", has passed: that explains the refusal.",
			Fix: "Create a new API token with scopes and paste it into the integration.", Link: bitbucketAPITokenPage})
	}
	r.settle()
}

// judge sets the verdict from the scopes: the full list when Bitbucket
// named the granted scopes in a 403, otherwise what the successful calls
// prove and what the refused ones name as required.
func (c *bitbucketCloud) judge(r *Report, calls []bitbucketCall, proven []string) {
	var granted, required []string
	known := false
	for _, call := range calls {
		if call.kind != bbScope {
			continue
		}
		required = append(required, call.err.Required...)
		if call.err.HasGranted {
			known, granted = true, call.err.Granted
		}
	}
	fix := "Bitbucket cannot change a token's scopes: create a new API token with scopes, tick every scope listed under Needs, and paste the new token here and into the integration."
	if known {
		r.Scopes = nil
		for _, s := range granted {
			r.Scopes = append(r.Scopes, c.quote(s))
		}
		r.Missing = missing(bitbucketCloudNeeds, granted)
	} else {
		r.Scopes = proven
		for _, n := range bitbucketCloudNeeds {
			switch {
			case slices.Contains(required, n):
				r.Missing = append(r.Missing, n)
			case !slices.Contains(proven, n):
				r.Unverified = append(r.Unverified, n)
			}
		}
	}
	if len(r.Missing) > 0 {
		r.Outcome = max(r.Outcome, Insufficient)
		uses := make([]string, 0, len(r.Missing))
		for _, m := range r.Missing {
			uses = append(uses, m+" ("+bitbucketScopeUse[m]+")")
		}
		r.add(Finding{Level: Error, Text: "It lacks " + strings.Join(uses, ", ") + ".", Fix: fix, Link: bitbucketAPITokenPage})
	}
	if len(r.Unverified) > 0 {
		r.Outcome = max(r.Outcome, Insufficient)
		r.Summary = "The token works, but gitpat could not prove it has every scope the Jira integration needs."
		r.add(Finding{Level: Warn,
			Text: "Bitbucket did not show this token's scopes, so gitpat could not prove " + strings.Join(r.Unverified, ", ") + ".",
			Fix:  "On the API tokens page, check that the token has every scope listed under Needs; if not, create a new one with them.",
			Link: bitbucketAPITokenPage})
	}
	if len(r.Missing) == 0 && len(r.Unverified) == 0 {
		r.Outcome = max(r.Outcome, Sufficient)
		r.add(Finding{Level: Info, Text: "It has every Bitbucket scope the Jira integration needs."})
	}
}

// workspaceFacts names the workspaces the token sees.
func (c *bitbucketCloud) workspaceFacts(r *Report, call bitbucketCall) {
	names, size, err := parseBitbucketWorkspaces(call.resp.Body)
	switch {
	case err != nil:
	case len(names) == 0:
		r.add(Finding{Level: Warn, Text: "It sees no workspace: the account is not a member of any, so the integration would find no repositories.",
			Fix: "Ask a workspace administrator to add the account to the workspaces Jira should see."})
	default:
		for i := range names {
			names[i] = c.quote(names[i])
		}
		r.add(Finding{Level: Info, Text: fmt.Sprintf("Workspaces it sees (%d): %s.", max(size, len(names)), shortList(names, 6))})
	}
}

// repositoryFacts names repositories of the first workspace.
func (c *bitbucketCloud) repositoryFacts(r *Report, call bitbucketCall) {
	names, size, err := parseBitbucketRepositories(call.resp.Body)
	if err != nil {
		return
	}
	for i := range names {
		names[i] = c.quote(names[i])
	}
	if len(names) == 0 {
		r.add(Finding{Level: Info, Text: "It reads repositories, though the first workspace has none it may see."})
		return
	}
	r.add(Finding{Level: Info, Text: fmt.Sprintf("It reads repositories: %d in the first workspace, such as %s.", max(size, len(names)), shortList(names, 4))})
}

// expiry reports the expiry date the user entered; accepted says whether
// Bitbucket took the token.
func (c *bitbucketCloud) expiry(r *Report, accepted bool) {
	renew := "Create a new API token with scopes before then and paste it into the integration."
	switch {
	case c.exp == nil:
		r.ExpiryUnknown = true
		r.add(Finding{Level: Info, Text: "Bitbucket does not let a token reveal its expiry date.",
			Fix: "Enter the date you picked when creating it (the API tokens page lists it) under Expiry date, and gitpat warns you before it runs out.", Link: bitbucketAPITokenPage})
	case !c.exp.After(c.now) && accepted:
		r.ExpiresAt = c.exp
		r.add(Finding{Level: Warn, Text: "The expiry date you entered, " + c.exp.Format("2006-01-02") + ", has passed, yet the token still works.",
			Fix: "Check the date on the API tokens page and correct it.", Link: bitbucketAPITokenPage})
	default:
		r.ExpiresAt = c.exp
		expiryFindings(r, c.exp, c.now, renew)
		if c.exp.Sub(c.now) > 366*24*time.Hour {
			r.add(Finding{Level: Warn, Text: "Atlassian API tokens last at most a year, so " + c.exp.Format("2006-01-02") + " cannot be this token's expiry date.",
				Fix: "Check the date on the API tokens page and correct it.", Link: bitbucketAPITokenPage})
		}
	}
	if c.reading != "" {
		r.add(Finding{Level: Info, Text: c.reading})
	}
}

func (c *bitbucketCloud) notBitbucket(page bool) Finding {
	text := "There is no Bitbucket API at " + c.api + "."
	if page {
		text = c.api + " answered with a web page, not Bitbucket's API: a sign-in portal, a proxy or another site is in the way."
	}
	return Finding{Level: Error, Text: text, Fix: "Check your network: a proxy or a sign-in portal may be answering instead of Bitbucket."}
}

// said quotes an error message for the middle of a sentence, or "".
func (c *bitbucketCloud) said(e bitbucketError) string {
	if e.Message == "" {
		return ""
	}
	return " (\"" + c.quote(e.Message) + "\")"
}

// quote makes server text safe to show in a sentence.
func (c *bitbucketCloud) quote(s string) string {
	return strings.TrimSuffix(serverText(s, c.token), ".")
}
