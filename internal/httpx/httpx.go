// Package httpx is the one HTTP client every host check uses.
//
// It exists so that the rules for sending credentials live in one place:
// TLS is always verified (against the system roots plus an optional CA
// file, never skipped); a redirect is followed only to the same host and
// never from https to http, so no header, standard or custom, reaches a
// server the user did not name; bodies are read up to a limit; proxies come
// from the environment; and every failure is an *Error whose Kind a caller
// can turn into advice without matching strings.
package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/gitpat/gitpat/internal/version"
)

// DefaultMaxBody is how much of a response body is read: far more than any
// API answer a check needs, far less than a runaway download.
const DefaultMaxBody = 1 << 20

// Options configure a Client. The zero value is usable.
type Options struct {
	// CAFile names a PEM file of extra trusted certificates (company or
	// self-signed CAs), added to the system roots.
	CAFile string
	// RootCAs, when set, replaces the system roots (tests).
	RootCAs *x509.CertPool
	// MaxBody limits how much of a body is read; DefaultMaxBody when zero.
	MaxBody int64
	// DialTimeout limits connecting and the TLS handshake; 10 s when zero.
	DialTimeout time.Duration
	// Proxy picks the proxy for a request; the HTTPS_PROXY, HTTP_PROXY and
	// NO_PROXY environment (http.ProxyFromEnvironment) when nil.
	Proxy func(*http.Request) (*url.URL, error)
}

// Client sends requests under the rules in the package comment. Overall
// time limits come from the request's context.
type Client struct {
	hc      *http.Client
	maxBody int64
	proxy   func(*http.Request) (*url.URL, error)
}

// New builds a Client. It fails only when the CA file cannot be used.
func New(o Options) (*Client, error) {
	roots := o.RootCAs
	if roots == nil {
		var err error
		if roots, err = x509.SystemCertPool(); err != nil || roots == nil {
			roots = x509.NewCertPool()
		}
	}
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("cannot read the CA file: %w", err)
		}
		roots = roots.Clone()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("the CA file %s holds no PEM certificate", o.CAFile)
		}
	}
	dial := o.DialTimeout
	if dial == 0 {
		dial = 10 * time.Second
	}
	maxBody := o.MaxBody
	if maxBody == 0 {
		maxBody = DefaultMaxBody
	}
	proxy := o.Proxy
	if proxy == nil {
		proxy = http.ProxyFromEnvironment
	}
	tr := &http.Transport{
		Proxy:               proxy,
		DialContext:         (&net.Dialer{Timeout: dial, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: dial,
		ForceAttemptHTTP2:   true,
		// A check about many repositories sends dozens of requests at
		// once; over HTTP/1.1 each needs a connection, which the next
		// check may reuse instead of paying a TCP and TLS handshake again.
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       30 * time.Second,
		ExpectContinueTimeout: time.Second,
		// A proxy that will not tunnel to the host answers CONNECT with an
		// error status, which net/http reports only as text.
		OnProxyConnectResponse: func(_ context.Context, proxyURL *url.URL, _ *http.Request, resp *http.Response) error {
			if resp.StatusCode != http.StatusOK {
				return &proxyRefusal{status: resp.StatusCode}
			}
			return nil
		},
	}
	return &Client{
		hc:      &http.Client{Transport: tr, CheckRedirect: sameOrigin},
		maxBody: maxBody,
		proxy:   proxy,
	}, nil
}

// sameOrigin follows a redirect only to the same host and port, and never
// from https to http. Anything else ends the exchange with the 3xx answer,
// which Do turns into a KindRedirect error.
func sameOrigin(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	if len(via) >= 5 || req.URL.Host != first.Host || (first.Scheme == "https" && req.URL.Scheme != "https") {
		return http.ErrUseLastResponse
	}
	return nil
}

// HTTPClient returns the underlying client with the same TLS, proxy and
// redirect rules, for SDKs that need an *http.Client. It does not limit
// bodies; the SDK's own parsers do.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// Response is an answer read in full (up to the body limit).
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Get sends a GET with the given headers.
func (c *Client) Get(ctx context.Context, rawURL string, header http.Header) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, &Error{Kind: KindNetwork, Host: hostOf(rawURL), Err: err}
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	return c.Do(req)
}

// Do sends req and reads the answer. A redirect that the rules stop, a
// body over the limit and every transport failure come back as *Error.
func (c *Client) Do(req *http.Request) (*Response, error) {
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", version.UserAgent)
	}
	host := req.URL.Host
	resp, err := c.hc.Do(req)
	if err != nil {
		e := classify(req.Context(), host, err)
		if u, perr := c.proxy(req); perr == nil && u != nil {
			e.Proxy = u.Host
		}
		return nil, e
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		loc, _ := resp.Location()
		e := &Error{Kind: KindRedirect, Host: host, Status: resp.StatusCode}
		if loc != nil {
			e.Location = loc.Scheme + "://" + loc.Host
		}
		return nil, e
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, classify(req.Context(), host, err)
	}
	if int64(len(body)) > c.maxBody {
		return nil, &Error{Kind: KindBodyTooLarge, Host: host, Status: resp.StatusCode}
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// Kind says what went wrong in terms a user can act on.
type Kind int

// The kinds of failure.
const (
	KindNetwork      Kind = iota // any other transport failure
	KindTimeout                  // no answer in time
	KindCanceled                 // the user cancelled
	KindDNS                      // the host name does not resolve
	KindRefused                  // nothing listens at that address
	KindUnknownCA                // certificate not signed by a trusted CA
	KindCertName                 // certificate for another host name
	KindCertExpired              // certificate expired or not yet valid
	KindNotTLS                   // the server does not speak TLS there
	KindTLS                      // another TLS failure
	KindRedirect                 // redirect to another host or to http, not followed
	KindBodyTooLarge             // the answer exceeded the body limit
	KindProxy                    // the proxy failed or refused to connect to the host
)

// Error is a failed exchange. Its text names the host, never a header or
// the request URL's query, so it cannot carry a credential.
type Error struct {
	Kind     Kind
	Host     string
	Status   int    // for KindRedirect and KindBodyTooLarge
	Location string // for KindRedirect: scheme://host of the target
	// Proxy is the proxy's host:port when the exchange went through one.
	Proxy string
	// ProxyProblem says, for KindProxy, what the proxy did: "refused the
	// connection", "answered 407 Proxy Authentication Required"...
	ProxyProblem string
	Err          error
}

func (e *Error) Error() string {
	switch e.Kind {
	case KindTimeout:
		return e.Host + " did not answer in time"
	case KindCanceled:
		return "cancelled"
	case KindDNS:
		return "cannot find " + e.Host
	case KindRefused:
		return e.Host + " refused the connection"
	case KindUnknownCA:
		return e.Host + " has a certificate from an authority this computer does not trust"
	case KindCertName:
		return e.Host + " has a certificate for another name"
	case KindCertExpired:
		return e.Host + " has an expired or not yet valid certificate"
	case KindNotTLS:
		return e.Host + " does not speak https on that port"
	case KindTLS:
		return "secure connection to " + e.Host + " failed"
	case KindRedirect:
		return fmt.Sprintf("%s redirected (%d) to %s; not followed", e.Host, e.Status, e.Location)
	case KindBodyTooLarge:
		return e.Host + " sent an answer larger than expected"
	case KindProxy:
		return "the proxy " + e.Proxy + " " + e.ProxyProblem + " on the way to " + e.Host
	}
	return "cannot reach " + e.Host
}

// proxyRefusal is a proxy's answer other than 200 to CONNECT.
type proxyRefusal struct{ status int }

func (p *proxyRefusal) Error() string {
	return fmt.Sprintf("the proxy answered %d %s", p.status, http.StatusText(p.status))
}

func (e *Error) Unwrap() error { return e.Err }

func classify(ctx context.Context, host string, err error) *Error {
	e := &Error{Kind: KindNetwork, Host: host, Err: err}
	var (
		dnsErr  *net.DNSError
		unknown x509.UnknownAuthorityError
		name    x509.HostnameError
		invalid x509.CertificateInvalidError
		record  tls.RecordHeaderError
		netErr  net.Error
	)
	var (
		refusal *proxyRefusal
		op      *net.OpError
	)
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind = KindCanceled
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.Kind = KindTimeout
	case errors.As(err, &refusal):
		e.Kind, e.Status = KindProxy, refusal.status
		e.ProxyProblem = fmt.Sprintf("answered %d %s", refusal.status, http.StatusText(refusal.status))
	case errors.As(err, &op) && op.Op == "proxyconnect":
		// net/http wraps every failure to reach the proxy so.
		inner := classify(ctx, host, op.Err)
		e.Kind = KindProxy
		e.ProxyProblem = map[Kind]string{KindDNS: "cannot be found", KindRefused: "refused the connection",
			KindTimeout: "did not answer in time", KindUnknownCA: "has a certificate from an authority this computer does not trust",
			KindCertName: "has a certificate for another name", KindNotTLS: "does not speak https"}[inner.Kind]
		if e.ProxyProblem == "" {
			e.ProxyProblem = "cannot be reached"
		}
	case errors.As(err, &dnsErr):
		e.Kind = KindDNS
		if dnsErr.IsTimeout {
			e.Kind = KindTimeout
		}
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Kind = KindRefused
	case errors.As(err, &unknown):
		e.Kind = KindUnknownCA
	case errors.As(err, &name):
		e.Kind = KindCertName
	case errors.As(err, &invalid):
		e.Kind = KindTLS
		if invalid.Reason == x509.Expired {
			e.Kind = KindCertExpired
		}
	case errors.As(err, &record), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http reports a plain-http answer on an https URL only as text.
		e.Kind = KindNotTLS
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Kind = KindTimeout
	}
	return e
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return "the server"
}
