//go:build darwin

package system

import (
	"github.com/gitpat/gitpat/internal/clip"
	"github.com/gitpat/gitpat/internal/clip/macclip"
)

// New picks the clipboard for this desktop: the general pasteboard with the
// nspasteboard.org markers, or toolkit if AppKit cannot be reached.
func New(toolkit clip.Board) Clipboard {
	pb, err := macclip.System()
	if err != nil {
		return Clipboard{Board: toolkit, Note: NotePlain}
	}
	return Clipboard{Board: macclip.New(pb), Note: NoteMacOS, Marks: true}
}
