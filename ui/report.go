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
// finding with its fix, and a button that copies it all as text. Its
// sentences are plain labels, so Tab goes from link to link and to the
// button rather than through every sentence.
func reportView(u *UI, r *hosts.Report, now time.Time) fyne.CanvasObject {
	icon, importance := theme.ErrorIcon(), widget.DangerImportance
	switch r.Outcome {
	case hosts.Sufficient:
		icon, importance = theme.NewSuccessThemedResource(theme.ConfirmIcon()), widget.SuccessImportance
	case hosts.Insufficient:
		icon, importance = theme.NewWarningThemedResource(theme.WarningIcon()), widget.WarningImportance
	default:
		icon = theme.NewErrorThemedResource(icon)
	}
	headline := text(r.Summary)
	headline.TextStyle = fyne.TextStyle{Bold: true}
	headline.Importance = importance
	box := container.NewVBox(container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, headline))
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
		facts.Add(text(v))
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
		box.Add(noteRow(u, f.Level, f.Text, f.Fix, f.Link))
	}
	if len(r.Repositories) > 0 {
		box.Add(widget.NewSeparator())
		box.Add(widget.NewLabelWithStyle("Repositories", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, rp := range r.Repositories {
			box.Add(repoView(u, r.Host, rp))
		}
	}
	if u != nil {
		var copyText *button
		copyText = newButton(u, "Copy this result", theme.ContentCopyIcon(), func() {
			u.app.Clipboard().SetContent(r.Text(now))
			copyText.SetText("Result copied as text")
		})
		copyText.Importance = widget.LowImportance
		box.Add(container.NewHBox(copyText))
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
	l := text(rp.Name + ": " + rp.Verdict())
	l.Importance = importance
	return container.NewBorder(nil, nil, widget.NewIcon(icon), nil, l)
}

// repoView is one named repository (or organization, group, project):
// its verdict, the three abilities the integration needs, and what to do.
func repoView(u *UI, host string, rp hosts.RepoReport) fyne.CanvasObject {
	icon, importance := verdictLook(rp)
	title := text(rp.Name + ": " + rp.Verdict())
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.Importance = importance
	lines := container.NewVBox(title)
	if !rp.Unchecked && (rp.Found == nil || *rp.Found) {
		abilities := text("Read: " + hosts.Ability(rp.Read) + " · Create branches: " + hosts.Ability(rp.Branch) +
			" · " + upperFirst(hosts.PullRequestsWord(host)) + ": " + hosts.Ability(rp.PullRequest))
		abilities.Importance = importance
		lines.Add(abilities)
	}
	for _, f := range rp.Findings {
		lines.Add(noteRow(u, f.Level, f.Text, f.Fix, f.Link))
	}
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, lines)
}

// noteRow is one finding or note: an icon by its level, the sentence,
// what to do, and a link.
func noteRow(u *UI, level hosts.Level, sentence, fix, link string) fyne.CanvasObject {
	icon := map[hosts.Level]fyne.Resource{
		hosts.Info:  theme.InfoIcon(),
		hosts.Warn:  theme.NewWarningThemedResource(theme.WarningIcon()),
		hosts.Error: theme.NewErrorThemedResource(theme.ErrorIcon()),
	}[level]
	lines := container.NewVBox(newParagraph(sentence))
	if fix != "" {
		l := newParagraph("What to do: " + fix)
		l.TextStyle = fyne.TextStyle{Italic: true}
		lines.Add(l)
	}
	if l, err := url.Parse(link); link != "" && err == nil && (l.Scheme == "https" || l.Scheme == "http") {
		lines.Add(newLink(u, link, l))
	}
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, lines)
}

// link is a hyperlink with a focus ring that Enter opens too, through
// Deps.OpenURL.
type link struct {
	widget.Hyperlink
	ui       *UI
	hasFocus bool
}

func newLink(u *UI, text string, to *url.URL) *link {
	l := &link{ui: u}
	l.Text, l.URL = text, to
	l.Wrapping = fyne.TextWrapBreak
	if u != nil && u.deps.OpenURL != nil {
		l.OnTapped = func() { _ = u.deps.OpenURL(to.String()) }
	}
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer adds the focus ring to the link's renderer.
func (l *link) CreateRenderer() fyne.WidgetRenderer {
	return newRingRenderer(l, l.Hyperlink.CreateRenderer(), func() bool { return l.hasFocus })
}

// FocusGained shows the ring.
func (l *link) FocusGained() { l.hasFocus = true; l.Hyperlink.FocusGained(); l.ui.revealFocus(l) }

// FocusLost hides the ring.
func (l *link) FocusLost() { l.hasFocus = false; l.Hyperlink.FocusLost() }

// TypedKey opens the link on Enter as on Space; Esc closes the dialog on top.
func (l *link) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		l.Hyperlink.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	case fyne.KeyEscape:
		if l.ui != nil {
			l.ui.escape()
		}
	default:
		l.Hyperlink.TypedKey(ev)
	}
}

// helpLabel explains a setting in small, wrapped text.
func helpLabel(s string) *widget.Label {
	l := text(s)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// text is a wrapped sentence.
func text(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
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
