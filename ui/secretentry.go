package ui

import (
	"fyne.io/fyne/v2"
)

// secretEntry is the entry a credential is pasted into: masked (with the
// show/hide toggle) unless visible, and Ctrl+C copies the tested credential
// through the clipboard guard, so the copy is cleared again. A masked Fyne
// entry would otherwise ignore Ctrl+C.
type secretEntry struct {
	entry
	copyTested func() bool // copies the tested credential; false when there is none
}

func newSecretEntry(u *UI, visible bool, copyTested func() bool) *secretEntry {
	e := &secretEntry{copyTested: copyTested}
	e.ui, e.self = u, e
	e.Password = !visible
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut takes Ctrl+C for the tested credential; the rest, Ctrl+Q
// and the tab shortcuts among them, go as in every entry.
func (e *secretEntry) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*fyne.ShortcutCopy); ok && e.copyTested() {
		return
	}
	e.entry.TypedShortcut(s)
}
