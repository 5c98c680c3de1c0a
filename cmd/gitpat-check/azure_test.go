package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// Azure DevOps canaries: the 84-character format, and the 52-character
// one, which is all lower case (runCLI looks for "CANARY", so these tests
// also look for the token itself).
var (
	azCanary       = azurePAT("good")
	azCanaryNoCode = azurePAT("nocode")
	azCanaryLegacy = ("canarylegacy" + strings.Repeat("a", 52))[:52]
)

func azurePAT(tag string) string {
	return ("CANARY" + tag + strings.Repeat("x", 52))[:52] + "JQQJ" + strings.Repeat("y", 20) + "AZDO" + "ab12"
}

func fakeAzure(t *testing.T, mode hoststest.AzureMode) (*hoststest.Azure, string) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: mode, Tokens: map[string]hoststest.AzureToken{
		azCanary:       {},
		azCanaryLegacy: {},
		azCanaryNoCode: {NoCode: true},
	}})
	return a, a.CAFile(t)
}

// runAzureCLI is runCLI that also fails on the lower-case legacy token.
func runAzureCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	stdout, stderr, code = runCLI(t, stdin, args...)
	if strings.Contains(strings.ToLower(stdout+stderr), "canary") {
		t.Fatalf("output leaks a secret:\n%s%s", stdout, stderr)
	}
	return stdout, stderr, code
}

func TestAzureHostWordsExitStatus(t *testing.T) {
	tfs, tfsCA := fakeAzure(t, hoststest.AzureTFS2018)
	ados, adosCA := fakeAzure(t, hoststest.AzureServer2022)
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		want        string
	}{
		// A token that reads code: Code write cannot be proven without
		// writing, so exit 1 with the write half unverified.
		{"tfs reads code", azCanary, []string{"--url", tfs.Collection(), "--ca-file", tfsCA, "tfs"}, 1,
			"The token works and reads code, but gitpat cannot prove Code write without writing: confirm Code (read and write) on the token page."},
		{"tfs 52-character token", azCanaryLegacy, []string{"--url", tfs.Collection(), "--ca-file", tfsCA, "tfs"}, 1, "TFS 2018 Update 2 or later"},
		{"tfs without Code scope", azCanaryNoCode, []string{"--url", tfs.Collection(), "--ca-file", tfsCA, "tfs"}, 1, "It lacks the Code scope"},
		{"tfs wrong token", azurePAT("wrong"), []string{"--url", tfs.Collection(), "--ca-file", tfsCA, "tfs"}, 2, "does not accept this token"},
		{"server reads code", azCanary, []string{"azure-devops-server", "--url", ados.Collection(), "--ca-file", adosCA}, 1, "Azure DevOps Server 2022"},
		{"server without collection", azCanary, []string{"--url", ados.URL, "--ca-file", adosCA, "azure-devops-server"}, 64, "Add the collection"},
		{"services address in the tfs tab", azCanary, []string{"--url", "https://dev.azure.com/myorg", "tfs"}, 64, "use the Azure DevOps tab"},
		{"server address in the services tab", azCanary, []string{"--url", "https://tfs.example.com/tfs/DefaultCollection", "azure-devops"}, 64, "not an Azure DevOps Services address"},
		{"services without organization", azCanary, []string{"azure-devops"}, 64, "Enter your Azure DevOps organization"},
		{"another host's token", "glpat-CANARY0123456789abcd\n", []string{"--org", "myorg", "azure-devops"}, 2, "looks like a GitLab personal access token"},
		{"no time left", azCanary, []string{"--org", "myorg", "--timeout", "1ns", "azure-devops"}, 3, "did not answer in time"},
		{"no server", azCanary, []string{"--url", "https://127.0.0.1:1/tfs/DefaultCollection", "tfs"}, 3, "refused the connection"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runAzureCLI(t, tc.stdin+"\n", tc.args...)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d (want %d), output:\n%s%s", code, tc.code, out, errOut)
			}
		})
	}
}

func TestAzurePlainHTTPNeedsAllowHTTP(t *testing.T) {
	a, _ := fakeAzure(t, hoststest.AzureServer2019)
	plain := a.PlainHTTP(t)
	out, errOut, code := runAzureCLI(t, azCanary+"\n", "--url", plain, "azure-devops-server")
	if code != exitUsage || !strings.Contains(errOut, "add --allow-http") || !strings.Contains(out, "unencrypted") {
		t.Errorf("without --allow-http: exit %d\n%s%s", code, out, errOut)
	}
	if n := len(a.Requests()); n != 0 {
		t.Errorf("the token was sent over http without consent: %v", a.Requests())
	}
	out, errOut, code = runAzureCLI(t, azCanary+"\n", "--url", plain, "--allow-http", "azure-devops-server")
	if code != 1 || !strings.Contains(out, "The token was sent over plain http://") || strings.Contains(errOut, "--allow-http") {
		t.Errorf("with --allow-http: exit %d\n%s%s", code, out, errOut)
	}
}

func TestAzureJSONReportSaysTheExpiryIsUnknown(t *testing.T) {
	a, ca := fakeAzure(t, hoststest.AzureTFS2017)
	out, _, code := runAzureCLI(t, azCanary+"\n", "--json", "--url", a.Collection(), "--ca-file", ca, "tfs")
	if code != 1 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	r := decodeReport(t, out)
	if r.Host != "tfs" || !r.Valid || r.Sufficient || r.User != `FABRIKAM\jamal` || strings.Join(r.Scopes, ",") != "Code (read)" ||
		r.Missing == nil || len(r.Missing) != 0 {
		t.Errorf("report = %+v", r)
	}
	// What could not be proven, named the way needed names it.
	var open struct {
		Unverified []string `json:"unverified"`
	}
	if err := json.Unmarshal([]byte(out), &open); err != nil || strings.Join(open.Unverified, ",") != "Code (read and write)" {
		t.Errorf("unverified = %v (%v)", open.Unverified, err)
	}
	if r.ExpiresAt != nil || !r.ExpiryUnknown {
		t.Errorf("expires_at %v, expiry_unknown %v", r.ExpiresAt, r.ExpiryUnknown)
	}
	warned := false
	for _, f := range r.Findings {
		warned = warned || (f.Level == "warn" && strings.Contains(f.Text, "cannot prove Code write"))
	}
	if !warned {
		t.Errorf("no warning that Code write could not be proven:\n%s", out)
	}
}

func TestAzureTokenNeverInAnyOutputOrFile(t *testing.T) {
	a, ca := fakeAzure(t, hoststest.AzureServer2019)
	home, tmp := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("TMPDIR", tmp)
	for _, token := range []string{azCanary, azCanaryLegacy, azCanaryNoCode, azurePAT("wrong")} {
		for _, args := range [][]string{{"--json"}, {}, {"--timeout", "1ns"}} {
			runAzureCLI(t, token+"\n", append([]string{"--url", a.Collection(), "--ca-file", ca, "azure-devops-server"}, args...)...)
		}
		runAzureCLI(t, token+"\n", "--url", a.PlainHTTP(t), "--json", "tfs")
		runAzureCLI(t, token+"\n", "--org", "myorg", "--timeout", "1ns", "--json", "azure-devops")
	}
	for _, dir := range []string{home, tmp} {
		scanForCanary(t, dir)
	}
}

func TestAzureExpiresFlag(t *testing.T) {
	tfs, ca := fakeAzure(t, hoststest.AzureTFS2018)
	out, _, code := runAzureCLI(t, azCanary+"\n", "--url", tfs.Collection(), "--ca-file", ca, "--expires", "2027-01-31", "--json", "tfs")
	if r := decodeReport(t, out); code != 1 || r.ExpiresAt == nil || !strings.HasPrefix(*r.ExpiresAt, "2027-01-31") {
		t.Fatalf("exit %d, expires_at %v:\n%s", code, r.ExpiresAt, out)
	}
	_, errOut, code := runCLI(t, canary+"\n", "--expires", "2027-01-31", "github")
	if code != exitUsage || !strings.Contains(errOut, "reads the expiry itself") {
		t.Errorf("--expires with github: exit %d, %s", code, errOut)
	}
}
