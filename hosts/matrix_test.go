package hosts_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

// matrixHost sets up one host with a fake that accepts the given canary
// credentials; at(url) aims a request at another address.
type matrixHost struct {
	name    string
	setup   func(t *testing.T) (srv *hoststest.Server, host *hosts.Host, at func(url string) hosts.Request)
	secrets []string
	// healthy is the verdict on the healthy fake: Sufficient, or for the
	// Azure family Insufficient (the token reads code; Code write cannot
	// be proven without writing).
	healthy hosts.Outcome
}

const (
	mxGitHub = "ghp_CANARYmatrixCANARYmatrixCANARYmatrix0"
	mxGitLab = "glpat-CANARYmatrixCANARYmx"
	mxAzure  = "canarymatrixcanarymatrixcanarymatrixcanarymatrixcana"
	mxKeyID  = "AKIACANARYMATRIXKEY7"
	mxSecret = "CANARY/matrix+secret/CANARY/matrix+secre"
	mxAtlas  = "ATATT3xFfGF0CANARYmatrixCANARYmatrixCANARYmatrixCANARYma=0A0B0C0D"
	mxGerrit = "CANARYmatrixpwCANARYmatrixpwCANARYmatrix05"
)

// mxBitbucketDC is a classic Bitbucket Data Center token: base64 of its ID
// and the canary.
var mxBitbucketDC = hoststest.BitbucketDCTokenFor("314159265358", "CANARYmatrix")

var matrixHosts = []matrixHost{
	{name: "github", secrets: []string{mxGitHub}, setup: func(t *testing.T) (*hoststest.Server, *hosts.Host, func(string) hosts.Request) {
		g := hoststest.NewGitHub(t, true, map[string]hoststest.GitHubToken{mxGitHub: {Scopes: "repo"}})
		return g.Server, hosts.GitHub, func(u string) hosts.Request {
			return hosts.Request{Variant: "enterprise", Fields: map[string]string{"url": u}}
		}
	}},
	{name: "gitlab", secrets: []string{mxGitLab}, setup: func(t *testing.T) (*hoststest.Server, *hosts.Host, func(string) hosts.Request) {
		g := hoststest.NewGitLab(t, hoststest.GitLabOptions{Version: "17.5.1-ee", Tokens: map[string]hoststest.GitLabToken{mxGitLab: {Scopes: []string{"api"}}}})
		return g.Server, hosts.GitLab, func(u string) hosts.Request {
			return hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": u}}
		}
	}},
	{name: "azure-devops", secrets: []string{mxAzure}, healthy: hosts.Insufficient, setup: func(t *testing.T) (*hoststest.Server, *hosts.Host, func(string) hosts.Request) {
		a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServices, Tokens: map[string]hoststest.AzureToken{mxAzure: {}}})
		// The Services host's addresses are fixed; aim a copy at u.
		host := hosts.AzureDevOpsAt(a.URL, a.URL)
		return a.Server, host, func(u string) hosts.Request {
			*host = *hosts.AzureDevOpsAt(u, u)
			return hosts.Request{Fields: map[string]string{"org": "myorg"}}
		}
	}},
	{name: "tfs", secrets: []string{mxAzure}, healthy: hosts.Insufficient, setup: func(t *testing.T) (*hoststest.Server, *hosts.Host, func(string) hosts.Request) {
		a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureTFS2018, Tokens: map[string]hoststest.AzureToken{mxAzure: {}}})
		return a.Server, hosts.TFS, func(u string) hosts.Request {
			return hosts.Request{Fields: map[string]string{"url": u + "/tfs/DefaultCollection"}}
		}
	}},
	{name: "azure-devops-server", secrets: []string{mxAzure}, healthy: hosts.Insufficient, setup: func(t *testing.T) (*hoststest.Server, *hosts.Host, func(string) hosts.Request) {
		a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServer2022, Tokens: map[string]hoststest.AzureToken{mxAzure: {}}})
		return a.Server, hosts.AzureDevOpsServer, func(u string) hosts.Request {
			return hosts.Request{Fields: map[string]string{"url": u + "/DefaultCollection"}}
		}
	}},
	{name: "bitbucket", secrets: []string{mxAtlas}, setup: func(t *testing.T) (*hoststest.Server, *hosts.Host, func(string) hosts.Request) {
		b := hoststest.NewBitbucketCloud(t, map[string]hoststest.BitbucketToken{mxAtlas: {Email: "jira@example.com", Scopes: bbAllScopes}})
		return b.Server, hosts.BitbucketCloud, func(u string) hosts.Request {
			return hosts.Request{Fields: map[string]string{"url": u, "user": "jira@example.com"}}
		}
	}},
	{name: "bitbucket-datacenter", secrets: []string{mxBitbucketDC}, setup: func(t *testing.T) (*hoststest.Server, *hosts.Host, func(string) hosts.Request) {
		b := hoststest.NewBitbucketDC(t, hoststest.BitbucketDCOptions{Tokens: map[string]hoststest.BitbucketDCToken{
			mxBitbucketDC: {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_WRITE"}}}})
		return b.Server, hosts.BitbucketDataCenter, func(u string) hosts.Request {
			return hosts.Request{Fields: map[string]string{"url": u, "user": "jira-bot"}}
		}
	}},
	{name: "gerrit", secrets: []string{mxGerrit}, setup: func(t *testing.T) (*hoststest.Server, *hosts.Host, func(string) hosts.Request) {
		g := hoststest.NewGerrit(t, hoststest.GerritOptions{Accounts: []hoststest.GerritAccount{{Username: "jira-bot", Password: mxGerrit}}})
		return g.Server, hosts.Gerrit, func(u string) hosts.Request {
			return hosts.Request{Fields: map[string]string{"url": u, "user": "jira-bot"}}
		}
	}},
	{name: "codecommit", secrets: []string{mxKeyID, mxSecret}, setup: func(t *testing.T) (*hoststest.Server, *hosts.Host, func(string) hosts.Request) {
		a := hoststest.NewAWS(t, map[string]hoststest.AWSKey{mxKeyID: {Secret: mxSecret, User: "jira-codecommit"}})
		return a.Server, hosts.CodeCommit, func(u string) hosts.Request {
			return hosts.Request{Fields: map[string]string{"url": u, "region": "eu-west-1"}}
		}
	}},
}

// runCheck runs host's check with the given CA file, clock (zero: now) and
// deadline, and asserts what every check must hold: it ends, and its
// report, as JSON and as text, shows no credential and no canary.
func runCheck(t *testing.T, host *hosts.Host, req hosts.Request, secrets []string, caFile string, now time.Time, timeout time.Duration) *hosts.Report {
	t.Helper()
	client, err := httpx.New(httpx.Options{CAFile: caFile})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		req.Secrets = append(req.Secrets, secret.New(s))
	}
	env := hosts.Env{HTTP: client}
	if !now.IsZero() {
		env.Now = func() time.Time { return now }
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	done := make(chan *hosts.Report, 1)
	go func() { done <- host.Check(ctx, env, req) }()
	var r *hosts.Report
	select {
	case r = <-done:
	case <-time.After(timeout + 10*time.Second):
		t.Fatal("the check did not end after its deadline")
	}
	out := string(r.JSON()) + r.Text(time.Now())
	if strings.Contains(out, "CANARY") || strings.Contains(out, "canarymatrix") || leakedForm(out, secrets...) != "" {
		t.Fatalf("the report shows a credential (%s):\n%s", leakedForm(out, secrets...), out)
	}
	return r
}

// leakedForm names the form in which out holds one of the secrets: as
// is, or encoded the way a request carried it (Basic auth, URL-encoded);
// "" when it holds none.
func leakedForm(out string, secrets ...string) string {
	b64 := base64.StdEncoding.EncodeToString
	for _, s := range secrets {
		forms := map[string]string{"as is": s, "base64": strings.TrimRight(b64([]byte(s)), "="),
			"base64 of :token": strings.TrimRight(b64([]byte(":"+s)), "="), "URL-encoded": url.QueryEscape(s)}
		for name, f := range forms {
			if strings.Contains(out, f) || strings.Contains(strings.ToLower(out), strings.ToLower(f)) && name == "as is" {
				return name
			}
		}
	}
	return ""
}

// matrixCheck is runCheck on the real clock.
func matrixCheck(t *testing.T, host *hosts.Host, req hosts.Request, secrets []string, caFile string, timeout time.Duration) *hosts.Report {
	t.Helper()
	return runCheck(t, host, req, secrets, caFile, time.Time{}, timeout)
}

// firstProblem is the first warning or error: the sentence a user reads.
func firstProblem(r *hosts.Report) hosts.Finding {
	for _, f := range r.Findings {
		if f.Level != hosts.Info {
			return f
		}
	}
	return hosts.Finding{}
}

func TestFaultMatrix(t *testing.T) {
	faults := []struct {
		name  string
		fault hoststest.Fault
	}{
		{"never answers", hoststest.Hang}, {"401", hoststest.Unauthorized}, {"403", hoststest.Forbidden},
		{"404", hoststest.NotFound}, {"429", hoststest.TooManyRequests}, {"500", hoststest.InternalError},
		{"502 HTML", hoststest.BadGateway}, {"HTML login page 200", hoststest.LoginPage},
		{"malformed JSON", hoststest.MalformedJSON}, {"20 MB body", hoststest.Huge},
		{"redirect to another host", hoststest.RedirectElsewhere}, {"redirect to http", hoststest.RedirectHTTP},
	}
	for _, h := range matrixHosts {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			srv, host, at := h.setup(t)
			ca := srv.CAFile(t)

			ok := matrixCheck(t, host, at(srv.URL), h.secrets, ca, 5*time.Second)
			if ok.Outcome != h.healthy || !ok.Valid || len(ok.Missing) != 0 {
				t.Fatalf("the healthy fake does not pass:\n%s", ok.Text(time.Now()))
			}
			unknownCA := matrixCheck(t, host, at(srv.URL), h.secrets, "", 5*time.Second)
			wantProblem(t, "unknown CA", unknownCA, hosts.Unchecked, "not signed by an authority this computer trusts")
			wrongName := matrixCheck(t, host, at(strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)), h.secrets, ca, 5*time.Second)
			wantProblem(t, "wrong host name", wrongName, hosts.Unchecked, "issued for another name")
			refused := matrixCheck(t, host, at("https://"+closedAddr(t)), h.secrets, ca, 5*time.Second)
			wantProblem(t, "connection refused", refused, hosts.Unchecked, "refused the connection")

			for _, f := range faults {
				srv.SetFault(f.fault)
				r := matrixCheck(t, host, at(srv.URL), h.secrets, ca, 2*time.Second)
				p := firstProblem(r)
				if r.Outcome == hosts.Sufficient || r.Outcome == h.healthy || p.Text == "" || p.Fix == "" {
					t.Errorf("%s: outcome %d, finding %+v", f.name, r.Outcome, p)
				}
				t.Logf("%-26s exit %d  %s", f.name, r.Outcome, p.Text)
			}
		})
	}
}

// foreignTokens are one credential of each family, as canaries.
var foreignTokens = map[string]struct{ token, says string }{
	"github": {"ghp_CANARYf0r31gnCANARYf0r31gnCANARYf0r3", "looks like a GitHub personal access token"},
	"gitlab": {"glpat-CANARYf0r31gnCANARYf0", "looks like a GitLab personal access token"},
	"aws":    {"AKIACANARYFOREIGNAAA", "looks like an AWS access key ID"},
	"azure":  {"canaryforeigncanaryforeigncanaryforeigncanaryforeign", "looks like an Azure DevOps or TFS personal access token"},
	"bitbucket": {"ATATT3xFfGF0CANARYf0r31gnCANARYf0r31gnCANARYf0r31gnCANARY=0F1E2D3C",
		"looks like an Atlassian API token, not a"},
	"bitbucket-dc": {"BBDC-CANARYf0r31gnCANARYf0r31gnCANARYf0r31gnCANARYf0", "looks like a Bitbucket Data Center HTTP access token"},
}

// TestEveryHostRefusesOtherHostsTokensWithoutSendingThem: a credential
// whose format belongs to another host, in any secret field, is named and
// never sent.
func TestEveryHostRefusesOtherHostsTokensWithoutSendingThem(t *testing.T) {
	for _, h := range matrixHosts {
		t.Run(h.name, func(t *testing.T) {
			srv, host, at := h.setup(t)
			for family, foreign := range foreignTokens {
				if family == host.Family {
					continue
				}
				for slot := range h.secrets {
					secrets := slices.Clone(h.secrets)
					secrets[slot] = foreign.token
					r := matrixCheck(t, host, at(srv.URL), secrets, srv.CAFile(t), 5*time.Second)
					if strings.Contains(string(r.JSON()), "canaryforeign") {
						t.Fatal("the report shows the foreign token")
					}
					wantProblem(t, family+" token in field "+fmt.Sprint(slot+1), r, hosts.Rejected, foreign.says)
					if p := firstProblem(r); !strings.Contains(p.Text, "did not send it") {
						t.Errorf("%s: %q does not say it was not sent", family, p.Text)
					}
				}
			}
			if got := srv.Requests(); len(got) != 0 {
				t.Errorf("another host's credential was sent: %v", got)
			}
		})
	}
}

func wantProblem(t *testing.T, name string, r *hosts.Report, o hosts.Outcome, text string) {
	t.Helper()
	p := firstProblem(r)
	if r.Outcome != o || !strings.Contains(p.Text, text) || p.Fix == "" {
		t.Errorf("%s: outcome %d (want %d), finding %q, fix %q", name, r.Outcome, o, p.Text, p.Fix)
	}
}

// closedAddr is an address where nothing listens.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
