package hosts

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
)

// gitlabFuzzToken is the canary the fuzzed reports must never show.
const gitlabFuzzToken = "glpat-CANARYfuzzCANARYfuzz01"

func FuzzParseGitLabToken(f *testing.F) {
	f.Add(hoststest.Recorded("gitlab/self.json"))
	f.Add([]byte(`{"id":1,"name":"Test Token","revoked":false,"scopes":["api"],"active":true,"expires_at":null}`))
	f.Add([]byte(`{"scopes":[],"expires_at":"2026-12-31T00:00:00Z"}`))
	f.Add([]byte(`{"scopes":["api"],"expires_at":"31/12/2026"}`))
	f.Add([]byte(`{"scopes":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		tok, err := parseGitLabToken(body)
		if err != nil {
			return
		}
		if tok.Scopes == nil {
			t.Errorf("accepted an answer without scopes: %q", body)
		}
		if tok.ExpiresAt != nil && tok.expires.Location() != time.UTC {
			t.Errorf("expiry not in UTC: %v", tok.expires)
		}
	})
}

func FuzzParseGitLabError(f *testing.F) {
	for _, name := range []string{"unauthorized.json", "token-expired.json", "token-revoked.json", "insufficient-scope.json",
		"blocked.json", "route-not-found.json", "server-error.json", "rate-limited.txt"} {
		f.Add(hoststest.Recorded("gitlab/" + name))
	}
	f.Add([]byte(`{"message":{"name":["can't be blank"]},"scope":["api","read_api"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e := parseGitLabError(body)
		if len(body) == 0 && e != (gitlabError{}) {
			t.Errorf("an empty body reads as %+v", e)
		}
	})
}

func FuzzGitLabTokenPages(f *testing.F) {
	for _, v := range []string{"", "16.9.1-ee", "17.0.0", "16.7.0-pre", "14.1.0", "13.12.15", "8.13.0", "v15.4", "99999.1", "1.2.3.4", "16.x"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, version string) {
		const web = "https://example.com/gitlab"
		primary, fallback := GitLabTokenPages(web+"/", version)
		for _, p := range []string{primary, fallback} {
			if p != "" && (!strings.HasPrefix(p, web+"/") || !strings.Contains(p, "personal_access_tokens")) {
				t.Errorf("%q: page %q", version, p)
			}
		}
		if primary == "" || primary == fallback {
			t.Errorf("%q: primary %q fallback %q", version, primary, fallback)
		}
		if _, _, ok := parseGitLabVersion(version); !ok {
			if want, _ := GitLabTokenPages(web, ""); primary != want {
				t.Errorf("%q is no version, yet the page is %q", version, primary)
			}
		}
	})
}

// FuzzGitLabReport feeds arbitrary answers to the check: it must never
// panic, always reach a verdict with a finding, and never show the token,
// even when a server echoes it back.
func FuzzGitLabReport(f *testing.F) {
	self, user, version := hoststest.Recorded("gitlab/self.json"), hoststest.Recorded("gitlab/user.json"), hoststest.Recorded("gitlab/version.json")
	denied := hoststest.Recorded("gitlab/insufficient-scope.json")
	f.Add(200, self, 200, user, 200, version, false)
	f.Add(404, hoststest.Recorded("gitlab/route-not-found.json"), 200, user, 200, version, false)
	f.Add(200, self, 403, denied, 403, denied, false)
	f.Add(401, hoststest.Recorded("gitlab/token-expired.json"), 401, hoststest.Recorded("gitlab/unauthorized.json"), 401, []byte(nil), false)
	f.Add(400, []byte(`{"message":"400 Bad request - This endpoint requires token type to be a personal access token"}`), 200, user, 404, []byte(`{}`), false)
	f.Add(400, []byte(`{"error":"id is invalid"}`), 200, user, 200, []byte(`{"version":"15.2.0"}`), false)
	f.Add(403, []byte(`{"message":"403 Forbidden - `+gitlabFuzzToken+`"}`), 200, user, 200, version, false)
	f.Add(200, []byte(`{"name":"`+gitlabFuzzToken+`","scopes":["`+gitlabFuzzToken+`"],"expires_at":"2020-01-01"}`), 200,
		[]byte(`{"username":"`+gitlabFuzzToken+`","name":"x`+gitlabFuzzToken+`"}`), 200, []byte(`{"version":"16.1-`+gitlabFuzzToken[6:]+`"}`), false)
	f.Add(200, hoststest.Recorded("common/login.html"), 200, hoststest.Recorded("common/login.html"), 200, []byte(nil), true)
	f.Add(503, []byte(nil), 429, hoststest.Recorded("gitlab/rate-limited.txt"), 500, []byte(nil), false)
	// GitLab 15.1 to 15.4 read "self" as a token ID (see gitlabPaths).
	f.Add(401, hoststest.Recorded("gitlab/unauthorized.json"), 200, user, 200, []byte(`{"version":"15.4.6-ee"}`), false)
	f.Add(401, hoststest.Recorded("gitlab/unauthorized.json"), 500, []byte(nil), 200, version, false)
	f.Add(404, hoststest.Recorded("gitlab/not-found.json"), 200, user, 200, []byte(`{"version":"15.3.0"}`), false)
	f.Add(403, hoststest.Recorded("gitlab/insufficient-scope-api.json"), 200, user, 200, []byte(`{"version":"15.1.0"}`), false)
	f.Fuzz(func(t *testing.T, selfStatus int, selfBody []byte, userStatus int, userBody []byte, versionStatus int, versionBody []byte, html bool) {
		answerOf := func(status int, body []byte) answer {
			h := http.Header{"Content-Type": {"application/json"}}
			if html {
				h.Set("Content-Type", "text/html; charset=utf-8")
			}
			return answer{resp: &httpx.Response{Status: status, Header: h, Body: body}}
		}
		answers := []answer{answerOf(selfStatus, selfBody), answerOf(userStatus, userBody), answerOf(versionStatus, versionBody)}
		get := func(string) func() (*httpx.Response, error) {
			return func() (*httpx.Response, error) { return nil, errors.New("no network in fuzzing") }
		}
		srv := gitlabServer{web: "https://gitlab.example.com", api: "https://gitlab.example.com/api/v4"}
		c := gitlabCheck{srv: srv, name: "The GitLab server", token: gitlabFuzzToken, page: srv.web + gitlabPageUserSettings}
		r := c.report(&Report{Server: srv.web}, answers, get, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), &gitlabAccount{})
		r.settle()
		switch r.Outcome {
		case Sufficient, Insufficient, Rejected, Unchecked:
		default:
			t.Errorf("outcome %d", r.Outcome)
		}
		if len(r.Findings) == 0 {
			t.Errorf("no finding:\n%s", r.JSON())
		}
		if r.Outcome == Sufficient && len(r.Missing) != 0 {
			t.Errorf("sufficient yet missing %v", r.Missing)
		}
		// Insufficient says why: what is proven absent, or what could not
		// be proven.
		if r.Outcome == Insufficient && len(r.Missing)+len(r.Unverified) == 0 {
			t.Errorf("insufficient with neither missing nor unverified:\n%s", r.JSON())
		}
		if strings.Contains(string(r.JSON()), gitlabFuzzToken) {
			t.Errorf("the report shows the token:\n%s", r.JSON())
		}
	})
}

// TestGitLabAnswersOfOlderRoutes covers answers on
// /personal_access_tokens/self beside a 200 on /user, some of which the
// fake does not give: a 400 from a route that would read "self" as an
// integer ID, tokens that are no personal access tokens, and a server
// that says it is 15.5 or later yet refuses a token /user accepts.
func TestGitLabAnswersOfOlderRoutes(t *testing.T) {
	user := hoststest.Recorded("gitlab/user.json")
	for _, tc := range []struct {
		name       string
		status     int
		body       string
		version    string // 15.3.1 when empty
		outcome    Outcome
		kind       string
		contains   string
		missing    string
		unverified string
	}{
		{"id is invalid", 400, `{"error":"id is invalid"}`, "", Insufficient, "", "could not verify", "", "api"},
		{"401 of the :id route", 401, `{"message":"401 Unauthorized"}`, "", Insufficient, "", "so it has api or read_api", "", "api"},
		{"404 of the :id route to an administrator", 404, `{"message":"404 Not Found"}`, "", Insufficient, "", "at least one of api, read_api or read_user", "", "api"},
		{"scope of the :id route", 403, `{"error":"insufficient_scope","scope":"api read_api"}`, "", Insufficient, "", "refused it the personal access token API", "api", ""},
		{"not a personal access token", 400, `{"message":"400 Bad request - This endpoint requires token type to be a personal access token"}`, "",
			Insufficient, "not a personal access token", "This endpoint requires token type to be a personal access token", "a personal access token", ""},
		{"401 from a server that has /self", 401, `{"message":"401 Unauthorized"}`, "16.11.2-ee", Unchecked, "", "accepted the token for", "", ""},
		{"teapot", 418, `{}`, "", Unchecked, "", "unexpected answer (418 I'm a teapot)", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"Content-Type": {"application/json"}}
			answers := []answer{
				{resp: &httpx.Response{Status: tc.status, Header: h, Body: []byte(tc.body)}},
				{resp: &httpx.Response{Status: 200, Header: h, Body: user}},
				{resp: &httpx.Response{Status: 200, Header: h, Body: []byte(`{"version":"` + orDefault(tc.version, "15.3.1") + `"}`)}},
			}
			srv := gitlabServer{web: "https://gitlab.example.com", api: "https://gitlab.example.com/api/v4"}
			c := gitlabCheck{srv: srv, name: "The GitLab server", token: gitlabFuzzToken}
			r := c.report(&Report{}, answers, nil, time.Now(), &gitlabAccount{})
			r.settle()
			text := r.Summary
			for _, f := range r.Findings {
				text += "\n" + f.Text
			}
			if r.Outcome != tc.outcome || r.TokenKind != tc.kind || !strings.Contains(text, tc.contains) {
				t.Errorf("outcome %d kind %q, want %d %q and %q:\n%s", r.Outcome, r.TokenKind, tc.outcome, tc.kind, tc.contains, r.JSON())
			}
			if got, want := strings.Join(r.Missing, ","), tc.missing; got != want {
				t.Errorf("missing %q, want %q", got, want)
			}
			if got, want := strings.Join(r.Unverified, ","), tc.unverified; got != want {
				t.Errorf("unverified %q, want %q", got, want)
			}
		})
	}
}
