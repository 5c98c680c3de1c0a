package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/secret"
)

// rotateDays are the lifetimes offered for a rotated token; the second is
// the default.
var rotateDays = []int{30, 90, 180, 365}

// rotateTarget is a token to rotate and where it lives.
type rotateTarget struct {
	host    *hosts.Host
	req     hosts.Request // with the token's secrets
	caFile  string
	account string // its keyring account; "" when it is not saved
	server  string
	user    string
	shown   func() // after the outcome is shown, if set
	copied  func() // after the new token was copied, if set
}

// rotated is what a rotation hands back to the tab or row that asked.
type rotated struct {
	secret  secret.Value
	report  *hosts.Report // the new token's check
	req     hosts.Request // the request with the new secret
	expires *time.Time
}

// confirmRotate asks first: the old token stops working at once. panel
// shows the progress and the outcome; done runs on the UI goroutine once
// the new token exists, before the panel shows it.
func (u *UI) confirmRotate(t rotateTarget, panel *fyne.Container, done func(rotated)) {
	labels := make([]string, len(rotateDays))
	for i, d := range rotateDays {
		labels[i] = fmt.Sprintf("in %d days (%s)", d, u.deps.Now().AddDate(0, 0, d).Format("2 Jan 2006"))
	}
	lifetime := newSelect(u, labels, nil)
	lifetime.SetSelectedIndex(1)
	text := paragraphs(fmt.Sprintf("%s will replace the token of %s on %s with a new one of the same name and scopes.", t.host.Name, t.user, t.server),
		"The old token stops working at once: the Jira integration fails until you paste the new token into it. "+
			"Rotate only when you can update the integration right away.")
	warn := warningLabel("This cannot be undone.")
	form := container.NewBorder(nil, nil, widget.NewLabel("The new token expires"), nil, lifetime)
	content := container.NewVBox(text, warn, form)
	// Cancel is the default: rotating cannot be undone.
	u.ask("Rotate the "+t.host.Name+" token?", content,
		choice{label: "Cancel", icon: theme.CancelIcon(), isDefault: true, isCancel: true},
		choice{label: "Rotate now", icon: theme.MediaReplayIcon(), importance: widget.DangerImportance, do: func() {
			days := rotateDays[max(lifetime.SelectedIndex(), 0)]
			u.rotate(t, u.deps.Now().AddDate(0, 0, days), panel, done)
		}})
}

// rotate asks the host for a new token, puts it in the keyring in place of
// the old one when the old one was saved, and checks it. Whatever fails,
// a new token the host issued stays on screen with Copy.
func (u *UI) rotate(t rotateTarget, until time.Time, panel *fyne.Container, done func(rotated)) {
	panel.Objects = []fyne.CanvasObject{widget.NewProgressBarInfinite(), widget.NewLabel("Asking " + t.host.Name + " for a new token…")}
	panel.Refresh()
	go func() {
		var (
			rot     *hosts.Rotation
			err     error
			saveErr error
			report  *hosts.Report
			req     = t.req
		)
		client, cerr := u.client(t.caFile)
		if cerr != nil {
			err = &hosts.RotateError{Finding: hosts.Finding{Level: hosts.Error, Text: "The CA file cannot be used: " + cerr.Error() + "."}}
		} else {
			ctx, cancel := u.checkContext()
			rot, err = t.host.Rotate(ctx, hosts.Env{HTTP: client, Now: u.deps.Now}, t.req, until)
			cancel()
		}
		if err == nil {
			req.Secrets = []secret.Value{rot.Secret}
			if t.account != "" {
				saveErr = u.deps.Vault.Save(t.account, req.Secrets)
			}
			ctx, cancel := u.checkContext()
			report = t.host.Check(ctx, hosts.Env{HTTP: client, Now: u.deps.Now}, req)
			cancel()
		}
		u.do(func() {
			if t.shown != nil {
				defer t.shown()
			}
			if err != nil {
				u.showRotateError(panel, err)
				return
			}
			expires := rot.ExpiresAt
			if report.Valid && report.ExpiresAt != nil {
				expires = report.ExpiresAt
			}
			u.kept(t.req.Secrets...) // rotated away, it no longer works: nothing to lose
			if t.account == "" || saveErr != nil {
				u.onlyHere = append(u.onlyHere, onlyHereToken{rot.Secret,
					fmt.Sprintf("the new %s token of %s on %s", t.host.Name, t.user, t.server)})
			}
			done(rotated{secret: rot.Secret, report: report, req: req, expires: expires})
			u.showRotated(t, panel, rot.Secret, report, saveErr)
		})
	}()
}

func (u *UI) showRotateError(panel *fyne.Container, err error) {
	var re *hosts.RotateError
	if !errors.As(err, &re) {
		re = &hosts.RotateError{Finding: hosts.Finding{Level: hosts.Error, Text: err.Error()}}
	}
	panel.Objects = []fyne.CanvasObject{noteRow(u, hosts.Error, re.Text, re.Fix, re.Link)}
	panel.Refresh()
}

// showRotated shows the new token's outcome. With the keyring write
// failed, the new token exists nowhere but here: Copy stays until the
// user has taken it, and the text says so.
func (u *UI) showRotated(t rotateTarget, panel *fyne.Container, s secret.Value, r *hosts.Report, saveErr error) {
	head := widget.NewLabelWithStyle(t.host.Name+" rotated the token: the old one no longer works.", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = fyne.TextWrapWord
	next := text("Paste the new token into the Jira integration now.")
	var keyring fyne.CanvasObject
	switch {
	case t.account != "" && saveErr != nil:
		keyring = warningLabel("The new token could not be saved in the keyring (" + saveErr.Error() + "), which still holds the old, " +
			"now useless one. The new token exists only here: copy it and paste it into the integration before you close gitpat.")
	case t.account != "":
		keyring = text("The keyring now holds the new token in place of the old one.")
	default:
		keyring = text("The old token was not in the keyring, so neither is the new one: \"Save to keyring\" keeps it.")
	}
	copied := widget.NewLabel("")
	copied.Hide()
	copyBtn := newButton(u, "Copy new token", theme.ContentCopyIcon(), func() {
		u.copyToClipboard(s, labelNote{copied})
		if t.copied != nil {
			t.copied()
		}
	})
	copyBtn.Importance = widget.HighImportance
	panel.Objects = []fyne.CanvasObject{widget.NewCard("", "", container.NewVBox(
		head, next, keyring, container.NewHBox(copyBtn), copied, widget.NewLabel("The new token, checked at once:"), reportView(u, r, u.deps.Now()),
	))}
	panel.Refresh()
}

// labelNote shows a copy's countdown in one label.
type labelNote struct{ l *widget.Label }

func (n labelNote) showCopied(left time.Duration) { n.l.SetText(copiedText(left)); n.l.Show() }
func (n labelNote) showCleared(cleared bool)      { n.l.SetText(clearedText(cleared)); n.l.Show() }
func (n labelNote) hideCopied()                   { n.l.Hide() }

// onlyHereToken is a rotated token that exists nowhere but in this window:
// the keyring does not hold it and it has not been copied. The host shows
// a token only once and the old one no longer works, so closing gitpat
// asks first (closeOrAsk).
type onlyHereToken struct {
	secret secret.Value
	what   string // "the new GitLab token of alice on gitlab.com"
}

// kept forgets the rotated tokens among secrets: copied or saved, they
// exist outside this window now.
func (u *UI) kept(secrets ...secret.Value) {
	u.onlyHere = slices.DeleteFunc(u.onlyHere, func(o onlyHereToken) bool {
		return slices.ContainsFunc(secrets, o.secret.Equal)
	})
}

// closeOrAsk runs quit, unless a rotated token exists only in this window:
// then it asks first, Keep gitpat open being the default.
func (u *UI) closeOrAsk(quit func()) {
	if len(u.onlyHere) == 0 {
		quit()
		return
	}
	if u.askingClose {
		return // the question is on screen
	}
	u.askingClose = true
	head, it := "Not in the keyring and not copied, this token exists only in this window:", "it"
	if len(u.onlyHere) > 1 {
		head, it = "Not in the keyring and not copied, these tokens exist only in this window:", "them"
	}
	lines := []string{head}
	for _, o := range u.onlyHere {
		lines = append(lines, "• "+strings.ToUpper(o.what[:1])+o.what[1:]+".")
	}
	lines = append(lines, "A host hands out a new token only once, and the token it replaced no longer works. "+
		"Copy "+it+" into the Jira integration or save "+it+" to the keyring before you close gitpat.")
	u.ask("Close gitpat?", paragraphs(lines...),
		choice{label: "Keep gitpat open", isDefault: true, isCancel: true, importance: widget.HighImportance,
			do: func() { u.askingClose = false }},
		choice{label: "Close anyway", importance: widget.DangerImportance,
			do: func() { u.askingClose = false; quit() }},
	)
}
