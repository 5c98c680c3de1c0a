package hosts

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// bitbucketDCVersion is what GET /rest/api/latest/application-properties
// says: {"version": "8.7.0", "buildNumber": …, "buildDate": …,
// "displayName": "Bitbucket"} (RestApplicationProperties; "No
// authentication is required to call this resource").
type bitbucketDCVersion struct {
	text         string // as the server wrote it
	known        bool   // major and minor could be read
	major, minor int
}

func (v bitbucketDCVersion) atLeast(major, minor int) bool {
	return v.major > major || (v.major == major && v.minor >= minor)
}

var bitbucketDCVersionPattern = regexp.MustCompile(`^(\d{1,3})\.(\d{1,4})`)

// parseBitbucketDCVersion reads application-properties. buildNumber and
// buildDate are strings in Atlassian's description and numbers in
// recorded answers, so neither is read.
func parseBitbucketDCVersion(body []byte) (bitbucketDCVersion, error) {
	var p struct {
		Version     *string `json:"version"`
		DisplayName string  `json:"displayName"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return bitbucketDCVersion{}, err
	}
	if p.Version == nil || strings.TrimSpace(*p.Version) == "" {
		return bitbucketDCVersion{}, errors.New("no version")
	}
	v := bitbucketDCVersion{text: strings.TrimSpace(*p.Version)}
	if m := bitbucketDCVersionPattern.FindStringSubmatch(v.text); m != nil {
		v.major, _ = strconv.Atoi(m[1])
		v.minor, _ = strconv.Atoi(m[2])
		v.known = true
	}
	return v, nil
}

// bitbucketDCErrorBody is Bitbucket Data Center's error body,
// {"errors": [{"context": …, "message": …, "exceptionName": …}]}
// (RestErrorMessage).
type bitbucketDCErrorBody struct {
	Message   string
	Exception string
}

func parseBitbucketDCError(body []byte) bitbucketDCErrorBody {
	var e struct {
		Errors []struct {
			Message       string `json:"message"`
			ExceptionName string `json:"exceptionName"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Errors) == 0 {
		return bitbucketDCErrorBody{}
	}
	return bitbucketDCErrorBody{Message: strings.TrimSpace(e.Errors[0].Message), Exception: e.Errors[0].ExceptionName}
}

// parseBitbucketDCRepositories reads a page of repositories
// ({"size", "values": [{"slug", "name", "project": {"key"}}], …}): up to
// the page's repositories as PROJECT/slug, and the page's size.
func parseBitbucketDCRepositories(body []byte) (names []string, size int, err error) {
	var page struct {
		Size   int `json:"size"`
		Values *[]struct {
			Slug    string `json:"slug"`
			Name    string `json:"name"`
			Project struct {
				Key string `json:"key"`
			} `json:"project"`
		} `json:"values"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, 0, err
	}
	if page.Values == nil {
		return nil, 0, errors.New("not a page of repositories")
	}
	for _, v := range *page.Values {
		name := orDefault(v.Slug, v.Name)
		if v.Project.Key != "" {
			name = v.Project.Key + "/" + name
		}
		names = append(names, name)
	}
	return names, page.Size, nil
}

// bitbucketDCToken is an HTTP access token's own entry, GET
// /rest/access-tokens/latest/users/{userSlug}/{tokenId}: {"id":
// "158910532909", "createdDate": 1609249808751, "expiryDays": 90, "name":
// "che5", "permissions": ["PROJECT_WRITE", "REPO_WRITE"], "user": {…}}
// (recorded in eclipse-che/che-server, newtoken.json). Atlassian's
// description types createdDate as a date-time, so both forms are read.
type bitbucketDCToken struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
	ExpiryDays  int      `json:"expiryDays"`
	expires     *time.Time
}

func parseBitbucketDCToken(body []byte) (bitbucketDCToken, error) {
	var raw struct {
		ID          json.RawMessage `json:"id"`
		Name        string          `json:"name"`
		Permissions []string        `json:"permissions"`
		ExpiryDays  int             `json:"expiryDays"`
		CreatedDate json.RawMessage `json:"createdDate"`
		ExpiryDate  json.RawMessage `json:"expiryDate"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return bitbucketDCToken{}, err
	}
	if raw.Permissions == nil {
		return bitbucketDCToken{}, errors.New("not a token: no permissions")
	}
	t := bitbucketDCToken{ID: strings.Trim(string(raw.ID), `"`), Name: raw.Name, Permissions: raw.Permissions, ExpiryDays: max(raw.ExpiryDays, 0)}
	if exp, ok := bitbucketDCTime(raw.ExpiryDate); ok {
		t.expires = &exp
	} else if created, ok := bitbucketDCTime(raw.CreatedDate); ok && t.ExpiryDays > 0 {
		exp := created.Add(time.Duration(t.ExpiryDays) * 24 * time.Hour)
		t.expires = &exp
	}
	return t, nil
}

// bitbucketDCTime reads milliseconds since 1970 or an RFC 3339 date.
func bitbucketDCTime(raw json.RawMessage) (time.Time, bool) {
	var ms int64
	if json.Unmarshal(raw, &ms) == nil && ms > 0 {
		return time.UnixMilli(ms).UTC(), true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
