package hosts

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/gitpat/gitpat/internal/httpx"
)

// The GitLab repository round: what the token may do in each project or
// group the user named. It only reads: REST GETs and one GraphQL query
// (a query, never a mutation) per ten names, all sent to the server the
// user named, all at once after the base round (see repos below).
//
// Why these requests (gitlabhq/gitlabhq):
//   - GET /projects/:id says whether the project exists for this user
//     (404 "404 Project Not Found" for a project that does not exist and
//     for one the user may not see alike: find_project! and not_found!,
//     lib/api/helpers.rb), and the settings that explain a refusal:
//     archived, merge_requests_access_level, repository_access_level,
//     empty_repo, default_branch, and permissions, the user's own
//     membership of the project and of its group and the groups above
//     (lib/api/entities/project_with_access.rb; Group#highest_group_member).
//     permissions leaves out access through sharing the project or its
//     group with another group, and administrator rights.
//   - GraphQL's Project.userPermissions is ProjectPolicy's own answer
//     (app/graphql/types/permission_types/project.rb exposes the
//     abilities push_code, download_code, admin_project,
//     create_merge_request_in and create_merge_request_from). The policy
//     takes the user's role from project_authorizations, which hold every
//     source of access, sharing included (ProjectPolicy#lookup_access_level!
//     → ProjectTeam#max_member_access), and applies archived, disabled
//     features, administrators and SAML SSO enforcement. It is the answer
//     GitLab itself gives when the integration creates a branch (POST
//     /projects/:id/repository/branches authorizes push_code) or a merge
//     request (POST /projects/:id/merge_requests authorizes
//     create_merge_request_from, and MergeRequests::BuildService
//     create_merge_request_in on the target).
//   - GET /projects/:id/protected_branches lists the rules that decide
//     whether a new branch may be created (see gitlab_protected.go).
//   - GET /groups/:id/members/all/:user_id is the user's role in a group
//     named as an entry, the groups above it included (doc/api/members.md).
//
// Abilities are the user's. The token's own limit is its scopes: every
// GET takes api or read_api, writing takes api (lib/api/api.rb:
// allow_access_with_scope :api, and :read_api for GET and HEAD), so a
// token without api is proven unable to create branches or merge requests
// whatever the user may do.

// gitlabGraphQLChunk is how many names one GraphQL query asks about. Each
// costs about 12 points of GitLab's complexity limit of 250 for a
// signed-in user (app/graphql/gitlab_schema.rb): ten stay well below it.
const gitlabGraphQLChunk = 10

// gitlabAccount is what the base round learned that the repository round
// needs.
type gitlabAccount struct {
	userID   int64
	username string
	admin    bool
	version  string   // "" when unknown
	scopes   []string // nil when GitLab could not say (before 15.5)
	page     string   // the token page
}

// scope says whether the token has scope s: nil when its scopes are
// unknown.
func (a gitlabAccount) scope(s string) *bool {
	if a.scopes == nil {
		return nil
	}
	return proven(slices.Contains(a.scopes, s))
}

// gitlabRepoAnswers holds every answer about one name.
type gitlabRepoAnswers struct {
	project   *answer // GET /projects/:id; nil for a one-segment name, which can only be a group
	protected *answer // GET /projects/:id/protected_branches
	branches  *answer // GET /projects/:id/repository/branches, only where Developers may not read the rules
	members   *answer // GET /groups/:id/members/all/:user_id, for a group
	graph     gitlabGraphEntry
}

// gitlabGraphEntry is what the GraphQL query said about one name.
type gitlabGraphEntry struct {
	// failed is the answer of a query that GitLab could not serve: a
	// server error, a rate limit, the network. The name is then unchecked.
	failed *answer
	// trusted says the query was answered as the token's user; problem
	// says why not.
	trusted bool
	problem string
	project *gitlabGraphProject
	group   *gitlabGraphGroup
}

// gitlabGraphProject is Project, as the query selects it.
type gitlabGraphProject struct {
	FullPath    string `json:"fullPath"`
	Archived    bool   `json:"archived"`
	Permissions struct {
		DownloadCode           bool `json:"downloadCode"`
		PushCode               bool `json:"pushCode"`
		AdminProject           bool `json:"adminProject"`
		CreateMergeRequestIn   bool `json:"createMergeRequestIn"`
		CreateMergeRequestFrom bool `json:"createMergeRequestFrom"`
	} `json:"userPermissions"`
}

// gitlabGraphGroup is Group, as the query selects it.
type gitlabGraphGroup struct {
	FullPath string `json:"fullPath"`
}

// gitlabProtectedBefore16 reports whether a version may show protected
// branch rules only to Maintainers: merge request 115495 (March 2023)
// opened them to anyone who may read the code, about 15.11. Before 16.0,
// or with no version known, the round also lists a few branches, whose
// protected flags can prove there is no rule covering every name.
func gitlabProtectedBefore16(version string) bool {
	major, _, ok := parseGitLabVersion(version)
	return !ok || major < 16
}

// repos proves the token on each name: its GraphQL queries, and for each
// name its REST requests, at most repoParallelism names at a time, all in
// one round trip for up to that many names. A subgroup (a path with a
// slash that is no project) needs one request more, after GitLab has said
// it is a group.
func (c gitlabCheck) repos(ctx context.Context, env Env, acct gitlabAccount, names []string) []RepoReport {
	web := c.srv.web
	if acct.scopes != nil && !slices.Contains(acct.scopes, "api") && !slices.Contains(acct.scopes, "read_api") {
		// Such a token gets 403 from every request below: say so once
		// per name without sending them.
		return checkRepos(ctx, names, func(_ context.Context, name string) RepoReport {
			return gitlabNoAPI(name, acct)
		})
	}
	header := http.Header{"Private-Token": {c.token}, "Accept": {"application/json"}}
	get := func(ctx context.Context, path string) *answer {
		resp, err := env.HTTP.Get(ctx, c.srv.api+path, header)
		return &answer{resp, err}
	}
	graph := c.askGraphQL(ctx, env, acct, names)
	index := map[string]int{}
	for i, n := range names {
		index[n] = i
	}
	return checkRepos(ctx, names, func(ctx context.Context, name string) RepoReport {
		var a gitlabRepoAnswers
		id := url.PathEscape(name)
		var calls []func()
		if strings.Contains(name, "/") {
			calls = append(calls,
				func() { a.project = get(ctx, "/projects/"+id) },
				func() { a.protected = get(ctx, "/projects/"+id+"/protected_branches?per_page=100") })
			if gitlabProtectedBefore16(acct.version) {
				calls = append(calls, func() { a.branches = get(ctx, "/projects/"+id+"/repository/branches?per_page=20") })
			}
		} else {
			calls = append(calls, func() { a.members = get(ctx, fmt.Sprintf("/groups/%s/members/all/%d", id, acct.userID)) })
		}
		var wg sync.WaitGroup
		for _, call := range calls {
			wg.Add(1)
			go func() { defer wg.Done(); call() }()
		}
		wg.Wait()
		a.graph = graph(index[name])
		if a.project != nil && a.project.err == nil && a.project.resp.Status == http.StatusNotFound &&
			a.graph.trusted && a.graph.project == nil && a.graph.group != nil {
			// Not a project but a subgroup: the user's role in it.
			a.members = get(ctx, fmt.Sprintf("/groups/%s/members/all/%d", id, acct.userID))
		}
		return gitlabRepoReport(gitlabRepoInput{web: web, name: name, acct: acct, hostName: c.name, token: c.token, answers: a})
	})
}

// askGraphQL sends one query per gitlabGraphQLChunk names at once and
// returns a function that waits for the entry of the i-th name.
func (c gitlabCheck) askGraphQL(ctx context.Context, env Env, acct gitlabAccount, names []string) func(i int) gitlabGraphEntry {
	type chunk struct {
		done    chan struct{}
		entries []gitlabGraphEntry
	}
	var chunks []*chunk
	for start := 0; start < len(names); start += gitlabGraphQLChunk {
		part := names[start:min(start+gitlabGraphQLChunk, len(names))]
		ch := &chunk{done: make(chan struct{})}
		chunks = append(chunks, ch)
		go func() {
			defer close(ch.done)
			ch.entries = c.graphQL(ctx, env, acct, part)
		}()
	}
	return func(i int) gitlabGraphEntry {
		ch := chunks[i/gitlabGraphQLChunk]
		<-ch.done
		return ch.entries[i%gitlabGraphQLChunk]
	}
}

// gitlabGraphQuery builds the query for some names: the user it answers
// as, and for each name the project and the group of that path (a path
// with a slash can be either; a one-segment one only a group). Paths
// travel as variables ($f0: ID!; FullPathResolver's argument is an ID),
// never inside the query's text.
func gitlabGraphQuery(names []string) (string, map[string]string) {
	var defs, body strings.Builder
	vars := map[string]string{}
	for i, name := range names {
		v := fmt.Sprintf("f%d", i)
		vars[v] = name
		if i > 0 {
			defs.WriteString(", ")
		}
		fmt.Fprintf(&defs, "$%s: ID!", v)
		if strings.Contains(name, "/") {
			fmt.Fprintf(&body, "  p%d: project(fullPath: $%s) { fullPath archived userPermissions { downloadCode pushCode adminProject createMergeRequestIn createMergeRequestFrom } }\n", i, v)
		}
		fmt.Fprintf(&body, "  g%d: group(fullPath: $%s) { fullPath }\n", i, v)
	}
	return "query gitpatRepositories(" + defs.String() + ") {\n  currentUser { username }\n" + body.String() + "}\n", vars
}

// graphQL asks about some names and sorts the answer for each.
func (c gitlabCheck) graphQL(ctx context.Context, env Env, acct gitlabAccount, names []string) []gitlabGraphEntry {
	query, vars := gitlabGraphQuery(names)
	out := make([]gitlabGraphEntry, len(names))
	payload, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		panic(err) // strings only
	}
	// GraphQL lives at /api/graphql, beside /api/v4 (doc/api/graphql/_index.md).
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.srv.web+"/api/graphql", bytes.NewReader(payload))
	if err != nil {
		for i := range out {
			out[i].failed = &answer{err: &httpx.Error{Kind: httpx.KindNetwork, Host: c.srv.web, Err: err}}
		}
		return out
	}
	req.Header.Set("Private-Token", c.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := env.HTTP.Do(req)
	a := &answer{resp, err}
	for i := range out {
		out[i] = gitlabGraphEntryOf(a, acct, names[i], i)
	}
	return out
}

// gitlabGraphEntryOf reads what a GraphQL answer says about the i-th name.
func gitlabGraphEntryOf(a *answer, acct gitlabAccount, name string, i int) gitlabGraphEntry {
	if a.err != nil || a.resp.Status == http.StatusTooManyRequests || a.resp.Status >= 500 || isHTML(a.resp) {
		return gitlabGraphEntry{failed: a}
	}
	var body struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if !isJSON(a.resp.Header) || json.Unmarshal(a.resp.Body, &body) != nil {
		return gitlabGraphEntry{problem: fmt.Sprintf("its GraphQL API gave an unexpected answer (%d)", a.resp.Status)}
	}
	if a.resp.Status != http.StatusOK || body.Data == nil {
		msg := fmt.Sprintf("%d %s", a.resp.Status, http.StatusText(a.resp.Status))
		if len(body.Errors) > 0 && body.Errors[0].Message != "" {
			msg = body.Errors[0].Message
		}
		return gitlabGraphEntry{problem: "its GraphQL API answered \"" + serverText(msg, "") + "\""}
	}
	if len(body.Errors) > 0 {
		// Part of the answer failed: a null in it proves nothing.
		return gitlabGraphEntry{problem: "its GraphQL API answered \"" + serverText(body.Errors[0].Message, "") + "\""}
	}
	var me *struct {
		Username string `json:"username"`
	}
	_ = json.Unmarshal(body.Data["currentUser"], &me)
	switch {
	case me == nil:
		return gitlabGraphEntry{problem: "its GraphQL API answered as if no one had signed in"}
	case acct.username == "" || !strings.EqualFold(me.Username, acct.username):
		return gitlabGraphEntry{problem: "its GraphQL API answered for another user"}
	}
	e := gitlabGraphEntry{trusted: true}
	if raw, ok := body.Data[fmt.Sprintf("p%d", i)]; ok && string(raw) != "null" {
		var p gitlabGraphProject
		if json.Unmarshal(raw, &p) != nil {
			return gitlabGraphEntry{problem: "its GraphQL API gave an unreadable answer"}
		}
		e.project = &p
	}
	if raw, ok := body.Data[fmt.Sprintf("g%d", i)]; ok && string(raw) != "null" {
		var g gitlabGraphGroup
		if json.Unmarshal(raw, &g) != nil {
			return gitlabGraphEntry{problem: "its GraphQL API gave an unreadable answer"}
		}
		e.group = &g
	}
	if strings.Contains(name, "/") {
		if _, ok := body.Data[fmt.Sprintf("p%d", i)]; !ok {
			return gitlabGraphEntry{problem: "its GraphQL API left the project out of its answer"}
		}
	}
	return e
}
