package hosts

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// RepoFieldKey is the key of the optional field where the user names the
// repositories the integration will connect, one per line or separated by
// commas.
const RepoFieldKey = "repos"

// MaxRepos is how many repositories one check takes: far more than one
// integration connects at once, few enough to stay polite to the host.
const MaxRepos = 100

// repoParallelism bounds the requests about repositories in flight at
// once: up to this many repositories cost one round trip.
const repoParallelism = 20

// RepoSpec says how a host names the places the integration connects: a
// repository, or a container of repositories (an organization, a group, a
// project).
type RepoSpec struct {
	// Placeholder shows the host's form in the empty field.
	Placeholder string
	// Normalize reads one entry as a user pastes it (a name, a clone or a
	// web URL) into the host's form, such as "owner/repo"; req gives the
	// server, to strip a sub-path from a URL.
	Normalize func(req Request, raw string) (string, error)
	// CaseSensitive says the host tells names apart by case (CodeCommit,
	// Gerrit), so "Repo" and "repo" are two places, not a repeat.
	CaseSensitive bool
	// PullRequests is what the host calls the integration's pull requests
	// ("merge requests"); "pull requests" when empty.
	PullRequests string
}

// PullRequestsWord is what the host with the given ID calls a pull
// request, in the plural, for the third ability of a RepoReport.
func PullRequestsWord(hostID string) string {
	if h := ByID(hostID); h != nil && h.Repos != nil && h.Repos.PullRequests != "" {
		return h.Repos.PullRequests
	}
	return "pull requests"
}

// RepoField is the field that holds the repositories to check.
func (s RepoSpec) RepoField() Field {
	return Field{Key: RepoFieldKey, Label: "Repositories the integration will connect", Placeholder: s.Placeholder,
		Optional: true, Multiline: true,
		Help: "Optional. For each, gitpat then checks whether the token may read it, create branches and open " + orDefault(s.PullRequests, "pull requests") +
			" there, and says what the host does not let it prove."}
}

// RepoNames reads the repository field of req into the host's form, in
// the order given, without repeats.
func (h *Host) RepoNames(req Request) ([]string, error) {
	raw := req.Field(RepoFieldKey)
	if h.Repos == nil || strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	var names []string
	seen := map[string]bool{}
	for _, entry := range strings.FieldsFunc(raw, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ';' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		name, err := h.Repos.Normalize(req, entry)
		if err != nil {
			return nil, &RepoNameError{Entry: entry, Reason: err.Error()}
		}
		key := name
		if !h.Repos.CaseSensitive {
			key = strings.ToLower(name)
		}
		if !seen[key] {
			seen[key] = true
			names = append(names, name)
		}
	}
	if len(names) > MaxRepos {
		return nil, &RepoNameError{Reason: fmt.Sprintf("gitpat checks up to %d repositories at once; %d were named", MaxRepos, len(names))}
	}
	return names, nil
}

// RepoNameError says why an entry of the repository field cannot be used.
type RepoNameError struct {
	Entry  string // as typed; "" when about the whole list
	Reason string
}

func (e *RepoNameError) Error() string {
	if e.Entry == "" {
		return e.Reason + "."
	}
	return fmt.Sprintf("\"%s\" cannot be used: %s.", shorten(e.Entry, 80), e.Reason)
}

// RepoReport is what a check proved about one place the integration will
// connect. Each ability is true (proven), false (proven not allowed) or
// nil (could not be proven).
type RepoReport struct {
	Name        string    `json:"name"`
	Kind        string    `json:"kind"` // "repository", "organization", "account", "group", "project"
	Found       *bool     `json:"found"`
	Read        *bool     `json:"read"`
	Branch      *bool     `json:"branch"`
	PullRequest *bool     `json:"pull_request"`
	Findings    []Finding `json:"findings"`
	// Unchecked says the host failed to answer (a server error, the
	// network): nothing about this place is known, which makes the whole
	// check "could not check".
	Unchecked bool `json:"unchecked,omitempty"`
}

// Ready reports whether the integration is proven to work there.
func (r RepoReport) Ready() bool {
	return isTrue(r.Found) && isTrue(r.Read) && isTrue(r.Branch) && isTrue(r.PullRequest)
}

// Verdict says in a few words where the place stands.
func (r RepoReport) Verdict() string {
	switch {
	case r.Unchecked:
		return "could not check"
	case r.Found != nil && !*r.Found:
		return "not found"
	case r.Ready():
		return "ready"
	case isFalse(r.Read) || isFalse(r.Branch) || isFalse(r.PullRequest):
		return "not allowed"
	}
	return "not proven"
}

func isTrue(b *bool) bool  { return b != nil && *b }
func isFalse(b *bool) bool { return b != nil && !*b }

// allOf combines abilities that must all hold: false when any is proven
// false, not proven (nil) when any is unknown, true only when all are.
func allOf(abilities ...*bool) *bool {
	out := proven(true)
	for _, a := range abilities {
		switch {
		case isFalse(a):
			return proven(false)
		case a == nil:
			out = nil
		}
	}
	return out
}

// proven is a pointer to a bool, for the abilities of a RepoReport.
func proven(b bool) *bool { return &b }

// checkRepos runs check for every name at once, at most repoParallelism
// in flight, and keeps the results in the order of names.
func checkRepos(ctx context.Context, names []string, check func(ctx context.Context, name string) RepoReport) []RepoReport {
	out := eachRepo(ctx, names, check)
	for i := range out {
		out[i].Name = names[i]
		if out[i].Findings == nil {
			out[i].Findings = []Finding{}
		}
	}
	return out
}

// eachRepo runs fetch for every name at once, at most repoParallelism in
// flight, and keeps the results in the order of names. A check whose
// verdict on a repository needs answers that arrive later (such as its
// first round's) gathers the answers with it and judges them afterwards.
func eachRepo[T any](ctx context.Context, names []string, fetch func(ctx context.Context, name string) T) []T {
	return inParallel(repoParallelism, names, func(name string) T { return fetch(ctx, name) })
}

// settleRepos lets the named places decide the verdict of a token that
// works: Ready only when every one is proven ready; a server error on any
// makes it "could not check".
func (r *Report) settleRepos(names []string) {
	if r.Repositories == nil {
		r.Repositories = []RepoReport{}
	}
	if r.Outcome != Sufficient && r.Outcome != Insufficient {
		return
	}
	// A place the check did not report on is not proven: never Ready by
	// silence.
	for _, name := range names {
		if !slices.ContainsFunc(r.Repositories, func(rp RepoReport) bool { return rp.Name == name }) {
			r.Repositories = append(r.Repositories, RepoReport{Name: name, Findings: []Finding{{Level: Warn,
				Text: "gitpat cannot look at particular repositories on this host, so nothing about this one is proven."}}})
		}
	}
	if len(r.Repositories) == 0 {
		return
	}
	var notReady, unchecked []string
	for _, rp := range r.Repositories {
		switch {
		case rp.Unchecked:
			unchecked = append(unchecked, rp.Name)
		case !rp.Ready():
			notReady = append(notReady, rp.Name+" ("+rp.Verdict()+")")
		}
	}
	wasReady := r.Outcome == Sufficient
	switch {
	case len(unchecked) > 0:
		r.Outcome = Unchecked
		r.Summary = "The token works, but gitpat could not check " + shortList(unchecked, 3) + "."
	case len(notReady) > 0:
		r.Outcome = Insufficient
		if wasReady || r.Summary == "" {
			r.Summary = "The token works, but it is not ready for " + shortList(notReady, 3) + "."
		}
		r.add(Finding{Level: Error, Text: "Not ready for the integration: " + strings.Join(notReady, ", ") + ". Each repository's section says why."})
	}
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
