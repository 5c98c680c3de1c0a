package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
)

func TestZipKeepsTheTreeAndTheExecutableBit(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "gitpat.app", "Contents")
	if err := os.MkdirAll(filepath.Join(app, "MacOS"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(app, "Info.plist"), []byte("<plist/>"), 0o644)
	os.WriteFile(filepath.Join(app, "MacOS", "gitpat"), []byte("binary"), 0o755)
	out := filepath.Join(t.TempDir(), "x.zip")
	if err := write(out, os.DirFS(dir), "gitpat.app"); err != nil {
		t.Fatal(err)
	}
	r, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := map[string]os.FileMode{}
	for _, f := range r.File {
		got[f.Name] = f.Mode()
	}
	if m, ok := got["gitpat.app/Contents/MacOS/gitpat"]; !ok || m.Perm() != 0o755 {
		t.Errorf("executable: %v %v", m, ok)
	}
	if m, ok := got["gitpat.app/Contents/Info.plist"]; !ok || m.Perm() != 0o644 {
		t.Errorf("plist: %v %v", m, ok)
	}
	if _, ok := got["gitpat.app/Contents/"]; !ok {
		t.Errorf("folders missing: %v", got)
	}
}

func TestOnlyRegularFilesGoIn(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "pkg"), 0o755)
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "pkg", "link")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "x.zip")
	if err := write(out, os.DirFS(dir), "pkg"); err == nil {
		t.Fatal("a symlink went into the package")
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed archive was left behind")
	}
}
