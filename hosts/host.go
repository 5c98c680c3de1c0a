// Package hosts knows the git hosts gitpat helps with: how a user creates a
// token on each (steps, notes, the token page) and how to check one against
// the host's API. It has no UI: the GUI and the CLI render what it returns.
//
// Data flows one way: the fields of a tab and the pasted secret become a
// Request; Host.Check turns it into a Report.
package hosts

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

// Host is one git host: everything the tab shows and the check behind it.
type Host struct {
	ID      string // the CLI's HOST word
	Name    string // the tab title
	Family  string // whose token shape this host issues, see Classify
	Summary string // one sentence: the token the Jira integration needs
	// Needs names the scopes or permissions the integration needs.
	Needs    []string
	Variants []Variant
	Secrets  []SecretField
	// Repos says how the host names the repositories the integration will
	// connect; nil when a check cannot look at particular repositories.
	Repos *RepoSpec
	Steps []Step
	Notes []Note
	// TokenPage returns the page where the token is created, prefilled
	// where the host allows it; with an error when the fields are not enough.
	TokenPage func(Request) (string, error)
	// Regenerate says where the token page regenerates a token, for hosts
	// gitpat cannot rotate tokens of itself (see rotate.go); nil if none.
	Regenerate *Regeneration

	check  func(ctx context.Context, env Env, req Request) *Report
	rotate Rotator // changes the server: never called by a check
}

// Variant is one flavour of a host, such as github.com or an Enterprise
// server, with the fields it needs.
type Variant struct {
	ID     string
	Label  string
	Fields []Field
}

// Field is an input besides the secret: a server URL, an organization, a
// region.
type Field struct {
	Key         string // "url", "org", "region", "user", "expires"
	Label       string
	Placeholder string
	Help        string
	Choices     []string // a fixed list to pick from
	Default     string
	Optional    bool
	// WithSecret shows the field beside the secrets, after the server's
	// settings: the account name or email the secret signs in with.
	WithSecret bool
	Multiline  bool // several lines, such as a list of repositories
}

// SecretField is one credential the user pastes: a token, or an access key
// ID and its secret.
type SecretField struct {
	Label       string
	Placeholder string
	Visible     bool // shown in clear while typed (an access key ID); masked otherwise
}

// Step is one numbered instruction with its illustration (a name in the
// assets package).
type Step struct {
	Text         string
	Illustration string
}

// Note is advice shown beside the steps.
type Note struct {
	Level Level
	Text  string
	Link  string
}

// Request is what the user entered in a tab.
type Request struct {
	Variant string            // a Variant.ID; the first variant when empty
	Fields  map[string]string // Field.Key → value as typed
	Secrets []secret.Value    // one per SecretField, in order
	// AllowHTTP records the user's consent to send the token over plain
	// http to an on-premises server.
	AllowHTTP bool
	// Repos are the repositories (or organizations, groups, projects) to
	// prove the token on, in the host's form; Host.Check fills it from the
	// repos field.
	Repos []string
}

// Field returns the value of the field with the given key.
func (r Request) Field(key string) string { return r.Fields[key] }

// Env is what a check may use of the outside world.
type Env struct {
	HTTP *httpx.Client
	Now  func() time.Time
}

// Checkable reports whether gitpat can test this host's tokens yet.
func (h *Host) Checkable() bool { return h.check != nil }

// Variant returns the variant with the given ID, or the first.
func (h *Host) Variant(id string) Variant {
	for _, v := range h.Variants {
		if v.ID == id {
			return v
		}
	}
	return h.Variants[0]
}

// VariantFor picks the first variant that has a field for every key set in
// fields (the CLI knows flags, not variants).
func (h *Host) VariantFor(fields map[string]string) Variant {
	for _, v := range h.Variants {
		ok := true
		for k, val := range fields {
			if val != "" && k != RepoFieldKey && !v.HasField(k) {
				ok = false
			}
		}
		if ok {
			return v
		}
	}
	return h.Variants[len(h.Variants)-1]
}

// HasField reports whether the variant asks for the field with that key.
func (v Variant) HasField(key string) bool {
	for _, f := range v.Fields {
		if f.Key == key {
			return true
		}
	}
	return false
}

// Check tests the credentials in req against the host. It never returns
// nil, never panics on a host's answer and never puts a secret in the
// report. A credential that looks like another host's is not sent at all.
func (h *Host) Check(ctx context.Context, env Env, req Request) *Report {
	r := &Report{Host: h.ID, Needed: slices.Clone(h.Needs)}
	if env.Now == nil {
		env.Now = time.Now
	}
	if h.check == nil {
		return r.fail(Unchecked, Finding{Level: Error, Text: "gitpat cannot test " + h.Name + " tokens yet.",
			Fix: "Follow the steps to create the token and check it in " + h.Name + " by hand."})
	}
	if len(req.Secrets) != len(h.Secrets) {
		return r.fail(BadInput, Finding{Level: Error, Text: fmt.Sprintf("%s needs %d secret value(s), got %d.", h.Name, len(h.Secrets), len(req.Secrets))})
	}
	for i, s := range req.Secrets {
		if s.IsZero() {
			return r.fail(BadInput, Finding{Level: Error, Text: "Paste the " + lower(h.Secrets[i].Label) + " first."})
		}
		if shape := Classify(s.Reveal()); shape.Family != "" && shape.Family != h.Family {
			return r.fail(Rejected, Finding{Level: Error,
				Text: fmt.Sprintf("This looks like %s, not a %s credential; gitpat did not send it.", shape.Kind, h.Name),
				Fix:  "Paste it in the " + FamilyTab(shape.Family) + " tab, or create a " + h.Name + " token with the steps shown."})
		}
	}
	names, err := h.RepoNames(req)
	if err != nil {
		return r.fail(BadInput, Finding{Level: Error, Text: err.Error(),
			Fix: "Name each as " + h.Repos.Placeholder + ", or paste its clone or web address."})
	}
	req.Repos = names
	if env.HTTP == nil {
		c, err := httpx.New(httpx.Options{})
		if err != nil {
			return r.fail(Unchecked, Finding{Level: Error, Text: err.Error()})
		}
		env.HTTP = c
	}
	out := h.check(ctx, env, req)
	out.Host, out.Needed = h.ID, slices.Clone(h.Needs) // redaction writes to the report: never to the host's data
	revealed := make([]string, len(req.Secrets))
	for i, s := range req.Secrets {
		revealed[i] = s.Reveal()
	}
	out.settleRepos(req.Repos)
	if out.Outcome == Sufficient && len(out.Unverified) > 0 {
		// Ready means proven: what could not be proven keeps it from Ready.
		out.Outcome = Insufficient
		if out.Summary == "" || strings.HasPrefix(out.Summary, "Ready") {
			out.Summary = "The token works, but gitpat could not prove all that the Jira integration needs."
		}
	}
	out.redact(revealed)
	out.settle()
	return out
}

func lower(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
