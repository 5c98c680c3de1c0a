package hosts

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

// Canary keys: realistic shapes, never real. Tests assert that neither a
// key ID nor a secret ever appears in a report.
const (
	awsOKKey       = "AKIACANARYGOODKEY222"
	awsDeniedKey   = "AKIACANARYDENIED2222"
	awsReadlessKey = "AKIACANARYREADLESS22"
	awsNoSimKey    = "AKIACANARYNOSIMULATE"
	awsNoListKey   = "AKIACANARYNOLISTING2"
	awsRootKey     = "AKIACANARYROOTKEY222"
	awsTwoKey      = "AKIACANARYTWOKEYS222"
	awsSecondKey   = "AKIACANARYSECONDWXYZ"
	awsExpiredKey  = "AKIACANARYEXPIRED222"
	awsIAMDownKey  = "AKIACANARYIAMDOWN222"
	awsKeysHidden  = "AKIACANARYNOKEYLIST2"
	awsEmptyKey    = "AKIACANARYEMPTY22222"
	awsUnknownKey  = "AKIACANARYUNKNOWN222"
	awsSCPKey      = "AKIACANARYORGDENIED2"
	awsOddKey      = "AKIACANARYUNDECIDED2"
	awsTempKey     = "ASIACANARYTEMPORARY2"

	awsSecret      = "CANARYs3cr3t/0k+CANARYs3cr3t/0k+CANARY01"
	awsWrongSecret = "CANARYwr0ng/s3cr3t+CANARYwr0ng/s3cr3t+CA"
)

// awsNow is the fixed clock of these tests.
var awsNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func awsFake(t *testing.T) *hoststest.AWS {
	user := func(k hoststest.AWSKey) hoststest.AWSKey {
		k.Secret, k.User = awsSecret, "jira-codecommit"
		return k
	}
	return hoststest.NewAWS(t, map[string]hoststest.AWSKey{
		awsOKKey: user(hoststest.AWSKey{}),
		awsDeniedKey: user(hoststest.AWSKey{Decisions: map[string]string{
			"codecommit:CreateBranch": "implicitDeny", "codecommit:CreatePullRequest": "explicitDeny"}}),
		awsReadlessKey: user(hoststest.AWSKey{Decisions: map[string]string{"codecommit:GitPull": "implicitDeny"}}),
		awsNoSimKey:    user(hoststest.AWSKey{NoSimulator: true}),
		awsNoListKey:   user(hoststest.AWSKey{NoSimulator: true, NoListRepositories: true}),
		awsRootKey:     {Secret: awsSecret},
		awsTwoKey:      user(hoststest.AWSKey{SecondKey: awsSecondKey, SecondKeyInactive: true}),
		awsExpiredKey:  user(hoststest.AWSKey{Expired: true}),
		awsIAMDownKey:  user(hoststest.AWSKey{IAMDown: true}),
		awsKeysHidden:  user(hoststest.AWSKey{NoListKeys: true}),
		awsEmptyKey:    user(hoststest.AWSKey{NoRepositories: true}),
		awsSCPKey:      user(hoststest.AWSKey{Decisions: map[string]string{"codecommit:CreateBranch": "scpDeny"}}),
		awsOddKey:      user(hoststest.AWSKey{Decisions: map[string]string{"codecommit:CreatePullRequest": "omit"}}),
	})
}

// checkAWS runs the CodeCommit check against the fake as its endpoint and
// asserts that no key ID or secret reaches the report or its text.
func checkAWS(t *testing.T, a *hoststest.AWS, keyID, secretKey string, fields map[string]string, timeout time.Duration) *Report {
	t.Helper()
	c, err := httpx.New(httpx.Options{CAFile: a.CAFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{"url": a.URL, "region": "us-east-1"}
	for k, v := range fields {
		all[k] = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	r := CodeCommit.Check(ctx, Env{HTTP: c, Now: func() time.Time { return awsNow }}, Request{
		Fields: all, Secrets: []secret.Value{secret.New(keyID), secret.New(secretKey)},
	})
	assertNoAWSSecret(t, r, keyID, secretKey)
	return r
}

func assertNoAWSSecret(t *testing.T, r *Report, keyID, secretKey string) {
	t.Helper()
	for _, out := range []string{string(r.JSON()), r.Text(awsNow)} {
		if strings.Contains(out, keyID) || strings.Contains(out, secretKey) || strings.Contains(out, "CANARY") {
			t.Fatalf("the report leaks the key:\n%s", out)
		}
	}
}

func wantAWS(t *testing.T, r *Report, o Outcome, texts ...string) {
	t.Helper()
	if r.Outcome != o {
		t.Errorf("outcome = %d, want %d\n%s", r.Outcome, o, r.JSON())
	}
	all := r.Summary
	for _, f := range r.Findings {
		all += "\n" + f.Text + " " + f.Fix + " " + f.Link
	}
	for _, want := range texts {
		if !strings.Contains(all, want) {
			t.Errorf("report does not say %q:\n%s", want, all)
		}
	}
}

func awsFinding(r *Report, l Level, text string) bool {
	for _, f := range r.Findings {
		if f.Level == l && strings.Contains(f.Text, text) {
			return true
		}
	}
	return false
}

func awsSortedCalls(a *hoststest.AWS) []string {
	c := a.Calls()
	slices.Sort(c)
	return c
}

var awsUserCalls = []string{
	"codecommit us-east-1 ListRepositories",
	"iam us-east-1 ListAccessKeys",
	"iam us-east-1 SimulatePrincipalPolicy",
	"sts us-east-1 GetCallerIdentity",
}

func TestCodeCommitCanaryKeysHaveRealShapes(t *testing.T) {
	for _, k := range []string{awsOKKey, awsDeniedKey, awsReadlessKey, awsNoSimKey, awsNoListKey, awsRootKey, awsTwoKey,
		awsSecondKey, awsExpiredKey, awsIAMDownKey, awsKeysHidden, awsEmptyKey, awsUnknownKey, awsTempKey, awsSCPKey, awsOddKey} {
		if Classify(k).Family != "aws" {
			t.Errorf("%s is not shaped like an access key ID", k)
		}
	}
	for _, s := range []string{awsSecret, awsWrongSecret} {
		if len(s) != 40 || strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+") != "" {
			t.Errorf("%d characters: not shaped like a secret access key", len(s))
		}
	}
}

func TestCodeCommitKeyWithBothPermissionsIsSufficient(t *testing.T) {
	a := awsFake(t)
	a.SetBarrier(3) // the three calls after GetCallerIdentity must be in flight together
	r := checkAWS(t, a, awsOKKey, awsSecret, nil, 10*time.Second)
	wantAWS(t, r, Sufficient,
		"Access key AKIA…Y222 of IAM user jira-codecommit in account 123456789012.",
		"It may create branches and pull requests",
		"It can list 2 repositories in us-east-1: jira-sync, payments-service.",
		"It is the only access key of IAM user jira-codecommit",
		"It was created on 2026-05-01, 208 days ago.",
		"It has no expiration date.")
	if r.User != "arn:aws:iam::123456789012:user/jira-codecommit" || r.Name != "jira-codecommit" || r.TokenKind != "IAM user access key" {
		t.Errorf("user %q name %q kind %q", r.User, r.Name, r.TokenKind)
	}
	if !slices.Equal(r.Scopes, codecommitActions) || len(r.Missing) != 0 || !r.Valid || !r.Sufficient || r.ExpiresAt != nil {
		t.Errorf("scopes %v missing %v valid %v sufficient %v expires %v", r.Scopes, r.Missing, r.Valid, r.Sufficient, r.ExpiresAt)
	}
	if got := a.Calls(); len(got) != 4 || got[0] != "sts us-east-1 GetCallerIdentity" || !slices.Equal(awsSortedCalls(a), awsUserCalls) {
		t.Errorf("calls = %v", got)
	}
	if r.Server != a.URL {
		t.Errorf("server = %q", r.Server)
	}
}

// TestCodeCommitIgnoresAWSEnvironment: only the pasted key signs and only
// the named endpoint is called, whatever ~/.aws and AWS_* say.
func TestCodeCommitIgnoresAWSEnvironment(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	creds := "[default]\naws_access_key_id = " + awsUnknownKey + "\naws_secret_access_key = " + awsWrongSecret + "\nregion = eu-west-3\n"
	if err := os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": awsUnknownKey, "AWS_SECRET_ACCESS_KEY": awsWrongSecret, "AWS_SESSION_TOKEN": "x",
		"AWS_REGION": "eu-west-3", "AWS_ENDPOINT_URL": "https://127.0.0.1:1", "AWS_ENDPOINT_URL_STS": "https://127.0.0.1:1", "AWS_MAX_ATTEMPTS": "5"} {
		t.Setenv(k, v)
	}
	a := awsFake(t)
	r := checkAWS(t, a, awsOKKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Sufficient)
	if !slices.Equal(awsSortedCalls(a), awsUserCalls) {
		t.Errorf("calls = %v", a.Calls())
	}
}

func TestCodeCommitUnknownKeyIDIsRejected(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsUnknownKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Rejected, "AWS does not know the access key ID AKIA…N222", "deleted or deactivated", "Copy the access key ID again")
	if got := a.Calls(); !slices.Equal(got, []string{"sts us-east-1 GetCallerIdentity"}) {
		t.Errorf("calls = %v", got)
	}
}

func TestCodeCommitWrongSecretIsRejected(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsOKKey, awsWrongSecret, nil, 5*time.Second)
	wantAWS(t, r, Rejected, "AWS knows the access key ID, but the secret access key does not match it.", "AWS shows it only once")
	r = checkAWS(t, a, awsOKKey, awsSecret[:39], nil, 5*time.Second)
	wantAWS(t, r, Rejected, "(it has 39 characters; a secret access key has 40)")
	if len(a.Calls()) != 2 {
		t.Errorf("calls = %v", a.Calls())
	}
}

// TestCodeCommitSignatureErrorsThatAreNotAWrongSecret: AWS answers
// SignatureDoesNotMatch for a wrong secret, but also for a credential
// scope the endpoint does not serve and for a request changed on the way;
// only the first is the key's fault.
func TestCodeCommitSignatureErrorsThatAreNotAWrongSecret(t *testing.T) {
	for _, tc := range []struct {
		name      string
		set       func(*hoststest.AWS)
		region    string
		outcome   Outcome
		want      string
		forbidden string
	}{
		{"endpoint of another region", func(a *hoststest.AWS) { a.ServedRegions = []string{"eu-west-1"} }, "eu-west-1", Unchecked,
			"does not serve the region the request was signed for", "secret access key does not match"},
		{"endpoint of another service", func(a *hoststest.AWS) { a.OnlyService = "codecommit" }, "us-east-1", Unchecked,
			"answered as another AWS service", "secret access key does not match"},
		{"request changed on the way to CodeCommit", func(a *hoststest.AWS) { a.AlteredInTransit = true }, "us-east-1", Sufficient,
			"AWS CodeCommit in us-east-1 refused the request's signature although AWS STS accepted the same key moments before, so the secret access key is right", "does not match it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := awsFake(t)
			tc.set(a)
			r := checkAWS(t, a, awsOKKey, awsSecret, map[string]string{"region": tc.region}, 5*time.Second)
			wantAWS(t, r, tc.outcome, tc.want)
			if all := string(r.JSON()); strings.Contains(all, tc.forbidden) {
				t.Errorf("the report blames the secret:\n%s", all)
			}
		})
	}
}

func TestCodeCommitExpiredKeyIsRejected(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsExpiredKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Rejected, "AWS says this key has expired.", "long-term access key (starting with AKIA)")
}

func TestCodeCommitRootKeyIsAStrongWarning(t *testing.T) {
	a := awsFake(t)
	a.SetBarrier(2)
	r := checkAWS(t, a, awsRootKey, awsSecret, nil, 10*time.Second)
	wantAWS(t, r, Insufficient, "root user's key", "belongs to the root user of account 123456789012", "delete this root access key",
		"It is the only access key of the root user")
	if !awsFinding(r, Error, "root user of account") || r.User != "arn:aws:iam::123456789012:root" || r.TokenKind != "root user access key" {
		t.Errorf("root key not flagged as an error:\n%s", r.JSON())
	}
	want := []string{"codecommit us-east-1 ListRepositories", "iam us-east-1 ListAccessKeys", "sts us-east-1 GetCallerIdentity"}
	if !slices.Equal(awsSortedCalls(a), want) {
		t.Errorf("calls = %v, want no simulation for the root user", a.Calls())
	}
}

func TestCodeCommitWriteActionsDenied(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsDeniedKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Insufficient,
		"No policy of IAM user jira-codecommit allows it to create branches (codecommit:CreateBranch)",
		"AWSCodeCommitPowerUser",
		"A policy explicitly denies it to create pull requests (codecommit:CreatePullRequest): see DenyCodeCommitWrites.",
		"https://console.aws.amazon.com/iam/home#/users/details/jira-codecommit?section=permissions")
	if !slices.Equal(r.Missing, codecommitNeeds) || !slices.Equal(r.Scopes, []string{"codecommit:GitPull", "codecommit:ListRepositories"}) {
		t.Errorf("missing %v scopes %v", r.Missing, r.Scopes)
	}
}

func TestCodeCommitServiceControlPolicyDenies(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsSCPKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Insufficient, "A service control policy of your AWS organization denies it to create branches (codecommit:CreateBranch).",
		"organization's administrators")
	if !slices.Equal(r.Missing, []string{"codecommit:CreateBranch"}) {
		t.Errorf("missing = %v", r.Missing)
	}
}

func TestCodeCommitSimulatorWithoutDecisionIsNotAPass(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsOddKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Insufficient, "The IAM policy simulator gave no decision for codecommit:CreatePullRequest.")
	// No decision proves nothing absent: the action is unverified, not missing.
	if len(r.Missing) != 0 || !slices.Equal(r.Unverified, []string{"codecommit:CreatePullRequest"}) {
		t.Errorf("missing = %v, unverified = %v", r.Missing, r.Unverified)
	}
}

func TestCodeCommitReadDeniedWarns(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsReadlessKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Sufficient, "It may not read repository contents (git pull) (codecommit:GitPull)", "AWSCodeCommitReadOnly")
	if !awsFinding(r, Warn, "codecommit:GitPull") {
		t.Errorf("no warning:\n%s", r.JSON())
	}
}

func TestCodeCommitWithoutSimulatorFallsBackToListRepositories(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsNoSimKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Insufficient, "could not verify",
		"It may not use the IAM policy simulator (iam:SimulatePrincipalPolicy)",
		"It can list 2 repositories in us-east-1", "https://policysim.aws.amazon.com/")
	if !slices.Equal(r.Scopes, []string{"codecommit:ListRepositories"}) || len(r.Missing) != 0 ||
		!slices.Equal(r.Unverified, []string{"codecommit:CreateBranch", "codecommit:CreatePullRequest"}) {
		t.Errorf("scopes %v missing %v unverified %v", r.Scopes, r.Missing, r.Unverified)
	}
	if !slices.Equal(awsSortedCalls(a), awsUserCalls) {
		t.Errorf("calls = %v", a.Calls())
	}
}

func TestCodeCommitWithoutSimulatorOrListingSaysSo(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsNoListKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Insufficient, "could not verify", "It may not list repositories in us-east-1 (codecommit:ListRepositories) either.")
	if len(r.Scopes) != 0 {
		t.Errorf("scopes = %v", r.Scopes)
	}
}

// TestCodeCommitIAMServerErrorCouldNotCheck: a 5xx from the policy
// simulator says nothing about the permissions, so the verdict is "could
// not check" (3), which a script retries, not "insufficient" (1), which
// sends it off to change policies.
func TestCodeCommitIAMServerErrorCouldNotCheck(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsIAMDownKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Unchecked, "could not check that it may create branches and pull requests: AWS IAM answered with a server error (500 Internal Server Error)",
		"Test again in a few minutes", "gitpat could not count the access keys of IAM user jira-codecommit; AWS allows two per user.")
	if len(r.Missing) != 0 || len(r.Unverified) != 2 {
		t.Errorf("missing = %v, unverified = %v", r.Missing, r.Unverified)
	}
}

func TestCodeCommitUserWithTwoKeysWarns(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsTwoKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Sufficient, "IAM user jira-codecommit has 2 access keys, the most AWS allows: this one and AKIA…WXYZ (inactive).",
		"delete the other first", "section=security_credentials")
	if !awsFinding(r, Warn, "the most AWS allows") {
		t.Errorf("no warning:\n%s", r.JSON())
	}
}

func TestCodeCommitKeyListNotAllowed(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsKeysHidden, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Sufficient, "could not count the access keys of IAM user jira-codecommit (it may not call iam:ListAccessKeys); AWS allows two per user.")
}

func TestCodeCommitRegionWithoutRepositories(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsEmptyKey, awsSecret, map[string]string{"region": "eu-west-1"}, 5*time.Second)
	wantAWS(t, r, Sufficient, "There are no CodeCommit repositories in eu-west-1.", "Pick the region where your repositories are.")
	want := []string{"codecommit eu-west-1 ListRepositories", "iam us-east-1 ListAccessKeys",
		"iam us-east-1 SimulatePrincipalPolicy", "sts us-east-1 GetCallerIdentity"}
	if !slices.Equal(awsSortedCalls(a), want) {
		t.Errorf("calls = %v", a.Calls())
	}
}

func TestCodeCommitRegionNotEnabled(t *testing.T) {
	a := awsFake(t)
	a.DisabledRegions = []string{"me-south-1"}
	r := checkAWS(t, a, awsOKKey, awsSecret, map[string]string{"region": " ME-South-1 "}, 5*time.Second)
	wantAWS(t, r, Insufficient, "CodeCommit in me-south-1 does not accept the key although AWS STS does", "enable me-south-1")
}

func TestCodeCommitUserFieldMismatchWarns(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsOKKey, awsSecret, map[string]string{"user": "alice"}, 5*time.Second)
	wantAWS(t, r, Sufficient, "The key belongs to IAM user jira-codecommit, not to alice as entered.")
}

func TestCodeCommitTemporaryKeyIsNotSent(t *testing.T) {
	a := awsFake(t)
	r := checkAWS(t, a, awsTempKey, awsSecret, nil, 5*time.Second)
	wantAWS(t, r, Rejected, "temporary access key (ASIA…)", "session token", "did not send it", "long-term access key (starting with AKIA)")
	if len(a.Requests()) != 0 || r.TokenKind != "temporary access key" {
		t.Errorf("requests %v kind %q", a.Requests(), r.TokenKind)
	}
}

func TestCodeCommitRefusesOtherShapesWithoutSendingThem(t *testing.T) {
	a := awsFake(t)
	for _, tc := range []struct {
		name, keyID, secret string
		o                   Outcome
		want                string
	}{
		{"GitHub token as key ID", "ghp_CANARYc1a55icCANARYc1a55icCANARY0001", awsSecret, Rejected, "looks like a GitHub personal access token"},
		{"GitLab token as secret", awsOKKey, "glpat-CANARYxxxxxxxxxxxxxx", Rejected, "looks like a GitLab personal access token"},
		{"fields swapped", awsSecret, awsOKKey, BadInput, "are swapped"},
		{"key ID twice", awsOKKey, awsOKKey, BadInput, "secret access key field holds an access key ID"},
		{"not a key ID", "canary-key", awsSecret, BadInput, "pasted as the access key ID is not one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := checkAWS(t, a, tc.keyID, tc.secret, nil, 5*time.Second)
			wantAWS(t, r, tc.o, tc.want)
		})
	}
	if len(a.Requests()) != 0 {
		t.Errorf("requests = %v", a.Requests())
	}
}

func TestCodeCommitBadRegionOrEndpoint(t *testing.T) {
	a := awsFake(t)
	for _, tc := range []struct {
		name   string
		fields map[string]string
		want   string
		http   bool
	}{
		{"region with spaces", map[string]string{"region": "eu west 1"}, `"eu west 1" is not an AWS region name`, false},
		{"region typo", map[string]string{"region": "europe"}, "is not an AWS region name", false},
		{"endpoint scheme", map[string]string{"url": "ftp://localhost"}, "must start with https://", false},
		{"plain http", map[string]string{"url": "http://127.0.0.1:4566"}, "unencrypted", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := checkAWS(t, a, awsOKKey, awsSecret, tc.fields, 5*time.Second)
			wantAWS(t, r, BadInput, tc.want)
			if r.NeedsHTTPConsent != tc.http {
				t.Errorf("needs http consent = %v", r.NeedsHTTPConsent)
			}
		})
	}
	if len(a.Requests()) != 0 {
		t.Errorf("requests = %v", a.Requests())
	}
}

func TestCodeCommitFaults(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault hoststest.Fault
		want  []string
	}{
		{"502 HTML", hoststest.BadGateway, []string{"AWS STS answered with a server error (502 Bad Gateway)", "not about your token"}},
		{"login page", hoststest.LoginPage, []string{"did not answer like AWS STS (200 OK)", "sign-in page"}},
		{"not found", hoststest.NotFound, []string{"did not answer like AWS STS (404 Not Found)", "endpoint address"}},
		{"malformed", hoststest.MalformedJSON, []string{"did not answer like AWS STS (200 OK)"}},
		{"20 MB body", hoststest.Huge, []string{"far larger answer"}},
		{"redirect elsewhere", hoststest.RedirectElsewhere, []string{"redirected to http://localhost:", "did not follow"}},
		{"redirect to http", hoststest.RedirectHTTP, []string{"redirected to http://127.0.0.1:", "did not follow"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := awsFake(t)
			a.SetFault(tc.fault)
			r := checkAWS(t, a, awsOKKey, awsSecret, nil, 5*time.Second)
			wantAWS(t, r, Unchecked, tc.want...)
			if len(a.Requests()) != 1 {
				t.Errorf("requests = %v", a.Requests())
			}
		})
	}
}

func TestCodeCommitEndpointThatNeverAnswersTimesOut(t *testing.T) {
	a := awsFake(t)
	a.SetFault(hoststest.Hang)
	r := checkAWS(t, a, awsOKKey, awsSecret, nil, 300*time.Millisecond)
	wantAWS(t, r, Unchecked, "AWS STS (127.0.0.1:", "did not answer in time", "proxy")
}

func TestCodeCommitUnknownCertificateAuthority(t *testing.T) {
	a := awsFake(t)
	c, _ := httpx.New(httpx.Options{})
	r := CodeCommit.Check(context.Background(), Env{HTTP: c}, Request{
		Fields:  map[string]string{"url": a.URL},
		Secrets: []secret.Value{secret.New(awsOKKey), secret.New(awsSecret)},
	})
	assertNoAWSSecret(t, r, awsOKKey, awsSecret)
	wantAWS(t, r, Unchecked, "not signed by an authority this computer trusts")
	if len(a.Requests()) != 0 {
		t.Errorf("a request reached the server over an unverified connection: %v", a.Requests())
	}
}

// awsRouted sends every request for AWS's real endpoints to the fake,
// keeping the Host the SDK signed, and records the hosts; hosts in
// noDNS fail as a name that does not resolve.
func awsRouted(t *testing.T, a *hoststest.AWS, noDNS ...string) (func(*http.Request) (*http.Response, error), func() []string) {
	c, err := httpx.New(httpx.Options{CAFile: a.CAFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var hosts []string
	send := awsSend(c)
	return func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			hosts = append(hosts, req.URL.Host)
			mu.Unlock()
			if slices.Contains(noDNS, req.URL.Host) {
				return nil, &httpx.Error{Kind: httpx.KindDNS, Host: req.URL.Host}
			}
			out := req.Clone(req.Context())
			out.Host = req.URL.Host
			out.URL.Host = strings.TrimPrefix(a.URL, "https://")
			return send(out)
		}, func() []string {
			mu.Lock()
			defer mu.Unlock()
			h := slices.Clone(hosts)
			slices.Sort(h)
			return h
		}
}

func TestCodeCommitUsesAWSEndpointsForTheRegion(t *testing.T) {
	a := awsFake(t)
	do, hosts := awsRouted(t, a)
	s := newAWSSession(do, awsOKKey, awsSecret, "eu-central-1", "")
	r := s.check(context.Background(), &Report{}, awsNow)
	r.settle()
	assertNoAWSSecret(t, r, awsOKKey, awsSecret)
	wantAWS(t, r, Sufficient, "It can list 2 repositories in eu-central-1")
	want := []string{"codecommit.eu-central-1.amazonaws.com", "iam.amazonaws.com", "iam.amazonaws.com", "sts.us-east-1.amazonaws.com"}
	if !slices.Equal(hosts(), want) {
		t.Errorf("hosts = %v, want %v", hosts(), want)
	}
}

func TestCodeCommitRegionWithoutCodeCommitSaysPickAnother(t *testing.T) {
	a := awsFake(t)
	do, _ := awsRouted(t, a, "codecommit.xx-nowhere-7.amazonaws.com")
	s := newAWSSession(do, awsOKKey, awsSecret, "xx-nowhere-7", "")
	r := s.check(context.Background(), &Report{}, awsNow)
	r.settle()
	wantAWS(t, r, Insufficient, "CodeCommit does not run in xx-nowhere-7: its endpoint codecommit.xx-nowhere-7.amazonaws.com does not exist.",
		"Pick the region where your repositories are.")
}

func TestCodeCommitNoNetworkAtAll(t *testing.T) {
	a := awsFake(t)
	do, _ := awsRouted(t, a, "sts.us-east-1.amazonaws.com")
	s := newAWSSession(do, awsOKKey, awsSecret, "us-east-1", "")
	r := s.check(context.Background(), &Report{}, awsNow)
	r.settle()
	wantAWS(t, r, Unchecked, "The server name sts.us-east-1.amazonaws.com cannot be found.", "you are online")
}

func TestCodeCommitFailureNeverShowsTheAnswer(t *testing.T) {
	s := newAWSSession(nil, awsOKKey, awsSecret, "us-east-1", "")
	for _, code := range []string{"Some.Code", "<script>", strings.Repeat("x", 80), ""} {
		_, f := s.failure(&awsAPIError{code: code, msg: "echo " + awsSecret}, "AWS STS", s.stsNet)
		if strings.Contains(f.Text+f.Fix, "echo") || strings.Contains(f.Text, "<script>") || f.Text == "" {
			t.Errorf("code %q: %q", code, f.Text)
		}
	}
}

type awsAPIError struct{ code, msg string }

func (e *awsAPIError) Error() string                 { return e.code + ": " + e.msg }
func (e *awsAPIError) ErrorCode() string             { return e.code }
func (e *awsAPIError) ErrorMessage() string          { return e.msg }
func (e *awsAPIError) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

func TestCodeCommitRegionNames(t *testing.T) {
	for in, want := range map[string]string{"": "us-east-1", " EU-West-1 ": "eu-west-1", "us-gov-west-1": "us-gov-west-1",
		"cn-north-1": "cn-north-1", "ap-southeast-5": "ap-southeast-5"} {
		if got, err := codecommitRegion(in); err != nil || got != want {
			t.Errorf("%q: %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"europe", "eu-west", "eu_west_1", "us-east-1a", "\x1b[31m", strings.Repeat("ab-", 20) + "1"} {
		if _, err := codecommitRegion(in); err == nil || strings.Contains(err.Error(), "\x1b") {
			t.Errorf("%q accepted or echoed", in)
		}
	}
	if awsGlobalRegion("eu-west-1") != "us-east-1" || awsGlobalRegion("cn-north-1") != "cn-north-1" {
		t.Error("global region")
	}
}

// TestSecretAccessKeysAreNotClassified keeps Classify from claiming a
// 40-character secret access key for another host, which would refuse it
// before sending.
func TestSecretAccessKeysAreNotClassified(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
	seed := uint32(2463534242)
	for i := range 5000 {
		b := make([]byte, 40)
		for j := range b {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			b[j] = alphabet[int(seed)%len(alphabet)]
		}
		if i%3 == 0 {
			copy(b, "AKIA") // a secret may start like a key ID; it is twice as long
		}
		if i%5 == 0 {
			b = bytes.ToLower(b) // as a legacy Azure DevOps token's alphabet, but 40 long, not 52
		}
		if fam := Classify(string(b)).Family; fam != "" {
			t.Fatalf("a secret access key classifies as %s", fam)
		}
	}
}

func FuzzParseAWSARN(f *testing.F) {
	for _, s := range []string{"arn:aws:iam::123456789012:user/jira", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:user/path/to/jira",
		"arn:aws:sts::123456789012:assumed-role/Admin/session", "arn:aws-cn:iam::123456789012:user/x", "arn:aws:iam::12345:user/x", "arn:aws:iam::123456789012:user/", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := parseAWSARN(s)
		if !ok {
			return
		}
		if p.ARN != s || len(p.Account) != 12 || !slices.Contains([]string{"root", "user", "other"}, p.Kind) {
			t.Errorf("%q → %+v", s, p)
		}
		if p.Kind == "user" && (p.Name == "" || strings.Contains(p.Name, "/") || !strings.Contains(s, ":iam::")) {
			t.Errorf("%q → user %q", s, p.Name)
		}
		if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r > '~' }) {
			t.Errorf("%q accepted with unprintable characters", s)
		}
	})
}

// FuzzCodeCommitAnswers feeds arbitrary answers to the SDK's parsers and
// the check: it must not panic, must settle on an outcome and must never
// show the key.
func FuzzCodeCommitAnswers(f *testing.F) {
	f.Add([]byte(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/jira</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`),
		[]byte(`<SimulatePrincipalPolicyResponse><SimulatePrincipalPolicyResult><EvaluationResults><member><EvalActionName>codecommit:CreateBranch</EvalActionName><EvalDecision>allowed</EvalDecision></member></EvaluationResults></SimulatePrincipalPolicyResult></SimulatePrincipalPolicyResponse>`),
		[]byte(`{"repositories":[{"repositoryName":"a"}],"nextToken":"x"}`), uint16(200))
	f.Add([]byte(`<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Signature expired: now</Message></Error></ErrorResponse>`),
		[]byte(`<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>`), []byte(`{"__type":"UnrecognizedClientException"}`), uint16(403))
	f.Add([]byte(`<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:root</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`),
		[]byte(`<ListAccessKeysResponse><ListAccessKeysResult><AccessKeyMetadata><member><AccessKeyId>AKIACANARYGOODKEY222</AccessKeyId><CreateDate>2030-01-01T00:00:00Z</CreateDate></member></AccessKeyMetadata></ListAccessKeysResult></ListAccessKeysResponse>`),
		[]byte(`{"repositories":null}`), uint16(500))
	f.Fuzz(func(t *testing.T, stsBody, iamBody, ccBody []byte, status uint16) {
		do := func(req *http.Request) (*http.Response, error) {
			body, ct, code := iamBody, "text/xml", int(status)%400+200
			switch {
			case strings.HasPrefix(req.URL.Host, "sts."):
				body = stsBody
				if strings.Contains(string(stsBody), "GetCallerIdentityResult") {
					code = 200
				}
			case strings.HasPrefix(req.URL.Host, "codecommit."):
				body, ct = ccBody, "application/x-amz-json-1.1"
			}
			return &http.Response{StatusCode: code, Header: http.Header{"Content-Type": {ct}}, Body: io.NopCloser(bytes.NewReader(body)), Request: req}, nil
		}
		s := newAWSSession(do, awsOKKey, awsSecret, "us-east-1", "")
		s.repos = []string{"jira-sync", "a"} // the same answers for the per-repository requests
		r := s.check(context.Background(), &Report{}, awsNow)
		r.settle()
		if r.Outcome > Unchecked || r.Summary == "" {
			t.Errorf("outcome %d summary %q", r.Outcome, r.Summary)
		}
		if n := len(r.Repositories); n != 0 && n != 2 {
			t.Errorf("%d repositories in %s", n, r.JSON())
		}
		for _, rp := range r.Repositories {
			if rp.Findings == nil || rp.Found != nil && !*rp.Found && (isTrue(rp.Read) || isTrue(rp.Branch) || isTrue(rp.PullRequest)) {
				t.Errorf("repository %+v", rp)
			}
		}
		for _, f := range r.Findings {
			if f.Text == "" {
				t.Errorf("empty finding in %s", r.JSON())
			}
		}
		// The answers may echo the key ID (the fuzzer learns it from
		// comparisons); the secret is never sent, so it must never show.
		if out := string(r.JSON()) + r.Text(awsNow); strings.Contains(out, awsSecret) {
			t.Fatalf("the report shows the secret:\n%s", out)
		}
	})
}
