// Package winclip is gitpat's Windows clipboard: it puts a secret on the
// clipboard together with the registered formats that keep it out of
// Windows' clipboard history and cloud clipboard, and out of the
// clipboard monitors that honour them.
//
// The formats and their values are Microsoft's ("Cloud Clipboard and
// Clipboard History Formats", learn.microsoft.com/windows/win32/dataxchg/
// clipboard-formats; MicrosoftDocs/win32,
// desktop-src/dataxchg/clipboard-formats.md):
//
//   - ExcludeClipboardContentFromMonitorProcessing: "Place any data on the
//     clipboard in this format to prevent all clipboard formats being
//     included in the clipboard history or synchronized to the user's other
//     devices."
//   - CanIncludeInClipboardHistory: a DWORD 0 keeps everything out of the
//     clipboard history.
//   - CanUploadToCloudClipboard: a DWORD 0 keeps everything from being
//     synchronized to the user's other devices.
//
// KeePassXC sets the first for the same reason (keepassxreboot/keepassxc,
// src/gui/Clipboard.cpp, "Prevent clipboard history and cloud sync on
// Windows"). The Win32 calls are behind API so that what is put on the
// clipboard, and in which order, is tested on any platform; the real calls
// are in api_windows.go.
package winclip

import (
	"encoding/binary"
	"sync"
	"unicode/utf16"
)

// The registered formats that keep a secret out of clipboard history.
const (
	ExcludeFromMonitor  = "ExcludeClipboardContentFromMonitorProcessing"
	CanIncludeInHistory = "CanIncludeInClipboardHistory"
	CanUploadToCloud    = "CanUploadToCloudClipboard"
)

// CFUnicodeText is the standard format for text, UTF-16 with a final NUL
// (Standard Clipboard Formats, CF_UNICODETEXT).
const CFUnicodeText = 13

// API is the part of the Win32 clipboard the board uses.
type API interface {
	// Open opens the clipboard for gitpat's window (OpenClipboard); it
	// fails while another program has it open.
	Open() error
	Close() error
	// Empty empties it and makes gitpat its owner (EmptyClipboard).
	Empty() error
	// Register returns the format registered under name
	// (RegisterClipboardFormatW).
	Register(name string) (uint32, error)
	// Set places data in a format (GlobalAlloc, SetClipboardData).
	Set(format uint32, data []byte) error
	// Get copies the data held in a format; false when there is none.
	Get(format uint32) ([]byte, bool)
}

// Board is the Windows clipboard. Its methods may be called from any
// goroutine.
type Board struct {
	api     API
	mu      sync.Mutex
	formats map[string]uint32
}

// Standalone reports that the board works without the toolkit, and so
// still works after it has shut down.
func (b *Board) Standalone() bool { return true }

// New returns the board over api.
func New(api API) *Board { return &Board{api: api, formats: map[string]uint32{}} }

// markers are the formats and values that come with a secret: any data
// for the first, a DWORD 0 for the other two.
var markers = []struct {
	name  string
	value uint32
}{
	{ExcludeFromMonitor, 0}, {CanIncludeInHistory, 0}, {CanUploadToCloud, 0},
}

// Content is the clipboard's text; "" when it holds none or cannot be
// opened.
func (b *Board) Content() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.api.Open() != nil {
		return ""
	}
	defer b.api.Close()
	data, ok := b.api.Get(CFUnicodeText)
	if !ok {
		return ""
	}
	return decode(data)
}

// SetContent puts s on the clipboard as plain text; "" empties it.
func (b *Board) SetContent(s string) { b.write(s, false) }

// SetSecret puts s on the clipboard with the formats that keep it out of
// clipboard history, all between one OpenClipboard and CloseClipboard:
// no other program can open the clipboard meanwhile, and clipboard
// listeners hear of the change when it is closed (WM_CLIPBOARDUPDATE), so
// none sees the text without the markers. If a marker cannot be set, the
// clipboard is left empty rather than holding an unmarked secret.
func (b *Board) SetSecret(s string) { b.write(s, true) }

func (b *Board) write(s string, secret bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.api.Open() != nil {
		return
	}
	defer b.api.Close()
	if b.api.Empty() != nil || s == "" {
		return
	}
	if secret {
		for _, m := range markers {
			f, err := b.format(m.name)
			if err == nil {
				err = b.api.Set(f, dword(m.value))
			}
			if err != nil {
				_ = b.api.Empty()
				return
			}
		}
	}
	if b.api.Set(CFUnicodeText, encode(s)) != nil {
		_ = b.api.Empty()
	}
}

func (b *Board) format(name string) (uint32, error) {
	if f, ok := b.formats[name]; ok {
		return f, nil
	}
	f, err := b.api.Register(name)
	if err == nil {
		b.formats[name] = f
	}
	return f, err
}

// dword is a DWORD as it lies in memory on Windows: 4 bytes, little-endian.
func dword(v uint32) []byte {
	b := make([]byte, 4)
	binary.LittleEndian.PutUint32(b, v)
	return b
}

// encode is s as CF_UNICODETEXT: UTF-16LE with a final NUL.
func encode(s string) []byte {
	u := append(utf16.Encode([]rune(s)), 0)
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// decode reads CF_UNICODETEXT up to its NUL (or the end of the data).
func decode(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}
