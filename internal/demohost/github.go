package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// serveDotCom starts the fake github.com and the proxy in front of it; it
// returns the proxy's URL and the demo CA's file.
//
// Its token "demo-token-for-screenshots" (classic, repo) is ready for
// acme-corp/jira-sync, may only read acme-corp/handbook, and octo-labs,
// which uses SAML single sign-on, has not authorized it;
// "demo-fine-grained-token" is a fine-grained one.
func serveDotCom() (proxyURL, caFile string) {
	caCert, caKey := newCA()
	g := hoststest.NewGitHub(tb{}, false, map[string]hoststest.GitHubToken{
		demoToken: {Scopes: "repo", Expires: "2027-02-23 12:00:00 UTC", SSOPartial: "20582480"},
		// A fine-grained token given acme-corp/jira-sync in full and
		// acme-corp/handbook with Contents: Read only.
		"demo-fine-grained-token": {FineGrained: true, Expires: "2027-02-23 12:00:00 +0100", Grants: map[string]hoststest.GitHubGrant{
			"acme-corp/jira-sync": {Contents: "write", PullRequests: "write"}, "acme-corp/handbook": {Contents: "read", PullRequests: "write"}}},
	}, hoststest.ServedAs(leaf(caCert, caKey, "api.github.com", "github.com")))
	g.PublicURL = "https://github.com"
	g.Repos = map[string]hoststest.GitHubRepo{
		"acme-corp/jira-sync": {ID: 10, Private: true, Role: "write", OrgID: "21955855"},
		"acme-corp/handbook":  {ID: 11, Private: true, Role: "read", OrgID: "21955855"},
		"octo-labs/lab":       {ID: 20, Private: true, Role: "write", OrgID: "20582480"},
	}
	target := strings.TrimPrefix(g.URL, "https://")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		log.Fatal(http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tunnel(w, r, target)
		})))
	}()
	caFile = filepath.Join(tb{}.TempDir(), "demo-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caCert.Raw}), 0o600); err != nil {
		log.Fatal(err)
	}
	return "http://" + ln.Addr().String(), caFile
}

// tunnel answers an HTTPS proxy's CONNECT for api.github.com or github.com
// by joining the client to the fake; it refuses everything else, so
// nothing leaves this machine.
func tunnel(w http.ResponseWriter, r *http.Request, target string) {
	if r.Method != http.MethodConnect || (r.Host != "api.github.com:443" && r.Host != "github.com:443") {
		http.Error(w, "demohost tunnels only to its fake github.com", http.StatusForbidden)
		return
	}
	dst, err := net.Dial("tcp", target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		dst.Close()
		return
	}
	_, _ = conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	go func() {
		_, _ = io.Copy(dst, conn)
		dst.Close()
	}()
	_, _ = io.Copy(conn, dst)
	conn.Close()
}

// newCA makes the demo's certificate authority.
func newCA() (*x509.Certificate, *ecdsa.PrivateKey) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "gitpat demo CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}
	return cert, key
}

// leaf is a server certificate for names, signed by the demo CA.
func leaf(ca *x509.Certificate, caKey *ecdsa.PrivateKey, names ...string) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		log.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
