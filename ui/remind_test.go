package ui

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/clip/cliptest"
	"github.com/gitpat/gitpat/internal/remind"
)

func TestRemindSettingInstallsAndRemovesTheAutostartEntry(t *testing.T) {
	validate, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		t.Fatal("desktop-file-validate is missing: make test-deps installs desktop-file-utils")
	}
	a := test.NewTempApp(t)
	item := &remind.Autostart{Dir: filepath.Join(t.TempDir(), "autostart")}
	u := New(a, Deps{Hosts: hosts.All(), Vault: &flakyVault{}, Clock: cliptest.NewClock(), Now: func() time.Time { return testNow },
		LoginItem: item, Executable: func() (string, error) { return "/usr/local/bin/gitpat", nil }})
	listen(u)
	t.Cleanup(u.Close)
	u.SelectHost("saved") // the setting is in the Saved tokens tab, built when shown

	if u.remindCheck == nil || u.remindCheck.Checked || item.Installed() {
		t.Fatal("reminders must be off by default")
	}
	if u.remindDays.Selected != "14 days" {
		t.Errorf("days ahead %q, want 14 by default", u.remindDays.Selected)
	}
	test.Tap(u.remindCheck)
	if !item.Installed() {
		t.Fatal("turning it on did not install the autostart entry")
	}
	if out, err := exec.Command(validate, item.Path()).CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("desktop-file-validate: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(item.Path())
	if !strings.Contains(string(b), "Exec=/usr/local/bin/gitpat --remind --remind-days 14\n") {
		t.Errorf("entry:\n%s", b)
	}
	u.remindDays.SetSelected("30 days")
	b, _ = os.ReadFile(item.Path())
	if !strings.Contains(string(b), "--remind-days 30\n") || a.Preferences().Int(prefRemindDays) != 30 {
		t.Errorf("changing the days did not rewrite the entry:\n%s", b)
	}
	test.Tap(u.remindCheck)
	if item.Installed() {
		t.Error("turning it off left the entry")
	}
	// A new window shows what is on disk, with the days chosen.
	u2 := New(a, Deps{Hosts: hosts.All(), Vault: &flakyVault{}, Clock: cliptest.NewClock(), LoginItem: item,
		Executable: func() (string, error) { return "/usr/local/bin/gitpat", nil }})
	listen(u2)
	t.Cleanup(u2.Close)
	u2.SelectHost("saved")
	if u2.remindCheck.Checked || u2.remindDays.Selected != "30 days" {
		t.Errorf("new window: checked %v, %q", u2.remindCheck.Checked, u2.remindDays.Selected)
	}
}

// brokenItem is a login item whose folder cannot be written.
type brokenItem struct{ remind.Autostart }

func (brokenItem) Install(string, int) error { return os.ErrPermission }

func TestRemindSettingSaysWhyItCouldNotTurnOn(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Deps{Hosts: hosts.All(), Vault: &flakyVault{}, Clock: cliptest.NewClock(),
		LoginItem: &brokenItem{remind.Autostart{Dir: t.TempDir()}}, Executable: os.Executable})
	listen(u)
	t.Cleanup(u.Close)
	u.SelectHost("saved")
	test.Tap(u.remindCheck)
	if u.remindCheck.Checked || !strings.Contains(textOf(u.savedView().content), "Could not change the login item: permission denied") {
		t.Errorf("checked %v:\n%s", u.remindCheck.Checked, textOf(u.savedView().content))
	}
}

func TestNoStartupNoticeWhenOpenedOnSavedTokens(t *testing.T) {
	a := test.NewTempApp(t)
	u := newSavedFixture(t, a).UI
	soon := testNow.Add(3 * 24 * time.Hour)
	u.updateSaved(func([]savedToken) []savedToken {
		return []savedToken{{Account: "a", Host: "github", User: "soon", Server: "https://github.com", ExpiresAt: &soon}}
	})
	u.SelectHost("saved")
	u.flagExpiring()
	if u.win.Canvas().Overlays().Top() != nil {
		t.Error("a start-up notice over the tab that already lists the token")
	}
	u.SelectHost("github")
	u.flagExpiring()
	if u.win.Canvas().Overlays().Top() == nil {
		t.Error("no start-up notice on another tab")
	}
}
