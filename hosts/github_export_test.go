package hosts

import "context"

// GitHubDotComAt returns a copy of the GitHub host whose check treats the
// server at base as github.com (API and web pages at base, no Enterprise
// Server): SAML single sign-on exists only there, and the real address of
// github.com cannot be faked. GitHub itself is untouched.
func GitHubDotComAt(base string) *Host {
	h := *GitHub
	h.check = func(ctx context.Context, env Env, req Request) *Report {
		return checkGitHubAt(ctx, env, req, githubServer{web: base, api: base})
	}
	return &h
}
