package hosts_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

// azurePAT builds a canary in the 84-character format (52 random
// characters, JQQJ, 20 more, AZDO, 4 more).
func azurePAT(tag string) string {
	head := "CANARY" + tag + strings.Repeat("x", 52)
	return head[:52] + "JQQJ" + strings.Repeat("y", 20) + "AZDO" + "ab12"
}

// azureLegacyPAT builds a canary in the 52-character [a-z2-7] format.
func azureLegacyPAT(tag string) string {
	return ("canary" + tag + strings.Repeat("a", 52))[:52]
}

var (
	azGood    = azurePAT("good")
	azLegacy  = azureLegacyPAT("legacy")
	azNoCode  = azurePAT("nocode")
	azExpired = azurePAT("expired")
	azGlobal  = azurePAT("global")
	azOther   = azurePAT("otherorg")
	azNoRepos = azurePAT("norepos")
	azWrong   = azurePAT("wrong")
	azOutside = azurePAT("notmember")
)

func azureTokens() map[string]hoststest.AzureToken {
	return map[string]hoststest.AzureToken{
		azGood:    {},
		azLegacy:  {},
		azNoCode:  {NoCode: true},
		azExpired: {Expired: true},
		azGlobal:  {Global: true},
		azOther:   {Orgs: []string{"otherorg"}},
		azNoRepos: {NoRepos: true},
		azOutside: {NotMember: true},
	}
}

func azureFake(t *testing.T, mode hoststest.AzureMode) *hoststest.Azure {
	return hoststest.NewAzure(t, hoststest.AzureOptions{Mode: mode, Tokens: azureTokens()})
}

// azureRun is one check of an Azure DevOps host against a fake.
type azureRun struct {
	host      *hosts.Host
	fields    map[string]string
	token     string
	now       time.Time // the test clock when zero
	allowHTTP bool
	timeout   time.Duration // 5 s when zero
	noCA      bool          // do not trust the fake's certificate
}

// services is the Azure DevOps Services host pointed at the fake.
func services(a *hoststest.Azure) *hosts.Host { return hosts.AzureDevOpsAt(a.URL, a.URL) }

// check runs it and asserts the token is nowhere in the report.
func (c azureRun) check(t *testing.T, a *hoststest.Azure) *hosts.Report {
	t.Helper()
	opts := httpx.Options{}
	if !c.noCA {
		opts.CAFile = a.CAFile(t)
	}
	client, err := httpx.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	clock := orTime(c.now, now)
	ctx, cancel := context.WithTimeout(context.Background(), orDuration(c.timeout, 5*time.Second))
	defer cancel()
	r := c.host.Check(ctx, hosts.Env{HTTP: client, Now: func() time.Time { return clock }}, hosts.Request{
		Fields: c.fields, Secrets: []secret.Value{secret.New(c.token)}, AllowHTTP: c.allowHTTP,
	})
	out := string(r.JSON()) + r.Text(clock)
	if strings.Contains(strings.ToLower(out), "canary") || leakedForm(out, c.token) != "" {
		t.Fatalf("the report leaks the token (%s):\n%s", leakedForm(out, c.token), r.JSON())
	}
	return r
}

func orTime(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}

func orDuration(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

func myorg(token string, a *hoststest.Azure) azureRun {
	return azureRun{host: services(a), fields: map[string]string{"org": "myorg"}, token: token}
}

func collection(h *hosts.Host, url, token string) azureRun {
	return azureRun{host: h, fields: map[string]string{"url": url}, token: token}
}

// readsCode is the verdict on a token that signs in and reads code: valid,
// but not proven enough, as no read-only request proves Code write.
const readsCode = hosts.Insufficient

// wantReadsCode asserts a token that reads code and whose Code write is
// unverified, not missing.
func wantReadsCode(t *testing.T, r *hosts.Report, texts ...string) {
	t.Helper()
	wantOutcome(t, r, readsCode, texts...)
	if !slices.Equal(r.Scopes, []string{"Code (read)"}) || !slices.Contains(r.Unverified, "Code (read and write)") ||
		slices.Contains(r.Missing, "Code (read and write)") || !r.Valid || r.Sufficient {
		t.Errorf("scopes %v unverified %v missing %v valid %v sufficient %v", r.Scopes, r.Unverified, r.Missing, r.Valid, r.Sufficient)
	}
}

func TestAzureDevOpsOrgTokenThatReadsCodeHasWriteUnverified(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azGood, a).check(t, a)
	wantReadsCode(t, r,
		"The token works and reads code, but gitpat cannot prove Code write without writing: confirm Code: Read & write on the token page.",
		"signs in to the organization myorg as Jamal Hartnett (jamal@fabrikam.com)",
		"It can read code: 3 repositories, such as Fabrikam-Fiber-Git/AnotherRepository, Fabrikam-Fiber-Git, TestGit",
		"gitpat cannot prove Code write: no read-only request of the REST API needs it, and gitpat never writes to a repository",
		"check that this token has Code: Read & write (or Full access)",
		"cannot tell whether this is a token for All accessible organizations", "stop working on 2026-12-01, in 5 days",
		"does not let a token read its own expiry date", a.URL+"/myorg/_usersSettings/tokens")
	if r.User != "jamal@fabrikam.com" || r.Name != "Jamal Hartnett" || r.TokenKind != "personal access token" {
		t.Errorf("user %q name %q kind %q", r.User, r.Name, r.TokenKind)
	}
	if !slices.Equal(r.Unverified, []string{"Code (read and write)"}) || len(r.Missing) != 0 {
		t.Errorf("unverified %v missing %v", r.Unverified, r.Missing)
	}
	if !hasLevel(r, hosts.Warn, "cannot prove Code write") || !strings.Contains(r.Text(now), "Not proven: Code (read and write)") {
		t.Errorf("the unproven write is not a warning and a row:\n%s", r.Text(now))
	}
	if r.ExpiresAt != nil || !r.ExpiryUnknown || !strings.Contains(r.Text(now), "Expires:    unknown") {
		t.Errorf("expiry: %v unknown %v\n%s", r.ExpiresAt, r.ExpiryUnknown, r.Text(now))
	}
	if r.Server != a.URL+"/myorg" {
		t.Errorf("server = %q", r.Server)
	}
	want := []string{"GET /_apis/profile/profiles/me", "GET /myorg/_apis/connectionData", "GET /myorg/_apis/git/repositories"}
	if got := sorted(a.Requests()); !slices.Equal(got, want) {
		t.Errorf("requests = %v, want %v", got, want)
	}
}

func TestAzureDevOpsAcceptsBothTokenFormatsAndOrganizationForms(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	for _, org := range []string{"myorg", " https://dev.azure.com/myorg/ ", "dev.azure.com/myorg/Project/_git/repo", "https://myorg.visualstudio.com"} {
		for _, token := range []string{azGood, azLegacy} {
			c := myorg(token, a)
			c.fields["org"] = org
			if r := c.check(t, a); r.Outcome != readsCode || r.Server != a.URL+"/myorg" {
				t.Errorf("org %q, %d-character token: outcome %d server %q", org, len(token), r.Outcome, r.Server)
			}
		}
	}
}

func TestAzureDevOpsTokenWithoutCodeScope(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azNoCode, a).check(t, a)
	wantOutcome(t, r, hosts.Insufficient, "It lacks the Code scope: Azure DevOps knows the token's user but refused to list repositories (401)",
		"is not authorized to access this resource", "give it Code: Read & write")
	if !slices.Equal(r.Missing, []string{"Code (read and write)"}) || len(r.Scopes) != 0 || !r.Valid {
		t.Errorf("missing %v scopes %v valid %v", r.Missing, r.Scopes, r.Valid)
	}
	if r.User != "jamal@fabrikam.com" {
		t.Errorf("user = %q", r.User)
	}
}

func TestAzureDevOpsExpiredToken(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azExpired, a).check(t, a)
	wantOutcome(t, r, hosts.Rejected, "Azure DevOps says the token has expired", "Regenerate it")
	if r.Valid {
		t.Error("an expired token is valid")
	}
}

func TestAzureDevOpsWrongToken(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azWrong, a).check(t, a)
	wantOutcome(t, r, hosts.Rejected, "does not accept this token for the organization myorg", "mistyped, expired or revoked, or was created for another organization",
		"Copy the token again")
	if hasLevel(r, hosts.Info, "52 or 84 characters") {
		t.Errorf("an 84-character token got the length hint:\n%s", r.JSON())
	}
}

func TestAzureDevOpsTokenOfOddLengthGetsALengthHint(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg("CANARYshort0123456789012345678901234567", a).check(t, a)
	wantOutcome(t, r, hosts.Rejected, "Azure DevOps tokens are 52 or 84 characters long; this one has 39", "in full")
}

func TestAzureDevOpsTokenForAnotherOrganization(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azOther, a).check(t, a)
	wantOutcome(t, r, hosts.Rejected, "was created for another organization", "listed there")
	c := myorg(azOther, a)
	c.fields["org"] = "otherorg"
	wantReadsCode(t, c.check(t, a), "signs in to the organization otherorg")
}

func TestAzureDevOpsKnownUserKeptOutOfTheOrganization(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azOutside, a).check(t, a)
	wantOutcome(t, r, hosts.Insufficient, "knows this token's user (jamal@fabrikam.com) but does not let it into the organization myorg", "not a member")
	if r.User != "jamal@fabrikam.com" || !slices.Equal(r.Missing, []string{"access to the organization myorg"}) {
		t.Errorf("user %q missing %v", r.User, r.Missing)
	}
}

func TestAzureDevOpsTokenThatSeesNoRepository(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azNoRepos, a).check(t, a)
	wantReadsCode(t, r, "It can read code, but sees no repository in the organization myorg", "project permissions")
	if !hasLevel(r, hosts.Warn, "sees no repository") {
		t.Errorf("no warning:\n%s", r.JSON())
	}
}

func TestAzureDevOpsUnknownOrganization(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	c := myorg(azGood, a)
	c.fields["org"] = "nosuchorg"
	wantOutcome(t, c.check(t, a), hosts.Unchecked, "Azure DevOps has no organization nosuchorg", "dev.azure.com/")
}

func TestAzureDevOpsPublicProjectsDoNotHideAWrongToken(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: azureTokens(), PublicProjects: true})
	r := myorg(azWrong, a).check(t, a)
	wantOutcome(t, r, hosts.Rejected, "treated the request as anonymous", "public projects")
	if r.User != "" {
		t.Errorf("user = %q for an anonymous answer", r.User)
	}
}

func TestAzureDevOpsSignInPageMeansTheTokenWasRefused(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: azureTokens(), SignInPage: true})
	wantOutcome(t, myorg(azWrong, a).check(t, a), hosts.Rejected, "answered with its sign-in page instead of the API")
}

func TestAzureDevOpsGlobalTokenStopsWorkingOnDecember1(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azGlobal, a).check(t, a)
	wantOutcome(t, r, hosts.Insufficient, "stops working on 2026-12-01",
		"token for All accessible organizations: Azure DevOps retires these, and it stops working on 2026-12-01, in 5 days",
		"Organization set to myorg")
	if r.TokenKind != "global personal access token (All accessible organizations)" || !slices.Contains(r.Missing, "a token for this organization only") {
		t.Errorf("kind %q missing %v", r.TokenKind, r.Missing)
	}
	if r.Summary != "The token works today, but it stops working on 2026-12-01." || !slices.Contains(r.Unverified, "Code (read and write)") {
		t.Errorf("summary %q unverified %v", r.Summary, r.Unverified)
	}
	late := myorg(azGlobal, a)
	late.now = time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC)
	wantOutcome(t, late.check(t, a), hosts.Insufficient, "2026-12-01, in less than a day")
}

// TestAzureDevOpsGlobalTokenIsFoundWithThePreviewAPIVersion: profiles/me
// answers a released "7.1" with 400 VssInvalidPreviewVersionException (it
// is 7.1-preview.3 in the REST spec); a check that asks with "7.1" never
// sees a global token.
func TestAzureDevOpsGlobalTokenIsFoundWithThePreviewAPIVersion(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	r := myorg(azGlobal, a).check(t, a)
	if r.TokenKind != "global personal access token (All accessible organizations)" {
		t.Errorf("the global token was not found:\n%s", r.Text(now))
	}
	if hasLevel(r, hosts.Info, "cannot tell whether this is a token for All accessible organizations") {
		t.Errorf("a refused api-version read as \"cannot tell\":\n%s", r.Text(now))
	}
}

// TestAzureDevOpsProfileServiceErrorIsCouldNotCheck: when the profile
// service fails, whether the token is a global one stays open, and the
// verdict is "could not check", not "ready" nor "insufficient".
func TestAzureDevOpsProfileServiceErrorIsCouldNotCheck(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: azureTokens(), ProfileBroken: true})
	r := myorg(azGlobal, a).check(t, a)
	wantOutcome(t, r, hosts.Unchecked, "could not ask Azure DevOps whether it is a token for All accessible organizations",
		"could not ask the profile service whether this is a token for All accessible organizations: it answered with a server error (500 Internal Server Error)",
		"Test again later", "create a new one for myorg")
	if r.TokenKind == "global personal access token (All accessible organizations)" || slices.Contains(r.Missing, "a token for this organization only") {
		t.Errorf("kind %q missing %v", r.TokenKind, r.Missing)
	}
	if !slices.Contains(r.Scopes, "Code (read)") || !slices.Contains(r.Unverified, "Code (read and write)") {
		t.Errorf("scopes %v unverified %v", r.Scopes, r.Unverified)
	}
	// A token already proven short keeps its verdict; the open question
	// is listed, not guessed.
	r = myorg(azNoCode, a).check(t, a)
	wantOutcome(t, r, hosts.Insufficient, "It lacks the Code scope", "server error (500 Internal Server Error)")
	if !slices.Equal(r.Missing, []string{"Code (read and write)"}) || !slices.Equal(r.Unverified, []string{"a token for this organization only"}) {
		t.Errorf("missing %v unverified %v", r.Missing, r.Unverified)
	}
}

// TestAzureRefusedTokenGoesOnlyToConnectionData: the token is sent to the
// repositories call, the version probe and the profile service (another
// host) only once connectionData has accepted it.
func TestAzureRefusedTokenGoesOnlyToConnectionData(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	for _, token := range []string{azWrong, azExpired, azOutside} {
		before := len(a.Requests())
		myorg(token, a).check(t, a)
		if got := a.Requests()[before:]; !slices.Equal(got, []string{"GET /myorg/_apis/connectionData"}) {
			t.Errorf("%s: requests %v, want connectionData alone", token[6:12], got)
		}
	}
	tfs := azureFake(t, hoststest.AzureTFS2018)
	collection(hosts.TFS, tfs.Collection(), azWrong).check(t, tfs)
	if got := tfs.Requests(); !slices.Equal(got, []string{"GET /tfs/DefaultCollection/_apis/connectionData"}) {
		t.Errorf("tfs: requests %v, want connectionData alone", got)
	}
	// An accepted token: connectionData, then the rest at once.
	before := len(a.Requests())
	myorg(azGood, a).check(t, a)
	got := a.Requests()[before:]
	if len(got) != 3 || got[0] != "GET /myorg/_apis/connectionData" ||
		!slices.Equal(sorted(got[1:]), []string{"GET /_apis/profile/profiles/me", "GET /myorg/_apis/git/repositories"}) {
		t.Errorf("requests %v, want connectionData, then repositories and profiles/me", got)
	}
}

// TestAzureRateLimitSaysHowLongToWait: Azure DevOps blocks a user over
// its limits with 429, TF400733 and Retry-After.
func TestAzureRateLimitSaysHowLongToWait(t *testing.T) {
	limited := map[string]hoststest.AzureToken{azGood: {RateLimited: true}}
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: limited})
	wantOutcome(t, myorg(azGood, a).check(t, a), hosts.Unchecked,
		"Azure DevOps is limiting this user's requests (429 Too Many Requests: \"TF400733: The request has been canceled", "Wait 47 seconds and test again.")
	tfs := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureTFS2018, Tokens: limited})
	wantOutcome(t, collection(hosts.TFS, tfs.Collection(), azGood).check(t, tfs), hosts.Unchecked,
		"The TFS server is limiting this user's requests", "Wait 47 seconds and test again.")
}

func TestAzureDevOpsAfterTheRetirementSkipsTheProfileCall(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	c := myorg(azWrong, a)
	c.now = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	wantOutcome(t, c.check(t, a), hosts.Rejected, "stopped working on 2026-12-01: if this was one, that is why")
	c.token = azGood
	r := c.check(t, a)
	wantReadsCode(t, r)
	if hasLevel(r, hosts.Info, "All accessible organizations") {
		t.Errorf("after the retirement the report still speaks of global tokens:\n%s", r.JSON())
	}
	for _, req := range a.Requests() {
		if strings.Contains(req, "profile") {
			t.Errorf("asked the profile service after global tokens were retired: %v", a.Requests())
		}
	}
}

func TestAzureExpiryFromTheCreationPage(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	for _, tc := range []struct {
		entered string
		date    string // ExpiresAt, YYYY-MM-DD
		level   hosts.Level
		says    []string
	}{
		{"2027-01-31", "2027-01-31", hosts.Info, []string{"expires on 2027-01-31, in 67 days"}},
		{"1/31/2027", "2027-01-31", hosts.Info, []string{"expires on 2027-01-31"}},
		{"31/01/2027", "2027-01-31", hosts.Info, []string{"expires on 2027-01-31"}},
		{"31.01.2027", "2027-01-31", hosts.Info, []string{"expires on 2027-01-31"}},
		{"Jan 31, 2027", "2027-01-31", hosts.Info, []string{"expires on 2027-01-31"}},
		{"3/4/2027", "2027-03-04", hosts.Info, []string{"read the expiry date 3/4/2027 as month/day/year, 2027-03-04"}},
		{"2026-11-30", "2026-11-30", hosts.Warn, []string{"expires on 2026-11-30, in 5 days", "Before then"}},
		{"2026-11-01", "2026-11-01", hosts.Warn, []string{"The expiry date you entered, 2026-11-01, has passed, yet the token still works"}},
	} {
		c := myorg(azGood, a)
		c.fields["expires"] = tc.entered
		r := c.check(t, a)
		wantReadsCode(t, r, tc.says...)
		if r.ExpiresAt == nil || r.ExpiresAt.Format("2006-01-02") != tc.date || r.ExpiryUnknown {
			t.Errorf("%q: expires_at = %v", tc.entered, r.ExpiresAt)
			continue
		}
		if !hasLevel(r, tc.level, tc.date) && !hasLevel(r, tc.level, "expires on") {
			t.Errorf("%q: no %v finding about the date:\n%s", tc.entered, tc.level, r.JSON())
		}
	}
	before := len(a.Requests())
	c := myorg(azGood, a)
	c.fields["expires"] = "next year"
	wantOutcome(t, c.check(t, a), hosts.BadInput, "cannot read the expiry date \"next year\"", "YYYY-MM-DD")
	if len(a.Requests()) != before {
		t.Error("the check sent the token although the expiry date was unreadable")
	}
	c.token, c.fields["expires"] = azExpired, "2026-11-20"
	wantOutcome(t, c.check(t, a), hosts.Rejected, "has expired", "2026-11-20, has passed: that explains the refusal")
}

func TestAzureDevOpsBadOrganizationInputSendsNothing(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	for org, want := range map[string]string{
		"":                           "Enter your Azure DevOps organization",
		"https://gitlab.example.com": "not an Azure DevOps Services address",
		"my org":                     "is not an Azure DevOps organization name",
		"http://dev.azure.com/myorg": "use https://",
		"-bad-":                      "is not an Azure DevOps organization name",
	} {
		c := myorg(azGood, a)
		c.fields["org"] = org
		wantOutcome(t, c.check(t, a), hosts.BadInput, want)
	}
	if len(a.Requests()) != 0 {
		t.Errorf("requests = %v", a.Requests())
	}
}

func TestAzureFaults(t *testing.T) {
	for _, mode := range []hoststest.AzureMode{hoststest.AzureServices, hoststest.AzureTFS2018} {
		for _, tc := range []struct {
			name    string
			fault   hoststest.Fault
			outcome hosts.Outcome
			want    []string
		}{
			{"502 HTML", hoststest.BadGateway, hosts.Unchecked, []string{"server error (502 Bad Gateway)", "not about your token"}},
			{"login page", hoststest.LoginPage, hosts.Unchecked, []string{"answered with a web page, not the Azure DevOps API"}},
			{"not found", hoststest.NotFound, hosts.Unchecked, []string{"no"}},
			{"malformed JSON", hoststest.MalformedJSON, hosts.Unchecked, []string{"unexpected answer to connectionData (200 OK)"}},
			{"20 MB body", hoststest.Huge, hosts.Unchecked, []string{"far larger answer"}},
			{"redirect elsewhere", hoststest.RedirectElsewhere, hosts.Unchecked, []string{"redirected to http://localhost:", "probably a sign-in page rather than the API", "did not follow"}},
			{"redirect to http", hoststest.RedirectHTTP, hosts.Unchecked, []string{"redirected to http://127.0.0.1:", "did not follow"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a := azureFake(t, mode)
				a.SetFault(tc.fault)
				c := myorg(azGood, a)
				if mode != hoststest.AzureServices {
					c = collection(hosts.TFS, a.Collection(), azGood)
				}
				wantOutcome(t, c.check(t, a), tc.outcome, tc.want...)
			})
		}
	}
}

func TestAzureNotFoundSaysWhatIsMissing(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	a.SetFault(hoststest.NotFound)
	wantOutcome(t, myorg(azGood, a).check(t, a), hosts.Unchecked, "Azure DevOps has no organization myorg")
	tfs := azureFake(t, hoststest.AzureTFS2018)
	tfs.SetFault(hoststest.NotFound)
	wantOutcome(t, collection(hosts.TFS, tfs.Collection(), azGood).check(t, tfs), hosts.Unchecked, "There is no project collection at "+tfs.Collection())
}

func TestAzureServerThatNeverAnswersTimesOut(t *testing.T) {
	a := azureFake(t, hoststest.AzureServices)
	a.SetFault(hoststest.Hang)
	c := myorg(azGood, a)
	c.timeout = 300 * time.Millisecond
	wantOutcome(t, c.check(t, a), hosts.Unchecked, "did not answer in time", "proxy")
}

func TestAzureUnknownCertificateAuthority(t *testing.T) {
	a := azureFake(t, hoststest.AzureServer2022)
	c := collection(hosts.AzureDevOpsServer, a.Collection(), azGood)
	c.noCA = true
	wantOutcome(t, c.check(t, a), hosts.Unchecked, "not signed by an authority this computer trusts", "CA file")
	if len(a.Requests()) != 0 {
		t.Errorf("a request reached the server over an unverified connection: %v", a.Requests())
	}
}

func TestTFS2017TokenThatReadsCode(t *testing.T) {
	a := azureFake(t, hoststest.AzureTFS2017)
	r := collection(hosts.TFS, a.Collection(), azLegacy).check(t, a)
	wantReadsCode(t, r, "signs in to the collection "+a.Collection()+` as Jamal Hartnett (FABRIKAM\jamal)`,
		"It can read code: 3 repositories", "The server is TFS 2017 Update 2 or later (REST API up to 3.2)",
		"gitpat cannot prove Code write", "check that this token has Code (read and write) (or All scopes)",
		"confirm Code (read and write) on the token page", a.Collection()+"/_details/security/tokens")
	if r.User != `FABRIKAM\jamal` || r.Server != a.Collection() {
		t.Errorf("user %q server %q", r.User, r.Server)
	}
	got := a.Requests()
	want := []string{"GET /tfs/DefaultCollection/_apis/git/repositories", "GET /tfs/DefaultCollection/_apis/git/repositories"}
	if len(got) != 3 || got[0] != "GET /tfs/DefaultCollection/_apis/connectionData" || !slices.Equal(sorted(got[1:]), want) {
		t.Errorf("requests = %v, want connectionData, then repositories and the version probe", got)
	}
}

func TestOnPremisesReleasesAndCollectionPaths(t *testing.T) {
	for _, tc := range []struct {
		mode    hoststest.AzureMode
		host    *hosts.Host
		release string
		page    string
	}{
		{hoststest.AzureTFS2018, hosts.TFS, "TFS 2018 Update 2 or later (REST API up to 4.1)", "/_details/security/tokens"},
		{hoststest.AzureServer2019, hosts.AzureDevOpsServer, "Azure DevOps Server 2019 (REST API up to 5.0)", "/_usersSettings/tokens"},
		{hoststest.AzureServer2022, hosts.AzureDevOpsServer, "Azure DevOps Server 2022 (REST API up to 7.0)", "/_usersSettings/tokens"},
	} {
		a := azureFake(t, tc.mode)
		r := collection(tc.host, a.Collection(), azGood).check(t, a)
		wantReadsCode(t, r, tc.release, a.Collection()+tc.page)
		if hasLevel(r, hosts.Info, "tab shows its token page") {
			t.Errorf("%s: the right tab is told to use another:\n%s", tc.release, r.JSON())
		}
		if n := len(a.Requests()); n != 3 {
			t.Errorf("%s: %d requests: %v", tc.release, n, a.Requests())
		}
	}
}

func TestAzureDevOpsServerTabOnATFSFallsBackAndNamesTheTab(t *testing.T) {
	a := azureFake(t, hoststest.AzureTFS2018)
	r := collection(hosts.AzureDevOpsServer, a.Collection(), azGood).check(t, a)
	wantReadsCode(t, r, "It can read code: 3 repositories", "TFS 2018 Update 2 or later", "the TFS 2017/2018 tab shows its token page")
	if n := len(a.Requests()); n != 4 {
		t.Errorf("%d requests, want 4 (three at once, then api-version 3.0): %v", n, a.Requests())
	}
	b := azureFake(t, hoststest.AzureServer2022)
	wantReadsCode(t, collection(hosts.TFS, b.Collection(), azGood).check(t, b), "the Azure DevOps Server tab shows its token page")
}

func TestTFSTokenWithoutCodeScope(t *testing.T) {
	a := azureFake(t, hoststest.AzureTFS2018)
	r := collection(hosts.TFS, a.Collection(), azNoCode).check(t, a)
	wantOutcome(t, r, hosts.Insufficient, "It lacks the Code scope: the TFS server knows the token's user but refused to list repositories (401)", "TFS 2018")
	if !slices.Equal(r.Missing, []string{"Code (read and write)"}) {
		t.Errorf("missing = %v", r.Missing)
	}
}

func TestTFSWrongAndExpiredTokens(t *testing.T) {
	a := azureFake(t, hoststest.AzureTFS2017)
	wantOutcome(t, collection(hosts.TFS, a.Collection(), azWrong).check(t, a), hosts.Rejected,
		"The TFS server does not accept this token (\"TF400813: Resource not available for anonymous access", "created on another server")
	wantOutcome(t, collection(hosts.TFS, a.Collection(), azExpired).check(t, a), hosts.Rejected, "The TFS server says the token has expired")
}

// TestTFSAuthorizationEchoedByAProxyIsNotShown: a proxy that quotes the
// request's Authorization header gives back Basic base64(":" + token),
// from which the token is recoverable; the report must blank it.
func TestTFSAuthorizationEchoedByAProxyIsNotShown(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureTFS2018, Tokens: azureTokens(), EchoAuthorization: true})
	r := collection(hosts.TFS, a.Collection(), azWrong).check(t, a)
	wantOutcome(t, r, hosts.Rejected, "TF400813: The user is not authorized to access this resource. Authorization: Basic [redacted]")
}

func TestIISBasicAuthenticationIsNamed(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServer2019, Tokens: azureTokens(), IISBasicAuth: true})
	r := collection(hosts.AzureDevOpsServer, a.Collection(), azGood).check(t, a)
	wantOutcome(t, r, hosts.Rejected, "401 - Unauthorized: Access is denied due to invalid credentials.", "Basic Authentication is turned on in IIS", "turn off Basic Authentication")
}

func TestCollectionURLForms(t *testing.T) {
	a := azureFake(t, hoststest.AzureServer2019)
	for _, u := range []string{
		a.Collection(), a.Collection() + "/", "  " + a.Collection() + " ",
		a.Collection() + "/_usersSettings/tokens", a.Collection() + "/Fabrikam-Fiber-Git/_git/TestGit",
		strings.Replace(a.Collection(), "DefaultCollection", "defaultcollection", 1),
	} {
		r := collection(hosts.AzureDevOpsServer, u, azGood).check(t, a)
		if r.Outcome != readsCode || !strings.EqualFold(r.Server, a.Collection()) {
			t.Errorf("%q: outcome %d\n%s", u, r.Outcome, r.JSON())
		}
	}
	b := azureFake(t, hoststest.AzureServer2022)
	wantReadsCode(t, collection(hosts.AzureDevOpsServer, b.URL+"/DefaultCollection", azGood).check(t, b))
}

// TestCollectionURLWithoutTFSIsCutToTheCollection: Azure DevOps Server
// 2019 on may drop the /tfs virtual directory, so a repository's address
// is SERVER/COLLECTION/PROJECT/_git/REPO, or SERVER/COLLECTION/_git/REPO
// for the repository named like its project.
func TestCollectionURLWithoutTFSIsCutToTheCollection(t *testing.T) {
	b := azureFake(t, hoststest.AzureServer2022)
	for _, u := range []string{
		b.URL + "/DefaultCollection/Fabrikam-Fiber-Git/_git/AnotherRepository",
		b.URL + "/DefaultCollection/Fabrikam-Fiber-Git/_git/Fabrikam-Fiber-Git?path=/README.md",
		b.URL + "/DefaultCollection/_git/TestGit",
		b.URL + "/DefaultCollection/TestGit/_workitems/recentlyupdated/",
		b.URL + "/DefaultCollection/_usersSettings/tokens",
	} {
		r := collection(hosts.AzureDevOpsServer, u, azGood).check(t, b)
		if r.Outcome != readsCode || r.Server != b.URL+"/DefaultCollection" {
			t.Errorf("%q: outcome %d server %q\n%s", u, r.Outcome, r.Server, r.JSON())
		}
	}
	for _, req := range b.Requests() {
		if !strings.HasPrefix(req, "GET /DefaultCollection/_apis/") {
			t.Errorf("a request below the collection: %s", req)
		}
	}
}

func TestCollectionPathsAsPasted(t *testing.T) {
	for in, want := range map[string]string{
		"https://s/DefaultCollection/Project/_git/Repo":           "https://s/DefaultCollection",
		"https://s/DefaultCollection/_git/Repo":                   "https://s/DefaultCollection",
		"https://s/tfs/DefaultCollection/Project/_git/Repo":       "https://s/tfs/DefaultCollection",
		"https://s/TFS/DefaultCollection/_git/Repo":               "https://s/TFS/DefaultCollection",
		"https://s/tfs/DefaultCollection/Project":                 "https://s/tfs/DefaultCollection",
		"https://s/azdo/DefaultCollection/Project/_git/Repo":      "https://s/azdo/DefaultCollection",
		"https://s/azdo/DefaultCollection/_usersSettings/tokens":  "https://s/azdo/DefaultCollection",
		"https://s/tfs/DefaultCollection/_details/security/token": "https://s/tfs/DefaultCollection",
		"https://s/DefaultCollection/Project/_apis/git/repos":     "https://s/DefaultCollection",
		// Cannot be told apart from COLLECTION/PROJECT/_git/REPO: read so.
		"https://s/azdo/DefaultCollection/_git/Repo": "https://s/azdo",
		// Without a page, the address is kept as typed.
		"https://s/DefaultCollection/Project": "https://s/DefaultCollection/Project",
	} {
		got, err := hosts.TFS.TokenPage(hosts.Request{Fields: map[string]string{"url": in}})
		if want += "/_details/security/tokens"; err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestCollectionURLProblems(t *testing.T) {
	a := azureFake(t, hoststest.AzureTFS2018)
	for u, want := range map[string]string{
		"":                                  "Enter the server address",
		a.URL:                               "Add the collection to the address, such as " + a.URL + "/tfs/DefaultCollection",
		a.URL + "/tfs/":                     "Add the collection after /tfs",
		"https://dev.azure.com/myorg":       "That is an Azure DevOps Services address: use the Azure DevOps tab",
		"https://myorg.visualstudio.com/":   "use the Azure DevOps tab",
		"ftp://tfs.example.com/tfs/Default": "must start with https://",
		"https://u:p@tfs.example.com/tfs/x": "Remove the user name or password",
	} {
		wantOutcome(t, collection(hosts.TFS, u, azGood).check(t, a), hosts.BadInput, want)
	}
	if len(a.Requests()) != 0 {
		t.Errorf("requests = %v", a.Requests())
	}
	wantOutcome(t, collection(hosts.TFS, a.URL+"/tfs/NoSuchCollection", azGood).check(t, a), hosts.Unchecked,
		"There is no project collection at "+a.URL+"/tfs/NoSuchCollection")
}

func TestPlainHTTPCollectionNeedsConsent(t *testing.T) {
	for _, h := range []*hosts.Host{hosts.TFS, hosts.AzureDevOpsServer} {
		a := azureFake(t, hoststest.AzureServer2019)
		plain := a.PlainHTTP(t)
		c := collection(h, plain, azGood)
		r := c.check(t, a)
		wantOutcome(t, r, hosts.BadInput, "uses http://, which would send the token unencrypted", "--allow-http")
		if !r.NeedsHTTPConsent || len(a.Requests()) != 0 {
			t.Errorf("%s: consent %v, requests %v", h.ID, r.NeedsHTTPConsent, a.Requests())
		}
		c.allowHTTP = true
		r = c.check(t, a)
		wantReadsCode(t, r, "The token was sent over plain http:// to "+plain, "enable https")
		if r.NeedsHTTPConsent || !hasLevel(r, hosts.Warn, "plain http://") {
			t.Errorf("%s: consent %v\n%s", h.ID, r.NeedsHTTPConsent, r.JSON())
		}
	}
}

func TestPlainHTTPWarningStaysWhenTheTokenIsRefused(t *testing.T) {
	a := azureFake(t, hoststest.AzureTFS2018)
	c := collection(hosts.TFS, a.PlainHTTP(t), azWrong)
	c.allowHTTP = true
	r := c.check(t, a)
	wantOutcome(t, r, hosts.Rejected, "does not accept this token", "The token was sent over plain http://")
}

func TestPlainHTTPThatMovesToHTTPSNamesTheAddress(t *testing.T) {
	a := azureFake(t, hoststest.AzureTFS2018)
	c := collection(hosts.TFS, a.RedirectingHTTP(t), azGood)
	c.allowHTTP = true
	wantOutcome(t, c.check(t, a), hosts.BadInput, "moves http:// to https://", "Enter the collection URL as "+a.Collection()+".")
	if len(a.Requests()) != 0 {
		t.Errorf("the redirect was followed: %v", a.Requests())
	}
}

func TestAzureTokenPages(t *testing.T) {
	for _, tc := range []struct {
		host   *hosts.Host
		fields map[string]string
		want   string
	}{
		{hosts.AzureDevOps, map[string]string{"org": "https://myorg.visualstudio.com"}, "https://dev.azure.com/myorg/_usersSettings/tokens"},
		{hosts.TFS, map[string]string{"url": "http://tfs:8080/tfs/DefaultCollection/"}, "http://tfs:8080/tfs/DefaultCollection/_details/security/tokens"},
		{hosts.AzureDevOpsServer, map[string]string{"url": "https://ados.example.com/DefaultCollection/_git/repo"}, "https://ados.example.com/DefaultCollection/_usersSettings/tokens"},
	} {
		got, err := tc.host.TokenPage(hosts.Request{Fields: tc.fields})
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.host.ID, got, err, tc.want)
		}
	}
	if _, err := hosts.TFS.TokenPage(hosts.Request{Fields: map[string]string{"url": "https://tfs.example.com"}}); err == nil {
		t.Error("a server address without a collection gave a token page")
	}
}

func TestAzureHostsAskForTheExpiryAndCanCheck(t *testing.T) {
	for _, h := range []*hosts.Host{hosts.AzureDevOps, hosts.TFS, hosts.AzureDevOpsServer} {
		if !h.Checkable() {
			t.Errorf("%s cannot check", h.ID)
		}
		var field *hosts.Field
		for _, f := range h.Variants[0].Fields {
			if f.Key == "expires" {
				field = &f
			}
		}
		if field == nil || !field.Optional || field.Label != "Expiry date" || field.Placeholder != "YYYY-MM-DD" {
			t.Errorf("%s: expiry field %+v", h.ID, field)
		}
	}
}

func FuzzAzureExpiry(f *testing.F) {
	for _, s := range []string{"2027-01-31", "1/31/2027", "31/01/2027", "3/4/2027", "31.01.2027", "Jan 31, 2027",
		"31 January 2027", "Sunday, January 31, 2027", "2027/02/30", "0/0/0", "", "99999-1-1", "12/31/2026 11:59 PM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		exp, reading, err := hosts.ParseAzureExpiry(s)
		if err != nil || exp == nil {
			if reading != "" {
				t.Errorf("%q: a reading without a date", s)
			}
			return
		}
		if exp.Year() < 2000 || exp.Year() > 2200 || exp.Location() != time.UTC {
			t.Errorf("%q: implausible %v", s, exp)
		}
		again, _, err := hosts.ParseAzureExpiry(exp.Format("2006-01-02"))
		if err != nil || !again.Equal(*exp) {
			t.Errorf("%q: %v does not read back (%v, %v)", s, exp, again, err)
		}
	})
}

var apiVersionShape = regexp.MustCompile(`^[1-9][0-9]{0,2}\.[0-9]{1,3}$`)

func FuzzAzureAPICeiling(f *testing.F) {
	f.Add(hoststest.Recorded("azure/version-out-of-range.json"))
	f.Add([]byte(`{"message":"The requested REST API version of \"6.1\" is out of the valid range for this server. The latest REST API version supported by this server is 5.1"}`))
	f.Add([]byte(`The latest REST API version this server supports is 7.0.`))
	f.Add([]byte(`latest REST API version is 0.9`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if v := hosts.AzureAPICeiling(body); v != "" && !apiVersionShape.MatchString(v) {
			t.Errorf("ceiling %q from %q", v, body)
		}
	})
}

func TestAzureAPICeilingReadsBothWordings(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"message":"The requested REST API version of 100.0 is out of range for this server. The latest REST API version this server supports is 4.1."}`, "4.1"},
		{`The latest REST API version supported by this server is 5.1`, "5.1"},
		{`{"message":"Bad request"}`, ""},
	} {
		if got := hosts.AzureAPICeiling([]byte(tc.body)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.body, got, tc.want)
		}
	}
}

func FuzzAzureConnectionData(f *testing.F) {
	for _, name := range []string{"connectiondata-services.json", "connectiondata-onprem.json", "connectiondata-anonymous.json"} {
		f.Add(hoststest.Recorded("azure/" + name))
	}
	f.Add([]byte(`{"authenticatedUser":{"id":"x","properties":{"Account":{"$value":42}}}}`))
	f.Add([]byte(`{"authenticatedUser":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		user, anonymous, err := hosts.AzureCaller(body)
		if err != nil && (user != "" || anonymous) {
			t.Errorf("an error with a caller: %q %v", user, anonymous)
		}
	})
}

func TestAzureCallerTellsAnonymousAnswers(t *testing.T) {
	for name, want := range map[string]bool{"connectiondata-services.json": false, "connectiondata-onprem.json": false, "connectiondata-anonymous.json": true} {
		if _, anon, err := hosts.AzureCaller(hoststest.Recorded("azure/" + name)); err != nil || anon != want {
			t.Errorf("%s: anonymous %v, %v", name, anon, err)
		}
	}
}

func FuzzAzureRepositories(f *testing.F) {
	for _, name := range []string{"repositories-services.json", "repositories-onprem.json", "repositories-empty.json"} {
		f.Add(hoststest.Recorded("azure/" + name))
	}
	f.Add([]byte(`{"count":-4,"value":[{"name":"a"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		names, count, err := hosts.ParseAzureRepos(body)
		if err == nil && count < len(names) {
			t.Errorf("count %d below %d names", count, len(names))
		}
	})
}

func BenchmarkAzureCheckLatency(b *testing.B) {
	token := "BENCHbenchBENCHbenchBENCHbenchBENCHbenchBENCHbench01JQQJyyyyyyyyyyyyyyyyyyyyAZDOab12"
	fake := func(b *testing.B, mode hoststest.AzureMode) *hoststest.Azure {
		return hoststest.NewAzure(b, hoststest.AzureOptions{Mode: mode, Tokens: map[string]hoststest.AzureToken{token: {}}})
	}
	services := fake(b, hoststest.AzureServices)
	tfs := fake(b, hoststest.AzureTFS2018)
	// Twenty named repositories: one round more, whatever their number.
	repos, names := azureRepos(20)
	named := func(b *testing.B, mode hoststest.AzureMode) *hoststest.Azure {
		return hoststest.NewAzure(b, hoststest.AzureOptions{Mode: mode, Repos: repos, Tokens: map[string]hoststest.AzureToken{token: {}}})
	}
	services20, tfs20 := named(b, hoststest.AzureServices), named(b, hoststest.AzureTFS2018)
	list := strings.Join(names, "\n")
	for _, c := range []latencyCase{
		{name: "azure-devops", host: hosts.AzureDevOpsAt(services.URL, services.URL), secrets: []string{token}, want: readsCode,
			server: func(*testing.B) (*hoststest.Server, hosts.Request) {
				return services.Server, hosts.Request{Fields: map[string]string{"org": "myorg"}}
			}},
		{name: "tfs", host: hosts.TFS, secrets: []string{token}, want: readsCode,
			server: func(*testing.B) (*hoststest.Server, hosts.Request) {
				return tfs.Server, hosts.Request{Fields: map[string]string{"url": tfs.Collection()}}
			}},
		{name: "azure-devops-20-repositories", host: hosts.AzureDevOpsAt(services20.URL, services20.URL), secrets: []string{token}, want: readsCode,
			server: func(*testing.B) (*hoststest.Server, hosts.Request) {
				return services20.Server, hosts.Request{Fields: map[string]string{"org": "myorg", hosts.RepoFieldKey: list}}
			}},
		{name: "tfs-20-repositories", host: hosts.TFS, secrets: []string{token}, want: readsCode,
			server: func(*testing.B) (*hoststest.Server, hosts.Request) {
				return tfs20.Server, hosts.Request{Fields: map[string]string{"url": tfs20.Collection(), hosts.RepoFieldKey: list}}
			}},
	} {
		b.Run(c.name, func(b *testing.B) { benchLatency(b, c) })
	}
}
