package hosts

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

func TestUnknownServerNameIsNamedWithoutItsPort(t *testing.T) {
	_, f := transportFinding(&httpx.Error{Kind: httpx.KindDNS, Host: "tfs.example.com:8080"}, "The TFS server")
	if f.Text != "The server name tfs.example.com cannot be found." || !strings.Contains(f.Fix, "server address") {
		t.Errorf("finding = %+v", f)
	}
}

// TestNoNetworkForAPublicHostDoesNotBlameAnAddress: on github.com the
// user typed no address, so the fix is about the network only.
func TestNoNetworkForAPublicHostDoesNotBlameAnAddress(t *testing.T) {
	for _, host := range []string{"api.github.com", "gitlab.com:443", "dev.azure.com", "sts.amazonaws.com"} {
		_, f := transportFinding(&httpx.Error{Kind: httpx.KindDNS, Host: host}, "GitHub")
		if strings.Contains(f.Fix, "server address") || !strings.Contains(f.Fix, "online") {
			t.Errorf("%s: fix = %q", host, f.Fix)
		}
	}
}

// TestProxyFailuresNameTheProxy runs the GitHub.com check through a proxy
// that is down: the finding is about the proxy, not about GitHub.
func TestProxyFailuresNameTheProxy(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	proxy := l.Addr().String()
	l.Close()
	client, err := httpx.New(httpx.Options{Proxy: func(*http.Request) (*url.URL, error) {
		return &url.URL{Scheme: "http", Host: proxy}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r := GitHub.Check(ctx, Env{HTTP: client}, Request{Secrets: []secret.Value{secret.New("ghp_CANARYpr0xyCANARYpr0xyCANARYpr0xy0000")}})
	if r.Outcome != Unchecked || len(r.Findings) == 0 {
		t.Fatalf("report:\n%s", r.JSON())
	}
	f := r.Findings[0]
	if f.Text != "The proxy "+proxy+" refused the connection, so gitpat could not reach GitHub (api.github.com)." || !strings.Contains(f.Fix, "HTTPS_PROXY") {
		t.Errorf("finding = %+v", f)
	}
}

func TestProxyAskingForASignInSaysHow(t *testing.T) {
	_, f := transportFinding(&httpx.Error{Kind: httpx.KindProxy, Host: "gitlab.example.com", Proxy: "proxy.corp:3128",
		Status: http.StatusProxyAuthRequired, ProxyProblem: "answered 407 Proxy Authentication Required"}, "The GitLab server")
	if !strings.HasPrefix(f.Text, "The proxy proxy.corp:3128 answered 407") || !strings.Contains(f.Fix, "HTTPS_PROXY (https://USER:PASSWORD@proxy.corp:3128)") {
		t.Errorf("finding = %+v", f)
	}
}
