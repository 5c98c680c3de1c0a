package ui

import (
	"fmt"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/calendar"
)

// calendarReminder is the calendar entry for a token whose expiry is
// known; false when it is not.
func calendarReminder(h *hosts.Host, req hosts.Request, server, user string, expires *time.Time) (calendar.Reminder, bool) {
	if expires == nil || h == nil {
		return calendar.Reminder{}, false
	}
	if server == "" {
		server = h.Name
	}
	page, _ := h.TokenPage(req)
	return calendar.Reminder{Host: h.Name, Server: server, User: user, ExpiresAt: *expires, TokenPage: page}, true
}

// calendarButton is "Add reminder to calendar" for one token; say shows
// what happened.
func (u *UI) calendarButton(r calendar.Reminder, say func(string)) *widget.Button {
	return widget.NewButtonWithIcon("Add reminder to calendar", theme.CalendarIcon(), func() { u.addToCalendar(r, say) })
}

// addToCalendar asks where to save the .ics file and writes it. The file
// holds the event only: never the token.
func (u *UI) addToCalendar(r calendar.Reminder, say func(string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			say("Could not save the calendar file: " + err.Error())
			return
		}
		if w == nil {
			return // cancelled
		}
		say(u.writeCalendar(w, r))
	}, u.win)
	d.SetFileName(calendar.FileName(r))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".ics"}))
	d.SetTitleText("Save the expiry reminder as a calendar file")
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// writeCalendar writes the file and says what to do with it.
func (u *UI) writeCalendar(w io.WriteCloser, r calendar.Reminder) string {
	_, err := w.Write(calendar.ICS(r, u.deps.Now()))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "Could not save the calendar file: " + err.Error()
	}
	return fmt.Sprintf("Saved the calendar file. Open it, or import it in Outlook or Google Calendar, to add an all-day event "+
		"on %s with alerts %d days and 1 day before.", r.ExpiresAt.UTC().Format("2 January 2006"), calendar.AlarmsBefore[0])
}
