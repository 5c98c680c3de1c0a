package ui

import (
	"net/url"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/secret"
)

// tokenActions are what a host's tab offers for a token that passed,
// besides Copy and Save: a calendar reminder of its expiry, and Rotate
// (GitLab) or where the token page regenerates it (other hosts).
type tokenActions struct {
	tab     *hostTab
	box     *fyne.Container // the buttons and the panel below them
	buttons *fyne.Container
	panel   *fyne.Container // a rotation's progress and outcome
	note    *widget.Label
	untaken bool // the panel shows a rotated token not yet copied: it stays
}

func newTokenActions(t *hostTab) *tokenActions {
	a := &tokenActions{tab: t, buttons: container.NewHBox(), panel: container.NewVBox(), note: widget.NewLabel("")}
	a.note.Wrapping = fyne.TextWrapWord
	a.note.Hide()
	a.box = container.NewVBox(a.buttons, a.note, a.panel)
	return a
}

func (a *tokenActions) say(text string) {
	a.note.SetText(text)
	a.note.Show()
}

// show offers the actions for the report r about the secrets in req.
func (a *tokenActions) show(r *hosts.Report, req hosts.Request) {
	a.buttons.RemoveAll()
	if !r.Valid || len(req.Secrets) == 0 {
		return
	}
	t := a.tab
	if rem, ok := calendarReminder(t.host, req, r.Server, r.User, r.ExpiresAt); ok {
		a.buttons.Add(t.ui.calendarButton(rem, a.say))
	}
	switch {
	case t.host.CanRotate() && r.Sufficient:
		a.buttons.Add(newButton(t.ui, "Rotate token…", theme.MediaReplayIcon(), func() { a.rotate(r, req) }))
	case t.host.Regenerate != nil:
		a.buttons.Add(t.ui.renewButton(t.host, req))
	}
}

// clear forgets the actions once the result they were about is gone; a
// rotated token not yet copied stays on screen.
func (a *tokenActions) clear() {
	a.buttons.RemoveAll()
	if !a.untaken {
		a.panel.RemoveAll()
	}
	a.note.Hide()
}

// rotate replaces the tested token; the tab then holds and shows the new
// one, so Copy and Save act on it.
func (a *tokenActions) rotate(r *hosts.Report, req hosts.Request) {
	t := a.tab
	account := accountName(t.host, r.Server, r.User)
	if !slices.ContainsFunc(t.ui.loadSaved(), func(s savedToken) bool { return s.Account == account }) || t.ui.deps.Vault == nil {
		account = ""
	}
	target := rotateTarget{host: t.host, req: req, caFile: req.Fields["ca"], account: account, server: r.Server, user: r.User,
		shown: func() {
			if t.right != nil {
				t.right.ScrollToBottom() // the panel with the new token's Copy
			}
		},
		copied: func() { a.untaken = false }}
	t.ui.confirmRotate(target, a.panel, func(n rotated) {
		a.untaken = true
		t.secrets[0].SetText(n.secret.Reveal()) // clears the old result
		t.showResult(n.report, n.req)
		if account != "" {
			t.ui.recordCheck(account, n.report, n.expires)
		}
	})
}

// renewButton says where the host's token page regenerates a token.
func (u *UI) renewButton(h *hosts.Host, req hosts.Request) *button {
	return newButton(u, "How to renew", theme.HelpIcon(), func() {
		box := container.NewVBox(paragraphs(h.Regenerate.Text))
		if page, err := h.RenewalPage(req); err == nil && page != "" {
			if link, err := url.Parse(page); err == nil {
				box.Add(newLink(u, page, link))
			}
		}
		u.ask("Renew the "+h.Name+" "+h.CredentialNoun(), box, choice{label: "Close", isDefault: true, isCancel: true})
	})
}

// recordCheck writes a rotated token's check into the list, with its new
// expiry date.
func (u *UI) recordCheck(account string, r *hosts.Report, expires *time.Time) {
	u.updateSaved(func(list []savedToken) []savedToken {
		for i := range list {
			if list[i].Account == account {
				list[i].CheckedAt, list[i].Summary, list[i].Outcome = u.deps.Now(), r.Summary, r.Outcome
				list[i].ExpiresAt = expires
			}
		}
		return list
	})
}

// savedRowActions are the saved-token row's extra buttons: a calendar
// reminder, and Rotate or How to renew. say reports in the row.
func (v *savedView) rowActions(s savedToken, h *hosts.Host) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	say := func(text string) { v.say(text) }
	if rem, ok := calendarReminder(h, s.Request(), s.Server, s.User, s.ExpiresAt); ok {
		out = append(out, v.ui.calendarButton(rem, say))
	}
	switch {
	case h.CanRotate():
		out = append(out, newButton(v.ui, "Rotate token…", theme.MediaReplayIcon(), func() { v.rotate(s, h) }))
	case h.Regenerate != nil:
		out = append(out, v.ui.renewButton(h, s.Request()))
	}
	return out
}

// rotatePanel is the row's rotation panel, kept across redraws so a new
// token stays on screen until the user has taken it.
func (v *savedView) rotatePanel(account string) *fyne.Container {
	if v.panels == nil {
		v.panels = map[string]*fyne.Container{}
	}
	p := v.panels[account]
	if p == nil {
		p = container.NewVBox()
		v.panels[account] = p
	}
	return p
}

// rotate reads the saved token from the keyring, then rotates it there.
func (v *savedView) rotate(s savedToken, h *hosts.Host) {
	var secrets []secret.Value
	v.background(func() (err error) {
		secrets, err = v.ui.deps.Vault.Load(s.Account)
		return err
	}, func(err error) {
		if err != nil {
			v.say("Could not read the token from the keyring: " + err.Error())
			return
		}
		req := s.Request()
		req.Secrets = secrets
		target := rotateTarget{host: h, req: req, caFile: s.CAFile(), account: s.Account, server: s.Server, user: s.User}
		v.ui.confirmRotate(target, v.rotatePanel(s.Account), func(n rotated) {
			v.results[s.Account] = nil // the panel shows the new token's check
			v.ui.recordCheck(s.Account, n.report, n.expires)
		})
	})
}

// hasPanel reports whether a row has a rotation to show.
func (v *savedView) hasPanel(account string) bool {
	p := v.panels[account]
	return p != nil && len(p.Objects) > 0
}
