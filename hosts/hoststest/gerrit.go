package hoststest

import (
	"bytes"
	"encoding/json"
	"net/http"
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
type Gerrit struct {
	*Server
	opts GerritOptions
}

// NewGerrit starts a fake Gerrit.
func NewGerrit(t testing.TB, o GerritOptions) *Gerrit {
	if o.Version == "" {
		o.Version = "3.9.1"
	}
	g := &Gerrit{opts: o}
	g.Server = start(t, http.HandlerFunc(g.serve))
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
		g.unexpected(w, r)
	}
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
		m[k] = v
	}
	out, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	g.json(w, append([]byte(")]}'\n"), out...))
}
