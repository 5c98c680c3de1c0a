package ui

import (
	"time"

	"fyne.io/fyne/v2/widget"
)

// Step 3 of a host's tab, "Use it": copying a tested credential with the
// clipboard countdown, and saving it to the keyring.

// setUsable enables Copy and Save for a token that passed.
func (t *hostTab) setUsable(ok bool) {
	for _, b := range append([]*button{t.saveBtn}, t.copyBtns...) {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// copySecret copies the i-th tested credential, if the token passed;
// false when there is nothing to copy.
func (t *hostTab) copySecret(i int) bool {
	if i >= len(t.tested) || t.report == nil || !t.report.Valid {
		return false
	}
	t.ui.copyToClipboard(t.tested[i], t)
	return true
}

// showCopied says the copy is on the clipboard and when it goes.
func (t *hostTab) showCopied(left time.Duration) {
	t.countdown.Importance = widget.MediumImportance
	t.countdown.SetText(copiedText(left))
	if !t.countdown.Visible() {
		// The note comes under the buttons: scroll to it when they are at
		// the bottom of the view, once it is laid out. Its place is read
		// from the panel, which holds it: the driver places an object on
		// the screen only once a frame has drawn it.
		t.countdown.Show()
		t.right.Refresh()
		scrollTo(t.right, t.panel.Position().Y+t.countdown.Position().Y, t.countdown.Size().Height)
	}
}

// showCleared says how the countdown ended.
func (t *hostTab) showCleared(cleared bool) {
	t.countdown.SetText(clearedText(cleared))
	t.countdown.Show()
}

// hideCopied removes the clipboard note.
func (t *hostTab) hideCopied() { t.countdown.Hide() }

// save keeps the tested secrets in the keyring and the token in the saved
// list (without its secret).
func (t *hostTab) save() {
	r, req, secrets := t.report, t.req, t.tested
	if r == nil || !r.Valid {
		return
	}
	account := accountName(t.host, r.Server, r.User)
	t.saveBtn.Disable()
	t.saveNote.SetText("Saving to the keyring…")
	t.saveNote.Show()
	go func() {
		err := t.ui.deps.Vault.Save(account, secrets)
		t.ui.do(func() {
			defer t.ui.signal(evSaved)
			t.saveBtn.Enable()
			if err != nil {
				t.saveNote.SetText("Not saved: " + err.Error())
				return
			}
			t.ui.kept(secrets...)
			fields := map[string]string{}
			for k, v := range req.Fields {
				if v != "" {
					fields[k] = v
				}
			}
			t.ui.updateSaved(func(list []savedToken) []savedToken {
				entry := savedToken{Account: account, Host: t.host.ID, Variant: req.Variant, Fields: fields, Server: r.Server,
					User: r.User, ExpiresAt: r.ExpiresAt, CheckedAt: t.ui.deps.Now(), Summary: r.Summary, Outcome: r.Outcome}
				for i := range list {
					if list[i].Account == account {
						list[i] = entry
						return list
					}
				}
				return append(list, entry)
			})
			t.saveNote.SetText("Saved in the keyring as \"" + account + "\". See the Saved tokens tab.")
			t.scrollTo(t.saveNote)
		})
	}()
}
