package hosts_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
)

// Canary Atlassian API tokens and app passwords: their real shapes
// (ATATT3xFfGF0…=8 hex digits; ATBB and 32 characters), never real ones.
const (
	bbEmail       = "jira@example.com"
	bbToken       = "ATATT3xFfGF0CANARYbbcloudCANARYbbcloudCANARYbbcloud0001=0A1B2C3D"
	bbNoPRWrite   = "ATATT3xFfGF0CANARYnoprwCANARYnoprwCANARYnoprwCANARYnopr=1B2C3D4E"
	bbNoUser      = "ATATT3xFfGF0CANARYnouserCANARYnouserCANARYnouserCANARYn=2C3D4E5F"
	bbExpired     = "ATATT3xFfGF0CANARYexpiredCANARYexpiredCANARYexpiredCANA=3D4E5F60"
	bbQuiet       = "ATATT3xFfGF0CANARYquietCANARYquietCANARYquietCANARYquiet=4E5F6071"
	bbLonely      = "ATATT3xFfGF0CANARYlonelyCANARYlonelyCANARYlonelyCANARYlo=5F607182"
	bbLimited     = "ATATT3xFfGF0CANARYlimitCANARYlimitCANARYlimitCANARYlimit=60718293"
	bbAppPassword = "ATBBCANARYappCANARYappCANARYapp0012345678"
	bbOldAppPass  = "CANARYoldAppPassw0rd"
	bbAccessToken = "ATCTT3xFfGN0CANARYaccessCANARYaccessCANARYaccessCANARYacc=7182930A"
)

// bbAllScopes are every scope the integration needs.
var bbAllScopes = []string{"read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket",
	"write:repository:bitbucket", "read:pullrequest:bitbucket", "write:pullrequest:bitbucket"}

func bbWithout(scope string) []string {
	return slices.DeleteFunc(slices.Clone(bbAllScopes), func(s string) bool { return s == scope })
}

func bitbucketFake(t *testing.T) *hoststest.BitbucketCloud {
	return hoststest.NewBitbucketCloud(t, map[string]hoststest.BitbucketToken{
		bbToken:       {Email: bbEmail, Scopes: bbAllScopes},
		bbNoPRWrite:   {Email: bbEmail, Scopes: bbWithout("write:pullrequest:bitbucket")},
		bbNoUser:      {Email: bbEmail, Scopes: bbWithout("read:user:bitbucket")},
		bbExpired:     {Email: bbEmail, Scopes: bbAllScopes, Refused: true},
		bbQuiet:       {Email: bbEmail, Scopes: bbAllScopes, NoGranted: true},
		bbLonely:      {Email: bbEmail, Scopes: bbAllScopes, NoWorkspaces: true},
		bbLimited:     {Email: bbEmail, Scopes: bbAllScopes, RateLimited: true},
		bbAppPassword: {Email: bbEmail, Scopes: bbAllScopes},
		bbOldAppPass:  {Email: bbEmail, AppPassword: true},
	})
}

// checkBitbucket runs the Bitbucket Cloud check against the fake with the
// email, an expiry date and the clock at.
func checkBitbucket(t *testing.T, b *hoststest.BitbucketCloud, email, expires, token string, at time.Time) *hosts.Report {
	t.Helper()
	req := hosts.Request{Fields: map[string]string{"url": b.URL, "user": email, "expires": expires}}
	return runCheck(t, hosts.BitbucketCloud, req, []string{token}, b.CAFile(t), at, 5*time.Second)
}

func TestBitbucketCloudTokenWithEveryScopeIsSufficient(t *testing.T) {
	b := bitbucketFake(t)
	r := checkBitbucket(t, b, bbEmail, "2027-03-01", bbToken, now)
	wantOutcome(t, r, hosts.Sufficient, "signs in as Jira Integration (jira-integration) with jira@example.com",
		"Workspaces it sees (2): acme, acme-tools", "3 in the first workspace, such as acme/billing", "every Bitbucket scope", "expires on 2027-03-01")
	if r.User != bbEmail || r.TokenKind != "API token" || len(r.Missing) != 0 || len(r.Unverified) != 0 {
		t.Errorf("user %q kind %q missing %v unverified %v", r.User, r.TokenKind, r.Missing, r.Unverified)
	}
	if !slices.Equal(r.Scopes, bbAllScopes) {
		t.Errorf("scopes = %v, want what Bitbucket listed as granted", r.Scopes)
	}
	if r.ExpiresAt == nil || r.ExpiresAt.Format("2006-01-02") != "2027-03-01" {
		t.Errorf("expires_at = %v", r.ExpiresAt)
	}
	want := []string{"GET /2.0/repositories/acme", "GET /2.0/snippets/acme", "GET /2.0/user", "GET /2.0/user/workspaces"}
	if got := sorted(b.Requests()); !slices.Equal(got, want) {
		t.Errorf("requests = %v, want %v", got, want)
	}
}

func TestBitbucketCloudTokenMissingAScopeNamesItAndWhatItIsFor(t *testing.T) {
	b := bitbucketFake(t)
	r := checkBitbucket(t, b, bbEmail, "", bbNoPRWrite, now)
	wantOutcome(t, r, hosts.Insufficient, "lacks write:pullrequest:bitbucket (create pull requests)", "cannot change a token's scopes")
	if !slices.Equal(r.Missing, []string{"write:pullrequest:bitbucket"}) || len(r.Unverified) != 0 {
		t.Errorf("missing %v unverified %v", r.Missing, r.Unverified)
	}
}

func TestBitbucketCloudTokenWithoutReadUserStillSignsIn(t *testing.T) {
	b := bitbucketFake(t)
	r := checkBitbucket(t, b, bbEmail, "", bbNoUser, now)
	wantOutcome(t, r, hosts.Insufficient, "Bitbucket accepts jira@example.com with this token", "lacks read:user:bitbucket (tell whose token it is)")
	if !slices.Equal(r.Missing, []string{"read:user:bitbucket"}) || !r.Valid {
		t.Errorf("missing %v valid %v", r.Missing, r.Valid)
	}
}

func TestBitbucketCloudRefusedTokens(t *testing.T) {
	b := bitbucketFake(t)
	for _, tc := range []struct {
		name, email, expires, token string
		says                        []string
	}{
		{"expired or revoked", bbEmail, "", bbExpired, []string{"does not accept this email and token (\"Token is invalid, expired, or not supported for this endpoint\")", "without scopes"}},
		{"past the entered expiry", bbEmail, "2026-11-01", bbExpired, []string{"has passed: that explains the refusal"}},
		{"right token, wrong email", "someone@example.com", "", bbToken, []string{"belongs to another Atlassian account than someone@example.com"}},
		{"unknown token", bbEmail, "", "ATATT3xFfGF0CANARYunknownCANARYunknownCANARYunknownCANA=0F0F0F0F", []string{"mistyped, expired or revoked"}},
		{"app password after its removal", bbEmail, "", bbOldAppPass, []string{"(\"Login failed due to incorrect login credentials or method\")", "does not look like an Atlassian API token", "removed app passwords on 2026-07-28"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := checkBitbucket(t, b, tc.email, tc.expires, tc.token, now)
			wantOutcome(t, r, hosts.Rejected, tc.says...)
			if r.Valid {
				t.Error("a refused token is valid")
			}
		})
	}
}

func TestBitbucketCloudAppPasswordAfterRemovalIsNotSent(t *testing.T) {
	b := bitbucketFake(t)
	r := checkBitbucket(t, b, bbEmail, "", bbAppPassword, now)
	wantOutcome(t, r, hosts.Rejected, "removed them on 2026-07-28", "gitpat did not send it", "Create an Atlassian API token")
	if len(b.Requests()) != 0 {
		t.Errorf("the app password was sent: %v", b.Requests())
	}
}

func TestBitbucketCloudAppPasswordBeforeRemovalWarnsItEnds(t *testing.T) {
	b := bitbucketFake(t)
	before := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	r := checkBitbucket(t, b, bbEmail, "", bbAppPassword, before)
	wantOutcome(t, r, hosts.Insufficient, "removes app passwords on 2026-07-28, in 56 days")
	if r.TokenKind != "app password" {
		t.Errorf("token kind %q", r.TokenKind)
	}
}

func TestBitbucketCloudAccessTokenIsExplainedNotSent(t *testing.T) {
	b := bitbucketFake(t)
	r := checkBitbucket(t, b, bbEmail, "", bbAccessToken, now)
	wantOutcome(t, r, hosts.Rejected, "repository, project or workspace access token", "did not send it")
	if len(b.Requests()) != 0 {
		t.Errorf("requests %v", b.Requests())
	}
}

func TestBitbucketCloudScopesBitbucketDoesNotListAreUnproven(t *testing.T) {
	b := bitbucketFake(t)
	r := checkBitbucket(t, b, bbEmail, "", bbQuiet, now)
	wantOutcome(t, r, hosts.Insufficient, "could not prove write:repository:bitbucket, read:pullrequest:bitbucket, write:pullrequest:bitbucket")
	want := []string{"write:repository:bitbucket", "read:pullrequest:bitbucket", "write:pullrequest:bitbucket"}
	if !slices.Equal(r.Unverified, want) || len(r.Missing) != 0 {
		t.Errorf("unverified %v missing %v", r.Unverified, r.Missing)
	}
	if !slices.Equal(r.Scopes, []string{"read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket"}) {
		t.Errorf("scopes = %v, want what the answers proved", r.Scopes)
	}
}

func TestBitbucketCloudAccountInNoWorkspace(t *testing.T) {
	b := bitbucketFake(t)
	r := checkBitbucket(t, b, bbEmail, "", bbLonely, now)
	wantOutcome(t, r, hosts.Insufficient, "sees no workspace")
	if !hasLevel(r, hosts.Warn, "no workspace") || len(r.Unverified) == 0 {
		t.Errorf("unverified %v:\n%s", r.Unverified, r.JSON())
	}
	if got := sorted(b.Requests()); !slices.Equal(got, []string{"GET /2.0/user", "GET /2.0/user/workspaces"}) {
		t.Errorf("requests = %v", got)
	}
}

func TestBitbucketCloudRateLimited(t *testing.T) {
	b := bitbucketFake(t)
	r := checkBitbucket(t, b, bbEmail, "", bbLimited, now)
	wantOutcome(t, r, hosts.Unchecked, "request limit", "Wait 60 seconds")
}

func TestBitbucketCloudUserNameIsNotAnEmail(t *testing.T) {
	b := bitbucketFake(t)
	for _, user := range []string{"", "jira-integration", "jira integration@example.com"} {
		r := checkBitbucket(t, b, user, "", bbToken, now)
		wantOutcome(t, r, hosts.BadInput, "email")
	}
	if len(b.Requests()) != 0 {
		t.Errorf("sent without a usable email: %v", b.Requests())
	}
}

func TestBitbucketCloudExpiryDates(t *testing.T) {
	b := bitbucketFake(t)
	r := checkBitbucket(t, b, bbEmail, "", bbToken, now)
	if !r.ExpiryUnknown || r.ExpiresAt != nil {
		t.Errorf("no date entered: unknown %v at %v", r.ExpiryUnknown, r.ExpiresAt)
	}
	wantOutcome(t, r, hosts.Sufficient, "does not let a token reveal its expiry date")
	r = checkBitbucket(t, b, bbEmail, "2028-06-01", bbToken, now)
	wantOutcome(t, r, hosts.Sufficient, "last at most a year, so 2028-06-01 cannot be")
	r = checkBitbucket(t, b, bbEmail, "2026-11-28", bbToken, now)
	wantOutcome(t, r, hosts.Sufficient, "expires on 2026-11-28")
	if !hasLevel(r, hosts.Warn, "expires on 2026-11-28") {
		t.Errorf("no warning 3 days before expiry:\n%s", r.JSON())
	}
	r = checkBitbucket(t, b, bbEmail, "next week", bbToken, now)
	wantOutcome(t, r, hosts.BadInput, "cannot read the expiry date")
}

func TestBitbucketCloudTokenPageAndData(t *testing.T) {
	page, err := hosts.BitbucketCloud.TokenPage(hosts.Request{})
	if err != nil || page != "https://id.atlassian.com/manage-profile/security/api-tokens" {
		t.Errorf("token page %q, %v", page, err)
	}
	v := hosts.BitbucketCloud.Variants[0]
	if !v.HasField("user") || !v.HasField("expires") {
		t.Fatal("the tab asks for no email or expiry")
	}
	for _, f := range v.Fields {
		if f.Key == "user" && (!f.WithSecret || f.Optional) {
			t.Error("the email is not a required field beside the token")
		}
	}
	for _, s := range bbAllScopes {
		found := false
		for _, st := range hosts.BitbucketCloud.Steps {
			found = found || strings.Contains(st.Text, strings.TrimSuffix(s, ":bitbucket"))
		}
		if !found {
			t.Errorf("no step names %s", s)
		}
	}
}
