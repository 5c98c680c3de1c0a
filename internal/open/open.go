// Package open opens web pages in the user's browser.
package open

import (
	"fmt"
	"io"
	"net/url"

	"github.com/pkg/browser"
)

func init() {
	// pkg/browser copies the browser's output to ours; keep it quiet.
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
}

// URL opens an http(s) page in the default browser. It refuses any other
// scheme, so a host's data can never make gitpat run a local program.
func URL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("not a web address: %q", raw)
	}
	return browser.OpenURL(u.String())
}
