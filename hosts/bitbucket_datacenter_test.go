package hosts_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/secret"
)

// Canary HTTP access tokens of the classic form, base64 of "ID:" and 20
// bytes (the canary text), and one of the prefixed form.
var (
	dcToken       = hoststest.BitbucketDCTokenFor("158910532909", "CANARYdcok")
	dcReadOnly    = hoststest.BitbucketDCTokenFor("158910532910", "CANARYdcread")
	dcPrivate     = hoststest.BitbucketDCTokenFor("158910532911", "CANARYdcpriv")
	dcPrivateRead = hoststest.BitbucketDCTokenFor("158910532912", "CANARYdcprrd")
	dcRefused     = hoststest.BitbucketDCTokenFor("158910532913", "CANARYdcrefd")
	dcProject     = hoststest.BitbucketDCTokenFor("158910532914", "CANARYdcproj")
	dcForever     = hoststest.BitbucketDCTokenFor("158910532915", "CANARYdcnever")
	dcPrefixed    = "BBDC-CANARYdcprefixedCANARYdcprefixedCANARYdcprefix01"
)

var dcCreated = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

func bitbucketDCFake(t *testing.T, o hoststest.BitbucketDCOptions) *hoststest.BitbucketDC {
	o.Tokens = map[string]hoststest.BitbucketDCToken{
		dcToken:       {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_WRITE"}, ExpiryDays: 90, Created: dcCreated},
		dcReadOnly:    {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_READ"}, ExpiryDays: 90, Created: dcCreated},
		dcPrivate:     {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_WRITE"}, Private: true},
		dcPrivateRead: {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_READ"}, Private: true},
		dcRefused:     {User: "jira-bot", Refused: true},
		dcProject:     {Permissions: []string{"REPO_WRITE"}},
		dcForever:     {User: "jira-bot", Permissions: []string{"PROJECT_ADMIN", "REPO_ADMIN"}, Created: dcCreated},
		dcPrefixed:    {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_WRITE"}},
	}
	return hoststest.NewBitbucketDC(t, o)
}

func checkBitbucketDC(t *testing.T, b *hoststest.BitbucketDC, serverURL, user, token string) *hosts.Report {
	t.Helper()
	req := hosts.Request{Fields: map[string]string{"url": serverURL, "user": user}}
	return runCheck(t, hosts.BitbucketDataCenter, req, []string{token}, b.CAFile(t), now, 5*time.Second)
}

func TestBitbucketDCTokenWithRepositoryWriteIsSufficient(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{})
	r := checkBitbucketDC(t, b, b.Web(), "jira-bot", dcToken)
	wantOutcome(t, r, hosts.Sufficient, "Bitbucket 8.7.0", "signs in as jira-bot", "It is the HTTP access token \"Jira\"",
		"has Repository write", "Repositories it may write to: ACME/billing, ACME/web", "expires on 2027-01-30")
	if r.User != "jira-bot" || !slices.Equal(r.Scopes, []string{"Project read", "Repository write"}) || len(r.Missing)+len(r.Unverified) != 0 {
		t.Errorf("user %q scopes %v missing %v unverified %v", r.User, r.Scopes, r.Missing, r.Unverified)
	}
	// 90 days after 2026-11-01 09:00 UTC.
	if r.ExpiresAt == nil || !r.ExpiresAt.Equal(dcCreated.Add(90*24*time.Hour)) {
		t.Errorf("expires_at = %v", r.ExpiresAt)
	}
	want := []string{"GET /rest/access-tokens/latest/users/jira-bot/158910532909", "GET /rest/api/latest/application-properties", "GET /rest/api/latest/repos"}
	if got := sorted(b.Requests()); !slices.Equal(got, want) {
		t.Errorf("requests = %v", got)
	}
}

func TestBitbucketDCTokenWithoutRepositoryWrite(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{})
	r := checkBitbucketDC(t, b, b.Web(), "", dcReadOnly)
	wantOutcome(t, r, hosts.Insufficient, "lacks Repository write: with Project read and Repository read", "set Repositories to Write")
	if !slices.Equal(r.Missing, []string{"Repository write"}) {
		t.Errorf("missing %v", r.Missing)
	}
}

func TestBitbucketDCTokenWhoseOwnEntryIsHidden(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{})
	r := checkBitbucketDC(t, b, b.Web(), "", dcPrivate)
	wantOutcome(t, r, hosts.Insufficient, "did not let the token read its own permissions and expiry (401 Unauthorized)",
		"lists 2 repositories its user may write to, but gitpat could not read the token's own permissions")
	if !slices.Equal(r.Unverified, []string{"Repository write"}) || len(r.Missing) != 0 || !r.ExpiryUnknown {
		t.Errorf("unverified %v missing %v expiry unknown %v", r.Unverified, r.Missing, r.ExpiryUnknown)
	}

	r = checkBitbucketDC(t, b, b.Web(), "", dcPrivateRead)
	wantOutcome(t, r, hosts.Insufficient, "may not write to any repository")
	if !slices.Equal(r.Missing, []string{"Repository write"}) {
		t.Errorf("missing %v", r.Missing)
	}
}

func TestBitbucketDCRefusedToken(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{})
	for _, token := range []string{dcRefused, hoststest.BitbucketDCTokenFor("999999999999", "CANARYdcunknown")} {
		r := checkBitbucketDC(t, b, b.Web(), "", token)
		wantOutcome(t, r, hosts.Rejected, "does not accept this token (\"Authentication failed. Please check your credentials and try again\")",
			"mistyped, expired or revoked")
	}
}

func TestBitbucketDCTokenOfAnotherUser(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{})
	r := checkBitbucketDC(t, b, b.Web(), "alice", dcToken)
	wantOutcome(t, r, hosts.Insufficient, "belongs to jira-bot, not to alice", "Enter jira-bot as the user name")
	// Same user, other case: Bitbucket user names do not differ by case.
	r = checkBitbucketDC(t, b, b.Web(), "Jira-Bot", dcToken)
	wantOutcome(t, r, hosts.Sufficient)
}

func TestBitbucketDCServerWithoutTokens(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{Version: "5.4.2"})
	r := checkBitbucketDC(t, b, b.Web(), "", dcToken)
	wantOutcome(t, r, hosts.Rejected, "Bitbucket Server 5.4.2 has no HTTP access tokens (they came with 5.5)")
	if got := sorted(b.Requests()); !slices.Equal(got, []string{"GET /rest/api/latest/application-properties", "GET /rest/api/latest/repos"}) {
		t.Errorf("requests = %v", got)
	}
}

func TestBitbucketDCVersionsWithTokens(t *testing.T) {
	for _, v := range []string{"5.5.0", "7.21.4", "9.4.1"} {
		b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{Version: v})
		r := checkBitbucketDC(t, b, b.Web(), "", dcToken)
		wantOutcome(t, r, hosts.Sufficient, "Bitbucket "+v+".")
	}
}

func TestBitbucketDCProjectTokenNamesNoUser(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{})
	r := checkBitbucketDC(t, b, b.Web(), "", dcProject)
	wantOutcome(t, r, hosts.Insufficient, "did not name the token's user", "could not prove the token has Repository write")
	if !slices.Contains(r.Unverified, "whose token it is") || !slices.Contains(r.Unverified, "Repository write") {
		t.Errorf("unverified %v", r.Unverified)
	}
}

func TestBitbucketDCPrefixedTokenCarriesNoReadableID(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{})
	r := checkBitbucketDC(t, b, b.Web(), "jira-bot", dcPrefixed)
	wantOutcome(t, r, hosts.Insufficient, "signs in as jira-bot", "could not prove the token has Repository write")
	for _, req := range b.Requests() {
		if strings.Contains(req, "access-tokens") {
			t.Errorf("asked for a token entry without the token's ID: %v", b.Requests())
		}
	}
}

func TestBitbucketDCTokenWithoutExpiry(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{})
	r := checkBitbucketDC(t, b, b.Web(), "", dcForever)
	wantOutcome(t, r, hosts.Sufficient, "no expiration date")
	if r.ExpiresAt != nil || r.ExpiryUnknown {
		t.Errorf("expires_at %v unknown %v", r.ExpiresAt, r.ExpiryUnknown)
	}
}

func TestBitbucketDCContextPathAndPastedPages(t *testing.T) {
	b := bitbucketDCFake(t, hoststest.BitbucketDCOptions{ContextPath: "/bitbucket"})
	for _, u := range []string{b.Web(), b.Web() + "/", b.Web() + "/projects/ACME/repos/web/browse", b.Web() + "/plugins/servlet/access-tokens/manage"} {
		r := checkBitbucketDC(t, b, u, "", dcToken)
		wantOutcome(t, r, hosts.Sufficient)
		if r.Server != b.Web() {
			t.Errorf("%s: server %q", u, r.Server)
		}
	}
	r := checkBitbucketDC(t, b, b.URL, "", dcToken)
	wantOutcome(t, r, hosts.Unchecked, "There is no Bitbucket API at", "context path")
}

func TestBitbucketDCPlainHTTPNeedsConsent(t *testing.T) {
	r := hosts.BitbucketDataCenter.Check(t.Context(), hosts.Env{}, hosts.Request{Fields: map[string]string{"url": "http://bitbucket.example.com"},
		Secrets: secrets(dcToken)})
	if r.Outcome != hosts.BadInput || !r.NeedsHTTPConsent {
		t.Errorf("outcome %d consent %v", r.Outcome, r.NeedsHTTPConsent)
	}
}

func TestBitbucketDCTokenPageAndCloudAddress(t *testing.T) {
	page, err := hosts.BitbucketDataCenter.TokenPage(hosts.Request{Fields: map[string]string{"url": "https://example.com/bitbucket/projects/ACME"}})
	if err != nil || page != "https://example.com/bitbucket/plugins/servlet/access-tokens/manage" {
		t.Errorf("token page %q, %v", page, err)
	}
	if _, err := hosts.BitbucketDataCenter.TokenPage(hosts.Request{Fields: map[string]string{"url": "https://bitbucket.org/acme"}}); err == nil ||
		!strings.Contains(err.Error(), "Bitbucket Cloud tab") {
		t.Errorf("bitbucket.org: %v", err)
	}
}

// secrets wraps credentials for a Request.
func secrets(values ...string) []secret.Value {
	out := make([]secret.Value, len(values))
	for i, v := range values {
		out[i] = secret.New(v)
	}
	return out
}
