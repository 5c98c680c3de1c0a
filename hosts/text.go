package hosts

import (
	"fmt"
	"strings"
	"time"
)

// Text renders the report as plain text for a terminal, the same facts
// the GUI shows.
func (r *Report) Text(now time.Time) string {
	var b strings.Builder
	name := r.Host
	if h := ByID(r.Host); h != nil {
		name = h.Name
	}
	fmt.Fprintf(&b, "%s: %s\n", name, r.Summary)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "  %-11s %s\n", k+":", v)
		}
	}
	row("Server", r.Server)
	user := r.User
	if r.Name != "" && r.Name != r.User {
		user += " (" + r.Name + ")"
	}
	row("User", user)
	row("Token", r.TokenKind)
	if r.Valid {
		row("Granted", orDefault(strings.Join(r.Scopes, ", "), "none readable"))
		row("Needs", strings.Join(r.Needed, ", "))
		row("Missing", strings.Join(r.Missing, ", "))
		row("Expires", r.ExpiryText(now))
	}
	// What could not be proven matters most when the check could not
	// finish: it says what a retry would settle.
	row("Not proven", strings.Join(r.Unverified, ", "))
	for _, f := range r.Findings {
		if r.Valid && f.Restates() {
			continue
		}
		writeFinding(&b, "  ", f)
	}
	for _, rp := range r.Repositories {
		fmt.Fprintf(&b, "  %s %s: %s\n", upperFirst(orDefault(rp.Kind, "repository")), rp.Name, rp.Verdict())
		if !rp.Unchecked && (rp.Found == nil || *rp.Found) {
			fmt.Fprintf(&b, "    read: %s, create branches: %s, %s: %s\n", Ability(rp.Read), Ability(rp.Branch), PullRequestsWord(r.Host), Ability(rp.PullRequest))
		}
		for _, f := range rp.Findings {
			writeFinding(&b, "    ", f)
		}
	}
	return b.String()
}

func writeFinding(b *strings.Builder, indent string, f Finding) {
	mark := map[Level]string{Info: "-", Warn: "!", Error: "x"}[f.Level]
	fmt.Fprintf(b, "%s%s %s\n", indent, mark, f.Text)
	if f.Fix != "" {
		fmt.Fprintf(b, "%s  Fix: %s\n", indent, f.Fix)
	}
	if f.Link != "" {
		fmt.Fprintf(b, "%s  Link: %s\n", indent, f.Link)
	}
}

// Ability says what an ability of a RepoReport is: "yes" (proven), "no"
// (proven not allowed) or "not proven".
func Ability(b *bool) string {
	switch {
	case b == nil:
		return "not proven"
	case *b:
		return "yes"
	}
	return "no"
}

// ExpiryText says when the token expires: a date with days left, or that
// it never does.
func (r *Report) ExpiryText(now time.Time) string {
	if r.ExpiresAt == nil && r.ExpiryUnknown {
		return "unknown (not readable with the token)"
	}
	if r.ExpiresAt == nil {
		return "no expiration"
	}
	left := r.ExpiresAt.Sub(now)
	date := r.ExpiresAt.UTC().Format("2006-01-02")
	switch days := int(left.Hours() / 24); {
	case left <= 0:
		return date + " (expired)"
	case days == 0:
		return date + " (less than a day left)"
	default:
		return fmt.Sprintf("%s (%s left)", date, plural(days, "day"))
	}
}
