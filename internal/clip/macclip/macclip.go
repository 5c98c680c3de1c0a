// Package macclip is gitpat's macOS clipboard: it puts a secret on the
// general pasteboard together with the marker types that clipboard history
// apps honour, as nspasteboard.org defines them
// (NSPasteboard/NSPasteboard.org, index.md, "Universal Identifiers"):
//
//   - org.nspasteboard.ConcealedType: "content that should be treated as
//     confidential. If displayed on screen it should be visually
//     obfuscated. Avoid recording it to a file".
//   - org.nspasteboard.TransientType: "Data marked transient should not be
//     recorded or displayed in a pasteboard history." gitpat clears the
//     token again after the delay the user chose.
//
// The markers carry empty data ("with a payload of your choice", the
// page's own example is [NSData data]); KeePassXC sets ConcealedType for
// every copied password too (keepassxreboot/keepassxc,
// src/gui/osutils/macutils/MacPasteboard.cpp). The pasteboard calls are
// behind Pasteboard so that what is written is tested on any platform;
// the real calls are in pasteboard_darwin.go.
package macclip

import "sync"

// The pasteboard types gitpat writes.
const (
	TypeString    = "public.utf8-plain-text" // NSPasteboardTypeString
	ConcealedType = "org.nspasteboard.ConcealedType"
	TransientType = "org.nspasteboard.TransientType"
)

// Pasteboard is the part of NSPasteboard the board uses.
type Pasteboard interface {
	// Write replaces the contents with one item that holds data[i] under
	// types[i], in one step (clearContents, writeObjects:).
	Write(types []string, data [][]byte) bool
	// Clear empties the pasteboard (clearContents).
	Clear()
	// String is the item's text of a type (stringForType:); false when
	// there is none.
	String(typ string) (string, bool)
}

// Board is the general pasteboard.
type Board struct {
	pb Pasteboard
	mu sync.Mutex
}

// Standalone reports that the board works without the toolkit, and so
// still works after it has shut down.
func (b *Board) Standalone() bool { return true }

// New returns the board over pb.
func New(pb Pasteboard) *Board { return &Board{pb: pb} }

// Content is the pasteboard's text; "" when it holds none.
func (b *Board) Content() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, _ := b.pb.String(TypeString)
	return s
}

// SetContent puts s on the pasteboard as plain text; "" empties it.
func (b *Board) SetContent(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s == "" {
		b.pb.Clear()
		return
	}
	b.pb.Write([]string{TypeString}, [][]byte{[]byte(s)})
}

// SetSecret puts s on the pasteboard with the concealed and transient
// markers, in the same item and the same write, so an app polling the
// pasteboard never sees the text without them. If the write fails the
// pasteboard is emptied rather than left holding part of it.
func (b *Board) SetSecret(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.pb.Write([]string{ConcealedType, TransientType, TypeString}, [][]byte{{}, {}, []byte(s)}) {
		b.pb.Clear()
	}
}
