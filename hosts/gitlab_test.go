package hosts_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

// GitLab canary tokens: realistic shapes, never real.
const (
	glAPI      = "glpat-CANARYapiCANARYapi0001"
	glReadAPI  = "glpat-CANARYreadCANARYread01"
	glRepoOnly = "glpat-CANARYrepoCANARYrepo01"
	glExpired  = "glpat-CANARYexpCANARYexp0001"
	glRevoked  = "glpat-CANARYrevCANARYrev0001"
	glInactive = "glpat-CANARYinaCANARYina0001"
	glSoon     = "glpat-CANARYsoonCANARYsoon01"
	glNever    = "glpat-CANARYneverCANARYnever"
	glPast     = "glpat-CANARYpastCANARYpast01"
	glBot      = "glpat-CANARYbotCANARYbot0001"
	glBlocked  = "glpat-CANARYblkCANARYblk0001"
	glLimited  = "glpat-CANARYlimCANARYlim0001"
	glBroken   = "glpat-CANARYbrkCANARYbrk0001"
	glUnknown  = "glpat-CANARYunkCANARYunk0001"
	glAdmin    = "glpat-CANARYadmCANARYadm0001"
	glReadUser = "glpat-CANARYrusCANARYrus0001"
	glUserDown = "glpat-CANARYudnCANARYudn0001"
	// Self-managed servers may use another prefix, or none.
	glNoPrefix     = "CANARYn0pr3f1xCANARY"
	glCustomPrefix = "acme-glpat-CANARYacmeCANARYacme"
)

// glNow is the fixed clock of these tests.
var glNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

var glTokens = map[string]hoststest.GitLabToken{
	glAPI:          {Scopes: []string{"api"}, ExpiresAt: "2027-02-23"},
	glReadAPI:      {Scopes: []string{"read_api", "read_repository"}, ExpiresAt: "2027-02-23"},
	glRepoOnly:     {Scopes: []string{"read_repository"}, ExpiresAt: "2027-02-23"},
	glExpired:      {Scopes: []string{"api"}, Expired: true},
	glRevoked:      {Scopes: []string{"api"}, Revoked: true},
	glInactive:     {Scopes: []string{"api"}, ExpiresAt: "2027-02-23", Inactive: true},
	glSoon:         {Scopes: []string{"api"}, ExpiresAt: "2026-12-01"},
	glNever:        {Scopes: []string{"api", "write_repository"}},
	glPast:         {Scopes: []string{"api"}, ExpiresAt: "2026-11-25"},
	glBot:          {Scopes: []string{"api"}, ExpiresAt: "2027-02-23", Bot: true},
	glBlocked:      {Scopes: []string{"api"}, Blocked: true},
	glLimited:      {Scopes: []string{"api"}, RateLimited: true},
	glBroken:       {Scopes: []string{"api"}, Broken: true},
	glNoPrefix:     {Scopes: []string{"api"}, ExpiresAt: "2027-02-23"},
	glAdmin:        {Scopes: []string{"api"}, ExpiresAt: "2027-02-23", Admin: true},
	glReadUser:     {Scopes: []string{"read_user"}, ExpiresAt: "2027-02-23"},
	glUserDown:     {Scopes: []string{"api"}, ExpiresAt: "2027-02-23", BrokenUser: true},
	glCustomPrefix: {Scopes: []string{"api"}, ExpiresAt: "2027-02-23"},
}

func gitlabFake(t *testing.T, o hoststest.GitLabOptions) *hoststest.GitLab {
	o.Tokens = glTokens
	return hoststest.NewGitLab(t, o)
}

// runGitLab checks token against the self-managed server at serverURL and
// asserts the token is not in the report.
func runGitLab(t *testing.T, g *hoststest.Server, serverURL, token string, timeout time.Duration) *hosts.Report {
	t.Helper()
	req := hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": serverURL}}
	return runCheck(t, hosts.GitLab, req, []string{token}, g.CAFile(t), glNow, timeout)
}

func glRequests(prefix string, extra ...string) []string {
	out := []string{"GET " + prefix + "/api/v4/personal_access_tokens/self", "GET " + prefix + "/api/v4/user", "GET " + prefix + "/api/v4/version"}
	for _, e := range extra {
		out = append(out, "GET "+prefix+"/api/v4"+e)
	}
	slices.Sort(out)
	return out
}

// findingWithLink returns the finding that links to link and says text.
func findingWithLink(r *hosts.Report, link, text string) *hosts.Finding {
	for i, f := range r.Findings {
		if f.Link == link && strings.Contains(f.Text, text) {
			return &r.Findings[i]
		}
	}
	return nil
}

func TestGitLabTokenWithAPIScopeIsSufficient(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glAPI, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient, "It has the api scope", "It is the personal access token \"Jira\", created on 2026-09-01",
		"expires on 2027-02-23, in 89 days", "GitLab 17.5.2-ee.")
	if r.User != "john_smith" || r.Name != "John Smith" || r.TokenKind != "personal access token" || r.Server != g.Web() {
		t.Errorf("user %q name %q kind %q server %q", r.User, r.Name, r.TokenKind, r.Server)
	}
	if !slices.Equal(r.Scopes, []string{"api"}) || len(r.Missing) != 0 || !r.Valid || !r.Sufficient {
		t.Errorf("scopes %v missing %v valid %v sufficient %v", r.Scopes, r.Missing, r.Valid, r.Sufficient)
	}
	// expires_at is a date: the token stops working at 00:00 UTC that day.
	if r.ExpiresAt == nil || !r.ExpiresAt.Equal(time.Date(2027, 2, 23, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("expires_at = %v", r.ExpiresAt)
	}
	if got := sorted(g.Requests()); !slices.Equal(got, glRequests("")) {
		t.Errorf("requests = %v", got)
	}
	for _, f := range r.Findings {
		if strings.Contains(f.Link, "personal_access_tokens") {
			t.Errorf("a current GitLab needs no token page hint: %+v", f)
		}
	}
}

func TestGitLabSendsItsRequestsAtOnce(t *testing.T) {
	// The fake answers none of the three requests before all have arrived.
	g := gitlabFake(t, hoststest.GitLabOptions{Together: 3})
	r := runGitLab(t, g.Server, g.Web(), glAPI, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient)
}

func TestGitLabReadOnlyScopesAreValidButInsufficient(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glReadAPI, 5*time.Second)
	wantOutcome(t, r, hosts.Insufficient, "lacks the api scope: it has only read_api, read_repository",
		"cannot add a scope to an existing token: create a new token with the api scope",
		g.Web()+"/-/user_settings/personal_access_tokens?name=Jira+git+integration&scopes=api")
	if !slices.Equal(r.Missing, []string{"api"}) || !r.Valid || r.Sufficient || r.User != "john_smith" {
		t.Errorf("missing %v valid %v sufficient %v user %q", r.Missing, r.Valid, r.Sufficient, r.User)
	}
}

func TestGitLabReadRepositoryOnlyTokenStillShowsItsScopes(t *testing.T) {
	// /user and /version refuse a read_repository token (403
	// insufficient_scope); /personal_access_tokens/self answers any scope.
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glRepoOnly, 5*time.Second)
	wantOutcome(t, r, hosts.Insufficient, "lacks the api scope: it has only read_repository",
		"did not say whose token it is (user ID 3)", "could not learn this server's GitLab version")
	if !slices.Equal(r.Missing, []string{"api"}) || r.User != "" || !slices.Equal(r.Scopes, []string{"read_repository"}) {
		t.Errorf("missing %v user %q scopes %v", r.Missing, r.User, r.Scopes)
	}
	if findingWithLink(r, g.Web()+"/-/profile/personal_access_tokens?name=Jira+git+integration&scopes=api", "could not learn") == nil {
		t.Errorf("no fallback link to the older token page:\n%s", r.JSON())
	}
}

func TestGitLabExpiredTokenIsRejected(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glExpired, 5*time.Second)
	wantOutcome(t, r, hosts.Rejected, "The token has expired.", "Create a new token with the api scope")
	if r.Valid {
		t.Error("an expired token is valid")
	}
}

func TestGitLabRevokedTokenIsRejected(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glRevoked, 5*time.Second)
	wantOutcome(t, r, hosts.Rejected, "The token was revoked.", "Create a new token")
}

func TestGitLabTokenListedAsRevokedIsRejected(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glInactive, 5*time.Second)
	wantOutcome(t, r, hosts.Rejected, "GitLab lists this token as revoked")
	// The expiry GitLab sent stays in the report.
	if r.ExpiresAt == nil || !r.ExpiresAt.Equal(time.Date(2027, 2, 23, 0, 0, 0, 0, time.UTC)) || r.ExpiryUnknown {
		t.Errorf("expires_at = %v (unknown %v)", r.ExpiresAt, r.ExpiryUnknown)
	}
}

func TestGitLabUnknownTokenIsRejected(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glUnknown, 5*time.Second)
	wantOutcome(t, r, hosts.Rejected, "does not accept this token (\"401 Unauthorized\")", "mistyped", "Copy the token again")
}

func TestGitLabTokenExpiringSoonWarns(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glSoon, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient, "expires on 2026-12-01, in 5 days")
	if !hasLevel(r, hosts.Warn, "expires on 2026-12-01") {
		t.Errorf("no warning for a token expiring in 5 days:\n%s", r.JSON())
	}
}

func TestGitLabTokenWithoutExpiry(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glNever, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient, "no expiration date")
	if r.ExpiresAt != nil || !strings.Contains(string(r.JSON()), `"expires_at": null`) {
		t.Errorf("expires_at = %v", r.ExpiresAt)
	}
	if !slices.Equal(r.Scopes, []string{"api", "write_repository"}) {
		t.Errorf("scopes = %v", r.Scopes)
	}
}

func TestGitLabTokenPastItsExpiryDateIsRejected(t *testing.T) {
	// GitLab itself answers 401 from 00:00 UTC that day; a server whose
	// clock lags may still answer.
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glPast, 5*time.Second)
	wantOutcome(t, r, hosts.Rejected, "It expired on 2026-11-25.")
}

func TestGitLabOldServerWithoutSelfEndpointSaysWhatItCouldNotCheck(t *testing.T) {
	for _, version := range []string{"15.0.5", "14.10.5-ee", "13.12.15"} {
		g := gitlabFake(t, hoststest.GitLabOptions{Version: version})
		r := runGitLab(t, g.Server, g.Web(), glAPI, 5*time.Second)
		wantOutcome(t, r, hosts.Insufficient, "could not verify its scopes or expiry",
			"What gitpat could check: the token works and signs in as john_smith, so it has at least one of api, read_api or read_user",
			"What it could not check: the token's scopes and expiry date. GitLab "+version+" is older than 15.5",
			"check that this token has the api scope")
		if r.User != "john_smith" || len(r.Scopes) != 0 || len(r.Missing) != 0 || !slices.Equal(r.Unverified, []string{"api"}) ||
			r.ExpiresAt != nil || !r.ExpiryUnknown || !r.Valid {
			t.Errorf("%s: user %q scopes %v missing %v unverified %v expires %v (unknown %v) valid %v", version,
				r.User, r.Scopes, r.Missing, r.Unverified, r.ExpiresAt, r.ExpiryUnknown, r.Valid)
		}
		if !strings.Contains(r.Text(glNow), "Expires:    unknown") || !strings.Contains(r.Text(glNow), "Not proven: api") {
			t.Errorf("%s: the text report claims an expiry or hides what is not proven:\n%s", version, r.Text(glNow))
		}
		if got := sorted(g.Requests()); !slices.Equal(got, glRequests("")) {
			t.Errorf("%s: requests = %v", version, got)
		}
	}
}

// TestGitLab15_1To15_4TokenIsNotCalledMistyped: these versions read
// /personal_access_tokens/self as /personal_access_tokens/:id and answer a
// valid token 401 (or, from 15.3, 404 to an administrator's), while /user
// answers 200: the report says what could and could not be verified,
// never "rejected".
func TestGitLab15_1To15_4TokenIsNotCalledMistyped(t *testing.T) {
	for _, tc := range []struct {
		version, token, has string
	}{
		{"15.1.0", glAPI, "so it has api or read_api"},
		{"15.2.5", glAdmin, "so it has api or read_api"}, // 401 to administrators too before 15.3
		{"15.3.1", glAPI, "so it has api or read_api"},
		{"15.3.1", glAdmin, "so it has at least one of api, read_api or read_user"}, // 404
		{"15.4.6-ee", glAPI, "so it has api or read_api"},
		{"15.4.6-ee", glReadAPI, "so it has api or read_api"},
		{"15.4.6-ee", glAdmin, "so it has at least one of api, read_api or read_user"},
	} {
		g := gitlabFake(t, hoststest.GitLabOptions{Version: tc.version})
		r := runGitLab(t, g.Server, g.Web(), tc.token, 5*time.Second)
		page := g.Web() + "/-/profile/personal_access_tokens?name=Jira+git+integration&scopes=api"
		wantOutcome(t, r, hosts.Insufficient, "could not verify its scopes or expiry", "signs in as john_smith, "+tc.has,
			"GitLab "+tc.version+" is older than 15.5, which cannot show them to the token itself", "GitLab "+tc.version+".", page)
		if r.User != "john_smith" || !r.Valid || len(r.Missing) != 0 || !slices.Equal(r.Unverified, []string{"api"}) || !r.ExpiryUnknown {
			t.Errorf("%s %s: user %q valid %v missing %v unverified %v expiry unknown %v", tc.version, tc.token[12:15],
				r.User, r.Valid, r.Missing, r.Unverified, r.ExpiryUnknown)
		}
		for _, f := range r.Findings {
			if strings.Contains(f.Text, "does not accept this token") || strings.Contains(f.Text, "mistyped") {
				t.Errorf("%s: a valid token called mistyped: %q", tc.version, f.Text)
			}
		}
	}
}

func TestGitLab15_1To15_4ProvesMissingAPIFromTheTokenAPIsScopeCheck(t *testing.T) {
	// read_user may read /user but not the token API, which takes api or
	// read_api: 403 insufficient_scope there proves api absent.
	g := gitlabFake(t, hoststest.GitLabOptions{Version: "15.4.6-ee"})
	r := runGitLab(t, g.Server, g.Web(), glReadUser, 5*time.Second)
	wantOutcome(t, r, hosts.Insufficient, "It lacks the api scope: GitLab refused it the personal access token API (403 insufficient_scope)")
	if r.User != "john_smith" || !slices.Equal(r.Missing, []string{"api"}) || len(r.Unverified) != 0 {
		t.Errorf("user %q missing %v unverified %v", r.User, r.Missing, r.Unverified)
	}
	r = runGitLab(t, g.Server, g.Web(), glRepoOnly, 5*time.Second)
	wantOutcome(t, r, hosts.Insufficient, "It lacks the api scope: GitLab refused to say whose token it is")
	if !slices.Equal(r.Missing, []string{"api"}) {
		t.Errorf("missing %v", r.Missing)
	}
}

func TestGitLab15_1To15_4RefusedTokensAreStillRejected(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{Version: "15.4.6-ee"})
	wantOutcome(t, runGitLab(t, g.Server, g.Web(), glUnknown, 5*time.Second), hosts.Rejected, "does not accept this token (\"401 Unauthorized\")")
	wantOutcome(t, runGitLab(t, g.Server, g.Web(), glExpired, 5*time.Second), hosts.Rejected, "The token has expired.")
	wantOutcome(t, runGitLab(t, g.Server, g.Web(), glRevoked, 5*time.Second), hosts.Rejected, "The token was revoked.")
}

func TestGitLab15_1To15_4ServerErrorOnUserIsNotARefusal(t *testing.T) {
	// /self answers 401 to every token there, so only /user could tell a
	// valid token from a wrong one, and it failed.
	g := gitlabFake(t, hoststest.GitLabOptions{Version: "15.2.0"})
	r := runGitLab(t, g.Server, g.Web(), glUserDown, 5*time.Second)
	wantOutcome(t, r, hosts.Unchecked, "server error (500 Internal Server Error)", "not about your token")
}

func TestGitLabOldServerProvesMissingAPIWhenTheUserIsRefused(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{Version: "15.0.5"})
	r := runGitLab(t, g.Server, g.Web(), glRepoOnly, 5*time.Second)
	wantOutcome(t, r, hosts.Insufficient, "It lacks the api scope: GitLab refused to say whose token it is",
		"This GitLab server is older than 15.5")
	if !slices.Equal(r.Missing, []string{"api"}) {
		t.Errorf("missing = %v", r.Missing)
	}
}

func TestGitLabUnknownTokenOnAnOldServerIsRejected(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{Version: "14.10.5"})
	r := runGitLab(t, g.Server, g.Web(), glUnknown, 5*time.Second)
	wantOutcome(t, r, hosts.Rejected, "does not accept this token")
}

func TestGitLabOldServerTokenPageHasNoPrefill(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{Version: "13.12.15"})
	r := runGitLab(t, g.Server, g.Web(), glAPI, 5*time.Second)
	f := findingWithLink(r, g.Web()+"/-/profile/personal_access_tokens", "GitLab 13.12.15 has its token page at an older address")
	if f == nil || !strings.Contains(f.Text, "cannot prefill") || !strings.Contains(f.Fix, g.Web()+"/profile/personal_access_tokens") {
		t.Errorf("no token page for GitLab 13.12:\n%s", r.JSON())
	}
}

func TestGitLabFallsBackToMetadataForTheVersion(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{WithoutVersionRoute: true, Version: "18.2.1"})
	r := runGitLab(t, g.Server, g.Web(), glAPI, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient, "GitLab 18.2.1.")
	if got := sorted(g.Requests()); !slices.Equal(got, glRequests("", "/metadata")) {
		t.Errorf("requests = %v", got)
	}
}

func TestGitLabSubPathInstall(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{SubPath: "/gitlab"})
	web := g.Web()
	for _, u := range []string{web, web + "/", " " + strings.TrimPrefix(web, "https://") + " ", web + "/api/v4", web + "/api/v4/",
		web + "/-/user_settings/personal_access_tokens", web + "/users/sign_in", web + "?nav=1"} {
		r := runGitLab(t, g.Server, u, glAPI, 5*time.Second)
		if r.Outcome != hosts.Sufficient || r.Server != web {
			t.Errorf("url %q: outcome %d server %q\n%s", u, r.Outcome, r.Server, r.JSON())
		}
	}
	for _, req := range g.Requests() {
		if !strings.HasPrefix(req, "GET /gitlab/api/v4/") {
			t.Errorf("request outside the sub-path: %s", req)
		}
	}
}

func TestGitLabSubPathInstallEnteredWithoutItsSubPath(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{SubPath: "/gitlab"})
	r := runGitLab(t, g.Server, g.URL, glAPI, 5*time.Second)
	wantOutcome(t, r, hosts.Unchecked, "There is no GitLab API at "+g.URL+"/api/v4.", "with its sub-path if it has one")
}

func TestGitLabRootInstallEnteredWithASubPath(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	g.SetFault(hoststest.NotFound)
	r := runGitLab(t, g.Server, g.URL+"/gitlab", glAPI, 5*time.Second)
	wantOutcome(t, r, hosts.Unchecked, "There is no GitLab API at "+g.URL+"/gitlab/api/v4.", "if GitLab is at the root of the server, that is "+g.URL)
}

func TestGitLabFaults(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault hoststest.Fault
		want  []string
	}{
		{"502 HTML", hoststest.BadGateway, []string{"server error (502 Bad Gateway)", "not about your token", "GitLab administrator"}},
		{"login page", hoststest.LoginPage, []string{"answered with a web page, not GitLab's API", "sub-path"}},
		{"not found", hoststest.NotFound, []string{"There is no GitLab API at", "Check the server address"}},
		{"malformed JSON", hoststest.MalformedJSON, []string{"There is no GitLab API at"}},
		{"20 MB body", hoststest.Huge, []string{"far larger answer"}},
		{"redirect elsewhere", hoststest.RedirectElsewhere, []string{"redirected to http://localhost:", "did not follow"}},
		{"redirect to http", hoststest.RedirectHTTP, []string{"redirected to http://127.0.0.1:", "did not follow"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := gitlabFake(t, hoststest.GitLabOptions{})
			g.SetFault(tc.fault)
			r := runGitLab(t, g.Server, g.Web(), glAPI, 5*time.Second)
			wantOutcome(t, r, hosts.Unchecked, tc.want...)
		})
	}
}

func TestGitLabServerErrorIsNotAboutTheToken(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glBroken, 5*time.Second)
	wantOutcome(t, r, hosts.Unchecked, "server error (500 Internal Server Error)", "not about your token")
}

func TestGitLabRateLimited(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glLimited, 5*time.Second)
	wantOutcome(t, r, hosts.Unchecked, "request limit", "Wait 42 seconds")
}

func TestGitLabBlockedAccount(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glBlocked, 5*time.Second)
	wantOutcome(t, r, hosts.Rejected, "refused the token: Your account has been blocked.", "GitLab administrator")
}

func TestGitLabProjectAccessTokenWarns(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	r := runGitLab(t, g.Server, g.Web(), glBot, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient, "bot user of a project or group access token")
	if !hasLevel(r, hosts.Warn, "bot user") {
		t.Errorf("not a warning:\n%s", r.JSON())
	}
}

func TestGitLabServerThatNeverAnswersTimesOut(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	g.SetFault(hoststest.Hang)
	r := runGitLab(t, g.Server, g.Web(), glAPI, 300*time.Millisecond)
	wantOutcome(t, r, hosts.Unchecked, "The GitLab server (127.0.0.1:", "did not answer in time", "proxy")
}

func TestGitLabUnknownCertificateAuthority(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	c, _ := httpx.New(httpx.Options{})
	r := hosts.GitLab.Check(context.Background(), hosts.Env{HTTP: c}, hosts.Request{
		Variant: "self-managed", Fields: map[string]string{"url": g.Web()}, Secrets: []secret.Value{secret.New(glAPI)},
	})
	wantOutcome(t, r, hosts.Unchecked, "not signed by an authority this computer trusts", "CA file")
	if len(g.Requests()) != 0 {
		t.Errorf("a request reached the server over an unverified connection: %v", g.Requests())
	}
}

func TestGitLabTokensWithoutTheGlpatPrefixAreChecked(t *testing.T) {
	g := gitlabFake(t, hoststest.GitLabOptions{})
	for _, token := range []string{glNoPrefix, glCustomPrefix} {
		r := runGitLab(t, g.Server, g.Web(), token, 5*time.Second)
		wantOutcome(t, r, hosts.Sufficient, "It has the api scope")
	}
}

func TestGitLabBadServerURL(t *testing.T) {
	for u, want := range map[string]string{
		"":                                   "Enter the server address",
		"ftp://gitlab.example.com":           "must start with https://",
		"https://user:pw@gitlab.example.com": "Remove the user name or password",
		"gitlab example.com":                 "contains a space",
		"https://gitlab.example.com:0":       "port",
	} {
		r := hosts.GitLab.Check(context.Background(), hosts.Env{}, hosts.Request{
			Variant: "self-managed", Fields: map[string]string{"url": u}, Secrets: []secret.Value{secret.New(glAPI)},
		})
		wantOutcome(t, r, hosts.BadInput, want)
	}
}

func TestGitLabPlainHTTPNeedsConsent(t *testing.T) {
	r := hosts.GitLab.Check(context.Background(), hosts.Env{}, hosts.Request{
		Variant: "self-managed", Fields: map[string]string{"url": "http://gitlab.example.com"}, Secrets: []secret.Value{secret.New(glAPI)},
	})
	wantOutcome(t, r, hosts.BadInput, "send the token unencrypted", "--allow-http")
	if !r.NeedsHTTPConsent {
		t.Error("NeedsHTTPConsent is not set")
	}
}

func TestGitLabTokenPageIsTheNewestPathPrefilled(t *testing.T) {
	for _, tc := range []struct {
		variant, url, want string
	}{
		{"gitlab.com", "", "https://gitlab.com/-/user_settings/personal_access_tokens?name=Jira+git+integration&scopes=api"},
		{"self-managed", "gitlab.example.com/", "https://gitlab.example.com/-/user_settings/personal_access_tokens?name=Jira+git+integration&scopes=api"},
		{"self-managed", "https://example.com/gitlab/", "https://example.com/gitlab/-/user_settings/personal_access_tokens?name=Jira+git+integration&scopes=api"},
		{"self-managed", "https://example.com/gitlab/-/profile/personal_access_tokens", "https://example.com/gitlab/-/user_settings/personal_access_tokens?name=Jira+git+integration&scopes=api"},
		{"self-managed", "https://gitlab.com/acme/repo", "https://gitlab.com/-/user_settings/personal_access_tokens?name=Jira+git+integration&scopes=api"},
		{"self-managed", "http://gitlab.lan:8080", "http://gitlab.lan:8080/-/user_settings/personal_access_tokens?name=Jira+git+integration&scopes=api"},
	} {
		got, err := hosts.GitLab.TokenPage(hosts.Request{Variant: tc.variant, Fields: map[string]string{"url": tc.url}})
		if err != nil || got != tc.want {
			t.Errorf("%s %q: %q, %v; want %q", tc.variant, tc.url, got, err, tc.want)
		}
	}
	if _, err := hosts.GitLab.TokenPage(hosts.Request{Variant: "self-managed"}); err == nil {
		t.Error("a self-managed token page without a server URL")
	}
}

func TestGitLabTokenPagesByVersion(t *testing.T) {
	const web = "https://example.com/gitlab"
	const prefill = "?name=Jira+git+integration&scopes=api"
	newest := web + "/-/user_settings/personal_access_tokens" + prefill
	profile := web + "/-/profile/personal_access_tokens"
	legacy := web + "/profile/personal_access_tokens"
	for _, tc := range []struct {
		version, primary, fallback string
	}{
		{"", newest, profile + prefill},
		{"not a version", newest, profile + prefill},
		{"18.5.0-ee", newest, ""},
		{"17.0.0", newest, ""},
		{"16.11.3-ee", newest, profile + prefill},
		{"16.7.0", newest, profile + prefill},
		{"16.6.2-ee", profile + prefill, ""},
		{"15.4.6-ee", profile + prefill, ""},
		{"14.1.0", profile + prefill, ""},
		{"14.0.12", profile, legacy},
		{"13.0.0", profile, legacy},
		{"12.10.14-ee", legacy, profile},
		{"8.13.0", legacy, profile},
	} {
		primary, fallback := hosts.GitLabTokenPages(web+"/", tc.version)
		if primary != tc.primary || fallback != tc.fallback {
			t.Errorf("%q: %q, %q; want %q, %q", tc.version, primary, fallback, tc.primary, tc.fallback)
		}
	}
}
