package hoststest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// BitbucketToken is how the fake Bitbucket Cloud treats one credential.
type BitbucketToken struct {
	Email  string   // the Atlassian account's email; another email is refused like a bad token
	Scopes []string // the granted scopes, such as "read:user:bitbucket"
	// Refused makes Bitbucket refuse the token with 401, as it does an
	// expired or revoked token or one created without scopes.
	Refused bool
	// AppPassword is an app password after 2026-07-28: 401 on every call.
	AppPassword bool
	// NoWorkspaces: the account is a member of no workspace.
	NoWorkspaces bool
	// NoGranted: a 403 for a missing scope names only the required scope.
	NoGranted   bool
	RateLimited bool // 429 with Retry-After
}

// BitbucketCloud is a fake api.bitbucket.org under /2.0. Its answers:
//
//   - user.json follows the "user" schema of Atlassian's Bitbucket Cloud
//     OpenAPI description (swagger.v3.json: display_name, nickname,
//     account_id, uuid, account_status, links).
//   - workspaces.json is the example of GET /user/workspaces in the same
//     description, with a second workspace.
//   - repositories.json is a page of the paginated_repositories schema.
//   - scope-missing.json is the 403 a scoped API token got from GET
//     /2.0/user without read:user:bitbucket (pingdotgg/t3code#6290); the
//     fake fills in the required and granted scopes.
//   - token-invalid.json is the 401 for a token created without scopes
//     (avivsinai/bitbucket-cli#30) and for an expired token
//     (avivsinai/bitbucket-cli#174).
//   - login-failed.txt is the plain 401 body Bitbucket Cloud gave a
//     refused Basic login (renovatebot/renovate#20533). That an app password
//     after its removal gets exactly this could not be proven: Atlassian
//     says only "All API requests authenticated using app passwords will
//     fail with an HTTP 401 error code".
//
// The scope each route requires is its x-atlassian-oauth2-scopes in the
// OpenAPI description.
type BitbucketCloud struct {
	*Server
	Tokens map[string]BitbucketToken
}

// bitbucketRouteScopes maps the fake's routes to their required scope.
var bitbucketRouteScopes = map[string]string{
	"/user":            "read:user:bitbucket",
	"/user/workspaces": "read:workspace:bitbucket",
	"/repositories/":   "read:repository:bitbucket",
	"/snippets/":       "read:snippet:bitbucket",
}

// NewBitbucketCloud starts a fake Bitbucket Cloud API.
func NewBitbucketCloud(t testing.TB, tokens map[string]BitbucketToken) *BitbucketCloud {
	b := &BitbucketCloud{Tokens: tokens}
	b.Server = start(t, http.HandlerFunc(b.serve))
	return b
}

// API returns the API's address, as https://api.bitbucket.org/2.0 is.
func (b *BitbucketCloud) API() string { return b.URL + "/2.0" }

func (b *BitbucketCloud) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", "4b8d3c1e9f2a4e7b8c6d5e4f3a2b1c0d")
	path, ok := strings.CutPrefix(r.URL.Path, "/2.0")
	if !ok || r.Method != http.MethodGet {
		b.unexpected(w, r)
		return
	}
	scope := ""
	for route, s := range bitbucketRouteScopes {
		if path == route || (strings.HasSuffix(route, "/") && strings.HasPrefix(path, route) && !strings.Contains(strings.TrimPrefix(path, route), "/")) {
			scope = s
		}
	}
	if scope == "" {
		b.unexpected(w, r)
		return
	}
	email, token := bitbucketBasic(r.Header.Get("Authorization"))
	tok, known := b.Tokens[token]
	switch {
	case known && tok.AppPassword:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write(Recorded("bitbucket/login-failed.txt"))
		return
	case !known || tok.Refused || !strings.EqualFold(email, tok.Email):
		b.json(w, http.StatusUnauthorized, Recorded("bitbucket/token-invalid.json"))
		return
	case tok.RateLimited:
		w.Header().Set("Retry-After", "60")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte("Rate limit for this resource has been exceeded"))
		return
	}
	if !slices.Contains(tok.Scopes, scope) {
		b.json(w, http.StatusForbidden, b.scopeMissing(scope, tok))
		return
	}
	switch {
	case path == "/user":
		b.json(w, http.StatusOK, Recorded("bitbucket/user.json"))
	case path == "/user/workspaces" && tok.NoWorkspaces:
		b.json(w, http.StatusOK, Recorded("bitbucket/workspaces-empty.json"))
	case path == "/user/workspaces":
		b.json(w, http.StatusOK, Recorded("bitbucket/workspaces.json"))
	case strings.HasPrefix(path, "/repositories/"):
		b.json(w, http.StatusOK, Recorded("bitbucket/repositories.json"))
	default:
		b.json(w, http.StatusOK, Recorded("bitbucket/snippets-empty.json"))
	}
}

// scopeMissing is the recorded 403 with this route's required scope and
// the token's granted ones.
func (b *BitbucketCloud) scopeMissing(scope string, tok BitbucketToken) []byte {
	var body map[string]any
	if err := json.Unmarshal(Recorded("bitbucket/scope-missing.json"), &body); err != nil {
		panic(err)
	}
	detail := map[string]any{"required": []string{scope}}
	if !tok.NoGranted {
		detail["granted"] = append([]string{}, tok.Scopes...)
	}
	body["error"].(map[string]any)["detail"] = detail
	out, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	return out
}

func (b *BitbucketCloud) json(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// bitbucketBasic reads Basic EMAIL:TOKEN.
func bitbucketBasic(auth string) (user, password string) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(auth, "Basic "))
	if err != nil || !strings.HasPrefix(auth, "Basic ") {
		return "", ""
	}
	user, password, _ = strings.Cut(string(raw), ":")
	return user, password
}
