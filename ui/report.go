package ui

import (
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
)

// reportView shows a check's report: the verdict, the facts, and each
// finding with its fix. All text is selectable.
func reportView(r *hosts.Report, now time.Time) fyne.CanvasObject {
	icon, importance := theme.ErrorIcon(), widget.DangerImportance
	switch r.Outcome {
	case hosts.Sufficient:
		icon, importance = theme.NewSuccessThemedResource(theme.ConfirmIcon()), widget.SuccessImportance
	case hosts.Insufficient:
		icon, importance = theme.NewWarningThemedResource(theme.WarningIcon()), widget.WarningImportance
	default:
		icon = theme.NewErrorThemedResource(icon)
	}
	headline := selectable(r.Summary)
	headline.TextStyle = fyne.TextStyle{Bold: true}
	headline.Importance = importance
	box := container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(icon), nil, headline))
	// The places the user named answer the question asked ("will it work
	// there?"): their verdicts come at once, one line each; their
	// sections, which may refer to the token's findings above them,
	// follow those.
	for _, rp := range r.Repositories {
		box.Add(repoVerdict(rp))
	}

	facts := container.New(layout.NewFormLayout())
	fact := func(k, v string) {
		if v == "" {
			return
		}
		key := widget.NewLabelWithStyle(k, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		facts.Add(key)
		facts.Add(selectable(v))
	}
	user := r.User
	if r.Name != "" && r.Name != r.User {
		user += " (" + r.Name + ")"
	}
	fact("User", user)
	fact("Server", r.Server)
	fact("Token", r.TokenKind)
	if r.Valid {
		fact("Granted", orNone(strings.Join(r.Scopes, ", ")))
		fact("Needs", strings.Join(r.Needed, ", "))
		if len(r.Missing) > 0 {
			fact("Missing", strings.Join(r.Missing, ", "))
		}
		fact("Expires", r.ExpiryText(now))
	}
	if len(r.Unverified) > 0 {
		fact("Not proven", strings.Join(r.Unverified, ", "))
	}
	if len(facts.Objects) > 0 {
		box.Add(facts)
	}
	for _, f := range r.Findings {
		if r.Valid && f.Restates() {
			continue // the Expires row says it
		}
		box.Add(noteRow(f.Level, f.Text, f.Fix, f.Link))
	}
	if len(r.Repositories) > 0 {
		box.Add(widget.NewSeparator())
		box.Add(widget.NewLabelWithStyle("Repositories", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, rp := range r.Repositories {
			box.Add(repoView(r.Host, rp))
		}
	}
	return widget.NewCard("", "", box)
}

// verdictLook is the icon and colour of a repository's verdict.
func verdictLook(rp hosts.RepoReport) (fyne.Resource, widget.Importance) {
	switch rp.Verdict() {
	case "ready":
		return theme.NewSuccessThemedResource(theme.ConfirmIcon()), widget.SuccessImportance
	case "not allowed", "not found", "could not check":
		return theme.NewErrorThemedResource(theme.ErrorIcon()), widget.DangerImportance
	}
	return theme.NewWarningThemedResource(theme.WarningIcon()), widget.WarningImportance
}

// repoVerdict is one line under the headline: a named repository and its
// verdict.
func repoVerdict(rp hosts.RepoReport) fyne.CanvasObject {
	icon, importance := verdictLook(rp)
	l := selectable(rp.Name + ": " + rp.Verdict())
	l.Importance = importance
	return container.NewBorder(nil, nil, widget.NewIcon(icon), nil, l)
}

// repoView is one named repository (or organization, group, project):
// its verdict, the three abilities the integration needs, and what to do.
func repoView(host string, rp hosts.RepoReport) fyne.CanvasObject {
	icon, importance := verdictLook(rp)
	title := selectable(rp.Name + ": " + rp.Verdict())
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.Importance = importance
	lines := container.NewVBox(title)
	if !rp.Unchecked && (rp.Found == nil || *rp.Found) {
		abilities := selectable("Read: " + hosts.Ability(rp.Read) + " · Create branches: " + hosts.Ability(rp.Branch) +
			" · " + upperFirst(hosts.PullRequestsWord(host)) + ": " + hosts.Ability(rp.PullRequest))
		abilities.Importance = importance
		lines.Add(abilities)
	}
	for _, f := range rp.Findings {
		lines.Add(noteRow(f.Level, f.Text, f.Fix, f.Link))
	}
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, lines)
}

// noteRow is one finding or note: an icon by its level, the sentence,
// what to do, and a link.
func noteRow(level hosts.Level, text, fix, link string) fyne.CanvasObject {
	icon := map[hosts.Level]fyne.Resource{
		hosts.Info:  theme.InfoIcon(),
		hosts.Warn:  theme.NewWarningThemedResource(theme.WarningIcon()),
		hosts.Error: theme.NewErrorThemedResource(theme.ErrorIcon()),
	}[level]
	lines := container.NewVBox(selectable(text))
	if fix != "" {
		l := selectable("What to do: " + fix)
		l.TextStyle = fyne.TextStyle{Italic: true}
		lines.Add(l)
	}
	if u, err := url.Parse(link); link != "" && err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		h := widget.NewHyperlink(link, u)
		h.Wrapping = fyne.TextWrapBreak
		lines.Add(h)
	}
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, lines)
}

func selectable(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	return l
}

func orNone(s string) string {
	if s == "" {
		return "none that can be read"
	}
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
