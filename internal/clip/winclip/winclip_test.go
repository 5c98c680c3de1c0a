package winclip

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const canary = "ghp_CANARYwindowsCANARYwindowsCANARY000"

// fakeClipboard behaves as the Win32 clipboard does for one process: it
// must be open to be changed, registering a name twice gives the same
// format, and every call is logged.
type fakeClipboard struct {
	open      bool
	busy      bool   // another program holds it open
	failSetOf uint32 // a format whose SetClipboardData fails
	data      map[uint32][]byte
	names     map[string]uint32
	log       []string
}

func newFake() *fakeClipboard {
	return &fakeClipboard{data: map[uint32][]byte{}, names: map[string]uint32{}}
}

func (f *fakeClipboard) Open() error {
	f.log = append(f.log, "open")
	if f.busy {
		return errors.New("access denied")
	}
	f.open = true
	return nil
}

func (f *fakeClipboard) Close() error { f.log = append(f.log, "close"); f.open = false; return nil }

func (f *fakeClipboard) Empty() error {
	f.log = append(f.log, "empty")
	if !f.open {
		return errors.New("not open")
	}
	clear(f.data)
	return nil
}

func (f *fakeClipboard) Register(name string) (uint32, error) {
	if id, ok := f.names[name]; ok {
		return id, nil
	}
	id := uint32(0xC000 + len(f.names)) // registered formats start at 0xC000
	f.names[name] = id
	return id, nil
}

func (f *fakeClipboard) Set(format uint32, data []byte) error {
	f.log = append(f.log, "set "+f.name(format))
	if !f.open {
		return errors.New("not open")
	}
	if format == f.failSetOf {
		return errors.New("out of memory")
	}
	f.data[format] = append([]byte(nil), data...)
	return nil
}

func (f *fakeClipboard) Get(format uint32) ([]byte, bool) {
	d, ok := f.data[format]
	return d, ok
}

func (f *fakeClipboard) name(format uint32) string {
	if format == CFUnicodeText {
		return "CF_UNICODETEXT"
	}
	for n, id := range f.names {
		if id == format {
			return n
		}
	}
	return "?"
}

func (f *fakeClipboard) marker(t *testing.T, name string) ([]byte, bool) {
	t.Helper()
	id, ok := f.names[name]
	if !ok {
		return nil, false
	}
	d, ok := f.data[id]
	return d, ok
}

func TestASecretGoesOutWithTheThreeHistoryFormats(t *testing.T) {
	f := newFake()
	b := New(f)
	b.SetSecret(canary)
	if b.Content() != canary {
		t.Fatalf("Content = %q", b.Content())
	}
	if d, ok := f.marker(t, ExcludeFromMonitor); !ok || len(d) == 0 {
		t.Errorf("%s missing", ExcludeFromMonitor)
	}
	for _, name := range []string{CanIncludeInHistory, CanUploadToCloud} {
		if d, ok := f.marker(t, name); !ok || string(d) != "\x00\x00\x00\x00" {
			t.Errorf("%s = %q, %v: want a DWORD 0", name, d, ok)
		}
	}
	// One open session: emptied, the markers, the text, closed.
	want := []string{"open", "empty", "set " + ExcludeFromMonitor, "set " + CanIncludeInHistory, "set " + CanUploadToCloud, "set CF_UNICODETEXT", "close"}
	if !slices.Equal(f.log[:len(want)], want) {
		t.Errorf("calls %v, want %v", f.log, want)
	}
}

func TestTextIsUTF16WithAFinalNUL(t *testing.T) {
	f := newFake()
	New(f).SetContent("a€😀")
	want := []byte{'a', 0, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde, 0, 0}
	if got := f.data[CFUnicodeText]; string(got) != string(want) {
		t.Errorf("CF_UNICODETEXT = % x, want % x", got, want)
	}
	if got := New(f).Content(); got != "a€😀" {
		t.Errorf("read back %q", got)
	}
}

func TestPlainTextHasNoMarkers(t *testing.T) {
	f := newFake()
	New(f).SetContent("https://example.com")
	for _, name := range []string{ExcludeFromMonitor, CanIncludeInHistory, CanUploadToCloud} {
		if _, ok := f.marker(t, name); ok {
			t.Errorf("plain text carries %s", name)
		}
	}
}

func TestClearingEmptiesTheClipboard(t *testing.T) {
	f := newFake()
	b := New(f)
	b.SetSecret(canary)
	b.SetContent("")
	if len(f.data) != 0 || b.Content() != "" {
		t.Errorf("after clearing: %d formats, %q", len(f.data), b.Content())
	}
	if f.open {
		t.Error("the clipboard was left open")
	}
}

func TestAMarkerThatFailsLeavesNoUnmarkedSecret(t *testing.T) {
	f := newFake()
	b := New(f)
	id, _ := f.Register(CanUploadToCloud)
	f.failSetOf = id
	b.SetSecret(canary)
	if _, ok := f.data[CFUnicodeText]; ok {
		t.Error("the secret went out though a marker could not be set")
	}
	if f.open {
		t.Error("the clipboard was left open")
	}
}

func TestABusyClipboardIsLeftAlone(t *testing.T) {
	f := newFake()
	f.busy = true
	b := New(f)
	b.SetSecret(canary)
	if b.Content() != "" || strings.Contains(strings.Join(f.log, " "), "close") {
		t.Errorf("calls %v: closed a clipboard gitpat never opened", f.log)
	}
}
