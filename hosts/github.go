package hosts

import (
	"context"
	"encoding/json"
	"fmt"
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
		{Level: Info, Text: "Fine-grained tokens work too if they grant Contents and Pull requests (read and write) and Metadata (read) on the repositories, but gitpat cannot read their permissions to confirm."},
	},
	TokenPage: githubTokenPage,
	check:     checkGitHub,
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

func checkGitHub(ctx context.Context, env Env, req Request) *Report {
	r := &Report{}
	srv, err := parseGitHubServer(req)
	if err != nil {
		return r.fail(BadInput, Finding{Level: Error, Text: err.Error(), Fix: "Enter the address you open in the browser, such as https://github.example.com."})
	}
	r.Server = srv.web
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
	fineGrained := strings.HasPrefix(token, "github_pat_")
	calls := []func() (*httpx.Response, error){get("/user"), get("/user/orgs?per_page=100")}
	if fineGrained {
		calls = append(calls, get("/user/repos?per_page=100&sort=full_name"))
	}
	kind := "classic personal access token"
	if shape := Classify(token); shape.Family == "github" && !strings.HasPrefix(token, "ghp_") {
		kind = strings.TrimPrefix(shape.Kind, "a GitHub ")
	}
	return githubReport(r, srv, name, kind, parallel(calls), env.Now())
}

// githubReport reads the answers to /user, /user/orgs and (for
// fine-grained tokens) /user/repos into the report; kind names the token
// by its shape. It does no I/O, so the
// fuzz test can feed it any answer.
func githubReport(r *Report, srv githubServer, name, kind string, answers []answer, now time.Time) *Report {
	user := answers[0]
	if user.err != nil {
		o, f := transportFinding(user.err, name)
		return r.fail(o, f)
	}
	if o, f, ok := githubFailure(user.resp, srv, name); !ok {
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
		r.Outcome = Insufficient
		r.Summary = "The token works, but gitpat cannot confirm its permissions."
		r.add(Finding{Level: Warn,
			Text: "This is a fine-grained token: GitHub does not let anyone read its permissions. The Jira integration needs, on every repository it should see, Contents: Read and write, Pull requests: Read and write, and Metadata: Read.",
			Fix:  "Check these on the token's page, or create a classic token with the repo scope, which gitpat can verify.",
			Link: srv.web + "/settings/personal-access-tokens"})
		if len(answers) > 2 {
			githubRepos(r, answers[2])
		}
	}

	exp, err := parseGitHubExpiry(user.resp.Header.Get("Github-Authentication-Token-Expiration"))
	if err != nil {
		r.add(Finding{Level: Warn, Text: "GitHub sent an expiry date gitpat cannot read."})
	} else {
		r.ExpiresAt = exp
		expiryFindings(r, exp, now, "Regenerate the token on GitHub and paste the new one into the integration.")
	}
	githubOrgs(r, answers[1], srv)
	githubRateLimit(r, user.resp.Header)
	return r
}

// githubFailure turns a non-200 answer to GET /user into a verdict; ok is
// true for a usable 200.
func githubFailure(resp *httpx.Response, srv githubServer, name string) (Outcome, Finding, bool) {
	var e githubError
	_ = json.Unmarshal(resp.Body, &e)
	switch {
	case resp.Status == http.StatusOK:
		if isHTML(resp) {
			return Unchecked, notGitHub(srv), false
		}
		return 0, Finding{}, true
	case resp.Status == http.StatusUnauthorized:
		return Rejected, Finding{Level: Error,
			Text: name + " does not accept this token (\"" + orDefault(serverText(e.Message, ""), "Bad credentials") + "\"): it is mistyped, expired or revoked.",
			Fix:  "Copy the token again in one piece; if it has expired or was revoked, generate a new one with the steps shown.",
			Link: srv.web + "/settings/tokens"}, false
	case rateLimited(resp):
		return Unchecked, rateLimitFinding(resp.Header), false
	case resp.Status == http.StatusForbidden && e.Message != "":
		return Rejected, Finding{Level: Error, Text: name + " refused the token: " + strings.TrimSuffix(serverText(e.Message, ""), ".") + ".",
			Fix: "Do what the message asks, or ask the organization's owners which tokens they allow."}, false
	case resp.Status >= 500:
		return Unchecked, serverError(resp.Status, name, "Try again in a few minutes; if it persists, check the GitHub status page or ask your GitHub administrator."), false
	case resp.Status == http.StatusNotFound || isHTML(resp):
		return Unchecked, notGitHub(srv), false
	}
	return Unchecked, Finding{Level: Error, Text: fmt.Sprintf("%s gave an unexpected answer (%d %s).", name, resp.Status, http.StatusText(resp.Status)),
		Fix: "Try again later; if it persists, check the server address."}, false
}

func notGitHub(srv githubServer) Finding {
	return Finding{Level: Error, Text: "There is no GitHub API at " + srv.api + ".",
		Fix: "Check the server address: enter the address you open GitHub Enterprise with in the browser, such as https://github.example.com."}
}

func rateLimited(resp *httpx.Response) bool {
	if resp.Status != http.StatusForbidden && resp.Status != http.StatusTooManyRequests {
		return false
	}
	return resp.Header.Get("X-Ratelimit-Remaining") == "0" || resp.Header.Get("Retry-After") != "" ||
		strings.Contains(strings.ToLower(string(resp.Body)), "rate limit")
}

func rateLimitFinding(h http.Header) Finding {
	f := Finding{Level: Error, Text: "GitHub's API rate limit for this token is used up, so the check could not run.",
		Fix: "Wait a few minutes and test again."}
	if reset, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil && reset > 0 {
		f.Fix = "Wait until " + time.Unix(reset, 0).UTC().Format("15:04 MST") + ", when it resets, and test again."
	} else if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil {
		f.Fix = fmt.Sprintf("Wait %s and test again.", plural(s, "second"))
	}
	return f
}

// githubRateLimit warns when few requests are left this hour.
func githubRateLimit(r *Report, h http.Header) {
	left, err1 := strconv.Atoi(h.Get("X-Ratelimit-Remaining"))
	limit, err2 := strconv.Atoi(h.Get("X-Ratelimit-Limit"))
	if err1 != nil || err2 != nil || limit == 0 || left*10 >= limit {
		return
	}
	f := rateLimitFinding(h)
	r.add(Finding{Level: Warn, Text: fmt.Sprintf("Only %d of %d API requests are left this hour for this token.", left, limit),
		Fix: "The integration shares this limit; " + lower(f.Fix)})
}

// githubOrgs reports organizations that withhold results because the token
// has not been authorized for their SAML single sign-on.
func githubOrgs(r *Report, a answer, srv githubServer) {
	if a.err != nil || a.resp == nil {
		return
	}
	sso := a.resp.Header.Get("X-Github-Sso")
	kind, params, _ := strings.Cut(sso, ";")
	params = strings.TrimSpace(params)
	switch strings.TrimSpace(kind) {
	case "partial-results":
		ids := strings.Split(strings.TrimPrefix(params, "organizations="), ",")
		r.Outcome = max(r.Outcome, Insufficient)
		r.Missing = append(r.Missing, "SAML SSO authorization")
		r.add(Finding{Level: Error,
			Text: fmt.Sprintf("%s use SAML single sign-on and have not authorized this token (organization ID %s): the integration cannot see their repositories.",
				plural(len(ids), "organization"), strings.Join(ids, ", ")),
			Fix:  "On your tokens page, choose Configure SSO next to this token and click Authorize for each organization.",
			Link: srv.web + "/settings/tokens"})
	case "required":
		link := strings.TrimPrefix(params, "url=")
		r.Outcome = max(r.Outcome, Insufficient)
		r.Missing = append(r.Missing, "SAML SSO authorization")
		r.add(Finding{Level: Error, Text: "An organization requires SAML single sign-on authorization for this token.",
			Fix: "Open the link, sign in with your identity provider and authorize the token.", Link: link})
	}
	if a.resp.Status != http.StatusOK {
		return
	}
	var orgs []struct {
		Login string `json:"login"`
	}
	if json.Unmarshal(a.resp.Body, &orgs) != nil || len(orgs) == 0 {
		return
	}
	names := make([]string, 0, len(orgs))
	for _, o := range orgs {
		names = append(names, o.Login)
	}
	r.add(Finding{Level: Info, Text: "Organizations it can see: " + shortList(names, 8) + "."})
}

// githubRepos says what a fine-grained token reaches.
func githubRepos(r *Report, a answer) {
	if a.err != nil || a.resp.Status != http.StatusOK {
		return
	}
	var repos []struct {
		FullName string `json:"full_name"`
		Private  bool   `json:"private"`
	}
	if json.Unmarshal(a.resp.Body, &repos) != nil {
		return
	}
	if len(repos) == 0 {
		r.add(Finding{Level: Error, Text: "It reaches no repositories.",
			Fix: "Edit the token and grant it the repositories Jira should see (Repository access)."})
		return
	}
	names := make([]string, 0, len(repos))
	for _, rp := range repos {
		names = append(names, rp.FullName)
	}
	more := ""
	if len(repos) == 100 {
		more = " or more"
	}
	r.add(Finding{Level: Info, Text: fmt.Sprintf("It reaches %d%s repositories (with public ones): %s.", len(repos), more, shortList(names, 5))})
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
