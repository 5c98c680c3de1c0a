package hoststest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// BitbucketDCToken is how the fake Bitbucket Data Center treats one HTTP
// access token.
type BitbucketDCToken struct {
	// User is the token's user, sent back in X-AUSERNAME; "" for a project
	// or repository token, whose user the server does not name to us.
	User        string
	Permissions []string  // such as "PROJECT_READ", "REPO_WRITE"
	ExpiryDays  int       // 0 for no expiry
	Created     time.Time // with ExpiryDays, when it expires
	Refused     bool      // 401, as for a mistyped, expired or revoked token
	// Private makes the access-tokens REST resource refuse to show the
	// token to itself (Atlassian documents no answer for this case).
	Private bool
}

// BitbucketDCOptions describe the fake server.
type BitbucketDCOptions struct {
	// Version is what application-properties says, "8.7.0" when empty.
	// Before 5.5 there are no tokens: the server ignores the Authorization
	// header and answers as to an anonymous visitor.
	Version     string
	ContextPath string // such as "/bitbucket"
	Tokens      map[string]BitbucketDCToken
	// Writable are the repositories the tokens' users may write to,
	// ACME/billing and ACME/web when nil.
	Writable []string
	// Repos are the repositories of the server by PROJECT/slug, with what
	// the tokens' users may do there; their projects exist.
	Repos map[string]BitbucketDCRepo
	// MaxPage caps a page of repositories, as page.max.repositories does.
	MaxPage int
	// HTTP2: the server (or its proxy) speaks HTTP/2 as well.
	HTTP2 bool
}

// BitbucketDCRepo is one repository of the fake server.
type BitbucketDCRepo struct {
	// Access is the users' permission on it: "write", "read", or "" for
	// none (401, as Atlassian's description answers a user without
	// REPO_READ).
	Access   string
	Archived bool
	// Status answers the requests about it with this status instead.
	Status int
}

// BitbucketDC is a fake Bitbucket Data Center. Its answers:
//
//   - application-properties.json is a recorded answer of Bitbucket 8.7.0
//     (eclipse-che/che-server, api.1.0.application-properties/response.json);
//     the fake sets the version. "No authentication is required to call
//     this resource" (Atlassian's REST API description).
//   - auth-failed.json is Bitbucket's 401 for bad credentials, as client
//     code and recordings quote it (gitopscli; "Authentication failed.
//     Please check your credentials and try again.").
//   - repos.json is a page of RestRepository (Atlassian's description);
//     "/repos" is anonymously accessible and with permission=REPO_WRITE
//     lists what "the requesting user has the specified permission level
//     to". Whether a token's own permissions narrow that list could not be
//     proven; the fake narrows it.
//   - token.json is a recorded token entry (eclipse-che/che-server,
//     newtoken.json); the fake fills in the token's fields.
//   - not-permitted.json carries the 401 description of "Get HTTP token by
//     ID" as its message: that a token may not read its own entry is only
//     possible, not documented.
//   - The named places (Repos): GET /api/latest/projects/{key}/repos/{slug}
//     answers repository.json (a RestRepository, from repos.json); 404 with
//     no-such-repository.json, the body Sourcegraph's Bitbucket Server
//     client tests recorded ("Repository SOUR/invalidslug does not
//     exist.", NoSuchRepositoryException); 401 "The currently
//     authenticated user has insufficient permissions to see the specified
//     repository" (the description) with not-permitted-resource.json, the
//     AuthorisationException body the same tests recorded for a 401. GET
//     /api/latest/projects/{key} answers project.json (a RestProject) or
//     404 no-such-project.json (NoSuchProjectException; its message is
//     this fake's, after the repository one). GET /api/latest/repos with
//     projectkey and permission=REPO_WRITE lists the project's repositories
//     the users may write to, not archived ("defaults to ACTIVE"), at most
//     MaxPage a page, with isLastPage. A failing repository (Status)
//     answers with a generic error body of this fake's own.
//
// X-AUSERNAME names the authenticated user on every answer, as Atlassian's
// Jenkins integration reads it (BitbucketAuthenticatedUserClientImpl).
type BitbucketDC struct {
	*Server
	opts BitbucketDCOptions
	// Busy counts the requests about named places answered at once.
	Busy InFlight
}

// NewBitbucketDC starts a fake Bitbucket Data Center.
func NewBitbucketDC(t testing.TB, o BitbucketDCOptions) *BitbucketDC {
	if o.Version == "" {
		o.Version = "8.7.0"
	}
	if o.Writable == nil {
		o.Writable = []string{"ACME/billing", "ACME/web"}
	}
	b := &BitbucketDC{opts: o}
	b.Server = startServer(t, http.HandlerFunc(b.serve), o.HTTP2)
	return b
}

// Web returns the address a user would type, with the context path.
func (b *BitbucketDC) Web() string { return b.URL + b.opts.ContextPath }

// BitbucketDCTokenFor makes a token of the classic form for an ID: base64
// of "ID:" and 20 random bytes (RestRawAccessToken example in Atlassian's
// description); the bytes here are the canary text.
func BitbucketDCTokenFor(id, canary string) string {
	raw := []byte(id + ":" + (canary + strings.Repeat("x", 20))[:20])
	return base64.StdEncoding.EncodeToString(raw)
}

func (b *BitbucketDC) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, b.opts.ContextPath+"/rest/")
	if !ok && b.opts.ContextPath != "" && !strings.HasPrefix(r.URL.Path, b.opts.ContextPath+"/") {
		// The web server in front of a context-path install.
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(Recorded("gitlab/web-server-not-found.html"))
		return
	}
	if !ok || r.Method != http.MethodGet {
		b.unexpected(w, r)
		return
	}
	var major, minor int
	_, _ = fmt.Sscanf(b.opts.Version, "%d.%d", &major, &minor)
	tokens := major > 5 || (major == 5 && minor >= 5)

	tok, known := b.opts.Tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	anonymous := !tokens
	if tokens && (!known || tok.Refused) {
		b.json(w, http.StatusUnauthorized, Recorded("bitbucket-dc/auth-failed.json"))
		return
	}
	if !anonymous && tok.User != "" {
		w.Header().Set("X-AUSERNAME", tok.User)
	}
	switch {
	case rest == "api/latest/application-properties":
		b.edited(w, "bitbucket-dc/application-properties.json", map[string]any{"version": b.opts.Version})
	case rest == "api/latest/repos" && r.URL.Query().Get("permission") == "REPO_WRITE" && r.URL.Query().Get("projectkey") != "":
		b.projectWritable(w, r, anonymous, tok)
	case strings.HasPrefix(rest, "api/latest/projects/"):
		b.place(w, r, strings.Split(strings.TrimPrefix(rest, "api/latest/projects/"), "/"))
	case rest == "api/latest/repos" && r.URL.Query().Get("permission") == "REPO_WRITE":
		if anonymous || !(slices.Contains(tok.Permissions, "REPO_WRITE") || slices.Contains(tok.Permissions, "REPO_ADMIN")) {
			b.json(w, http.StatusOK, Recorded("bitbucket-dc/repos-empty.json"))
			return
		}
		b.writable(w)
	case strings.HasPrefix(rest, "access-tokens/latest/users/") && tokens:
		b.tokenEntry(w, r, strings.TrimPrefix(rest, "access-tokens/latest/users/"), tok)
	default:
		b.unexpected(w, r)
	}
}

// writable answers the page of writable repositories.
func (b *BitbucketDC) writable(w http.ResponseWriter) {
	var page map[string]any
	if err := json.Unmarshal(Recorded("bitbucket-dc/repos.json"), &page); err != nil {
		panic(err)
	}
	values := page["values"].([]any)
	var keep []any
	for _, name := range b.opts.Writable {
		key, slug, _ := strings.Cut(name, "/")
		v := map[string]any{}
		for k, val := range values[0].(map[string]any) {
			v[k] = val
		}
		v["slug"], v["name"] = slug, slug
		project := map[string]any{"key": key, "name": key, "id": 1, "public": false, "type": "NORMAL"}
		v["project"] = project
		keep = append(keep, v)
	}
	page["values"], page["size"] = keep, len(keep)
	body, err := json.Marshal(page)
	if err != nil {
		panic(err)
	}
	b.json(w, http.StatusOK, body)
}

// tokenEntry answers GET /rest/access-tokens/latest/users/{slug}/{id}.
func (b *BitbucketDC) tokenEntry(w http.ResponseWriter, r *http.Request, rest string, tok BitbucketDCToken) {
	slug, id, _ := strings.Cut(rest, "/")
	var own string
	for secret, t := range b.opts.Tokens {
		if t.User == tok.User && secret == strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") {
			if raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "BBDC-")); err == nil {
				own, _, _ = strings.Cut(string(raw), ":")
			}
		}
	}
	switch {
	case tok.Private:
		b.json(w, http.StatusUnauthorized, Recorded("bitbucket-dc/not-permitted.json"))
	case !strings.EqualFold(slug, tok.User) || id != own:
		b.json(w, http.StatusNotFound, []byte(`{"errors":[{"context":null,"message":"The specified user or token does not exist.","exceptionName":null}]}`))
	default:
		set := map[string]any{"id": id, "name": "Jira", "permissions": tok.Permissions,
			"createdDate": tok.Created.UnixMilli(), "expiryDays": tok.ExpiryDays}
		if tok.ExpiryDays == 0 {
			set["expiryDays"] = nil
		}
		b.edited(w, "bitbucket-dc/token.json", set)
	}
}

func (b *BitbucketDC) json(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// edited answers 200 with a recorded body whose top-level fields are
// replaced by set (nil removes one).
func (b *BitbucketDC) edited(w http.ResponseWriter, name string, set map[string]any) {
	var body map[string]any
	if err := json.Unmarshal(Recorded(name), &body); err != nil {
		panic(err)
	}
	for k, v := range set {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	out, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	b.json(w, http.StatusOK, out)
}

// place answers a project or one of its repositories.
func (b *BitbucketDC) place(w http.ResponseWriter, r *http.Request, segs []string) {
	defer b.Busy.enter()()
	key := segs[0]
	switch {
	case len(segs) == 1:
		exists := false
		for name := range b.opts.Repos {
			k, _, _ := strings.Cut(name, "/")
			exists = exists || strings.EqualFold(k, key)
		}
		if !exists {
			b.json(w, http.StatusNotFound, Recorded("bitbucket-dc/no-such-project.json"))
			return
		}
		b.edited(w, "bitbucket-dc/project.json", map[string]any{"key": strings.ToUpper(key), "name": key})
	case len(segs) == 3 && segs[1] == "repos":
		name := key + "/" + segs[2]
		repo, ok := b.repo(name)
		switch {
		case ok && repo.Status != 0:
			b.json(w, repo.Status, []byte(`{"errors":[{"context":null,"message":"An error occurred while processing the request. Check the server logs for more information.","exceptionName":null}]}`))
		case !ok:
			b.json(w, http.StatusNotFound, Recorded("bitbucket-dc/no-such-repository.json"))
		case repo.Access == "":
			b.json(w, http.StatusUnauthorized, Recorded("bitbucket-dc/not-permitted-resource.json"))
		default:
			b.edited(w, "bitbucket-dc/repository.json", map[string]any{"slug": segs[2], "name": segs[2], "archived": repo.Archived,
				"project": map[string]any{"key": key, "id": 1, "name": key, "public": false, "type": "NORMAL"}})
		}
	default:
		b.unexpected(w, r)
	}
}

// projectWritable answers the repositories of one project the users may
// write to.
func (b *BitbucketDC) projectWritable(w http.ResponseWriter, r *http.Request, anonymous bool, tok BitbucketDCToken) {
	defer b.Busy.enter()()
	key := r.URL.Query().Get("projectkey")
	var names []string
	for name, repo := range b.opts.Repos {
		k, _, _ := strings.Cut(name, "/")
		if strings.EqualFold(k, key) && repo.Access == "write" && !repo.Archived {
			if repo.Status != 0 {
				b.json(w, repo.Status, []byte(`{"errors":[{"context":null,"message":"An error occurred while processing the request. Check the server logs for more information.","exceptionName":null}]}`))
				return
			}
			names = append(names, name)
		}
	}
	if anonymous || !(slices.Contains(tok.Permissions, "REPO_WRITE") || slices.Contains(tok.Permissions, "REPO_ADMIN")) {
		names = nil
	}
	slices.Sort(names)
	limit := len(names)
	if b.opts.MaxPage > 0 {
		limit = min(limit, b.opts.MaxPage)
	}
	var page map[string]any
	if err := json.Unmarshal(Recorded("bitbucket-dc/repos.json"), &page); err != nil {
		panic(err)
	}
	template := page["values"].([]any)[0].(map[string]any)
	values := []any{}
	for _, name := range names[:limit] {
		k, slug, _ := strings.Cut(name, "/")
		v := map[string]any{}
		for f, val := range template {
			v[f] = val
		}
		v["slug"], v["name"] = slug, slug
		v["project"] = map[string]any{"key": k, "name": k, "id": 1, "public": false, "type": "NORMAL"}
		values = append(values, v)
	}
	page["values"], page["size"], page["isLastPage"] = values, len(values), limit == len(names)
	if limit < len(names) {
		page["nextPageStart"] = limit
	}
	body, err := json.Marshal(page)
	if err != nil {
		panic(err)
	}
	b.json(w, http.StatusOK, body)
}

// repo finds a repository; project keys match whatever their case, as
// Bitbucket's addresses do (/projects/acme and /projects/ACME, ~jdoe and
// ~JDOE: inferred from addresses in the wild, not documented).
func (b *BitbucketDC) repo(name string) (BitbucketDCRepo, bool) {
	key, slug, _ := strings.Cut(name, "/")
	for n, repo := range b.opts.Repos {
		k, s, _ := strings.Cut(n, "/")
		if strings.EqualFold(k, key) && s == slug {
			return repo, true
		}
	}
	return BitbucketDCRepo{}, false
}
