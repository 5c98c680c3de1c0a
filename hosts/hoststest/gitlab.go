package hoststest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// GitLabToken is how the fake GitLab treats one token.
type GitLabToken struct {
	Scopes      []string // granted scopes, such as {"api"}
	Name        string   // the token's name; "Jira" when empty
	ExpiresAt   string   // "2027-02-23"; "" for none (null)
	Expired     bool     // 401 invalid_token "Token is expired"
	Revoked     bool     // 401 invalid_token "Token was revoked"
	Inactive    bool     // /self lists it as revoked and inactive (revoked between two requests)
	Blocked     bool     // its user is blocked: 403 everywhere
	Bot         bool     // its user is the bot of a project or group access token
	RateLimited bool     // 429 Retry later, as GitLab's throttles answer
	Broken      bool     // 500 on /personal_access_tokens/self
	BrokenUser  bool     // 500 on /user
	// GraphQLBroken answers POST /api/graphql with 500.
	GraphQLBroken bool
	// Admin: its user is an administrator, which changes what GitLab
	// 15.3 and 15.4 answer on /personal_access_tokens/self.
	Admin bool
	// RotateBroken answers a rotation with 500 and rotates nothing, as
	// GitLab's transaction rolls back.
	RotateBroken bool
}

// GitLabOptions describe the fake GitLab server.
type GitLabOptions struct {
	// Version is what /version says, "17.5.2-ee" when empty. It decides
	// what /personal_access_tokens/self answers (see selfByID) and
	// whether there is /metadata (15.2 on).
	Version string
	// SubPath is a sub-path install such as "/gitlab": the API is then at
	// /gitlab/api/v4 and the rest of the host is another web server.
	SubPath string
	// WithoutVersionRoute removes the deprecated /version, leaving /metadata.
	WithoutVersionRoute bool
	// Together holds every answer until this many requests have arrived,
	// which proves a check sends them at once: one by one, it would wait
	// for its first answer forever.
	Together int
	Tokens   map[string]GitLabToken
	// MaxExpiry is the latest expiry date ("2027-11-25") a rotation may
	// ask for, as an instance's token lifetime limit sets; "" for none.
	MaxExpiry string
	// Projects and Groups are what the server holds, by full path
	// ("acme/platform/api", "acme"), as the token's user stands in them
	// (see gitlab_repos.go); what is not here does not exist.
	Projects map[string]GitLabProject
	Groups   map[string]GitLabGroup
	// HTTP1 serves HTTP/1.1 only, as a server or proxy without HTTP/2
	// does. GitLab's own NGINX speaks HTTP/2 by default (omnibus-gitlab,
	// files/gitlab-cookbooks/gitlab/attributes/default.rb:
	// default['gitlab']['nginx']['http2_enabled'] = true), and so does
	// gitlab.com.
	HTTP1 bool
	// Slow makes every answer about a project or group, and every GraphQL
	// answer, take this long, as a busy server's do; MaxInFlight counts
	// the requests waiting together.
	Slow time.Duration
}

// GitLab is a fake self-managed GitLab API (or gitlab.com's) under
// SubPath/api/v4. Unknown tokens get 401 {"message":"401 Unauthorized"}.
type GitLab struct {
	*Server
	opts GitLabOptions

	mu       sync.Mutex
	arrived  int
	together chan struct{} // closed when Together requests have arrived
	tokens   map[string]GitLabToken
	rotated  []string // new tokens, in order
	inFlight concurrency
}

// NewGitLab starts a fake GitLab.
func NewGitLab(t testing.TB, o GitLabOptions) *GitLab {
	if o.Version == "" {
		o.Version = "17.5.2-ee"
	}
	g := &GitLab{opts: o, together: make(chan struct{}), tokens: map[string]GitLabToken{}}
	for k, v := range o.Tokens {
		g.tokens[k] = v
	}
	g.Server = startServer(t, http.HandlerFunc(g.serve), !o.HTTP1)
	return g
}

// Web returns the address a user would type: the server with its sub-path.
func (g *GitLab) Web() string { return g.URL + g.opts.SubPath }

// gitlabReadScopes may read the user and the version.
var gitlabReadScopes = []string{"api", "read_api", "read_user"}

func (g *GitLab) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Request-Id", "01JD0000000000000000000000")
	h.Set("X-Gitlab-Meta", `{"correlation_id":"01JD0000000000000000000000","version":"1"}`)
	if r.URL.Path == g.opts.SubPath+"/api/graphql" && r.Method == http.MethodPost {
		// GraphQL lives beside /api/v4 (doc/api/graphql/_index.md).
		defer g.inFlight.enter(true)()
		g.slow(r)
		g.graphql(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, g.opts.SubPath+"/api/v4")
	restEscaped := strings.TrimPrefix(r.URL.EscapedPath(), g.opts.SubPath+"/api/v4")
	if !ok {
		if g.opts.SubPath != "" && !strings.HasPrefix(r.URL.Path, g.opts.SubPath+"/") {
			// The web server in front of a sub-path install.
			h.Set("Content-Type", "text/html; charset=iso-8859-1")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(Recorded("gitlab/web-server-not-found.html"))
			return
		}
		g.unexpected(w, r)
		return
	}
	isRotate := rest == "/personal_access_tokens/self/rotate"
	if r.Method != http.MethodGet && !(r.Method == http.MethodPost && isRotate) || r.Method == http.MethodGet && isRotate {
		g.unexpected(w, r)
		return
	}
	if g.opts.Together > 0 {
		g.mu.Lock()
		if g.arrived++; g.arrived == g.opts.Together {
			close(g.together)
		}
		g.mu.Unlock()
		select {
		case <-g.together:
		case <-r.Context().Done():
			return
		}
	}
	if r.Header.Get("Authorization") != "" {
		g.t.Errorf("fake GitLab: the token was sent in Authorization as well as PRIVATE-TOKEN")
	}
	major, minor := gitlabVersion(g.opts.Version)
	switch {
	case rest == "/personal_access_tokens/self" && (major > 15 || major == 15 && minor >= 1):
		// 15.5 on: lib/api/personal_access_tokens/self_information.rb;
		// 15.1 to 15.4: the route GET /personal_access_tokens/:id, which
		// takes "self" as an ID (selfByID).
	case rest == "/user":
	case rest == "/version" && !g.opts.WithoutVersionRoute:
	case rest == "/metadata" && (major > 15 || major == 15 && minor >= 2):
	case isRotate && (major > 16 || major == 16 && minor >= 10):
	case strings.HasPrefix(rest, "/projects/") || strings.HasPrefix(rest, "/groups/"):
	case rest == "/personal_access_tokens/self", rest == "/version", rest == "/metadata", isRotate:
		// Routes this version does not have: the catch-all at the end of
		// lib/api/api.rb (route :any, '*path' do error!('404 Not Found',
		// 404) end), before any authentication. Before 15.1 there is no GET
		// route under /personal_access_tokens/ at all (13.3 added the list,
		// 15.0 DELETE self).
		g.json(w, http.StatusNotFound, "gitlab/route-not-found.json")
		return
	default:
		g.unexpected(w, r)
		return
	}
	g.mu.Lock()
	tok, known := g.tokens[r.Header.Get("Private-Token")]
	g.mu.Unlock()
	switch {
	case !known:
		g.json(w, http.StatusUnauthorized, "gitlab/unauthorized.json")
		return
	case tok.Expired:
		h.Set("WWW-Authenticate", `Bearer realm="The API", error="invalid_token", error_description="Token is expired. You can either do re-authorization or token refresh."`)
		g.json(w, http.StatusUnauthorized, "gitlab/token-expired.json")
		return
	case tok.Revoked:
		h.Set("WWW-Authenticate", `Bearer realm="The API", error="invalid_token", error_description="Token was revoked. You have to re-authorize from the user."`)
		g.json(w, http.StatusUnauthorized, "gitlab/token-revoked.json")
		return
	case tok.RateLimited:
		g.rateLimited(w)
		return
	case tok.Blocked:
		g.json(w, http.StatusForbidden, "gitlab/blocked.json")
		return
	}
	if isRotate {
		g.rotate(w, r, tok)
		return
	}
	if strings.HasPrefix(rest, "/projects/") || strings.HasPrefix(rest, "/groups/") {
		g.repoRoute(w, r, restEscaped, tok)
		return
	}
	selfInformation := major > 15 || major == 15 && minor >= 5
	if rest == "/personal_access_tokens/self" && !selfInformation {
		g.selfByID(w, tok, minor)
		return
	}
	if rest != "/personal_access_tokens/self" && !slices.ContainsFunc(tok.Scopes, func(s string) bool { return slices.Contains(gitlabReadScopes, s) }) {
		g.json(w, http.StatusForbidden, "gitlab/insufficient-scope.json")
		return
	}
	switch rest {
	case "/personal_access_tokens/self":
		if tok.Broken {
			g.json(w, http.StatusInternalServerError, "gitlab/server-error.json")
			return
		}
		var expires any
		if tok.ExpiresAt != "" {
			expires = tok.ExpiresAt
		}
		g.edited(w, "gitlab/self.json", map[string]any{"name": orString(tok.Name, "Jira"), "scopes": tok.Scopes,
			"expires_at": expires, "revoked": tok.Inactive, "active": !tok.Inactive})
	case "/user":
		if tok.BrokenUser {
			g.json(w, http.StatusInternalServerError, "gitlab/server-error.json")
			return
		}
		set := map[string]any{"bot": tok.Bot}
		if tok.Admin {
			// An administrator reads itself as Entities::UserWithAdmin,
			// which adds is_admin (lib/api/users.rb, GET /user).
			set["is_admin"] = true
		}
		g.edited(w, "gitlab/user.json", set)
	case "/version":
		g.edited(w, "gitlab/version.json", map[string]any{"version": g.opts.Version})
	case "/metadata":
		g.edited(w, "gitlab/metadata.json", map[string]any{"version": g.opts.Version})
	}
}

// selfByID answers GET /personal_access_tokens/self as GitLab 15.1 to
// 15.4 do: their route GET /personal_access_tokens/:id (lib/api/
// personal_access_tokens.rb) takes "self" as a token ID:
//
//	get ':id' do
//	  token = PersonalAccessToken.find_by_id(params[:id])
//	  allowed = Ability.allowed?(current_user, :read_user_personal_access_tokens, token&.user)
//	  if allowed ... else
//	    # Only admins should be informed if the token doesn't exist
//	    current_user.admin? ? not_found! : unauthorized!
//
// No token has the ID "self", so a token that passes authentication gets
// 401 {"message":"401 Unauthorized"} (unauthorized!), or 404 {"message":
// "404 Not Found"} (not_found!, lib/api/helpers.rb) when its user is an
// administrator, from 15.3 on: doc/api/personal_access_tokens.md, "404
// HTTP status code introduced in GitLab 15.3" (merge request 93650); in
// 15.1 and 15.2 everyone got the 401. Authentication comes first (before
// { authenticate! }), and with it the scope check of every API class
// (lib/api/api.rb: allow_access_with_scope :api, and :read_api for GET),
// which answers any other token 403 insufficient_scope.
func (g *GitLab) selfByID(w http.ResponseWriter, tok GitLabToken, minor int) {
	switch {
	case !slices.ContainsFunc(tok.Scopes, func(s string) bool { return s == "api" || s == "read_api" }):
		g.json(w, http.StatusForbidden, "gitlab/insufficient-scope-api.json")
	case tok.Admin && minor >= 3:
		g.json(w, http.StatusNotFound, "gitlab/not-found.json")
	default:
		g.json(w, http.StatusUnauthorized, "gitlab/unauthorized.json")
	}
}

// rotate answers POST /personal_access_tokens/self/rotate as GitLab 16.10
// and later do (lib/api/personal_access_tokens/self_rotation.rb): 403
// insufficient_scope without api or self_rotate (APIGuard), 400 "400 Bad
// request - <reason>" when the new token cannot be created (RotateService
// rolls back: the old token keeps working), otherwise the old token is
// revoked and 200 carries the new one (Entities::PersonalAccessTokenWithToken,
// doc/api/personal_access_tokens.md, "Rotate a personal access token").
func (g *GitLab) rotate(w http.ResponseWriter, r *http.Request, tok GitLabToken) {
	old := r.Header.Get("Private-Token")
	if !slices.Contains(tok.Scopes, "api") && !slices.Contains(tok.Scopes, "self_rotate") {
		g.edited(w, "gitlab/insufficient-scope.json", map[string]any{"scope": "api self_rotate"}, http.StatusForbidden)
		return
	}
	if tok.RotateBroken {
		g.json(w, http.StatusInternalServerError, "gitlab/server-error.json")
		return
	}
	var body struct {
		ExpiresAt string `json:"expires_at"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.ExpiresAt == "" {
		g.t.Errorf("fake GitLab: a rotation without expires_at gets a one-week token (RotateService::EXPIRATION_PERIOD)")
	}
	if g.opts.MaxExpiry != "" && body.ExpiresAt > g.opts.MaxExpiry {
		// A date past the instance's limit fails the model's validation
		// (app/models/personal_access_token.rb,
		// expires_at_before_instance_max_expiry_date: "must be before
		// %{expiry_date}" on expires_at); RotateService returns
		// errors.full_messages.to_sentence, and bad_request! prefixes
		// "400 Bad request - " (lib/api/helpers.rb).
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		b, _ := json.Marshal(map[string]string{"message": "400 Bad request - Expires at must be before " + g.opts.MaxExpiry})
		_, _ = w.Write(b)
		return
	}
	g.mu.Lock()
	fresh := "glpat-CANARYrot" + strconv.FormatInt(int64(10000000000+len(g.rotated)), 10)[:11]
	g.rotated = append(g.rotated, fresh)
	revoked := tok
	revoked.Revoked = true
	g.tokens[old] = revoked
	tok.ExpiresAt = body.ExpiresAt
	g.tokens[fresh] = tok
	g.mu.Unlock()
	g.edited(w, "gitlab/rotate.json", map[string]any{"name": orString(tok.Name, "Jira"), "scopes": tok.Scopes,
		"expires_at": body.ExpiresAt, "token": fresh})
}

// Rotated returns the tokens the fake issued by rotation, oldest first.
func (g *GitLab) Rotated() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.rotated...)
}

func (g *GitLab) json(w http.ResponseWriter, status int, name string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(Recorded(name))
}

// edited answers 200 with a recorded body whose top-level fields are
// replaced by set.
func (g *GitLab) edited(w http.ResponseWriter, name string, set map[string]any, status ...int) {
	var body map[string]any
	if err := json.Unmarshal(Recorded(name), &body); err != nil {
		panic(err)
	}
	for k, v := range set {
		body[k] = v
	}
	b, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json")
	if len(status) > 0 {
		w.WriteHeader(status[0])
	}
	_, _ = w.Write(b)
}

var gitlabVersionRE = regexp.MustCompile(`^(\d+)\.(\d+)`)

func gitlabVersion(v string) (major, minor int) {
	m := gitlabVersionRE.FindStringSubmatch(v)
	if m == nil {
		return 0, 0
	}
	major, _ = strconv.Atoi(m[1])
	minor, _ = strconv.Atoi(m[2])
	return major, minor
}
