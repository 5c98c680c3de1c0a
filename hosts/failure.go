package hosts

import (
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strings"

	"github.com/gitpat/gitpat/internal/httpx"
)

// transportFinding turns a failed exchange into one sentence with its fix.
// hostName is what the user calls the server ("GitHub", "the GitLab server").
func transportFinding(err error, hostName string) (Outcome, Finding) {
	var e *httpx.Error
	if !errors.As(err, &e) {
		return Unchecked, Finding{Level: Error, Text: "The check failed: " + err.Error() + "."}
	}
	f := Finding{Level: Error}
	name := e.Host
	if h, _, err := net.SplitHostPort(e.Host); err == nil {
		name = h // a name is looked up without its port
	}
	switch e.Kind {
	case httpx.KindCanceled:
		f = Finding{Level: Info, Text: "The check was cancelled."}
	case httpx.KindTimeout:
		f.Text = fmt.Sprintf("%s (%s) did not answer in time.", hostName, e.Host)
		f.Fix = "Check your network connection, VPN or proxy (HTTPS_PROXY), then try again."
		if e.Proxy != "" {
			f.Text = fmt.Sprintf("%s (%s) did not answer in time through the proxy %s.", hostName, e.Host, e.Proxy)
			f.Fix = "Check that the proxy works (HTTPS_PROXY, NO_PROXY) and lets you reach " + name + ", then try again."
		}
	case httpx.KindProxy:
		f.Text = fmt.Sprintf("The proxy %s %s, so gitpat could not reach %s (%s).", e.Proxy, e.ProxyProblem, hostName, name)
		f.Fix = "Check the proxy setting (HTTPS_PROXY, NO_PROXY) and that the proxy is running; ask your network administrators whether it lets you reach " + name + "."
		if e.Status == http.StatusProxyAuthRequired {
			f.Fix = "The proxy wants you to sign in: put its user name and password in HTTPS_PROXY (https://USER:PASSWORD@" + e.Proxy + "), or ask your network administrators."
		}
	case httpx.KindDNS:
		f.Text = fmt.Sprintf("The server name %s cannot be found.", name)
		f.Fix = "Check the server address for typos, and that you are online or on the company VPN."
		if publicHost(name) {
			// The user typed no address: only the network can be wrong.
			f.Fix = "Check that you are online, or on the company VPN; if your network needs a proxy, set HTTPS_PROXY."
		}
	case httpx.KindRefused:
		f.Text = fmt.Sprintf("%s refused the connection.", e.Host)
		f.Fix = "Check the server address and port; the server may be down."
	case httpx.KindUnknownCA:
		f.Text = fmt.Sprintf("The certificate of %s is not signed by an authority this computer trusts.", e.Host)
		f.Fix = "If your company uses its own certificate authority, add its certificate as a CA file (PEM). Never use a server whose certificate you cannot verify."
	case httpx.KindCertName:
		f.Text = fmt.Sprintf("The certificate of %s was issued for another name.", e.Host)
		f.Fix = "Use the exact address on the server's certificate (the one you open in the browser)."
	case httpx.KindCertExpired:
		f.Text = fmt.Sprintf("The certificate of %s has expired or is not valid yet.", e.Host)
		f.Fix = "Ask the server's administrator to renew it, and check your computer's clock."
	case httpx.KindNotTLS:
		f.Text = fmt.Sprintf("%s does not answer https on that port.", e.Host)
		f.Fix = "Check the port in the server address."
	case httpx.KindTLS:
		f.Text = fmt.Sprintf("A secure connection to %s could not be set up.", e.Host)
		f.Fix = "Check the server address; a proxy may be intercepting the connection."
	case httpx.KindRedirect:
		f.Text = fmt.Sprintf("%s redirected to %s; gitpat did not follow, so the token was not sent there.", e.Host, e.Location)
		f.Fix = "Enter the address the server redirects to, if you trust it, or check the server address."
	case httpx.KindBodyTooLarge:
		f.Text = fmt.Sprintf("%s sent a far larger answer than its API does.", e.Host)
		f.Fix = "Check the server address: it does not look like " + hostName + "'s API."
	default:
		f.Text = fmt.Sprintf("%s cannot be reached.", e.Host)
		f.Fix = "Check your network connection, VPN or proxy, then try again."
	}
	return Unchecked, f
}

// publicHost reports whether name is a public service's API address that
// gitpat picks itself, rather than one the user typed.
func publicHost(name string) bool {
	switch name {
	case "api.github.com", "github.com", "gitlab.com", "dev.azure.com", "app.vssps.visualstudio.com", "api.bitbucket.org", "bitbucket.org":
		return true
	}
	return strings.HasSuffix(name, ".amazonaws.com") || strings.HasSuffix(name, ".amazonaws.com.cn")
}

// isJSON reports whether an answer says it is JSON.
func isJSON(h http.Header) bool {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// isHTML reports whether an answer is a web page: a login page, a proxy's
// notice or a portal, never an API answer.
func isHTML(resp *httpx.Response) bool {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt == "text/html" {
		return true
	}
	b := strings.TrimSpace(string(resp.Body[:min(len(resp.Body), 64)]))
	return strings.HasPrefix(strings.ToLower(b), "<!doctype html") || strings.HasPrefix(strings.ToLower(b), "<html")
}

// serverError describes a 5xx answer.
func serverError(status int, hostName, fix string) Finding {
	return Finding{Level: Error,
		Text: fmt.Sprintf("%s answered with a server error (%d %s); this is not about your token.", hostName, status, http.StatusText(status)),
		Fix:  fix}
}
