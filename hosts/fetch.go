package hosts

import (
	"fmt"
	"strings"
	"sync"

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
	out := make([]answer, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i].resp, out[i].err = call()
		}()
	}
	wg.Wait()
	return out
}
