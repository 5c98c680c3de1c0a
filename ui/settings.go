package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// prefClearSeconds is the preference for the clipboard clearing delay; 0
// means never clear.
const prefClearSeconds = "clipboard.clear_seconds"

// clearChoices are the delays offered, as shown.
var clearChoices = []struct {
	label string
	d     time.Duration
}{
	{"10 s", 10 * time.Second}, {"30 s", 30 * time.Second}, {"1 min", time.Minute},
	{"2 min", 2 * time.Minute}, {"5 min", 5 * time.Minute}, {"never", 0},
}

func clearLabel(d time.Duration) string {
	for _, c := range clearChoices {
		if c.d == d {
			return c.label
		}
	}
	return "30 s"
}

// clearDelay reads the preference; def when unset or out of range.
func clearDelay(p fyne.Preferences, def time.Duration) time.Duration {
	s := p.IntWithFallback(prefClearSeconds, -1)
	if s == 0 {
		return 0
	}
	if s < 10 || s > 300 {
		return def
	}
	return time.Duration(s) * time.Second
}

// clearSelect lets the user pick the clearing delay; every tab shows one,
// and they stay in step.
func (u *UI) clearSelect() *selectBox {
	labels := make([]string, len(clearChoices))
	for i, c := range clearChoices {
		labels[i] = c.label
	}
	s := newSelect(u, labels, func(label string) {
		for _, c := range clearChoices {
			if c.label == label && c.d != u.guard.Delay {
				u.setClearDelay(c.d)
			}
		}
	})
	s.SetSelected(clearLabel(u.guard.Delay))
	u.clearSelects = append(u.clearSelects, s)
	return s
}

func (u *UI) setClearDelay(d time.Duration) {
	u.guard.Delay = d
	u.app.Preferences().SetInt(prefClearSeconds, int(d/time.Second))
	for _, s := range u.clearSelects {
		if s.Selected != clearLabel(d) {
			s.SetSelected(clearLabel(d))
		}
	}
}

// settingsPanel is the Settings section of the Saved tokens tab: the
// clipboard delay, the colour scheme and the keys.
// Its first control is where the keyboard focus starts.
func (u *UI) settingsPanel() (fyne.CanvasObject, fyne.Focusable) {
	clear := u.clearSelect()
	scheme := u.themeSelect()
	keys := widget.NewLabel(keyboardHelp)
	keys.Wrapping = fyne.TextWrapWord
	return container.NewVBox(
		newFieldRow("Clear the clipboard after copying", container.NewHBox(clear), clear, u.deps.ClipNote).content,
		newFieldRow("Colours", container.NewHBox(scheme), scheme, "System follows your desktop's light or dark setting.").content,
		newFieldRow("Keyboard", keys, nil, "").content,
	), clear
}
