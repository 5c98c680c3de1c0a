package hosts

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/gitpat/gitpat/internal/httpx"
)

// gerritNeeds is what the Jira integration needs of a Gerrit account: to
// read the projects (repositories) it indexes.
var gerritNeeds = []string{"Read"}

// Gerrit is Gerrit Code Review, which takes a user name and the HTTP
// password generated on the user's settings page.
var Gerrit = &Host{
	ID:      "gerrit",
	Name:    "Gerrit",
	Family:  "gerrit",
	Summary: "The Jira integration needs a Gerrit user name and its HTTP password (Settings → HTTP Credentials), for an account that may read the projects.",
	Needs:   gerritNeeds,
	Repos:   &gerritRepoSpec,
	Variants: []Variant{{ID: "gerrit", Label: "Gerrit Code Review", Fields: []Field{
		{Key: "url", Label: "Server URL", Placeholder: "https://review.example.com",
			Help: "The address you open Gerrit with in the browser, with its path prefix if it has one (https://example.com/r)."},
		{Key: "user", Label: "Gerrit user name", Placeholder: "jira-bot", WithSecret: true,
			Help: "The Username on Settings → Profile, not the email: Gerrit signs in with it."},
	}}},
	Credential: "HTTP password",
	Secrets:    []SecretField{{Label: "HTTP password", Placeholder: "42 characters"}},
	Steps: []Step{
		{"Sign in to Gerrit, click your name or avatar (top right) and choose Settings.", "gerrit-1-settings.svg"},
		{"Under Profile, note your Username: the integration signs in with it, not with your email.", "gerrit-2-profile.svg"},
		{"Under HTTP Credentials, click Generate new password. \"Open token page\" takes you there.", "gerrit-3-credentials.svg"},
		{"Copy the password now: Gerrit shows it only once, and generating another replaces it.", "gerrit-4-copy.svg"},
	},
	Notes: []Note{
		{Level: Info, Text: "Use an account that may read every project Jira should index. Creating branches from Jira also needs Create Reference on refs/heads/* in those projects."},
		{Level: Warn, Text: "Generate new password replaces the old one: anything still using it (the integration, scripts, git) stops working."},
		{Level: Info, Text: "If your Gerrit signs in with LDAP, the administrator may have set it to take the LDAP password instead (auth.gitBasicAuthPolicy)."},
	},
	TokenPage: func(req Request) (string, error) {
		web, _, err := parseGerritServer(req.Field("url"))
		if err != nil {
			return "", err
		}
		return web + "/settings/#HTTPCredentials", nil
	},
	Regenerate: gerritRenewal,
	check:      checkGerrit,
}

// gerritReserved are the first path segments of Gerrit's own pages and
// APIs: a pasted page address (…/c/project/+/123, …/q/status:open,
// …/settings, …/admin/repos, …/a/accounts/self) is cut there to find the
// address with its path prefix.
var gerritReserved = map[string]bool{"c": true, "q": true, "settings": true, "admin": true, "dashboard": true, "a": true,
	"plugins": true, "Documentation": true, "login": true, "x": true, "config": true, "projects": true, "accounts": true, "changes": true}

// parseGerritServer reads the server URL field; plainHTTP is set for an
// http:// address, which the check asks consent for.
func parseGerritServer(raw string) (web string, plainHTTP bool, err error) {
	u, err := ParseServerURL(raw, true)
	if err != nil {
		return "", false, err
	}
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		if i > 0 && gerritReserved[s] {
			segs = segs[:i]
			break
		}
	}
	return u.Scheme + "://" + u.Host + strings.Join(segs, "/"), u.Scheme == "http", nil
}

// The requests a check sends at once. "To authenticate, prefix the
// endpoint URL with /a/" (Gerrit's REST API documentation, rest-api.txt);
// Gerrit uses HTTP basic authentication with the HTTP password since 2.14
// ("gerrit-server: use hashed passwords for HTTP", which removed digest
// authentication).
var gerritPaths = [4]string{"/a/accounts/self", "/a/accounts/self/capabilities", "/a/config/server/version", "/a/projects/?n=101"}

// gerritCheck is what one check knows along the way.
type gerritCheck struct {
	web   string
	http  bool
	user  string
	token string // only to keep it out of quoted server text
	page  string
}

// checkGerrit proves the account, its capabilities and that it reads
// projects, and, for the projects the user named, what the integration may
// do there (gerrit_repos.go).
func checkGerrit(ctx context.Context, env Env, req Request) *Report {
	r := &Report{}
	web, plainHTTP, err := parseGerritServer(req.Field("url"))
	if err != nil {
		return r.fail(BadInput, Finding{Level: Error, Text: err.Error(),
			Fix: "Enter the address you open Gerrit with in the browser, such as https://review.example.com or https://example.com/r."})
	}
	r.Server = web
	user := strings.TrimSpace(req.Field("user"))
	if user == "" {
		return r.fail(BadInput, Finding{Level: Error, Text: "Enter the Gerrit user name the HTTP password belongs to.",
			Fix: "It is the Username on Settings → Profile in Gerrit, not the email."})
	}
	if strings.ContainsAny(user, ":\t ") {
		return r.fail(BadInput, Finding{Level: Error, Text: "A Gerrit user name holds no spaces or colons.",
			Fix: "Copy the Username from Settings → Profile in Gerrit."})
	}
	if plainHTTP && !req.AllowHTTP {
		r.NeedsHTTPConsent = true
		return r.fail(BadInput, Finding{Level: Error, Text: "The server address uses http://, which would send the HTTP password unencrypted.",
			Fix: "Use https:// if the server offers it; otherwise agree to send it over plain http (gitpat-check: --allow-http)."})
	}
	c := gerritCheck{web: web, http: plainHTTP, user: user, token: req.Secrets[0].Reveal(), page: web + "/settings/#HTTPCredentials"}
	header := http.Header{
		"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+c.token))},
		"Accept":        {"application/json"},
	}
	get := func(p string) func() (*httpx.Response, error) {
		return func() (*httpx.Response, error) { return env.HTTP.Get(ctx, web+p, header) }
	}
	calls := make([]func() (*httpx.Response, error), len(gerritPaths))
	for i, p := range gerritPaths {
		calls[i] = get(p)
	}
	answers := parallel(calls)
	// The named projects need the account Gerrit signed in (and whether it
	// may run access checks): one more round, after the first.
	var places [][]answer
	if self := answers[0]; len(req.Repos) > 0 && self.err == nil && self.resp.Status == http.StatusOK && !isHTML(self.resp) {
		if acct, err := parseGerritAccount(self.resp.Body); err == nil {
			_, places = runWithRepos(nil, gerritPlaceCalls(get, req.Repos, gerritViewAccess(gerritCapabilitiesOf(answers[1])), acct.ID), 5)
		}
	}
	out := c.report(r, answers)
	if places != nil && (out.Outcome == Sufficient || out.Outcome == Insufficient) {
		c.namedProjects(out, req.Repos, places)
	}
	return out
}

// report turns the answers to gerritPaths into the report. It does no
// I/O, so the fuzz test can feed it anything.
func (c gerritCheck) report(r *Report, answers []answer) *Report {
	if c.http && azureDelivered(answers[0]) {
		r.add(Finding{Level: Warn, Text: "The HTTP password was sent over plain http:// to " + c.web + ": anyone on the network path could read it.",
			Fix: "Ask the administrator to enable https, then generate a new HTTP password."})
	}
	self := answers[0]
	if self.err != nil {
		o, f := transportFinding(self.err, "The Gerrit server")
		return r.fail(o, f)
	}
	if o, f, ok := c.failure(self.resp); !ok {
		return r.fail(o, f)
	}
	acct, err := parseGerritAccount(self.resp.Body)
	if err != nil {
		return r.fail(Unchecked, c.notGerrit(false))
	}
	r.User = c.quote(orDefault(acct.Username, c.user))
	r.Name = c.quote(acct.Name)
	r.TokenKind = "HTTP password"
	who := r.User
	if r.Name != "" && r.Name != r.User {
		who = r.Name + " (" + r.User + ")"
	}
	if acct.Email != "" {
		who += ", " + c.quote(acct.Email)
	}
	r.add(Finding{Level: Info, Text: "It signs in as " + who + "."})

	if v := gerritVersionOf(answers[2]); v != "" {
		r.add(Finding{Level: Info, Text: "Gerrit " + c.quote(v) + "."})
	}
	caps := gerritCapabilitiesOf(answers[1])
	c.projects(r, answers[3])
	for _, cp := range caps {
		r.Scopes = append(r.Scopes, c.quote(cp))
	}
	if slices.Contains(caps, "administrateServer") {
		r.add(Finding{Level: Warn, Text: "This account administers Gerrit (Administrate Server): the integration needs far less.",
			Fix: "Prefer an account for the integration that may only read the projects Jira should index."})
	}
	r.ExpiryUnknown = true
	r.add(Finding{Level: Info,
		Text: "Gerrit does not tell gitpat when the password expires: HTTP passwords do not, while authorization tokens of newer Gerrit versions can have a lifetime the administrator sets (auth.maxAuthTokenLifetime)."})
	return r
}

// failure turns the answer to /a/accounts/self into a verdict when it ends
// the check; ok is true for a usable 200.
func (c gerritCheck) failure(resp *httpx.Response) (Outcome, Finding, bool) {
	switch s := resp.Status; {
	case s == http.StatusOK && isHTML(resp):
		return Unchecked, c.notGerrit(true), false
	case s == http.StatusOK:
		return 0, Finding{}, true
	case s == http.StatusUnauthorized && strings.HasPrefix(strings.ToLower(resp.Header.Get("WWW-Authenticate")), "digest"):
		return Unchecked, Finding{Level: Error,
			Text: "This Gerrit asks for HTTP digest authentication, which Gerrit dropped in 2.14 and gitpat does not speak, so the password could not be tested.",
			Fix:  "Ask the administrator about upgrading Gerrit; test the password with git over https meanwhile."}, false
	case s == http.StatusUnauthorized:
		// ProjectBasicAuthFilter answers 401 with WWW-Authenticate: Basic
		// realm="Gerrit Code Review" alike for an unknown or inactive user
		// name and for a wrong password (Gerrit's source).
		text := "Gerrit does not accept the user name " + serverText(c.user, c.token) + " with this HTTP password: the password is mistyped or was replaced by a newer one, the user name is not the account's Username, or the account is inactive."
		if strings.Contains(c.user, "@") {
			text = "Gerrit does not accept " + serverText(c.user, c.token) + " with this HTTP password: Gerrit signs in with the Username on Settings → Profile, which is usually not the email."
		}
		return Rejected, Finding{Level: Error, Text: text,
			Fix:  "Check the Username on Settings → Profile, and copy the password again in one piece; if it still fails, generate a new password under HTTP Credentials.",
			Link: c.page}, false
	case s == http.StatusForbidden:
		return Rejected, Finding{Level: Error, Text: "Gerrit refused the account: " + c.quote(orDefault(gerritText(resp.Body), "403 Forbidden")) + ".",
			Fix: "Ask the Gerrit administrator whether the account may use the REST API."}, false
	case s == http.StatusNotFound:
		return Unchecked, c.notGerrit(false), false
	case s == http.StatusTooManyRequests:
		return Unchecked, Finding{Level: Error, Text: "The Gerrit server (or a proxy in front of it) limits requests and refused this one, so the check could not run.",
			Fix: "Wait a minute and test again."}, false
	case s >= 500:
		return Unchecked, serverError(s, "The Gerrit server", "Try again in a few minutes; if it persists, ask the server's administrator."), false
	case isHTML(resp):
		return Unchecked, c.notGerrit(true), false
	}
	return Unchecked, Finding{Level: Error,
		Text: fmt.Sprintf("The Gerrit server gave an unexpected answer (%d %s).", resp.Status, http.StatusText(resp.Status)),
		Fix:  "Try again later; if it persists, check the server address or ask the server's administrator."}, false
}

// projects judges Read from the projects the account sees. All-Projects
// and All-Users hold configuration, not code, so they do not count.
func (c gerritCheck) projects(r *Report, a answer) {
	if a.err != nil || a.resp.Status != http.StatusOK || isHTML(a.resp) {
		r.Unverified = append(r.Unverified, gerritNeeds...)
		r.add(Finding{Level: Warn, Text: "Gerrit did not list the projects the account may read, so gitpat could not prove it reads any.",
			Fix: "Check in Gerrit (Browse → Repositories) that the account sees the projects Jira should index."})
		return
	}
	names, err := parseGerritProjects(a.resp.Body)
	if err != nil {
		r.Unverified = append(r.Unverified, gerritNeeds...)
		r.add(Finding{Level: Warn, Text: "gitpat could not read Gerrit's list of projects, so it could not prove the account reads any."})
		return
	}
	code := slices.DeleteFunc(names, func(n string) bool { return n == "All-Projects" || n == "All-Users" })
	if len(code) == 0 {
		r.Outcome = max(r.Outcome, Insufficient)
		r.Missing = append(r.Missing, gerritNeeds...)
		r.add(Finding{Level: Error, Text: "The account may read no project, so the integration would index nothing.",
			Fix: "Ask a Gerrit administrator to give the account (or a group it is in) Read on the projects Jira should index."})
		return
	}
	r.Outcome = max(r.Outcome, Sufficient)
	r.Scopes = append(r.Scopes, "Read")
	for i := range code {
		code[i] = c.quote(code[i])
	}
	count := fmt.Sprint(len(code))
	if len(names) >= 101 {
		count += " or more"
	}
	r.add(Finding{Level: Info, Text: "It may read " + count + " projects, such as " + shortList(code, 5) + "."})
}

func (c gerritCheck) notGerrit(page bool) Finding {
	api := c.web + "/a/accounts/self"
	text := "There is no Gerrit REST API at " + c.web + "."
	if page {
		text = api + " answered with a web page, not Gerrit's REST API: a sign-in page, a proxy or another site is in the way."
	}
	fix := "Check the server address: enter the address you open Gerrit with in the browser"
	if u, err := url.Parse(c.web); err == nil && u.Path != "" {
		fix += "; if Gerrit is at the root of the server, that is " + u.Scheme + "://" + u.Host + "."
	} else {
		fix += ", with its path prefix if it has one (such as " + c.web + "/r)."
	}
	return Finding{Level: Error, Text: text, Fix: fix}
}

// quote makes server text safe to show in a sentence.
func (c gerritCheck) quote(s string) string { return strings.TrimSuffix(serverText(s, c.token), ".") }

// gerritXSSI is the line Gerrit puts before every JSON answer: "The JSON
// response body starts with magic prefix line that must be stripped before
// feeding the rest of the response body to a JSON parser: )]}'"
// (rest-api.txt).
const gerritXSSI = ")]}'"

// gerritJSON strips the magic prefix line, when there is one.
func gerritJSON(body []byte) []byte {
	b := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if rest, ok := bytes.CutPrefix(b, []byte(gerritXSSI)); ok {
		return rest
	}
	return b
}

// gerritText is Gerrit's plain-text error body ("Authentication
// required"), one line at most.
func gerritText(body []byte) string { return plainMessage(body) }

// gerritAccount is AccountInfo: {"_account_id": 1000096, "name": …,
// "email": …, "username": …} (rest-api-accounts.txt, Get Account).
type gerritAccount struct {
	ID       int64  `json:"_account_id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Username string `json:"username"`
}

func parseGerritAccount(body []byte) (gerritAccount, error) {
	var a gerritAccount
	if err := json.Unmarshal(gerritJSON(body), &a); err != nil {
		return a, err
	}
	if a.ID == 0 {
		return a, errors.New("not an account")
	}
	return a, nil
}

// gerritCapabilitiesOf lists the global capabilities the account has:
// CapabilityInfo maps a capability to true, or to a range such as
// queryLimit {"min": 0, "max": 500} (rest-api-accounts.txt, List Account
// Capabilities). Ranges are left out.
func gerritCapabilitiesOf(a answer) []string {
	if a.err != nil || a.resp.Status != http.StatusOK {
		return nil
	}
	var caps map[string]json.RawMessage
	if json.Unmarshal(gerritJSON(a.resp.Body), &caps) != nil {
		return nil
	}
	var out []string
	for name, v := range caps {
		if string(v) == "true" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// gerritVersionOf reads GET /config/server/version: ")]}'\n"2.7"" (rest-api-config.txt).
func gerritVersionOf(a answer) string {
	if a.err != nil || a.resp.Status != http.StatusOK {
		return ""
	}
	var v string
	if json.Unmarshal(gerritJSON(a.resp.Body), &v) != nil {
		return ""
	}
	return strings.TrimSpace(v)
}

// parseGerritProjects reads List Projects: a map of project names to
// ProjectInfo (rest-api.txt, /projects/).
func parseGerritProjects(body []byte) ([]string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(gerritJSON(body), &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not a project list")
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}
