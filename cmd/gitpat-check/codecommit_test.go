package main

import (
	"slices"
	"strconv"
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
	ccScoped    = "AKIACANARYCLISCOPED2"
	ccSimDown   = "AKIACANARYCLISIMDOWN"
	ccSecret    = "CANARYc1i/s3cr3t+CANARYc1i/s3cr3t+CANARY"
	ccWrong     = "CANARYwr0ng/c1i+CANARYwr0ng/c1i+CANARY00"
)

func fakeAWS(t *testing.T) (*hoststest.AWS, string) {
	a := hoststest.NewAWS(t, map[string]hoststest.AWSKey{
		ccKey:    {Secret: ccSecret, User: "jira-codecommit"},
		ccDenied: {Secret: ccSecret, User: "jira-codecommit", Decisions: map[string]string{"codecommit:CreatePullRequest": "implicitDeny"}},
		ccNoSim:  {Secret: ccSecret, User: "jira-codecommit", NoSimulator: true},
		ccRoot:   {Secret: ccSecret},
		// A policy that names jira-sync's ARN only.
		ccScoped:  {Secret: ccSecret, User: "jira-codecommit", AllowOnly: []string{"jira-sync"}},
		ccSimDown: {Secret: ccSecret, User: "jira-codecommit", ResourceSimDown: true},
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

// TestCodeCommitRepoJSON: --repo adds "repositories", each with found,
// read, branch and pull_request true, false or null, and its findings.
func TestCodeCommitRepoJSON(t *testing.T) {
	a, ca := fakeAWS(t)
	out, _, code := runCodeCommit(t, ccScoped, ccSecret, "--url", a.URL, "--ca-file", ca, "--json",
		"--repo", "jira-sync", "--repo", "codecommit::us-east-1://payments-service", "--repo", "billing", "codecommit")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	r := decodeReport(t, out)
	type abilities struct{ found, read, branch, pr string }
	show := func(b *bool) string {
		if b == nil {
			return "null"
		}
		return strconv.FormatBool(*b)
	}
	want := map[string]abilities{
		"jira-sync":        {"true", "true", "true", "true"},
		"payments-service": {"true", "false", "false", "false"},
		"billing":          {"false", "false", "false", "false"},
	}
	if len(r.Repositories) != 3 {
		t.Fatalf("repositories = %+v", r.Repositories)
	}
	for i, name := range []string{"jira-sync", "payments-service", "billing"} {
		rp := r.Repositories[i]
		if got := (abilities{show(rp.Found), show(rp.Read), show(rp.Branch), show(rp.PullRequest)}); rp.Name != name || got != want[name] {
			t.Errorf("#%d %s: %+v, want %s %+v", i, rp.Name, got, name, want[name])
		}
	}
	notAllowed := r.Repositories[1].Findings
	if len(notAllowed) != 1 || notAllowed[0].Level != "error" ||
		!strings.Contains(notAllowed[0].Text, "No policy of IAM user jira-codecommit allows it") ||
		!strings.Contains(notAllowed[0].Fix, "arn:aws:codecommit:us-east-1:123456789012:payments-service") ||
		notAllowed[0].Link != "https://console.aws.amazon.com/iam/home#/users/details/jira-codecommit?section=permissions" {
		t.Errorf("payments-service findings = %+v", notAllowed)
	}
	if r.Repositories[0].Findings == nil || len(r.Repositories[0].Findings) != 0 {
		t.Errorf("a ready repository's findings = %#v, want []", r.Repositories[0].Findings)
	}
}

// TestCodeCommitRepoNotProvenIsNull: without the simulator, what the key
// may do in a repository is null, never false.
func TestCodeCommitRepoNotProvenIsNull(t *testing.T) {
	a, ca := fakeAWS(t)
	out, _, code := runCodeCommit(t, ccNoSim, ccSecret, "--url", a.URL, "--ca-file", ca, "--json", "--repo", "jira-sync", "codecommit")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	for _, field := range []string{`"read": null`, `"branch": null`, `"pull_request": null`, `"found": true`} {
		if !strings.Contains(out, field) {
			t.Errorf("the report lacks %s:\n%s", field, out)
		}
	}
}

func TestCodeCommitRepoExitStatus(t *testing.T) {
	a, ca := fakeAWS(t)
	for _, tc := range []struct {
		name, keyID string
		repos       []string
		code        int
		want        []string
	}{
		{"every repository ready", ccKey, []string{"jira-sync", "payments-service"}, 0,
			[]string{"Ready", "Repository jira-sync: ready", "Repository payments-service: ready", "read: yes, create branches: yes, pull requests: yes"}},
		{"policy names another repository", ccScoped, []string{"payments-service"}, 1,
			[]string{"not ready for payments-service (not allowed)", "Repository payments-service: not allowed", "read: no, create branches: no, pull requests: no",
				"Link: https://console.aws.amazon.com/iam/home#/users/details/jira-codecommit?section=permissions"}},
		{"not in the region", ccKey, []string{"jira-sync", "billing"}, 1,
			[]string{"Repository billing: not found", "There is no repository named billing in us-east-1."}},
		{"simulator 500", ccSimDown, []string{"jira-sync"}, 3,
			[]string{"could not check jira-sync", "Repository jira-sync: could not check", "server error (500 Internal Server Error)"}},
		{"root key", ccRoot, []string{"jira-sync"}, 1, []string{"Repository jira-sync: not proven", "gitpat does not judge a root user's key per repository"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"--url", a.URL, "--ca-file", ca}
			for _, r := range tc.repos {
				args = append(args, "--repo", r)
			}
			out, errOut, code := runCodeCommit(t, tc.keyID, ccSecret, append(args, "codecommit")...)
			if code != tc.code {
				t.Errorf("exit %d, want %d:\n%s%s", code, tc.code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
