package hosts

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gitpat/gitpat/internal/httpx"
)

// The Gerrit projects the user named. A Gerrit HTTP password has no scopes
// of its own: it signs in as the account, so what the account may do is
// what the integration may do. The requests, all GETs (Gerrit's
// rest-api-projects.txt):
//
//   - GET /a/projects/{name}: the ProjectInfo, with its state (ACTIVE,
//     READ_ONLY, HIDDEN). A project that does not exist and one the account
//     may not see (ProjectPermission.ACCESS: "can read at least one ref",
//     or project owner) both answer 404 (ProjectsCollection.parse returns
//     ResourceNotFoundException for either); a HIDDEN project answers 409
//     to all but its owners ("project state HIDDEN does not permit read",
//     ProjectState.checkStatePermitsRead).
//   - GET /a/projects/{name}/branches/?n=3: the branches the account may
//     read (List Branches lists only visible refs; HEAD and refs/meta/config
//     come first, so three entries reach a refs/heads/ one if there is any).
//   - NOT GET /a/projects/{name}/access, although its can_add
//     (ProjectPermission.CREATE_REF) would prove "no branch can be
//     created": answering it, Gerrit commits updated group names to the
//     project's refs/meta/config when they changed (GetAccess.java:
//     config.updateGroupNames(...) then md.setMessage("Update group
//     names\n"); config.commit(md)), and a check never causes a write on
//     a server, not even Gerrit's own housekeeping.
//   - Only for an account with View Access (viewAccess, or Administrate
//     Server), GET /a/projects/{name}/check.access?account=ID&perm=P&ref=R
//     ("This requires the View Access global capability"; "This endpoint
//     can also be accessed as a POST request (deprecated)": older versions
//     have only the POST, which gitpat does not send), which answers
//     whether the account may
//     create a new branch (perm=create, ref=refs/heads/NAME) and push it for
//     review (perm=push on refs/for/refs/heads/NAME: RefControl.canUpload is
//     Push on "refs/for/" + the branch). It checks one ref name: a branch of
//     the name gerritProbeBranch stands for the branches the integration
//     creates.
//
// Without View Access, Gerrit tells no account whether it may push for
// review or create a branch of a given name, so those stay "not proven"
// with the project's access page to check them on.

// gerritProbeBranch is the branch name the access check asks about: a
// top-level name, as the integration's branches are by default.
const gerritProbeBranch = "gitpat-check"

// gerritPlaceCalls are the requests about the named projects; viewAccess
// adds the access checks for the account id.
func gerritPlaceCalls(get func(path string) func() (*httpx.Response, error), names []string, viewAccess bool, accountID int64) [][]func() (*httpx.Response, error) {
	out := make([][]func() (*httpx.Response, error), len(names))
	for i, name := range names {
		p := "/a/projects/" + url.PathEscape(name)
		out[i] = append(out[i], get(p), get(p+"/branches/?n=3"))
		if viewAccess {
			check := func(perm, ref string) func() (*httpx.Response, error) {
				q := url.Values{"account": {fmt.Sprint(accountID)}, "perm": {perm}, "ref": {ref}}
				return get(p + "/check.access?" + q.Encode())
			}
			out[i] = append(out[i], check("create", "refs/heads/"+gerritProbeBranch), check("push", "refs/for/refs/heads/"+gerritProbeBranch))
		}
	}
	return out
}

// gerritViewAccess reports whether the account may run access checks.
func gerritViewAccess(caps []string) bool {
	for _, c := range caps {
		if c == "viewAccess" || c == "administrateServer" {
			return true
		}
	}
	return false
}

// namedProjects judges every named project from its answers, in the order of
// gerritPlaceCalls. It does no I/O.
func (c gerritCheck) namedProjects(r *Report, names []string, answers [][]answer) {
	for i, name := range names {
		if i >= len(answers) || len(answers[i]) < 2 {
			r.Repositories = append(r.Repositories, uncheckedRepo(name, Finding{Level: Error, Text: "gitpat did not get Gerrit's answers about this project."}))
			continue
		}
		r.Repositories = append(r.Repositories, c.project(name, answers[i]))
	}
}

// project judges one project.
func (c gerritCheck) project(name string, a []answer) RepoReport {
	for _, x := range a {
		if f, failed := repoAnswerFailed(x, "The Gerrit server"); failed {
			return uncheckedRepo(name, f)
		}
	}
	accessPage := c.web + "/admin/repos/" + url.PathEscape(name) + ",access"
	rp := RepoReport{Name: name, Kind: "project"}
	no := proven(false)
	proj := a[0].resp
	switch proj.Status {
	case http.StatusOK:
	case http.StatusNotFound:
		return notFoundRepo(name, "project", Finding{Level: Error,
			Text: "Gerrit found no project " + c.quote(name) + " this account may see: it answers alike when a project does not exist and when the account may read none of its branches.",
			Fix:  "Check the name (Browse → Repositories); if it is right, ask a Gerrit administrator to give the account Read on refs/heads/* in it.",
			Link: c.web + "/admin/repos"})
	case http.StatusConflict:
		rp.Found, rp.Read, rp.Branch, rp.PullRequest = proven(true), no, no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The project is hidden (state HIDDEN): only its owners may see it, and no one may read or write it.",
			Fix: "Ask a project owner to set its state to Active, or leave it out."})
		return rp
	default:
		return uncheckedRepo(name, c.placeUnexpected(proj, "the project"))
	}
	var info struct {
		State string `json:"state"`
	}
	if !isJSON(proj.Header) || json.Unmarshal(gerritJSON(proj.Body), &info) != nil {
		return uncheckedRepo(name, c.placeUnexpected(proj, "the project"))
	}
	rp.Found = proven(true)
	rp.Read = c.readable(&rp, a[1], accessPage)
	if info.State == "HIDDEN" {
		// Only an owner sees a hidden project, and it permits no read.
		rp.Read, rp.Branch, rp.PullRequest = no, no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The project is hidden (state HIDDEN): no one may read or write it.",
			Fix: "Set its state to Active in the project's settings, or leave it out.", Link: c.web + "/admin/repos/" + url.PathEscape(name)})
		return rp
	}
	if info.State == "READ_ONLY" {
		rp.Branch, rp.PullRequest = no, no
		rp.Findings = append(rp.Findings, Finding{Level: Error, Text: "The project is read-only (state READ_ONLY): no branch can be created and nothing pushed for review.",
			Fix: "Ask a project owner to set its state to Active, or leave it out.", Link: c.web + "/admin/repos/" + url.PathEscape(name)})
		return rp
	}
	var created, review *bool
	var createMsg, reviewMsg string
	if len(a) >= 4 {
		created, createMsg = c.accessCheck(a[2])
		review, reviewMsg = c.accessCheck(a[3])
	}
	switch {
	case created != nil:
		rp.Branch = created
		if !*created {
			rp.Findings = append(rp.Findings, Finding{Level: Error,
				Text: "Gerrit's access check says the account may not create a branch such as " + gerritProbeBranch + " here" + c.reason(createMsg) + ".",
				Fix:  "Ask a project owner to grant the account (or its group) Create Reference on refs/heads/*.", Link: accessPage})
		}
	default:
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: "Gerrit does not tell an account whether it may create a branch (Create Reference on refs/heads/*) unless it has View Access, so gitpat could not prove it.",
			Fix:  "On the project's access page, check that the account (or its group) has Create Reference on refs/heads/*.", Link: accessPage})
	}
	switch {
	case review != nil:
		rp.PullRequest = review
		if !*review {
			rp.Findings = append(rp.Findings, Finding{Level: Error,
				Text: "Gerrit's access check says the account may not push for review (refs/for/refs/heads/" + gerritProbeBranch + ") here" + c.reason(reviewMsg) + ".",
				Fix:  "Ask a project owner to grant the account (or its group) Push on refs/for/refs/heads/*.", Link: accessPage})
		}
	case isFalse(rp.Branch):
		// The integration pushes for review the branches it creates.
		rp.PullRequest = no
	default:
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: "Gerrit does not tell an account whether it may push for review (Push on refs/for/refs/heads/*) unless it has View Access, so gitpat could not prove it.",
			Fix:  "On the project's access page, check that the account (or its group) has Push on refs/for/refs/heads/*.", Link: accessPage})
	}
	if isFalse(rp.Branch) {
		rp.PullRequest = no
	}
	if rp.Ready() {
		rp.Findings = append(rp.Findings, Finding{Level: Info,
			Text: "Gerrit's access check says the account may create branches (such as " + gerritProbeBranch + ") and push them for review here."})
	}
	return rp
}

// readable reads the branch list: true when the account reads a branch.
func (c gerritCheck) readable(rp *RepoReport, a answer, accessPage string) *bool {
	if a.resp.Status != http.StatusOK {
		rp.Findings = append(rp.Findings, Finding{Level: Warn,
			Text: fmt.Sprintf("Gerrit did not list the project's branches (%d %s), so gitpat could not prove the account reads them.", a.resp.Status, http.StatusText(a.resp.Status)),
			Fix:  "On the project's access page, check that the account may Read refs/heads/*.", Link: accessPage})
		return nil
	}
	var refs []struct {
		Ref string `json:"ref"`
	}
	if json.Unmarshal(gerritJSON(a.resp.Body), &refs) != nil {
		rp.Findings = append(rp.Findings, Finding{Level: Warn, Text: "gitpat could not read the project's branches, so it could not prove the account reads them."})
		return nil
	}
	for _, ref := range refs {
		if strings.HasPrefix(ref.Ref, "refs/heads/") {
			return proven(true)
		}
	}
	rp.Findings = append(rp.Findings, Finding{Level: Warn,
		Text: "The account sees no branch in this project: it is empty, or the account may not Read refs/heads/*.",
		Fix:  "On the project's access page, check that the account may Read refs/heads/*.", Link: accessPage})
	return nil
}

// accessCheck reads AccessCheckInfo ({"status": 200} or {"status": 403,
// "message": …}); nil when Gerrit gave no such answer (no GET
// check.access on this version, or no View Access after all).
func (c gerritCheck) accessCheck(a answer) (*bool, string) {
	if a.resp.Status != http.StatusOK || !isJSON(a.resp.Header) {
		return nil, ""
	}
	var info struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
	}
	if json.Unmarshal(gerritJSON(a.resp.Body), &info) != nil {
		return nil, ""
	}
	switch info.Status {
	case http.StatusOK:
		return proven(true), ""
	case http.StatusForbidden:
		return proven(false), info.Message
	}
	return nil, ""
}

// reason quotes Gerrit's own words for a denied access check.
func (c gerritCheck) reason(msg string) string {
	if msg = c.quote(msg); msg != "" {
		return " (\"" + msg + "\")"
	}
	return ""
}

func (c gerritCheck) placeUnexpected(resp *httpx.Response, what string) Finding {
	return Finding{Level: Error,
		Text: fmt.Sprintf("The Gerrit server gave an unexpected answer about %s (%d %s), so gitpat could not check it.", what, resp.Status, http.StatusText(resp.Status)),
		Fix:  "Test again later; if it persists, ask the server's administrator."}
}
