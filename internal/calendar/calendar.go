// Package calendar writes a token's expiry as an iCalendar file (RFC
// 5545): one all-day event on the expiry date with alarms 14 days and 1 day
// before, which Outlook, Google Calendar and any calendar app can import.
// It never holds the token: only whose it is and where it is used.
package calendar

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/gitpat/gitpat/internal/version"
)

// AlarmsBefore are the reminders before the expiry date.
var AlarmsBefore = []int{14, 1} // days

// Reminder is what a calendar entry tells about one token.
type Reminder struct {
	Host      string    // "GitLab"
	Server    string    // "https://gitlab.example.com"
	User      string    // "john_smith"
	ExpiresAt time.Time // the moment the host says the token stops working
	TokenPage string    // where a new token is made, optional
}

// Title is the event's summary: host, server and user.
func (r Reminder) Title() string {
	return fmt.Sprintf("%s token of %s on %s expires", r.Host, r.User, r.Server)
}

// day is the expiry date as the hosts show it (in UTC).
func (r Reminder) day() time.Time {
	d := r.ExpiresAt.UTC()
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// uid is stable for one token and date, so importing the file again
// updates the event instead of adding a second one.
func (r Reminder) uid() string {
	sum := sha256.Sum256([]byte(r.Host + "\x00" + r.Server + "\x00" + r.User + "\x00" + r.day().Format("2006-01-02")))
	return hex.EncodeToString(sum[:12]) + "@gitpat"
}

// ICS returns the calendar file; now is its time stamp.
func ICS(r Reminder, now time.Time) []byte {
	cal := ics.NewCalendarFor("gitpat")
	cal.SetProductId("-//gitpat//gitpat " + version.Number + "//EN")
	cal.SetMethod(ics.MethodPublish)
	ev := cal.AddEvent(r.uid())
	ev.SetDtStampTime(now)
	ev.SetAllDayStartAt(r.day())
	ev.SetAllDayEndAt(r.day().AddDate(0, 0, 1)) // DTEND is exclusive (RFC 5545, 3.6.1)
	ev.SetSummary(r.Title())
	ev.SetDescription(r.description())
	ev.SetProperty(ics.ComponentPropertyTransp, "TRANSPARENT") // a reminder, not a busy day
	if r.TokenPage != "" {
		ev.SetURL(r.TokenPage)
	}
	for _, days := range AlarmsBefore {
		a := ev.AddAlarm()
		a.SetAction(ics.ActionDisplay)
		a.SetTrigger(fmt.Sprintf("-P%dD", days))
		when := fmt.Sprintf("in %d days", days)
		if days == 1 {
			when = "tomorrow"
		}
		a.SetDescription(r.Title() + " " + when)
	}
	return []byte(cal.Serialize(ics.WithNewLineWindows)) // RFC 5545, 3.1: lines end in CRLF
}

func (r Reminder) description() string {
	var b strings.Builder
	fmt.Fprintf(&b, "The %s personal access token of %s on %s stops working on %s (%s UTC). ",
		r.Host, r.User, r.Server, r.day().Format("2006-01-02"), r.ExpiresAt.UTC().Format("15:04"))
	b.WriteString("The Jira git integration that uses it stops seeing branches, commits and pull requests then. ")
	b.WriteString("Before that day, create a new token (gitpat shows how and tests it) and paste it into the integration.")
	if r.TokenPage != "" {
		b.WriteString("\nToken page: " + r.TokenPage)
	}
	return b.String()
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// FileName suggests a file name: gitpat-gitlab-john_smith-2026-12-01.ics.
func FileName(r Reminder) string {
	name := fmt.Sprintf("gitpat-%s-%s-%s", r.Host, r.User, r.day().Format("2006-01-02"))
	return strings.ToLower(strings.Trim(unsafeName.ReplaceAllString(name, "-"), "-")) + ".ics"
}
