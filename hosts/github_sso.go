package hosts

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// HOSTS: SAML single sign-on on GitHub (github/docs content/rest/
// authentication/authenticating-to-the-rest-api.md, "Personal access
// tokens and SAML SSO", github.com and Enterprise Cloud only):
//   - a classic token must be authorized for each organization that
//     enforces SAML SSO; fine-grained tokens are authorized when created;
//   - a request for one such organization's resources answers 404 or 403,
//     the 403 with "X-GitHub-SSO: required; url=…", a link that authorizes
//     the token and "expires after one hour";
//   - a list across organizations leaves theirs out and says
//     "X-GitHub-SSO: partial-results; organizations=21955855,20582480",
//     their IDs.
// GET /user/repos is such a list, and any token may call it; GET
// /user/orgs, which the check used to read, refuses a classic token
// without read:org or user (github/rest-api-description, operation
// orgs/list-for-authenticated-user), so it never showed SSO for the repo
// token gitpat asks for.
//
// An ID becomes a name through GET /organizations/{id}, which answers like
// GET /orgs/{org}: not in GitHub's OpenAPI description, but used by
// go-github's OrganizationsService.GetByID ("the undocumented GitHub API
// endpoint", google/go-github github/orgs.go, openapi_operations.yaml).
// It is a request for one organization, so for one that has not
// authorized the token the documented rule above applies: 404, or 403 with
// the required;url= header, whose path (/orgs/LOGIN/sso) names the
// organization and whose URL authorizes the token. That this route follows
// it is inferred, not recorded from GitHub; a third-party client notes "the
// org login lookup is itself SSO-gated". Any other answer leaves the
// organization named by its ID, and the verdict stands on the list's
// header alone.

// githubSSONeed is what missing or unverified calls the authorization.
const githubSSONeed = "SAML SSO authorization"

// githubLogin is the shape of an organization or enterprise login.
var githubLogin = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)

// githubRepo is the part of GET /user/repos a check reports.
type githubRepo struct {
	FullName string `json:"full_name"`
}

// githubWithheld returns the IDs of the organizations a 200 list says it
// left out (X-GitHub-SSO: partial-results), in order, without repeats.
// Only numbers count: an ID goes into a request path.
func githubWithheld(a answer) []string {
	if a.err != nil || a.resp == nil || a.resp.Status != http.StatusOK {
		return nil
	}
	kind, params := githubSSOHeader(a.resp.Header)
	if kind != "partial-results" {
		return nil
	}
	_, list, _ := strings.Cut(params, "organizations=")
	list, _, _ = strings.Cut(list, ";")
	var ids []string
	seen := map[string]bool{}
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		if n, err := strconv.ParseUint(id, 10, 63); err != nil || n == 0 || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	return ids
}

// githubSSOHeader splits X-GitHub-SSO into its kind ("required",
// "partial-results") and the rest.
func githubSSOHeader(h http.Header) (kind, params string) {
	k, p, _ := strings.Cut(h.Get("X-Github-Sso"), ";")
	return strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(p)
}

// githubReach reads GET /user/repos: whether single sign-on withholds
// organizations from the token, and the repositories it reaches. fine says
// the token is fine-grained.
func githubReach(r *Report, a githubAnswers, srv githubServer, name string, fine bool, now time.Time) {
	repos, problem := githubRepoList(a.repos, srv, name, now)
	if problem != nil {
		if fine || srv.ghes {
			// Fine-grained tokens are authorized for SSO when they are
			// created, and Enterprise Server has no per-token SSO: the
			// list only informs.
			r.add(Finding{Level: Warn, Text: "gitpat could not list the repositories the token reaches. " + problem.Text, Fix: problem.Fix})
			return
		}
		r.Unverified = append(r.Unverified, githubSSONeed)
		if len(r.Missing) == 0 {
			// Nothing is proven missing: a retry may well end in Ready.
			r.Outcome = Unchecked
			r.Summary = "The token works, but gitpat could not check SAML single sign-on: test again."
		}
		r.add(Finding{Level: Error,
			Text: "gitpat could not check SAML single sign-on, which hides an organization's repositories from a token it has not authorized. " + problem.Text,
			Fix:  problem.Fix})
		return
	}
	githubSSO(r, a, srv)
	if len(repos) == 0 {
		if fine {
			r.Outcome = max(r.Outcome, Insufficient)
			r.Missing = append(r.Missing, "Repository access")
			r.add(Finding{Level: Error, Text: "It reaches no repositories.",
				Fix:  "Edit the token and grant it the repositories Jira should see (Repository access).",
				Link: srv.web + "/settings/personal-access-tokens"})
			return
		}
		r.add(Finding{Level: Warn, Text: "It reaches no repositories: the integration would see none.",
			Fix: "Make sure this account can open the repositories Jira should see."})
		return
	}
	names := make([]string, 0, len(repos))
	for _, rp := range repos {
		names = append(names, serverText(rp.FullName, ""))
	}
	more := ""
	if len(repos) >= 100 {
		more = " or more"
	}
	r.add(Finding{Level: Info, Text: fmt.Sprintf("It reaches %d%s repositories: %s.", len(repos), more, shortList(names, 5))})
}

// githubRepoList reads the list GET /user/repos answered; the finding says
// why there is none.
func githubRepoList(a answer, srv githubServer, name string, now time.Time) ([]githubRepo, *Finding) {
	if a.err != nil {
		_, f := transportFinding(a.err, name)
		return nil, &f
	}
	if _, f, ok := githubFailure(a.resp, srv, name, now); !ok {
		return nil, &f
	}
	var repos []githubRepo
	if !isJSON(a.resp.Header) || json.Unmarshal(a.resp.Body, &repos) != nil {
		return nil, &Finding{Level: Error, Text: name + " answered the list of repositories with something that is not GitHub's API.",
			Fix: "Test again; if it persists, check your network and the server address."}
	}
	return repos, nil
}

// githubSSO reports the organizations whose SAML single sign-on has not
// authorized the token, each named with its authorize link where GitHub
// tells them.
func githubSSO(r *Report, a githubAnswers, srv githubServer) {
	kind, params := githubSSOHeader(a.repos.resp.Header)
	switch kind {
	case "partial-results":
	case "required":
		// Not expected on a list; believe it all the same.
		missingSSO(r)
		link := srv.web + "/settings/tokens"
		if u := githubSSOLink(params, srv); u != nil {
			link = u.String()
		}
		r.add(Finding{Level: Error, Text: "An organization requires SAML single sign-on authorization for this token.",
			Fix: "Open the link, sign in with your identity provider and authorize the token.", Link: link})
		return
	default:
		return
	}
	missingSSO(r)
	var unnamed []string
	looked := map[string]bool{}
	for _, o := range a.orgs {
		looked[o.id] = true
		label, link := githubOrgName(o.answer, srv)
		if label == "" {
			unnamed = append(unnamed, o.id)
			continue
		}
		f := Finding{Level: Error,
			Text: label + " uses SAML single sign-on and has not authorized this token: the integration cannot see its repositories.",
			Fix:  "Open the link within the hour, sign in with the organization's identity provider and authorize the token (later: Configure SSO next to the token on your tokens page).",
			Link: link}
		if link == "" {
			f.Fix = "On your tokens page, choose Configure SSO next to this token and click Authorize for " + strings.TrimPrefix(label, "The organization ") + "."
			f.Link = srv.web + "/settings/tokens"
		}
		r.add(f)
	}
	for _, id := range githubWithheld(a.repos) {
		if !looked[id] {
			unnamed = append(unnamed, id)
		}
	}
	fix := "On your tokens page, choose Configure SSO next to this token and click Authorize for each organization."
	switch {
	case len(unnamed) == 1:
		r.add(Finding{Level: Error, Text: "An organization (ID " + unnamed[0] + ") uses SAML single sign-on and has not authorized this token: the integration cannot see its repositories.",
			Fix: fix, Link: srv.web + "/settings/tokens"})
	case len(unnamed) > 1:
		r.add(Finding{Level: Error, Text: fmt.Sprintf("%d organizations use SAML single sign-on and have not authorized this token (IDs %s): the integration cannot see their repositories.",
			len(unnamed), shortList(unnamed, 10)), Fix: fix, Link: srv.web + "/settings/tokens"})
	case len(a.orgs) == 0:
		// partial-results with no readable ID.
		r.add(Finding{Level: Error, Text: "Organizations that use SAML single sign-on have not authorized this token: the integration cannot see their repositories.",
			Fix: fix, Link: srv.web + "/settings/tokens"})
	}
}

// missingSSO records the proven lack of an SSO authorization.
func missingSSO(r *Report) {
	r.Outcome = max(r.Outcome, Insufficient)
	if len(r.Missing) == 0 && r.Summary == "" {
		r.Summary = "The token works, but not every organization has authorized it for SAML single sign-on: the integration would miss their repositories."
	}
	r.Missing = append(r.Missing, githubSSONeed)
}

// githubOrgName reads GET /organizations/{id}: who the organization is, as
// "The organization LOGIN", and the link that authorizes the token when
// GitHub refused with one; "" when GitHub would not say.
func githubOrgName(a answer, srv githubServer) (label, link string) {
	if a.err != nil || a.resp == nil {
		return "", ""
	}
	switch a.resp.Status {
	case http.StatusOK:
		var o struct {
			Login string `json:"login"`
		}
		if isJSON(a.resp.Header) && json.Unmarshal(a.resp.Body, &o) == nil && githubLogin.MatchString(o.Login) {
			return "The organization " + o.Login, ""
		}
	case http.StatusForbidden:
		kind, params := githubSSOHeader(a.resp.Header)
		u := githubSSOLink(params, srv)
		if kind != "required" || u == nil {
			return "", ""
		}
		// /orgs/LOGIN/sso, or /enterprises/SLUG/sso when the enterprise
		// runs single sign-on for its organizations.
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) != 3 || parts[2] != "sso" || !githubLogin.MatchString(parts[1]) {
			return "", ""
		}
		switch parts[0] {
		case "orgs":
			return "The organization " + parts[1], u.String()
		case "enterprises":
			return "An organization of the enterprise " + parts[1], u.String()
		}
	}
	return "", ""
}

// githubSSOLink reads the url= of X-GitHub-SSO: required. Only an https
// link to the GitHub being checked is shown.
func githubSSOLink(params string, srv githubServer) *url.URL {
	raw, ok := strings.CutPrefix(strings.TrimSpace(params), "url=")
	if !ok {
		return nil
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	web, err2 := url.Parse(srv.web)
	if err != nil || err2 != nil || u.Scheme != "https" || u.User != nil || !strings.EqualFold(u.Host, web.Host) {
		return nil
	}
	u.Host = web.Host
	return u
}
