package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// Canary access keys: realistic shapes, never real.
const (
	ccKey       = "AKIACANARYCLIGOOD222"
	ccDenied    = "AKIACANARYCLIDENIED2"
	ccNoSim     = "AKIACANARYCLINOSIM22"
	ccRoot      = "AKIACANARYCLIROOT222"
	ccUnknown   = "AKIACANARYCLIUNKNOWN"
	ccTemporary = "ASIACANARYCLITEMP222"
	ccSecret    = "CANARYc1i/s3cr3t+CANARYc1i/s3cr3t+CANARY"
	ccWrong     = "CANARYwr0ng/c1i+CANARYwr0ng/c1i+CANARY00"
)

func fakeAWS(t *testing.T) (*hoststest.AWS, string) {
	a := hoststest.NewAWS(t, map[string]hoststest.AWSKey{
		ccKey:    {Secret: ccSecret, User: "jira-codecommit"},
		ccDenied: {Secret: ccSecret, User: "jira-codecommit", Decisions: map[string]string{"codecommit:CreatePullRequest": "implicitDeny"}},
		ccNoSim:  {Secret: ccSecret, User: "jira-codecommit", NoSimulator: true},
		ccRoot:   {Secret: ccSecret},
	})
	return a, a.CAFile(t)
}

// runCodeCommit runs the CLI with the key ID and secret on two lines of
// standard input and fails if either shows in any output.
func runCodeCommit(t *testing.T, keyID, secretKey string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	stdout, stderr, code = runCLI(t, keyID+"\n"+secretKey+"\n", args...)
	for _, s := range []string{keyID, secretKey} {
		if strings.Contains(stdout+stderr, s) {
			t.Fatalf("output leaks a key:\n%s%s", stdout, stderr)
		}
	}
	return stdout, stderr, code
}

func TestCodeCommitJSONReport(t *testing.T) {
	a, ca := fakeAWS(t)
	out, _, code := runCodeCommit(t, ccKey, ccSecret, "--url", a.URL, "--ca-file", ca, "--json", "codecommit")
	if code != 0 {
		t.Fatalf("exit %d, want 0:\n%s", code, out)
	}
	r := decodeReport(t, out)
	if r.Host != "codecommit" || !r.Valid || !r.Sufficient || r.User != "arn:aws:iam::123456789012:user/jira-codecommit" ||
		r.TokenKind != "IAM user access key" || r.ExpiresAt != nil || r.Missing == nil || len(r.Missing) != 0 {
		t.Errorf("report = %+v", r)
	}
	if !slices.Equal(r.Needed, []string{"codecommit:CreateBranch", "codecommit:CreatePullRequest"}) || len(r.Scopes) != 4 {
		t.Errorf("needed %v scopes %v", r.Needed, r.Scopes)
	}
}

func TestCodeCommitExitStatusIsTheVerdict(t *testing.T) {
	a, ca := fakeAWS(t)
	for _, tc := range []struct {
		name, keyID, secret string
		args                []string
		code                int
		want                string
	}{
		{"sufficient", ccKey, ccSecret, nil, 0, "Ready"},
		{"pull requests not allowed", ccDenied, ccSecret, nil, 1, "Missing:    codecommit:CreatePullRequest"},
		{"simulator not allowed", ccNoSim, ccSecret, nil, 1, "could not verify"},
		{"root key", ccRoot, ccSecret, nil, 1, "root user"},
		{"wrong secret", ccKey, ccWrong, nil, 2, "secret access key does not match"},
		{"unknown key ID", ccUnknown, ccSecret, nil, 2, "AWS does not know the access key ID"},
		{"temporary key", ccTemporary, ccSecret, nil, 2, "temporary access key"},
		{"GitHub token as key ID", "ghp_CANARYcl1CANARYcl1CANARYcl1CANARYcl1", ccSecret, nil, 2, "looks like a GitHub personal access token"},
		{"bad region", ccKey, ccSecret, []string{"--region", "mars-1"}, 64, "not an AWS region name"},
		{"no server", ccKey, ccSecret, []string{"--url", "https://127.0.0.1:1"}, 3, "refused the connection"},
		{"no time", ccKey, ccSecret, []string{"--timeout", "1ns"}, 3, "AWS STS"},
		{"flags after HOST", ccKey, ccSecret, []string{"--timeout", "5s", "--region", "eu-west-1"}, 0, "repositories in eu-west-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--url", a.URL, "--ca-file", ca, "codecommit"}, tc.args...)
			out, errOut, code := runCodeCommit(t, tc.keyID, tc.secret, args...)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d (want %d), want %q in output:\n%s%s", code, tc.code, tc.want, out, errOut)
			}
		})
	}
}

func TestCodeCommitURLReplacesEveryEndpointAndRegionPicksCodeCommit(t *testing.T) {
	a, ca := fakeAWS(t)
	if _, _, code := runCodeCommit(t, ccKey, ccSecret, "--url", a.URL+"/", "--ca-file", ca, "--region", "ap-southeast-2", "codecommit"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	got := a.Calls()
	slices.Sort(got)
	want := []string{"codecommit ap-southeast-2 ListRepositories", "iam us-east-1 ListAccessKeys",
		"iam us-east-1 SimulatePrincipalPolicy", "sts us-east-1 GetCallerIdentity"}
	if !slices.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
}

func TestCodeCommitPlainHTTPEndpointNeedsConsent(t *testing.T) {
	out, errOut, code := runCodeCommit(t, ccKey, ccSecret, "--url", "http://127.0.0.1:1", "codecommit")
	if code != exitUsage || !strings.Contains(errOut, "--allow-http") || !strings.Contains(out, "unencrypted") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
	out, errOut, code = runCodeCommit(t, ccKey, ccSecret, "--url", "http://127.0.0.1:1", "--allow-http", "codecommit")
	if code != 3 || !strings.Contains(out, "refused the connection") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
}

func TestCodeCommitReadsTwoLinesWithWindowsLineEnds(t *testing.T) {
	a, ca := fakeAWS(t)
	out, _, code := runCLI(t, " "+ccKey+"\r\n"+ccSecret+"\r\n", "--url", a.URL, "--ca-file", ca, "codecommit")
	if code != 0 {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestCodeCommitKeysNeverInAnyOutputOrFile(t *testing.T) {
	a, ca := fakeAWS(t)
	home, tmp := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("TMPDIR", tmp)
	for _, keys := range [][2]string{{ccKey, ccSecret}, {ccKey, ccWrong}, {ccUnknown, ccSecret}, {ccRoot, ccSecret}, {ccNoSim, ccSecret}} {
		for _, args := range [][]string{{"--json"}, {}, {"--json", "--timeout", "1ns"}, {"--region", "eu-north-1"}} {
			runCodeCommit(t, keys[0], keys[1], append([]string{"--url", a.URL, "--ca-file", ca, "codecommit"}, args...)...)
		}
	}
	for _, dir := range []string{home, tmp} {
		scanForCanary(t, dir)
	}
}
