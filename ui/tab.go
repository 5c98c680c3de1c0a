package ui

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/httpx"
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
	view    *stepsView
	drawn   []*picture        // the steps' drawings
	left    *container.Scroll // the steps
	right   *container.Scroll // the form side, scrolled to a new result
	panel   *fyne.Container   // what the right side scrolls
	// unpainted counts the drawings of the first frame (build(true)) not
	// painted yet; finishing says finish waits for them (finishWhenDrawn).
	unpainted int
	finishing bool

	variant    *radioChoice
	where      *fyne.Container       // the variant's server fields, above step 1
	perToken   *fyne.Container       // fields about one token, in step 2
	account    *fyne.Container       // the account name the secret signs in with, in step 2
	inputs     map[string]fieldInput // by Field.Key
	rows       map[string]*fieldRow  // by Field.Key
	secrets    []*secretEntry
	secretRows []*fieldRow
	caFile     *entry
	caRow      *fieldRow
	openBtn    *button
	openHelp   *fyne.Container
	testBtn    *button
	cancelBtn  *button
	progress   *fyne.Container // holds a progress bar while a check runs
	status     *widget.Label
	result     *fyne.Container
	copyBtns   []*button
	saveBtn    *button
	saveNote   *widget.Label
	countdown  *widget.Label
	actions    *tokenActions // calendar, rotate or renew (tokenactions.go)

	busy   bool
	mu     sync.Mutex
	run    int            // the current check; older answers are dropped
	stop   func()         // cancels the running check
	tested []secret.Value // the secrets the shown report is about
	report *hosts.Report  // the report shown
	req    hosts.Request  // what it was asked with
}

// fieldInput reads and sets one field, whatever widget shows it.
type fieldInput struct {
	obj   fyne.CanvasObject
	focus fyne.Focusable
	text  func() string
	set   func(string)
}

// newHostTab makes the tab; its widgets are built on first view (build),
// so start-up decodes only the drawings of the tab it opens on.
func newHostTab(u *UI, h *hosts.Host) *hostTab {
	t := &hostTab{ui: u, host: h, inputs: map[string]fieldInput{}, rows: map[string]*fieldRow{}}
	t.item = container.NewTabItem(h.Name, container.NewStack())
	return t
}

// build makes the tab's widgets once: with firstFrame, of its steps only
// those the window shows when it opens (finish adds the others).
func (t *hostTab) build(firstFrame bool) {
	if t.content != nil {
		t.finish()
		return
	}
	t.view = newStepsView(t.ui, t.host)
	if firstFrame {
		t.view.build(firstFrameSteps)
	} else {
		t.view.build(-1)
	}
	t.steps, t.drawn = t.view.content, t.view.pictures
	if firstFrame {
		t.unpainted = len(t.drawn)
		for _, p := range t.drawn {
			p.onShown = t.drawingShown
		}
	}
	left := container.NewVScroll(t.steps)
	t.left = left
	t.panel = t.formPanel()
	// The scroll bar is drawn over the content: keep the form clear of it.
	pad := theme.Padding()
	right := container.NewVScroll(container.New(layout.NewCustomPaddedLayout(pad, pad, pad, pad+theme.ScrollBarSize()), t.panel))
	t.right = right
	split := container.NewHSplit(left, right)
	split.SetOffset(0.4)
	t.content = split
	t.item.Content = split
}

// finishWhenDrawn builds the steps that build(true) left out once the
// first frame's drawings are painted: those steps are out of view, but
// Fyne paints every object of a shown container, and painting their text
// in the frame after the first held the drawings back by about 65 ms at
// scale 2 (docs/BENCHMARKS.md).
func (t *hostTab) finishWhenDrawn() {
	if t.unpainted > 0 {
		t.finishing = true
		return
	}
	t.finish()
}

// drawingShown is told, on the UI goroutine, that a drawing of the first
// frame has been painted, or will not be (it could not be decoded).
func (t *hostTab) drawingShown() {
	t.unpainted--
	if t.unpainted == 0 && t.finishing {
		t.ui.do(t.finish) // after the frame being painted
	}
}

// finish builds the steps that build(true) left out.
func (t *hostTab) finish() {
	if t.view != nil && !t.view.complete() {
		t.view.build(-1)
		t.drawn = t.view.pictures
		t.left.Refresh() // the scroll takes the longer content's size now, not at the next frame
	}
}

// releaseDrawings lets the decoded drawings go when the tab is left; with
// textures, the GPU's copies go too.
func (t *hostTab) releaseDrawings(textures bool) {
	for _, p := range t.drawn {
		if textures {
			p.dropTexture()
		} else {
			p.release()
		}
	}
}

// noun is what the user pastes here: "token" or "access key".
func (t *hostTab) noun() string { return t.host.CredentialNoun() }

// formPanel builds the right side: the server, where to create the
// token, the token, the test and its result, and what to do with it.
func (t *hostTab) formPanel() *fyne.Container {
	h := t.host
	u := t.ui
	summary := newParagraph(h.Summary)
	summary.TextStyle = fyne.TextStyle{Bold: true}

	if len(h.Variants) > 1 {
		labels := make([]string, len(h.Variants))
		for i, v := range h.Variants {
			labels[i] = v.Label
		}
		t.variant = newRadioChoice(u, labels, labels[0], func(s string) {
			u.remember(h, "variant", s)
			t.layoutForm()
			t.clearResult()
		})
		t.variant.SetSelected(u.recall(h, "variant", labels[0]))
	}
	for _, v := range h.Variants {
		for _, f := range v.Fields {
			if _, ok := t.inputs[f.Key]; !ok {
				t.inputs[f.Key] = t.newInput(f)
				label := f.Label
				if f.Optional {
					label += " (optional)"
				}
				t.rows[f.Key] = newFieldRow(label, t.inputs[f.Key].obj, t.inputs[f.Key].focus, f.Help)
			}
		}
	}
	if h.Repos != nil {
		f := h.Repos.RepoField()
		t.inputs[f.Key] = t.newInput(f)
		t.rows[f.Key] = newFieldRow("Repositories (optional)", t.inputs[f.Key].obj, t.inputs[f.Key].focus, f.Help)
	}
	t.caFile = newEntry(u)
	t.caFile.SetPlaceHolder("/path/to/company-ca.pem")
	t.caFile.SetText(u.recall(h, "ca", ""))
	t.caFile.OnChanged = func(s string) {
		u.remember(h, "ca", s)
		t.caRow.setProblem("")
		t.clearResult()
	}
	t.caFile.OnSubmitted = func(string) { t.test() }
	browse := newButton(u, "Choose…", theme.FolderOpenIcon(), t.chooseCAFile)
	t.caRow = newFieldRow("CA file (optional)", container.NewBorder(nil, nil, nil, browse, t.caFile), t.caFile,
		"A PEM file with your company's or the server's own certificate authority, if its certificate is not publicly trusted.")
	for i, s := range h.Secrets {
		e := newSecretEntry(u, s.Visible, func() bool { return t.copySecret(i) })
		e.SetPlaceHolder(s.Placeholder)
		e.OnChanged = func(string) { t.secretChanged(i) }
		e.OnSubmitted = func(string) { t.test() }
		t.secrets = append(t.secrets, e)
		t.secretRows = append(t.secretRows, newFieldRow(s.Label, e, e, ""))
	}
	t.where = container.NewVBox()
	t.perToken = container.NewVBox()
	t.account = container.NewVBox()
	t.layoutForm()

	t.openBtn = newButton(u, "Open "+t.noun()+" page", theme.ComputerIcon(), t.openTokenPage)
	t.openHelp = container.NewVBox()

	t.testBtn = newButton(u, "Test "+t.noun(), theme.ConfirmIcon(), t.test)
	t.testBtn.Importance = widget.HighImportance
	t.cancelBtn = newButton(u, "Cancel", theme.CancelIcon(), t.cancel)
	t.cancelBtn.Hide()
	// An infinite progress bar animates from the moment it is drawn, even
	// hidden: it exists only while a check runs.
	t.progress = container.NewVBox()
	t.status = widget.NewLabel("")
	t.status.Wrapping = fyne.TextWrapWord
	t.status.Hide()
	if !h.Checkable() {
		t.testBtn.Disable()
		t.status.SetText("Testing " + h.Name + " " + t.noun() + "s comes in a later version of gitpat.")
		t.status.Show()
	}

	for i, s := range h.Secrets {
		label := "Copy " + lowerFirst(s.Label)
		if len(h.Secrets) == 1 {
			label = "Copy " + t.noun()
		}
		b := newButton(u, label, theme.ContentCopyIcon(), func() { t.copySecret(i) })
		b.Disable()
		t.copyBtns = append(t.copyBtns, b)
	}
	t.saveBtn = newButton(u, "Save to keyring", theme.DocumentSaveIcon(), t.save)
	t.saveBtn.Disable()
	if u.deps.Vault == nil {
		t.saveBtn.Hide()
	}
	t.saveNote = widget.NewLabel("")
	t.saveNote.Wrapping = fyne.TextWrapWord
	t.saveNote.Hide()
	t.countdown = widget.NewLabel("")
	t.countdown.Wrapping = fyne.TextWrapWord
	t.countdown.Hide()
	t.result = container.NewVBox()
	t.actions = newTokenActions(t)

	step := func(n int, text string) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(fmt.Sprintf("%d  %s", n, text), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Importance = widget.HighImportance
		return l
	}
	// Buttons in a row wrap onto the next line in a narrow window.
	copyRow := newFlow()
	for _, b := range t.copyBtns {
		copyRow.Add(b)
	}
	copyRow.Add(t.saveBtn)
	secrets := container.NewVBox()
	for _, r := range t.secretRows {
		secrets.Add(r.content)
	}
	clear := u.clearSelect()
	return container.NewVBox(
		summary,
		t.where,
		step(1, "Create the "+t.noun()),
		container.NewHBox(t.openBtn),
		t.openHelp,
		widget.NewSeparator(),
		step(2, "Paste and test it"),
		t.account,
		secrets,
		t.perToken,
		t.repoRow(),
		newFlow(t.testBtn, t.cancelBtn),
		t.progress,
		t.status,
		t.result,
		widget.NewSeparator(),
		step(3, "Use it"),
		copyRow,
		t.countdown,
		t.saveNote,
		t.actions.box,
		newFieldRow("Clear the clipboard after copying", container.NewHBox(clear), clear, "").content,
	)
}

func (t *hostTab) newInput(f hosts.Field) fieldInput {
	u, h := t.ui, t.host
	remember := func(s string) {
		if !f.PerToken {
			u.remember(h, "field."+f.Key, s)
		}
	}
	start := f.Default
	if !f.PerToken {
		start = u.recall(h, "field."+f.Key, f.Default)
	}
	if len(f.Choices) > 0 {
		s := newSelect(u, f.Choices, nil)
		s.SetSelected(start)
		if s.Selected == "" {
			s.SetSelected(f.Default)
		}
		s.OnChanged = func(v string) { remember(v); t.clearResult() }
		return fieldInput{obj: s, focus: s, text: func() string { return s.Selected }, set: s.SetSelected}
	}
	e := newEntry(u)
	if f.Multiline {
		e.MultiLine = true
		e.Wrapping = fyne.TextWrapOff
		e.SetMinRowsVisible(3)
	}
	e.SetPlaceHolder(f.Placeholder)
	e.SetText(start)
	e.OnChanged = func(v string) {
		remember(v)
		// A problem shown goes as soon as it is fixed; new ones wait for
		// Enter, Test or Open, so nothing moves while the user types.
		if r := t.rows[f.Key]; r != nil && r.problem != "" && f.Problem(v) == "" {
			r.setProblem("")
		}
		t.clearResult()
	}
	e.OnSubmitted = func(string) { t.test() }
	return fieldInput{obj: e, focus: e, text: func() string { return e.Text }, set: e.SetText}
}

// layoutForm shows the chosen variant's fields: where the server is above
// step 1 (the token page needs it), fields about the token in step 2.
func (t *hostTab) layoutForm() {
	if t.where == nil {
		return
	}
	t.where.RemoveAll()
	t.perToken.RemoveAll()
	t.account.RemoveAll()
	if t.variant != nil {
		t.where.Add(newFieldRow("Server", t.variant, t.variant, "").content)
	}
	v := t.currentVariant()
	for _, f := range v.Fields {
		switch {
		case f.PerToken:
			t.perToken.Add(t.rows[f.Key].content)
		case f.WithSecret:
			// The account the secret signs in with sits right above it.
			t.account.Add(t.rows[f.Key].content)
		default:
			t.where.Add(t.rows[f.Key].content)
		}
	}
	if v.HasField("url") {
		t.where.Add(t.caRow.content)
	}
	t.where.Refresh()
	t.perToken.Refresh()
	t.account.Refresh()
}

func (t *hostTab) currentVariant() hosts.Variant {
	if t.variant == nil {
		return t.host.Variants[0]
	}
	for _, v := range t.host.Variants {
		if v.Label == t.variant.Selected() {
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

// secretProblem says what is wrong with the i-th pasted credential; an
// empty one is a problem only when the user asked for a test.
func (t *hostTab) secretProblem(i int, testing bool) string {
	raw := t.secrets[i].Text
	label := lowerFirst(t.host.Secrets[i].Label)
	if raw == "" {
		if testing {
			return "Paste the " + label + " first."
		}
		return ""
	}
	if _, err := secret.Parse(raw); err != nil {
		return fmt.Sprintf("The %s cannot be used: %v.", label, err)
	}
	return t.host.WrongTab(raw)
}

// secretChanged trims what surrounds a paste and says, under the field
// and before any request, what is wrong with it, such as a credential
// that belongs to another host.
func (t *hostTab) secretChanged(i int) {
	e := t.secrets[i]
	if trimmed := strings.TrimSpace(e.Text); trimmed != e.Text {
		e.SetText(trimmed) // calls secretChanged again
		return
	}
	t.clearResult()
	t.secretRows[i].setProblem(t.secretProblem(i, false))
}

// validate shows what is wrong under each field: the server fields, and
// for a test also the token fields and credentials. It focuses the first
// field with a problem and reports whether there is none.
func (t *hostTab) validate(testing bool) bool {
	var first *fieldRow
	check := func(r *fieldRow, p string) {
		r.setProblem(p)
		if p != "" && first == nil {
			first = r
		}
	}
	for _, f := range t.currentVariant().Fields {
		// Opening the token page needs where the server is, not the
		// token's own fields.
		if (f.PerToken || f.WithSecret) && !testing {
			continue
		}
		check(t.rows[f.Key], f.Problem(t.inputs[f.Key].text()))
	}
	if testing {
		for i := range t.secrets {
			check(t.secretRows[i], t.secretProblem(i, true))
		}
	}
	if first != nil {
		t.showRow(first)
		return false
	}
	return true
}

// showRow focuses a field and scrolls it into view.
func (t *hostTab) showRow(r *fieldRow) {
	if r.focus != nil {
		t.ui.win.Canvas().Focus(r.focus)
	}
	t.scrollTo(r.content)
}

func (t *hostTab) openTokenPage() {
	t.openHelp.RemoveAll()
	if !t.validate(false) {
		return
	}
	req, _ := t.request(false)
	link, err := t.host.TokenPage(req)
	if err != nil {
		t.openHelp.Add(warningLabel(err.Error()))
		return
	}
	if t.ui.deps.OpenURL == nil || t.ui.deps.OpenURL(link) != nil {
		l := widget.NewLabel(link)
		l.Wrapping = fyne.TextWrapBreak
		copyLink := newButton(t.ui, "Copy address", theme.ContentCopyIcon(), func() {
			t.ui.app.Clipboard().SetContent(link)
		})
		t.openHelp.Add(warningLabel("No web browser could be started. Open this address yourself:"))
		t.openHelp.Add(l)
		t.openHelp.Add(container.NewHBox(copyLink))
	}
}

// test checks the fields and runs the check in the background.
func (t *hostTab) test() {
	if !t.host.Checkable() || t.busy {
		return
	}
	if !t.validate(true) {
		return
	}
	req, err := t.request(true)
	if err != nil { // validate has said so under the field
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
		client, err := t.ui.client(caFile)
		if err == nil {
			r = t.host.Check(ctx, hosts.Env{HTTP: client, Now: t.ui.deps.Now}, req)
		}
		t.ui.do(func() {
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
			var caErr *httpx.CAFileError
			switch {
			case errors.As(err, &caErr):
				t.caRow.setProblem(err.Error() + " Choose the PEM file with Choose…, or leave the field empty.")
				t.showRow(t.caRow)
				t.ui.signal(evResult)
			case err != nil:
				t.showResult(&hosts.Report{Outcome: hosts.Unchecked, Summary: "gitpat could not set up its connections: " + err.Error()}, hosts.Request{})
			case r.NeedsHTTPConsent:
				t.askHTTPConsent(req)
			default:
				req.Fields["ca"] = caFile
				t.showResult(r, req)
			}
		})
	}()
}

// askHTTPConsent asks before sending the credential over plain http; not
// sending it is the default, and what Esc does.
func (t *hostTab) askHTTPConsent(req hosts.Request) {
	declined := func() {
		msg := "Not tested: gitpat did not send the " + t.noun() + " over http://. Use the server's https:// address if it has one."
		if r := t.rows["url"]; r != nil {
			r.setProblem(msg)
			t.showRow(r)
		} else {
			t.status.SetText(msg)
			t.status.Show()
		}
		t.ui.signal(evResult)
	}
	t.ui.ask("Send the "+t.noun()+" unencrypted?", paragraphs(
		"The server address starts with http://, so the "+t.noun()+" would cross the network unencrypted: anyone on the way could read it.",
		"Use the server's https:// address if it has one. Send it over http only on a network you trust."),
		choice{label: "Cancel", importance: widget.HighImportance, isDefault: true, isCancel: true, do: declined},
		choice{label: "Send over http", icon: theme.WarningIcon(), do: func() {
			req.AllowHTTP = true
			t.start(req)
		}},
	)
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
	t.busy = busy
	if busy {
		t.testBtn.Disable()
		t.cancelBtn.Show()
		t.progress.Objects = []fyne.CanvasObject{widget.NewProgressBarInfinite()}
		t.progress.Refresh()
		t.status.SetText("Asking " + t.host.Name + "…")
		t.status.Show()
		t.result.RemoveAll()
		t.ui.win.SetTitle("gitpat: testing the " + t.host.Name + " " + t.noun() + "…")
		return
	}
	t.ui.win.SetTitle("gitpat")
	if t.host.Checkable() {
		t.testBtn.Enable()
	}
	t.cancelBtn.Hide()
	t.progress.RemoveAll()
	t.status.Hide()
}

// showResult renders a report about the credentials in req.
func (t *hostTab) showResult(r *hosts.Report, req hosts.Request) {
	t.req, t.tested = req, req.Secrets
	t.setUsable(r.Valid && len(req.Secrets) > 0)
	t.result.RemoveAll()
	t.result.Add(reportView(t.ui, r, t.ui.deps.Now()))
	t.actions.show(r, req)
	t.report = r
	t.scrollTo(t.result)
	t.ui.signal(evResult)
}

// scrollTo scrolls the form so obj's top is in view, when it is not.
func (t *hostTab) scrollTo(obj fyne.CanvasObject) {
	if t.right == nil || t.panel == nil {
		return
	}
	t.right.Refresh()
	y := positionIn(obj, t.panel).Y
	view := t.right.Offset.Y
	if y < view || y+min(obj.Size().Height, t.right.Size().Height/2) > view+t.right.Size().Height {
		t.right.ScrollToOffset(fyne.NewPos(0, max(0, y-theme.Padding()*4)))
	}
}

// positionIn is obj's position inside the container in, which holds it.
func positionIn(obj fyne.CanvasObject, in *fyne.Container) fyne.Position {
	d := fyne.CurrentApp().Driver()
	return d.AbsolutePositionForObject(obj).Subtract(d.AbsolutePositionForObject(in))
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

// repoRow is the optional list of repositories, in step 2 after the
// token; nothing when the host cannot look at particular repositories.
func (t *hostTab) repoRow() fyne.CanvasObject {
	if r, ok := t.rows[hosts.RepoFieldKey]; ok {
		return r.content
	}
	return container.NewVBox()
}

// chooseCAFile picks the extra CA file with Fyne's file dialog; Esc
// closes it while none of its own fields has the focus.
func (t *hostTab) chooseCAFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		_ = r.Close()
		t.caFile.SetText(r.URI().Path())
		t.ui.win.Canvas().Focus(t.caFile)
	}, t.ui.win)
	t.ui.showModal(d, d.Hide)
	t.ui.signal(evDialog)
}

// firstFocus is the control a keyboard user starts from in this tab: the
// server choice, else the first field, else Open token page.
func (t *hostTab) firstFocus() fyne.Focusable {
	if t.variant != nil {
		return t.variant
	}
	if v := t.currentVariant(); len(v.Fields) > 0 && !v.Fields[0].PerToken {
		return t.inputs[v.Fields[0].Key].focus
	}
	return t.openBtn
}

// warningLabel is a sentence in the warning colour.
func warningLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	return l
}

// lowerFirst lowers a label's first letter for use inside a sentence,
// keeping acronyms ("Access key ID" → "access key ID", "HTTP password"
// stays).
func lowerFirst(s string) string {
	if s == "" || len(s) > 1 && strings.ToUpper(s[1:2]) == s[1:2] && strings.ToLower(s[1:2]) != s[1:2] {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
