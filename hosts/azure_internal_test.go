package hosts

import (
	"net/http"
	"testing"
	"time"
)

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
