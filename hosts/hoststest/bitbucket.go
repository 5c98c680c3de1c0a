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
//
// The repositories of the tokens' account (Repos) answer the requests
// about named places, all read:repository:bitbucket in the description:
//
//   - GET /2.0/repositories/{workspace}/{repo_slug}: repository.json, a
//     "repository" object of the description's schema (values chosen
//     here), for a repository the account may see. A missing repository,
//     and a private one the account may not see, get the same 404,
//     repository-not-found.json, whose message public Bitbucket clients
//     recorded for both (see bitbucket_cloud_repos.go). The description's
//     403 for a private repository ("If the repository is private and the
//     authenticated user does not have access to it") is Forbidden; its
//     message is this fake's own.
//   - GET /2.0/user/workspaces/{workspace}/permissions/repositories: a
//     page of repository_permission objects (repository-permissions.json,
//     the description's example with this fake's account), the account's
//     effective permission on each repository it has one on, filtered by
//     q (repository.full_name="…" or permission>"read"); 403 "The
//     requesting user does not have access to the workspace" for a
//     workspace the account is not in (workspace-forbidden.json: the
//     status is the description's, the message this fake's own).
type BitbucketCloud struct {
	*Server
	Tokens map[string]BitbucketToken
	// Repos are the repositories by workspace/slug.
	Repos map[string]BitbucketRepo
	// Workspaces the account is a member of: acme and acme-tools when nil.
	Workspaces []string
	// Busy counts the requests about repositories answered at once.
	Busy InFlight
}

// BitbucketRepo is one repository as the fake's account sees it.
type BitbucketRepo struct {
	Public bool
	// Permission is the account's effective permission (admin, write or
	// read), "" when Bitbucket lists none.
	Permission string
	// Hidden: private, and the account may not see it (404, like a
	// missing repository).
	Hidden bool
	// Forbidden answers the repository with the description's 403.
	Forbidden bool
	// Status answers both requests about it with this status instead
	// (500, 429), as a failing Bitbucket does.
	Status int
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

// NewBitbucketCloudHTTP2 is NewBitbucketCloud speaking HTTP/2 as well, as
// api.bitbucket.org is assumed to (the latency benchmarks: requests sent
// at once share one connection).
func NewBitbucketCloudHTTP2(t testing.TB, tokens map[string]BitbucketToken) *BitbucketCloud {
	b := &BitbucketCloud{Tokens: tokens}
	b.Server = startServer(t, http.HandlerFunc(b.serve), true)
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
	repoPath := bitbucketRepoPath(path)
	if repoPath {
		scope = "read:repository:bitbucket"
		defer b.Busy.enter()()
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
	case repoPath:
		b.repository(w, r, path)
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

// bitbucketRepoPath reports whether path asks about a named place:
// /repositories/{workspace}/{slug} or
// /user/workspaces/{workspace}/permissions/repositories.
func bitbucketRepoPath(path string) bool {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	return (len(segs) == 3 && segs[0] == "repositories") ||
		(len(segs) == 5 && segs[0] == "user" && segs[1] == "workspaces" && segs[3] == "permissions" && segs[4] == "repositories")
}

// repository answers the requests about named places.
func (b *BitbucketCloud) repository(w http.ResponseWriter, r *http.Request, path string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if segs[0] == "repositories" {
		name := segs[1] + "/" + segs[2]
		repo, ok := b.Repos[strings.ToLower(name)]
		switch {
		case ok && repo.Status != 0:
			b.failing(w, repo.Status)
		case !ok || repo.Hidden:
			b.json(w, http.StatusNotFound, Recorded("bitbucket/repository-not-found.json"))
		case repo.Forbidden:
			b.json(w, http.StatusForbidden, []byte(`{"type": "error", "error": {"message": "Access denied. You must have read access to this repository."}}`))
		default:
			b.json(w, http.StatusOK, edit(Recorded("bitbucket/repository.json"), map[string]any{
				"full_name": name, "name": segs[2], "slug": segs[2], "is_private": !repo.Public}))
		}
		return
	}
	ws := segs[2]
	members := b.Workspaces
	if members == nil {
		members = []string{"acme", "acme-tools"}
	}
	if !slices.ContainsFunc(members, func(m string) bool { return strings.EqualFold(m, ws) }) {
		b.json(w, http.StatusForbidden, Recorded("bitbucket/workspace-forbidden.json"))
		return
	}
	q := r.URL.Query().Get("q")
	var values []any
	var keys []string
	for name := range b.Repos {
		keys = append(keys, name)
	}
	slices.Sort(keys)
	for _, name := range keys {
		repo := b.Repos[name]
		owner, _, _ := strings.Cut(name, "/")
		if !strings.EqualFold(owner, ws) || repo.Permission == "" || repo.Hidden {
			continue
		}
		switch {
		case q == `repository.full_name="`+name+`"` || strings.EqualFold(q, `repository.full_name="`+name+`"`):
			if repo.Status != 0 {
				b.failing(w, repo.Status)
				return
			}
		case q == `permission>"read"` && repo.Permission != "read":
		default:
			continue
		}
		values = append(values, map[string]any{"type": "repository_permission", "permission": repo.Permission,
			"repository": map[string]any{"type": "repository", "full_name": name, "name": strings.SplitN(name, "/", 2)[1]}})
	}
	pagelen := 10
	if r.URL.Query().Get("pagelen") == "1" {
		pagelen = 1
	}
	page := map[string]any{"pagelen": pagelen, "page": 1, "size": len(values), "values": values[:min(len(values), pagelen)]}
	if values == nil {
		page["values"] = []any{}
	}
	b.json(w, http.StatusOK, edit(Recorded("bitbucket/repository-permissions.json"), page))
}

// failing answers as a failing Bitbucket does: a 5xx with its error body,
// or 429 with Retry-After.
func (b *BitbucketCloud) failing(w http.ResponseWriter, status int) {
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "60")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		_, _ = w.Write([]byte("Rate limit for this resource has been exceeded"))
		return
	}
	b.json(w, status, Recorded("bitbucket/server-error.json"))
}

// edit replaces top-level fields of a recorded JSON object.
func edit(body []byte, set map[string]any) []byte {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		panic(err)
	}
	for k, v := range set {
		m[k] = v
	}
	out, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return out
}
