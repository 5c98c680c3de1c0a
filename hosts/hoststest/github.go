package hoststest

import (
	"net/http"
	"strings"
	"testing"
)

// GitHubToken is how the fake GitHub treats one token.
type GitHubToken struct {
	Scopes      string // X-OAuth-Scopes, such as "repo, read:org"
	FineGrained bool   // no X-OAuth-Scopes header at all
	Expires     string // GitHub-Authentication-Token-Expiration; "" for none
	SSOPartial  string // organization IDs withheld from /user/orgs
	RateLimited bool   // 403 with X-RateLimit-Remaining: 0
	Remaining   string // X-RateLimit-Remaining on success; "4990" when empty
	Forbidden   bool   // an organization forbids classic tokens
}

// GitHub is a fake github.com API (at the root) or GitHub Enterprise
// Server (under /api/v3). Unknown tokens get 401 Bad credentials.
type GitHub struct {
	*Server
	Tokens map[string]GitHubToken
	// Echo makes the 401 for an unknown token quote the token back, as a
	// careless proxy might: what gitpat shows must still not hold it.
	Echo bool
}

// NewGitHub starts a fake; enterprise serves under /api/v3 and sends
// X-GitHub-Enterprise-Version.
func NewGitHub(t testing.TB, enterprise bool, tokens map[string]GitHubToken) *GitHub {
	g := &GitHub{Tokens: tokens}
	prefix := ""
	if enterprise {
		prefix = "/api/v3"
	}
	g.Server = start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-GitHub-Request-Id", "1234:5678:9ABC")
		if enterprise {
			h.Set("X-GitHub-Enterprise-Version", "3.12.4")
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
		switch path {
		case "/user":
			g.json(w, http.StatusOK, "github/user.json")
		case "/user/orgs":
			if tok.SSOPartial != "" {
				h.Set("X-GitHub-SSO", "partial-results; organizations="+tok.SSOPartial)
			}
			g.json(w, http.StatusOK, "github/orgs.json")
		case "/user/repos":
			g.json(w, http.StatusOK, "github/repos.json")
		default:
			g.unexpected(w, r)
		}
	}))
	return g
}

// API returns the URL a user would type: the server root.
func (g *GitHub) API() string { return g.URL }

func (g *GitHub) json(w http.ResponseWriter, status int, name string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(Recorded(name))
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
