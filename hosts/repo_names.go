package hosts

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// repoAddress is one entry of the repository field taken apart: the host
// and path of a URL, an scp-like clone address (git@host:path) or a plain
// name.
type repoAddress struct {
	host string   // "" for a plain name
	segs []string // the path's segments, decoded, without ".git" at the end
}

// parseRepoAddress reads what people paste as a repository: a name
// ("owner/repo"), a web or clone URL (https://, ssh://, git://), or an
// scp-like clone address (git@github.com:owner/repo.git).
func parseRepoAddress(raw string) (repoAddress, error) {
	s := strings.TrimSpace(raw)
	if strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return repoAddress{}, errors.New("it contains a control character")
	}
	var a repoAddress
	path := s
	switch {
	case strings.Contains(s, "://"):
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return repoAddress{}, errors.New("it is not a valid address")
		}
		a.host, path = strings.ToLower(u.Hostname()), u.EscapedPath()
	case scpAddress.MatchString(s):
		m := scpAddress.FindStringSubmatch(s)
		a.host, path = strings.ToLower(m[1]), m[2]
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "" {
			continue
		}
		if a.host != "" {
			dec, err := url.PathUnescape(seg)
			if err != nil {
				return repoAddress{}, errors.New("it is not a valid address")
			}
			seg = dec
		}
		a.segs = append(a.segs, seg)
	}
	if n := len(a.segs); n > 0 && a.host != "" {
		a.segs[n-1] = strings.TrimSuffix(a.segs[n-1], ".git")
	}
	if len(a.segs) == 0 {
		return repoAddress{}, errors.New("it names no repository")
	}
	return a, nil
}

// scpAddress is git's scp-like syntax: [user@]host:path.
var scpAddress = regexp.MustCompile(`^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):([^/].*)$`)

// cutAt returns the segments before the first one equal to stop, and
// whether it was there.
func cutAt(segs []string, stop string) ([]string, []string, bool) {
	for i, s := range segs {
		if s == stop {
			return segs[:i], segs[i+1:], true
		}
	}
	return segs, nil, false
}

// dropServerPath drops the server's own path (a sub-path install's
// /gitlab, a context path such as /bitbucket, Gerrit's /r) from the
// segments of an address on host, when web, the server's address the url
// field names, is on that host and its whole path leads the segments.
func dropServerPath(web, host string, segs []string) []string {
	u, err := url.Parse(web)
	if err != nil || !strings.EqualFold(u.Hostname(), host) {
		return segs
	}
	var path []string
	for _, p := range strings.Split(u.Path, "/") {
		if p != "" {
			path = append(path, p)
		}
	}
	if len(path) > len(segs) || !slices.Equal(segs[:len(path)], path) {
		return segs
	}
	return segs[len(path):]
}

// GitHub: owner/repo or an organization (or user) owner.

var (
	githubOwnerName = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	githubRepoName  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

var githubRepoSpec = RepoSpec{
	Placeholder: "owner/repo or an organization, one per line",
	Normalize: func(_ Request, raw string) (string, error) {
		a, err := parseRepoAddress(raw)
		if err != nil {
			return "", err
		}
		segs := a.segs
		if a.host != "" {
			if len(segs) >= 2 && segs[0] == "orgs" { // https://github.com/orgs/ORG/repositories
				segs = segs[1:2]
			}
			if len(segs) >= 4 && segs[0] == "api" && segs[1] == "v3" { // a GHES API address
				segs = segs[2:]
			}
			if len(segs) >= 3 && segs[0] == "repos" { // an API address: /repos/OWNER/REPO
				segs = segs[1:]
			}
			segs = segs[:min(len(segs), 2)] // /OWNER/REPO/tree/main, /pull/1 ...
		}
		switch {
		case len(segs) == 1 && githubOwnerName.MatchString(segs[0]):
			return segs[0], nil
		case len(segs) == 2 && githubOwnerName.MatchString(segs[0]) && githubRepoName.MatchString(segs[1]) && segs[1] != "." && segs[1] != "..":
			return segs[0] + "/" + segs[1], nil
		}
		return "", errors.New("a GitHub repository is owner/repo, and an organization is its name")
	},
}

// GitLab: group/subgroup/project or a group's full path.

var gitlabPathSegment = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$`)

var gitlabRepoSpec = RepoSpec{
	Placeholder:  "group/subgroup/project or a group, one per line",
	PullRequests: "merge requests",
	Normalize: func(req Request, raw string) (string, error) {
		a, err := parseRepoAddress(raw)
		if err != nil {
			return "", err
		}
		segs := a.segs
		if a.host != "" {
			// A sub-path install (https://example.com/gitlab/group/project):
			// drop the server's own path first.
			if srv, err := parseGitLabServer(req); err == nil {
				segs = dropServerPath(srv.web, a.host, segs)
			}
			segs, _, _ = cutAt(segs, "-") // /group/project/-/tree/main
		}
		if len(segs) == 0 {
			return "", errors.New("it names no project or group")
		}
		for _, s := range segs {
			if !gitlabPathSegment.MatchString(s) || strings.HasSuffix(s, ".") {
				return "", errors.New("a GitLab project is group/project (with any subgroups), and a group is its full path")
			}
		}
		return strings.Join(segs, "/"), nil
	},
}

// Azure DevOps, TFS and Azure DevOps Server: Project/Repository or a
// project. Names may hold spaces but none of \ / : * ? " < > | ; # $ { }
// + = [ ] , (Azure DevOps naming restrictions).

const azureNameForbidden = `\/:*?"<>|;#${}+=[],`

var azureRepoSpec = RepoSpec{
	Placeholder: "Project/Repository or a project, one per line",
	Normalize: func(req Request, raw string) (string, error) {
		a, err := parseRepoAddress(raw)
		if err != nil {
			return "", err
		}
		project, repo := "", ""
		segs := a.segs
		switch before, after, isGit := cutAt(segs, "_git"); {
		case a.host == "ssh.dev.azure.com" && len(segs) == 4 && segs[0] == "v3":
			// git@ssh.dev.azure.com:v3/ORG/PROJECT/REPO
			project, repo = segs[2], segs[3]
		case a.host != "" && isGit && len(after) > 0:
			// …/[COLLECTION/]PROJECT/_git/REPO; COLLECTION/_git/REPO names
			// the repository named like its project.
			repo = after[0]
			rest := azureDropCollection(req, a.host, before)
			switch len(rest) {
			case 0:
				project = repo
			case 1:
				project = rest[0]
			default:
				return "", errors.New("gitpat cannot tell the project in that address: write Project/Repository")
			}
		case a.host != "":
			return "", errors.New("paste the repository's address (with /_git/), or write Project/Repository")
		case len(segs) == 1:
			project = segs[0]
		case len(segs) == 2:
			project, repo = segs[0], segs[1]
		default:
			return "", errors.New("write Project/Repository, or a project's name")
		}
		for _, n := range []string{project, repo} {
			if n != "" && (strings.ContainsAny(n, azureNameForbidden) || len(n) > 64 || strings.HasPrefix(n, "_") || strings.HasSuffix(n, ".")) {
				return "", errors.New("Azure DevOps names cannot hold " + azureNameForbidden + ", start with _ or end with a period")
			}
		}
		if repo == "" {
			return strings.TrimSpace(project), nil
		}
		return strings.TrimSpace(project) + "/" + strings.TrimSpace(repo), nil
	},
}

// azureDropCollection drops the organization or collection from the path
// segments before /_git/: dev.azure.com/ORG, ORG.visualstudio.com (whose
// collection is implicit, or DefaultCollection), and on premises the
// collection URL's path the user entered, else /tfs/COLLECTION or
// /COLLECTION.
func azureDropCollection(req Request, host string, segs []string) []string {
	drop := 1
	switch {
	case host == "dev.azure.com":
	case strings.HasSuffix(host, ".visualstudio.com"):
		drop = 0
		if len(segs) > 0 && strings.EqualFold(segs[0], "DefaultCollection") {
			drop = 1
		}
	default:
		if u, err := parseCollectionURL(req.Field("url")); err == nil && strings.EqualFold(u.Hostname(), host) {
			drop = len(strings.Split(strings.Trim(u.Path, "/"), "/"))
		} else if len(segs) > 0 && strings.EqualFold(segs[0], "tfs") {
			drop = 2
		}
	}
	return segs[min(drop, len(segs)):]
}

// AWS CodeCommit: a repository name (CodeCommit API reference,
// CreateRepository: letters, digits, . _ and -, up to 100 characters).

var codecommitRepoName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

var codecommitRepoSpec = RepoSpec{
	Placeholder:   "repository name, one per line",
	CaseSensitive: true, // "names are case sensitive" (CodeCommit User Guide, Quotas)
	Normalize: func(req Request, raw string) (string, error) {
		s := strings.TrimSpace(raw)
		region, name := "", s
		switch {
		case strings.HasPrefix(s, "arn:"):
			// arn:aws:codecommit:REGION:ACCOUNT:NAME
			parts := strings.Split(s, ":")
			if len(parts) != 6 || parts[2] != "codecommit" {
				return "", errors.New("it is not a CodeCommit repository's ARN")
			}
			region, name = parts[3], parts[5]
		case strings.HasPrefix(s, "codecommit:"):
			// git-remote-codecommit: codecommit://NAME, codecommit::REGION://NAME
			rest := strings.TrimPrefix(strings.TrimPrefix(s, "codecommit:"), ":")
			if r, n, ok := strings.Cut(rest, "://"); ok {
				region, name = r, n
			} else {
				name = strings.TrimPrefix(rest, "//")
			}
			if at := strings.LastIndex(name, "@"); at >= 0 { // codecommit://PROFILE@NAME
				name = name[at+1:]
			}
		case strings.Contains(s, "://"):
			a, err := parseRepoAddress(s)
			if err != nil {
				return "", err
			}
			// https://git-codecommit.REGION.amazonaws.com/v1/repos/NAME, or the
			// console's .../codecommit/repositories/NAME/browse?region=...
			if _, after, ok := cutAt(a.segs, "repos"); ok && len(after) > 0 {
				name = after[0]
			} else if _, after, ok := cutAt(a.segs, "repositories"); ok && len(after) > 0 {
				name = after[0]
			} else {
				return "", errors.New("paste the repository's clone address (…/v1/repos/NAME) or its name")
			}
			if strings.HasPrefix(a.host, "git-codecommit.") {
				region = strings.Split(strings.TrimPrefix(a.host, "git-codecommit."), ".")[0]
			} else if u, err := url.Parse(s); err == nil && u.Query().Get("region") != "" {
				region = u.Query().Get("region")
			}
		}
		if !codecommitRepoName.MatchString(name) {
			return "", errors.New("a CodeCommit repository name has letters, digits, '.', '_' and '-' only")
		}
		if want, err := codecommitRegion(req.Field("region")); region != "" && err == nil && region != want {
			return "", errors.New("that repository is in " + region + ", but the region chosen is " + want)
		}
		return name, nil
	},
}
