package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/clip/cliptest"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/savedlist"
	"github.com/gitpat/gitpat/internal/vault"
)

var testNow = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// newSavedFixture is a window with the mock keyring behind it, on an app
// whose preferences a test may fill first.
func newSavedFixture(t *testing.T, a fyne.App) (*UI, *hoststest.GitHub) {
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
	u := New(a, Deps{Hosts: hosts.All(), HTTP: client, Vault: vault.Store{}, Clock: cliptest.NewClock(),
		Now: func() time.Time { return testNow }, SavedList: list})
	t.Cleanup(u.Close)
	return u, g
}

func TestSaveToKeyringThenRecheckCopyAndDelete(t *testing.T) {
	a := test.NewTempApp(t)
	u, g := newSavedFixture(t, a)
	tab := u.hostUI[0]
	tab.variant.SetSelected("GitHub Enterprise Server")
	tab.inputs["url"].obj.(*widget.Entry).SetText(g.URL)
	if !tab.saveBtn.Disabled() {
		t.Fatal("Save enabled before a check")
	}
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	waitResult(t, tab)
	test.Tap(tab.saveBtn)
	waitFor(t, func() bool { return strings.Contains(tab.saveNote.Text, "Saved in the keyring") })

	account := "octocat on " + g.URL + " (github)"
	got, err := vault.Store{}.Load(account)
	if err != nil || len(got) != 1 || got[0].Reveal() != canary {
		t.Fatalf("keyring holds %d values, %v", len(got), err)
	}
	file, _ := os.ReadFile(u.savedList.(*savedlist.File).Path)
	if p := string(file); strings.Contains(p, "CANARY") || !strings.Contains(p, "octocat") {
		t.Fatalf("saved list: %s", p)
	}
	view := textOf(u.saved.rows)
	for _, want := range []string{"GitHub · octocat", g.URL, "2027-01-01 (37 days left)"} {
		if !strings.Contains(view, want) {
			t.Errorf("saved view lacks %q:\n%s", want, view)
		}
	}

	// Re-check reads the keyring and asks the server again.
	before := len(g.Requests())
	u.saved.recheckAll()
	waitFor(t, func() bool { return !u.saved.busy[account] && u.saved.results[account] != nil })
	if r := u.saved.results[account]; r.Outcome != hosts.Sufficient || len(g.Requests()) <= before {
		t.Errorf("re-check: outcome %d, requests %d → %d", r.Outcome, before, len(g.Requests()))
	}

	// Copy puts the saved token on the clipboard.
	u.saved.copy(u.loadSaved()[0], 0)
	waitFor(t, func() bool { return a.Clipboard().Content() == canary })

	// Delete asks first, then removes it from the keyring and the list.
	u.saved.confirmDelete(u.loadSaved()[0])
	confirm := findButton(u.win.Canvas().Overlays().Top(), "Yes")
	if confirm == nil {
		t.Fatal("no confirmation dialog")
	}
	test.Tap(confirm)
	waitFor(t, func() bool { return len(u.loadSaved()) == 0 })
	if _, err := (vault.Store{}).Load(account); err != vault.ErrNotFound {
		t.Errorf("still in the keyring: %v", err)
	}
}

func TestSavingWhenNoKeyringSaysWhy(t *testing.T) {
	a := test.NewTempApp(t)
	u, g := newSavedFixture(t, a)
	keyring.MockInitWithError(errorString("The name org.freedesktop.secrets was not provided by any .service files"))
	tab := u.hostUI[0]
	tab.variant.SetSelected("GitHub Enterprise Server")
	tab.inputs["url"].obj.(*widget.Entry).SetText(g.URL)
	tab.secrets[0].SetText(canary)
	test.Tap(tab.testBtn)
	waitResult(t, tab)
	test.Tap(tab.saveBtn)
	waitFor(t, func() bool { return strings.HasPrefix(tab.saveNote.Text, "Not saved: No keyring service is running") })
	if len(u.loadSaved()) != 0 {
		t.Error("listed although not saved")
	}
}

func TestExpiringTokensAreFlaggedAtStart(t *testing.T) {
	a := test.NewTempApp(t)
	soon := testNow.Add(5 * 24 * time.Hour)
	later := testNow.Add(90 * 24 * time.Hour)
	u, _ := newSavedFixture(t, a)
	u.updateSaved(func([]savedToken) []savedToken {
		return []savedToken{
			{Account: "a", Host: "github", User: "soon", Server: "https://github.com", ExpiresAt: &soon},
			{Account: "b", Host: "gitlab", User: "later", Server: "https://gitlab.com", ExpiresAt: &later},
		}
	})
	if u.savedTab.Text != "Saved tokens (1 expiring)" {
		t.Errorf("tab title %q", u.savedTab.Text)
	}
	if !u.saved.banner.Visible() || !strings.Contains(u.saved.banner.Text, "1 saved token expires within 14 days") {
		t.Errorf("banner %q", u.saved.banner.Text)
	}
	u.flagExpiring()
	if top := u.win.Canvas().Overlays().Top(); top == nil || !strings.Contains(textOf(top.(fyne.CanvasObject)), "soon on https://github.com: "+soon.Format("2006-01-02")) {
		t.Error("no start-up notice for the expiring token")
	}
}

func TestClipboardDelayIsASetting(t *testing.T) {
	a := test.NewTempApp(t)
	u, _ := newSavedFixture(t, a)
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
	u2, _ := newSavedFixture(t, a)
	if u2.guard.Delay != 0 {
		t.Errorf("new window delay %v", u2.guard.Delay)
	}
}

// TestSavedListMovesFromThePreferenceOnce keeps the list of users of
// earlier versions, which lived in a preference, and clears the preference.
func TestSavedListMovesFromThePreferenceOnce(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefSavedLegacy, `[{"account":"old","host":"gitlab","user":"john","server":"https://gitlab.com","expires_at":"2026-12-01T00:00:00Z"}]`)
	u, _ := newSavedFixture(t, a)
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
func findButton(obj fyne.CanvasObject, label string) *widget.Button {
	var found *widget.Button
	walk(obj, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == label && found == nil {
			found = b
		}
	})
	return found
}
