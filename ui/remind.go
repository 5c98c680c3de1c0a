package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/internal/remind"
)

// prefRemindDays is how many days ahead the login reminder looks.
const prefRemindDays = "remind.days"

// remindDayChoices are the windows offered.
var remindDayChoices = []int{7, 14, 30, 60}

// remindSettings is "Remind me before saved tokens expire": on, it
// installs the login item that runs `gitpat --remind`; off, it removes it.
// The checkbox shows whether the item is there, so removing it through the
// system's own settings shows here too. nil without a login item.
func (u *UI) remindSettings() fyne.CanvasObject {
	item := u.deps.LoginItem
	if item == nil || u.deps.Executable == nil {
		return nil
	}
	days := u.app.Preferences().IntWithFallback(prefRemindDays, remind.DefaultDays)
	labels := make([]string, len(remindDayChoices))
	for i, d := range remindDayChoices {
		labels[i] = fmt.Sprintf("%d days", d)
	}
	status := helpLabel("")
	var check *widget.Check
	apply := func(on bool, d int) error {
		if !on {
			return item.Remove()
		}
		exe, err := u.deps.Executable()
		if err != nil {
			return err
		}
		return item.Install(exe, d)
	}
	explain := func() {
		if check.Checked {
			status.SetText(fmt.Sprintf("On: at each login, gitpat shows one desktop notification if saved tokens expire within %d days "+
				"or have expired. It opens no window and reads only the list above, never the tokens. Login item: %s", days, item.Where()))
		} else {
			status.SetText("Off: gitpat warns about expiring tokens only when you open it.")
		}
	}
	ahead := newSelect(u, labels, nil)
	check = widget.NewCheck("Remind me before saved tokens expire", func(on bool) {
		if err := apply(on, days); err != nil {
			check.SetChecked(!on) // calls this again; the item is as it was
			status.SetText("Could not change the login item: " + err.Error())
			return
		}
		explain()
	})
	check.Checked = item.Installed()
	ahead.SetSelected(fmt.Sprintf("%d days", days))
	ahead.OnChanged = func(label string) {
		var d int
		if _, err := fmt.Sscanf(label, "%d days", &d); err != nil || d == days {
			return
		}
		days = d
		u.app.Preferences().SetInt(prefRemindDays, d)
		if check.Checked {
			if err := apply(true, d); err != nil {
				status.SetText("Could not change the login item: " + err.Error())
				return
			}
		}
		explain()
	}
	explain()
	u.remindCheck, u.remindDays = check, ahead
	title := widget.NewLabelWithStyle("Reminders", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(
		tight(title),
		newFlow(check, container.NewHBox(widget.NewLabel("Days ahead:"), ahead)),
		status,
	)
}
