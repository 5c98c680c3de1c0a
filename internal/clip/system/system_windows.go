//go:build windows

package system

import (
	"github.com/gitpat/gitpat/internal/clip"
	"github.com/gitpat/gitpat/internal/clip/winclip"
)

// New picks the clipboard for this desktop: the Windows clipboard with the
// history formats.
func New(clip.Board) Clipboard {
	return Clipboard{Board: winclip.New(winclip.System()), Note: NoteWindows, Marks: true}
}
