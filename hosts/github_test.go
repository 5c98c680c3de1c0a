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

// Canary tokens: realistic shapes, never real. Tests assert they never
// appear in a report.
const (
	classicToken = "ghp_CANARYc1a55icCANARYc1a55icCANARY0001"
	noRepoToken  = "ghp_CANARYn0r3p0CANARYn0r3p0CANARYn0r3p"
	fineToken    = "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ine"
	soonToken    = "ghp_CANARYs00nCANARYs00nCANARYs00nCANARY"
	neverToken   = "ghp_CANARYn3v3rCANARYn3v3rCANARYn3v3rCAN"
	ssoToken     = "ghp_CANARYss0CANARYss0CANARYss0CANARYss0X"
	limitToken   = "ghp_CANARYl1m1tCANARYl1m1tCANARYl1m1tCAN"
	lowToken     = "ghp_CANARYl0wl0wCANARYl0wl0wCANARYl0wl0w"
	orgToken     = "ghp_CANARY0rgf0rb1dCANARY0rgf0rb1dCANARY"
	badToken     = "ghp_CANARYbadbadCANARYbadbadCANARYbadbad"
	fineNoneTok  = "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none"
	burst403     = "ghp_CANARYbur5t403CANARYbur5t403CANARYb"
	burst429     = "ghp_CANARYbur5t429CANARYbur5t429CANARYb"
	reposDown    = "ghp_CANARYr3p0sd0wnCANARYr3p0sd0wnCANARY"
)

// now is the fixed clock of these tests.
var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func githubFake(t *testing.T) *hoststest.GitHub {
	return hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{
		classicToken: {Scopes: "repo, read:org", Expires: "2027-02-23 12:00:00 UTC"},
		noRepoToken:  {Scopes: "read:org, workflow", Expires: "2027-02-23 12:00:00 UTC"},
		fineToken:    {FineGrained: true, Expires: "2027-01-22 10:00:00 -0800"},
		soonToken:    {Scopes: "repo", Expires: "2026-11-30 09:00:00 UTC"},
		neverToken:   {Scopes: "repo"},
		ssoToken:     {Scopes: "repo", Expires: "2027-02-23 12:00:00 UTC", SSOPartial: "21955855,20582480"},
		limitToken:   {Scopes: "repo", RateLimited: true},
		lowToken:     {Scopes: "repo", Remaining: "12"},
		orgToken:     {Scopes: "repo", Forbidden: true},
		fineNoneTok:  {FineGrained: true, NoRepos: true},
		burst403:     {Scopes: "repo", SecondaryLimit: 403},
		burst429:     {Scopes: "repo", SecondaryLimit: 429},
		reposDown:    {Scopes: "repo", ReposStatus: 502},
	})
}

// dotcomFake is a fake github.com: SAML single sign-on lives only there.
func dotcomFake(t *testing.T, tokens map[string]hoststest.GitHubToken) (*hoststest.GitHub, *hosts.Host) {
	g := hoststest.NewGitHub(t, false, tokens)
	return g, hosts.GitHubDotComAt(g.URL)
}

// checkDotCom runs host (a GitHubDotComAt copy) against the fake github.com.
func checkDotCom(t *testing.T, g *hoststest.GitHub, host *hosts.Host, token string) *hosts.Report {
	t.Helper()
	return runCheck(t, host, hosts.Request{}, []string{token}, g.CAFile(t), now, 5*time.Second)
}

// checkGitHub runs the GitHub check against srv as an Enterprise server
// and asserts the token is not in the report.
func checkGitHub(t *testing.T, srv *hoststest.Server, serverURL, token string, timeout time.Duration) *hosts.Report {
	t.Helper()
	req := hosts.Request{Variant: "enterprise", Fields: map[string]string{"url": serverURL}}
	return runCheck(t, hosts.GitHub, req, []string{token}, srv.CAFile(t), now, timeout)
}

func wantOutcome(t *testing.T, r *hosts.Report, o hosts.Outcome, texts ...string) {
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

func TestGitHubClassicTokenWithRepoIsSufficient(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, classicToken, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient, "expires on 2027-02-23, in 90 days", "It reaches 2 repositories", "acme-corp/jira-sync", "GitHub Enterprise Server 3.12.4")
	if r.User != "octocat" || r.Name != "monalisa octocat" {
		t.Errorf("user = %q name = %q", r.User, r.Name)
	}
	if !slices.Equal(r.Scopes, []string{"repo", "read:org"}) || len(r.Missing) != 0 || !r.Valid || !r.Sufficient {
		t.Errorf("scopes %v missing %v valid %v sufficient %v", r.Scopes, r.Missing, r.Valid, r.Sufficient)
	}
	if r.ExpiresAt == nil || !r.ExpiresAt.Equal(time.Date(2027, 2, 23, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("expires_at = %v", r.ExpiresAt)
	}
	if got := g.Requests(); !slices.Equal(sorted(got), []string{"GET /api/v3/user", "GET /api/v3/user/repos"}) {
		t.Errorf("requests = %v", got)
	}
}

func TestGitHubClassicTokenMissingRepoScope(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, noRepoToken, 5*time.Second)
	wantOutcome(t, r, hosts.Insufficient, "lacks the repo scope: it has only read:org, workflow", "tick repo")
	if !slices.Equal(r.Missing, []string{"repo"}) || !r.Valid || r.Sufficient {
		t.Errorf("missing %v valid %v sufficient %v", r.Missing, r.Valid, r.Sufficient)
	}
}

func TestGitHubBadCredentials(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, badToken, 5*time.Second)
	wantOutcome(t, r, hosts.Rejected, "does not accept this token (\"Bad credentials\")", "expired or revoked", "generate a new one")
	if r.Valid {
		t.Error("a rejected token is valid")
	}
}

func TestGitHubTokenExpiringSoonWarns(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, soonToken, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient, "expires on 2026-11-30, in 4 days")
	if !hasLevel(r, hosts.Warn, "expires") {
		t.Errorf("no warning for a token expiring in 4 days:\n%s", r.JSON())
	}
}

func TestGitHubTokenWithoutExpiration(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, neverToken, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient, "no expiration date")
	if r.ExpiresAt != nil || !strings.Contains(string(r.JSON()), `"expires_at": null`) {
		t.Errorf("expires_at = %v", r.ExpiresAt)
	}
}

func TestGitHubFineGrainedTokenIsExplained(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, fineToken, 5*time.Second)
	wantOutcome(t, r, hosts.Insufficient, "cannot confirm its permissions", "Contents: Read and write", "Pull requests: Read and write",
		"Metadata: Read", "reaches 2 repositories", "acme-corp/jira-sync")
	if r.TokenKind != "fine-grained personal access token" {
		t.Errorf("token kind = %q", r.TokenKind)
	}
	// -0800 zone: 2027-01-22 10:00 -0800 is 18:00 UTC.
	if r.ExpiresAt == nil || !r.ExpiresAt.Equal(time.Date(2027, 1, 22, 18, 0, 0, 0, time.UTC)) {
		t.Errorf("expires_at = %v", r.ExpiresAt)
	}
	if !slices.Contains(g.Requests(), "GET /api/v3/user/repos") {
		t.Errorf("requests = %v", g.Requests())
	}
}

// A fine-grained token's permissions cannot be read: what the integration
// needs of them is unverified, not missing; Metadata: Read comes with
// every repository permission, so it is not listed.
func TestGitHubFineGrainedTokenListsWhatItCannotProve(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, fineToken, 5*time.Second)
	if want := []string{"Contents: Read and write", "Pull requests: Read and write"}; !slices.Equal(r.Unverified, want) {
		t.Errorf("unverified = %v, want %v", r.Unverified, want)
	}
	if len(r.Missing) != 0 || r.Outcome != hosts.Insufficient || !r.Valid {
		t.Errorf("missing %v outcome %d valid %v", r.Missing, r.Outcome, r.Valid)
	}
}

func TestGitHubFineGrainedTokenThatReachesNoRepository(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, fineNoneTok, 5*time.Second)
	wantOutcome(t, r, hosts.Insufficient, "reaches no repositories", "Repository access")
	if !slices.Equal(r.Missing, []string{"Repository access"}) {
		t.Errorf("missing = %v", r.Missing)
	}
}

// The token gitpat tells people to create has only repo: GET /user/orgs
// refuses it (403, no X-GitHub-SSO), so single sign-on must show where a
// repo token may look. An organization that has not authorized it is named
// with its authorize link, and the verdict is not Ready.
func TestGitHubRepoOnlyTokenInSSOOrganizationsIsNotReady(t *testing.T) {
	g, host := dotcomFake(t, map[string]hoststest.GitHubToken{ssoToken: {Scopes: "repo", Expires: "2027-02-23 12:00:00 UTC", SSOPartial: "21955855,20582480"}})
	r := checkDotCom(t, g, host, ssoToken)
	wantOutcome(t, r, hosts.Insufficient, "acme-corp uses SAML single sign-on", "octo-labs uses SAML single sign-on",
		g.URL+"/orgs/acme-corp/sso?authorization_request=", g.URL+"/orgs/octo-labs/sso?authorization_request=")
	if !slices.Equal(r.Missing, []string{"SAML SSO authorization"}) || r.Sufficient {
		t.Errorf("missing %v sufficient %v", r.Missing, r.Sufficient)
	}
	want := []string{"GET /organizations/20582480", "GET /organizations/21955855", "GET /user", "GET /user/repos"}
	if got := sorted(g.Requests()); !slices.Equal(got, want) {
		t.Errorf("requests = %v, want %v", got, want)
	}
}

// When GitHub will not name an organization, its ID and the tokens page
// still say what to do; the verdict does not change.
func TestGitHubSSOOrganizationsThatCannotBeNamed(t *testing.T) {
	g, host := dotcomFake(t, map[string]hoststest.GitHubToken{ssoToken: {Scopes: "repo", SSOPartial: "21955855,20582480"}})
	g.OrgStatus = 502
	r := checkDotCom(t, g, host, ssoToken)
	wantOutcome(t, r, hosts.Insufficient, "2 organizations use SAML single sign-on", "21955855, 20582480", "Configure SSO", g.URL+"/settings/tokens")
	if !slices.Contains(r.Missing, "SAML SSO authorization") {
		t.Errorf("missing = %v", r.Missing)
	}
}

// The second round is bounded: at most five organizations are looked up,
// the others are named by ID.
func TestGitHubSSOLookupsAreBounded(t *testing.T) {
	ids := "21955855,20582480,3,4,5,6,7"
	g, host := dotcomFake(t, map[string]hoststest.GitHubToken{ssoToken: {Scopes: "repo", SSOPartial: ids}})
	r := checkDotCom(t, g, host, ssoToken)
	wantOutcome(t, r, hosts.Insufficient, "acme-corp", "octo-labs", "6, 7")
	lookups := 0
	for _, req := range g.Requests() {
		if strings.HasPrefix(req, "GET /organizations/") {
			lookups++
		}
	}
	if lookups != 5 {
		t.Errorf("%d organization lookups, want 5: %v", lookups, g.Requests())
	}
}

// An organization ID is only ever a number in a path.
func TestGitHubSSOHeaderWithAPathIsNotFollowed(t *testing.T) {
	g, host := dotcomFake(t, map[string]hoststest.GitHubToken{ssoToken: {Scopes: "repo", SSOPartial: "21955855,../../user/keys,1 2"}})
	g.Orgs["../../user/keys"] = "x" // the fake would answer; the check must not ask
	r := checkDotCom(t, g, host, ssoToken)
	wantOutcome(t, r, hosts.Insufficient, "acme-corp uses SAML single sign-on")
	for _, req := range g.Requests() {
		if strings.Contains(req, "keys") || strings.Contains(req, " 2") {
			t.Errorf("request %q", req)
		}
	}
}

// Without the list GET /user/repos, SSO could not be checked: exit 3 with
// the reason, and "SAML SSO authorization" unverified, never Ready.
func TestGitHubSSOCheckThatFailsIsNotReady(t *testing.T) {
	for name, tok := range map[string]hoststest.GitHubToken{
		"server error":          {Scopes: "repo", ReposStatus: 502},
		"secondary rate limit":  {Scopes: "repo", SecondaryLimit: 403, SecondaryPath: "/user/repos"},
		"secondary limit (429)": {Scopes: "repo", SecondaryLimit: 429, SecondaryPath: "/user/repos"},
	} {
		t.Run(name, func(t *testing.T) {
			g, host := dotcomFake(t, map[string]hoststest.GitHubToken{ssoToken: tok})
			r := checkDotCom(t, g, host, ssoToken)
			wantOutcome(t, r, hosts.Unchecked, "could not check SAML single sign-on")
			if !slices.Equal(r.Unverified, []string{"SAML SSO authorization"}) || r.User != "octocat" {
				t.Errorf("unverified %v user %q", r.Unverified, r.User)
			}
		})
	}
}

// GitHub Enterprise Server has no per-token single sign-on: a failed
// repository list there costs a sentence, not the verdict.
func TestGitHubEnterpriseRepositoryListThatFailsIsOnlyNoted(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, reposDown, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient, "could not list the repositories")
	if len(r.Unverified) != 0 {
		t.Errorf("unverified = %v", r.Unverified)
	}
}

// The fake answers GET /user/orgs as GitHub does for a repo-only token;
// the check no longer needs it.
func TestGitHubFakeRefusesOrganizationsToARepoOnlyToken(t *testing.T) {
	g := githubFake(t)
	c, err := httpx.New(httpx.Options{CAFile: g.CAFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(context.Background(), g.URL+"/api/v3/user/orgs", map[string][]string{
		"Authorization": {"Bearer " + neverToken}, "Accept": {"application/vnd.github+json"}})
	if err != nil || resp.Status != 403 || !strings.Contains(string(resp.Body), "You need at least read:org scope or user scope") {
		t.Fatalf("GET /user/orgs with repo only: %v %+v", err, resp)
	}
}

func TestGitHubEnterpriseURLForms(t *testing.T) {
	g := githubFake(t)
	for _, u := range []string{g.URL, g.URL + "/", g.URL + "/api/v3", g.URL + "/api/v3/", "  " + strings.TrimPrefix(g.URL, "https://") + " "} {
		r := checkGitHub(t, g.Server, u, classicToken, 5*time.Second)
		if r.Outcome != hosts.Sufficient || r.Server != g.URL {
			t.Errorf("url %q: outcome %d server %q", u, r.Outcome, r.Server)
		}
	}
}

func TestGitHubRateLimited(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, limitToken, 5*time.Second)
	wantOutcome(t, r, hosts.Unchecked, "rate limit", "Wait until 16:00 UTC")
}

// The secondary rate limit (too many requests at once) says how long to
// wait from Retry-After, not until the hourly reset.
func TestGitHubSecondaryRateLimitWaitsForRetryAfter(t *testing.T) {
	for _, tok := range []string{burst403, burst429} {
		g := githubFake(t)
		r := checkGitHub(t, g.Server, g.URL, tok, 5*time.Second)
		wantOutcome(t, r, hosts.Unchecked, "secondary rate limit", "Wait 60 seconds")
		if p := firstProblem(r); strings.Contains(p.Fix, "16:00") || strings.Contains(p.Text, "used up") {
			t.Errorf("%s: %q / %q", tok[:12], p.Text, p.Fix)
		}
	}
}

func TestGitHubFewRequestsLeftWarns(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, lowToken, 5*time.Second)
	wantOutcome(t, r, hosts.Sufficient, "Only 12 of 5000 API requests are left")
}

func TestGitHubOrganizationForbidsClassicTokens(t *testing.T) {
	g := githubFake(t)
	r := checkGitHub(t, g.Server, g.URL, orgToken, 5*time.Second)
	wantOutcome(t, r, hosts.Rejected, "forbids access via a personal access token (classic)")
}

func TestGitHubFaults(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault hoststest.Fault
		want  []string
	}{
		{"502 HTML", hoststest.BadGateway, []string{"server error (502 Bad Gateway)", "not about your token", "administrator"}},
		{"login page", hoststest.LoginPage, []string{"answered with a web page, not GitHub's API", "sign-in page, a proxy or another site"}},
		{"not found", hoststest.NotFound, []string{"There is no GitHub API at", "Check the server address"}},
		{"malformed JSON", hoststest.MalformedJSON, []string{"There is no GitHub API at"}},
		{"20 MB body", hoststest.Huge, []string{"far larger answer"}},
		{"redirect elsewhere", hoststest.RedirectElsewhere, []string{"redirected to http://localhost:", "did not follow"}},
		{"redirect to http", hoststest.RedirectHTTP, []string{"redirected to http://127.0.0.1:", "did not follow"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := githubFake(t)
			g.SetFault(tc.fault)
			r := checkGitHub(t, g.Server, g.URL, classicToken, 5*time.Second)
			wantOutcome(t, r, hosts.Unchecked, tc.want...)
			if p := firstProblem(r); strings.Contains(p.Fix, "status page") {
				t.Errorf("an Enterprise server gets GitHub's status page: %q", p.Fix)
			}
		})
	}
}

// An Enterprise server in maintenance mode answers 503 with its
// maintenance page: say so, and send the user to its administrator, not to
// GitHub's status page.
func TestGitHubEnterpriseInMaintenance(t *testing.T) {
	g := githubFake(t)
	g.SetMaintenance(true)
	r := checkGitHub(t, g.Server, g.URL, classicToken, 5*time.Second)
	wantOutcome(t, r, hosts.Unchecked, "503 Service Unavailable", "maintenance", "administrator")
	if p := firstProblem(r); strings.Contains(p.Fix, "status page") {
		t.Errorf("fix = %q", p.Fix)
	}
}

// github.com's own server errors keep the status page.
func TestGitHubDotComServerErrorPointsToTheStatusPage(t *testing.T) {
	g, host := dotcomFake(t, map[string]hoststest.GitHubToken{classicToken: {Scopes: "repo"}})
	g.SetFault(hoststest.InternalError)
	r := checkDotCom(t, g, host, classicToken)
	wantOutcome(t, r, hosts.Unchecked, "server error (500 Internal Server Error)", "GitHub status page")
}

func TestGitHubServerThatNeverAnswersTimesOut(t *testing.T) {
	g := githubFake(t)
	g.SetFault(hoststest.Hang)
	r := checkGitHub(t, g.Server, g.URL, classicToken, time.Second)
	wantOutcome(t, r, hosts.Unchecked, "did not answer in time", "proxy")
}

func TestGitHubUnknownCertificateAuthority(t *testing.T) {
	g := githubFake(t)
	c, _ := httpx.New(httpx.Options{})
	r := hosts.GitHub.Check(context.Background(), hosts.Env{HTTP: c}, hosts.Request{
		Variant: "enterprise", Fields: map[string]string{"url": g.URL}, Secrets: []secret.Value{secret.New(classicToken)},
	})
	wantOutcome(t, r, hosts.Unchecked, "not signed by an authority this computer trusts", "CA file")
	if len(g.Requests()) != 0 {
		t.Errorf("a request reached the server over an unverified connection: %v", g.Requests())
	}
}

func TestGitHubBadServerURL(t *testing.T) {
	for u, want := range map[string]string{
		"":                                "Enter the server address",
		"http://ghe.example.com":          "use https://",
		"ftp://ghe.example.com":           "must start with https://",
		"https://user:pw@ghe.example.com": "Remove the user name or password",
		"ghe example.com":                 "contains a space",
		"https://ghe.example.com:99999":   "port",
	} {
		r := hosts.GitHub.Check(context.Background(), hosts.Env{}, hosts.Request{
			Variant: "enterprise", Fields: map[string]string{"url": u}, Secrets: []secret.Value{secret.New(classicToken)},
		})
		wantOutcome(t, r, hosts.BadInput, want)
	}
}

func TestGitHubTokenPage(t *testing.T) {
	for variant, want := range map[string]string{
		"github.com": "https://github.com/settings/tokens/new?description=Jira+git+integration&scopes=repo",
		"enterprise": "https://ghe.example.com/settings/tokens/new?description=Jira+git+integration&scopes=repo",
	} {
		got, err := hosts.GitHub.TokenPage(hosts.Request{Variant: variant, Fields: map[string]string{"url": "ghe.example.com/api/v3/"}})
		if variant == "github.com" {
			got, err = hosts.GitHub.TokenPage(hosts.Request{Variant: variant})
		}
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", variant, got, err, want)
		}
	}
}

func hasLevel(r *hosts.Report, l hosts.Level, text string) bool {
	for _, f := range r.Findings {
		if f.Level == l && strings.Contains(f.Text, text) {
			return true
		}
	}
	return false
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestGitHubTokenEchoedByTheServerIsNotShown(t *testing.T) {
	g := githubFake(t)
	g.Echo = true
	r := checkGitHub(t, g.Server, g.URL, badToken, 5*time.Second) // fails on any CANARY in the report
	wantOutcome(t, r, hosts.Rejected, "Bad credentials: [redacted]")
}
