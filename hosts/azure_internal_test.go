package hosts

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
)

func azureAnswer(status int, body string) answer {
	return answer{resp: &httpx.Response{Status: status, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Body: []byte(body)}}
}

func azureTestCheck() azureCheck {
	return azureCheck{azureTarget: azureTarget{base: "https://dev.azure.com/myorg", name: "Azure DevOps", place: "the organization myorg",
		page: "https://dev.azure.com/myorg/_usersSettings/tokens", version: "7.1", writeName: "Code: Read & write",
		vssps: "https://app.vssps.visualstudio.com"}, now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
}

// TestAzureProfileVersionRefusalIsNotAnAnswer: a 400 about the
// api-version (a preview route asked for a released version, or a version
// out of range) says nothing about the token.
func TestAzureProfileVersionRefusalIsNotAnAnswer(t *testing.T) {
	preview := fmt.Sprintf(string(hoststest.Recorded("azure/preview-version-not-supplied.json")), "7.1", "7.1")
	outOfRange := fmt.Sprintf(string(hoststest.Recorded("azure/version-out-of-range.json")), "7.3", "7.2")
	for name, a := range map[string]answer{
		"preview":      azureAnswer(400, preview),
		"out of range": azureAnswer(400, outOfRange),
		"server error": azureAnswer(503, ""),
		"rate limited": azureAnswer(429, string(hoststest.Recorded("azure/rate-limited.json"))),
	} {
		c := azureTestCheck()
		for _, before := range []Outcome{Sufficient, Insufficient} {
			r := &Report{Outcome: before, Scopes: []string{"Code (read)"}}
			if before == Insufficient {
				r.Missing = []string{"access to the organization myorg"}
			}
			c.global(r, a)
			text := ""
			for _, f := range r.Findings {
				text += f.Text + "\n"
			}
			if strings.Contains(text, "cannot tell") || r.TokenKind != "" || len(r.Findings) != 1 || r.Findings[0].Level != Warn ||
				!strings.Contains(text, "could not ask the profile service") {
				t.Errorf("%s: read as an answer:\n%s", name, text)
			}
			switch {
			case before == Sufficient && r.Outcome != Unchecked:
				t.Errorf("%s: outcome %d, want could not check", name, r.Outcome)
			case before == Insufficient && (r.Outcome != Insufficient || !slices.Equal(r.Unverified, []string{"a token for this organization only"})):
				t.Errorf("%s: outcome %d unverified %v", name, r.Outcome, r.Unverified)
			}
		}
	}
}

// TestAzureServerErrorWhileReadingCodeIsCouldNotCheck: a 5xx on the
// repositories call is never "lacks the Code scope".
func TestAzureServerErrorWhileReadingCodeIsCouldNotCheck(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		r := &Report{}
		azureTestCheck().code(r, azureAnswer(status, `{"message":"boom"}`), azureAPIVersion{})
		if r.Outcome != Unchecked || len(r.Missing) != 0 || !strings.Contains(r.Findings[0].Text, "not about your token") {
			t.Errorf("%d: outcome %d missing %v findings %+v", status, r.Outcome, r.Missing, r.Findings)
		}
	}
}

func TestAzureRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]string{
		"47":                            "47 seconds",
		"1":                             "1 second",
		"300":                           "5 minutes",
		"Wed, 25 Nov 2026 12:01:30 GMT": "90 seconds",
		"Wed, 25 Nov 2026 11:00:00 GMT": "",
		"0":                             "",
		"soon":                          "",
		"":                              "",
	} {
		got := ""
		if d, ok := azureRetryAfter(http.Header{"Retry-After": {v}}, now); ok {
			got = azureWait(d)
		}
		if got != want {
			t.Errorf("Retry-After %q: %q, want %q", v, got, want)
		}
	}
}
