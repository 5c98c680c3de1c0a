package hosts

// The proof for the projects and repositories a user names on Azure DevOps
// Services, TFS and Azure DevOps Server: which requests the extra round
// sends (what the answers decide is in azure_repos_answers.go). The base
// round's repository list already says what exists and what the token
// reads; one more round, all at once, asks the Security service what the
// account may do there, and for a project missing from the list, the
// project's own list.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gitpat/gitpat/internal/httpx"
)

// azureGitNamespace is the Git Repositories security namespace, and the
// bits gitpat evaluates in it (azure-devops-docs, organizations/security/
// namespace-reference.md; MicrosoftDocs/vsts-rest-api-specs at adb28786,
// specification/security/5.0/httpExamples/securityNamespaces/
// GET__securitynamespaces_.json: GenericContribute 4 "Contribute",
// CreateBranch 16 "Create branch", PullRequestContribute 16384
// "Contribute to pull requests"). TFS 2017 and 2018 have no
// PullRequestContribute: their namespace ends at 8192, ManagePermissions
// (specification/security/tfs-4.1/httpExamples/securityNamespaces/
// GET__securitynamespaces_-onprem.json); Azure DevOps Server 2019 has it
// (azure-devops-server-5.0, the same example). GenericRead is not asked:
// a repository the list shows has been read already.
const azureGitNamespace = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87"

const (
	azureContribute            = 4
	azureCreateBranch          = 16
	azurePullRequestContribute = 16384
)

// azureMaxQuery keeps a permissions request's query string within IIS's
// default limit, 2048 bytes (learn: IIS settings schema, requestLimits
// maxQueryString); a longer one gets "HTTP Error 404.15" from a server
// left at its defaults. Tokens are split over several requests instead.
const azureMaxQuery = 2048

// azureRepo is one repository of a list.
type azureRepo struct {
	id, name, projectID, project string
	// disabled: listed, but its contents can be neither read nor changed
	// (Azure DevOps release notes, 2021, Sprint 184, "Disable a
	// repository"). isDisabled is absent before Services 7.x and Server
	// 2022, which had no such thing (GitRepository in the specification's
	// git folders).
	disabled bool
}

// parseAzureRepoList reads a git/repositories answer in full.
func parseAzureRepoList(body []byte) ([]azureRepo, error) {
	var list struct {
		Value []struct {
			ID         string `json:"id"`
			Name       string `json:"name"`
			IsDisabled bool   `json:"isDisabled"`
			Project    struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"project"`
		} `json:"value"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, err
	}
	if list.Value == nil {
		return nil, errors.New("not a repository list")
	}
	repos := make([]azureRepo, 0, len(list.Value))
	for _, v := range list.Value {
		repos = append(repos, azureRepo{id: v.ID, name: v.Name, projectID: v.Project.ID, project: v.Project.Name, disabled: v.IsDisabled})
	}
	return repos, nil
}

// azureRepoRound is what the base round leaves for the repositories' own.
type azureRepoRound struct {
	list        answer          // the organization's or collection's repository list
	listVersion string          // the api-version that list answered
	ceiling     azureAPIVersion // on premises: the newest api-version, when known
}

// azurePermAPI is how to ask the Security service on this server.
type azurePermAPI struct {
	version      string
	pullRequests bool   // the namespace has PullRequestContribute
	release      string // on premises, when known: "TFS 2018 Update 2 or later"
	// settingsPages: Project settings → Repositories exists, with its
	// Security tab (Services, and Azure DevOps Server 2019 on; TFS has
	// Project settings → Version Control instead: azure-devops-docs,
	// repos/git/set-git-repository-permissions.md).
	settingsPages bool
}

// permissionsAPI picks the api-version of Has Permissions:
// GET {collection}/_apis/permissions/{namespace}/{bits} is released at
// 4.1, 5.0, 5.1, 6.0, 7.0 and 7.1, and a preview at 5.2, 6.1 and 7.2
// (specification/security/*/security.json and the on-premises
// security-onprem.json, x-ms-docs-override-version and x-ms-preview); its
// plural form, tokens=, "works with Version 2.2 and above" on TFS 2015 to
// 2018 (azure-devops-docs, integrate/previous-apis/security/
// permissions.md). So Services gets 7.1, a server the newest released one
// it supports, and TFS 2017 or 2018 RTM 2.2.
func (c azureCheck) permissionsAPI(round azureRepoRound) azurePermAPI {
	if !c.onPrem {
		return azurePermAPI{version: "7.1", pullRequests: true, settingsPages: true}
	}
	v := round.ceiling
	if !v.known() {
		// The probe gave no ceiling: the Azure DevOps Server tab's list
		// answered at 5.0, so the server has it; otherwise nothing is known.
		if round.listVersion == "5.0" {
			return azurePermAPI{version: "5.0", pullRequests: true, settingsPages: true}
		}
		return azurePermAPI{version: "2.2"}
	}
	api := azurePermAPI{version: "2.2", pullRequests: v.atLeast(5, 0), release: azureRelease(v), settingsPages: v.atLeast(5, 0)}
	for _, r := range []azureAPIVersion{{7, 1}, {7, 0}, {6, 0}, {5, 0}, {4, 1}} {
		if v.atLeast(r.major, r.minor) {
			api.version = fmt.Sprintf("%d.%d", r.major, r.minor)
			break
		}
	}
	return api
}

// azurePlace is a named place as the list shows it.
type azurePlace struct {
	name, project, repo string     // repo is "" for a project
	repository          *azureRepo // the repository, when the list has it
	projectID           string     // "" when the list has none of the project's repositories
	inProject           []azureRepo
}

// token is the place's Security token: repoV2/PROJECT_ID/REPO_ID for a
// repository, repoV2/PROJECT_ID for a project's repositories as a whole
// (namespace-reference.md, Git Repositories); "" when the list does not
// have it.
func (p azurePlace) token() string {
	switch {
	case p.repository != nil:
		return "repoV2/" + p.repository.projectID + "/" + p.repository.id
	case p.repo == "" && p.projectID != "":
		return "repoV2/" + p.projectID
	}
	return ""
}

// locate finds each named place in the list. Azure DevOps names are
// compared without regard to case.
func locate(names []string, repos []azureRepo) []azurePlace {
	places := make([]azurePlace, len(names))
	for i, name := range names {
		p := azurePlace{name: name}
		p.project, p.repo, _ = strings.Cut(name, "/")
		for j, r := range repos {
			if !strings.EqualFold(r.project, p.project) {
				continue
			}
			p.projectID = r.projectID
			p.inProject = append(p.inProject, r)
			if p.repo != "" && p.repository == nil && strings.EqualFold(r.name, p.repo) {
				p.repository = &repos[j]
			}
		}
		places[i] = p
	}
	return places
}

// repositories proves the named places. It runs only for a token whose
// repository list answered (or was refused: then it can read none).
func (c azureCheck) repositories(r *Report, names []string, round azureRepoRound, fetch func(string) func() (*httpx.Response, error)) {
	if !slices.Contains(r.Scopes, "Code (read)") {
		if slices.Contains(r.Missing, azureNeeds[0]) {
			r.Repositories = c.unreadable(names)
		}
		return
	}
	repos, err := parseAzureRepoList(round.list.resp.Body)
	if err != nil {
		return // c.code has judged that answer
	}
	api := c.permissionsAPI(round)
	places := locate(names, repos)

	var tokens, askProjects []string
	for _, p := range places {
		if t := p.token(); t != "" && !slices.Contains(tokens, t) {
			tokens = append(tokens, t)
		}
		if p.projectID == "" && !slices.ContainsFunc(askProjects, func(q string) bool { return strings.EqualFold(q, p.project) }) {
			askProjects = append(askProjects, p.project)
		}
	}
	bits := []int{azureCreateBranch, azureContribute}
	if api.pullRequests {
		bits = append(bits, azurePullRequestContribute)
	}
	type permCall struct {
		bit    int
		tokens []string
	}
	var calls []func() (*httpx.Response, error)
	var permCalls []permCall
	for _, chunk := range c.tokenChunks(tokens, api.version) {
		for _, bit := range bits {
			permCalls = append(permCalls, permCall{bit, chunk})
			calls = append(calls, fetch(c.permissionsURL(bit, chunk, api.version)))
		}
	}
	for _, p := range askProjects {
		calls = append(calls, fetch(c.base+"/"+url.PathEscape(p)+"/_apis/git/repositories?api-version="+round.listVersion))
	}
	answers := parallelAtMost(repoParallelism, calls)

	perms := azurePerms{}
	for i, pc := range permCalls {
		perms.add(pc.bit, pc.tokens, c.permAnswer(answers[i], len(pc.tokens)))
	}
	projects := map[string]azureProjectAnswer{}
	for i, p := range askProjects {
		projects[strings.ToLower(p)] = c.projectAnswer(answers[len(permCalls)+i])
	}
	r.Repositories = c.repoReports(places, projects, perms, api)
	if slices.ContainsFunc(r.Repositories, func(rp RepoReport) bool { return isTrue(rp.Found) }) {
		r.add(Finding{Level: Info, Text: "Where gitpat found the places you named, it proves that the token reads them (Azure DevOps lists a repository only to a token with Code read whose account may read it) and what your account may do there. " +
			"It cannot prove that the token has " + c.writeName + ", which creating branches and pull requests needs: wherever your account may, those stay \"not proven\"."})
	}
}

// unreadable reports the places for a token that may list no repository:
// it reads none, and without Code read it has no Code write either (the
// write scope includes reading: vso.code_write "Grants the ability to
// read, update, and delete source code").
func (c azureCheck) unreadable(names []string) []RepoReport {
	out := make([]RepoReport, len(names))
	for i, name := range names {
		out[i] = RepoReport{Name: name, Kind: azureKind(name), Read: proven(false), Branch: proven(false), PullRequest: proven(false),
			Findings: []Finding{{Level: Error, Text: "The token may not read code in " + c.place + " (see above), so it can do nothing in " + name + "."}}}
	}
	return out
}

func azureKind(name string) string {
	if strings.Contains(name, "/") {
		return "repository"
	}
	return "project"
}

// tokenChunks splits the tokens over requests whose query strings stay
// within azureMaxQuery.
func (c azureCheck) tokenChunks(tokens []string, version string) [][]string {
	room := azureMaxQuery - len(c.permissionsQuery(azurePullRequestContribute, nil, version))
	var chunks [][]string
	var chunk []string
	used := 0
	for _, t := range tokens {
		if len(chunk) > 0 && used+1+len(t) > room {
			chunks = append(chunks, chunk)
			chunk, used = nil, 0
		}
		chunk = append(chunk, t)
		used += len(t) + 1
	}
	if len(chunk) > 0 {
		chunks = append(chunks, chunk)
	}
	return chunks
}

// permissionsURL asks whether the caller has one permission bit on each
// token (Permissions_Has Permissions: "Evaluates whether the caller has
// the specified permissions on the specified set of security tokens").
// alwaysAllowAdministrators=true ("If true and if the caller is an
// administrator, always return true"): gitpat uses only a false, so an
// administrator, whom Azure DevOps may let through whatever the lists
// say, is never reported as not allowed. The tokens, repoV2/ and GUIDs,
// need no escaping; commas separate them (the default delimiter).
func (c azureCheck) permissionsURL(bit int, tokens []string, version string) string {
	return c.base + "/_apis/permissions/" + azureGitNamespace + "/" + fmt.Sprint(bit) + "?" + c.permissionsQuery(bit, tokens, version)
}

func (c azureCheck) permissionsQuery(bit int, tokens []string, version string) string {
	return "tokens=" + strings.Join(tokens, ",") + "&alwaysAllowAdministrators=true&api-version=" + version
}
