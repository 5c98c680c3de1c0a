package remind

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"howett.net/plist"

	"github.com/gitpat/gitpat/internal/savedlist"
)

var now = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func in(days int) *time.Time {
	t := now.Add(time.Duration(days) * 24 * time.Hour)
	return &t
}

var list = []savedlist.Token{
	{Account: "a", Host: "github", User: "octocat", Server: "https://github.com", ExpiresAt: in(60)},
	{Account: "b", Host: "gitlab", User: "john", Server: "https://gitlab.example.com", ExpiresAt: in(6)},
	{Account: "c", Host: "azure-devops", User: "ann@fabrikam.com", Server: "https://dev.azure.com/fabrikam", ExpiresAt: in(-2)},
	{Account: "d", Host: "gitlab", User: "bot", Server: "https://gitlab.com"},
}

func TestMessageNamesExpiredAndExpiringTokens(t *testing.T) {
	title, body, ok := Message(list, now, 14)
	if !ok || title != "2 saved git tokens expire soon or have expired" {
		t.Fatalf("title %q, ok %v", title, ok)
	}
	lines := strings.Split(body, "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "ann@fabrikam.com on https://dev.azure.com/fabrikam (Azure DevOps): 2026-11-23 (expired)") ||
		!strings.Contains(lines[1], "john on https://gitlab.example.com (GitLab): 2026-12-01 (6 days left)") {
		t.Errorf("body:\n%s", body)
	}
	if _, _, ok := Message(list[:1], now, 14); ok {
		t.Error("a message with nothing expiring")
	}
	if title, _, _ := Message(list, now, 90); title != "3 saved git tokens expire soon or have expired" {
		t.Errorf("90 days: %q", title)
	}
	if title, _, _ := Message(list[2:3], now, 14); title != "A saved git token has expired" {
		t.Errorf("one expired: %q", title)
	}
	if title, _, _ := Message(list[1:2], now, 14); title != "A saved git token expires soon" {
		t.Errorf("one expiring: %q", title)
	}
}

func TestPendingReminderIsTakenOnceAndOnlyWhileFresh(t *testing.T) {
	dir := t.TempDir()
	if TakePending(dir, now) {
		t.Fatal("pending without a reminder")
	}
	if err := MarkShown(dir, now); err != nil {
		t.Fatal(err)
	}
	if !TakePending(dir, now.Add(time.Hour)) || TakePending(dir, now.Add(time.Hour)) {
		t.Error("a reminder should be taken once")
	}
	_ = MarkShown(dir, now)
	if TakePending(dir, now.Add(PendingFor+time.Minute)) {
		t.Error("a day-old reminder still opens the Saved tokens tab")
	}
}

func TestAutostartEntryIsValidAndRemoved(t *testing.T) {
	validate, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		t.Fatal("desktop-file-validate is missing: make test-deps installs desktop-file-utils")
	}
	cfg := t.TempDir()
	item := ForSystem("linux", Paths{ConfigHome: cfg}, nil)
	exe := `/opt/My Apps/gitpat "new"/gitpat`
	if err := item.Install(exe, 21); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cfg, "autostart", ID+".desktop")
	if !item.Installed() || item.Where() != path {
		t.Fatalf("not installed at %s", path)
	}
	out, err := exec.Command(validate, path).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Fatalf("desktop-file-validate: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(path)
	want := `Exec="/opt/My Apps/gitpat \\"new\\"/gitpat" --remind --remind-days 21`
	if !strings.Contains(string(b), want+"\n") {
		t.Errorf("Exec line: want %s in\n%s", want, b)
	}
	if err := item.Remove(); err != nil || item.Installed() {
		t.Errorf("Remove: %v", err)
	}
	if err := item.Remove(); err != nil {
		t.Errorf("removing twice: %v", err)
	}
}

// fakeRunKey is the Run key as a map.
type fakeRunKey map[string]string

func (k fakeRunKey) Get(name string) (string, bool, error) { v, ok := k[name]; return v, ok, nil }
func (k fakeRunKey) Set(name, value string) error          { k[name] = value; return nil }
func (k fakeRunKey) Delete(name string) error              { delete(k, name); return nil }

func TestWindowsRunKeyValue(t *testing.T) {
	key := fakeRunKey{"OneDrive": `"C:\Program Files\OneDrive.exe" /background`}
	item := ForSystem("windows", Paths{}, key)
	if err := item.Install(`C:\Users\Ann Lee\AppData\Local\gitpat\gitpat.exe`, 14); err != nil {
		t.Fatal(err)
	}
	if got := key[RunValueName]; got != `"C:\Users\Ann Lee\AppData\Local\gitpat\gitpat.exe" --remind --remind-days 14` || !item.Installed() {
		t.Errorf("Run value %q", got)
	}
	if err := item.Remove(); err != nil || item.Installed() || key["OneDrive"] == "" {
		t.Errorf("Remove took the wrong value: %v %v", err, key)
	}
	if ForSystem("windows", Paths{}, nil) != nil {
		t.Error("a Windows item without a Run key")
	}
}

func TestMacLaunchAgentPlist(t *testing.T) {
	home := t.TempDir()
	item := ForSystem("darwin", Paths{Home: home}, nil)
	if err := item.Install("/Applications/gitpat.app/Contents/MacOS/gitpat", 7); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(home, "Library", "LaunchAgents", ID+".plist")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(string(b), "<!DOCTYPE plist") {
		t.Errorf("not an XML property list:\n%s", b)
	}
	var got map[string]any
	if _, err := plist.Unmarshal(b, &got); err != nil {
		t.Fatalf("plist does not parse: %v", err)
	}
	args, _ := got["ProgramArguments"].([]any)
	if got["Label"] != ID || got["RunAtLoad"] != true || len(args) != 4 || args[0] != "/Applications/gitpat.app/Contents/MacOS/gitpat" || args[3] != "7" {
		t.Errorf("plist: %v", got)
	}
	if err := item.Remove(); err != nil || item.Installed() {
		t.Errorf("Remove: %v", err)
	}
}
