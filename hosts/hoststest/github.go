package hoststest

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// GitHubToken is how the fake GitHub treats one token.
type GitHubToken struct {
	Scopes      string // X-OAuth-Scopes, such as "repo, read:org"
	FineGrained bool   // no X-OAuth-Scopes header at all
	Expires     string // GitHub-Authentication-Token-Expiration; "" for none
	// SSOPartial lists the IDs of organizations whose SAML single sign-on
	// has not authorized the token, such as "21955855,20582480": lists
	// leave their results out and say so, their own resources answer 403.
	// Only github.com has it (NewGitHub with enterprise false).
	SSOPartial  string
	RateLimited bool   // 403 with X-RateLimit-Remaining: 0
	Remaining   string // X-RateLimit-Remaining on success; "4990" when empty
	Forbidden   bool   // an organization forbids classic tokens
	NoRepos     bool   // GET /user/repos lists nothing
	ReposStatus int    // GET /user/repos answers this server error instead
	// SecondaryLimit is 403 or 429: the secondary rate limit answers the
	// request to SecondaryPath (every path when empty).
	SecondaryLimit int
	SecondaryPath  string
	// Grants are the repositories a fine-grained token was given, by
	// "owner/name", with its permissions on each.
	Grants map[string]GitHubGrant
}

// GitHub is a fake github.com API (at the root) or GitHub Enterprise
// Server (under /api/v3). Unknown tokens get 401 Bad credentials.
type GitHub struct {
	*Server
	Tokens map[string]GitHubToken
	// Orgs maps an organization ID to its login: the organizations the
	// fake knows for GET /organizations/{id}.
	Orgs map[string]string
	// Echo makes the 401 for an unknown token quote the token back, as a
	// careless proxy might: what gitpat shows must still not hold it.
	Echo bool
	// OrgStatus, when set, is the status GET /organizations/{id} answers
	// with (a server error), whatever the ID.
	OrgStatus int
	// Repos are the repositories the fake knows, by "owner/name".
	Repos map[string]GitHubRepo
	// ForbidsClassic names the organizations (by login) whose token policy
	// keeps classic tokens from all but their public resources.
	ForbidsClassic map[string]bool
	// RepoStatus, by "owner/name", is a server error every request about
	// that repository gets.
	RepoStatus map[string]int
	// GitStatus, when set, is a server error git's push discovery gets.
	GitStatus int
	// Moved maps a repository's former "owner/name" to the ID of the
	// repository it was renamed or transferred to.
	Moved map[string]int64
	// PublicURL is the address the fake's own links (SSO authorize links)
	// use when it is reached under another name; its URL when empty.
	PublicURL string
	// Version is the Enterprise Server's X-GitHub-Enterprise-Version;
	// "3.12.4" when empty.
	Version string
	// Hold keeps each request about a repository in flight this long, so
	// that MaxInFlight shows how many a check sends at once.
	Hold time.Duration

	enterprise            bool
	maintenance           bool
	inFlight, maxInFlight int
}

// GitHubOption changes how a fake GitHub is served. By default it speaks
// HTTP/2 as GitHub does (api.github.com answers "HTTP/2 200",
// rhysd/ghpr-blame.vim#9; github.com's git too, rust-lang/cargo#14688).
type GitHubOption func(*httptest.Server)

// HTTP1Only serves HTTP/1.1 alone, as a server behind an older proxy may:
// parallel requests then need a connection each.
var HTTP1Only GitHubOption = func(s *httptest.Server) { s.EnableHTTP2 = false }

// ServedAs serves the fake with cert instead of the test certificate, so
// that it can answer under another name (the demo's api.github.com).
func ServedAs(cert tls.Certificate) GitHubOption {
	return func(s *httptest.Server) { s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}} }
}

// NewGitHub starts a fake; enterprise serves under /api/v3 and sends
// X-GitHub-Enterprise-Version.
func NewGitHub(t testing.TB, enterprise bool, tokens map[string]GitHubToken, opts ...GitHubOption) *GitHub {
	g := &GitHub{Tokens: tokens, Orgs: map[string]string{"1": "github", "21955855": "acme-corp", "20582480": "octo-labs"}, enterprise: enterprise}
	prefix := ""
	if enterprise {
		prefix = "/api/v3"
	}
	g.Server = startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.inMaintenance() {
			// GHES in maintenance mode refuses all HTTP access, "web and
			// API requests, for which the appliance responds with status
			// code 503 (Service Unavailable)", and browsers see a
			// maintenance page (github/docs content/admin/
			// administering-your-instance/configuring-maintenance-mode/
			// enabling-and-scheduling-maintenance-mode.md). The page's
			// HTML is not published: the recorded one says only that.
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write(Recorded("github/ghes-maintenance.html"))
			return
		}
		h := w.Header()
		h.Set("X-GitHub-Request-Id", "1234:5678:9ABC")
		if enterprise {
			h.Set("X-GitHub-Enterprise-Version", orString(g.Version, "3.12.4"))
		}
		if strings.HasSuffix(r.URL.Path, ".git/info/refs") {
			// git over HTTP lives on the web host, at its root.
			defer g.track()()
			g.gitReceivePack(w, r)
			return
		}
		path, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok || r.Method != http.MethodGet {
			g.unexpected(w, r)
			return
		}
		if r.Header.Get("Accept") != "application/vnd.github+json" || r.UserAgent() == "" {
			t.Errorf("fake GitHub: request without Accept or User-Agent")
		}
		auth := r.Header.Get("Authorization")
		tok, known := g.Tokens[strings.TrimPrefix(auth, "Bearer ")]
		if !known || !strings.HasPrefix(auth, "Bearer ") {
			if g.Echo {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"message":"Bad credentials: ` + strings.TrimPrefix(auth, "Bearer ") + `"}`))
				return
			}
			g.json(w, http.StatusUnauthorized, "github/bad-credentials.json")
			return
		}
		h.Set("X-RateLimit-Limit", "5000")
		h.Set("X-RateLimit-Reset", "1764086400")
		h.Set("X-RateLimit-Resource", "core")
		if tok.RateLimited {
			h.Set("X-RateLimit-Remaining", "0")
			g.json(w, http.StatusForbidden, "github/rate-limit.json")
			return
		}
		h.Set("X-RateLimit-Remaining", orString(tok.Remaining, "4990"))
		if tok.SecondaryLimit != 0 && (tok.SecondaryPath == "" || tok.SecondaryPath == path) {
			// "If you exceed a secondary rate limit, you will receive a 403
			// or 429 response and an error message that indicates that you
			// exceeded a secondary rate limit. If the retry-after response
			// header is present, you should not retry your request until
			// after that many seconds has elapsed" (github/docs content/
			// rest/using-the-rest-api/rate-limits-for-the-rest-api.md); the
			// hourly quota is untouched, so X-RateLimit-Remaining stays far
			// from 0. The message: octokit/plugin-throttling.js src/index.ts
			// tells it by /\bsecondary rate\b/ and waits 60 s without
			// Retry-After.
			h.Set("Retry-After", "60")
			g.json(w, tok.SecondaryLimit, "github/secondary-rate-limit.json")
			return
		}
		if !tok.FineGrained {
			h.Set("X-OAuth-Scopes", tok.Scopes)
		}
		h.Set("X-Accepted-OAuth-Scopes", "")
		if tok.Expires != "" {
			h.Set("GitHub-Authentication-Token-Expiration", tok.Expires)
		}
		if tok.Forbidden {
			g.json(w, http.StatusForbidden, "github/classic-forbidden.json")
			return
		}
		// SAML single sign-on authorizes classic tokens per organization
		// on github.com only (GitHub Enterprise Cloud); GHES documents no
		// such thing (github/docs content/rest/authentication/
		// authenticating-to-the-rest-api.md, "{% ifversion fpt or ghec %}").
		var sso []string
		if !enterprise && tok.SSOPartial != "" {
			sso = strings.Split(tok.SSOPartial, ",")
		}
		switch {
		case path == "/user":
			g.json(w, http.StatusOK, "github/user.json")
		case path == "/user/orgs":
			// "this API requires at least user or read:org scope for
			// OAuth tokens and personal access tokens (classic). Requests
			// with insufficient scope will receive a 403 Forbidden
			// response" (github/rest-api-description, operation
			// orgs/list-for-authenticated-user); the message is GitHub's
			// own, as HOSTS.md records it. write:org and admin:org include
			// read:org (GitHub docs, "Scopes for OAuth apps").
			if !tok.FineGrained && !hasAnyScope(tok.Scopes, "read:org", "write:org", "admin:org", "user") {
				g.json(w, http.StatusForbidden, "github/user-orgs-forbidden.json")
				return
			}
			g.withheld(h, sso)
			g.json(w, http.StatusOK, "github/orgs.json")
		case path == "/user/repos":
			// A list across organizations leaves out the ones that have not
			// authorized the token and names them by ID: "X-GitHub-SSO:
			// partial-results; organizations=21955855,20582480" (same
			// github/docs page).
			if tok.ReposStatus != 0 {
				http.Error(w, http.StatusText(tok.ReposStatus), tok.ReposStatus)
				return
			}
			g.withheld(h, sso)
			if tok.NoRepos {
				h.Set("Content-Type", "application/json; charset=utf-8")
				_, _ = w.Write([]byte("[]\n"))
				return
			}
			g.json(w, http.StatusOK, "github/repos.json")
		case strings.HasPrefix(path, "/organizations/"):
			g.organization(w, strings.TrimPrefix(path, "/organizations/"), sso)
		case strings.HasPrefix(path, "/repos/") || strings.HasPrefix(path, "/repositories/"):
			defer g.track()()
			g.repository(w, r, path, prefix, tok)
		case strings.HasPrefix(path, "/users/") && strings.Count(path, "/") == 2:
			g.user(w, strings.TrimPrefix(path, "/users/"))
		case strings.HasPrefix(path, "/orgs/") && strings.HasSuffix(path, "/repos") && strings.Count(path, "/") == 3:
			g.orgRepos(w, r, strings.Split(path, "/")[2], tok)
		default:
			g.unexpected(w, r)
		}
	}), true, func(s *httptest.Server) {
		for _, o := range opts {
			o(s)
		}
	})
	return g
}

// organization answers GET /organizations/{id}, which answers like GET
// /orgs/{org} and which go-github's OrganizationsService.GetByID calls (an
// "undocumented GitHub API endpoint"; google/go-github github/orgs.go and
// openapi_operations.yaml).
func (g *GitHub) organization(w http.ResponseWriter, id string, sso []string) {
	if g.OrgStatus != 0 {
		http.Error(w, http.StatusText(g.OrgStatus), g.OrgStatus)
		return
	}
	login, known := g.Orgs[id]
	switch {
	case !known:
		g.json(w, http.StatusNotFound, "github/not-found.json")
	case slices.Contains(sso, id):
		// A single organization that enforces SAML SSO answers a token it
		// has not authorized 403, and "the X-GitHub-SSO header will
		// include a URL that you can follow to authorize your token. The
		// URL expires after one hour" (github/docs content/rest/
		// authentication/authenticating-to-the-rest-api.md). The header's
		// form: "X-GitHub-SSO: required; url=https://github.com/orgs/
		// octodocs-test/sso?authorization_request=AZSC…" (same docs, older
		// revision); the body as a real 403 carried it (gr2m/octokit-
		// plugin-create-pull-request#67; headers and body together in
		// scala-steward-org/scala-steward-action#173). Public resources
		// are refused too (ossf/scorecard#1504: a public repository).
		// That this route follows the rule is inferred from the docs, not
		// recorded.
		g.ssoRequired(w, login)
	case id == "1":
		// The example of "Get an organization" (GitHub REST docs).
		g.json(w, http.StatusOK, "github/organization.json")
	default:
		g.json(w, http.StatusNotFound, "github/not-found.json")
	}
}

// withheld sets X-GitHub-SSO on a list the named organizations withheld
// results from.
func (g *GitHub) withheld(h http.Header, sso []string) {
	if len(sso) > 0 {
		h.Set("X-GitHub-SSO", "partial-results; organizations="+strings.Join(sso, ","))
	}
}

// SetMaintenance puts the fake Enterprise Server in maintenance mode (or
// takes it out): every request then gets 503 and the maintenance page.
func (g *GitHub) SetMaintenance(on bool) {
	g.mu.Lock()
	g.maintenance = on
	g.mu.Unlock()
}

func (g *GitHub) inMaintenance() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.maintenance
}

// API returns the URL a user would type: the server root.
func (g *GitHub) API() string { return g.URL }

func (g *GitHub) json(w http.ResponseWriter, status int, name string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(Recorded(name))
}

func hasAnyScope(scopes string, want ...string) bool {
	for _, s := range strings.Split(scopes, ",") {
		if slices.Contains(want, strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
