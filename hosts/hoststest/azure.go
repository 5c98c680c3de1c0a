package hoststest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// AzureMode is which Azure DevOps product a fake stands in for.
type AzureMode int

// The products: Azure DevOps Services and the on-premises releases.
const (
	AzureServices   AzureMode = iota // dev.azure.com and app.vssps.visualstudio.com in one
	AzureTFS2017                     // /tfs/DefaultCollection, REST API up to 3.2
	AzureTFS2018                     // /tfs/DefaultCollection, REST API up to 4.1
	AzureServer2019                  // /tfs/DefaultCollection (upgraded from TFS), REST API up to 5.0
	AzureServer2022                  // /DefaultCollection, REST API up to 7.0
)

// azureCeiling is the newest api-version each product supports.
var azureCeiling = map[AzureMode]string{AzureServices: "7.2", AzureTFS2017: "3.2", AzureTFS2018: "4.1",
	AzureServer2019: "5.0", AzureServer2022: "7.0"}

// AzureToken is how the fake treats one token.
type AzureToken struct {
	NoCode  bool     // no Code scope: the git call answers 401 with X-VSS-UserData
	Expired bool     // 401 "The Personal Access Token used has expired."
	Global  bool     // created for All accessible organizations: profiles/me answers
	Orgs    []string // Services: the organizations it was created for; nil = all
	NoRepos bool     // reads code, but its user sees no repository
	// NotMember: its user is known but not let in: 401 with X-VSS-UserData
	// on every call.
	NotMember bool
	// RateLimited: its user is blocked for exceeding the usage limits: 429
	// with Retry-After on every call.
	RateLimited bool
	// NoPermissions: the permissions API refuses this token (401 with
	// X-VSS-UserData), as for a token without a scope that API needs.
	NoPermissions bool
}

// AzureOptions describe the fake.
type AzureOptions struct {
	Mode   AzureMode
	Tokens map[string]AzureToken
	// Orgs are the organizations that exist (Services); {"myorg", "otherorg"}
	// when empty. Others answer 404.
	Orgs []string
	// Collection is the one collection's path (on premises); by default
	// /tfs/DefaultCollection, or /DefaultCollection for Server 2022.
	Collection string
	// PublicProjects makes unknown tokens get the anonymous public-access
	// identity and the public repositories (200) instead of a 401.
	PublicProjects bool
	// IISBasicAuth answers every request with IIS's own 401 page, as a
	// server with Basic Authentication turned on in IIS does.
	IISBasicAuth bool
	// SignInPage answers unknown tokens with 203 and the sign-in page, as
	// Azure DevOps does when it redirects to sign in anyway.
	SignInPage bool
	// ProfileBroken makes the profile service answer 500 to every token.
	ProfileBroken bool
	// EchoAuthorization makes the 401 for an unknown token quote the
	// request's Authorization header (Basic base64(":" + token)) in its
	// message, as a debugging proxy or a misconfigured server in front of
	// TFS may: what gitpat shows must still not hold the token in any form.
	EchoAuthorization bool

	// Repos replace the three recorded repositories (two projects) with
	// these; see azure_repos.go.
	Repos []AzureRepo
	// EmptyProjects are projects with no Git repository (TFVC only).
	EmptyProjects []string
	// Deny gives, by "Project" or "Project/Repository", the Git
	// Repositories permission bits the tokens' user lacks there (AzureRead,
	// AzureContribute, AzureCreateBranch, AzurePullRequestContribute); a
	// project's apply to its repositories. Lacking Read hides it.
	Deny map[string]int
	// PermissionsStatus, when set, answers every permissions request
	// with this status: 500 (a server error) or 429 (a blocked user).
	PermissionsStatus int
	// ProjectListStatus, when set, answers every project's own repository
	// list with this status (a server error).
	ProjectListStatus int
}

// Azure is a fake Azure DevOps Services organization host (with the
// profile service at the same address) or an on-premises TFS / Azure
// DevOps Server collection. It answers connectionData, git/repositories
// and profiles/me like the real ones, with Basic auth and an empty user.
type Azure struct {
	*Server
	opts    AzureOptions
	catalog azureCatalog

	// Hold keeps each answer this long while counted in flight (see
	// MaxInFlight); Latency comes before a request is counted.
	Hold time.Duration

	flight      sync.Mutex
	inflight    int
	maxInflight int
}

// NewAzure starts a fake.
func NewAzure(t testing.TB, o AzureOptions) *Azure {
	if len(o.Orgs) == 0 {
		o.Orgs = []string{"myorg", "otherorg"}
	}
	if o.Collection == "" {
		o.Collection = "/tfs/DefaultCollection"
		if o.Mode == AzureServer2022 {
			o.Collection = "/DefaultCollection"
		}
	}
	a := &Azure{opts: o}
	a.catalog = newAzureCatalog(t, o)
	a.Server = start(t, http.HandlerFunc(a.serve))
	return a
}

// Collection returns the collection URL a user would type.
func (a *Azure) Collection() string { return a.URL + a.opts.Collection }

// PlainHTTP starts a plain http:// server in front of the same fake (same
// answers, faults and request log) and returns its collection URL.
func (a *Azure) PlainHTTP(t testing.TB) string {
	plain := httptest.NewServer(a.Config.Handler)
	t.Cleanup(plain.Close)
	return plain.URL + a.opts.Collection
}

// RedirectingHTTP starts a plain http:// server that moves every request
// to the same path on the fake's https:// address, as servers that enforce
// https do, and returns its collection URL.
func (a *Azure) RedirectingHTTP(t testing.TB) string {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, a.URL+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	t.Cleanup(plain.Close)
	return plain.URL + a.opts.Collection
}

const (
	azureUserID   = "d6245f20-2af8-44f4-9451-8107cb2767db"
	azureAPIs     = "/_apis/"
	azureProfile  = "/_apis/profile/profiles/me"
	azureConnData = "connectionData"
	azureRepos    = "git/repositories"
	azurePerms    = "permissions/"
)

func (a *Azure) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Tfs-Processid", "0d4e3b7a-5c9f-4f0e-8a61-2c7b9e4d1f35")
	h.Set("Activityid", "8f2d6c1a-0b3e-4d59-9a7c-5e1f3b2a4c68")
	h.Set("X-Vss-E2eid", "8f2d6c1a-0b3e-4d59-9a7c-5e1f3b2a4c68")
	services := a.opts.Mode == AzureServices
	a.enter()
	defer a.leave()
	if a.Hold > 0 {
		time.Sleep(a.Hold)
	}
	scope, api, ok := strings.Cut(r.URL.Path, azureAPIs)
	scope, project := a.splitScope(scope)
	profile := services && r.URL.Path == azureProfile
	perms := strings.HasPrefix(api, azurePerms)
	if r.Method != http.MethodGet || !ok || (!profile && api != azureConnData && api != azureRepos && !perms) ||
		(project != "" && api != azureRepos) {
		a.unexpected(w, r)
		return
	}
	if r.Header.Get("X-Tfs-Fedauthredirect") != "Suppress" || r.Header.Get("Accept") != "application/json" {
		a.t.Errorf("fake Azure DevOps: request without X-TFS-FedAuthRedirect: Suppress and Accept: application/json")
	}
	if a.opts.IISBasicAuth {
		h.Set("WWW-Authenticate", `Basic realm="`+r.Host+`"`)
		a.page(w, http.StatusUnauthorized, "azure/iis-401.html")
		return
	}
	if !profile && !a.exists(scope) {
		if services {
			a.json(w, http.StatusNotFound, "azure/organization-not-found.json")
		} else {
			a.page(w, http.StatusNotFound, "azure/iis-404.html")
		}
		return
	}
	user, pat, basic := r.BasicAuth()
	if basic && user != "" {
		a.t.Errorf("fake Azure DevOps: Basic auth with user name %q, want an empty one", user)
	}
	tok, known := a.opts.Tokens[pat]
	if !basic || !known {
		switch {
		case a.opts.SignInPage:
			a.page(w, http.StatusNonAuthoritativeInfo, "azure/signin.html")
		case a.opts.PublicProjects && api == azureConnData:
			a.json(w, http.StatusOK, "azure/connectiondata-anonymous.json")
		case a.opts.PublicProjects && api == azureRepos:
			a.json(w, http.StatusOK, "azure/repositories-public.json")
		case a.opts.EchoAuthorization:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = fmt.Fprintf(w, `{"message":"TF400813: The user is not authorized to access this resource. Authorization: %s","typeKey":"UnauthorizedRequestException"}`,
				r.Header.Get("Authorization"))
		default:
			a.refuse(w, r)
		}
		return
	}
	if tok.Expired {
		h.Set("X-Tfs-Serviceerror", "Access%20Denied%3A%20The%20Personal%20Access%20Token%20used%20has%20expired.")
		a.json(w, http.StatusUnauthorized, "azure/expired.json")
		return
	}
	if tok.RateLimited {
		a.rateLimited(w)
		return
	}
	if profile {
		a.profile(w, r, tok)
		return
	}
	if services && tok.Orgs != nil && !slices.Contains(tok.Orgs, strings.TrimPrefix(scope, "/")) {
		a.refuse(w, r)
		return
	}
	account := "jamal@fabrikam.com"
	if !services {
		account = `FABRIKAM\jamal`
	}
	h.Set("X-Vss-Userdata", azureUserID+":"+account)
	if tok.NotMember {
		a.json(w, http.StatusUnauthorized, "azure/user-not-authorized.json")
		return
	}
	if api == azureConnData {
		if services {
			a.json(w, http.StatusOK, "azure/connectiondata-services.json")
		} else {
			a.json(w, http.StatusOK, "azure/connectiondata-onprem.json")
		}
		return
	}
	if perms {
		a.permissions(w, r, tok, strings.TrimPrefix(api, azurePerms))
		return
	}
	version := r.URL.Query().Get("api-version")
	if version == "" {
		a.t.Errorf("fake Azure DevOps: %s without api-version", r.URL.Path)
	}
	if newerAPI(version, azureCeiling[a.opts.Mode]) {
		a.outOfRange(w, version)
		return
	}
	switch {
	case tok.NoCode:
		a.json(w, http.StatusUnauthorized, "azure/user-not-authorized.json")
	case project != "":
		a.projectRepos(w, project, tok)
	case tok.NoRepos:
		a.json(w, http.StatusOK, "azure/repositories-empty.json")
	case a.catalog.custom:
		a.list(w, a.catalog.visible(""))
	case services:
		a.json(w, http.StatusOK, "azure/repositories-services.json")
	default:
		a.json(w, http.StatusOK, "azure/repositories-onprem.json")
	}
}

// profile answers GET profiles/me on app.vssps.visualstudio.com, which
// only a token for All accessible organizations may read (vso.profile:
// specification/profile/7.1/profile.json, Profiles_Get): any other token
// gets the 401 of a token that is not for this place (whether that 401 or
// a version's 400 comes first is not documented: the fake refuses first).
// The api-version is checked as the spec's revisions from 2022-01-14
// (c0155ba2) to 2024-09-17 describe the route: released up to
// 7.0 (specification/profile/7.0/profile.json: "api-Version", '7.0'),
// 7.1 and 7.2 in preview only (api-Version-preview.3, '7.1-preview.3',
// '7.2-preview.3'), so "7.1" without -preview answers 400
// VssInvalidPreviewVersionException, and anything above 7.2 is out of
// range.
func (a *Azure) profile(w http.ResponseWriter, r *http.Request, tok AzureToken) {
	if a.opts.ProfileBroken {
		// The generic 500 of the common faults (fake.go), whoever asks:
		// Azure DevOps documents no body for its server errors.
		a.json(w, http.StatusInternalServerError, "azure/server-error.json")
		return
	}
	if !tok.Global {
		a.refuse(w, r)
		return
	}
	version := r.URL.Query().Get("api-version")
	released, preview, _ := strings.Cut(version, "-")
	switch {
	case version == "":
		a.t.Errorf("fake Azure DevOps: %s without api-version", r.URL.Path)
	case newerAPI(version, azureCeiling[AzureServices]):
		a.outOfRange(w, version)
		return
	case preview == "" && newerAPI(released, "7.0"):
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, string(Recorded("azure/preview-version-not-supplied.json")), released, released)
		return
	}
	a.json(w, http.StatusOK, "azure/profile-me.json")
}

// rateLimited answers as Azure DevOps does a user it blocks for exceeding
// its usage limits: 429 with "TF400733: The request has been canceled:
// Request was blocked due to exceeding usage of resource <resource name>
// in namespace <namespace ID>.", and the headers the same page lists:
// Retry-After (seconds), X-RateLimit-Resource, -Delay, -Limit, -Remaining
// (0 once blocked) and -Reset (epoch seconds) (learn.microsoft.com,
// azure/devops/integrate/concepts/rate-limits). The body holds only the
// message that page quotes, placeholders and all; what else the body
// holds, and the values of X-RateLimit-Resource ("the service and type of
// threshold that was reached"), are not documented.
func (a *Azure) rateLimited(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Retry-After", "47")
	h.Set("X-Ratelimit-Resource", "Core")
	h.Set("X-Ratelimit-Delay", "0.000")
	h.Set("X-Ratelimit-Limit", "200")
	h.Set("X-Ratelimit-Remaining", "0")
	h.Set("X-Ratelimit-Reset", "1764086447")
	a.json(w, http.StatusTooManyRequests, "azure/rate-limited.json")
}

// exists reports whether the organization or collection is there.
func (a *Azure) exists(scope string) bool {
	if a.opts.Mode == AzureServices {
		return slices.Contains(a.opts.Orgs, strings.TrimPrefix(scope, "/"))
	}
	return strings.EqualFold(scope, a.opts.Collection)
}

// refuse answers a token that is wrong or not for this place: Services
// with an empty 401, the on-premises servers with TF400813.
func (a *Azure) refuse(w http.ResponseWriter, r *http.Request) {
	if a.opts.Mode == AzureServices {
		w.Header().Set("WWW-Authenticate", `Basic realm="https://tfsprodweu2.visualstudio.com/"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header()["WWW-Authenticate"] = []string{"Bearer", `Basic realm="` + r.Host + `"`, "Negotiate", "NTLM"}
	a.json(w, http.StatusUnauthorized, "azure/unauthorized-onprem.json")
}

func (a *Azure) outOfRange(w http.ResponseWriter, version string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = fmt.Fprintf(w, string(Recorded("azure/version-out-of-range.json")), version, azureCeiling[a.opts.Mode])
}

func (a *Azure) json(w http.ResponseWriter, status int, name string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8; api-version=7.1")
	w.WriteHeader(status)
	_, _ = w.Write(Recorded(name))
}

func (a *Azure) page(w http.ResponseWriter, status int, name string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(Recorded(name))
}

// newerAPI reports whether the api-version v (such as "5.0" or
// "7.1-preview.1") is newer than ceiling.
func newerAPI(v, ceiling string) bool {
	parse := func(s string) (int, int) {
		s, _, _ = strings.Cut(s, "-")
		maj, min, _ := strings.Cut(s, ".")
		a, _ := strconv.Atoi(maj)
		b, _ := strconv.Atoi(min)
		return a, b
	}
	a, b := parse(v)
	c, d := parse(ceiling)
	return a > c || (a == c && b > d)
}
