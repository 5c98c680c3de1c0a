package ui

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/secret"
)

// hostTab is one host's tab: the steps on the left, the form and the
// check's result on the right.
type hostTab struct {
	ui      *UI
	host    *hosts.Host
	item    *container.TabItem
	content fyne.CanvasObject // nil until built
	steps   fyne.CanvasObject
	right   *container.Scroll // the form side, scrolled to a new result

	variant   *widget.RadioGroup
	form      *widget.Form
	inputs    map[string]fieldInput
	secrets   []*secretEntry
	hint      *widget.Label
	openBtn   *widget.Button
	openHelp  *fyne.Container
	testBtn   *widget.Button
	cancelBtn *widget.Button
	progress  *fyne.Container // holds a progress bar while a check runs
	status    *widget.Label
	result    *fyne.Container
	copyBtns  []*widget.Button
	saveBtn   *widget.Button
	saveNote  *widget.Label
	countdown *widget.Label
	caFile    *widget.Entry
	caRow     *fyne.Container
	actions   *tokenActions // calendar, rotate or renew (tokenactions.go)

	mu     sync.Mutex
	run    int            // the current check; older answers are dropped
	stop   func()         // cancels the running check
	tested []secret.Value // the secrets the shown report is about
	report *hosts.Report  // the report shown
	req    hosts.Request  // what it was asked with
}

// fieldInput reads one field, whatever widget shows it.
type fieldInput struct {
	obj  fyne.CanvasObject
	text func() string
}

// newHostTab makes the tab; its widgets are built on first view (build),
// so start-up decodes only the drawings of the tab it opens on.
func newHostTab(u *UI, h *hosts.Host) *hostTab {
	t := &hostTab{ui: u, host: h, inputs: map[string]fieldInput{}}
	t.item = container.NewTabItem(h.Name, container.NewStack())
	return t
}

// build makes the tab's widgets once.
func (t *hostTab) build() {
	if t.content != nil {
		return
	}
	t.steps = stepsPanel(t.host, t.ui.deps.Illustration, t.ui.win)
	left := container.NewVScroll(t.steps)
	right := container.NewVScroll(container.NewPadded(t.formPanel()))
	t.right = right
	split := container.NewHSplit(left, right)
	split.SetOffset(0.5)
	t.content = split
	t.item.Content = split
}

// formPanel builds the right side: where to create the token, the fields,
// the secret, the test and its result.
func (t *hostTab) formPanel() fyne.CanvasObject {
	h := t.host
	summary := widget.NewLabelWithStyle(h.Summary, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	summary.Wrapping = fyne.TextWrapWord

	t.form = widget.NewForm()
	if len(h.Variants) > 1 {
		labels := make([]string, len(h.Variants))
		for i, v := range h.Variants {
			labels[i] = v.Label
		}
		t.variant = widget.NewRadioGroup(labels, func(string) { t.layoutForm(); t.clearResult() })
		t.variant.Horizontal = len(strings.Join(labels, "")) < 24
		t.variant.Required = true
		t.variant.SetSelected(labels[0])
	}
	for _, v := range h.Variants {
		for _, f := range v.Fields {
			if _, ok := t.inputs[f.Key]; !ok {
				t.inputs[f.Key] = t.newInput(f)
			}
		}
	}
	if h.Repos != nil {
		t.inputs[hosts.RepoFieldKey] = t.newInput(h.Repos.RepoField())
	}
	t.caFile = widget.NewEntry()
	t.caFile.SetPlaceHolder("/path/to/company-ca.pem")
	t.caFile.OnChanged = func(string) { t.clearResult() }
	browse := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), t.chooseCAFile)
	t.caRow = container.NewBorder(nil, nil, nil, browse, t.caFile)
	for i, s := range h.Secrets {
		e := newSecretEntry(s.Visible, func() bool { return t.copySecret(i) })
		e.SetPlaceHolder(s.Placeholder)
		e.OnChanged = func(string) { t.secretChanged(e) }
		e.OnSubmitted = func(string) { t.test() }
		t.secrets = append(t.secrets, e)
	}
	t.layoutForm()

	t.openBtn = widget.NewButtonWithIcon("Open token page", theme.ComputerIcon(), t.openTokenPage)
	t.openHelp = container.NewVBox()
	t.hint = widget.NewLabel("")
	t.hint.Wrapping = fyne.TextWrapWord
	t.hint.Importance = widget.WarningImportance
	t.hint.Hide()

	t.testBtn = widget.NewButtonWithIcon("Test token", theme.ConfirmIcon(), t.test)
	t.testBtn.Importance = widget.HighImportance
	t.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), t.cancel)
	t.cancelBtn.Hide()
	// An infinite progress bar animates from the moment it is drawn, even
	// hidden: it exists only while a check runs.
	t.progress = container.NewVBox()
	t.status = widget.NewLabel("")
	t.status.Hide()
	if !h.Checkable() {
		t.testBtn.Disable()
		t.status.SetText("Testing " + h.Name + " tokens comes in a later version of gitpat.")
		t.status.Show()
	}

	for i, s := range h.Secrets {
		label := "Copy " + lowerFirst(s.Label)
		if len(h.Secrets) == 1 {
			label = "Copy token"
		}
		b := widget.NewButtonWithIcon(label, theme.ContentCopyIcon(), func() { t.copySecret(i) })
		b.Disable()
		t.copyBtns = append(t.copyBtns, b)
	}
	t.saveBtn = widget.NewButtonWithIcon("Save to keyring", theme.DocumentSaveIcon(), t.save)
	t.saveBtn.Disable()
	if t.ui.deps.Vault == nil {
		t.saveBtn.Hide()
	}
	t.saveNote = widget.NewLabel("")
	t.saveNote.Wrapping = fyne.TextWrapWord
	t.saveNote.Hide()
	t.countdown = widget.NewLabel("")
	t.countdown.Hide()
	t.result = container.NewVBox()
	t.actions = newTokenActions(t)

	step := func(n int, text string) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(fmt.Sprintf("%d  %s", n, text), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Importance = widget.HighImportance
		return l
	}
	copyRow := container.NewHBox()
	for _, b := range t.copyBtns {
		copyRow.Add(b)
	}
	copyRow.Add(t.saveBtn)
	clearRow := container.NewHBox(widget.NewLabel("Clear the clipboard after"), t.ui.clearSelect())
	return container.NewVBox(
		summary,
		step(1, "Create the token"),
		container.NewHBox(t.openBtn),
		t.openHelp,
		widget.NewSeparator(),
		step(2, "Paste and test it"),
		t.form,
		t.hint,
		container.NewHBox(t.testBtn, t.cancelBtn),
		t.progress,
		t.status,
		t.result,
		widget.NewSeparator(),
		step(3, "Use it"),
		copyRow,
		t.countdown,
		t.saveNote,
		t.actions.box,
		clearRow,
	)
}

func (t *hostTab) newInput(f hosts.Field) fieldInput {
	if len(f.Choices) > 0 {
		s := widget.NewSelect(f.Choices, func(string) { t.clearResult() })
		s.SetSelected(f.Default)
		return fieldInput{obj: s, text: func() string { return s.Selected }}
	}
	e := widget.NewEntry()
	if f.Multiline {
		e = widget.NewMultiLineEntry()
		e.SetMinRowsVisible(3)
	}
	e.SetPlaceHolder(f.Placeholder)
	e.SetText(f.Default)
	if f.Key == "url" {
		e.Validator = func(s string) error {
			if strings.TrimSpace(s) == "" {
				return nil
			}
			_, err := hosts.ParseServerURL(s, true)
			return err
		}
	}
	e.OnChanged = func(string) { t.clearResult() }
	e.OnSubmitted = func(string) { t.test() }
	return fieldInput{obj: e, text: func() string { return e.Text }}
}

// layoutForm shows the chosen variant's fields and the secret entries.
func (t *hostTab) layoutForm() {
	if t.form == nil || len(t.secrets) == 0 {
		return
	}
	t.form.Items = nil
	if t.variant != nil {
		t.form.Append("Server", t.variant)
	}
	field := func(f hosts.Field) {
		label := f.Label
		if f.Optional {
			label += " (optional)"
		}
		t.form.Append(label, t.inputs[f.Key].obj)
		if f.Help != "" {
			t.form.Append("", helpLabel(f.Help))
		}
	}
	for _, f := range t.currentVariant().Fields {
		if !f.WithSecret {
			field(f)
		}
	}
	if t.currentVariant().HasField("url") {
		t.form.Append("CA file (optional)", t.caRow)
		t.form.Append("", helpLabel("A PEM file with your company's or the server's own certificate authority, if its certificate is not publicly trusted."))
	}
	// The account the secret signs in with sits right above it.
	for _, f := range t.currentVariant().Fields {
		if f.WithSecret {
			field(f)
		}
	}
	for i, s := range t.host.Secrets {
		t.form.Append(s.Label, t.secrets[i])
	}
	if t.host.Repos != nil {
		f := t.host.Repos.RepoField()
		t.form.Append("Repositories (optional)", t.inputs[f.Key].obj)
		t.form.Append("", helpLabel(f.Help))
	}
	t.form.Refresh()
}

func (t *hostTab) currentVariant() hosts.Variant {
	if t.variant == nil {
		return t.host.Variants[0]
	}
	for _, v := range t.host.Variants {
		if v.Label == t.variant.Selected {
			return v
		}
	}
	return t.host.Variants[0]
}

// request reads the tab; secrets only when withSecrets.
func (t *hostTab) request(withSecrets bool) (hosts.Request, error) {
	v := t.currentVariant()
	req := hosts.Request{Variant: v.ID, Fields: map[string]string{}}
	for _, f := range v.Fields {
		req.Fields[f.Key] = strings.TrimSpace(t.inputs[f.Key].text())
	}
	if in, ok := t.inputs[hosts.RepoFieldKey]; ok {
		req.Fields[hosts.RepoFieldKey] = strings.TrimSpace(in.text())
	}
	if !withSecrets {
		return req, nil
	}
	for i, e := range t.secrets {
		s, err := secret.Parse(e.Text)
		if err != nil {
			return req, fmt.Errorf("The %s cannot be used: %v.", lowerFirst(t.host.Secrets[i].Label), err)
		}
		req.Secrets = append(req.Secrets, s)
	}
	return req, nil
}

// secretChanged trims what surrounds a paste and warns, before any
// request, about a credential that belongs to another host.
func (t *hostTab) secretChanged(e *secretEntry) {
	if trimmed := strings.TrimSpace(e.Text); trimmed != e.Text {
		e.SetText(trimmed) // calls secretChanged again
		return
	}
	t.clearResult()
	msg := ""
	for i, e := range t.secrets {
		if e.Text == "" {
			continue
		}
		if _, err := secret.Parse(e.Text); err != nil {
			msg = fmt.Sprintf("The %s: %v.", lowerFirst(t.host.Secrets[i].Label), err)
			break
		}
		if shape := hosts.Classify(e.Text); shape.Family != "" && shape.Family != t.host.Family {
			msg = fmt.Sprintf("This looks like %s, not a %s token. Use the %s tab for it.", shape.Kind, t.host.Name, hosts.FamilyTab(shape.Family))
			break
		}
	}
	t.hint.SetText(msg)
	t.hint.Hidden = msg == ""
	t.hint.Refresh()
}

func (t *hostTab) openTokenPage() {
	t.openHelp.RemoveAll()
	req, _ := t.request(false)
	link, err := t.host.TokenPage(req)
	if err != nil {
		t.openHelp.Add(warningLabel(err.Error()))
		return
	}
	if t.ui.deps.OpenURL == nil || t.ui.deps.OpenURL(link) != nil {
		l := widget.NewLabel(link)
		l.Selectable = true
		l.Wrapping = fyne.TextWrapBreak
		copyLink := widget.NewButtonWithIcon("Copy address", theme.ContentCopyIcon(), func() {
			t.ui.app.Clipboard().SetContent(link)
		})
		t.openHelp.Add(warningLabel("No web browser could be started. Open this address yourself:"))
		t.openHelp.Add(l)
		t.openHelp.Add(container.NewHBox(copyLink))
	}
}

// test runs the check in the background.
func (t *hostTab) test() {
	if !t.host.Checkable() || t.testBtn.Disabled() {
		return
	}
	req, err := t.request(true)
	if err != nil {
		t.showResult(&hosts.Report{Outcome: hosts.BadInput, Summary: err.Error()}, hosts.Request{})
		return
	}
	t.start(req)
}

func (t *hostTab) start(req hosts.Request) {
	ctx, cancel := t.ui.checkContext()
	t.mu.Lock()
	if t.stop != nil {
		t.stop()
	}
	t.run++
	run := t.run
	t.stop = cancel
	t.mu.Unlock()

	t.setBusy(true)
	caFile := strings.TrimSpace(t.caFile.Text)
	go func() {
		defer cancel()
		var r *hosts.Report
		if client, err := t.ui.client(caFile); err != nil {
			r = &hosts.Report{Outcome: hosts.BadInput, Summary: "The CA file cannot be used: " + err.Error() + "."}
		} else {
			r = t.host.Check(ctx, hosts.Env{HTTP: client, Now: t.ui.deps.Now}, req)
		}
		fyne.Do(func() {
			t.mu.Lock()
			current := run == t.run
			if current {
				t.stop = nil
			}
			t.mu.Unlock()
			if !current {
				return
			}
			t.setBusy(false)
			if r.NeedsHTTPConsent {
				t.askHTTPConsent(req)
				return
			}
			req.Fields["ca"] = caFile
			t.showResult(r, req)
		})
	}()
}

func (t *hostTab) askHTTPConsent(req hosts.Request) {
	dialog.ShowConfirm("Send the token unencrypted?",
		"The server address starts with http://, so the token would cross the network unencrypted:\n"+
			"anyone on the way could read it. Use https:// if the server offers it.\n\nSend it over http anyway?",
		func(ok bool) {
			if !ok {
				t.showResult(&hosts.Report{Outcome: hosts.BadInput,
					Summary: "Not tested: the token was not sent. Use the server's https:// address if it has one."}, hosts.Request{})
				return
			}
			req.AllowHTTP = true
			t.start(req)
		}, t.ui.win)
}

// cancel stops a running check.
func (t *hostTab) cancel() {
	t.mu.Lock()
	stop := t.stop
	t.stop = nil
	t.run++
	t.mu.Unlock()
	if stop != nil {
		stop()
		if t.content != nil {
			t.setBusy(false)
			t.status.SetText("Cancelled.")
			t.status.Show()
		}
	}
}

func (t *hostTab) setBusy(busy bool) {
	if busy {
		t.testBtn.Disable()
		t.cancelBtn.Show()
		t.progress.Objects = []fyne.CanvasObject{widget.NewProgressBarInfinite()}
		t.progress.Refresh()
		t.status.SetText("Asking " + t.host.Name + "…")
		t.status.Show()
		t.result.RemoveAll()
		t.ui.win.SetTitle("gitpat: testing the " + t.host.Name + " token…")
		return
	}
	t.ui.win.SetTitle("gitpat")
	t.testBtn.Enable()
	t.cancelBtn.Hide()
	t.progress.RemoveAll()
	t.status.Hide()
}

// showResult renders a report about the credentials in req.
func (t *hostTab) showResult(r *hosts.Report, req hosts.Request) {
	t.req, t.tested = req, req.Secrets
	t.setUsable(r.Valid && len(req.Secrets) > 0)
	t.result.RemoveAll()
	t.result.Add(reportView(r, t.ui.deps.Now()))
	t.actions.show(r, req)
	t.revealResult()
	t.report = r // last: tests wait for it
}

// revealResult scrolls the form so the result's headline is in view.
func (t *hostTab) revealResult() {
	if t.right == nil {
		return
	}
	t.right.Refresh()
	y := t.result.Position().Y - theme.Padding()*4
	if y > t.right.Offset.Y {
		t.right.ScrollToOffset(fyne.NewPos(0, y))
	}
}

// setUsable enables Copy and Save for a token that passed.
func (t *hostTab) setUsable(ok bool) {
	for _, b := range append([]*widget.Button{t.saveBtn}, t.copyBtns...) {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// clearResult forgets a result once what it was about changes.
func (t *hostTab) clearResult() {
	if t.result == nil || len(t.result.Objects) == 0 {
		return
	}
	t.result.RemoveAll()
	t.tested, t.report = nil, nil
	t.saveNote.Hide()
	t.actions.clear()
	t.setUsable(false)
}

// copySecret copies the i-th tested credential, if the token passed;
// false when there is nothing to copy.
func (t *hostTab) copySecret(i int) bool {
	if i >= len(t.tested) || t.report == nil || !t.report.Valid {
		return false
	}
	t.ui.copyToClipboard(t.tested[i], t)
	if t.ui.guard.Delay == 0 {
		t.countdown.SetText("Copied. " + t.ui.clearNotice())
		t.countdown.Show()
	}
	return true
}

// showCountdown shows how long a copied secret stays on the clipboard.
func (t *hostTab) showCountdown(left time.Duration, mine bool) {
	switch {
	case !mine:
		t.countdown.Hide()
	case left <= 0:
		t.countdown.SetText("Clipboard cleared.")
	default:
		t.countdown.SetText(fmt.Sprintf("Copied. The clipboard clears in %d s.", int(left.Seconds())))
		t.countdown.Show()
	}
}

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
		fyne.Do(func() {
			t.saveBtn.Enable()
			if err != nil {
				t.saveNote.SetText("Not saved: " + err.Error())
				return
			}
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
		})
	}()
}

// chooseCAFile picks the extra CA file with the system's file dialog.
func (t *hostTab) chooseCAFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		_ = r.Close()
		t.caFile.SetText(r.URI().Path())
	}, t.ui.win)
	d.Show()
}

// helpLabel explains a field in small, wrapped text.
func helpLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	return l
}

func warningLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	return l
}

// lowerFirst lowers a label's first letter for use inside a sentence,
// keeping acronyms ("Access key ID" → "access key ID").
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
