package hosts

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Outcome is the verdict of a check; its number is the CLI's exit status.
type Outcome int

// The outcomes, numbered as gitpat-check's exit statuses.
const (
	Sufficient   Outcome = 0  // valid and enough for the Jira integration
	Insufficient Outcome = 1  // valid, but a scope, permission or SSO authorization is missing or unprovable
	Rejected     Outcome = 2  // invalid, expired, revoked, or not this host's token
	Unchecked    Outcome = 3  // network, TLS, timeout or an unexpected answer
	BadInput     Outcome = 64 // the fields cannot be used as they are
)

// Level grades a finding.
type Level int

// The levels of a finding.
const (
	Info Level = iota
	Warn
	Error
)

func (l Level) String() string { return [...]string{"info", "warn", "error"}[l] }

// MarshalText writes the level as info, warn or error.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Finding is one thing a check learned, in a sentence, with what to do.
type Finding struct {
	Level Level  `json:"level"`
	Text  string `json:"text"`
	Fix   string `json:"fix,omitempty"`
	Link  string `json:"link,omitempty"`
	// About names the report field a finding restates ("expires_at"), so
	// a renderer that shows the field may leave an informational finding out.
	About string `json:"about,omitempty"`
}

// Restates reports whether f only repeats a field a renderer shows anyway.
func (f Finding) Restates() bool { return f.Level == Info && f.About != "" }

// Report is everything a check says about a credential. It never holds the
// credential itself.
type Report struct {
	Host       string   `json:"host"`
	Server     string   `json:"server,omitempty"`
	Outcome    Outcome  `json:"outcome"`
	Valid      bool     `json:"valid"`
	Sufficient bool     `json:"sufficient"`
	Summary    string   `json:"summary"`
	User       string   `json:"user"`
	Name       string   `json:"name,omitempty"`
	TokenKind  string   `json:"token_kind,omitempty"`
	Scopes     []string `json:"scopes"`
	Needed     []string `json:"needed"`
	Missing    []string `json:"missing"`
	// Unverified names what the integration needs that gitpat could not
	// prove either way (a fine-grained token's permissions, a policy the
	// simulator may not read). Missing is only what is proven absent.
	Unverified []string   `json:"unverified"`
	ExpiresAt  *time.Time `json:"expires_at"`
	// ExpiryUnknown says the host cannot tell the token's expiry (Azure
	// DevOps): a nil ExpiresAt then means "unknown", not "never".
	ExpiryUnknown bool      `json:"expiry_unknown,omitempty"`
	Findings      []Finding `json:"findings"`
	// Repositories says, for each place the user named, whether the
	// integration is proven to work there.
	Repositories []RepoReport `json:"repositories"`
	// NeedsHTTPConsent is set with BadInput when the server URL is plain
	// http and the user has not agreed to send the token unencrypted: the
	// GUI asks, the CLI wants --allow-http.
	NeedsHTTPConsent bool `json:"-"`
}

// Unfinished is the report of a check that could not start, such as a
// saved token no longer in the keyring: the outcome and one sentence, in
// the report's full shape.
func Unfinished(host string, o Outcome, summary string) *Report {
	r := &Report{Host: host, Outcome: o, Summary: summary}
	if h := ByID(host); h != nil {
		r.Needed = slices.Clone(h.Needs)
	}
	r.settle()
	return r
}

func (r *Report) add(f Finding) { r.Findings = append(r.Findings, f) }

// fail ends a report with one finding.
func (r *Report) fail(o Outcome, f Finding) *Report {
	r.Outcome = o
	r.add(f)
	r.settle()
	return r
}

// settle derives the booleans and the summary from the outcome and keeps
// slices non-nil so JSON shows [] rather than null.
func (r *Report) settle() {
	r.Valid = r.Outcome == Sufficient || r.Outcome == Insufficient
	r.Sufficient = r.Outcome == Sufficient
	for _, s := range []*[]string{&r.Scopes, &r.Needed, &r.Missing, &r.Unverified} {
		if *s == nil {
			*s = []string{}
		}
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.Repositories == nil {
		r.Repositories = []RepoReport{}
	}
	if r.Summary == "" {
		r.Summary = map[Outcome]string{
			Sufficient:   "Ready: this token has what the Jira integration needs.",
			Insufficient: "The token works, but it is not enough for the Jira integration yet.",
			Rejected:     "The host rejected this token.",
			Unchecked:    "gitpat could not check the token.",
			BadInput:     "gitpat cannot check the token with these settings.",
		}[r.Outcome]
	}
}

// JSON returns the report as one indented JSON object.
func (r *Report) JSON() []byte {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		panic(err) // a Report has only plain fields
	}
	return b
}

// missing lists the needed scopes not in granted.
func missing(needed, granted []string) []string {
	var out []string
	for _, n := range needed {
		if !slices.Contains(granted, n) {
			out = append(out, n)
		}
	}
	return out
}

// judgeScopes sets the verdict from the granted scopes: sufficient when
// every needed scope is there, otherwise insufficient with the missing ones
// named and how to add them (fix, link).
func (r *Report) judgeScopes(needs []string, fix, link string) {
	r.Missing = missing(needs, r.Scopes)
	what := "the " + strings.Join(needs, " and ") + " scope"
	if len(r.Missing) == 0 {
		r.Outcome = max(r.Outcome, Sufficient)
		r.add(Finding{Level: Info, Text: "It has " + what + ", which the Jira integration needs."})
		return
	}
	r.Outcome = max(r.Outcome, Insufficient)
	granted := "no scopes"
	if len(r.Scopes) > 0 {
		granted = "only " + serverText(strings.Join(r.Scopes, ", "), "")
	}
	r.add(Finding{Level: Error, Text: "It lacks " + what + ": it has " + granted + ".", Fix: fix, Link: link})
}

// expiryFindings describes an expiry date against now.
func expiryFindings(r *Report, exp *time.Time, now time.Time, renew string) {
	if exp == nil {
		r.add(Finding{Level: Info, Text: "It has no expiration date.", About: "expires_at"})
		return
	}
	left := exp.Sub(now)
	date := exp.UTC().Format("2006-01-02")
	in := "in " + plural(int(left.Hours()/24), "day")
	if left < 24*time.Hour {
		in = "in less than a day"
	}
	switch {
	case left <= 0:
		r.add(Finding{Level: Error, Text: "It expired on " + date + ".", Fix: renew})
	case left < 14*24*time.Hour:
		r.add(Finding{Level: Warn, Text: "It expires on " + date + ", " + in + ".",
			Fix: "Before then: " + lower(renew)})
	default:
		r.add(Finding{Level: Info, Text: "It expires on " + date + ", " + in + ".", About: "expires_at"})
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// redact blanks out every secret, in every form a request carried it,
// from every string in the report: a last guard in case a server echoed a
// credential into text a check quotes.
func (r *Report) redact(secrets []string) {
	x := newRedactor(secrets)
	scrubAll(reflect.ValueOf(r), x.scrub)
}
