package hoststest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// GitHubRepo is a repository the fake GitHub knows, as the user of every
// token (octocat) sees it.
type GitHubRepo struct {
	ID       int64 // 1296269 when zero
	Private  bool
	Archived bool
	Disabled bool
	// Role is octocat's role on it: read, triage, write, maintain or admin;
	// "" for none.
	Role string
	// OrgID is the owning organization's ID, a key of GitHub.Orgs; "" for
	// a repository of a personal account.
	OrgID string
	// PullRequestsOff turns the repository's pull requests off.
	PullRequestsOff bool
}

// GitHubGrant is what a fine-grained token was given on one repository:
// "read", "write" or "" for each permission.
type GitHubGrant struct {
	Contents, PullRequests string
}

// roleRank orders GitHub's repository roles; "Write" and above may push
// ("Repository roles for an organization", github/docs content/
// organizations/managing-user-access-to-your-organizations-repositories/
// managing-repository-roles/repository-roles-for-an-organization.md).
var roleRank = map[string]int{"read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}

// repo finds a repository by "owner/name"; GitHub compares both without
// case ("The name is not case sensitive", REST parameters owner and repo).
func (g *GitHub) repo(full string) (string, GitHubRepo, bool) {
	for name, rp := range g.Repos {
		if strings.EqualFold(name, full) {
			return name, rp, true
		}
	}
	return "", GitHubRepo{}, false
}

// ownerLogin is the login of the account a repository belongs to.
func ownerLogin(full string) string { o, _, _ := strings.Cut(full, "/"); return o }

// ssoBlocks says whether SAML single sign-on keeps tok from the
// organization with this ID: only classic tokens on github.com, which the
// organization has not authorized ("Fine-grained personal access tokens
// are authorized during token creation", github/docs content/rest/
// authentication/authenticating-to-the-rest-api.md).
func (g *GitHub) ssoBlocks(tok GitHubToken, orgID string) bool {
	return !g.enterprise && !tok.FineGrained && orgID != "" && slices.Contains(strings.Split(tok.SSOPartial, ","), orgID)
}

// visible says how GitHub answers tok about rp: 0 when it may read it,
// else 404 or 403 (the fake writes the 403 itself). GitHub "uses a 404
// … instead of a 403 … to avoid confirming the existence of private
// repositories"; for a fine-grained token that includes a private
// repository "the token was not given access to" (github/docs content/
// rest/using-the-rest-api/troubleshooting-the-rest-api.md). A classic
// token sees private repositories only with the repo scope ("Grants full
// access to public and private repositories", "Scopes for OAuth apps").
// Public repositories are readable by every token ("Tokens always include
// read-only access to all public repositories", github/docs content/
// authentication/keeping-your-account-and-data-secure/
// managing-your-personal-access-tokens.md), also by a classic token an
// organization restricts ("will still be able to read public resources
// within the organization", github/docs content/organizations/
// managing-programmatic-access-to-your-organization/
// setting-a-personal-access-token-policy-for-your-organization.md).
func (g *GitHub) visible(w http.ResponseWriter, tok GitHubToken, full string, rp GitHubRepo) bool {
	org := g.Orgs[rp.OrgID]
	switch {
	case g.ssoBlocks(tok, rp.OrgID):
		// Public repositories of such an organization are refused too
		// (ossf/scorecard#1504).
		g.ssoRequired(w, org)
	case rp.Private && rp.Role == "":
		g.json(w, http.StatusNotFound, "github/repository-not-found.json")
	case rp.Private && !tok.FineGrained && !hasAnyScope(tok.Scopes, "repo"):
		g.json(w, http.StatusNotFound, "github/repository-not-found.json")
	case rp.Private && tok.FineGrained && !g.granted(tok, full):
		g.json(w, http.StatusNotFound, "github/repository-not-found.json")
	case rp.Private && !tok.FineGrained && g.ForbidsClassic[org]:
		// "`ORG` forbids access via a personal access token (classic)…"
		// (the recorded body; git-town#4609).
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(strings.ReplaceAll(string(Recorded("github/classic-forbidden.json")), "acme-corp", org)))
	default:
		return true
	}
	return false
}

func (g *GitHub) granted(tok GitHubToken, full string) bool {
	for name := range tok.Grants {
		if strings.EqualFold(name, full) {
			return true
		}
	}
	return false
}

func (g *GitHub) grant(tok GitHubToken, full string) GitHubGrant {
	for name, gr := range tok.Grants {
		if strings.EqualFold(name, full) {
			return gr
		}
	}
	return GitHubGrant{}
}

// mayWrite says whether tok may write rp's contents: the user's role must
// allow it, and so must the token (a classic token's repo scope, or
// public_repo on a public repository; a fine-grained token's Contents:
// Read and write on it).
func (g *GitHub) mayWrite(tok GitHubToken, full string, rp GitHubRepo) bool {
	if roleRank[rp.Role] < roleRank["write"] || rp.Archived || rp.Disabled {
		return false
	}
	if tok.FineGrained {
		return g.grant(tok, full).Contents == "write"
	}
	return hasAnyScope(tok.Scopes, "repo") || (!rp.Private && hasAnyScope(tok.Scopes, "public_repo"))
}

// ssoRequired is the 403 of a single organization that enforces SAML SSO
// and has not authorized the token: "the X-GitHub-SSO header will include
// a URL that you can follow to authorize your token. The URL expires after
// one hour" (github/docs content/rest/authentication/
// authenticating-to-the-rest-api.md); the header's form "X-GitHub-SSO:
// required; url=https://github.com/orgs/octodocs-test/sso?
// authorization_request=…" (same docs, older revision); the body as a
// real 403 carried it (gr2m/octokit-plugin-create-pull-request#67).
func (g *GitHub) ssoRequired(w http.ResponseWriter, org string) {
	w.Header().Set("X-GitHub-SSO", "required; url="+g.ssoURL(org))
	g.json(w, http.StatusForbidden, "github/sso-required.json")
}

func (g *GitHub) ssoURL(org string) string {
	return orString(g.PublicURL, g.URL) + "/orgs/" + org + "/sso?authorization_request=AZSCKtL4U8yX1H3sCQIVnVgmjmon5fWxks5YrqhJgah0b2tlbl9pZM4EuMz4"
}

// repository answers GET /repos/{owner}/{repo}, .../pulls, and GET
// /repositories/{id} (where a renamed repository's 301 points).
func (g *GitHub) repository(w http.ResponseWriter, r *http.Request, path, prefix string, tok GitHubToken) {
	if id, ok := strings.CutPrefix(path, "/repositories/"); ok {
		for name, rp := range g.Repos {
			if strconv.FormatInt(repoID(rp), 10) == id {
				path = "/repos/" + name
			}
		}
	}
	parts := strings.Split(strings.TrimPrefix(path, "/repos/"), "/")
	if len(parts) < 2 || len(parts) > 3 || (len(parts) == 3 && parts[2] != "pulls") {
		g.unexpected(w, r)
		return
	}
	full := parts[0] + "/" + parts[1]
	if id, moved := g.Moved[full]; moved && len(parts) == 2 {
		// A renamed or transferred repository: "301 Moved permanently"
		// with the repository's new address, "https://api.github.com/
		// repositories/1296269" (github/rest-api-description,
		// components/responses/moved_permanently, operation repos/get).
		w.Header().Set("Location", g.URL+prefix+"/repositories/"+strconv.FormatInt(id, 10))
		g.json(w, http.StatusMovedPermanently, "github/moved-permanently.json")
		return
	}
	name, rp, known := g.repo(full)
	if status := g.RepoStatus[full]; status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	if !known {
		g.json(w, http.StatusNotFound, "github/repository-not-found.json")
		return
	}
	if !g.visible(w, tok, name, rp) {
		return
	}
	if len(parts) == 3 {
		g.pulls(w, tok, name, rp)
		return
	}
	g.writeRepository(w, tok, name, rp)
}

func repoID(rp GitHubRepo) int64 {
	if rp.ID == 0 {
		return 1296269
	}
	return rp.ID
}

// writeRepository answers 200 with the docs' example of "Get a
// repository" (testdata/github/repository.json) made into rp. Its
// permissions are the user's role, whatever the token ("permissions are
// the permissions of the user associated with the token, not the token
// itself", semantic-release/github#895), as GitHub's roles grant them.
// "To view merge-related settings, you must have the contents:read and
// contents:write permissions" (github/rest-api-description, operation
// repos/get; the same note on GitHub Enterprise Server 3.14, github/docs
// src/rest/data/ghes-3.14-2022-11-28/repos.json): without them the
// allow_*, merge_* and delete_branch_on_merge keys are left out
// (terraform-provider-github#679 and PR #1727).
func (g *GitHub) writeRepository(w http.ResponseWriter, tok GitHubToken, full string, rp GitHubRepo) {
	var body map[string]any
	if err := json.Unmarshal(Recorded("github/repository.json"), &body); err != nil {
		panic(err)
	}
	owner, name, _ := strings.Cut(full, "/")
	body["id"], body["name"], body["full_name"] = repoID(rp), name, full
	o := body["owner"].(map[string]any)
	o["login"] = owner
	if rp.OrgID != "" {
		o["type"] = "Organization"
		o["id"], _ = strconv.ParseInt(rp.OrgID, 10, 64)
	}
	body["private"], body["archived"], body["disabled"] = rp.Private, rp.Archived, rp.Disabled
	body["visibility"] = map[bool]string{true: "private", false: "public"}[rp.Private]
	body["has_pull_requests"] = !rp.PullRequestsOff
	rank := roleRank[rp.Role]
	if !rp.Private && rank == 0 {
		rank = 1 // anyone may read a public repository
	}
	body["permissions"] = map[string]bool{"pull": rank >= 1, "triage": rank >= 2, "push": rank >= 3, "maintain": rank >= 4, "admin": rank >= 5}
	if !g.mayWrite(tok, full, rp) {
		for k := range body {
			if strings.HasPrefix(k, "allow_") || strings.HasPrefix(k, "merge_commit_") || strings.HasPrefix(k, "squash_merge_") ||
				k == "delete_branch_on_merge" || k == "use_squash_pr_title_as_default" {
				delete(body, k)
			}
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(body)
}

// pulls answers GET /repos/{owner}/{repo}/pulls. A fine-grained token
// needs "Pull requests" repository permissions (read) for it, with no
// alternative (github/docs src/github-apps/data/fpt-2026-03-10/
// fine-grained-pat-permissions.json, list-pull-requests), on private
// repositories ("These permissions are required to access private
// resources", "Permissions required for fine-grained personal access
// tokens"). Without it GitHub answers 403 "Resource not accessible by
// personal access token" and says in X-Accepted-GitHub-Permissions what
// the endpoint needs (github/docs content/rest/using-the-rest-api/
// troubleshooting-the-rest-api.md).
func (g *GitHub) pulls(w http.ResponseWriter, tok GitHubToken, full string, rp GitHubRepo) {
	if tok.FineGrained && rp.Private && g.grant(tok, full).PullRequests == "" {
		w.Header().Set("X-Accepted-GitHub-Permissions", "pull_requests=read")
		g.json(w, http.StatusForbidden, "github/resource-not-accessible.json")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write([]byte("[]\n"))
}

// user answers GET /users/{username}, which GitHub answers for an
// organization's login too, with "type": "Organization" (PyGithub#262,
// toddcooke/namechecker#9).
func (g *GitHub) user(w http.ResponseWriter, login string) {
	if strings.EqualFold(login, "octocat") {
		g.json(w, http.StatusOK, "github/user.json")
		return
	}
	for id, org := range g.Orgs {
		if strings.EqualFold(org, login) {
			var body map[string]any
			if err := json.Unmarshal(Recorded("github/user-organization.json"), &body); err != nil {
				panic(err)
			}
			body["login"], body["id"] = org, json.Number(id)
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			_ = json.NewEncoder(w).Encode(body)
			return
		}
	}
	g.json(w, http.StatusNotFound, "github/not-found.json")
}

// orgRepos answers GET /orgs/{org}/repos: a request for one organization's
// resources, so SAML SSO and the classic-token policy refuse it as they
// refuse the organization's repositories (github/docs, pages cited at
// visible and ssoRequired). It lists what tok reaches, per_page at most.
func (g *GitHub) orgRepos(w http.ResponseWriter, r *http.Request, org string, tok GitHubToken) {
	orgID := ""
	for id, login := range g.Orgs {
		if strings.EqualFold(login, org) {
			orgID, org = id, login
		}
	}
	switch {
	case orgID == "":
		g.json(w, http.StatusNotFound, "github/not-found.json")
		return
	case g.ssoBlocks(tok, orgID):
		g.ssoRequired(w, org)
		return
	case !tok.FineGrained && g.ForbidsClassic[org] && r.URL.Query().Get("type") == "private":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(strings.ReplaceAll(string(Recorded("github/classic-forbidden.json")), "acme-corp", org)))
		return
	}
	perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	var names []string
	for name, rp := range g.Repos {
		if rp.OrgID != orgID || (r.URL.Query().Get("type") == "private" && !rp.Private) {
			continue
		}
		if rp.Private && (rp.Role == "" || (tok.FineGrained && !g.granted(tok, name)) || (!tok.FineGrained && !hasAnyScope(tok.Scopes, "repo"))) {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	if perPage > 0 && len(names) > perPage {
		names = names[:perPage]
	}
	list := []map[string]any{}
	for _, name := range names {
		rp := g.Repos[name]
		list = append(list, map[string]any{"id": repoID(rp), "name": strings.SplitN(name, "/", 2)[1], "full_name": name, "private": rp.Private,
			"owner": map[string]any{"login": org, "type": "Organization"}})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(list)
}

// gitReceivePack answers GET /{owner}/{repo}.git/info/refs?service=
// git-receive-pack on the web host, the first request of a push, which
// writes nothing. A smart server answers "200 OK", "Content-Type:
// application/x-git-receive-pack-advertisement", then the pkt-lines "#
// service=git-receive-pack", a flush and the refs (git/git
// Documentation/gitprotocol-http.txt, "Smart Server Response"; GitHub's
// own answer in a GIT_CURL_VERBOSE trace, rust-lang/cargo#14688, for the
// upload-pack twin). GitHub refuses a push at this step with 403 and one
// line of text that git prints after "remote:": "Permission to
// OWNER/REPO.git denied to USER." (ad-m/github-push-action#165,
// saadmk11/github-actions-version-updater#63 for a fine-grained token
// without Contents: write), "Personal access tokens (classic) are
// forbidden from accessing this repository." (os-climate/
// os_c_data_commons#366), the SAML SSO notice with its authorize link
// (NOAA-FIMS/FIMS#598), "This repository was archived so it is
// read-only." (nextcloud/docker-ci#859, over SSH). An unknown repository
// is "Repository not found." with 404, an unknown token 401 (both as git
// users see them); all these are third-party records, not GitHub's docs.
func (g *GitHub) gitReceivePack(w http.ResponseWriter, r *http.Request) {
	full := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".git/info/refs")
	if r.Method != http.MethodGet || r.URL.Query().Get("service") != "git-receive-pack" || strings.Count(full, "/") != 1 {
		g.unexpected(w, r)
		return
	}
	text := func(status int, msg string) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(msg + "\n"))
	}
	user, pass, ok := r.BasicAuth()
	tok, known := g.Tokens[pass]
	if !ok || !known || user == "" {
		w.Header().Set("WWW-Authenticate", `Basic realm="GitHub"`)
		text(http.StatusUnauthorized, "Invalid username or token. Password authentication is not supported for Git operations.")
		return
	}
	if status := max(g.RepoStatus[full], g.GitStatus); status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	name, rp, found := g.repo(full)
	org := g.Orgs[rp.OrgID]
	switch {
	case !found || (rp.Private && (rp.Role == "" || (tok.FineGrained && !g.granted(tok, name)) || (!tok.FineGrained && !hasAnyScope(tok.Scopes, "repo")))):
		text(http.StatusNotFound, "Repository not found.")
	case g.ssoBlocks(tok, rp.OrgID):
		text(http.StatusForbidden, "The '"+org+"' organization has enabled or enforced SAML SSO.\nTo access this repository, visit "+g.ssoURL(org)+" and try your request again.")
	case !tok.FineGrained && g.ForbidsClassic[org]:
		text(http.StatusForbidden, "Personal access tokens (classic) are forbidden from accessing this repository.")
	case rp.Archived:
		text(http.StatusForbidden, "This repository was archived so it is read-only.")
	case !g.mayWrite(tok, name, rp):
		text(http.StatusForbidden, fmt.Sprintf("Permission to %s.git denied to %s.", name, user))
	default:
		w.Header().Set("Content-Type", "application/x-git-receive-pack-advertisement")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write([]byte(pktLine("# service=git-receive-pack\n") + "0000" +
			pktLine("7fd1a60b01f91b314f59955a4e4d4e80d8edf11d refs/heads/master\x00report-status delete-refs side-band-64k quiet atomic ofs-delta agent=github/spokes-receive-pack\n") + "0000"))
	}
}

// pktLine frames s as git's pkt-line: four hex digits of length, the
// prefix included (git/git Documentation/gitprotocol-common.txt).
func pktLine(s string) string { return fmt.Sprintf("%04x%s", len(s)+4, s) }

// track counts requests about repositories in flight while they are
// answered, holding each for Hold, so a test can see how many a check
// sends at once.
func (g *GitHub) track() func() {
	g.mu.Lock()
	g.inFlight++
	g.maxInFlight = max(g.maxInFlight, g.inFlight)
	hold := g.Hold
	g.mu.Unlock()
	if hold > 0 {
		time.Sleep(hold)
	}
	return func() {
		g.mu.Lock()
		g.inFlight--
		g.mu.Unlock()
	}
}

// MaxInFlight is the most requests about repositories the fake answered
// at once.
func (g *GitHub) MaxInFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.maxInFlight
}
