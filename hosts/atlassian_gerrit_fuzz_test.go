package hosts

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
)

// fuzzAnswer is one answer with a status, a content type and a body.
func fuzzAnswer(status int, ctype, body string, h ...string) answer {
	header := http.Header{"Content-Type": {ctype}}
	for i := 0; i+1 < len(h); i += 2 {
		header.Set(h[i], h[i+1])
	}
	return answer{resp: &httpx.Response{Status: status, Header: header, Body: []byte(body)}}
}

// settledProof checks what every report must hold: a verdict in words,
// JSON, and Ready only when nothing is missing or unproven and what it
// needs is among the granted.
func settledProof(t *testing.T, r *Report, needs ...string) {
	t.Helper()
	r.settle()
	if len(r.Findings) == 0 || r.Summary == "" {
		t.Fatalf("no verdict: %+v", r)
	}
	if r.Outcome == Sufficient && len(r.Unverified) == 0 {
		if len(r.Missing) > 0 {
			t.Fatalf("ready with missing %v", r.Missing)
		}
		for _, n := range needs {
			if !slices.Contains(r.Scopes, n) {
				t.Fatalf("ready without %s: %+v", n, r)
			}
		}
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
}

// FuzzBitbucketCloudAnswers feeds any answers to the Bitbucket Cloud
// report: no panic, a verdict, and Ready only with every needed scope.
func FuzzBitbucketCloudAnswers(f *testing.F) {
	user := string(hoststest.Recorded("bitbucket/user.json"))
	ws := string(hoststest.Recorded("bitbucket/workspaces.json"))
	repos := string(hoststest.Recorded("bitbucket/repositories.json"))
	scope := string(hoststest.Recorded("bitbucket/scope-missing.json"))
	f.Add(200, user, 200, ws, 200, repos, 403, scope)
	f.Add(403, scope, 200, ws, 200, repos, 403, `{"type":"error","error":{"message":"x","detail":{"required":["read:snippet:bitbucket"],"granted":[]}}}`)
	f.Add(401, string(hoststest.Recorded("bitbucket/token-invalid.json")), 401, "", 0, "", 0, "")
	f.Add(200, `{"account_id":"x"}`, 200, `{"values":null}`, 500, "<html>", 200, "{}")
	f.Add(200, user, 200, ws, 200, repos, 403, `{"type":"error","error":{"message":"x","detail":{"required":["read:snippet:bitbucket"],"granted":["read:user:bitbucket","read:workspace:bitbucket","read:repository:bitbucket","write:repository:bitbucket","read:pullrequest:bitbucket","write:pullrequest:bitbucket"]}}}`)
	f.Fuzz(func(t *testing.T, s1 int, b1 string, s2 int, b2 string, s3 int, b3 string, s4 int, b4 string) {
		first := []answer{fuzzAnswer(s1, "application/json", b1), fuzzAnswer(s2, "application/json", b2)}
		var second []answer
		if s3 != 0 {
			second = []answer{fuzzAnswer(s3, "application/json", b3), fuzzAnswer(s4, "application/json", b4)}
		}
		c := &bitbucketCloud{api: bitbucketCloudAPI, email: "jira@example.com", token: "ATATT3xFfGF0fuzz", now: time.Unix(1.8e9, 0)}
		r := c.report(&Report{}, first, second)
		settledProof(t, r, bitbucketCloudNeeds...)
	})
}

// FuzzBitbucketDCAnswers feeds any answers to the Data Center report.
func FuzzBitbucketDCAnswers(f *testing.F) {
	props := string(hoststest.Recorded("bitbucket-dc/application-properties.json"))
	repos := string(hoststest.Recorded("bitbucket-dc/repos.json"))
	token := string(hoststest.Recorded("bitbucket-dc/token.json"))
	f.Add(200, props, "jira-bot", 200, repos, 200, token)
	f.Add(200, `{"version":"5.4.0"}`, "", 200, string(hoststest.Recorded("bitbucket-dc/repos-empty.json")), 0, "")
	f.Add(401, string(hoststest.Recorded("bitbucket-dc/auth-failed.json")), "", 401, "", 0, "")
	f.Add(200, `{"version":"9.9"}`, "x", 200, `{"values":[]}`, 401, string(hoststest.Recorded("bitbucket-dc/not-permitted.json")))
	f.Fuzz(func(t *testing.T, s1 int, b1, user string, s2 int, b2 string, s3 int, b3 string) {
		first := []answer{fuzzAnswer(s1, "application/json", b1, "X-Ausername", user), fuzzAnswer(s2, "application/json", b2, "X-Ausername", user)}
		var details *answer
		if s3 != 0 {
			a := fuzzAnswer(s3, "application/json", b3)
			details = &a
		}
		c := bitbucketDC{srv: bitbucketDCServer{web: "https://bitbucket.example.com"}, user: "jira-bot", token: "fuzz", id: "158910532909",
			page: "https://bitbucket.example.com/plugins/servlet/access-tokens/manage", now: time.Unix(1.8e9, 0)}
		r := c.report(&Report{}, first, details)
		settledProof(t, r)
		if r.Outcome == Sufficient && len(r.Unverified) == 0 && !slices.Contains(r.Scopes, "Repository write") && !slices.Contains(r.Scopes, "Repository admin") {
			t.Fatalf("ready without Repository write: %+v", r)
		}
	})
}

// FuzzGerritAnswers feeds any answers to the Gerrit report.
func FuzzGerritAnswers(f *testing.F) {
	acct := string(hoststest.Recorded("gerrit/account.json"))
	caps := string(hoststest.Recorded("gerrit/capabilities-admin.json"))
	projects := string(hoststest.Recorded("gerrit/projects.json"))
	f.Add(200, acct, "", 200, caps, 200, string(hoststest.Recorded("gerrit/version.json")), 200, projects)
	f.Add(401, "Unauthorized", `Basic realm="Gerrit Code Review"`, 0, "", 0, "", 0, "")
	f.Add(401, "Unauthorized", `Digest realm="Gerrit Code Review"`, 0, "", 0, "", 0, "")
	f.Add(200, `)]}'`+"\n"+`{"_account_id":1}`, "", 200, `)]}'`, 200, `"3"`, 200, string(hoststest.Recorded("gerrit/projects-config-only.json")))
	f.Fuzz(func(t *testing.T, s1 int, b1, auth string, s2 int, b2 string, s3 int, b3 string, s4 int, b4 string) {
		answers := []answer{fuzzAnswer(s1, "application/json", b1, "WWW-Authenticate", auth),
			fuzzAnswer(s2, "application/json", b2), fuzzAnswer(s3, "application/json", b3), fuzzAnswer(s4, "application/json", b4)}
		c := gerritCheck{web: "https://review.example.com", user: "john", token: "fuzz", page: "https://review.example.com/settings/#HTTPCredentials"}
		r := c.report(&Report{}, answers)
		settledProof(t, r, gerritNeeds...)
	})
}

// FuzzClassifyBitbucketDC: a classic Data Center token's ID is digits,
// and only 44-character tokens have one.
func FuzzClassifyBitbucketDC(f *testing.F) {
	f.Add("MjUyOTczNTE1MDY5On2rDbID2EgYpH8AVOECHv0saruQ")
	f.Add("NjU4MjM0NDkxMzM0OuPEm9jk1TZUuhuAw45pdirCqvbD")
	f.Add("CANARYgerritCANARYgerritCANARYgerrit+/0001")
	f.Fuzz(func(t *testing.T, s string) {
		id := bitbucketDCTokenIDOf(s)
		if id == "" {
			return
		}
		if len(s) != 44 || Classify(s).Family != "bitbucket-dc" {
			t.Fatalf("%q: ID %q but shape %+v", s, id, Classify(s))
		}
		for _, r := range id {
			if r < '0' || r > '9' {
				t.Fatalf("%q: ID %q", s, id)
			}
		}
	})
}

// FuzzBitbucketGerritRepoNames: whatever is pasted, a name each of the
// three hosts accepts is a name of its form: no blank, control character,
// empty segment or "..", and a Bitbucket name has at most two segments.
func FuzzBitbucketGerritRepoNames(f *testing.F) {
	for _, s := range []string{"acme/web-app", "https://bitbucket.org/acme/web-app/src/main", "git@bitbucket.org:acme/x.git",
		"https://example.com/bitbucket/projects/PROJ/repos/web/browse", "ssh://git@example.com:7999/proj/web.git", "~jdoe/scratch",
		"https://review.example.com/r/c/platform/build/+/1", "https://h/admin/repos/a%2Fb,access", "a/../b", "https://h/a/"} {
		f.Add(s, "https://example.com/bitbucket")
		f.Add(s, "https://review.example.com/r")
	}
	f.Fuzz(func(t *testing.T, raw, server string) {
		req := Request{Fields: map[string]string{"url": server}}
		for _, spec := range []RepoSpec{bitbucketCloudRepoSpec, bitbucketDCRepoSpec, gerritRepoSpec} {
			name, err := spec.Normalize(req, raw)
			if err != nil {
				continue
			}
			segs := strings.Split(name, "/")
			if spec.Placeholder != gerritRepoSpec.Placeholder && len(segs) > 2 {
				t.Fatalf("%q → %q: more than two segments", raw, name)
			}
			for _, seg := range segs {
				if seg == "" || seg == ".." || seg == "." || strings.ContainsFunc(seg, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
					t.Fatalf("%q → %q: segment %q", raw, name, seg)
				}
			}
		}
	})
}

// BenchmarkParsersBitbucketGerrit runs the new hosts' parsers on recorded
// answers.
func BenchmarkParsersBitbucketGerrit(b *testing.B) {
	scope := hoststest.Recorded("bitbucket/scope-missing.json")
	b.Run("bitbucket-error", func(b *testing.B) {
		for b.Loop() {
			if e := parseBitbucketError(scope); !e.HasGranted {
				b.Fatal("no granted scopes")
			}
		}
	})
	token := hoststest.Recorded("bitbucket-dc/token.json")
	b.Run("bitbucket-dc-token", func(b *testing.B) {
		for b.Loop() {
			if _, err := parseBitbucketDCToken(token); err != nil {
				b.Fatal(err)
			}
		}
	})
	acct := hoststest.Recorded("gerrit/account.json")
	b.Run("gerrit-account", func(b *testing.B) {
		for b.Loop() {
			if _, err := parseGerritAccount(acct); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("classify-bitbucket-dc", func(b *testing.B) {
		for b.Loop() {
			if bitbucketDCTokenIDOf("MjUyOTczNTE1MDY5On2rDbID2EgYpH8AVOECHv0saruQ") != "252973515069" {
				b.Fatal("no ID")
			}
		}
	})
}

func TestGerritJSONStripsTheMagicLineWhenThere(t *testing.T) {
	for body, want := range map[string]string{
		")]}'\n\"3.9.1\"\n": "3.9.1",
		"\"3.9.1\"":         "3.9.1",
		"\n)]}'\r\n\"3.9\"": "3.9",
	} {
		if got := gerritVersionOf(fuzzAnswer(200, "application/json", body)); got != want {
			t.Errorf("%q: version %q, want %q", body, got, want)
		}
	}
	if _, err := parseGerritAccount([]byte(")]}'")); err == nil {
		t.Error("the magic line alone read as an account")
	}
}
