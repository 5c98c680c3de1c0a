package hosts

import (
	"strings"
	"testing"
)

func repo(name string, found, read, branch, pr *bool) RepoReport {
	return RepoReport{Name: name, Found: found, Read: read, Branch: branch, PullRequest: pr}
}

func TestNamedRepositoriesDecideTheVerdict(t *testing.T) {
	yes, no := proven(true), proven(false)
	for _, tc := range []struct {
		name    string
		start   Outcome
		repos   []RepoReport
		names   []string
		want    Outcome
		summary string
	}{
		{"all ready", Sufficient, []RepoReport{repo("a/b", yes, yes, yes, yes)}, []string{"a/b"}, Sufficient, ""},
		{"branch not allowed", Sufficient, []RepoReport{repo("a/b", yes, yes, yes, yes), repo("a/c", yes, yes, no, yes)},
			[]string{"a/b", "a/c"}, Insufficient, "not ready for a/c (not allowed)"},
		{"pull requests not proven", Sufficient, []RepoReport{repo("a/b", yes, yes, yes, nil)}, []string{"a/b"}, Insufficient, "a/b (not proven)"},
		{"not found", Sufficient, []RepoReport{repo("a/b", no, nil, nil, nil)}, []string{"a/b"}, Insufficient, "a/b (not found)"},
		{"server error", Sufficient, []RepoReport{{Name: "a/b", Unchecked: true}}, []string{"a/b"}, Unchecked, "could not check a/b"},
		{"not reported on is not proven", Sufficient, nil, []string{"a/b"}, Insufficient, "a/b (not proven)"},
		{"rejected token stays rejected", Rejected, nil, []string{"a/b"}, Rejected, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Outcome: tc.start, Repositories: tc.repos}
			r.settleRepos(tc.names)
			if r.Outcome != tc.want || !strings.Contains(r.Summary, tc.summary) {
				t.Errorf("outcome %d summary %q, want %d and %q", r.Outcome, r.Summary, tc.want, tc.summary)
			}
			if tc.start == Rejected && len(r.Repositories) != 0 {
				t.Errorf("repositories of a rejected token: %v", r.Repositories)
			}
		})
	}
}
