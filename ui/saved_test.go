package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/clip/cliptest"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/savedlist"
	"github.com/gitpat/gitpat/internal/vault"
)

var testNow = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// savedFixture is a window with the mock keyring behind it.
type savedFixture struct {
	*UI
	github *hoststest.GitHub
	clock  *cliptest.Clock
	events *uiLoop
}

// newSavedFixture makes the window on an app whose preferences a test may
// fill first.
func newSavedFixture(t *testing.T, a fyne.App) *savedFixture {
	t.Helper()
	keyring.MockInit()
	g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{
		canary: {Scopes: "repo", Expires: "2027-01-01 00:00:00 UTC"},
	})
	client, err := httpx.New(httpx.Options{CAFile: g.CAFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	list := &savedlist.File{Path: filepath.Join(t.TempDir(), "gitpat", savedlist.FileName)}
	clock := cliptest.NewClock()
	u := New(a, Deps{Hosts: hosts.All(), HTTP: client, Vault: vault.Store{}, Clock: clock, Illustration: blankDrawing,
		Now: func() time.Time { return testNow }, SavedList: list})
	f := &savedFixture{UI: u, github: g, clock: clock, events: listen(u)}
	u.opened()
	t.Cleanup(u.Close)
	return f
}

// testedToken tests the canary in the GitHub tab against the fake.
func (f *savedFixture) testedToken(t *testing.T) *hostTab {
	t.Helper()
	tab := f.hostUI[0]
	tab.variant.choose(1)
	field(tab, "url").SetText(f.github.URL)
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	await(t, f.events, evResult)
	return tab
}

func TestSaveToKeyringThenRecheckCopyAndDelete(t *testing.T) {
	a := test.NewTempApp(t)
	f := newSavedFixture(t, a)
	u, g := f.UI, f.github
	if !u.savedView().recheckAll.Disabled() {
		t.Error("Re-check all enabled with nothing saved")
	}
	if !u.hostUI[0].saveBtn.Disabled() {
		t.Fatal("Save enabled before a check")
	}
	tab := f.testedToken(t)
	test.Tap(tab.saveBtn)
	await(t, f.events, evSaved)
	if !strings.Contains(tab.saveNote.Text, "Saved in the keyring") {
		t.Fatalf("save note %q", tab.saveNote.Text)
	}

	account := "octocat on " + g.URL + " (github)"
	got, err := vault.Store{}.Load(account)
	if err != nil || len(got) != 1 || got[0].Reveal() != canary {
		t.Fatalf("keyring holds %d values, %v", len(got), err)
	}
	file, _ := os.ReadFile(u.savedList.(*savedlist.File).Path)
	if p := string(file); strings.Contains(p, "CANARY") || !strings.Contains(p, "octocat") {
		t.Fatalf("saved list: %s", p)
	}
	view := textOf(u.savedView().rows)
	for _, want := range []string{"GitHub · octocat", g.URL, "2027-01-01 (37 days left)"} {
		if !strings.Contains(view, want) {
			t.Errorf("saved view lacks %q:\n%s", want, view)
		}
	}
	if u.savedView().recheckAll.Disabled() {
		t.Error("Re-check all disabled with a token saved")
	}

	// Re-check reads the keyring and asks the server again.
	before := len(g.Requests())
	test.Tap(u.savedView().recheckAll)
	await(t, f.events, evRecheck)
	if r := u.savedView().results[account]; r == nil || r.Outcome != hosts.Sufficient || len(g.Requests()) <= before {
		t.Errorf("re-check: %+v, requests %d → %d", r, before, len(g.Requests()))
	}

	// Copy puts the saved token on the clipboard and says so under its
	// row, with the countdown.
	test.Tap(findButton(u.savedView().rows, "Copy token"))
	await(t, f.events, evCopied)
	await(t, f.events, evTick)
	if a.Clipboard().Content() != canary {
		t.Fatal("the saved token is not on the clipboard")
	}
	if note := u.savedView().notes[account]; !note.Visible() || note.Text != "Copied. The clipboard clears in 30 s." {
		t.Errorf("row note %q", note.Text)
	}
	f.clock.Advance(30)
	await(t, f.events, evCleared)
	if note := u.savedView().notes[account]; note.Text != "Clipboard cleared." || a.Clipboard().Content() != "" {
		t.Errorf("row note %q, clipboard emptied %v", note.Text, a.Clipboard().Content() == "")
	}

	// Delete asks first, Cancel being the default; Delete removes it from
	// the keyring and the list.
	test.Tap(findButton(u.savedView().rows, "Delete"))
	await(t, f.events, evDialog)
	top := u.win.Canvas().Overlays().Top()
	if top == nil || u.win.Canvas().Focused() != fyne.Focusable(findButton(top, "Cancel")) {
		t.Fatal("no confirmation with Cancel focused")
	}
	test.Tap(findButton(top, "Delete"))
	await(t, f.events, evDeleted)
	if len(u.loadSaved()) != 0 {
		t.Error("still listed")
	}
	if _, err := (vault.Store{}).Load(account); err != vault.ErrNotFound {
		t.Errorf("still in the keyring: %v", err)
	}
	if !u.savedView().recheckAll.Disabled() {
		t.Error("Re-check all enabled after the last token went")
	}
}

func TestSavingWhenNoKeyringSaysWhy(t *testing.T) {
	a := test.NewTempApp(t)
	f := newSavedFixture(t, a)
	tab := f.testedToken(t)
	keyring.MockInitWithError(errorString("The name org.freedesktop.secrets was not provided by any .service files"))
	test.Tap(tab.saveBtn)
	await(t, f.events, evSaved)
	if !strings.HasPrefix(tab.saveNote.Text, "Not saved: No keyring service is running") {
		t.Errorf("save note %q", tab.saveNote.Text)
	}
	if len(f.loadSaved()) != 0 {
		t.Error("listed although not saved")
	}
}

func TestExpiringTokensAreFlaggedAtStart(t *testing.T) {
	a := test.NewTempApp(t)
	soon := testNow.Add(5 * 24 * time.Hour)
	later := testNow.Add(90 * 24 * time.Hour)
	u := newSavedFixture(t, a).UI
	u.updateSaved(func([]savedToken) []savedToken {
		return []savedToken{
			{Account: "a", Host: "github", User: "soon", Server: "https://github.com", ExpiresAt: &soon},
			{Account: "b", Host: "gitlab", User: "later", Server: "https://gitlab.com", ExpiresAt: &later},
		}
	})
	if u.savedTab.Text != "Saved tokens (1 expiring)" {
		t.Errorf("tab title %q", u.savedTab.Text)
	}
	// A new window flags them in the title before its tab is built.
	u2 := New(a, Deps{Hosts: hosts.All(), Vault: vault.Store{}, Clock: cliptest.NewClock(), Illustration: blankDrawing,
		Now: func() time.Time { return testNow }, SavedList: u.savedList})
	listen(u2)
	t.Cleanup(u2.Close)
	if u2.saved != nil || u2.savedTab.Text != "Saved tokens (1 expiring)" {
		t.Errorf("new window: tab built %v, title %q", u2.saved != nil, u2.savedTab.Text)
	}
	u2.SelectHost("saved")
	if u2.saved == nil || !strings.Contains(textOf(u2.saved.rows), "soon") {
		t.Error("the tab shown lists no tokens")
	}
	if !u.savedView().banner.Visible() || !strings.Contains(u.savedView().banner.Text, "1 saved token expires within 14 days") {
		t.Errorf("banner %q", u.savedView().banner.Text)
	}
	u.flagExpiring()
	top := u.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(textOf(top.(fyne.CanvasObject)), "soon on https://github.com: "+soon.Format("2006-01-02")) {
		t.Fatal("no start-up notice for the expiring token")
	}
	pressEnter(u.win.Canvas()) // the default: show them
	if u.tabs.Selected() != u.savedTab || u.win.Canvas().Overlays().Top() != nil {
		t.Error("Enter did not show the saved tokens")
	}
}

func TestClipboardDelayIsASetting(t *testing.T) {
	a := test.NewTempApp(t)
	u := newSavedFixture(t, a).UI
	u.SelectHost("saved") // its Settings hold the second select
	u.clearSelects[0].SetSelected("10 s")
	if u.guard.Delay != 10*time.Second || a.Preferences().Int(prefClearSeconds) != 10 {
		t.Fatalf("delay %v, preference %d", u.guard.Delay, a.Preferences().Int(prefClearSeconds))
	}
	for _, s := range u.clearSelects {
		if s.Selected != "10 s" {
			t.Errorf("a select shows %q", s.Selected)
		}
	}
	u.clearSelects[1].SetSelected("never")
	if u.guard.Delay != 0 || a.Preferences().IntWithFallback(prefClearSeconds, -1) != 0 {
		t.Fatal("never is not stored")
	}
	// A new window starts with the stored setting.
	u2 := newSavedFixture(t, a).UI
	if u2.guard.Delay != 0 {
		t.Errorf("new window delay %v", u2.guard.Delay)
	}
}

// TestSavedListMovesFromThePreferenceOnce keeps the list of users of
// earlier versions, which lived in a preference, and clears the preference.
func TestSavedListMovesFromThePreferenceOnce(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefSavedLegacy, `[{"account":"old","host":"gitlab","user":"john","server":"https://gitlab.com","expires_at":"2026-12-01T00:00:00Z"}]`)
	u := newSavedFixture(t, a).UI
	list := u.loadSaved()
	if len(list) != 1 || list[0].Account != "old" || list[0].ExpiresAt == nil {
		t.Fatalf("migrated list: %+v", list)
	}
	if a.Preferences().String(prefSavedLegacy) != "" {
		t.Error("the old preference was not cleared")
	}
	if !strings.Contains(u.savedTab.Text, "1 expiring") {
		t.Errorf("tab title %q", u.savedTab.Text)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

// findButton finds a button by its label under obj.
func findButton(obj fyne.CanvasObject, label string) *button {
	var found *button
	walk(obj, func(o fyne.CanvasObject) {
		if b, ok := o.(*button); ok && b.Text == label && found == nil {
			found = b
		}
	})
	return found
}

// TestSavedTokenRemembersItsRepositoriesAndRechecksThem: the repositories
// named when the token was tested are saved with it (no secret among
// them), and Re-check proves the token on them again.
func TestSavedTokenRemembersItsRepositoriesAndRechecksThem(t *testing.T) {
	a := test.NewTempApp(t)
	f := newSavedFixture(t, a)
	f.github.Repos = map[string]hoststest.GitHubRepo{"acme-corp/jira-sync": {Private: true, Role: "write", OrgID: "21955855"}}
	tab := f.hostUI[0]
	tab.variant.choose(1)
	field(tab, "url").SetText(f.github.URL)
	field(tab, hosts.RepoFieldKey).SetText("acme-corp/jira-sync")
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	await(t, f.events, evResult)
	if n := len(tab.report.Repositories); n != 1 {
		t.Fatalf("%d repositories in the tested report", n)
	}
	test.Tap(tab.saveBtn)
	await(t, f.events, evSaved)
	saved := f.loadSaved()
	if len(saved) != 1 || saved[0].Fields[hosts.RepoFieldKey] != "acme-corp/jira-sync" {
		t.Fatalf("saved %+v", saved)
	}
	before := len(f.github.Requests())
	test.Tap(findButton(f.savedView().rows, "Re-check"))
	await(t, f.events, evRecheck)
	r := f.savedView().results[saved[0].Account]
	if r == nil || len(r.Repositories) != 1 || r.Repositories[0].Name != "acme-corp/jira-sync" || !r.Repositories[0].Ready() {
		t.Fatalf("re-check report: %+v", r)
	}
	asked := false
	for _, req := range f.github.Requests()[before:] {
		asked = asked || strings.HasSuffix(req, "/repos/acme-corp/jira-sync")
	}
	if !asked {
		t.Errorf("the re-check did not ask about the repository: %v", f.github.Requests()[before:])
	}
}
