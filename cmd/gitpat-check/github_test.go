package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

const (
	ghCanaryFine  = "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cli1"
	ghCanaryBurst = "ghp_CANARYbur5tCANARYbur5tCANARYbur5tCAN"
)

// TestGitHubFineGrainedTokenJSONSaysWhatIsUnverified: exit 1 with the
// reason in the JSON: nothing proven missing, two permissions unverified.
func TestGitHubFineGrainedTokenJSONSaysWhatIsUnverified(t *testing.T) {
	g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{ghCanaryFine: {FineGrained: true}})
	out, _, code := runCLI(t, ghCanaryFine+"\n", "--url", g.URL, "--ca-file", g.CAFile(t), "--json", "github")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	r := decodeReport(t, out)
	var extra struct {
		Unverified []string `json:"unverified"`
	}
	if err := json.Unmarshal([]byte(out), &extra); err != nil {
		t.Fatal(err)
	}
	if !r.Valid || r.Sufficient || r.Missing == nil || len(r.Missing) != 0 || r.TokenKind != "fine-grained personal access token" {
		t.Errorf("report = %+v", r)
	}
	if want := []string{"Contents: Read and write", "Pull requests: Read and write"}; !slices.Equal(extra.Unverified, want) {
		t.Errorf("unverified = %v, want %v", extra.Unverified, want)
	}
	text, _, _ := runCLI(t, ghCanaryFine+"\n", "--url", g.URL, "--ca-file", g.CAFile(t), "github")
	if !strings.Contains(text, "Not proven: Contents: Read and write, Pull requests: Read and write") {
		t.Errorf("text report:\n%s", text)
	}
}

// TestGitHubServerTroubleExitsThree: the secondary rate limit and an
// Enterprise server in maintenance are "could not check", each with advice
// that fits.
func TestGitHubServerTroubleExitsThree(t *testing.T) {
	for _, tc := range []struct {
		name        string
		maintenance bool
		want        []string
	}{
		{"secondary rate limit", false, []string{"secondary rate limit", "Wait 60 seconds"}},
		{"maintenance", true, []string{"maintenance mode", "administrator"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{ghCanaryBurst: {Scopes: "repo", SecondaryLimit: 429}})
			g.SetMaintenance(tc.maintenance)
			out, _, code := runCLI(t, ghCanaryBurst+"\n", "--url", g.URL, "--ca-file", g.CAFile(t), "github")
			if code != 3 || strings.Contains(out, "status page") || strings.Contains(out, "Wait until") {
				t.Errorf("exit %d (want 3), or advice that does not fit:\n%s", code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output does not say %q:\n%s", w, out)
				}
			}
		})
	}
}
