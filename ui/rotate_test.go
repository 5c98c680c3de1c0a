package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	ics "github.com/arran4/golang-ical"
	"github.com/zalando/go-keyring"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/clip/cliptest"
	"github.com/gitpat/gitpat/internal/savedlist"
	"github.com/gitpat/gitpat/internal/secret"
	"github.com/gitpat/gitpat/internal/vault"
)

const glCanary = "glpat-CANARYuiCANARYuiCANARY0"

// flakyVault is the mock keyring that can be made to refuse writes.
type flakyVault struct {
	vault.Store
	failSave atomic.Bool
}

func (f *flakyVault) Save(account string, s []secret.Value) error {
	if f.failSave.Load() {
		return &vault.UnavailableError{Reason: "The keyring is locked and was not unlocked; unlock it and try again."}
	}
	return f.Store.Save(account, s)
}

type gitlabFixture struct {
	ui    *UI
	gl    *hoststest.GitLab
	vault *flakyVault
	list  *savedlist.File
}

func newGitLabFixture(t *testing.T) *gitlabFixture {
	t.Helper()
	keyring.MockInit()
	a := test.NewTempApp(t)
	gl := hoststest.NewGitLab(t, hoststest.GitLabOptions{Tokens: map[string]hoststest.GitLabToken{
		glCanary: {Scopes: []string{"api"}, ExpiresAt: "2026-12-01"},
	}})
	f := &gitlabFixture{gl: gl, vault: &flakyVault{},
		list: &savedlist.File{Path: filepath.Join(t.TempDir(), savedlist.FileName)}}
	f.ui = New(a, Deps{Hosts: hosts.All(), Vault: f.vault, Clock: cliptest.NewClock(), SavedList: f.list,
		Now: func() time.Time { return testNow }, Illustration: blankDrawing})
	listen(f.ui)
	f.ui.Window().Resize(fyne.NewSize(1000, 720))
	f.ui.opened()
	t.Cleanup(f.ui.Close)
	return f
}

// testedTab is the GitLab tab after a passing check of glCanary.
func (f *gitlabFixture) testedTab(t *testing.T) *hostTab {
	t.Helper()
	f.ui.SelectHost("gitlab")
	tab := f.ui.hostUI[1]
	tab.variant.SetSelected("Self-managed GitLab")
	field(tab, "url").SetText(f.gl.Web())
	tab.caFile.SetText(f.gl.CAFile(t))
	tab.secrets[0].SetText(glCanary)
	test.Tap(tab.testBtn)
	waitResult(t, tab)
	if !tab.report.Sufficient {
		t.Fatalf("the GitLab token did not pass: %s", tab.report.Summary)
	}
	return tab
}

// tapInDialog taps a button of the dialog on top.
func tapInDialog(t *testing.T, u *UI, label string) {
	t.Helper()
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	b := findButton(top, label)
	if b == nil {
		t.Fatalf("no %q in the dialog:\n%s", label, textOf(top))
	}
	test.Tap(b)
}

func noCanary(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, "CANARY") {
			t.Fatalf("a token is shown as text:\n%s", s)
		}
	}
}

func TestRotateAskedFirstAndCancelChangesNothing(t *testing.T) {
	f := newGitLabFixture(t)
	tab := f.testedTab(t)
	rotate := findButton(tab.actions.box, "Rotate token…")
	if rotate == nil {
		t.Fatalf("no Rotate for a GitLab token that passed:\n%s", textOf(tab.actions.box))
	}
	test.Tap(rotate)
	dlg := textOf(f.ui.win.Canvas().Overlays().Top())
	for _, want := range []string{"stops working at once", "cannot be undone", "The new token expires"} {
		if !strings.Contains(dlg, want) {
			t.Errorf("the confirmation does not say %q:\n%s", want, dlg)
		}
	}
	tapInDialog(t, f.ui, "Cancel")
	if slices.ContainsFunc(f.gl.Requests(), func(r string) bool { return strings.HasPrefix(r, "POST") }) || len(f.gl.Rotated()) != 0 {
		t.Error("cancelled, but a rotation was sent")
	}
}

func TestRotateInTheTabWhenTheKeyringFailsKeepsTheNewTokenOnScreen(t *testing.T) {
	f := newGitLabFixture(t)
	tab := f.testedTab(t)
	test.Tap(tab.saveBtn)
	waitFor(t, f.ui, func() bool { return strings.Contains(tab.saveNote.Text, "Saved in the keyring") })
	account := f.ui.loadSaved()[0].Account
	f.vault.failSave.Store(true)

	test.Tap(findButton(tab.actions.box, "Rotate token…"))
	tapInDialog(t, f.ui, "Rotate now")
	waitFor(t, f.ui, func() bool { return strings.Contains(textOf(tab.actions.panel), "rotated the token") })
	panel := textOf(tab.actions.panel)
	noCanary(t, panel)
	if !strings.Contains(panel, "could not be saved in the keyring") || !strings.Contains(panel, "exists only here") {
		t.Errorf("the panel does not say the new token is only here:\n%s", panel)
	}
	fresh := f.gl.Rotated()
	if len(fresh) != 1 {
		t.Fatalf("rotations: %d", len(fresh))
	}
	// The keyring still holds the old token, the tab the new one.
	if old, _ := f.vault.Store.Load(account); len(old) != 1 || old[0].Reveal() != glCanary {
		t.Error("the keyring changed although the write failed")
	}
	if tab.secrets[0].Text != fresh[0] || tab.report == nil || !tab.report.Sufficient {
		t.Errorf("the tab does not hold the new, checked token")
	}
	// Editing the token field does not take the new token off the screen
	// before it was copied.
	tab.secrets[0].SetText("")
	if findButton(tab.actions.panel, "Copy new token") == nil {
		t.Fatal("the new token went off the screen before it was copied")
	}
	quit := false
	f.ui.closeOrAsk(func() { quit = true })
	if quit {
		t.Fatal("closing did not ask about the new token, which failed to reach the keyring")
	}
	tapInDialog(t, f.ui, "Keep gitpat open")
	copyBtn := findButton(tab.actions.panel, "Copy new token")
	test.Tap(copyBtn)
	if f.ui.app.Clipboard().Content() != fresh[0] {
		t.Error("Copy did not copy the new token")
	}
	f.ui.closeOrAsk(func() { quit = true })
	if !quit {
		t.Error("closing asked about a rotated token copied since")
	}
	if findButton(tab.actions.panel, "Copy new token") == nil {
		t.Error("Copy went away after one use")
	}
}

func TestRotateASavedTokenReplacesItInTheKeyringAndTheList(t *testing.T) {
	f := newGitLabFixture(t)
	s := savedToken{Account: "john_smith on " + f.gl.Web() + " (gitlab)", Host: "gitlab", Variant: "self-managed", User: "john_smith",
		Server: f.gl.Web(), Fields: map[string]string{"url": f.gl.Web(), "ca": f.gl.CAFile(t)}}
	if err := f.vault.Store.Save(s.Account, []secret.Value{secret.New(glCanary)}); err != nil {
		t.Fatal(err)
	}
	f.ui.updateSaved(func([]savedToken) []savedToken { return []savedToken{s} })
	if !strings.Contains(textOf(f.ui.savedView().rows), "Rotate token…") && findButton(f.ui.savedView().rows, "Rotate token…") == nil {
		t.Fatal("no Rotate in the saved row")
	}
	test.Tap(findButton(f.ui.savedView().rows, "Rotate token…"))
	waitFor(t, f.ui, func() bool { return f.ui.win.Canvas().Overlays().Top() != nil })
	tapInDialog(t, f.ui, "Rotate now")
	waitFor(t, f.ui, func() bool { return strings.Contains(textOf(f.ui.savedView().rows), "rotated the token") })
	fresh := f.gl.Rotated()
	got, err := f.vault.Store.Load(s.Account)
	if err != nil || len(fresh) != 1 || got[0].Reveal() != fresh[0] {
		t.Fatalf("the keyring does not hold the new token: %v", err)
	}
	list := f.ui.loadSaved()
	want := testNow.AddDate(0, 0, rotateDays[1]).Format("2006-01-02")
	if list[0].ExpiresAt == nil || list[0].ExpiresAt.Format("2006-01-02") != want || list[0].Outcome != hosts.Sufficient {
		t.Errorf("list after rotation: %+v, want expiry %s", list[0], want)
	}
	rows := textOf(f.ui.savedView().rows)
	noCanary(t, rows)
	if !strings.Contains(rows, "The keyring now holds the new token") {
		t.Errorf("rows:\n%s", rows)
	}
	if b, _ := os.ReadFile(f.list.Path); bytes.Contains(b, []byte("CANARY")) {
		t.Error("the list holds a token")
	}
	quit := false
	f.ui.closeOrAsk(func() { quit = true })
	if !quit || f.ui.win.Canvas().Overlays().Top() != nil {
		t.Error("closing asked about a rotated token the keyring holds")
	}
}

// TestClosingAsksWhileARotatedTokenIsOnlyOnScreen: a rotated token that is
// in no keyring and not copied is lost with the window, and the old one no
// longer works: the close button and Ctrl+Q ask first, keeping gitpat open
// by default. Saved to the keyring, it closes without asking.
func TestClosingAsksWhileARotatedTokenIsOnlyOnScreen(t *testing.T) {
	f := newGitLabFixture(t)
	tab := f.testedTab(t) // not saved
	test.Tap(findButton(tab.actions.box, "Rotate token…"))
	tapInDialog(t, f.ui, "Rotate now")
	waitFor(t, f.ui, func() bool { return strings.Contains(textOf(tab.actions.panel), "rotated the token") })
	fresh := f.gl.Rotated()
	if len(fresh) != 1 {
		t.Fatalf("rotations: %d", len(fresh))
	}

	quit := false
	f.ui.closeOrAsk(func() { quit = true })
	top := f.ui.win.Canvas().Overlays().Top()
	if quit || top == nil {
		t.Fatal("closed without asking about the new token")
	}
	dlg := textOf(top)
	if !strings.Contains(dlg, "The new GitLab token of john_smith on "+f.gl.Web()) || !strings.Contains(dlg, "exists only in this window") {
		t.Errorf("the question does not name the token:\n%s", dlg)
	}
	noCanary(t, dlg)
	if strings.Contains(dlg, fresh[0]) {
		t.Error("the question shows the new token")
	}
	f.ui.closeOrAsk(func() { quit = true }) // asked again while it is on screen
	tapInDialog(t, f.ui, "Keep gitpat open")
	if quit || f.ui.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Keep gitpat open closed it, or a second question came")
	}
	// Ctrl+Q asks the same.
	f.ui.win.Canvas().(fyne.Shortcutable).TypedShortcut(quitShortcut)
	if top := f.ui.win.Canvas().Overlays().Top(); top == nil || !strings.Contains(textOf(top), "Close gitpat?") {
		t.Fatal("Ctrl+Q did not ask")
	}
	tapInDialog(t, f.ui, "Keep gitpat open")
	// And from the token field, which takes Ctrl+Q before the window.
	f.ui.win.Canvas().Focus(tab.secrets[0])
	tab.secrets[0].TypedShortcut(quitShortcut)
	if top := f.ui.win.Canvas().Overlays().Top(); top == nil || !strings.Contains(textOf(top), "Close gitpat?") {
		t.Fatal("Ctrl+Q in the token field did not ask")
	}
	tapInDialog(t, f.ui, "Keep gitpat open")
	f.ui.closeOrAsk(func() { quit = true })
	tapInDialog(t, f.ui, "Close anyway")
	if !quit {
		t.Fatal("Close anyway did not close")
	}

	// Rotated again before it was kept, the first new token no longer
	// works: the question names only the newest.
	test.Tap(findButton(tab.actions.box, "Rotate token…"))
	tapInDialog(t, f.ui, "Rotate now")
	waitFor(t, f.ui, func() bool { return len(f.gl.Rotated()) == 2 && tab.secrets[0].Text == f.gl.Rotated()[1] })
	if len(f.ui.onlyHere) != 1 || f.ui.onlyHere[0].secret.Reveal() != f.gl.Rotated()[1] {
		t.Errorf("after a second rotation, %d tokens only on screen, want the newest alone", len(f.ui.onlyHere))
	}

	// Saved to the keyring, the new token is kept: no question.
	test.Tap(tab.saveBtn)
	waitFor(t, f.ui, func() bool { return strings.Contains(tab.saveNote.Text, "Saved in the keyring") })
	quit = false
	f.ui.closeOrAsk(func() { quit = true })
	if !quit || f.ui.win.Canvas().Overlays().Top() != nil {
		t.Error("closing asked about a rotated token saved since")
	}
}

func TestRotateFailureSaysTheTokenStillWorks(t *testing.T) {
	f := newGitLabFixture(t)
	tab := f.testedTab(t)
	f.gl.SetFault(hoststest.Forbidden)
	test.Tap(findButton(tab.actions.box, "Rotate token…"))
	tapInDialog(t, f.ui, "Rotate now")
	waitFor(t, f.ui, func() bool { return strings.Contains(textOf(tab.actions.panel), "not rotated") })
	if tab.secrets[0].Text != glCanary {
		t.Error("the tab lost the old token")
	}
}

func TestCalendarFileForACheckedTokenHoldsNoSecret(t *testing.T) {
	f := newGitLabFixture(t)
	tab := f.testedTab(t)
	if findButton(tab.actions.box, "Add reminder to calendar") == nil {
		t.Fatal("no calendar action for a token with a known expiry")
	}
	rem, ok := calendarReminder(tab.host, tab.req, tab.report.Server, tab.report.User, tab.report.ExpiresAt)
	if !ok {
		t.Fatal("no reminder")
	}
	path := filepath.Join(t.TempDir(), "r.ics")
	w, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	msg := f.ui.writeCalendar(w, rem)
	if !strings.Contains(msg, "1 December 2026") {
		t.Errorf("message %q", msg)
	}
	b, _ := os.ReadFile(path)
	if bytes.Contains(b, []byte("CANARY")) || bytes.Contains(b, []byte(glCanary)) {
		t.Fatal("the calendar file holds the token")
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil || len(cal.Events()) != 1 {
		t.Fatalf("not a calendar: %v", err)
	}
	if s := cal.Events()[0].GetProperty(ics.ComponentPropertySummary).Value; !strings.Contains(s, "john_smith") || !strings.Contains(s, f.gl.Web()) {
		t.Errorf("summary %q", s)
	}
}

func TestOtherHostsSayHowToRenew(t *testing.T) {
	f := newFixture(t, nil)
	tab := f.githubTab()
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	waitResult(t, tab)
	if findButton(tab.actions.box, "Rotate token…") != nil {
		t.Error("GitHub offers Rotate")
	}
	renew := findButton(tab.actions.box, "How to renew")
	if renew == nil {
		t.Fatal("no How to renew")
	}
	test.Tap(renew)
	if text := textOf(f.ui.win.Canvas().Overlays().Top()); !strings.Contains(text, "Regenerate token") || !strings.Contains(text, f.github.URL+"/settings/tokens") {
		t.Errorf("renew dialog:\n%s", text)
	}
}
