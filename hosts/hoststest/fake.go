// Package hoststest has fake git hosts for tests: TLS servers on
// 127.0.0.1 that answer like the real hosts (same paths, headers, status
// codes and bodies, recorded in testdata/), including their failures. A
// fake fails the test on a request it does not expect.
package hoststest

import (
	"embed"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

//go:embed testdata
var testdata embed.FS

// Recorded returns a recorded answer from testdata/, such as
// "github/user.json".
func Recorded(name string) []byte {
	b, err := testdata.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return b
}

// Fault makes a fake misbehave the way servers and networks do.
type Fault int

// The faults every fake can show.
const (
	NoFault           Fault = iota
	Hang                    // accept the request, never answer
	BadGateway              // 502 with an HTML page
	LoginPage               // 200 with an HTML sign-in page
	Huge                    // 200 with a 20 MB body
	MalformedJSON           // 200, application/json, not JSON
	RedirectElsewhere       // 302 to another server, which must not be reached
	RedirectHTTP            // 301 to http:// on another port, which must not be reached
	NotFound                // 404 everywhere: not this host's API
	Unauthorized            // 401 with a generic JSON body
	Forbidden               // 403 with a generic JSON body
	TooManyRequests         // 429 with Retry-After
	InternalError           // 500 with a generic JSON body
)

// statusFaults are the faults that are just a status and a plain body.
var statusFaults = map[Fault]int{Unauthorized: 401, Forbidden: 403, TooManyRequests: 429, InternalError: 500}

// Server is what every fake shares: the TLS server, the request log and
// the faults.
type Server struct {
	*httptest.Server
	Fault   Fault
	Latency time.Duration // added before every answer

	t          testing.TB
	mu         sync.Mutex
	requests   []string
	other      *httptest.Server // a redirect target that must stay untouched
	otherHits  int
	release    chan struct{}
	releaseOne sync.Once
}

// start serves h behind the faults, latency and request log, over
// HTTP/1.1.
func start(t testing.TB, h http.Handler) *Server { return startServer(t, h, false) }

// startServer is start, over HTTP/2 as well when http2 is set (ALPN, as
// servers that speak it offer it); opts adjust the server last, before it
// starts (a certificate for another name).
func startServer(t testing.TB, h http.Handler, http2 bool, opts ...func(*httptest.Server)) *Server {
	s := &Server{t: t, release: make(chan struct{})}
	s.other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.otherHits++
		s.mu.Unlock()
	}))
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.Method+" "+r.URL.Path)
		fault, latency := s.Fault, s.Latency
		s.mu.Unlock()
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-r.Context().Done():
				return
			}
		}
		switch fault {
		case Hang:
			select {
			case <-s.release:
			case <-r.Context().Done():
			}
		case BadGateway:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write(Recorded("common/bad-gateway.html"))
		case LoginPage:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(Recorded("common/login.html"))
		case Huge:
			w.Header().Set("Content-Type", "application/json")
			chunk := []byte(strings.Repeat(" ", 1<<20))
			for range 20 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case MalformedJSON:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"login": "octo`))
		case RedirectElsewhere:
			http.Redirect(w, r, strings.Replace(s.other.URL, "127.0.0.1", "localhost", 1)+r.URL.Path, http.StatusFound)
		case RedirectHTTP:
			http.Redirect(w, r, s.other.URL+r.URL.Path, http.StatusMovedPermanently)
		case NotFound:
			http.NotFound(w, r)
		case Unauthorized, Forbidden, TooManyRequests, InternalError:
			w.Header().Set("Content-Type", "application/json")
			if fault == TooManyRequests {
				w.Header().Set("Retry-After", "30")
			}
			w.WriteHeader(statusFaults[fault])
			_, _ = w.Write([]byte(`{"message":"` + http.StatusText(statusFaults[fault]) + `"}`))
		default:
			h.ServeHTTP(w, r)
		}
	}))
	// Clients that give up (timeouts, unknown CAs) are part of the tests;
	// their handshake errors are not news.
	s.Server.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.Server.EnableHTTP2 = http2
	for _, o := range opts {
		o(s.Server)
	}
	s.Server.StartTLS()
	t.Cleanup(func() {
		s.releaseOne.Do(func() { close(s.release) })
		s.Server.Close()
		s.other.Close()
		if s.otherHits > 0 {
			t.Errorf("the redirect target received %d request(s): a token may have left the named host", s.otherHits)
		}
	})
	return s
}

// Requests returns "METHOD /path" for every request so far.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// SetFault changes the fault safely while the server runs.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	s.Fault = f
	s.mu.Unlock()
}

// unexpected answers 404 and fails the test: a check asked for something
// the real host would not be asked.
func (s *Server) unexpected(w http.ResponseWriter, r *http.Request) {
	s.t.Errorf("fake %s: unexpected request %s %s", s.URL, r.Method, r.URL.Path)
	http.NotFound(w, r)
}

// CAFile writes the server's certificate as PEM, for --ca-file and the
// client's extra CA.
func (s *Server) CAFile(t testing.TB) string {
	p := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
