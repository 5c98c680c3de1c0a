// Command demohost serves a fake GitHub Enterprise Server and a fake
// self-managed GitLab on 127.0.0.1 for screenshots and demos: the same
// fakes the tests use. It prints the GitHub URL and the path of its CA
// certificate, then the GitLab URL and its CA file, then serves until
// killed. GitHub's one token, "demo-token-for-screenshots", has the repo
// scope; GitLab's, "glpat-demo-for-screenshots-0", has api, and its user is
// a Developer of acme/platform/api, a Reporter of acme/docs and a
// Maintainer of the archived acme/legacy.
//
// With -host github (the default) it also plays github.com, for the
// GitHub.com tab (github.go): a fake github.com behind an HTTPS proxy on
// 127.0.0.1 that tunnels only api.github.com and github.com to it, with a
// certificate from a demo CA. It prints the proxy's URL and the CA file
// last; gitpat reaches the fake with HTTPS_PROXY set to the one and
// SSL_CERT_FILE to the other.
//
// With -host gerrit it serves a fake Gerrit instead (user jira-bot, the
// same demo password; projects platform/build and docs), with -host
// bitbucket-datacenter a fake Bitbucket Data Center (a demo token of user
// jira-bot with Repository write, who may write to ACME/billing and
// ACME/web and read ACME/docs); it then prints that server's URL and CA
// file only.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// tb lets the test fakes run outside a test: it logs what a test would
// report. Only the methods the fakes call are provided.
type tb struct{ testing.TB }

func (tb) Helper()                        {}
func (tb) Errorf(format string, a ...any) { log.Printf(format, a...) }
func (tb) Fatal(a ...any)                 { log.Fatal(a...) }
func (tb) Cleanup(func())                 {}
func (tb) TempDir() string {
	d, err := os.MkdirTemp("", "demohost")
	if err != nil {
		log.Fatal(err)
	}
	return d
}

// demoToken is the one credential every demo server accepts.
const demoToken = "demo-token-for-screenshots"

func main() {
	host := flag.String("host", "github", "the fakes to serve: github (GitHub and GitLab), gerrit or bitbucket-datacenter")
	flag.Parse()
	switch *host {
	case "github":
		g := hoststest.NewGitHub(tb{}, true, map[string]hoststest.GitHubToken{
			demoToken: {Scopes: "repo, read:org", Expires: "2027-02-23 12:00:00 UTC"},
		})
		fmt.Println(g.URL)
		fmt.Println(g.CAFile(tb{}))
		gl := hoststest.NewGitLab(tb{}, hoststest.GitLabOptions{Tokens: map[string]hoststest.GitLabToken{
			"glpat-demo-for-screenshots-0": {Scopes: []string{"api"}, ExpiresAt: "2027-02-23"},
		}, Projects: map[string]hoststest.GitLabProject{
			"acme/platform/api": {Group: 30, Protected: []hoststest.GitLabRule{{Name: "main", Push: []int{40}, Merge: []int{40}}}},
			"acme/docs":         {Direct: 20},
			"acme/legacy":       {Direct: 40, Archived: true},
		}})
		fmt.Println(gl.Web())
		fmt.Println(gl.CAFile(tb{}))
		proxy, ca := serveDotCom()
		fmt.Println(proxy)
		fmt.Println(ca)
	case "gerrit":
		srv := hoststest.NewGerrit(tb{}, hoststest.GerritOptions{Accounts: []hoststest.GerritAccount{
			{Username: "jira-bot", Password: demoToken}},
			Projects: map[string]hoststest.GerritProject{
				"platform/build": {Branches: []string{"main"}},
				"docs":           {Branches: []string{"master"}},
			}}).Server
		fmt.Println(srv.URL)
		fmt.Println(srv.CAFile(tb{}))
	case "bitbucket-datacenter":
		srv := hoststest.NewBitbucketDC(tb{}, hoststest.BitbucketDCOptions{Tokens: map[string]hoststest.BitbucketDCToken{
			demoToken: {User: "jira-bot", Permissions: []string{"PROJECT_READ", "REPO_WRITE"}}},
			Repos: map[string]hoststest.BitbucketDCRepo{"ACME/billing": {Access: "write"}, "ACME/web": {Access: "write"}, "ACME/docs": {Access: "read"}}}).Server
		fmt.Println(srv.URL)
		fmt.Println(srv.CAFile(tb{}))
	default:
		log.Fatalf("demohost: no fake %q", *host)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
}
