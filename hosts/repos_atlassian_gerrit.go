package hosts

import (
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/gitpat/gitpat/internal/httpx"
)

// What the Bitbucket Cloud, Bitbucket Data Center and Gerrit checks share
// for the places the user named: running the requests about them in one
// round, and combining what each answer proves.

// grantOf says what a report proved of one thing the integration needs
// (a scope, a token permission): true when granted, false when proven
// missing, nil when it could not be proven.
func grantOf(r *Report, need string) *bool {
	switch {
	case slices.Contains(r.Missing, need):
		return proven(false)
	case slices.Contains(r.Unverified, need):
		return nil
	case slices.Contains(r.Scopes, need):
		return proven(true)
	}
	return nil
}

// repoAnswerFailed reports, for an answer about a named place, whether the
// host failed to answer it (the network, a timeout, a server error, a rate
// limit): that place is then "could not check", never "not allowed".
// hostName names the host in the sentence.
func repoAnswerFailed(a answer, hostName string) (Finding, bool) {
	switch {
	case a.err != nil:
		_, f := transportFinding(a.err, hostName)
		return f, true
	case a.resp.Status == http.StatusTooManyRequests:
		return Finding{Level: Error, Text: hostName + " limited the requests and refused this one, so gitpat could not check it.",
			Fix: "Wait a minute and test again."}, true
	case a.resp.Status >= 500:
		return serverError(a.resp.Status, hostName, "Test again in a few minutes."), true
	case isHTML(a.resp):
		return Finding{Level: Error, Text: fmt.Sprintf("%s answered with a web page (%d), not its API, so gitpat could not check it.", hostName, a.resp.Status),
			Fix: "Test again; if it persists, a proxy or a sign-in portal may be in the way."}, true
	}
	return Finding{}, false
}

// uncheckedRepo is a place the host failed to tell anything about.
func uncheckedRepo(name string, f Finding) RepoReport {
	return RepoReport{Name: name, Unchecked: true, Findings: []Finding{f}}
}

// notFoundRepo is a place the host says is not there: nothing can be
// done in it.
func notFoundRepo(name, kind string, f Finding) RepoReport {
	no := proven(false)
	return RepoReport{Name: name, Kind: kind, Found: no, Read: no, Branch: no, PullRequest: no, Findings: []Finding{f}}
}

// runWithRepos runs a check's own requests and the requests about the
// named places (perPlace[i] for the i-th place) in one round: the
// requests about places at most repoParallelism places' worth at once,
// each place's requests together. It returns the check's answers and each
// place's; places is nil when perPlace is.
func runWithRepos(own []func() (*httpx.Response, error), perPlace [][]func() (*httpx.Response, error), requestsPerPlace int) (ownAnswers []answer, places [][]answer) {
	var calls []func() (*httpx.Response, error)
	for _, p := range perPlace {
		calls = append(calls, p...)
	}
	var all []answer
	var wg sync.WaitGroup
	if len(calls) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			all = parallelAtMost(repoParallelism*max(requestsPerPlace, 1), calls)
		}()
	}
	if len(own) > 0 {
		ownAnswers = parallel(own)
	}
	wg.Wait()
	if perPlace == nil {
		return ownAnswers, nil
	}
	places = make([][]answer, len(perPlace))
	next := 0
	for i, p := range perPlace {
		places[i] = all[next : next+len(p)]
		next += len(p)
	}
	return ownAnswers, places
}
