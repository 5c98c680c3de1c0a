package hosts

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/gitpat/gitpat/internal/httpx"
)

// splitScopes reads "repo, read:org" into its scopes.
func splitScopes(h string) []string {
	out := []string{}
	for _, s := range strings.Split(h, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func shortList(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// answer is one request's result.
type answer struct {
	resp *httpx.Response
	err  error
}

// parallel runs independent requests at once: a check's wall time is its
// longest chain of dependent requests, not their sum.
func parallel(calls []func() (*httpx.Response, error)) []answer {
	return parallelAtMost(len(calls), calls)
}

// parallelAtMost is parallel with at most n requests in flight, for the
// many requests about named repositories.
func parallelAtMost(n int, calls []func() (*httpx.Response, error)) []answer {
	return inParallel(n, calls, func(call func() (*httpx.Response, error)) answer {
		resp, err := call()
		return answer{resp: resp, err: err}
	})
}

// inParallel applies f to every item at once, at most n at a time, and
// keeps the results in the order of items.
func inParallel[T, R any](n int, items []T, f func(T) R) []R {
	out := make([]R, len(items))
	sem := make(chan struct{}, max(n, 1))
	var wg sync.WaitGroup
	for i, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = f(item)
		}()
	}
	wg.Wait()
	return out
}

// serverText makes text a server sent safe to show in a sentence: one line
// of at most 200 characters, with the token blanked out should a server
// echo it back.
func serverText(s, token string) string {
	if token != "" {
		s = strings.ReplaceAll(s, token, "[token]")
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// plainMessage is the first line of an error body a server wrote as
// text, or the "message" of a JSON body: what a proxy or a server outside
// its usual shape said, for a sentence.
func plainMessage(body []byte) string {
	var m struct {
		Message string `json:"message"`
	}
	b := strings.TrimSpace(string(body[:min(len(body), 300)]))
	if strings.HasPrefix(b, "{") {
		if json.Unmarshal(body, &m) == nil {
			return strings.TrimSpace(m.Message)
		}
		return ""
	}
	line, _, _ := strings.Cut(b, "\n")
	return strings.TrimSpace(line)
}
