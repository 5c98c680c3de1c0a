// Package system picks the clipboard gitpat copies secrets to on this
// desktop: one that adds the platform's "do not record" markers where there
// are such markers gitpat can set (X11, Windows, macOS), and the toolkit's
// plain clipboard elsewhere (Wayland, where a Fyne app's clipboard goes
// through the toolkit, and anything else). It also says, for the clipboard
// setting, what that means for a copied token.
package system

import (
	"github.com/gitpat/gitpat/internal/clip"
	"github.com/gitpat/gitpat/internal/clip/x11"
)

// Clipboard is the board to copy to and what to tell the user about it.
type Clipboard struct {
	Board clip.Board
	Note  string // one or two sentences for the clipboard setting
	Marks bool   // whether secrets go out with markers
}

// The notes. Each says what the markers do, and that a tool that ignores
// them may still keep a copy: gitpat cannot promise more.
const (
	NoteX11 = "A copied token is marked as a password, so clipboard managers that honour the mark " +
		"(such as KDE's Klipper) leave it out of their history. One that ignores the mark may still keep a copy."
	NoteWindows = "A copied token is kept out of Windows' clipboard history (Win+V) and cloud clipboard. " +
		"Other clipboard tools may still keep a copy."
	NoteMacOS = "A copied token is marked as concealed and transient, so clipboard history apps that honour " +
		"these marks leave it out. Others may still keep a copy."
	NoteWayland = "On Wayland, clipboard history tools may keep a copy of a copied token even after gitpat " +
		"clears the clipboard. Save it to the keyring instead if that matters."
	NotePlain = "Clipboard history tools on this desktop may keep a copy of a copied token even after gitpat " +
		"clears the clipboard. Save it to the keyring instead if that matters."
)

// forUnix picks the board on an X11 or Wayland desktop from its
// environment: the X11 board (with the password hint) in an X11 session,
// the toolkit's board in a Wayland session or without a display.
func forUnix(getenv func(string) string, toolkit clip.Board) Clipboard {
	switch {
	case getenv("WAYLAND_DISPLAY") != "" || getenv("XDG_SESSION_TYPE") == "wayland":
		return Clipboard{Board: toolkit, Note: NoteWayland}
	case getenv("DISPLAY") == "":
		return Clipboard{Board: toolkit, Note: NotePlain}
	}
	return Clipboard{Board: &x11.Board{Display: getenv("DISPLAY"), Fallback: toolkit}, Note: NoteX11, Marks: true}
}
