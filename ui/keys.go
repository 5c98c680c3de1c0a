package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// keyboardHelp lists the keys, for the Settings section.
const keyboardHelp = "Ctrl+Tab and Ctrl+Shift+Tab (or Ctrl+Page Down and Ctrl+Page Up) go to the next and previous tab; " +
	"Alt+1 … Alt+9 and Alt+0 go straight to the first ten tabs. Tab and Shift+Tab move between controls; " +
	"Enter or Space presses the focused button; Esc closes a dialog. Ctrl+C copies a tested token."

// tabKeys are the digits of Alt+1 … Alt+9, Alt+0, in tab order.
var tabKeys = []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9, fyne.Key0}

// addShortcuts registers the window's keys: changing tabs, Esc for the
// dialog on top, Ctrl+C for the tested token.
func (u *UI) addShortcuts() {
	c := u.win.Canvas()
	var keys []*desktop.CustomShortcut
	for _, k := range []fyne.KeyName{fyne.KeyTab, fyne.KeyPageDown, fyne.KeyPageUp} {
		keys = append(keys, &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierControl})
	}
	keys = append(keys, &desktop.CustomShortcut{KeyName: fyne.KeyTab, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift})
	for _, k := range tabKeys {
		keys = append(keys, &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt})
	}
	for _, k := range keys {
		c.AddShortcut(k, func(s fyne.Shortcut) { u.tabShortcut(s) })
	}
	// Ctrl+C outside a text field copies the shown tab's tested token.
	c.AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) {
		for _, t := range u.hostUI {
			if t.item == u.tabs.Selected() {
				t.copySecret(0)
			}
		}
	})
	// Esc reaches the window when no control has the focus, such as in a
	// dialog just opened.
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			u.escape()
		}
	})
}

// tabShortcut changes tabs for Ctrl+Tab, Ctrl+Shift+Tab, Ctrl+Page
// Down/Up and Alt+digit; false for any other shortcut. While a dialog is
// open the tabs stay as they are.
func (u *UI) tabShortcut(s fyne.Shortcut) bool {
	k, ok := s.(*desktop.CustomShortcut)
	if !ok {
		return false
	}
	n := len(u.tabs.Items)
	i := u.tabs.SelectedIndex()
	next := -1
	switch {
	case k.Modifier == fyne.KeyModifierControl && (k.KeyName == fyne.KeyTab || k.KeyName == fyne.KeyPageDown):
		next = (i + 1) % n
	case k.Modifier == fyne.KeyModifierControl|fyne.KeyModifierShift && k.KeyName == fyne.KeyTab,
		k.Modifier == fyne.KeyModifierControl && k.KeyName == fyne.KeyPageUp:
		next = (i - 1 + n) % n
	case k.Modifier == fyne.KeyModifierAlt:
		for d, key := range tabKeys {
			if k.KeyName == key && d < n {
				next = d
			}
		}
	}
	if next < 0 {
		return false
	}
	if len(u.dialogs) == 0 && u.win.Canvas().Overlays().Top() == nil {
		u.tabs.SelectIndex(next)
	}
	return true
}
