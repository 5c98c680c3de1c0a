package hosts

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
)

var repoCtx = githubPlaceContext{srv: dotcom, name: "GitHub", login: "octocat", classic: true, scopes: []string{"repo"},
	mergeGate: true, withheld: map[string]bool{}, ssoLinks: map[string]string{}, now: time.Unix(0, 0)}

// publicOrgRepo is GET /repos for a public repository of an organization
// where the account may push.
var publicOrgRepo = githubTestAnswer(200, http.Header{},
	`{"full_name":"acme/site","private":false,"owner":{"login":"acme","id":7,"type":"Organization"},"permissions":{"pull":true,"push":true}}`)

func TestGitHubPushDiscoveryDecidesOnlyOnAdvertisementOr403(t *testing.T) {
	text := func(status int, body string) answer {
		return githubTestAnswer(status, http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, body)
	}
	for _, tc := range []struct {
		name             string
		a                answer
		decided, allowed bool
		trouble          bool
		text, link       string
	}{
		{"advertisement", githubTestAnswer(200, http.Header{"Content-Type": {"application/x-git-receive-pack-advertisement"}}, "001f# service=git-receive-pack\n0000"), true, true, false, "", ""},
		{"200 web page", githubTestAnswer(200, http.Header{"Content-Type": {"text/html"}}, "<html>"), false, false, false, "", ""},
		{"200 dumb server", text(200, "ref: refs/heads/main"), false, false, false, "", ""},
		{"denied", text(403, "Permission to acme/site.git denied to octocat.\n"), true, false, false, "Permission to acme/site.git denied to octocat.", ""},
		{"classic forbidden", text(403, "Personal access tokens (classic) are forbidden from accessing this repository.\n"), true, false, false,
			"does not let classic tokens write", "https://github.com/settings/personal-access-tokens/new"},
		{"SSO with its link", text(403, "The 'acme' organization has enabled or enforced SAML SSO.\nTo access this repository, visit https://github.com/orgs/acme/sso?authorization_request=ABC and try your request again.\n"),
			true, false, false, "SAML single sign-on", "https://github.com/orgs/acme/sso?authorization_request=ABC"},
		{"SSO link elsewhere", text(403, "SAML SSO. visit https://evil.example/orgs/acme/sso?authorization_request=ABC"), true, false, false, "SAML", "https://github.com/settings/tokens"},
		{"401", text(401, "Invalid username or token."), false, false, false, "", ""},
		{"404", text(404, "Repository not found."), false, false, false, "", ""},
		{"502", text(502, "Bad gateway"), false, false, true, "", ""},
		{"rate limited", githubTestAnswer(429, http.Header{"Retry-After": {"60"}}, ""), false, false, true, "", ""},
		{"too large", answer{err: &httpx.Error{Kind: httpx.KindBodyTooLarge, Host: "github.com", Status: 200}}, false, false, false, "", ""},
		{"redirect elsewhere", answer{err: &httpx.Error{Kind: httpx.KindRedirect, Host: "github.com", Location: "https://evil.example"}}, false, false, false, "", ""},
		{"timeout", answer{err: &httpx.Error{Kind: httpx.KindTimeout, Host: "github.com"}}, false, false, true, "", ""},
	} {
		got := githubPush(repoCtx, tc.a)
		if got.decided != tc.decided || got.allowed != tc.allowed || (got.trouble != nil) != tc.trouble ||
			!strings.Contains(got.finding.Text, tc.text) || got.finding.Link != tc.link {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
}

// A classic token is never Ready on a public organization repository
// unless git's push discovery said it may push.
func TestGitHubPublicOrganizationRepositoryNeedsGit(t *testing.T) {
	for name, push := range map[string]answer{
		"not asked": {},
		"401":       githubTestAnswer(401, http.Header{"Content-Type": {"text/plain"}}, "Invalid username or token."),
		"404":       githubTestAnswer(404, http.Header{"Content-Type": {"text/plain"}}, "Repository not found."),
	} {
		rp := githubPlaces(repoCtx, []githubPlace{{name: "acme/site", main: publicOrgRepo, push: push}})[0]
		if rp.Ready() || rp.Branch != nil || rp.PullRequest != nil || !isTrue(rp.Read) {
			t.Errorf("%s: %+v", name, rp)
		}
		if !strings.Contains(rp.Findings[0].Text, "could not confirm that acme lets classic tokens write") {
			t.Errorf("%s: %+v", name, rp.Findings)
		}
	}
	// A personal account has no token policy: the API's answer stands.
	own := githubTestAnswer(200, http.Header{}, `{"full_name":"octocat/x","private":false,"owner":{"login":"octocat","id":1,"type":"User"},"permissions":{"pull":true,"push":true}}`)
	if rp := githubPlaces(repoCtx, []githubPlace{{name: "octocat/x", main: own}})[0]; !rp.Ready() {
		t.Errorf("own public repository: %+v", rp)
	}
}

// A classic token whose SSO authorization an organization withholds may
// read its public repositories at most: not ready there, with the link.
func TestGitHubWithheldOrganizationPublicRepository(t *testing.T) {
	c := repoCtx
	c.withheld = map[string]bool{"7": true}
	c.ssoLinks = map[string]string{"acme": "https://github.com/orgs/acme/sso?authorization_request=Z"}
	adv := githubTestAnswer(200, http.Header{"Content-Type": {"application/x-git-receive-pack-advertisement"}}, "")
	rp := githubPlaces(c, []githubPlace{{name: "acme/site", main: publicOrgRepo, push: adv}})[0]
	if !isFalse(rp.Branch) || !isFalse(rp.PullRequest) || rp.Findings[0].Link != c.ssoLinks["acme"] {
		t.Errorf("%+v", rp)
	}
	// A 404 from such an organization is most likely its SSO.
	rp = githubPlaces(c, []githubPlace{{name: "acme/private", main: githubTestAnswer(404, http.Header{}, `{"message":"Not Found"}`)}})[0]
	if !isFalse(rp.Found) || !strings.Contains(rp.Findings[0].Text, "likely reason") || rp.Findings[0].Link != c.ssoLinks["acme"] {
		t.Errorf("%+v", rp)
	}
}

func TestGitHubRepositoryRefusals(t *testing.T) {
	fine := repoCtx
	fine.classic = false
	for _, tc := range []struct {
		name string
		c    githubPlaceContext
		a    answer
		want string
		link string
	}{
		{"SSO", repoCtx, githubTestAnswer(403, http.Header{"X-Github-Sso": {"required; url=https://github.com/orgs/acme/sso?authorization_request=Q"}}, `{"message":"Resource protected by organization SAML enforcement."}`),
			"acme uses SAML single sign-on", "https://github.com/orgs/acme/sso?authorization_request=Q"},
		{"classic forbidden", repoCtx, githubTestAnswer(403, http.Header{}, "{\"message\":\"`acme` forbids access via a personal access token (classic). Please use a GitHub App, OAuth App, or a personal access token with fine-grained permissions.\"}"),
			"acme does not let classic tokens reach", "https://github.com/settings/personal-access-tokens/new"},
		{"fine-grained lifetime", fine, githubTestAnswer(403, http.Header{}, `{"message":"The 'acme' organization forbids access via a fine-grained personal access tokens if the token's lifetime is greater than 90 days."}`),
			"acme does not accept this fine-grained token", "https://github.com/settings/personal-access-tokens"},
		{"not accessible", fine, githubTestAnswer(403, http.Header{"X-Accepted-Github-Permissions": {"metadata=read"}}, `{"message":"Resource not accessible by personal access token"}`),
			"GitHub needs metadata=read", "https://github.com/settings/personal-access-tokens"},
		{"other", repoCtx, githubTestAnswer(403, http.Header{}, `{"message":"Repository access blocked"}`), "“Repository access blocked”", ""},
		{"451", repoCtx, githubTestAnswer(451, http.Header{}, `{"message":"Repository access blocked"}`), "451 Unavailable For Legal Reasons", ""},
	} {
		rp := githubPlaces(tc.c, []githubPlace{{name: "acme/x", main: tc.a}})[0]
		if rp.Unchecked || !isFalse(rp.Read) || !isFalse(rp.Branch) || !isFalse(rp.PullRequest) ||
			!strings.Contains(rp.Findings[0].Text, tc.want) || rp.Findings[0].Link != tc.link {
			t.Errorf("%s: %+v", tc.name, rp)
		}
	}
}

func TestGitHubRepositoryAnswersThatCannotBeJudged(t *testing.T) {
	for name, a := range map[string]answer{
		"web page":     githubTestAnswer(200, http.Header{"Content-Type": {"text/html"}}, "<html>"),
		"not JSON":     githubTestAnswer(200, http.Header{}, `{"full_na`),
		"no name":      githubTestAnswer(200, http.Header{}, `{}`),
		"teapot":       githubTestAnswer(418, http.Header{}, `{}`),
		"rate limited": githubTestAnswer(403, http.Header{"X-Ratelimit-Remaining": {"0"}}, `{"message":"API rate limit exceeded"}`),
		"timeout":      {err: &httpx.Error{Kind: httpx.KindTimeout, Host: "api.github.com"}},
	} {
		rp := githubPlaces(repoCtx, []githubPlace{{name: "acme/x", main: a}})[0]
		if !rp.Unchecked || rp.Found != nil || rp.Read != nil || len(rp.Findings) != 1 || rp.Kind != "repository" {
			t.Errorf("%s: %+v", name, rp)
		}
	}
}

func TestGitHubMergeGate(t *testing.T) {
	ghes := githubServer{web: "https://ghe.example.com", api: "https://ghe.example.com/api/v3", ghes: true}
	for _, tc := range []struct {
		srv     githubServer
		version string
		want    bool
	}{
		{dotcom, "", true}, {ghes, "3.14.0", true}, {ghes, "3.19.2", true}, {ghes, "4.0.1", true},
		{ghes, "3.13.9", false}, {ghes, "3.10.0", false}, {ghes, "", false}, {ghes, "three", false},
	} {
		if got := githubMergeGate(tc.srv, tc.version); got != tc.want {
			t.Errorf("%v %q: %v", tc.srv.ghes, tc.version, got)
		}
	}
}

// FuzzGitHubPlaces feeds arbitrary answers about a named place to the
// judge: it never panics, names the place, keeps links on the server,
// leaves a place it could not check without abilities, and calls a
// repository ready only when GitHub proved it: never with a fine-grained
// token (pull requests cannot be proven), and for a classic token on a
// public organization repository only with git's push advertisement.
func FuzzGitHubPlaces(f *testing.F) {
	f.Add("acme/site", true, 200, "application/json", `{"full_name":"acme/site","private":false,"owner":{"login":"acme","id":7,"type":"Organization"},"permissions":{"pull":true,"push":true}}`, "", 200, "application/x-git-receive-pack-advertisement", "", "7")
	f.Add("acme/site", false, 200, "application/json", `{"full_name":"acme/site","private":true,"owner":{"login":"acme","id":7,"type":"Organization"},"permissions":{"pull":true,"push":true},"allow_merge_commit":true}`, "", 403, "application/json", `{"message":"Resource not accessible by personal access token"}`, "")
	f.Add("acme", true, 200, "application/json", `{"login":"acme","id":7,"type":"Organization"}`, "", 200, "application/json", `[{"full_name":"acme/x"}]`, "7")
	f.Add("acme/x", true, 403, "application/json", `{"message":"x"}`, "required; url=https://github.com/orgs/acme/sso?authorization_request=A", 502, "text/html", "<html>", "")
	f.Add("acme/x", true, 200, "application/json", `{"full_name":"acme/x","archived":true,"disabled":true,"has_pull_requests":false}`, "", 404, "text/plain", "Repository not found.", "")
	f.Fuzz(func(t *testing.T, name string, classic bool, status int, ctype, body, sso string, status2 int, ctype2, body2, withheld string) {
		if name == "" {
			return
		}
		main := answer{resp: &httpx.Response{Status: status, Header: http.Header{"Content-Type": {ctype}, "X-Github-Sso": {sso}}, Body: []byte(body)}}
		second := answer{resp: &httpx.Response{Status: status2, Header: http.Header{"Content-Type": {ctype2}}, Body: []byte(body2)}}
		p := githubPlace{name: name, main: main}
		switch {
		case !strings.Contains(name, "/"):
			p.orgRepos = second
		case classic:
			p.push = second
		default:
			p.pulls = second
		}
		c := repoCtx
		c.classic, c.withheld = classic, map[string]bool{withheld: true}
		rp := githubPlaces(c, []githubPlace{p})[0]
		if rp.Name != name || rp.Findings == nil {
			t.Fatalf("unnamed: %+v", rp)
		}
		if rp.Unchecked && (rp.Found != nil || rp.Read != nil || rp.Branch != nil || rp.PullRequest != nil) {
			t.Fatalf("could not check, yet abilities: %+v", rp)
		}
		for _, f := range rp.Findings {
			if f.Link != "" && !strings.HasPrefix(f.Link, dotcom.web+"/") {
				t.Fatalf("a link away from the server: %q", f.Link)
			}
		}
		if rp.Ready() {
			var repo githubRepoJSON
			_ = json.Unmarshal([]byte(body), &repo)
			advertised := status2 == 200 && strings.HasPrefix(ctype2, "application/x-git-receive-pack-advertisement")
			if !classic || status != 200 || !strings.Contains(name, "/") || repo.Archived || repo.Disabled ||
				(!repo.Private && repo.Owner.Type == "Organization" && !advertised) {
				t.Fatalf("ready without proof: classic %v, %d %s / %d %s %s", classic, status, body, status2, ctype2, body2)
			}
		}
	})
}
