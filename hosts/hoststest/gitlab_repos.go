package hoststest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// GitLabProject is a project on the fake GitLab, as the token's user
// (john_smith, ID 3, as in user.json) stands in it.
type GitLabProject struct {
	Visibility string // "private" when empty, "internal" or "public"
	// The user's roles by where they come from: 10 Guest, 20 Reporter, 30
	// Developer, 40 Maintainer, 50 Owner; 0 for none.
	Direct int // a member of the project itself
	Group  int // a member of the project's group or of a group above it
	Shared int // a member of a group the project or its group is shared with
	// Archived projects are read-only.
	Archived bool
	// MergeRequests and Repository are the features' access levels:
	// "enabled" when empty, "private" (project members only) or "disabled".
	MergeRequests string
	Repository    string
	Empty         bool   // no commit yet, hence no branch
	DefaultBranch string // "main" when empty
	Branches      []string
	Protected     []GitLabRule
	// Fail answers every REST request about the project with this status:
	// 500, 502 or 429.
	Fail int
}

// GitLabRule is a protected branch rule.
type GitLabRule struct {
	Name string // a branch name or a wildcard: "main", "*", "release/*"
	// Push and Merge are the roles allowed: 0 No one, 30 Developers and
	// Maintainers, 40 Maintainers, 60 administrators.
	Push, Merge []int
	// PushUser is a user allowed to push (GitLab Premium), 0 for none.
	PushUser int
}

// GitLabGroup is a group on the fake GitLab.
type GitLabGroup struct {
	Visibility string // "private" when empty, "internal" or "public"
	Member     int    // the user's role in the group or a group above it
	Shared     int    // the user's role through a group this group is shared with
	Fail       int
}

// concurrency counts requests in flight about repositories.
type concurrency struct {
	mu        sync.Mutex
	rest, gql int
	maxRest   int
	maxGQL    int
}

func (c *concurrency) enter(gql bool) func() {
	c.mu.Lock()
	if gql {
		c.gql++
		c.maxGQL = max(c.maxGQL, c.gql)
	} else {
		c.rest++
		c.maxRest = max(c.maxRest, c.rest)
	}
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		if gql {
			c.gql--
		} else {
			c.rest--
		}
		c.mu.Unlock()
	}
}

// MaxInFlight returns the most REST requests about projects and groups,
// and the most GraphQL requests, the fake ever had in flight at once.
func (g *GitLab) MaxInFlight() (rest, graphql int) {
	g.inFlight.mu.Lock()
	defer g.inFlight.mu.Unlock()
	return g.inFlight.maxRest, g.inFlight.maxGQL
}

func (g *GitLab) project(path string) (GitLabProject, bool) {
	for k, p := range g.opts.Projects {
		// Paths are found whatever their case (Routable.where_full_path_in
		// compares LOWER(path)).
		if strings.EqualFold(k, path) {
			return p, true
		}
	}
	return GitLabProject{}, false
}

func (g *GitLab) group(path string) (GitLabGroup, bool) {
	for k, gr := range g.opts.Groups {
		if strings.EqualFold(k, path) {
			return gr, true
		}
	}
	return GitLabGroup{}, false
}

// level is the user's role in the project: the highest of all its
// sources, as project_authorizations holds it (ProjectTeam#
// max_member_access_for_user_ids), which ProjectPolicy decides by.
func (p GitLabProject) level() int { return max(p.Direct, p.Group, p.Shared) }

// visible is read_project: public projects for everyone, internal ones
// for any signed-in user, private ones for members and administrators.
func (p GitLabProject) visible(tok GitLabToken, signedIn bool) bool {
	switch p.Visibility {
	case "public":
		return true
	case "internal":
		return signedIn
	}
	return signedIn && (p.level() > 0 || tok.Admin)
}

// abilities are what ProjectPolicy (app/policies/project_policy.rb)
// grants the user, in GraphQL's names:
//   - download_code: Reporter and up in a private project, anyone who
//     may read a public or internal one; not with the repository off
//     (ProjectFeature: a private project's repository needs Reporter);
//   - push_code and create_merge_request_from: Developer and up;
//   - create_merge_request_in: Guest and up, and anyone who may read
//     the code of a public or internal project;
//   - admin_project: Maintainer and up;
//   - rule { archived } prevents push_code and both merge request
//     abilities; rule { merge_requests_disabled | repository_disabled }
//     prevents both merge request abilities; a "private" feature needs
//     Reporter for merge requests (ProjectFeature::
//     PRIVATE_FEATURES_MIN_ACCESS_LEVEL) and a member for the repository;
//   - an administrator gets every ability the prevent rules leave.
func (p GitLabProject) abilities(tok GitLabToken, signedIn bool) map[string]any {
	l, admin := p.level(), tok.Admin && signedIn
	read := p.visible(tok, signedIn)
	repo := p.Repository != "disabled" && (p.Repository != "private" || l >= 10 || admin)
	download := read && repo && (p.Visibility == "public" || p.Visibility == "internal" || l >= 20 || admin)
	push := read && repo && !p.Archived && (l >= 30 || admin)
	mrs := p.MergeRequests != "disabled" && p.Repository != "disabled" && (p.MergeRequests != "private" || l >= 20 || admin)
	return map[string]any{
		"readProject":            read,
		"downloadCode":           download,
		"pushCode":               push,
		"adminProject":           read && (l >= 40 || admin),
		"createMergeRequestFrom": push && mrs,
		"createMergeRequestIn":   download && mrs && !p.Archived && (l >= 10 || admin || p.Visibility != "private"),
		"readMergeRequest":       read && mrs,
	}
}

func (p GitLabProject) graphQL(g *GitLab, path string, tok GitLabToken, signedIn bool) map[string]any {
	return map[string]any{"id": "gid://gitlab/Project/4", "fullPath": path, "name": path[strings.LastIndex(path, "/")+1:],
		"archived": p.Archived, "webUrl": g.Web() + "/" + path, "visibility": orString(p.Visibility, "private"),
		"userPermissions": p.abilities(tok, signedIn)}
}

func (gr GitLabGroup) visible(tok GitLabToken, signedIn bool) bool {
	switch gr.Visibility {
	case "public":
		return true
	case "internal":
		return signedIn
	}
	return signedIn && (gr.Member > 0 || gr.Shared > 0 || tok.Admin)
}

// atLeast reports whether the fake's version is major.minor or later.
func (g *GitLab) atLeast(major, minor int) bool {
	ma, mi := gitlabVersion(g.opts.Version)
	return ma > major || ma == major && mi >= minor
}

// repoRoute answers the REST requests about one project or group, once
// the token is known to be live: GET /projects/:id, its
// protected_branches and repository/branches, and GET /groups/:id/
// members/all/:user_id. :id is the URL-encoded full path
// (doc/api/rest/_index.md, "Namespaced paths").
func (g *GitLab) repoRoute(w http.ResponseWriter, r *http.Request, rest string, tok GitLabToken) {
	defer g.inFlight.enter(false)()
	g.slow(r)
	if !slices.ContainsFunc(tok.Scopes, func(s string) bool { return s == "api" || s == "read_api" }) {
		// Every API class allows api, and read_api for GET
		// (lib/api/api.rb); the answer names both.
		g.json(w, http.StatusForbidden, "gitlab/insufficient-scope-api.json")
		return
	}
	kind, id, sub, ok := splitRepoRoute(rest)
	if !ok {
		g.unexpected(w, r)
		return
	}
	if kind == "groups" {
		g.groupMembers(w, r, id, sub, tok)
		return
	}
	p, exists := g.project(id)
	if !exists || !p.visible(tok, true) {
		// find_project! answers not_found!('Project') alike for a project
		// that does not exist and one the user may not read
		// (lib/api/helpers.rb).
		g.json(w, http.StatusNotFound, "gitlab/project-not-found.json")
		return
	}
	if g.failed(w, p.Fail) {
		return
	}
	switch sub {
	case "":
		g.projectBody(w, id, p)
	case "/protected_branches":
		// Listing the rules took Maintainer (before { authorize_admin_project })
		// until merge request 115495 (March 2023) made it read_code
		// (lib/api/protected_branches.rb: authorize_read_code!). The fake
		// puts the change at 15.11, an estimate from that date: the check
		// reads the answer and does not rely on it.
		canRead := p.abilities(tok, true)["downloadCode"].(bool)
		if !g.atLeast(15, 11) {
			canRead = p.level() >= 40 || tok.Admin
		}
		if !canRead {
			g.json(w, http.StatusForbidden, "gitlab/forbidden.json")
			return
		}
		g.protectedBody(w, p)
	case "/repository/branches":
		if !p.abilities(tok, true)["downloadCode"].(bool) {
			g.json(w, http.StatusForbidden, "gitlab/forbidden.json")
			return
		}
		g.branchesBody(w, r, id, p)
	default:
		g.unexpected(w, r)
	}
}

// splitRepoRoute reads "/projects/acme%2Fapi/protected_branches" as
// projects, "acme/api", "/protected_branches".
func splitRepoRoute(escaped string) (kind, id, sub string, ok bool) {
	kind, rest, ok := strings.Cut(strings.TrimPrefix(escaped, "/"), "/")
	if !ok || (kind != "projects" && kind != "groups") {
		return "", "", "", false
	}
	enc, sub, _ := strings.Cut(rest, "/")
	if sub != "" {
		sub = "/" + sub
	}
	id, err := url.PathUnescape(enc)
	return kind, id, sub, err == nil && id != ""
}

func (g *GitLab) failed(w http.ResponseWriter, status int) bool {
	switch status {
	case 0:
		return false
	case http.StatusTooManyRequests:
		g.rateLimited(w)
	case http.StatusBadGateway:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = w.Write(Recorded("common/bad-gateway.html"))
	default:
		g.json(w, status, "gitlab/server-error.json")
	}
	return true
}

// projectBody answers GET /projects/:id (doc/api/projects.md, "Get a
// single project"; Entities::ProjectWithAccess adds permissions:
// project_access is the user's own membership of the project,
// group_access the highest in its group and the groups above,
// Group#highest_group_member; access through sharing is in neither).
func (g *GitLab) projectBody(w http.ResponseWriter, path string, p GitLabProject) {
	access := func(level int) any {
		if level == 0 {
			return nil
		}
		return map[string]int{"access_level": level, "notification_level": 3}
	}
	var def any = orString(p.DefaultBranch, "main")
	if p.Empty {
		def = nil
	}
	shared := []any{}
	if p.Shared > 0 {
		shared = append(shared, map[string]any{"group_id": 9, "group_name": "Platform", "group_full_path": "platform",
			"group_access_level": p.Shared, "expires_at": nil})
	}
	g.edited(w, "gitlab/project.json", map[string]any{
		"path_with_namespace": path, "path": path[strings.LastIndex(path, "/")+1:], "web_url": g.Web() + "/" + path,
		"default_branch": def, "empty_repo": p.Empty, "archived": p.Archived, "visibility": orString(p.Visibility, "private"),
		"merge_requests_access_level": orString(p.MergeRequests, "enabled"), "merge_requests_enabled": p.MergeRequests != "disabled",
		"repository_access_level": orString(p.Repository, "enabled"),
		"shared_with_groups":      shared,
		"permissions":             map[string]any{"project_access": access(p.Direct), "group_access": access(p.Group)},
	})
}

// wildcard is ProtectedBranch's pattern matching: "*" stands for any
// characters (Gitlab::RefMatcher).
func wildcard(pattern, name string) bool {
	re := "^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\*`, ".*") + "$"
	return regexp.MustCompile(re).MatchString(name)
}

// protectedBody answers GET /projects/:id/protected_branches
// (doc/api/protected_branches.md, "List protected branches"; user_id is
// GitLab Premium's per-user access).
func (g *GitLab) protectedBody(w http.ResponseWriter, p GitLabProject) {
	names := map[int]string{0: "No one", 30: "Developers + Maintainers", 40: "Maintainers", 60: "Admins"}
	levels := func(rule int, ls []int, user int) []map[string]any {
		out := []map[string]any{}
		for i, l := range ls {
			out = append(out, map[string]any{"id": rule*10 + i, "access_level": l, "access_level_description": names[l]})
		}
		if user != 0 {
			out = append(out, map[string]any{"id": rule*10 + 9, "access_level": 40, "access_level_description": "John Smith", "user_id": user})
		}
		return out
	}
	var list []map[string]any
	for i, rule := range p.Protected {
		var one map[string]any
		mustJSON(Recorded("gitlab/protected-branch.json"), &one)
		one["id"], one["name"] = 100+i, rule.Name
		one["push_access_levels"] = levels(100+i, rule.Push, rule.PushUser)
		one["merge_access_levels"] = levels(200+i, rule.Merge, 0)
		list = append(list, one)
	}
	if list == nil {
		list = []map[string]any{}
	}
	g.writeJSON(w, list)
}

// branchesBody answers GET /projects/:id/repository/branches
// (doc/api/branches.md; Entities::Branch: protected is
// ProtectedBranch.protected?, true when any rule matches the name),
// sorted by name, per_page of them.
func (g *GitLab) branchesBody(w http.ResponseWriter, r *http.Request, path string, p GitLabProject) {
	var names []string
	if !p.Empty {
		names = append([]string{orString(p.DefaultBranch, "main")}, p.Branches...)
	}
	slices.Sort(names)
	if n, err := strconv.Atoi(r.URL.Query().Get("per_page")); err == nil && n > 0 && n < len(names) {
		names = names[:n]
	}
	list := []map[string]any{}
	for _, name := range names {
		var b map[string]any
		mustJSON(Recorded("gitlab/branch.json"), &b)
		protected := slices.ContainsFunc(p.Protected, func(rule GitLabRule) bool { return wildcard(rule.Name, name) })
		b["name"], b["protected"], b["default"] = name, protected, name == orString(p.DefaultBranch, "main")
		b["web_url"] = g.Web() + "/" + path + "/-/tree/" + name
		list = append(list, b)
	}
	g.writeJSON(w, list)
}

// groupMembers answers GET /groups/:id/members/all/:user_id
// (doc/api/members.md, "Get a member of a group or project, including
// inherited and invited members"): find_group! answers 404 Group Not
// Found for a group that does not exist or the user may not see; a user
// with no membership gets {"message":"404 Not found"} (find_by! raises
// RecordNotFound, which lib/api/api.rb answers so). Memberships through a
// group this group is shared with count from 17.0 (feature flag
// webui_members_inherited_users on by default; removed in 17.4).
func (g *GitLab) groupMembers(w http.ResponseWriter, r *http.Request, path, sub string, tok GitLabToken) {
	gr, exists := g.group(path)
	if !exists || !gr.visible(tok, true) {
		g.json(w, http.StatusNotFound, "gitlab/group-not-found.json")
		return
	}
	if g.failed(w, gr.Fail) {
		return
	}
	if sub != "/members/all/3" {
		g.unexpected(w, r)
		return
	}
	level := gr.Member
	if g.atLeast(17, 0) {
		level = max(level, gr.Shared)
	}
	if level == 0 {
		g.json(w, http.StatusNotFound, "gitlab/member-not-found.json")
		return
	}
	g.edited(w, "gitlab/member.json", map[string]any{"access_level": level})
}

// slow holds a request for opts.Slow, or until the client gives up.
func (g *GitLab) slow(r *http.Request) {
	if g.opts.Slow > 0 {
		select {
		case <-time.After(g.opts.Slow):
		case <-r.Context().Done():
		}
	}
}

func (g *GitLab) rateLimited(w http.ResponseWriter) {
	h := w.Header()
	h.Set("RateLimit-Name", "throttle_authenticated_api")
	h.Set("RateLimit-Limit", "2000")
	h.Set("RateLimit-Observed", "2001")
	h.Set("RateLimit-Remaining", "0")
	h.Set("RateLimit-Reset", "1764086400")
	h.Set("Retry-After", "42")
	h.Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write(Recorded("gitlab/rate-limited.txt"))
}

func mustJSON(b []byte, v any) {
	if err := json.Unmarshal(b, v); err != nil {
		panic(err)
	}
}
