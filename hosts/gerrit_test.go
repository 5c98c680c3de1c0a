package hosts_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
)

// Canary HTTP passwords: 42 characters of base64, as Gerrit generates
// them (PutHttpPassword.generate: 31 random bytes, padding cut).
const (
	gerritPassword  = "CANARYgerritCANARYgerritCANARYgerrit+/0001"
	gerritAdminPass = "CANARYadminpwCANARYadminpwCANARYadminpw002"
	gerritBarePass  = "CANARYbarepwdCANARYbarepwdCANARYbarepwd003"
	gerritOldPass   = "CANARYoldpassCANARYoldpassCANARYoldpass004"
)

func gerritFake(t *testing.T, o hoststest.GerritOptions) *hoststest.Gerrit {
	o.Accounts = []hoststest.GerritAccount{
		{Username: "john", Password: gerritPassword},
		{Username: "admin", Password: gerritAdminPass, Admin: true},
		{Username: "newbie", Password: gerritBarePass, ConfigOnly: true},
		{Username: "gone", Password: gerritOldPass, Inactive: true},
	}
	return hoststest.NewGerrit(t, o)
}

func checkGerrit(t *testing.T, g *hoststest.Gerrit, serverURL, user, password string) *hosts.Report {
	t.Helper()
	req := hosts.Request{Fields: map[string]string{"url": serverURL, "user": user}}
	return runCheck(t, hosts.Gerrit, req, []string{password}, g.CAFile(t), now, 5*time.Second)
}

func TestGerritAccountThatReadsProjectsIsSufficient(t *testing.T) {
	g := gerritFake(t, hoststest.GerritOptions{})
	r := checkGerrit(t, g, g.Web(), "john", gerritPassword)
	wantOutcome(t, r, hosts.Sufficient, "signs in as John Doe (john), john.doe@example.com", "Gerrit 3.9.1",
		"may read 3 projects, such as external/bison, external/gcc, test", "does not tell gitpat when the password expires")
	if r.User != "john" || r.Name != "John Doe" || r.TokenKind != "HTTP password" || !r.ExpiryUnknown {
		t.Errorf("user %q name %q kind %q expiry unknown %v", r.User, r.Name, r.TokenKind, r.ExpiryUnknown)
	}
	if !slices.Equal(r.Scopes, []string{"Read", "emailReviewers"}) {
		t.Errorf("scopes = %v", r.Scopes)
	}
	want := []string{"GET /a/accounts/self", "GET /a/accounts/self/capabilities", "GET /a/config/server/version", "GET /a/projects/"}
	if got := sorted(g.Requests()); !slices.Equal(got, want) {
		t.Errorf("requests = %v", got)
	}
}

func TestGerritAdministratorIsWarned(t *testing.T) {
	g := gerritFake(t, hoststest.GerritOptions{})
	r := checkGerrit(t, g, g.Web(), "admin", gerritAdminPass)
	wantOutcome(t, r, hosts.Sufficient, "administers Gerrit (Administrate Server)")
	if !slices.Contains(r.Scopes, "administrateServer") || slices.Contains(r.Scopes, "queryLimit") {
		t.Errorf("scopes = %v: want true capabilities, no ranges", r.Scopes)
	}
}

func TestGerritRefusedLogins(t *testing.T) {
	g := gerritFake(t, hoststest.GerritOptions{})
	for _, tc := range []struct {
		name, user, password string
		says                 []string
	}{
		{"right password, wrong user name", "jdoe", gerritPassword, []string{"does not accept the user name jdoe", "the user name is not the account's Username"}},
		{"email instead of the user name", "john.doe@example.com", gerritPassword, []string{"signs in with the Username on Settings → Profile, which is usually not the email"}},
		{"password replaced by a newer one", "john", gerritOldPass, []string{"replaced by a newer one"}},
		{"inactive account", "gone", gerritOldPass, []string{"the account is inactive"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := checkGerrit(t, g, g.Web(), tc.user, tc.password)
			wantOutcome(t, r, hosts.Rejected, tc.says...)
			if p := firstProblem(r); !strings.Contains(p.Link, "/settings/#HTTPCredentials") {
				t.Errorf("link %q", p.Link)
			}
		})
	}
}

func TestGerritAccountThatReadsNoProject(t *testing.T) {
	g := gerritFake(t, hoststest.GerritOptions{})
	r := checkGerrit(t, g, g.Web(), "newbie", gerritBarePass)
	wantOutcome(t, r, hosts.Insufficient, "may read no project")
	if !slices.Equal(r.Missing, []string{"Read"}) {
		t.Errorf("missing %v", r.Missing)
	}
}

func TestGerritBeforeBasicAuthentication(t *testing.T) {
	g := gerritFake(t, hoststest.GerritOptions{Digest: true, Version: "2.13.9"})
	r := checkGerrit(t, g, g.Web(), "john", gerritPassword)
	wantOutcome(t, r, hosts.Unchecked, "HTTP digest authentication, which Gerrit dropped in 2.14")
}

func TestGerritThatDidNotAuthenticate(t *testing.T) {
	g := gerritFake(t, hoststest.GerritOptions{AnonymousOnly: true})
	r := checkGerrit(t, g, g.Web(), "john", gerritPassword)
	wantOutcome(t, r, hosts.Rejected, "Gerrit refused the account: Authentication required")
}

func TestGerritPathPrefixAndPastedPages(t *testing.T) {
	g := gerritFake(t, hoststest.GerritOptions{Prefix: "/r"})
	for _, u := range []string{g.Web(), g.Web() + "/", g.Web() + "/c/test/+/1234", g.Web() + "/settings/#HTTPCredentials", g.Web() + "/q/status:open"} {
		r := checkGerrit(t, g, u, "john", gerritPassword)
		wantOutcome(t, r, hosts.Sufficient)
		if r.Server != g.Web() {
			t.Errorf("%s: server %q", u, r.Server)
		}
	}
	r := checkGerrit(t, g, g.URL, "john", gerritPassword)
	wantOutcome(t, r, hosts.Unchecked, "There is no Gerrit REST API at", "path prefix")
}

func TestGerritNeedsAUserName(t *testing.T) {
	g := gerritFake(t, hoststest.GerritOptions{})
	for _, user := range []string{"", "john doe", "john:doe"} {
		r := checkGerrit(t, g, g.Web(), user, gerritPassword)
		wantOutcome(t, r, hosts.BadInput, "user name")
	}
	if len(g.Requests()) != 0 {
		t.Errorf("sent without a user name: %v", g.Requests())
	}
}

func TestGerritTokenPage(t *testing.T) {
	page, err := hosts.Gerrit.TokenPage(hosts.Request{Fields: map[string]string{"url": "https://example.com/r/c/test/+/1"}})
	if err != nil || page != "https://example.com/r/settings/#HTTPCredentials" {
		t.Errorf("token page %q, %v", page, err)
	}
}
