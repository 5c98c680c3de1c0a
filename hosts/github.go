package hosts

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
)

// githubNeeds is what the Jira integration needs of a GitHub token.
var githubNeeds = []string{"repo"}

// GitHub covers github.com and GitHub Enterprise Server.
var GitHub = &Host{
	ID:      "github",
	Name:    "GitHub",
	Family:  "github",
	Summary: "The Jira integration needs a classic personal access token with the repo scope.",
	Needs:   githubNeeds,
	Variants: []Variant{
		{ID: "github.com", Label: "GitHub.com"},
		{ID: "enterprise", Label: "GitHub Enterprise Server", Fields: []Field{{
			Key: "url", Label: "Server URL", Placeholder: "https://github.example.com",
			Help:     "The address you open in the browser; https://HOST/api/v3 works too.",
			Validate: func(s string) error { _, err := ParseServerURL(s, false); return err },
		}}},
	},
	Secrets: []SecretField{{Label: "Token", Placeholder: "ghp_…"}},
	Repos:   &githubRepoSpec,
	Steps: []Step{
		{"Sign in to GitHub, click your profile photo (top right) and choose Settings.", "github-1-settings.svg"},
		{"At the bottom of the left sidebar, click Developer settings.", "github-2-developer.svg"},
		{"Open Personal access tokens → Tokens (classic), then Generate new token → Generate new token (classic). \"Open token page\" takes you straight there, prefilled.", "github-3-tokens.svg"},
		{"Enter a note such as \"Jira\" and choose an expiration: GitHub requires one to be picked.", "github-4-note.svg"},
		{"Tick repo. It selects all its sub-scopes; the integration needs them all.", "github-5-scopes.svg"},
		{"Click Generate token at the bottom and copy the token now: GitHub shows it only once.", "github-6-copy.svg"},
		{"If your organization uses SAML single sign-on: next to the token, choose Configure SSO and Authorize the organization.", "github-7-sso.svg"},
	},
	Notes: []Note{
		{Level: Info, Text: "Scopes: tick repo (full control of private repositories). Nothing else is needed."},
		{Level: Warn, Text: "Expiration is required. When the token expires the integration stops syncing: put a reminder in your calendar."},
		{Level: Info, Text: "Copy the token right away: GitHub shows it only once. If you lose it, generate a new one."},
		{Level: Info, Text: "Fine-grained tokens work too if they grant Contents and Pull requests (read and write) and Metadata (read) on the repositories. No one can read their permissions back: name the repositories and gitpat proves, for each, that the token was given it with Contents: Read and write; Pull requests: Read and write stays unproven."},
	},
	TokenPage:  githubTokenPage,
	Regenerate: githubRenewal,
	check:      checkGitHub,
}

// githubServer holds where a GitHub lives.
type githubServer struct {
	web  string // https://github.com, https://ghe.example.com
	api  string // https://api.github.com, https://ghe.example.com/api/v3
	ghes bool
}

// parseGitHubServer reads the variant and the server URL field.
func parseGitHubServer(req Request) (githubServer, error) {
	dotcom := githubServer{web: "https://github.com", api: "https://api.github.com"}
	if req.Variant != "enterprise" && req.Field("url") == "" {
		return dotcom, nil
	}
	u, err := ParseServerURL(req.Field("url"), false)
	if err != nil {
		return githubServer{}, err
	}
	host := u.Host
	switch {
	case host == "github.com" || host == "www.github.com" || host == "api.github.com":
		return dotcom, nil
	case strings.HasSuffix(host, ".ghe.com"):
		// GitHub Enterprise Cloud with data residency: SUB.ghe.com, api.SUB.ghe.com.
		sub := strings.TrimPrefix(host, "api.")
		return githubServer{web: "https://" + sub, api: "https://api." + sub}, nil
	}
	// Enterprise Server lives at the root of its host; a pasted page path
	// (/settings/tokens, /api/v3) only says which server.
	base := u.Scheme + "://" + host
	return githubServer{web: base, api: base + "/api/v3", ghes: true}, nil
}

func githubTokenPage(req Request) (string, error) {
	s, err := parseGitHubServer(req)
	if err != nil {
		return "", err
	}
	q := url.Values{"scopes": {"repo"}, "description": {"Jira git integration"}}
	return s.web + "/settings/tokens/new?" + q.Encode(), nil
}

// githubUser is the part of GET /user a check reports.
type githubUser struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	Type  string `json:"type"`
}

// githubError is GitHub's basic-error body.
type githubError struct {
	Message string `json:"message"`
}

// githubFineGrainedNeeds is what the integration needs of a fine-grained
// token, which no one can read back: Contents and Pull requests, read and
// write. Metadata: Read is not listed: GitHub grants it with every other
// repository permission ("The metadata permission is automatically granted
// with any other repository permission", github/docs
// src/github-apps/scripts/sync.js).
var githubFineGrainedNeeds = []string{"Contents: Read and write", "Pull requests: Read and write"}

// githubSSOLookups bounds the second round of requests: at most this many
// organizations that withhold results are looked up by ID to be named.
const githubSSOLookups = 5

// githubAnswers are the answers githubReport reads: GET /user and GET
// /user/repos (first round, at once), then GET /organizations/{id} for the
// organizations /user/repos says withheld results, and the requests about
// the places the user named (second round, at once; see github_repos.go).
type githubAnswers struct {
	user, repos answer
	orgs        []githubOrgAnswer
	places      []githubPlace
}

// githubOrgAnswer is the answer to GET /organizations/{id}.
type githubOrgAnswer struct {
	id string
	answer
}

func checkGitHub(ctx context.Context, env Env, req Request) *Report {
	srv, err := parseGitHubServer(req)
	if err != nil {
		return (&Report{}).fail(BadInput, Finding{Level: Error, Text: err.Error(), Fix: "Enter the address you open in the browser, such as https://github.example.com."})
	}
	return checkGitHubAt(ctx, env, req, srv)
}

// checkGitHubAt checks the token against the GitHub at srv. It needs only
// requests a repo-only classic token may make: GET /user/orgs would refuse
// it without read:org (403), so single sign-on is read from GET
// /user/repos, which also says what the token reaches.
func checkGitHubAt(ctx context.Context, env Env, req Request, srv githubServer) *Report {
	r := &Report{Server: srv.web}
	token := req.Secrets[0].Reveal()
	name := "GitHub"
	if srv.ghes {
		name = "The GitHub Enterprise server"
	}
	header := http.Header{
		"Authorization":        {"Bearer " + token},
		"Accept":               {"application/vnd.github+json"},
		"X-Github-Api-Version": {"2022-11-28"},
	}
	get := func(path string) func() (*httpx.Response, error) {
		return func() (*httpx.Response, error) { return env.HTTP.Get(ctx, srv.api+path, header) }
	}
	first := make([]chan answer, 2)
	for i, call := range []func() (*httpx.Response, error){get("/user"), get("/user/repos?per_page=100&sort=full_name")} {
		first[i] = make(chan answer, 1)
		go func() {
			resp, err := call()
			first[i] <- answer{resp, err}
		}()
	}
	a := githubAnswers{user: <-first[0]}
	// The named places are asked about as soon as GET /user has accepted
	// the token, while /user/repos may still be on its way; they need the
	// login (for git) and whether the token is classic.
	var places chan []githubPlace
	if login, ok := githubLoginOf(a.user); ok && len(req.Repos) > 0 {
		places = make(chan []githubPlace, 1)
		_, classic := a.user.resp.Header["X-Oauth-Scopes"]
		go func() { places <- askGitHubPlaces(ctx, env, srv, header, login, token, classic, req.Repos) }()
	}
	a.repos = <-first[1]
	// A second round only when single sign-on withheld organizations: name
	// them, a few at once.
	if ids := githubWithheld(a.repos); len(ids) > 0 && a.user.err == nil && a.user.resp.Status == http.StatusOK {
		ids = ids[:min(len(ids), githubSSOLookups)]
		calls := make([]func() (*httpx.Response, error), len(ids))
		for i, id := range ids {
			calls[i] = get("/organizations/" + id)
		}
		for i, ans := range parallel(calls) {
			a.orgs = append(a.orgs, githubOrgAnswer{id: ids[i], answer: ans})
		}
	}
	if places != nil {
		a.places = <-places
	}
	kind := "classic personal access token"
	if shape := Classify(token); shape.Family == "github" && !strings.HasPrefix(token, "ghp_") {
		kind = strings.TrimPrefix(shape.Kind, "a GitHub ")
	}
	return githubReport(r, srv, name, kind, a, env.Now())
}

// githubReport reads the answers into the report; kind names the token by
// its shape. It does no I/O, so the fuzz test can feed it any answer.
func githubReport(r *Report, srv githubServer, name, kind string, a githubAnswers, now time.Time) *Report {
	user := a.user
	if user.err != nil {
		o, f := transportFinding(user.err, name)
		return r.fail(o, f)
	}
	if o, f, ok := githubFailure(user.resp, srv, name, now); !ok {
		return r.fail(o, f)
	}
	var u githubUser
	if !isJSON(user.resp.Header) || json.Unmarshal(user.resp.Body, &u) != nil || u.Login == "" {
		return r.fail(Unchecked, notGitHub(srv))
	}
	r.User, r.Name = u.Login, u.Name
	if v := user.resp.Header.Get("X-Github-Enterprise-Version"); v != "" {
		r.add(Finding{Level: Info, Text: "GitHub Enterprise Server " + v + "."})
	}

	scopeHeader, classic := user.resp.Header["X-Oauth-Scopes"]
	switch {
	case classic:
		r.TokenKind = kind
		r.Scopes = splitScopes(strings.Join(scopeHeader, ","))
		r.judgeScopes(githubNeeds,
			"Open the token on GitHub (Settings → Developer settings → Tokens (classic)), tick repo and click Update token; the token itself stays the same.",
			srv.web+"/settings/tokens")
	default:
		r.TokenKind = "fine-grained personal access token"
		r.Outcome = max(r.Outcome, Insufficient)
		r.Unverified = append(r.Unverified, githubFineGrainedNeeds...)
		r.Summary = "The token works, but gitpat cannot confirm its permissions."
		r.add(Finding{Level: Warn,
			Text: "This is a fine-grained token: GitHub does not let anyone read its permissions. The Jira integration needs, on every repository it should see, Contents: Read and write and Pull requests: Read and write; Metadata: Read comes with them.",
			Fix:  "Check these on the token's page, or create a classic token with the repo scope, which gitpat can verify.",
			Link: srv.web + "/settings/personal-access-tokens"})
	}

	exp, err := parseGitHubExpiry(user.resp.Header.Get("Github-Authentication-Token-Expiration"))
	if err != nil {
		r.add(Finding{Level: Warn, Text: "GitHub sent an expiry date gitpat cannot read."})
	} else {
		r.ExpiresAt = exp
		expiryFindings(r, exp, now, "Regenerate the token on GitHub and paste the new one into the integration.")
	}
	githubReach(r, a, srv, name, !classic, now)
	githubRateLimit(r, user.resp.Header)
	if len(a.places) > 0 {
		var facts githubFacts
		r.Repositories = githubPlaces(githubPlaceContext{srv: srv, name: name, login: u.Login, classic: classic, scopes: r.Scopes,
			mergeGate: githubMergeGate(srv, user.resp.Header.Get("X-Github-Enterprise-Version")),
			withheld:  githubWithheldSet(a), ssoLinks: githubSSOLinks(a, srv), now: now, facts: &facts}, a.places)
		if !classic {
			githubFineGrainedPlaces(r, facts)
		}
	}
	return r
}

// githubLoginOf is the login GET /user answered, when it accepted the
// token.
func githubLoginOf(a answer) (string, bool) {
	if a.err != nil || a.resp == nil || a.resp.Status != http.StatusOK || !isJSON(a.resp.Header) {
		return "", false
	}
	var u githubUser
	// The login goes into git's Basic credentials: user:token.
	if json.Unmarshal(a.resp.Body, &u) != nil || u.Login == "" || strings.ContainsFunc(u.Login, func(r rune) bool { return r == ':' || r < ' ' || r == 0x7f }) {
		return "", false
	}
	return u.Login, true
}

// githubFailure turns a non-200 answer into a verdict; ok is true for a
// usable 200.
func githubFailure(resp *httpx.Response, srv githubServer, name string, now time.Time) (Outcome, Finding, bool) {
	var e githubError
	_ = json.Unmarshal(resp.Body, &e)
	switch {
	case resp.Status == http.StatusOK:
		if isHTML(resp) {
			return Unchecked, webPage(srv), false
		}
		return 0, Finding{}, true
	case resp.Status == http.StatusUnauthorized:
		return Rejected, Finding{Level: Error,
			Text: name + " does not accept this token (\"" + orDefault(serverText(e.Message, ""), "Bad credentials") + "\"): it is mistyped, expired or revoked.",
			Fix:  "Copy the token again in one piece; if it has expired or was revoked, generate a new one with the steps shown.",
			Link: srv.web + "/settings/tokens"}, false
	case rateLimited(resp):
		return Unchecked, rateLimitFinding(resp, now), false
	case resp.Status == http.StatusForbidden && e.Message != "":
		return Rejected, Finding{Level: Error, Text: name + " refused the token: " + strings.TrimSuffix(serverText(e.Message, ""), ".") + ".",
			Fix: "Do what the message asks, or ask the organization's owners which tokens they allow."}, false
	case resp.Status >= 500:
		return Unchecked, githubServerError(resp.Status, srv, name), false
	case resp.Status == http.StatusNotFound:
		return Unchecked, notGitHub(srv), false
	case isHTML(resp):
		return Unchecked, webPage(srv), false
	}
	return Unchecked, Finding{Level: Error, Text: fmt.Sprintf("%s gave an unexpected answer (%d %s).", name, resp.Status, http.StatusText(resp.Status)),
		Fix: "Try again later; if it persists, check the server address."}, false
}

// githubServerError describes a 5xx. An Enterprise server is its
// administrator's, not GitHub's: GitHub's status page says nothing about
// it. In maintenance mode it answers every web and API request 503
// (github/docs content/admin/administering-your-instance/
// configuring-maintenance-mode/enabling-and-scheduling-maintenance-mode.md).
func githubServerError(status int, srv githubServer, name string) Finding {
	if !srv.ghes {
		return serverError(status, name, "Try again in a few minutes; if it persists, check the GitHub status page.")
	}
	if status == http.StatusServiceUnavailable {
		return Finding{Level: Error,
			Text: name + " answered 503 Service Unavailable: it is in maintenance mode or otherwise unavailable. This is not about your token.",
			Fix:  "Test again when the server is back; its administrator can tell you when that will be."}
	}
	return serverError(status, name, "Try again in a few minutes; if it persists, tell the server's administrator.")
}

func notGitHub(srv githubServer) Finding {
	return Finding{Level: Error, Text: "There is no GitHub API at " + srv.api + ".",
		Fix: "Check the server address: enter the address you open GitHub Enterprise with in the browser, such as https://github.example.com."}
}

// webPage says a web page answered where GitHub's API should have.
func webPage(srv githubServer) Finding {
	f := Finding{Level: Error, Text: srv.api + " answered with a web page, not GitHub's API: a sign-in page, a proxy or another site is in the way.",
		Fix: "Check your network: a proxy or a sign-in portal may be answering instead of GitHub."}
	if srv.ghes {
		f.Fix = "Check the server address (the one you open GitHub Enterprise with in the browser) and your network: a proxy or a sign-in portal may be answering in its place."
	}
	return f
}

// rateLimited reports whether a 403 or 429 is one of GitHub's rate limits.
func rateLimited(resp *httpx.Response) bool {
	if resp.Status != http.StatusForbidden && resp.Status != http.StatusTooManyRequests {
		return false
	}
	return resp.Header.Get("X-Ratelimit-Remaining") == "0" || resp.Header.Get("Retry-After") != "" ||
		strings.Contains(strings.ToLower(string(resp.Body)), "rate limit")
}

// rateLimitFinding says which limit stopped the check and how long to wait,
// as GitHub asks: "If the retry-after response header is present, you
// should not retry your request until after that many seconds has elapsed.
// If the x-ratelimit-remaining header is 0, you should not retry your
// request until after the time ... specified by the x-ratelimit-reset
// header. Otherwise, wait for at least one minute" (github/docs
// content/rest/using-the-rest-api/rate-limits-for-the-rest-api.md). The
// secondary limit (too many requests at once) leaves the hourly quota far
// from 0.
func rateLimitFinding(resp *httpx.Response, now time.Time) Finding {
	h := resp.Header
	remaining := h.Get("X-Ratelimit-Remaining")
	primary := remaining == "0" || (remaining == "" && h.Get("Retry-After") == "" &&
		!strings.Contains(strings.ToLower(string(resp.Body)), "secondary rate"))
	f := Finding{Level: Error, Text: "GitHub's API rate limit for this token is used up, so the check could not run."}
	if !primary {
		f.Text = "GitHub's secondary rate limit stopped the check: too many requests in a short time from this token or network."
		if left, err := strconv.Atoi(remaining); err == nil && left > 0 {
			f.Text = strings.TrimSuffix(f.Text, ".") + fmt.Sprintf(" (the hourly limit still has %d requests left).", left)
		}
	}
	switch wait, ok := retryAfter(h, now); {
	case ok:
		f.Fix = "Wait " + wait + " and test again."
	case primary && githubReset(h) != "":
		f.Fix = "Wait until " + githubReset(h) + ", when it resets, and test again."
	case primary:
		f.Fix = "Wait a few minutes and test again."
	default:
		f.Fix = "Wait at least a minute and test again."
	}
	return f
}

// retryAfter reads Retry-After, in seconds or as a date, as a wait.
func retryAfter(h http.Header, now time.Time) (string, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t, err := http.ParseTime(v)
		if err != nil {
			return "", false
		}
		secs = int64(math.Ceil(t.Sub(now).Seconds()))
	}
	switch {
	case secs <= 0:
		return "", false
	case secs < 120:
		return plural(int(secs), "second"), true
	case secs < 2*3600:
		return plural(int((secs+59)/60), "minute"), true
	}
	hours := (min(secs, 1<<40) + 3599) / 3600
	return plural(int(hours), "hour"), true
}

// githubReset is when the hourly limit resets, as "16:00 UTC"; "" when
// the answer does not say.
func githubReset(h http.Header) string {
	reset, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64)
	if err != nil || reset <= 0 || reset > 1<<40 {
		return ""
	}
	return time.Unix(reset, 0).UTC().Format("15:04 MST")
}

// githubRateLimit warns when few requests are left this hour.
func githubRateLimit(r *Report, h http.Header) {
	left, err1 := strconv.Atoi(h.Get("X-Ratelimit-Remaining"))
	limit, err2 := strconv.Atoi(h.Get("X-Ratelimit-Limit"))
	if err1 != nil || err2 != nil || limit == 0 || left*10 >= limit {
		return
	}
	fix := "The integration shares this limit; it resets within the hour."
	if at := githubReset(h); at != "" {
		fix = "The integration shares this limit; it resets at " + at + "."
	}
	r.add(Finding{Level: Warn, Text: fmt.Sprintf("Only %d of %d API requests are left this hour for this token.", left, limit), Fix: fix})
}

// parseGitHubExpiry reads GitHub-Authentication-Token-Expiration, which
// comes as "2026-01-22 10:00:00 UTC" or with a numeric zone; nil when the
// header is absent (no expiration).
func parseGitHubExpiry(v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 -0700", time.RFC3339} {
		if t, err := time.Parse(layout, strings.TrimSpace(v)); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, fmt.Errorf("unreadable expiry")
}
