package hosts

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
)

func githubTestAnswer(status int, h http.Header, body string) answer {
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	return answer{resp: &httpx.Response{Status: status, Header: h, Body: []byte(body)}}
}

var dotcom = githubServer{web: "https://github.com", api: "https://api.github.com"}

func TestGitHubWithheldReadsOnlyNumericIDs(t *testing.T) {
	for header, want := range map[string][]string{
		"partial-results; organizations=21955855,20582480":   {"21955855", "20582480"},
		"Partial-Results;organizations= 7 , 7,8 ":            {"7", "8"},
		"partial-results; organizations=1,../x,2/3,-4,0,1e3": {"1"},
		"partial-results": nil,
		"required; url=https://github.com/orgs/a/sso": nil,
		"": nil,
	} {
		got := githubWithheld(githubTestAnswer(200, http.Header{"X-Github-Sso": {header}}, "[]"))
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", header, got, want)
		}
	}
	if got := githubWithheld(githubTestAnswer(502, http.Header{"X-Github-Sso": {"partial-results; organizations=1"}}, "")); got != nil {
		t.Errorf("a 502 named organizations: %v", got)
	}
}

func TestGitHubOrgName(t *testing.T) {
	sso := func(u string) http.Header { return http.Header{"X-Github-Sso": {"required; url=" + u}} }
	for _, tc := range []struct {
		name        string
		a           answer
		label, link string
	}{
		{"200", githubTestAnswer(200, http.Header{}, `{"login":"acme-corp","id":7}`), "The organization acme-corp", ""},
		{"200 with a bad login", githubTestAnswer(200, http.Header{}, `{"login":"acme corp\n"}`), "", ""},
		{"403 required", githubTestAnswer(403, sso("https://github.com/orgs/acme/sso?authorization_request=AB"), `{}`),
			"The organization acme", "https://github.com/orgs/acme/sso?authorization_request=AB"},
		{"403 enterprise", githubTestAnswer(403, sso("https://github.com/enterprises/big/sso?authorization_request=AB"), `{}`),
			"An organization of the enterprise big", "https://github.com/enterprises/big/sso?authorization_request=AB"},
		{"403 link elsewhere", githubTestAnswer(403, sso("https://github.evil.example/orgs/acme/sso"), `{}`), "", ""},
		{"403 link over http", githubTestAnswer(403, sso("http://github.com/orgs/acme/sso"), `{}`), "", ""},
		{"403 other path", githubTestAnswer(403, sso("https://github.com/settings/tokens"), `{}`), "", ""},
		{"403 without SSO", githubTestAnswer(403, http.Header{}, `{"message":"x"}`), "", ""},
		{"404", githubTestAnswer(404, http.Header{}, `{"message":"Not Found"}`), "", ""},
		{"no answer", answer{err: http.ErrHandlerTimeout}, "", ""},
	} {
		label, link := githubOrgName(tc.a, dotcom)
		if label != tc.label || link != tc.link {
			t.Errorf("%s: %q %q, want %q %q", tc.name, label, link, tc.label, tc.link)
		}
	}
}

// An organization GitHub names with a 200 (no authorize link) gets the
// tokens page.
func TestGitHubSSOOrganizationNamedWithoutLink(t *testing.T) {
	h := http.Header{"X-Oauth-Scopes": {"repo"}}
	a := githubAnswers{
		user:  githubTestAnswer(200, h, `{"login":"octocat"}`),
		repos: githubTestAnswer(200, http.Header{"X-Github-Sso": {"partial-results; organizations=7"}}, `[]`),
		orgs:  []githubOrgAnswer{{id: "7", answer: githubTestAnswer(200, http.Header{}, `{"login":"acme-corp"}`)}},
	}
	r := githubReport(&Report{}, dotcom, "GitHub", "classic personal access token", a, time.Unix(0, 0))
	if r.Outcome != Insufficient || !slices.Equal(r.Missing, []string{githubSSONeed}) {
		t.Fatalf("outcome %d missing %v", r.Outcome, r.Missing)
	}
	for _, f := range r.Findings {
		if strings.Contains(f.Text, "acme-corp uses SAML single sign-on") {
			if f.Link != "https://github.com/settings/tokens" || !strings.Contains(f.Fix, "Authorize for acme-corp") {
				t.Errorf("finding %+v", f)
			}
			return
		}
	}
	t.Errorf("acme-corp not named: %+v", r.Findings)
}

// X-GitHub-SSO: required on the list itself still stops Ready, with its
// link.
func TestGitHubSSORequiredOnTheList(t *testing.T) {
	a := githubAnswers{
		user:  githubTestAnswer(200, http.Header{"X-Oauth-Scopes": {"repo"}}, `{"login":"octocat"}`),
		repos: githubTestAnswer(200, http.Header{"X-Github-Sso": {"required; url=https://github.com/orgs/acme/sso?authorization_request=AB"}}, `[]`),
	}
	r := githubReport(&Report{}, dotcom, "GitHub", "classic personal access token", a, time.Unix(0, 0))
	if r.Outcome != Insufficient || !slices.Contains(r.Missing, githubSSONeed) {
		t.Fatalf("outcome %d missing %v", r.Outcome, r.Missing)
	}
}

func TestGitHubRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]string{
		"60": "60 seconds", "1": "1 second", "119": "119 seconds", "120": "2 minutes", "121": "3 minutes",
		"7200": "2 hours", now.Add(90 * time.Second).Format(http.TimeFormat): "90 seconds",
		"0": "", "-5": "", "soon": "", now.Add(-time.Minute).Format(http.TimeFormat): "", "99999999999999999999": "",
	} {
		got, ok := retryAfter(http.Header{"Retry-After": {v}}, now)
		if got != want || ok != (want != "") {
			t.Errorf("Retry-After %q: %q %v, want %q", v, got, ok, want)
		}
	}
}

// Without Retry-After, the secondary limit waits a minute and the primary
// one until its reset (GitHub docs, "Exceeding the rate limit").
func TestGitHubRateLimitWaits(t *testing.T) {
	for _, tc := range []struct {
		h          http.Header
		body, want string
	}{
		{http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1764086400"}}, `{"message":"API rate limit exceeded"}`, "Wait until 16:00 UTC"},
		{http.Header{"X-Ratelimit-Remaining": {"4990"}}, `{"message":"You have exceeded a secondary rate limit."}`, "Wait at least a minute"},
		{http.Header{}, `{"message":"You have exceeded a secondary rate limit."}`, "Wait at least a minute"},
		{http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1764086400"}, "Retry-After": {"30"}}, `{}`, "Wait 30 seconds"},
	} {
		f := rateLimitFinding(&httpx.Response{Status: 403, Header: tc.h, Body: []byte(tc.body)}, time.Unix(0, 0))
		if !strings.Contains(f.Fix, tc.want) {
			t.Errorf("%v %s: %q, want %q", tc.h, tc.body, f.Fix, tc.want)
		}
	}
}
