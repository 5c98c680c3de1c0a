package hosts

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
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

// eachRepo keeps the order of the names and never has more than
// repoParallelism fetches in flight.
func TestEachRepoKeepsOrderWithinTheBound(t *testing.T) {
	var mu sync.Mutex
	inFlight, most := 0, 0
	names := make([]string, 3*repoParallelism+1)
	for i := range names {
		names[i] = fmt.Sprintf("o/r%d", i)
	}
	got := eachRepo(context.Background(), names, func(_ context.Context, name string) string {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		runtime.Gosched()
		mu.Lock()
		inFlight--
		mu.Unlock()
		return strings.ToUpper(name)
	})
	for i, name := range names {
		if got[i] != strings.ToUpper(name) {
			t.Fatalf("result %d = %q, want %q", i, got[i], strings.ToUpper(name))
		}
	}
	if most > repoParallelism {
		t.Errorf("%d fetches in flight, the bound is %d", most, repoParallelism)
	}
}
