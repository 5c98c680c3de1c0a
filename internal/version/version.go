// Package version names this build of gitpat.
package version

// Number is gitpat's version; FyneApp.toml carries the same number.
const Number = "0.1.0"

// UserAgent is what gitpat calls itself in HTTP requests.
const UserAgent = "gitpat/" + Number + " (personal access token checker)"
