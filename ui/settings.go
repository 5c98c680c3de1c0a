package ui

import (
	"time"

	"fyne.io/fyne/v2"
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
func (u *UI) clearSelect() *widget.Select {
	labels := make([]string, len(clearChoices))
	for i, c := range clearChoices {
		labels[i] = c.label
	}
	var s *widget.Select
	s = widget.NewSelect(labels, func(label string) {
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

// clipNote is the clipboard setting's help: what happens to a copied token
// on this desktop (Deps.ClipNote); hidden when there is nothing to say.
func (u *UI) clipNote() fyne.CanvasObject {
	l := helpLabel(u.deps.ClipNote)
	l.Hidden = u.deps.ClipNote == ""
	return l
}
