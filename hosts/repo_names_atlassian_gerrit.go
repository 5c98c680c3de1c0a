package hosts

import (
	"errors"
	"regexp"
	"strings"
)

// How Bitbucket Cloud, Bitbucket Data Center and Gerrit name the places
// the integration connects. Only the names: what gitpat may prove about
// each place is the per-repository step the checks leave room for (see
// checkBitbucketCloud, checkBitbucketDC and checkGerrit); until it is
// there, a named place is reported as not proven.

// Bitbucket Cloud: workspace/repo or a workspace.
//
// "Bitbucket Cloud repository slug: allows ASCII alphanumeric characters,
// underscores (_), en dashes (-), and periods (.) … limited to 62
// characters" (support.atlassian.com/bitbucket-cloud/docs/what-is-a-slug/).
// A workspace ID has no such published rule that gitpat could find: it is
// read as a slug of the same characters, which every workspace URL is.
var bitbucketSlug = regexp.MustCompile(`^[A-Za-z0-9._-]{1,62}$`)

// bitbucketCloudPages are first path segments of bitbucket.org that are
// Bitbucket's own pages, never a workspace.
var bitbucketCloudPages = map[string]bool{"account": true, "dashboard": true, "site": true, "product": true, "snippets": true, "2.0": true}

var bitbucketCloudRepoSpec = RepoSpec{
	Placeholder: "workspace/repo or a workspace",
	Normalize: func(_ Request, raw string) (string, error) {
		a, err := parseRepoAddress(raw)
		if err != nil {
			return "", err
		}
		segs := a.segs
		if a.host != "" {
			// https://api.bitbucket.org/2.0/repositories/WS/REPO and
			// …/2.0/workspaces/WS
			if len(segs) >= 3 && segs[0] == "2.0" && (segs[1] == "repositories" || segs[1] == "workspaces") {
				segs = segs[2:]
			}
			// https://bitbucket.org/WS/workspace/repositories (the
			// workspace's own pages)
			if len(segs) >= 2 && segs[1] == "workspace" {
				segs = segs[:1]
			}
			// https://bitbucket.org/WS/REPO/src/main, /pull-requests/1 …
			segs = segs[:min(len(segs), 2)]
			if len(segs) > 0 && bitbucketCloudPages[segs[0]] {
				return "", errors.New("that is not a repository's or a workspace's address: paste the repository's, or write workspace/repo")
			}
		}
		if len(segs) == 0 || len(segs) > 2 {
			return "", errors.New("a Bitbucket Cloud repository is workspace/repo, and a workspace is its ID")
		}
		for _, s := range segs {
			if !bitbucketSlug.MatchString(s) || s == "." || s == ".." {
				return "", errors.New("a Bitbucket Cloud repository is workspace/repo, and a workspace is its ID")
			}
		}
		return strings.Join(segs, "/"), nil
	},
}

// Bitbucket Data Center: PROJECT/repo or a project, and ~user/repo for a
// personal repository (whose project key is ~ and the user's slug).
//
// A repository slug "can only start with alphanumeric characters" and
// holds ASCII alphanumerics, _, - and . (the same Atlassian page). Project
// keys start with a letter and hold letters, digits and underscores in
// every Bitbucket gitpat has seen; no Atlassian page saying so was found,
// so the rule here is only as strict as a URL needs.
var (
	bitbucketDCProjectKey = regexp.MustCompile(`^~?[A-Za-z0-9_][A-Za-z0-9_.@-]*$`)
	bitbucketDCRepoSlug   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

var bitbucketDCRepoSpec = RepoSpec{
	Placeholder: "PROJECT/repo or a project key",
	Normalize: func(req Request, raw string) (string, error) {
		a, err := parseRepoAddress(raw)
		if err != nil {
			return "", err
		}
		segs := a.segs
		if a.host != "" {
			if srv, err := parseBitbucketDCServer(req.Field("url")); err == nil {
				segs = dropServerPath(srv.web, a.host, segs)
			}
		}
		bad := errors.New("a Bitbucket Data Center repository is PROJECT/repo (~user/repo when personal), and a project is its key")
		if a.host != "" {
			var ok bool
			if segs, ok = bitbucketDCAddressSegs(segs); !ok {
				return "", errors.New("paste a repository's or a project's address (…/projects/KEY/repos/SLUG, …/scm/KEY/SLUG.git), or write PROJECT/repo")
			}
		}
		switch {
		case len(segs) == 1 && bitbucketDCProjectKey.MatchString(segs[0]):
			return segs[0], nil
		case len(segs) == 2 && bitbucketDCProjectKey.MatchString(segs[0]) && bitbucketDCRepoSlug.MatchString(segs[1]):
			return segs[0] + "/" + segs[1], nil
		}
		return "", bad
	},
}

// bitbucketDCAddressSegs reads a Bitbucket Data Center address, once the
// server's own path is gone, as [PROJECT] or [PROJECT, repo]; ok is false
// for any other page:
//
//	/projects/KEY/repos/SLUG/browse    a repository's pages
//	/projects/KEY                      a project's page
//	/users/USER/repos/SLUG/browse      a personal repository (~USER/SLUG)
//	/scm/KEY/SLUG.git                  the https clone address
//	/KEY/SLUG.git                      the ssh clone address (port 7999)
//	/rest/api/latest/projects/KEY/repos/SLUG
func bitbucketDCAddressSegs(segs []string) (out []string, ok bool) {
	if len(segs) >= 3 && segs[0] == "rest" { // /rest/api/1.0/…
		segs = segs[3:]
	}
	switch {
	case len(segs) >= 4 && segs[0] == "projects" && segs[2] == "repos":
		return []string{segs[1], segs[3]}, true
	case len(segs) >= 4 && segs[0] == "users" && segs[2] == "repos":
		return []string{"~" + segs[1], segs[3]}, true
	case len(segs) >= 2 && segs[0] == "projects":
		return segs[1:2], true
	case len(segs) == 3 && segs[0] == "scm":
		return segs[1:3], true
	case len(segs) == 2 && !bitbucketDCReserved[segs[0]]:
		return segs, true // the ssh clone address
	}
	return nil, false
}

// Gerrit: a project's name, which may hold slashes ("platform/build").
//
// Web and clone addresses Gerrit shows (Gerrit's documentation: user
// URLs in user-dashboards.txt and the change screen, config-gerrit.txt
// gerrit.canonicalWebUrl, the git clone commands of the project page):
//
//	https://HOST[/prefix]/c/PROJECT/+/123[/…]   a change
//	https://HOST[/prefix]/admin/repos/PROJECT[,general]
//	https://HOST[/prefix][/a]/PROJECT           the https clone address
//	ssh://USER@HOST:29418/PROJECT               the ssh clone address
//	https://HOST[/prefix]/plugins/gitiles/PROJECT/+/refs/heads/…
var gerritProjectSegment = regexp.MustCompile(`^[^\s/\\\x00-\x1f\x7f]+$`)

var gerritRepoSpec = RepoSpec{
	PullRequests:  "changes for review",
	CaseSensitive: true, // Gerrit project names are names in the repository store: "Foo" and "foo" are two projects
	Placeholder:   "a project, such as platform/build",
	Normalize: func(req Request, raw string) (string, error) {
		a, err := parseRepoAddress(raw)
		if err != nil {
			return "", err
		}
		segs := a.segs
		if a.host != "" {
			if web, _, err := parseGerritServer(req.Field("url")); err == nil {
				segs = dropServerPath(web, a.host, segs)
			}
			var ok bool
			if segs, ok = gerritAddressSegs(segs); !ok {
				return "", errors.New("paste a change's, a repository's or a clone address, or write the project's name")
			}
		}
		segs = splitProject(segs)
		if len(segs) == 0 {
			return "", errors.New("it names no Gerrit project")
		}
		for _, s := range segs {
			if !gerritProjectSegment.MatchString(s) || s == "." || s == ".." || s == "+" {
				return "", errors.New("a Gerrit project is its name, such as platform/build")
			}
		}
		return strings.Join(segs, "/"), nil
	},
}

// gerritAddressSegs reads a Gerrit address, once the server's own path is
// gone, as the project's name in segments; ok is false for Gerrit's other
// pages.
func gerritAddressSegs(segs []string) (project []string, ok bool) {
	switch {
	case len(segs) >= 2 && segs[0] == "c":
		// /c/PROJECT/+/123: the project runs up to "+"
		project, _, _ := cutAt(segs[1:], "+")
		return project, true
	case len(segs) >= 3 && segs[0] == "admin" && segs[1] == "repos":
		// /admin/repos/PROJECT,general: the project is one escaped segment
		// (decoded already), and the page's name follows a comma.
		last := segs[len(segs)-1]
		if name, page, found := strings.Cut(last, ","); found && gerritRepoPages[page] {
			segs = append(segs[:len(segs)-1:len(segs)-1], name)
		}
		return segs[2:], true
	case len(segs) >= 3 && segs[0] == "plugins" && segs[1] == "gitiles":
		project, _, _ := cutAt(segs[2:], "+")
		return project, true
	case len(segs) >= 2 && segs[0] == "a": // the authenticated clone address
		return segs[1:], true
	case len(segs) > 0 && !gerritReserved[segs[0]]:
		return segs, true // the clone address
	}
	return nil, false
}

// gerritRepoPages are the pages of a repository's admin screen, after the
// comma in /admin/repos/PROJECT,PAGE.
var gerritRepoPages = map[string]bool{"general": true, "access": true, "commands": true, "branches": true, "tags": true, "dashboards": true}

// splitProject splits segments that held an escaped "/" (platform%2Fbuild)
// into the project's segments.
func splitProject(segs []string) []string {
	var out []string
	for _, s := range segs {
		out = append(out, strings.Split(s, "/")...)
	}
	return out
}
