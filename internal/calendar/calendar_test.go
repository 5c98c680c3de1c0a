package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

var now = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

func sample() Reminder {
	return Reminder{Host: "GitLab", Server: "https://gitlab.example.com/gitlab", User: "john_smith",
		ExpiresAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		TokenPage: "https://gitlab.example.com/gitlab/-/user_settings/personal_access_tokens?name=Jira+git+integration&scopes=api"}
}

// parse reads the file back with an iCalendar parser, as a calendar app
// would, and checks the RFC 5545 line rules the parser forgives.
func parse(t *testing.T, b []byte) *ics.VEvent {
	t.Helper()
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\r\n") {
			t.Fatalf("line not ended by CRLF: %q", line)
		}
		if len(line)-2 > 75 {
			t.Fatalf("line longer than 75 octets (RFC 5545, 3.1): %q", line)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a calendar: %v\n%s", err, b)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events", len(events))
	}
	for _, p := range []ics.Property{ics.PropertyVersion, ics.PropertyProductId} {
		found := false
		for _, cp := range cal.CalendarProperties {
			found = found || cp.IANAToken == string(p)
		}
		if !found {
			t.Errorf("no %s (required by RFC 5545, 3.6)", p)
		}
	}
	return events[0]
}

func TestEventIsAllDayOnTheExpiryDateWithTwoAlarms(t *testing.T) {
	b := ICS(sample(), now)
	ev := parse(t, b)
	start, err := ev.GetAllDayStartAt()
	if err != nil || start.Format("2006-01-02") != "2026-12-01" {
		t.Errorf("start %v %v", start, err)
	}
	end, err := ev.GetAllDayEndAt()
	if err != nil || end.Format("2006-01-02") != "2026-12-02" {
		t.Errorf("end %v %v", end, err)
	}
	if p := ev.GetProperty(ics.ComponentPropertyDtStart); p == nil || p.ICalParameters["VALUE"][0] != "DATE" {
		t.Errorf("DTSTART is not a DATE: %+v", p)
	}
	for _, prop := range []ics.ComponentProperty{ics.ComponentPropertyUniqueId, ics.ComponentPropertyDtstamp} {
		if ev.GetProperty(prop) == nil {
			t.Errorf("no %s (required by RFC 5545, 3.6.1)", prop)
		}
	}
	summary := ev.GetProperty(ics.ComponentPropertySummary).Value
	for _, want := range []string{"GitLab", "john_smith", "https://gitlab.example.com/gitlab"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	var triggers []string
	for _, a := range ev.Alarms() {
		if a.GetProperty(ics.ComponentPropertyAction).Value != "DISPLAY" || a.GetProperty(ics.ComponentPropertyDescription) == nil {
			t.Errorf("alarm without DISPLAY action or description (RFC 5545, 3.6.6)")
		}
		triggers = append(triggers, a.GetProperty(ics.ComponentPropertyTrigger).Value)
	}
	if strings.Join(triggers, ",") != "-P14D,-P1D" {
		t.Errorf("alarms %v", triggers)
	}
}

func TestSameTokenAndDateKeepTheirUID(t *testing.T) {
	a, b := parse(t, ICS(sample(), now)), parse(t, ICS(sample(), now.Add(time.Hour)))
	if a.Id() != b.Id() {
		t.Error("importing again would add a second event")
	}
	later := sample()
	later.ExpiresAt = later.ExpiresAt.AddDate(1, 0, 0)
	if parse(t, ICS(later, now)).Id() == a.Id() {
		t.Error("a renewed token's event replaces the old date's")
	}
	if got := FileName(sample()); got != "gitpat-gitlab-john_smith-2026-12-01.ics" {
		t.Errorf("FileName = %q", got)
	}
}

func TestExpiryLateInTheDayStaysOnItsUTCDate(t *testing.T) {
	r := sample()
	r.Host, r.Server, r.User = "GitHub", "https://github.com", "octocat"
	r.ExpiresAt = time.Date(2027, 1, 1, 23, 30, 0, 0, time.FixedZone("UTC-5", -5*3600)) // 04:30 UTC on 2 January
	start, _ := parse(t, ICS(r, now)).GetAllDayStartAt()
	if start.Format("2006-01-02") != "2027-01-02" {
		t.Errorf("start %v, want the UTC date the hosts show", start)
	}
}
