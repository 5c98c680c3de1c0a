package hosts

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// repoProof checks what every judged place must hold: a finding, and Ready
// only when nothing failed.
func repoProof(t *testing.T, rp RepoReport, statuses ...int) {
	t.Helper()
	if len(rp.Findings) == 0 && !rp.Ready() {
		t.Fatalf("%s: %s without a finding", rp.Name, rp.Verdict())
	}
	for _, s := range statuses {
		if (s >= 500 || s == 429) && !rp.Unchecked {
			t.Fatalf("%s: a %d answer, yet %s", rp.Name, s, rp.Verdict())
		}
		if rp.Ready() && s != 200 {
			t.Fatalf("%s: ready after a %d answer", rp.Name, s)
		}
	}
	if rp.Unchecked && (rp.Found != nil || rp.Read != nil || rp.Branch != nil || rp.PullRequest != nil) {
		t.Fatalf("%s: could not check, yet decided: %+v", rp.Name, rp)
	}
}

// FuzzBitbucketCloudRepository feeds any answers about a repository, with
// every scope granted: no panic, a 5xx or 429 is "could not check", and
// Ready only after two 200s.
func FuzzBitbucketCloudRepository(f *testing.F) {
	f.Add(200, string(hoststest.Recorded("bitbucket/repository.json")), 200, string(hoststest.Recorded("bitbucket/repository-permissions.json")))
	f.Add(404, string(hoststest.Recorded("bitbucket/repository-not-found.json")), 200, `{"values":[]}`)
	f.Add(403, `{"type":"error","error":{"message":"x"}}`, 403, string(hoststest.Recorded("bitbucket/workspace-forbidden.json")))
	f.Add(200, `{"is_private":false}`, 502, "<html>")
	f.Add(200, `{}`, 200, `{"values":[{"permission":"write","repository":{"full_name":"ACME/Billing"}}]}`)
	f.Fuzz(func(t *testing.T, s1 int, b1 string, s2 int, b2 string) {
		if s1 < 100 || s1 > 599 || s2 < 100 || s2 > 599 {
			return
		}
		c := &bitbucketCloud{api: bitbucketCloudAPI, email: "jira@example.com", token: "fuzz"}
		r := &Report{Scopes: bitbucketCloudNeeds}
		c.repositories(r, []string{"acme/billing", "acme"}, [][]answer{
			{fuzzAnswer(s1, "application/json", b1), fuzzAnswer(s2, "application/json", b2)},
			{fuzzAnswer(s2, "application/json", b2)}})
		repoProof(t, r.Repositories[0], s1, s2)
		repoProof(t, r.Repositories[1], s2)
		if r.Repositories[1].Ready() {
			t.Fatal("a workspace proven ready")
		}
	})
}

// FuzzBitbucketDCPlaces feeds any answers about a repository and a
// project, with Repository write proven.
func FuzzBitbucketDCPlaces(f *testing.F) {
	f.Add(200, string(hoststest.Recorded("bitbucket-dc/repository.json")), 200, string(hoststest.Recorded("bitbucket-dc/repos.json")), 200, string(hoststest.Recorded("bitbucket-dc/project.json")))
	f.Add(404, string(hoststest.Recorded("bitbucket-dc/no-such-repository.json")), 200, `{"values":[],"isLastPage":true}`, 404, string(hoststest.Recorded("bitbucket-dc/no-such-project.json")))
	f.Add(401, string(hoststest.Recorded("bitbucket-dc/not-permitted-resource.json")), 503, "", 401, "")
	f.Add(200, `{"slug":"billing","archived":true,"project":{"key":"ACME"}}`, 200, `{"values":[{"slug":"billing","project":{"key":"ACME"}}],"isLastPage":false}`, 200, `{}`)
	f.Fuzz(func(t *testing.T, s1 int, b1 string, s2 int, b2 string, s3 int, b3 string) {
		if s1 < 100 || s1 > 599 || s2 < 100 || s2 > 599 || s3 < 100 || s3 > 599 {
			return
		}
		c := bitbucketDC{srv: bitbucketDCServer{web: "https://bitbucket.example.com"}, token: "fuzz", page: "https://bitbucket.example.com/plugins/servlet/access-tokens/manage"}
		r := &Report{User: "jira-bot", Scopes: []string{"Repository write"}}
		c.places(r, []string{"ACME/billing", "ACME"}, [][]answer{
			{fuzzAnswer(s1, "application/json", b1), fuzzAnswer(s2, "application/json", b2)},
			{fuzzAnswer(s3, "application/json", b3)}})
		repoProof(t, r.Repositories[0], s1, s2)
		repoProof(t, r.Repositories[1], s2, s3)
		if r.Repositories[1].Ready() {
			t.Fatal("a project proven ready")
		}
	})
}

// FuzzGerritProject feeds any answers about a project, with the access
// checks: no panic, and Ready only when every answer is a 200 and both
// checks said so.
func FuzzGerritProject(f *testing.F) {
	project := string(hoststest.Recorded("gerrit/project.json"))
	branches := ")]}'\n" + `[{"ref":"HEAD","revision":"master"},{"ref":"refs/heads/master","revision":"67ebf73496383c6777035e374d2d664009e2aa5c"}]`
	ok := ")]}'\n" + `{"status":200}`
	f.Add(200, project, 200, branches, 200, ok, 200, ok)
	f.Add(404, "Not found: x", 404, "", 404, "", 404, "")
	f.Add(200, strings.Replace(project, "ACTIVE", "READ_ONLY", 1), 200, "[]", 200, ")]}'\n"+`{"status":403,"message":"no"}`, 500, "")
	f.Add(409, "project state HIDDEN does not permit read", 200, branches, 200, ok, 200, ok)
	f.Fuzz(func(t *testing.T, s1 int, b1 string, s2 int, b2 string, s3 int, b3 string, s4 int, b4 string) {
		for _, s := range []int{s1, s2, s3, s4} {
			if s < 100 || s > 599 {
				return
			}
		}
		c := gerritCheck{web: "https://review.example.com", token: "fuzz"}
		r := &Report{}
		c.namedProjects(r, []string{"platform/build"}, [][]answer{{fuzzAnswer(s1, "application/json", b1), fuzzAnswer(s2, "application/json", b2),
			fuzzAnswer(s3, "application/json", b3), fuzzAnswer(s4, "application/json", b4)}})
		rp := r.Repositories[0]
		repoProof(t, rp, s1, s2, s3, s4)
		if rp.Ready() && (!checkSaysYes(b3) || !checkSaysYes(b4)) {
			t.Fatalf("ready without both access checks saying so: %+v", rp)
		}
	})
}

// checkSaysYes reports whether an AccessCheckInfo body says 200.
func checkSaysYes(body string) bool {
	var info struct {
		Status int `json:"status"`
	}
	return json.Unmarshal(gerritJSON([]byte(body)), &info) == nil && info.Status == 200
}
