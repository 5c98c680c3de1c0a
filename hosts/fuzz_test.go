package hosts

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
)

func FuzzParseServerURL(f *testing.F) {
	for _, s := range []string{"ghe.example.com", "https://ghe.example.com/", "https://ghe.example.com/api/v3",
		"http://tfs:8080/tfs/DefaultCollection", " https://example.com/gitlab// ", "https://[::1]:443/x?y#z",
		"https://user:pw@host", "ftp://x", "https://host:0", "%zz", "https://exa mple.com", "https://ho_st"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, allowHTTP bool) {
		u, err := ParseServerURL(raw, allowHTTP)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error text")
			}
			return
		}
		if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(u.Path, "/") {
			t.Fatalf("ParseServerURL(%q) = %#v", raw, u)
		}
		if u.Scheme != "https" && !(allowHTTP && u.Scheme == "http") {
			t.Fatalf("scheme %q accepted", u.Scheme)
		}
		// What it returns, it accepts again unchanged.
		again, err := ParseServerURL(u.String(), allowHTTP)
		if err != nil || again.String() != u.String() {
			t.Fatalf("not stable: %q → %q → %v %v", raw, u, again, err)
		}
	})
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"ghp_" + strings.Repeat("A", 36), "github_pat_" + strings.Repeat("a", 82), "glpat-" + strings.Repeat("x", 20),
		"AKIA" + strings.Repeat("A", 16), strings.Repeat("a", 52), strings.Repeat("A", 52) + "JQQJ" + strings.Repeat("B", 20) + "AZDO" + "CCCC", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		shape := Classify(s)
		if (shape.Family == "") != (shape.Kind == "") {
			t.Fatalf("Classify(%q) = %+v", s, shape)
		}
		if shape.Family != "" && FamilyTab(shape.Family) == "" {
			t.Fatalf("no tab for family %q", shape.Family)
		}
	})
}

// FuzzGitHubAnswers feeds arbitrary answers to the GitHub report: it must
// never panic, always reach a verdict with a sentence, never grant
// sufficiency without the repo scope, and never call a token Ready that a
// single sign-on header says some organization has not authorized.
func FuzzGitHubAnswers(f *testing.F) {
	f.Add(200, "application/json; charset=utf-8", "repo, read:org", "2026-01-22 10:00:00 UTC", "", `{"login":"octocat","name":"Mona"}`, `[{"full_name":"acme/x"}]`, 200, "", `{"login":"acme"}`)
	f.Add(200, "application/json", "", "2026-01-22 10:00:00 -0800", "partial-results; organizations=1,2", `{"login":"x"}`, `[]`, 403, "required; url=https://ghe.example.com/orgs/acme/sso?authorization_request=x", `{}`)
	f.Add(200, "application/json", "repo", "", "partial-results; organizations=7,x,../9", `{"login":"x"}`, `[]`, 403, "required; url=https://evil.example/orgs/acme/sso", `{}`)
	f.Add(401, "application/json", "", "", "", `{"message":"Bad credentials"}`, ``, 404, "", ``)
	f.Add(403, "application/json", "", "", "required; url=https://github.com/orgs/a/sso", `{"message":"API rate limit exceeded"}`, `{}`, 502, "", ``)
	f.Add(502, "text/html", "", "", "", `<html>`, `<html>`, 200, "", `<html>`)
	f.Add(200, "application/json", "repo", "garbage", "", `{"login":""}`, `null`, 200, "", `null`)
	f.Fuzz(func(t *testing.T, status int, ctype, scopes, expiry, sso, userBody, reposBody string, orgStatus int, orgSSO, orgBody string) {
		h := http.Header{"Content-Type": {ctype}, "X-Oauth-Scopes": {scopes}, "Github-Authentication-Token-Expiration": {expiry}}
		a := githubAnswers{
			user:  answer{resp: &httpx.Response{Status: status, Header: h, Body: []byte(userBody)}},
			repos: answer{resp: &httpx.Response{Status: 200, Header: http.Header{"Content-Type": {ctype}, "X-Github-Sso": {sso}}, Body: []byte(reposBody)}},
		}
		for _, id := range githubWithheld(a.repos) {
			a.orgs = append(a.orgs, githubOrgAnswer{id: id, answer: answer{resp: &httpx.Response{Status: orgStatus,
				Header: http.Header{"Content-Type": {ctype}, "X-Github-Sso": {orgSSO}}, Body: []byte(orgBody)}}})
		}
		srv := githubServer{web: "https://ghe.example.com", api: "https://ghe.example.com/api/v3"}
		r := githubReport(&Report{}, srv, "GitHub", "classic personal access token", a, time.Unix(0, 0))
		r.settle()
		if len(r.Findings) == 0 || r.Summary == "" {
			t.Fatalf("no verdict: %+v", r)
		}
		if r.Sufficient {
			var hasRepo bool
			for _, s := range r.Scopes {
				hasRepo = hasRepo || s == "repo"
			}
			kind, _ := githubSSOHeader(a.repos.resp.Header)
			if !hasRepo || kind == "partial-results" || kind == "required" || len(r.Missing) > 0 || len(r.Unverified) > 0 {
				t.Fatalf("sufficient with scopes %v, SSO %q, missing %v, unverified %v", r.Scopes, sso, r.Missing, r.Unverified)
			}
		}
		for _, f := range r.Findings {
			if f.Link != "" && !strings.HasPrefix(f.Link, srv.web+"/") {
				t.Fatalf("a link away from the server: %q", f.Link)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzParseGitHubExpiry(f *testing.F) {
	for _, s := range []string{"2026-01-22 10:00:00 UTC", "2026-01-22 10:00:00 -0800", "2026-01-22T10:00:00Z", "", "soon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		exp, err := parseGitHubExpiry(s)
		if err == nil && s != "" && exp == nil {
			t.Fatalf("%q: no time and no error", s)
		}
		if exp != nil && exp.Location() != time.UTC {
			t.Fatalf("%q: not in UTC", s)
		}
	})
}

// BenchmarkParsers runs each response parser on a recorded answer.
func BenchmarkParsers(b *testing.B) {
	user := hoststest.Recorded("github/user.json")
	repos := hoststest.Recorded("github/repos.json")
	h := http.Header{"Content-Type": {"application/json"}, "X-Oauth-Scopes": {"repo, read:org"},
		"Github-Authentication-Token-Expiration": {"2027-01-22 10:00:00 UTC"}, "X-Ratelimit-Remaining": {"4990"}, "X-Ratelimit-Limit": {"5000"}}
	srv := githubServer{web: "https://ghe.example.com", api: "https://ghe.example.com/api/v3", ghes: true}
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	b.Run("github", func(b *testing.B) {
		for b.Loop() {
			githubReport(&Report{}, srv, "GitHub", "classic personal access token", githubAnswers{
				user:  answer{resp: &httpx.Response{Status: 200, Header: h, Body: user}},
				repos: answer{resp: &httpx.Response{Status: 200, Header: h, Body: repos}},
			}, now)
		}
	})
	self := hoststest.Recorded("gitlab/self.json")
	b.Run("gitlab-token", func(b *testing.B) {
		for b.Loop() {
			if _, err := parseGitLabToken(self); err != nil {
				b.Fatal(err)
			}
		}
	})
	conn := hoststest.Recorded("azure/connectiondata-services.json")
	azRepos := hoststest.Recorded("azure/repositories-services.json")
	b.Run("azure-connection", func(b *testing.B) {
		for b.Loop() {
			if _, err := parseAzureConnection(conn); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("azure-repositories", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := parseAzureRepositories(azRepos); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("aws-arn", func(b *testing.B) {
		for b.Loop() {
			parseAWSARN("arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/jira")
		}
	})
}
