package hoststest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// GerritAccount is one account of the fake Gerrit.
type GerritAccount struct {
	Username string // what Basic authentication takes
	Password string // its HTTP password
	Inactive bool   // refused like a wrong password
	Admin    bool   // holds Administrate Server and the other global capabilities
	// ConfigOnly: the account sees only All-Projects and All-Users.
	ConfigOnly bool
	// ViewAccess holds the View Access capability (viewAccess), which
	// runs access checks.
	ViewAccess bool
}

// GerritProject is a project of the fake Gerrit as its accounts see it.
type GerritProject struct {
	State string // ACTIVE when empty, READ_ONLY or HIDDEN
	// Invisible: the accounts may read no ref in it (404, like a missing
	// project).
	Invisible bool
	// Branches the accounts may read, without refs/heads/; none is an empty
	// project (or no Read on refs/heads/*).
	Branches []string
	// Create and Upload are what the access check answers for a new branch
	// under refs/heads/ and for pushing it for review (refs/for/).
	Create, Upload bool
	// Status answers every request about it with this status instead.
	Status int
}

// GerritOptions describe the fake Gerrit.
type GerritOptions struct {
	Version string // what /config/server/version says, "3.9.1" when empty
	Prefix  string // a path prefix such as "/r"
	// Digest makes the server ask for digest authentication, as Gerrit
	// did before 2.14.
	Digest   bool
	Accounts []GerritAccount
	// AnonymousOnly drops the Authorization header, as a proxy in front of
	// Gerrit might: /a/accounts/self then answers 403.
	AnonymousOnly bool
	// Projects answer the requests about named projects, by name.
	Projects map[string]GerritProject
	// NoCheckAccess: a version without the GET form of check.access
	// (404, as Gerrit answers a view it does not have).
	NoCheckAccess bool
	// HTTP2: the server (or its proxy) speaks HTTP/2 as well.
	HTTP2 bool
}

// Gerrit is a fake Gerrit Code Review. Every JSON answer starts with the
// magic line ")]}'" (rest-api.txt, Output Format). Its answers:
//
//   - account.json, capabilities.json and capabilities-admin.json are the
//     examples of Get Account and List Account Capabilities
//     (rest-api-accounts.txt); the fake fills in the user name.
//   - version.json is Get Version (rest-api-config.txt) with a newer
//     version; projects.json is the List Projects example (rest-api.txt)
//     with All-Projects and All-Users, which every account sees.
//   - A refused login is 401 with WWW-Authenticate: Basic realm="Gerrit
//     Code Review" for an unknown or inactive user and a wrong password
//     alike (ProjectBasicAuthFilter), its body the reason phrase as plain
//     text (HiddenErrorHandler): unauthorized.txt.
//   - authentication-required.txt is the 403 text of an AuthException
//     ("Authentication required", RestApiServlet) for a caller Gerrit
//     did not authenticate.
//
// The named projects (Projects), from rest-api-projects.txt and Gerrit's
// source:
//
//   - GET /a/projects/{name}: project.json, the Get Project example; a
//     missing or invisible project 404 with "Not found: NAME" as text
//     (ProjectsCollection throws ResourceNotFoundException for both; the
//     text is this fake's, after RestApiServlet's "Not found" replies); a
//     HIDDEN one 409 "project state HIDDEN does not permit read"
//     (ProjectState.checkStatePermitsRead).
//   - GET /a/projects/{name}/branches/: the List Branches example's shape
//     (branches.json), the readable branches, at most n.
//   - GET /a/projects/{name}/access fails the test: answering it, Gerrit
//     may commit updated group names to refs/meta/config (GetAccess.java,
//     "Update group names"), and a check never causes a write.
//   - GET /a/projects/{name}/check.access: AccessCheckInfo (the Check
//     Access example's shape), {"status": 200}, or status 403 with
//     CheckAccess's message "user %s (%s) lacks permission %s for %s in
//     project %s", for an account with View Access; 403 "View Access not
//     permitted" as text otherwise (CheckAccess checks
//     GlobalPermission.VIEW_ACCESS first; the text is this fake's).
type Gerrit struct {
	*Server
	opts GerritOptions
	// Busy counts the requests about named projects answered at once.
	Busy InFlight
}

// NewGerrit starts a fake Gerrit.
func NewGerrit(t testing.TB, o GerritOptions) *Gerrit {
	if o.Version == "" {
		o.Version = "3.9.1"
	}
	g := &Gerrit{opts: o}
	g.Server = startServer(t, http.HandlerFunc(g.serve), o.HTTP2)
	return g
}

// Web returns the address a user would type, with the prefix.
func (g *Gerrit) Web() string { return g.URL + g.opts.Prefix }

func (g *Gerrit) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, g.opts.Prefix+"/a/")
	if !ok && g.opts.Prefix != "" && !strings.HasPrefix(r.URL.Path, g.opts.Prefix+"/") {
		// The web server in front of a Gerrit under a path prefix.
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(Recorded("gitlab/web-server-not-found.html"))
		return
	}
	if !ok || r.Method != http.MethodGet {
		g.unexpected(w, r)
		return
	}
	if g.opts.AnonymousOnly {
		g.text(w, http.StatusForbidden, Recorded("gerrit/authentication-required.txt"))
		return
	}
	user, password, ok := r.BasicAuth()
	var acct *GerritAccount
	for i, a := range g.opts.Accounts {
		// Digest servers do not take Basic credentials at all.
		if ok && !g.opts.Digest && a.Username == user && a.Password == password && !a.Inactive {
			acct = &g.opts.Accounts[i]
		}
	}
	if acct == nil {
		if g.opts.Digest {
			w.Header().Set("WWW-Authenticate", `Digest realm="Gerrit Code Review", domain="/", qop="auth", nonce="a4d3b2c1"`)
		} else {
			w.Header().Set("WWW-Authenticate", `Basic realm="Gerrit Code Review"`)
		}
		g.text(w, http.StatusUnauthorized, Recorded("gerrit/unauthorized.txt"))
		return
	}
	switch rest {
	case "accounts/self":
		g.edited(w, "gerrit/account.json", map[string]any{"username": acct.Username})
	case "accounts/self/capabilities":
		if acct.Admin {
			g.json(w, Recorded("gerrit/capabilities-admin.json"))
			return
		}
		if acct.ViewAccess {
			g.edited(w, "gerrit/capabilities.json", map[string]any{"viewAccess": true})
			return
		}
		g.json(w, Recorded("gerrit/capabilities.json"))
	case "config/server/version":
		g.json(w, []byte(")]}'\n\""+g.opts.Version+"\"\n"))
	case "projects/":
		if acct.ConfigOnly {
			g.json(w, Recorded("gerrit/projects-config-only.json"))
			return
		}
		g.json(w, Recorded("gerrit/projects.json"))
	default:
		if strings.HasPrefix(rest, "projects/") && len(rest) > len("projects/") {
			g.project(w, r, acct)
			return
		}
		g.unexpected(w, r)
	}
}

// project answers the requests about a named project. The project's name
// is one escaped path segment (rest-api.txt: "the project name must be
// URL-encoded").
func (g *Gerrit) project(w http.ResponseWriter, r *http.Request, acct *GerritAccount) {
	defer g.Busy.enter()()
	raw := strings.TrimPrefix(r.URL.EscapedPath(), g.opts.Prefix+"/a/projects/")
	seg, view, _ := strings.Cut(raw, "/")
	name, err := url.PathUnescape(seg)
	if err != nil {
		g.unexpected(w, r)
		return
	}
	p, ok := g.opts.Projects[name]
	switch {
	case ok && p.Status != 0:
		g.text(w, p.Status, []byte("Internal server error"))
		return
	case !ok || p.Invisible:
		g.text(w, http.StatusNotFound, []byte("Not found: "+name))
		return
	case p.State == "HIDDEN":
		g.text(w, http.StatusConflict, []byte("project state HIDDEN does not permit read"))
		return
	}
	switch view {
	case "":
		g.edited(w, "gerrit/project.json", map[string]any{"id": url.PathEscape(name), "name": name, "state": orActive(p.State)})
	case "branches/", "branches":
		refs := []any{}
		if len(p.Branches) > 0 {
			refs = append(refs, map[string]any{"ref": "HEAD", "revision": p.Branches[0]})
		}
		for _, b := range p.Branches {
			refs = append(refs, map[string]any{"ref": "refs/heads/" + b, "revision": "67ebf73496383c6777035e374d2d664009e2aa5c"})
		}
		if n, err := strconv.Atoi(r.URL.Query().Get("n")); err == nil && n < len(refs) {
			refs = refs[:n]
		}
		body, _ := json.Marshal(refs)
		g.json(w, append([]byte(")]}'\n"), body...))
	case "check.access":
		if g.opts.NoCheckAccess {
			g.text(w, http.StatusNotFound, []byte("Not found"))
			return
		}
		if !acct.ViewAccess {
			g.text(w, http.StatusForbidden, []byte("View Access not permitted"))
			return
		}
		q := r.URL.Query()
		allowed := (q.Get("perm") == "create" && strings.HasPrefix(q.Get("ref"), "refs/heads/") && p.Create) ||
			(q.Get("perm") == "push" && strings.HasPrefix(q.Get("ref"), "refs/for/refs/heads/") && p.Upload)
		if allowed {
			g.json(w, []byte(")]}'\n{\"status\":200}\n"))
			return
		}
		msg := fmt.Sprintf("user John Doe <john.doe@example.com> (1000096) lacks permission %s for %s in project %s", q.Get("perm"), q.Get("ref"), name)
		body, _ := json.Marshal(map[string]any{"message": msg, "status": http.StatusForbidden})
		g.json(w, append([]byte(")]}'\n"), body...))
	default:
		g.unexpected(w, r)
	}
}

func orActive(state string) string {
	if state == "" {
		return "ACTIVE"
	}
	return state
}

func (g *Gerrit) json(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("Content-Disposition", "attachment")
	_, _ = w.Write(body)
}

func (g *Gerrit) text(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/plain; charset=ISO-8859-1")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// edited answers a recorded JSON body, magic line and all, with top-level
// fields replaced by set.
func (g *Gerrit) edited(w http.ResponseWriter, name string, set map[string]any) {
	body, ok := bytes.CutPrefix(Recorded(name), []byte(")]}'\n"))
	if !ok {
		panic(name + " lacks the magic line")
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		panic(err)
	}
	for k, v := range set {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	out, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	g.json(w, append([]byte(")]}'\n"), out...))
}
