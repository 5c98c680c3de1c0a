package hosts_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
	ssoHost, ssoRepoHost := &hosts.Host{}, &hosts.Host{}
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
		// Twenty named repositories (private and public, of organizations
		// and of the user): one more round, all at once, beside nothing.
		{name: "github-20-repos", host: hosts.GitHub, secrets: []string{classicToken}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			g := hoststest.NewGitHub(b, true, map[string]hoststest.GitHubToken{classicToken: {Scopes: "repo", Expires: "2099-01-01 00:00:00 UTC"}})
			g.Repos = githubBenchRepos(20)
			return g.Server, hosts.Request{Variant: "enterprise", Fields: map[string]string{"url": g.URL, hosts.RepoFieldKey: strings.Join(slices.Sorted(maps.Keys(g.Repos)), "\n")}}
		}},
		// The same from a server that speaks only HTTP/1.1: the parallel
		// requests need a connection each, and the client keeps 4.
		{name: "github-20-repos-http1", host: hosts.GitHub, secrets: []string{classicToken}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			g := hoststest.NewGitHub(b, true, map[string]hoststest.GitHubToken{classicToken: {Scopes: "repo", Expires: "2099-01-01 00:00:00 UTC"}}, hoststest.HTTP1Only)
			g.Repos = githubBenchRepos(20)
			return g.Server, hosts.Request{Variant: "enterprise", Fields: map[string]string{"url": g.URL, hosts.RepoFieldKey: strings.Join(slices.Sorted(maps.Keys(g.Repos)), "\n")}}
		}},
		// The same with a fine-grained token given all twenty: not Ready
		// (pull requests cannot be proven), in the same time.
		{name: "github-fine-20-repos", host: hosts.GitHub, secrets: []string{fineToken}, want: hosts.Insufficient, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			repos := githubBenchRepos(20)
			grants := map[string]hoststest.GitHubGrant{}
			for name := range repos {
				grants[name] = hoststest.GitHubGrant{Contents: "write", PullRequests: "write"}
			}
			g := hoststest.NewGitHub(b, true, map[string]hoststest.GitHubToken{fineToken: {FineGrained: true, Grants: grants}})
			g.Repos, g.Version = repos, "3.14.2"
			return g.Server, hosts.Request{Variant: "enterprise", Fields: map[string]string{"url": g.URL, hosts.RepoFieldKey: strings.Join(slices.Sorted(maps.Keys(g.Repos)), "\n")}}
		}},
		// Twenty repositories and two SAML SSO organizations: the SSO
		// lookups and the repositories share the second round.
		{name: "github-sso-20-repos", host: ssoRepoHost, secrets: []string{classicToken}, want: hosts.Insufficient, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			g := hoststest.NewGitHub(b, false, map[string]hoststest.GitHubToken{classicToken: {Scopes: "repo", SSOPartial: "21955855,20582480"}})
			g.Repos = githubBenchRepos(20)
			*ssoRepoHost = *hosts.GitHubDotComAt(g.URL)
			return g.Server, hosts.Request{Fields: map[string]string{hosts.RepoFieldKey: strings.Join(slices.Sorted(maps.Keys(g.Repos)), "\n")}}
		}},
		{name: "gitlab", host: hosts.GitLab, secrets: []string{"glpat-BENCHbenchBENCHbench01"}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			g := hoststest.NewGitLab(b, hoststest.GitLabOptions{Version: "17.5.1-ee", Tokens: map[string]hoststest.GitLabToken{
				"glpat-BENCHbenchBENCHbench01": {Scopes: []string{"api"}, ExpiresAt: "2099-01-01"}}})
			return g.Server, hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": g.Web()}}
		}},
		{name: "bitbucket", host: hosts.BitbucketCloud, secrets: []string{bbToken}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			f := hoststest.NewBitbucketCloud(b, map[string]hoststest.BitbucketToken{bbToken: {Email: bbEmail, Scopes: bbAllScopes}})
			return f.Server, hosts.Request{Fields: map[string]string{"url": f.URL, "user": bbEmail}}
		}},
		{name: "bitbucket-datacenter", host: hosts.BitbucketDataCenter, secrets: []string{dcToken}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			f := hoststest.NewBitbucketDC(b, hoststest.BitbucketDCOptions{Tokens: map[string]hoststest.BitbucketDCToken{
				dcToken: {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_WRITE"}, ExpiryDays: 90, Created: dcCreated}}})
			return f.Server, hosts.Request{Fields: map[string]string{"url": f.Web()}}
		}},
		{name: "gerrit", host: hosts.Gerrit, secrets: []string{gerritPassword}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
			f := hoststest.NewGerrit(b, hoststest.GerritOptions{Accounts: []hoststest.GerritAccount{{Username: "john", Password: gerritPassword}}})
			return f.Server, hosts.Request{Fields: map[string]string{"url": f.Web(), "user": "john"}}
		}},
		// The same checks with 20 named repositories (projects): their
		// requests go in one round, with the second round or after the
		// first. Over HTTP/1.1 each request sent at once needs its own
		// connection, over HTTP/2 they share one.
		bitbucketRepos(false), bitbucketRepos(true),
		bitbucketDCRepos(false), bitbucketDCRepos(true),
		gerritRepos(false), gerritRepos(true),
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
		// 20 named repositories: their simulation joins the round after STS.
		codecommitRepos("codecommit-20-repos", 20, hoststest.AWSKey{}, hosts.Sufficient),
		// Listing not allowed (a policy naming the repositories): one
		// BatchGetRepositories after the list answered.
		codecommitRepos("codecommit-20-repos-no-listing", 20, hoststest.AWSKey{AllowOnly: benchRepos(20), NoListRepositories: true}, hosts.Sufficient),
		// ... and one of the 20 the policy does not name: BatchGetRepositories is
		// denied as a whole, so GetRepository asks about each.
		codecommitRepos("codecommit-20-repos-no-listing-one-outside", 20, hoststest.AWSKey{AllowOnly: benchRepos(19), NoListRepositories: true}, hosts.Insufficient),
		codecommitRepos("codecommit-50-repos", 50, hoststest.AWSKey{}, hosts.Sufficient),
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) { benchLatency(b, c) })
	}
}

// benchRepos are n repository names, all in the fake's region.
func benchRepos(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("service-%02d", i)
	}
	return names
}

// codecommitRepos is the CodeCommit check with n named repositories.
func codecommitRepos(name string, n int, key hoststest.AWSKey, want hosts.Outcome) latencyCase {
	const id, secret = "AKIABENCHBENCHREPOS7", "BENCH/bench+repos+/BENCH/bench+repos+/BE"
	key.Secret, key.User = secret, "jira"
	return latencyCase{name: name, host: hosts.CodeCommit, secrets: []string{id, secret}, want: want, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
		a := hoststest.NewAWS(b, map[string]hoststest.AWSKey{id: key})
		a.Repositories = benchRepos(60)
		return a.Server, hosts.Request{Fields: map[string]string{"url": a.URL, "region": "eu-west-1",
			hosts.RepoFieldKey: strings.Join(benchRepos(n), "\n")}}
	}}
}

// bitbucketRepos is the Bitbucket Cloud check with 20 repositories the
// account may write to.
func bitbucketRepos(h2 bool) latencyCase {
	name, fake := "bitbucket-20-repos", hoststest.NewBitbucketCloud
	if h2 {
		name, fake = name+"-http2", hoststest.NewBitbucketCloudHTTP2
	}
	return latencyCase{name: name, host: hosts.BitbucketCloud, secrets: []string{bbToken}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
		f := fake(b, map[string]hoststest.BitbucketToken{bbToken: {Email: bbEmail, Scopes: bbAllScopes}})
		f.Repos = map[string]hoststest.BitbucketRepo{}
		for _, n := range benchNames("acme/repo-") {
			f.Repos[n] = hoststest.BitbucketRepo{Permission: "write"}
		}
		return f.Server, hosts.Request{Fields: map[string]string{"url": f.URL, "user": bbEmail, "repos": strings.Join(benchNames("acme/repo-"), "\n")}}
	}}
}

// bitbucketDCRepos is the Data Center check with 20 writable repositories
// in one project.
func bitbucketDCRepos(h2 bool) latencyCase {
	name := "bitbucket-datacenter-20-repos"
	if h2 {
		name += "-http2"
	}
	return latencyCase{name: name, host: hosts.BitbucketDataCenter, secrets: []string{dcToken}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
		repos := map[string]hoststest.BitbucketDCRepo{}
		for _, n := range benchNames("ACME/repo-") {
			repos[n] = hoststest.BitbucketDCRepo{Access: "write"}
		}
		f := hoststest.NewBitbucketDC(b, hoststest.BitbucketDCOptions{Repos: repos, HTTP2: h2, Tokens: map[string]hoststest.BitbucketDCToken{
			dcToken: {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_WRITE"}, ExpiryDays: 90, Created: dcCreated}}})
		return f.Server, hosts.Request{Fields: map[string]string{"url": f.Web(), "repos": strings.Join(benchNames("ACME/repo-"), "\n")}}
	}}
}

// gerritRepos is the Gerrit check with 20 projects, for an account with
// View Access (five requests a project: the most).
func gerritRepos(h2 bool) latencyCase {
	name := "gerrit-20-projects"
	if h2 {
		name += "-http2"
	}
	return latencyCase{name: name, host: hosts.Gerrit, secrets: []string{gerritViewPass}, server: func(b *testing.B) (*hoststest.Server, hosts.Request) {
		projects := map[string]hoststest.GerritProject{}
		for _, n := range benchNames("platform/repo-") {
			projects[n] = hoststest.GerritProject{Branches: []string{"main"}, Create: true, Upload: true}
		}
		f := hoststest.NewGerrit(b, hoststest.GerritOptions{Projects: projects, HTTP2: h2,
			Accounts: []hoststest.GerritAccount{{Username: "viewer", Password: gerritViewPass, ViewAccess: true}}})
		return f.Server, hosts.Request{Fields: map[string]string{"url": f.Web(), "user": "viewer", "repos": strings.Join(benchNames("platform/repo-"), "\n")}}
	}}
}

// benchNames are 20 names with a prefix.
func benchNames(prefix string) []string {
	out := make([]string, 20)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i)
	}
	return out
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

// githubBenchRepos are n repositories octocat may write to in the organization
// github (ID 1, no SAML SSO): private and public ones.
func githubBenchRepos(n int) map[string]hoststest.GitHubRepo {
	repos := map[string]hoststest.GitHubRepo{}
	for i := range n {
		repos[fmt.Sprintf("github/service-%02d", i)] = hoststest.GitHubRepo{ID: int64(1000 + i), Private: i%2 == 0, Role: "write", OrgID: "1"}
	}
	return repos
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
