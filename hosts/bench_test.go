package hosts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

// benchRTT is the latency the fakes add to every answer: one round trip.
const benchRTT = 100 * time.Millisecond

// latencyCase is one host's check against its fake with added latency.
type latencyCase struct {
	name    string
	host    *hosts.Host
	server  func(b *testing.B) (*hoststest.Server, hosts.Request)
	secrets []string
	// want is the verdict on the healthy fake: Sufficient, or Insufficient
	// for the Azure family, whose Code write cannot be proven.
	want hosts.Outcome
}

// benchLatency measures a check's wall time in round trips and its
// requests: independent requests run in parallel, so the wall time should
// be the longest chain of dependent requests, not the sum.
func benchLatency(b *testing.B, c latencyCase) {
	srv, req := c.server(b)
	srv.Latency = benchRTT
	client, err := httpx.New(httpx.Options{CAFile: srv.CAFile(b)})
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range c.secrets {
		req.Secrets = append(req.Secrets, secret.New(s))
	}
	env := hosts.Env{HTTP: client}
	// Warm the connection: a check reuses the app's client, which has
	// already connected once the user tests a second time.
	c.host.Check(context.Background(), env, req)
	before := len(srv.Requests())
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		r := c.host.Check(context.Background(), env, req)
		if r.Outcome != c.want {
			b.Fatalf("outcome %d:\n%s", r.Outcome, r.JSON())
		}
	}
	wall := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64(len(srv.Requests())-before)/float64(b.N), "requests/op")
	b.ReportMetric(float64(wall)/float64(benchRTT), "RTTs/op")
}

func BenchmarkCheckLatency(b *testing.B) {
	ssoHost := &hosts.Host{}
	cases := []latencyCase{
		{name: "github", host: hosts.GitHub, secrets: []string{classicToken}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			g := hoststest.NewGitHub(b, true, map[string]hoststest.GitHubToken{classicToken: {Scopes: "repo", Expires: "2099-01-01 00:00:00 UTC"}})
			return g.Server, hosts.Request{Variant: "enterprise", Fields: map[string]string{"url": g.URL}}
		}},
		// A token two SAML SSO organizations have not authorized: a second
		// round names them.
		{name: "github-sso", host: ssoHost, secrets: []string{classicToken}, want: hosts.Insufficient, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			g := hoststest.NewGitHub(b, false, map[string]hoststest.GitHubToken{classicToken: {Scopes: "repo", SSOPartial: "21955855,20582480"}})
			*ssoHost = *hosts.GitHubDotComAt(g.URL)
			return g.Server, hosts.Request{}
		}},
		{name: "gitlab", host: hosts.GitLab, secrets: []string{"glpat-BENCHbenchBENCHbench01"}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			g := hoststest.NewGitLab(b, hoststest.GitLabOptions{Version: "17.5.1-ee", Tokens: map[string]hoststest.GitLabToken{
				"glpat-BENCHbenchBENCHbench01": {Scopes: []string{"api"}, ExpiresAt: "2099-01-01"}}})
			return g.Server, hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": g.Web()}}
		}},
		// Twenty projects named in the repository field: one more round
		// trip, whatever their number up to twenty.
		{name: "gitlab-20-projects", host: hosts.GitLab, secrets: []string{"glpat-BENCHbenchBENCHbench01"}, server: gitlabProjects(false)},
		// The same through a server or proxy without HTTP/2: the requests
		// at once need connections of their own, and their handshakes.
		{name: "gitlab-20-projects-http1", host: hosts.GitLab, secrets: []string{"glpat-BENCHbenchBENCHbench01"}, server: gitlabProjects(true)},
		{name: "codecommit", host: hosts.CodeCommit, secrets: []string{"AKIABENCHBENCHBENCH7", "BENCH/bench+secret/BENCH/bench+secret/BE"}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			a := hoststest.NewAWS(b, map[string]hoststest.AWSKey{"AKIABENCHBENCHBENCH7": {Secret: "BENCH/bench+secret/BENCH/bench+secret/BE", User: "jira"}})
			return a.Server, hosts.Request{Fields: map[string]string{"url": a.URL, "region": "eu-west-1"}}
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) { benchLatency(b, c) })
	}
}

// gitlabProjects is a GitLab holding twenty projects where the token's
// user is a Developer, all named in the repository field.
func gitlabProjects(http1 bool) func(b *testing.B) (*hoststest.Server, hosts.Request) {
	return func(b *testing.B) (*hoststest.Server, hosts.Request) {
		projects := map[string]hoststest.GitLabProject{}
		var names []string
		for i := range 20 {
			name := fmt.Sprintf("acme/service-%02d", i)
			projects[name] = hoststest.GitLabProject{Group: 30, Protected: []hoststest.GitLabRule{{Name: "main", Push: []int{40}, Merge: []int{40}}}}
			names = append(names, name)
		}
		g := hoststest.NewGitLab(b, hoststest.GitLabOptions{Version: "17.5.1-ee", Projects: projects, HTTP1: http1,
			Tokens: map[string]hoststest.GitLabToken{"glpat-BENCHbenchBENCHbench01": {Scopes: []string{"api"}, ExpiresAt: "2099-01-01"}}})
		return g.Server, hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": g.Web(), hosts.RepoFieldKey: strings.Join(names, "\n")}}
	}
}

func BenchmarkClassify(b *testing.B) {
	tokens := []string{classicToken, fineToken, "glpat-CANARYxxxxxxxxxxxxxx", "AKIACANARYAAAAAAAAAA", "something-else"}
	for i := range b.N {
		hosts.Classify(tokens[i%len(tokens)])
	}
}

func BenchmarkParseServerURL(b *testing.B) {
	inputs := []string{"ghe.example.com", "https://ghe.example.com/api/v3/", " http://tfs:8080/tfs/DefaultCollection "}
	for i := range b.N {
		_, _ = hosts.ParseServerURL(inputs[i%len(inputs)], true)
	}
}
