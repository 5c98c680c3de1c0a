package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/savedlist"
	"github.com/gitpat/gitpat/internal/secret"
)

// Vault keeps secrets; vault.Store is the real one.
type Vault interface {
	Save(account string, secrets []secret.Value) error
	Load(account string) ([]secret.Value, error)
	Delete(account string) error
}

// savedToken is what gitpat remembers of a token it saved (no secret).
type savedToken = savedlist.Token

// accountName is how a saved token is labelled in the keyring.
func accountName(h *hosts.Host, server, user string) string {
	if server == "" {
		server = h.Name
	}
	return fmt.Sprintf("%s on %s (%s)", user, server, h.ID)
}

// expiringSoon lists saved tokens that expire within 14 days (or have).
func expiringSoon(list []savedToken, now time.Time) []savedToken {
	return savedlist.Expiring(list, now, savedlist.DefaultWithin)
}

// savedView is the "Saved tokens" tab.
type savedView struct {
	ui      *UI
	content fyne.CanvasObject
	rows    *fyne.Container
	banner  *widget.Label
	status  *widget.Label
	results map[string]*hosts.Report   // last re-check per account, this session
	busy    map[string]bool            // accounts being re-checked
	panels  map[string]*fyne.Container // rotations shown, by account (rotate.go)
}

func newSavedView(u *UI) *savedView {
	v := &savedView{ui: u, rows: container.NewVBox(), results: map[string]*hosts.Report{}, busy: map[string]bool{}}
	intro := widget.NewLabel("Tokens you saved to the system keyring. This list holds no secrets: the tokens themselves stay in the keyring until you delete them here.")
	intro.Wrapping = fyne.TextWrapWord
	v.banner = warningLabel("")
	v.banner.Hide()
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.status.Hide()
	recheckAll := widget.NewButtonWithIcon("Re-check all", theme.ViewRefreshIcon(), v.recheckAll)
	clear := container.NewHBox(widget.NewLabel("Clear the clipboard after"), u.clearSelect())
	settings := container.NewVBox(heading("Settings"), clear, u.clipNote())
	if r := u.remindSettings(); r != nil {
		settings.Add(r)
	}
	v.content = container.NewVScroll(container.NewPadded(container.NewVBox(
		heading("Saved tokens"), intro, v.banner, container.NewHBox(recheckAll), v.status, v.rows,
		widget.NewSeparator(), settings,
	)))
	v.refresh()
	return v
}

// refresh redraws the list from the preferences.
func (v *savedView) refresh() {
	list := v.ui.loadSaved()
	v.rows.RemoveAll()
	if len(list) == 0 {
		v.rows.Add(widget.NewLabel("Nothing saved yet. After a successful test, choose \"Save to keyring\" in a host's tab."))
	}
	for _, s := range list {
		v.rows.Add(v.row(s))
	}
	soon := expiringSoon(list, v.ui.deps.Now())
	v.banner.Hidden = len(soon) == 0
	if len(soon) > 0 {
		text := fmt.Sprintf("%d saved tokens expire within 14 days or already have: create new ones and update the integration.", len(soon))
		if len(soon) == 1 {
			text = "1 saved token expires within 14 days or already has: create a new one and update the integration."
		}
		v.banner.SetText(text)
	}
	v.ui.setSavedTitle(len(soon))
}

// row shows one saved token with its actions.
func (v *savedView) row(s savedToken) fyne.CanvasObject {
	h := hosts.ByID(s.Host)
	if h == nil {
		return widget.NewLabel("Unknown host " + s.Host)
	}
	title := widget.NewLabelWithStyle(h.Name+" · "+s.User, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r := &hosts.Report{ExpiresAt: s.ExpiresAt}
	expiry := selectable("Expires " + r.ExpiryText(v.ui.deps.Now()) + ", as last seen")
	if len(expiringSoon([]savedToken{s}, v.ui.deps.Now())) > 0 {
		expiry.Importance = widget.WarningImportance
	}
	details := container.NewVBox(selectable(s.Server), expiry)
	if !s.CheckedAt.IsZero() {
		details.Add(selectable("Last checked " + s.CheckedAt.Local().Format("2006-01-02 15:04") + ": " + s.Summary))
	}
	result := container.NewVBox()
	recheck := widget.NewButtonWithIcon("Re-check", theme.ViewRefreshIcon(), func() { v.recheck(s) })
	if v.busy[s.Account] {
		recheck.Disable()
		result.Add(widget.NewProgressBarInfinite())
	} else if r := v.results[s.Account]; r != nil {
		result.Add(reportView(r, v.ui.deps.Now()))
	}
	if v.hasPanel(s.Account) {
		result.Add(v.rotatePanel(s.Account))
	}
	buttons := container.NewHBox(recheck)
	for i, f := range h.Secrets {
		label := "Copy " + lowerFirst(f.Label)
		if len(h.Secrets) == 1 {
			label = "Copy"
		}
		buttons.Add(widget.NewButtonWithIcon(label, theme.ContentCopyIcon(), func() { v.copy(s, i) }))
	}
	buttons.Objects = append(buttons.Objects, v.rowActions(s, h)...)
	del := widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() { v.confirmDelete(s) })
	del.Importance = widget.DangerImportance
	buttons.Add(del)
	return widget.NewCard("", "", container.NewVBox(title, details, buttons, result))
}

// background runs work off the UI goroutine and then done on it.
func (v *savedView) background(work func() error, done func(error)) {
	go func() {
		err := work()
		fyne.Do(func() { done(err) })
	}()
}

func (v *savedView) say(text string) {
	v.status.SetText(text)
	v.status.Show()
}

func (v *savedView) copy(s savedToken, i int) {
	var secrets []secret.Value
	v.background(func() (err error) {
		secrets, err = v.ui.deps.Vault.Load(s.Account)
		return err
	}, func(err error) {
		if err != nil || i >= len(secrets) {
			v.say(fmt.Sprintf("Could not read the token from the keyring: %v", orText(err, "it is incomplete")))
			return
		}
		v.ui.copyToClipboard(secrets[i], nil)
		v.say("Copied. " + v.ui.clearNotice())
	})
}

func (v *savedView) confirmDelete(s savedToken) {
	h := hosts.ByID(s.Host)
	dialog.ShowConfirm("Delete the saved token?",
		fmt.Sprintf("This removes the %s token of %s from the keyring.\nThe token itself keeps working until you revoke it on %s.", h.Name, s.User, h.Name),
		func(ok bool) {
			if !ok {
				return
			}
			v.background(func() error { return v.ui.deps.Vault.Delete(s.Account) }, func(err error) {
				if err != nil {
					v.say("Could not delete it from the keyring: " + err.Error())
					return
				}
				v.ui.updateSaved(func(list []savedToken) []savedToken {
					return slices.DeleteFunc(list, func(o savedToken) bool { return o.Account == s.Account })
				})
				v.say("Deleted.")
			})
		}, v.ui.win)
}

// recheck tests a saved token again; the result shows under its row.
func (v *savedView) recheck(s savedToken) {
	if v.busy[s.Account] {
		return
	}
	h := hosts.ByID(s.Host)
	v.busy[s.Account] = true
	v.refresh()
	var report *hosts.Report
	v.background(func() error {
		secrets, err := v.ui.deps.Vault.Load(s.Account)
		if err != nil {
			return err
		}
		client, err := v.ui.client(s.Fields["ca"])
		if err != nil {
			return err
		}
		ctx, cancel := v.ui.checkContext()
		defer cancel()
		report = h.Check(ctx, hosts.Env{HTTP: client, Now: v.ui.deps.Now}, hosts.Request{
			Variant: s.Variant, Fields: s.Fields, Secrets: secrets, AllowHTTP: strings.HasPrefix(s.Fields["url"], "http://"),
		})
		return nil
	}, func(err error) {
		delete(v.busy, s.Account)
		if err != nil {
			report = &hosts.Report{Outcome: hosts.Unchecked, Summary: "Could not read the token from the keyring: " + err.Error()}
		}
		v.results[s.Account] = report
		v.ui.updateSaved(func(list []savedToken) []savedToken {
			for i := range list {
				if list[i].Account == s.Account && err == nil {
					list[i].CheckedAt, list[i].Summary, list[i].Outcome = v.ui.deps.Now(), report.Summary, report.Outcome
					if report.Valid {
						list[i].ExpiresAt = report.ExpiresAt
					}
				}
			}
			return list
		})
	})
}

func (v *savedView) recheckAll() {
	for _, s := range v.ui.loadSaved() {
		v.recheck(s)
	}
}

func orText(err error, def string) string {
	if err != nil {
		return err.Error()
	}
	return def
}
