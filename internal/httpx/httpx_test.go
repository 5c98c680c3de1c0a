package httpx

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const canary = "CANARY-token-0123456789"

// caFile writes the test server's certificate as a PEM file.
func caFile(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func get(t *testing.T, c *Client, url string) (*Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Get(ctx, url, http.Header{"Authorization": {"Bearer " + canary}, "Private-Token": {canary}})
}

func wantKind(t *testing.T, err error, k Kind) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Kind != k {
		t.Fatalf("error = %v (%#v), want kind %d", err, err, k)
	}
	if strings.Contains(e.Error(), canary) {
		t.Fatalf("error text leaks the token: %v", e)
	}
	return e
}

func TestUnknownCAFailsThenPassesWithCAFile(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c, _ := New(Options{})
	_, err := get(t, c, srv.URL)
	wantKind(t, err, KindUnknownCA)

	c, err = New(Options{CAFile: caFile(t, srv)})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := get(t, c, srv.URL)
	if err != nil || resp.Status != 200 {
		t.Fatalf("with the CA file: %v %v", resp, err)
	}
}

func TestCertificateForAnotherName(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	c, _ := New(Options{CAFile: caFile(t, srv)})
	// The test certificate names 127.0.0.1 and example.com, not localhost.
	_, err := get(t, c, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1))
	wantKind(t, err, KindCertName)
}

func TestBadCAFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ca.pem")
	_ = os.WriteFile(p, []byte("not a certificate"), 0o600)
	if _, err := New(Options{CAFile: p}); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Fatalf("err = %v", err)
	}
	if _, err := New(Options{CAFile: p + ".missing"}); err == nil {
		t.Fatal("a missing CA file was accepted")
	}
}

func TestRedirectToAnotherHostIsNotFollowed(t *testing.T) {
	var reached atomic.Bool
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Store(true)
	}))
	defer other.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Same IP, other port: another origin.
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}))
	defer srv.Close()
	c, _ := New(Options{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs})
	_, err := get(t, c, srv.URL+"/user")
	e := wantKind(t, err, KindRedirect)
	if e.Location != other.URL {
		t.Errorf("Location = %q, want %q", e.Location, other.URL)
	}
	if reached.Load() {
		t.Fatal("the other host received a request")
	}
}

func TestRedirectFromHTTPSToHTTPIsNotFollowed(t *testing.T) {
	var reached atomic.Bool
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Store(true) }))
	defer plain.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(plain.URL, "http://"))
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:"+port+"/", http.StatusMovedPermanently)
	}))
	srv.StartTLS()
	defer srv.Close()
	c, _ := New(Options{CAFile: caFile(t, srv)})
	_, err := get(t, c, srv.URL)
	wantKind(t, err, KindRedirect)
	if reached.Load() {
		t.Fatal("the http server received a request")
	}
}

func TestRedirectOnTheSameHostIsFollowedWithHeaders(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		if r.Header.Get("Private-Token") != canary {
			w.WriteHeader(401)
		}
	}))
	defer srv.Close()
	c, _ := New(Options{CAFile: caFile(t, srv)})
	resp, err := get(t, c, srv.URL+"/old")
	if err != nil || resp.Status != 200 {
		t.Fatalf("resp %v err %v", resp, err)
	}
}

func TestBodyOverTheLimitIsRefused(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 1<<20)
		for i := 0; i < 20; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c, _ := New(Options{CAFile: caFile(t, srv)})
	_, err := get(t, c, srv.URL)
	wantKind(t, err, KindBodyTooLarge)
}

func TestServerThatNeverAnswersTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, _ := New(Options{CAFile: caFile(t, srv)})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, srv.URL, nil)
	wantKind(t, err, KindTimeout)
}

func TestCancel(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	c, _ := New(Options{CAFile: caFile(t, srv)})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := c.Get(ctx, srv.URL, nil)
	wantKind(t, err, KindCanceled)
}

func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, _ := New(Options{})
	_, err = get(t, c, "https://"+addr+"/")
	wantKind(t, err, KindRefused)
}

func TestPlainHTTPServerOnHTTPSURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	c, _ := New(Options{})
	_, err := get(t, c, strings.Replace(srv.URL, "http://", "https://", 1))
	wantKind(t, err, KindNotTLS)
}

func TestUserAgentNamesGitpat(t *testing.T) {
	var ua string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ua = r.UserAgent() }))
	defer srv.Close()
	c, _ := New(Options{CAFile: caFile(t, srv)})
	if _, err := get(t, c, srv.URL); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ua, "gitpat/") {
		t.Errorf("User-Agent = %q", ua)
	}
}

// proxyAt is an Options.Proxy that sends every request through addr.
func proxyAt(addr string) func(*http.Request) (*url.URL, error) {
	return func(*http.Request) (*url.URL, error) { return &url.URL{Scheme: "http", Host: addr}, nil }
}

// TestProxyThatIsDownIsNamed: when the proxy itself cannot be reached, the
// error names the proxy, not the host behind it.
func TestProxyThatIsDownIsNamed(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, _ := New(Options{Proxy: proxyAt(addr)})
	_, err = get(t, c, "https://github.example.com/api/v3/user")
	e := wantKind(t, err, KindProxy)
	if e.Proxy != addr || e.Host != "github.example.com" || e.ProxyProblem != "refused the connection" {
		t.Errorf("error = %+v", e)
	}
	if !strings.Contains(e.Error(), "the proxy "+addr+" refused the connection on the way to github.example.com") {
		t.Errorf("text = %q", e.Error())
	}
}

// TestProxyThatRefusesToTunnelIsNamed: a proxy answers CONNECT with an
// error status (RFC 9110 §9.3.6: any 2xx means the tunnel is open; 403 and
// 407 Proxy Authentication Required are what filtering proxies send).
func TestProxyThatRefusesToTunnelIsNamed(t *testing.T) {
	for _, status := range []int{http.StatusForbidden, http.StatusProxyAuthRequired, http.StatusBadGateway} {
		var connects atomic.Int32
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodConnect {
				t.Errorf("proxy got %s, want CONNECT", r.Method)
			}
			if r.Header.Get("Authorization") != "" {
				t.Errorf("the proxy was sent the host's Authorization header")
			}
			connects.Add(1)
			if status == http.StatusProxyAuthRequired {
				w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
			}
			w.WriteHeader(status)
		}))
		c, _ := New(Options{Proxy: proxyAt(proxy.Listener.Addr().String())})
		_, err := get(t, c, "https://gitlab.example.com/api/v4/user")
		e := wantKind(t, err, KindProxy)
		want := fmt.Sprintf("answered %d %s", status, http.StatusText(status))
		if e.Status != status || e.ProxyProblem != want || e.Proxy != proxy.Listener.Addr().String() || connects.Load() != 1 {
			t.Errorf("status %d: error = %+v, connects %d", status, e, connects.Load())
		}
		proxy.Close()
	}
}
