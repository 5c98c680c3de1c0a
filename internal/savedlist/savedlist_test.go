package savedlist

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func at(days int) *time.Time {
	t := now.Add(time.Duration(days) * 24 * time.Hour)
	return &t
}

func TestSaveAndLoadRoundTripWithoutLeftovers(t *testing.T) {
	dir := t.TempDir()
	f := &File{Path: filepath.Join(dir, "gitpat", FileName)}
	if list, err := f.Load(); err != nil || len(list) != 0 {
		t.Fatalf("missing file: %v, %v", list, err)
	}
	want := []Token{
		{Account: "a", Host: "github", User: "octocat", Server: "https://github.com", ExpiresAt: at(3)},
		{Account: "b", Host: "gitlab", User: "john", Fields: map[string]string{"url": "https://gitlab.example.com", "ca": "/ca.pem"}},
	}
	if err := f.Save(want); err != nil {
		t.Fatal(err)
	}
	got, err := f.Load()
	if err != nil || len(got) != 2 || got[0].User != "octocat" || !got[0].ExpiresAt.Equal(*want[0].ExpiresAt) || got[1].CAFile() != "/ca.pem" {
		t.Fatalf("Load = %+v, %v", got, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(f.Path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only the list", len(entries))
	}
	info, _ := os.Stat(filepath.Dir(f.Path))
	if info.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v", info.Mode().Perm())
	}
	if err := f.Update(func(l []Token) []Token { return l[1:] }); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Load(); len(got) != 1 || got[0].Account != "b" {
		t.Errorf("after Update: %+v", got)
	}
}

func TestDamagedOrNewerFileIsAnErrorNotAnEmptyList(t *testing.T) {
	dir := t.TempDir()
	f := &File{Path: filepath.Join(dir, FileName)}
	os.WriteFile(f.Path, []byte(`{"version":1,"tokens":[{"acc`), 0o600)
	if _, err := f.Load(); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged: %v", err)
	}
	os.WriteFile(f.Path, []byte(`{"version":2,"tokens":[]}`), 0o600)
	if _, err := f.Load(); err != ErrNewer {
		t.Errorf("newer: %v", err)
	}
	// Update must not overwrite what it could not read.
	if err := f.Update(func([]Token) []Token { return nil }); err != ErrNewer {
		t.Errorf("Update over a newer file: %v", err)
	}
}

func TestExpiringListsExpiredAndSoonSoonestFirst(t *testing.T) {
	list := []Token{
		{Account: "later", ExpiresAt: at(40)},
		{Account: "soon", ExpiresAt: at(13)},
		{Account: "never"},
		{Account: "expired", ExpiresAt: at(-2)},
		{Account: "edge", ExpiresAt: at(14)},
	}
	var got []string
	for _, tok := range Expiring(list, now, DefaultWithin) {
		got = append(got, tok.Account)
	}
	if strings.Join(got, ",") != "expired,soon" {
		t.Errorf("Expiring = %v", got)
	}
	if len(Expiring(list, now, 41*24*time.Hour)) != 4 {
		t.Error("a wider window should take in the token 40 days out")
	}
}

func TestRequestCarriesFieldsButNotTheCAFile(t *testing.T) {
	tok := Token{Variant: "self-managed", Fields: map[string]string{"url": "http://gitlab.local", "ca": "/x.pem"}}
	r := tok.Request()
	if r.Variant != "self-managed" || r.Fields["url"] != "http://gitlab.local" || r.Fields["ca"] != "" || !r.AllowHTTP {
		t.Errorf("Request = %+v", r)
	}
	if (Token{Host: "github", User: "octocat", Server: "https://github.com"}).Label() != "octocat on https://github.com (GitHub)" {
		t.Error("Label")
	}
}
