//go:build packages

package pkgtest

import (
	"archive/zip"
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/internal/version"
)

const appID = "io.github.gitpat"

var name = "gitpat-" + version.Number

// repo is the source tree, two folders up.
func repo(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func dist(t *testing.T, file string) string {
	t.Helper()
	d := os.Getenv("GITPAT_DIST")
	if d == "" {
		t.Fatal("GITPAT_DIST is not set: run this through make package")
	}
	p := filepath.Join(d, file)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s was not built: %v", file, err)
	}
	return p
}

func arch() string { return runtime.GOARCH }

// The packages each platform builds (the Makefile's PACKAGES).
func TestPackages(t *testing.T) {
	switch runtime.GOOS {
	case "linux":
		t.Run("linux", testLinux)
		t.Run("windows", testWindows)
	case "windows":
		t.Run("windows", testWindows)
	case "darwin":
		t.Run("macos", testMacOS)
	default:
		t.Fatalf("no packages are made on %s", runtime.GOOS)
	}
}

// run runs a command and returns its output, failing the test on error.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// tree lists the files under root with their permission bits.
func tree(t *testing.T, root string) map[string]fs.FileMode {
	t.Helper()
	files := map[string]fs.FileMode{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = info.Mode().Perm()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func keys(m map[string]fs.FileMode) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

var iconSizes = []string{"32", "48", "64", "128", "256", "512"}

// linuxFiles is what a Linux install holds, relative to PREFIX, with modes.
func linuxFiles() map[string]fs.FileMode {
	f := map[string]fs.FileMode{
		"bin/gitpat":       0o755,
		"bin/gitpat-check": 0o755,
		"share/applications/" + appID + ".desktop":            0o644,
		"share/metainfo/" + appID + ".metainfo.xml":           0o644,
		"share/icons/hicolor/scalable/apps/" + appID + ".svg": 0o644,
	}
	for _, s := range iconSizes {
		f["share/icons/hicolor/"+s+"x"+s+"/apps/"+appID+".png"] = 0o644
	}
	return f
}

func testLinux(t *testing.T) {
	archive := dist(t, name+"-linux-"+arch()+".tar.xz")
	unpacked := t.TempDir()
	run(t, unpacked, "tar", "-xJf", archive)

	want := linuxFiles()
	want["Makefile"] = 0o644
	got := tree(t, filepath.Join(unpacked, name))
	if !slices.Equal(keys(got), keys(want)) {
		t.Fatalf("the archive holds\n%s\nwant\n%s", strings.Join(keys(got), "\n"), strings.Join(keys(want), "\n"))
	}
	for f, m := range want {
		if got[f] != m {
			t.Errorf("%s has mode %v, want %v", f, got[f], m)
		}
	}
	// The binaries are this platform's, and gitpat-check runs.
	for _, b := range []string{"bin/gitpat", "bin/gitpat-check"} {
		f, err := elf.Open(filepath.Join(unpacked, name, b))
		if err != nil {
			t.Fatalf("%s is not an ELF executable: %v", b, err)
		}
		f.Close()
	}
	checkCLIRuns(t, filepath.Join(unpacked, name, "bin", "gitpat-check"))
	checkTags(t, filepath.Join(unpacked, name, "bin", "gitpat"))

	// Its install puts the same files where `make install` does.
	fromArchive, fromSource := t.TempDir(), t.TempDir()
	run(t, filepath.Join(unpacked, name), "make", "install", "DESTDIR="+fromArchive)
	run(t, repo(t), "make", "--no-print-directory", "install", "DESTDIR="+fromSource)
	a, s := tree(t, fromArchive), tree(t, fromSource)
	if !slices.Equal(keys(a), keys(s)) {
		t.Fatalf("the archive installs\n%s\nmake install installs\n%s", strings.Join(keys(a), "\n"), strings.Join(keys(s), "\n"))
	}
	for f, m := range s {
		if a[f] != m {
			t.Errorf("%s: mode %v from the archive, %v from make install", f, a[f], m)
		}
		if strings.HasPrefix(f, "usr/local/share/") {
			x, _ := os.ReadFile(filepath.Join(fromArchive, f))
			y, _ := os.ReadFile(filepath.Join(fromSource, f))
			if !bytes.Equal(x, y) {
				t.Errorf("%s differs from the source tree's", f)
			}
		}
	}
	prefix := filepath.Join(fromArchive, "usr", "local")
	run(t, "", "desktop-file-validate", filepath.Join(prefix, "share", "applications", appID+".desktop"))
	run(t, "", "appstreamcli", "validate", "--no-net", "--explain", filepath.Join(prefix, "share", "metainfo", appID+".metainfo.xml"))

	run(t, filepath.Join(unpacked, name), "make", "uninstall", "DESTDIR="+fromArchive)
	if left := tree(t, fromArchive); len(left) != 0 {
		t.Errorf("uninstall left %v", keys(left))
	}
}

// checkCLIRuns runs gitpat-check without arguments: a usage error (64).
func checkCLIRuns(t *testing.T, path string) {
	t.Helper()
	err := exec.Command(path).Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 64 {
		t.Errorf("%s without arguments: %v, want exit status 64", path, err)
	}
}

// checkTags reads the build tags back from a packaged gitpat: release
// (Fyne's release mode) and the Makefile's TAGS (no_emoji).
func checkTags(t *testing.T, exe string) {
	t.Helper()
	info, err := buildinfo.ReadFile(exe)
	if err != nil {
		t.Errorf("%s: %v", exe, err)
		return
	}
	var tags []string
	for _, s := range info.Settings {
		if s.Key == "-tags" {
			tags = strings.Split(s.Value, ",")
		}
	}
	for _, want := range []string{"release", "no_emoji"} {
		if !slices.Contains(tags, want) {
			t.Errorf("%s was built with the tags %v, without %s", exe, tags, want)
		}
	}
}

// unzip extracts a package into a temporary folder and lists its files.
func unzip(t *testing.T, archive string) (string, map[string]fs.FileMode) {
	t.Helper()
	r, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dir := t.TempDir()
	files := map[string]fs.FileMode{}
	for _, f := range r.File {
		if !strings.HasPrefix(f.Name, name+"/") || strings.Contains(f.Name, "..") {
			t.Fatalf("%s lies outside %s/", f.Name, name)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if f.FileInfo().IsDir() {
			os.MkdirAll(p, 0o755)
			continue
		}
		files[strings.TrimPrefix(f.Name, name+"/")] = f.Mode().Perm()
		os.MkdirAll(filepath.Dir(p), 0o755)
		src, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		dst, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, f.Mode().Perm()|0o200)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(dst, src)
		src.Close()
		dst.Close()
	}
	return filepath.Join(dir, name), files
}

func testWindows(t *testing.T) {
	dir, files := unzip(t, dist(t, name+"-windows-amd64.zip"))
	if got := keys(files); !slices.Equal(got, []string{"gitpat-check.exe", "gitpat.exe"}) {
		t.Fatalf("the zip holds %v", got)
	}
	// IMAGE_SUBSYSTEM_WINDOWS_GUI (2) opens no console window; the CLI is
	// a console program (3).
	for exe, subsystem := range map[string]uint16{"gitpat.exe": 2, "gitpat-check.exe": 3} {
		f, err := pe.Open(filepath.Join(dir, exe))
		if err != nil {
			t.Fatalf("%s is not a PE file: %v", exe, err)
		}
		oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
		if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || !ok || oh.Subsystem != subsystem {
			t.Errorf("%s: machine %#x, subsystem %v; want amd64 and %d", exe, f.Machine, oh, subsystem)
		}
		f.Close()
	}
	checkTags(t, filepath.Join(dir, "gitpat.exe"))
	if runtime.GOOS == "windows" {
		checkCLIRuns(t, filepath.Join(dir, "gitpat-check.exe"))
		return
	}
	checkWindowsResources(t, filepath.Join(dir, "gitpat.exe"))
}

// checkWindowsResources reads gitpat.exe's resources back with windres
// (binutils-mingw-w64): an icon, the version information with gitpat's
// version, and the manifest with its DPI awareness.
func checkWindowsResources(t *testing.T, exe string) {
	t.Helper()
	rc := run(t, "", "x86_64-w64-mingw32-windres", "--input-format=coff", "--output-format=rc", "-i", exe)
	for _, want := range []string{"RT_GROUP_ICON", "RT_ICON", "VERSIONINFO", `VALUE "ProductName", "gitpat"`,
		`VALUE "FileVersion", "` + version.Number + `.`, `VALUE "ProductVersion", "` + version.Number + `.`} {
		if !strings.Contains(rc, want) {
			t.Errorf("gitpat.exe's resources lack %s", want)
		}
	}
	manifest := manifestOf(t, rc)
	for _, want := range []string{"<dpiAwareness", "PerMonitorV2", "<dpiAware", "true/pm", `name="` + appID + `"`,
		`version="` + version.Number + `.`} {
		if !strings.Contains(manifest, want) {
			t.Errorf("the manifest lacks %s:\n%s", want, manifest)
		}
	}
}

// manifestOf decodes the RT_MANIFEST resource from windres' rc output,
// where its bytes are C string literals, one a line, with "" for a quote.
func manifestOf(t *testing.T, rc string) string {
	t.Helper()
	_, body, ok := strings.Cut(rc, "/* RT_MANIFEST */\nBEGIN\n")
	if !ok {
		t.Fatal("gitpat.exe has no manifest")
	}
	body, _, _ = strings.Cut(body, "\nEND")
	var b strings.Builder
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if len(line) < 2 || line[0] != '"' || line[len(line)-1] != '"' {
			continue
		}
		b.WriteString(unescape(strings.ReplaceAll(line[1:len(line)-1], `""`, `"`)))
	}
	return b.String()
}

// unescape reads the C escapes windres writes (\n, \r, \t, \\, \ooo).
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; {
		case c == 'n':
			b.WriteByte('\n')
		case c == 'r':
			b.WriteByte('\r')
		case c == 't':
			b.WriteByte('\t')
		case c >= '0' && c <= '7':
			n := 0
			for j := 0; j < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7'; j++ {
				n = n*8 + int(s[i]-'0')
				i++
			}
			i--
			b.WriteByte(byte(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func testMacOS(t *testing.T) {
	dir, files := unzip(t, dist(t, name+"-macos-"+arch()+".zip"))
	for _, f := range []string{"gitpat.app/Contents/Info.plist", "gitpat.app/Contents/MacOS/gitpat", "gitpat.app/Contents/Resources/icon.icns", "gitpat-check"} {
		if _, ok := files[f]; !ok {
			t.Errorf("the zip lacks %s (it holds %v)", f, keys(files))
		}
	}
	for _, exe := range []string{"gitpat.app/Contents/MacOS/gitpat", "gitpat-check"} {
		if files[exe]&0o111 == 0 {
			t.Errorf("%s is not executable (%v)", exe, files[exe])
		}
		f, err := macho.Open(filepath.Join(dir, exe))
		if err != nil {
			t.Errorf("%s is not a Mach-O file: %v", exe, err)
			continue
		}
		f.Close()
	}
	plist, _ := os.ReadFile(filepath.Join(dir, "gitpat.app", "Contents", "Info.plist"))
	for _, want := range []string{"<string>" + appID + "</string>", "<string>" + version.Number + "</string>"} {
		if !bytes.Contains(plist, []byte(want)) {
			t.Errorf("Info.plist lacks %s", want)
		}
	}
	checkTags(t, filepath.Join(dir, "gitpat.app", "Contents", "MacOS", "gitpat"))
	run(t, "", "plutil", "-lint", filepath.Join(dir, "gitpat.app", "Contents", "Info.plist"))
	checkCLIRuns(t, filepath.Join(dir, "gitpat-check"))
}
