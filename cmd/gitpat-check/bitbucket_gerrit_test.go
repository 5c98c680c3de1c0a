package main

import (
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// Canaries of the three hosts' shapes. The Data Center token is base64,
// so the tests also look for it as it is.
const (
	bbCanary       = "ATATT3xFfGF0CANARYcliCANARYcliCANARYcliCANARYcliCANARYc=0A1B2C3D"
	bbCanaryNoPR   = "ATATT3xFfGF0CANARYclinoprCANARYclinoprCANARYclinoprCANAR=1B2C3D4E"
	bbCanaryAppPwd = "ATBBCANARYcliappCANARYcliappCANARYc0123"
	gerritCanary   = "CANARYclipassCANARYclipassCANARYclipass005"
	bbEmail        = "jira@example.com"
)

var dcCanary = hoststest.BitbucketDCTokenFor("271828182845", "CANARYclidc")

var bbScopes = []string{"read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket",
	"write:repository:bitbucket", "read:pullrequest:bitbucket", "write:pullrequest:bitbucket"}

// runAtlassianCLI is runCLI that also fails on the Data Center token,
// which is base64 and holds no "CANARY".
func runAtlassianCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	stdout, stderr, code = runCLI(t, stdin, args...)
	if strings.Contains(stdout+stderr, dcCanary) {
		t.Fatalf("output leaks a secret:\n%s%s", stdout, stderr)
	}
	return stdout, stderr, code
}

func TestBitbucketCloudJSONReportWithUserFromStdin(t *testing.T) {
	b := hoststest.NewBitbucketCloud(t, map[string]hoststest.BitbucketToken{bbCanary: {Email: bbEmail, Scopes: bbScopes}})
	out, errOut, code := runAtlassianCLI(t, bbEmail+"\n"+bbCanary+"\n", "--user", "-", "--url", b.URL, "--ca-file", b.CAFile(t),
		"--expires", "2027-06-30", "--json", "bitbucket")
	if code != 0 {
		t.Fatalf("exit %d, want 0:\n%s%s", code, out, errOut)
	}
	r := decodeReport(t, out)
	if r.Host != "bitbucket" || r.User != bbEmail || r.Name != "Jira Integration" || !r.Sufficient || r.TokenKind != "API token" {
		t.Errorf("report = %+v", r)
	}
	if strings.Join(r.Scopes, ",") != strings.Join(bbScopes, ",") || r.ExpiresAt == nil || !strings.HasPrefix(*r.ExpiresAt, "2027-06-30") {
		t.Errorf("scopes %v expires %v", r.Scopes, r.ExpiresAt)
	}
}

func TestBitbucketAndGerritExitStatus(t *testing.T) {
	b := hoststest.NewBitbucketCloud(t, map[string]hoststest.BitbucketToken{
		bbCanary:     {Email: bbEmail, Scopes: bbScopes},
		bbCanaryNoPR: {Email: bbEmail, Scopes: bbScopes[:4]},
	})
	bCA := b.CAFile(t)
	dc := hoststest.NewBitbucketDC(t, hoststest.BitbucketDCOptions{Tokens: map[string]hoststest.BitbucketDCToken{
		dcCanary: {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_WRITE"}}}})
	dcCA := dc.CAFile(t)
	g := hoststest.NewGerrit(t, hoststest.GerritOptions{Accounts: []hoststest.GerritAccount{{Username: "jira-bot", Password: gerritCanary}}})
	gCA := g.CAFile(t)
	cloud := []string{"--url", b.URL, "--ca-file", bCA, "bitbucket"}
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		want        string
	}{
		{"bitbucket ready", bbCanary, append([]string{"--user", bbEmail}, cloud...), 0, "Ready"},
		{"bitbucket missing pull request scopes", bbCanaryNoPR, append([]string{"--user", bbEmail}, cloud...), 1, "It lacks read:pullrequest:bitbucket"},
		{"bitbucket wrong email", bbCanary, append([]string{"--user", "other@example.com"}, cloud...), 2, "does not accept this email and token"},
		{"bitbucket app password", bbCanaryAppPwd, append([]string{"--user", bbEmail}, cloud...), 2, "removed them on 2026-07-28"},
		{"bitbucket without email", bbCanary, cloud, 64, "Enter the email of the Atlassian account"},
		{"bitbucket user name for email", bbCanary, append([]string{"--user", "jira-integration"}, cloud...), 64, "is not an email address"},
		{"bitbucket token in the github tab", bbCanary, []string{"github"}, 2, "looks like an Atlassian API token"},
		{"datacenter ready", dcCanary, []string{"--url", dc.Web(), "--ca-file", dcCA, "bitbucket-datacenter"}, 0, "Ready"},
		{"datacenter another user's token", dcCanary, []string{"--user", "alice", "--url", dc.Web(), "--ca-file", dcCA, "bitbucket-datacenter"}, 1, "belongs to jira-bot, not to alice"},
		{"datacenter token in the gitlab tab", dcCanary, []string{"gitlab"}, 2, "looks like a Bitbucket Data Center HTTP access token"},
		{"gerrit ready", gerritCanary, []string{"--user", "jira-bot", "--url", g.Web(), "--ca-file", gCA, "gerrit"}, 0, "Ready"},
		{"gerrit user name from stdin", "jira-bot\n" + gerritCanary, []string{"--user", "-", "--url", g.Web(), "--ca-file", gCA, "gerrit"}, 0, "signs in as John Doe (jira-bot)"},
		{"gerrit wrong user name", gerritCanary, []string{"--user", "john", "--url", g.Web(), "--ca-file", gCA, "gerrit"}, 2, "does not accept the user name john"},
		{"gerrit without user name", gerritCanary, []string{"--url", g.Web(), "--ca-file", gCA, "gerrit"}, 64, "Enter the Gerrit user name"},
		{"gerrit named project it cannot see", gerritCanary, []string{"--user", "jira-bot", "--repo", "platform/build", "--url", g.Web(), "--ca-file", gCA, "gerrit"}, 1, "platform/build (not found)"},
		{"bitbucket bad --repo", bbCanary, append([]string{"--user", bbEmail, "--repo", "a/b/c"}, cloud...), 64, "workspace/repo"},
		{"datacenter bad --repo", dcCanary, []string{"--repo", "PROJ/-x", "--url", dc.Web(), "--ca-file", dcCA, "bitbucket-datacenter"}, 64, "PROJECT/repo"},
		{"gerrit unreachable", gerritCanary, []string{"--user", "jira-bot", "--url", "https://127.0.0.1:1", "gerrit"}, 3, "refused the connection"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runAtlassianCLI(t, tc.stdin+"\n", tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.want) {
				t.Errorf("exit %d (want %d), output:\n%s%s", code, tc.code, out, errOut)
			}
		})
	}
}

func TestUserAndExpiresFlagsFitTheHost(t *testing.T) {
	for _, tc := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"--user for github", canary, []string{"--user", "octocat", "github"}, "--user is for"},
		{"--expires for gerrit", gerritCanary, []string{"--expires", "2027-01-01", "--user", "x", "gerrit"}, "--expires is for"},
		{"--user - with nothing on stdin", "", []string{"--user", "-", "gerrit"}, "before the user name (line 1"},
		{"--user - with the token only", gerritCanary + "\n", []string{"--user", "-", "gerrit"}, "standard input ended before the http password (line 2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runAtlassianCLI(t, tc.stdin, tc.args...)
			if code != exitUsage || !strings.Contains(out+errOut, tc.want) {
				t.Errorf("exit %d, want 64 and %q:\n%s%s", code, tc.want, out, errOut)
			}
		})
	}
}

func TestBitbucketAndGerritSecretsNeverInAnyOutputOrFile(t *testing.T) {
	b := hoststest.NewBitbucketCloud(t, map[string]hoststest.BitbucketToken{bbCanary: {Email: bbEmail, Scopes: bbScopes}})
	g := hoststest.NewGerrit(t, hoststest.GerritOptions{Accounts: []hoststest.GerritAccount{{Username: "jira-bot", Password: gerritCanary}}})
	home, tmp := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("TMPDIR", tmp)
	for _, args := range [][]string{{"--json"}, {}, {"--json", "--timeout", "1ns"}} {
		runAtlassianCLI(t, bbCanary+"\n", append([]string{"--user", bbEmail, "--url", b.URL, "--ca-file", b.CAFile(t), "bitbucket"}, args...)...)
		runAtlassianCLI(t, gerritCanary+"\n", append([]string{"--user", "jira-bot", "--url", g.Web(), "--ca-file", g.CAFile(t), "gerrit"}, args...)...)
	}
	for _, dir := range []string{home, tmp} {
		scanForCanary(t, dir)
	}
}

// The credentials of the three hosts, typed where a user name, HOST or a
// flag's value goes, are refused and never printed back.
func TestBitbucketAndGerritCredentialArgumentsAreRefusedUnseen(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"API token as --user", []string{"--user", bbCanary, "bitbucket"}, "refused argument 2: it looks like an Atlassian API token"},
		{"app password as HOST", []string{bbCanaryAppPwd}, "refused argument 1"},
		{"Data Center token as --url", []string{"--url", dcCanary, "bitbucket-datacenter"}, "refused argument 2"},
		{"Gerrit password as --user", []string{"--user=" + gerritCanary, "gerrit"}, "refused argument 1: it looks like a Gerrit HTTP password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runAtlassianCLI(t, gerritCanary+"\n", tc.args...)
			if code != exitUsage || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, want 64 and %q:\n%s%s", code, tc.want, out, errOut)
			}
			if strings.Contains(out+errOut, "CANARY") {
				t.Errorf("an argument was printed:\n%s", errOut)
			}
		})
	}
}
