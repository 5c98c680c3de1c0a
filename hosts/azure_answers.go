package hosts

// What Azure DevOps answers hold: the caller, the repositories, error
// messages, api-versions and releases; and the expiry date a user enters.
// Pure functions, fed by the check in azure_check.go and by the fuzz tests.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// azureIdentity is who connectionData says the caller is.
type azureIdentity struct {
	ID         string
	Descriptor string
	Display    string // providerDisplayName
	Account    string // properties.Account.$value: an e-mail address or DOMAIN\user
}

func (id azureIdentity) user() string { return orDefault(id.Account, id.Display) }

func (id azureIdentity) describe() string {
	if id.Account != "" && id.Display != "" && id.Account != id.Display {
		return id.Display + " (" + id.Account + ")"
	}
	return orDefault(id.user(), "an unnamed user")
}

// anonymous reports the identity Azure DevOps gives a request it did not
// authenticate: on organizations with public projects a wrong token gets a
// 200 with the public-access identity rather than a 401.
func (id azureIdentity) anonymous() bool {
	return id.ID == "" || strings.Trim(id.ID, "0a-") == "" ||
		strings.HasPrefix(id.Descriptor, "System:PublicAccess") ||
		(strings.EqualFold(id.Display, "Anonymous") && id.Account == "")
}

// parseAzureConnection reads the caller from a connectionData answer.
func parseAzureConnection(body []byte) (azureIdentity, error) {
	var cd struct {
		AuthenticatedUser *struct {
			ID                  string                     `json:"id"`
			Descriptor          string                     `json:"descriptor"`
			ProviderDisplayName string                     `json:"providerDisplayName"`
			Properties          map[string]json.RawMessage `json:"properties"`
		} `json:"authenticatedUser"`
	}
	if err := json.Unmarshal(body, &cd); err != nil {
		return azureIdentity{}, err
	}
	u := cd.AuthenticatedUser
	if u == nil {
		return azureIdentity{}, errors.New("no authenticatedUser")
	}
	id := azureIdentity{ID: u.ID, Descriptor: u.Descriptor, Display: strings.TrimSpace(u.ProviderDisplayName)}
	var account struct {
		Value any `json:"$value"`
	}
	if raw, ok := u.Properties["Account"]; ok && json.Unmarshal(raw, &account) == nil {
		if s, ok := account.Value.(string); ok {
			id.Account = strings.TrimSpace(s)
		}
	}
	return id, nil
}

// parseAzureRepositories reads a git/repositories answer: up to the first
// names, and how many there are.
func parseAzureRepositories(body []byte) (names []string, count int, err error) {
	var list struct {
		Count *int `json:"count"`
		Value []struct {
			Name    string `json:"name"`
			Project struct {
				Name string `json:"name"`
			} `json:"project"`
		} `json:"value"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, 0, err
	}
	if list.Count == nil && list.Value == nil {
		return nil, 0, errors.New("not a repository list")
	}
	for _, v := range list.Value {
		name := v.Name
		if v.Project.Name != "" && v.Project.Name != v.Name {
			name = v.Project.Name + "/" + v.Name
		}
		names = append(names, name)
	}
	count = len(list.Value)
	if list.Count != nil && *list.Count > count {
		count = *list.Count
	}
	return names, count, nil
}

// azureMessage is the message of an Azure DevOps error body, or "".
func azureMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return strings.TrimSpace(e.Message)
}

// azureUserData is the user name in X-VSS-UserData ("<guid>:<name>"),
// which Azure DevOps sends once it knows who the token belongs to.
func azureUserData(h http.Header) string {
	v := strings.TrimSpace(h.Get("X-Vss-Userdata"))
	if v == "" {
		return ""
	}
	if _, name, ok := strings.Cut(v, ":"); ok && strings.TrimSpace(name) != "" {
		return strings.TrimSpace(name)
	}
	return v
}

// azureRetryAfter reads Retry-After: seconds, or an HTTP date (RFC 9110,
// 10.2.3); ok is false when it is absent, unreadable or not ahead of now.
func azureRetryAfter(h http.Header, now time.Time) (wait time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if s, err := strconv.Atoi(v); err == nil {
		return time.Duration(s) * time.Second, s > 0
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now), true
	}
	return 0, false
}

// azureWait says a wait in whole seconds or minutes, rounded up.
func azureWait(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	if secs < 120 {
		return plural(secs, "second")
	}
	return plural((secs+59)/60, "minute")
}

// azureAPIVersion is a REST api-version such as 4.1; the zero value is unknown.
type azureAPIVersion struct{ major, minor int }

func (v azureAPIVersion) known() bool { return v.major > 0 }

func (v azureAPIVersion) atLeast(major, minor int) bool {
	return v.major > major || (v.major == major && v.minor >= minor)
}

var azureCeilingText = regexp.MustCompile(`(?i)latest REST API version[^0-9]{0,40}?(\d{1,3})\.(\d{1,3})`)

// azureAPICeiling reads the newest api-version a server supports from the
// 400 it gives a newer one: "The requested REST API version of 100.0 is
// out of range for this server. The latest REST API version this server
// supports is 4.1." (other wordings say "supported by this server").
func azureAPICeiling(body []byte) azureAPIVersion {
	m := azureCeilingText.FindSubmatch(body[:min(len(body), 4096)])
	if m == nil {
		return azureAPIVersion{}
	}
	major, err1 := strconv.Atoi(string(m[1]))
	minor, err2 := strconv.Atoi(string(m[2]))
	if err1 != nil || err2 != nil || major == 0 {
		return azureAPIVersion{}
	}
	return azureAPIVersion{major, minor}
}

func azureCeilingOf(a answer) azureAPIVersion {
	if a.err != nil || a.resp.Status != http.StatusBadRequest {
		return azureAPIVersion{}
	}
	return azureAPICeiling(a.resp.Body)
}

// azureRelease names the server release by the newest api-version it
// supports (REST API versioning matrix).
func azureRelease(v azureAPIVersion) string {
	switch {
	case !v.atLeast(3, 0):
		return "TFS 2015 or older"
	case v.major == 3 && v.minor == 0:
		return "TFS 2017"
	case v.major == 3 && v.minor == 1:
		return "TFS 2017 Update 1"
	case v.major == 3:
		return "TFS 2017 Update 2 or later"
	case v.major == 4 && v.minor == 0:
		return "TFS 2018"
	case v.major == 4:
		return "TFS 2018 Update 2 or later"
	case v.major == 5 && v.minor == 0:
		return "Azure DevOps Server 2019"
	case v.major == 5:
		return "Azure DevOps Server 2019 Update 1 or later"
	case v.major == 6:
		return "Azure DevOps Server 2020"
	case v.major == 7 && v.minor == 0:
		return "Azure DevOps Server 2022"
	case v.major == 7 && v.minor == 1:
		return "Azure DevOps Server 2022 Update 1 or later"
	}
	return "an Azure DevOps Server newer than 2022"
}

var (
	azureDateISO   = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	azureDateSlash = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
	azureDateDots  = regexp.MustCompile(`^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$`)
)

// parseAzureExpiry reads the expiry date a user copied from the token
// page: YYYY-MM-DD, M/D/YYYY as the English pages show it (D/M/YYYY when
// the first number cannot be a month), D.M.YYYY, or a month name ("Dec 31,
// 2026", "31 December 2026"). The token is taken to last until the end of
// that day, UTC. reading explains how an ambiguous date was read. An empty
// field is no date and no error.
func parseAzureExpiry(raw string) (exp *time.Time, reading string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, "", nil
	}
	bad := errors.New("not a date")
	var y, m, d int
	num := func(b string) int { n, _ := strconv.Atoi(b); return n }
	if g := azureDateISO.FindStringSubmatch(s); g != nil {
		y, m, d = num(g[1]), num(g[2]), num(g[3])
	} else if g := azureDateSlash.FindStringSubmatch(s); g != nil {
		a, b := num(g[1]), num(g[2])
		y, m, d = num(g[3]), a, b
		if a > 12 {
			m, d = b, a
		} else if b <= 12 && a != b {
			reading = fmt.Sprintf("gitpat read the expiry date %s as month/day/year, %04d-%02d-%02d; enter it as YYYY-MM-DD if you meant otherwise.", s, y, m, d)
		}
	} else if g := azureDateDots.FindStringSubmatch(s); g != nil {
		y, m, d = num(g[3]), num(g[2]), num(g[1])
	} else {
		t, ok := azureMonthDate(s)
		if !ok {
			return nil, "", bad
		}
		y, m, d = t.Year(), int(t.Month()), t.Day()
	}
	t := time.Date(y, time.Month(m), d, 23, 59, 59, 0, time.UTC)
	if y < 2000 || y > 2200 || m < 1 || m > 12 || t.Day() != d || t.Month() != time.Month(m) {
		return nil, "", bad
	}
	return &t, reading, nil
}

func azureMonthDate(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, ",", " ")), " ")
	for _, layout := range []string{"Jan 2 2006", "January 2 2006", "2 Jan 2006", "2 January 2006", "Mon Jan 2 2006", "Monday January 2 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func azureShorten(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// daysUntil says "in 6 days", "in less than a day" or "today" for a moment
// ahead of now.
func azureDaysLeft(t, now time.Time) string {
	left := t.Sub(now)
	switch {
	case left <= 0:
		return "which has passed"
	case left < 24*time.Hour:
		return "in less than a day"
	}
	return "in " + plural(int(left.Hours()/24), "day")
}
