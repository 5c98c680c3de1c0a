package hoststest

// What the fake Azure DevOps answers about particular projects and
// repositories: the repository lists, a project's own list, and the
// Security service's "Has Permissions" evaluation.

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// AzureRepo is one Git repository of a fake.
type AzureRepo struct {
	Project, Name string
	// Disabled is isDisabled: the repository is listed, but its contents
	// cannot be read or changed (Azure DevOps release notes, Sprint 184,
	// "Disable a repository"). Only Services and Server 2022 have it.
	Disabled bool
}

// The bits of the Git Repositories security namespace
// 2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87 (MicrosoftDocs/vsts-rest-api-specs
// at adb28786, specification/security/5.0/httpExamples/securityNamespaces/
// GET__securitynamespaces_.json; azure-devops-docs, organizations/
// security/namespace-reference.md).
const (
	AzureRead                  = 2     // GenericRead, "Read"
	AzureContribute            = 4     // GenericContribute, "Contribute"
	AzureCreateBranch          = 16    // CreateBranch, "Create branch"
	AzurePullRequestContribute = 16384 // PullRequestContribute, "Contribute to pull requests"
)

const azureGitNamespace = "2e9eb7ed-3c0a-47d4-87c1-0ffdd275fd87"

// azureEntry is one repository as the fake serves it.
type azureEntry struct {
	id, name, projectID, project string
	disabled                     bool
	raw                          map[string]any // the list element
}

// azureCatalog is every project and repository of a fake.
type azureCatalog struct {
	mode     AzureMode
	repos    []azureEntry
	projects map[string]string     // lower(name) → id
	names    map[string]string     // project id → name
	byID     map[string]azureEntry // repository id → repository
	deny     map[string]int        // lower("Project" or "Project/Repo") → bits
	custom   bool                  // not the recorded list as it is
}

// newAzureCatalog reads the recorded repositories, or makes the options'
// own in the recorded shape: an element of repositories-services.json or
// repositories-onprem.json with its names, ids and addresses replaced.
func newAzureCatalog(t testing.TB, o AzureOptions) azureCatalog {
	c := azureCatalog{mode: o.Mode, projects: map[string]string{}, names: map[string]string{}, byID: map[string]azureEntry{}, deny: map[string]int{}}
	file := "azure/repositories-onprem.json"
	if o.Mode == AzureServices {
		file = "azure/repositories-services.json"
	}
	var recorded struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(Recorded(file), &recorded); err != nil {
		panic(err)
	}
	for k, bits := range o.Deny {
		c.deny[strings.ToLower(k)] = bits
	}
	c.custom = o.Repos != nil || len(o.Deny) > 0
	if o.Repos == nil {
		for _, raw := range recorded.Value {
			p := raw["project"].(map[string]any)
			c.add(azureEntry{id: raw["id"].(string), name: raw["name"].(string), projectID: p["id"].(string), project: p["name"].(string), raw: raw})
		}
	}
	// The newer releases list isDisabled: Services 7.x and Server 7.0 on
	// (GitRepository in specification/git/7.1 and azure-devops-server-7.0;
	// absent in tfs-4.1, azure-devops-server-5.0 and 6.0).
	hasDisabled := o.Mode == AzureServices || o.Mode == AzureServer2022
	for _, r := range o.Repos {
		if r.Disabled && !hasDisabled {
			t.Errorf("fake Azure DevOps: %s cannot be disabled on this release", r.Name)
		}
		e := azureEntry{id: azureID(r.Project + "/" + r.Name), name: r.Name, projectID: azureID(r.Project), project: r.Project, disabled: r.Disabled}
		e.raw = c.render(recorded.Value[0], e, hasDisabled)
		c.add(e)
	}
	for _, p := range o.EmptyProjects {
		c.projects[strings.ToLower(p)] = azureID(p)
		c.names[azureID(p)] = p
	}
	return c
}

func (c *azureCatalog) add(e azureEntry) {
	c.repos = append(c.repos, e)
	c.projects[strings.ToLower(e.project)] = e.projectID
	c.names[e.projectID] = e.project
	c.byID[e.id] = e
}

// render fills a recorded list element in with another repository.
func (c *azureCatalog) render(template map[string]any, e azureEntry, hasDisabled bool) map[string]any {
	var raw map[string]any
	b, _ := json.Marshal(template)
	_ = json.Unmarshal(b, &raw)
	base := "https://fabrikam:8080/tfs/DefaultCollection"
	if c.mode == AzureServices {
		base = "https://dev.azure.com/fabrikam"
	}
	raw["id"], raw["name"] = e.id, e.name
	raw["url"] = base + "/_apis/git/repositories/" + e.id
	raw["remoteUrl"] = base + "/" + e.project + "/_git/" + e.name
	if _, ok := raw["webUrl"]; ok {
		raw["webUrl"] = base + "/" + e.project + "/_git/" + e.name
	}
	if _, ok := raw["sshUrl"]; ok {
		raw["sshUrl"] = "git@ssh.dev.azure.com:v3/fabrikam/" + e.project + "/" + e.name
	}
	p := raw["project"].(map[string]any)
	p["id"], p["name"], p["url"] = e.projectID, e.project, base+"/_apis/projects/"+e.projectID
	if hasDisabled {
		raw["isDisabled"] = e.disabled
	}
	return raw
}

// azureID makes a stable GUID-shaped id from a name.
func azureID(name string) string {
	h := fnv.New128a()
	h.Write([]byte(strings.ToLower(name)))
	s := fmt.Sprintf("%x", h.Sum(nil))
	return s[0:8] + "-" + s[8:12] + "-4" + s[13:16] + "-8" + s[17:20] + "-" + s[20:32]
}

// denied is what the user lacks on a repository (with its project's), or
// on a project when repo is "".
func (c *azureCatalog) denied(project, repo string) int {
	bits := c.deny[strings.ToLower(project)]
	if repo != "" {
		bits |= c.deny[strings.ToLower(project+"/"+repo)]
	}
	return bits
}

// visible is what the user may read, in one project or ("") in all.
func (c *azureCatalog) visible(project string) []map[string]any {
	out := []map[string]any{}
	for _, e := range c.repos {
		if (project == "" || strings.EqualFold(project, e.project)) && c.denied(e.project, e.name)&AzureRead == 0 {
			out = append(out, e.raw)
		}
	}
	return out
}

// splitScope takes a project's name off the organization or collection:
// {organization}/{project}/_apis/git/repositories is the project's own
// list (specification/git/7.1/git.json, Repositories_List).
func (a *Azure) splitScope(scope string) (place, project string) {
	if a.opts.Mode == AzureServices {
		org, project, _ := strings.Cut(strings.TrimPrefix(scope, "/"), "/")
		return "/" + org, project
	}
	if len(scope) > len(a.opts.Collection) && strings.EqualFold(scope[:len(a.opts.Collection)], a.opts.Collection) && scope[len(a.opts.Collection)] == '/' {
		return scope[:len(a.opts.Collection)], scope[len(a.opts.Collection)+1:]
	}
	return scope, ""
}

// list answers a repository list, {"count": N, "value": [...]}, as the
// recorded ones are.
func (a *Azure) list(w http.ResponseWriter, repos []map[string]any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8; api-version=7.1")
	_ = json.NewEncoder(w).Encode(map[string]any{"count": len(repos), "value": repos})
}

// projectRepos answers a project's own repository list. A project that
// does not exist answers 404 with TF200016 and
// ProjectDoesNotExistWithNameException (3p: the body recorded from
// dev.azure.com in a nock fixture of a test reporter, and the same type in
// the Azure DevOps Server 2022 Microsoft.TeamFoundation.Core.WebApi.dll);
// one the user may not see is taken to answer the same (inferred: Azure
// DevOps answers a repository alike in both cases, TF401019).
func (a *Azure) projectRepos(w http.ResponseWriter, project string, tok AzureToken) {
	if a.opts.ProjectListStatus != 0 {
		a.json(w, a.opts.ProjectListStatus, "azure/server-error.json")
		return
	}
	_, known := a.catalog.projects[strings.ToLower(project)]
	if !known || a.catalog.denied(project, "")&AzureRead != 0 {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = fmt.Fprintf(w, string(Recorded("azure/project-not-found.json")), project)
		return
	}
	if tok.NoRepos {
		a.list(w, nil)
		return
	}
	a.list(w, a.catalog.visible(project))
}

// permissions answers the Security service's Has Permissions:
// GET {collection}/_apis/permissions/{securityNamespaceId}/{permissions}
// ?tokens=T1,T2&alwaysAllowAdministrators=B&api-version=V evaluates
// whether the caller has the permission bits on each token, and answers
// {"count": N, "value": [bool, ...]} in the tokens' order
// (specification/security/7.1/security.json, Permissions_Has Permissions,
// and its httpExamples GET__permissions__securityNamespaceId__8__api-
// version-2.2_tokens-...json; the same in tfs-4.1 and azure-devops-
// server-5.0 to 7.1). The plural form "works with Version 2.2 and above"
// (azure-devops-docs, integrate/previous-apis/security/permissions.md,
// TFS 2015 to 2018). Released at 4.1, 5.0, 5.1, 6.0, 7.0 and 7.1; 5.2, 6.1
// and 7.2 are previews (x-ms-preview in those folders).
//
// The fake's own choices: Azure DevOps documents no scope for this
// request, so whether a token with only Code scopes may ask is unknown:
// NoPermissions refuses a token as a missing scope is refused (401 with
// X-VSS-UserData); and a server whose query string is over 2048 bytes
// answers IIS's 404.15, the default request filtering limit on premises
// (learn: IIS settings schema, requestLimits maxQueryString, "The default
// value is 2048"; "HTTP Error 404.15 - Not Found: The request filtering
// module is configured to deny a request where the query string is too
// long", learn: ASP.NET 2.0 breaking changes on IIS).
func (a *Azure) permissions(w http.ResponseWriter, r *http.Request, tok AzureToken, path string) {
	ns, bitsText, _ := strings.Cut(strings.TrimSuffix(path, "/"), "/")
	bits, err := strconv.Atoi(bitsText)
	if !strings.EqualFold(ns, azureGitNamespace) || err != nil || bits <= 0 {
		a.unexpected(w, r)
		return
	}
	if a.opts.Mode != AzureServices && len(r.URL.RawQuery) > 2048 {
		a.page(w, http.StatusNotFound, "azure/iis-404-15.html")
		return
	}
	if tok.NoPermissions {
		a.json(w, http.StatusUnauthorized, "azure/user-not-authorized.json")
		return
	}
	switch a.opts.PermissionsStatus {
	case 0:
	case http.StatusTooManyRequests:
		a.rateLimited(w)
		return
	default:
		a.json(w, a.opts.PermissionsStatus, "azure/server-error.json")
		return
	}
	q := r.URL.Query()
	version := q.Get("api-version")
	released, preview, _ := strings.Cut(version, "-")
	switch {
	case version == "":
		a.t.Errorf("fake Azure DevOps: %s without api-version", r.URL.Path)
	case newerAPI(version, azureCeiling[a.opts.Mode]):
		a.outOfRange(w, version)
		return
	case preview == "" && (released == "5.2" || released == "6.1" || released == "7.2"):
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, string(Recorded("azure/preview-version-not-supplied.json")), released, released)
		return
	case newerAPI("2.2", version):
		a.t.Errorf("fake Azure DevOps: the plural tokens form needs api-version 2.2 or later, got %s", version)
	}
	if v := strings.ToLower(q.Get("alwaysAllowAdministrators")); v != "true" && v != "false" {
		a.t.Errorf("fake Azure DevOps: alwaysAllowAdministrators=%q", q.Get("alwaysAllowAdministrators"))
	}
	// TFS 2017 and 2018 have no PullRequestContribute: their namespace
	// ends at 8192, ManagePermissions (specification/security/tfs-4.1/
	// httpExamples/securityNamespaces/GET__securitynamespaces_-onprem.json).
	if bits&AzurePullRequestContribute != 0 && newerAPI("5.0", azureCeiling[a.opts.Mode]) {
		a.t.Errorf("fake Azure DevOps: asked for PullRequestContribute, which %s does not have", azureCeiling[a.opts.Mode])
	}
	tokens := strings.Split(q.Get("tokens"), ",")
	values := make([]bool, len(tokens))
	for i, token := range tokens {
		values[i] = a.allowed(token, bits)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8; api-version="+version)
	_ = json.NewEncoder(w).Encode(map[string]any{"count": len(values), "value": values})
}

// allowed evaluates a Git Repositories token, repoV2/PROJECT_ID or
// repoV2/PROJECT_ID/REPO_ID, case-insensitively (namespace-reference.md:
// "Security tokens are case-insensitive"). A token nothing grants on,
// such as an unknown id, is false.
func (a *Azure) allowed(token string, bits int) bool {
	segs := strings.Split(strings.ToLower(token), "/")
	if len(segs) < 2 || len(segs) > 3 || segs[0] != "repov2" {
		a.t.Errorf("fake Azure DevOps: %q is not a Git repository token", token)
		return false
	}
	project, ok := a.catalog.names[segs[1]]
	if !ok {
		return false
	}
	repo := ""
	if len(segs) == 3 {
		e, ok := a.catalog.byID[segs[2]]
		if !ok || !strings.EqualFold(e.project, project) {
			return false
		}
		repo = e.name
	}
	return a.catalog.denied(project, repo)&bits == 0
}

func (a *Azure) enter() {
	a.flight.Lock()
	a.inflight++
	a.maxInflight = max(a.maxInflight, a.inflight)
	a.flight.Unlock()
}

func (a *Azure) leave() {
	a.flight.Lock()
	a.inflight--
	a.flight.Unlock()
}

// MaxInFlight returns the most requests the fake has served at once.
func (a *Azure) MaxInFlight() int {
	a.flight.Lock()
	defer a.flight.Unlock()
	return a.maxInflight
}
