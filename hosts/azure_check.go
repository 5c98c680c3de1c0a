package hosts

// The Azure DevOps check: which requests it sends, and what each answer
// decides. What the answers hold is read in azure_answers.go.

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
)

// azureEndpoints is where Azure DevOps Services answers. The check is
// built from a value rather than constants so that tests can point it at a
// fake (see azure_export_test.go); the program only ever uses the real one.
type azureEndpoints struct {
	dev   string // organizations live at dev/ORG
	vssps string // the profile service, which answers global tokens only
}

// azureTarget is the organization or collection a check talks to.
type azureTarget struct {
	base      string // https://dev.azure.com/ORG or the collection URL
	name      string // who answers, to start a sentence: "Azure DevOps", "The TFS server"
	place     string // what the token must reach: "the organization myorg", "the collection https://…"
	page      string // the token page
	version   string // api-version of the repositories call
	writeName string // the write scope as the token page names it
	allName   string // the choice of every scope: "Full access", TFS's "All scopes"
	vssps     string // Azure DevOps Services: the profile service; "" on premises
	onPrem    bool
	serverTab bool // the Azure DevOps Server tab, not TFS 2017/2018
	plainHTTP bool
}

func azureServicesCheck(ep azureEndpoints) func(context.Context, Env, Request) *Report {
	return func(ctx context.Context, env Env, req Request) *Report {
		org, err := AzureOrganization(req)
		if err != nil {
			return (&Report{}).fail(BadInput, Finding{Level: Error, Text: err.Error(),
				Fix: "Enter the organization's name: what follows dev.azure.com/ in the browser's address bar."})
		}
		base := ep.dev + "/" + url.PathEscape(org)
		return checkAzure(ctx, env, req, azureTarget{
			base: base, name: "Azure DevOps", place: "the organization " + org,
			page: base + "/_usersSettings/tokens", version: "7.1", writeName: "Code: Read & write", allName: "Full access", vssps: ep.vssps,
		})
	}
}

func azureServerCheck(serverTab bool) func(context.Context, Env, Request) *Report {
	return func(ctx context.Context, env Env, req Request) *Report {
		r := &Report{}
		u, err := parseCollectionURL(req.Field("url"))
		if err != nil {
			return r.fail(BadInput, Finding{Level: Error, Text: err.Error(),
				Fix: "Open the collection in the browser and copy the address up to the collection name, such as https://server/tfs/DefaultCollection."})
		}
		t := azureTarget{base: u.String(), name: "The TFS server", page: u.String() + "/_details/security/tokens",
			version: "3.0", writeName: "Code (read and write)", allName: "All scopes", onPrem: true, serverTab: serverTab, plainHTTP: u.Scheme == "http"}
		if serverTab {
			t.name, t.page, t.version = "The Azure DevOps server", u.String()+"/_usersSettings/tokens", "5.0"
			t.writeName, t.allName = "Code: Read & write", "Full access"
		}
		t.place = "the collection " + t.base
		r.Server = t.base
		if t.plainHTTP && !req.AllowHTTP {
			r.NeedsHTTPConsent = true
			return r.fail(BadInput, Finding{Level: Error, Text: "The collection URL uses http://, which would send the token unencrypted: anyone on the network path could read it.",
				Fix: "Use https:// if the server offers it; otherwise agree to send the token over plain http (gitpat-check: --allow-http)."})
		}
		return checkAzure(ctx, env, req, t)
	}
}

// azureCheck is what one check knows along the way.
type azureCheck struct {
	azureTarget
	token string // only to build the header and keep it out of quoted server text
	now   time.Time
	exp   *time.Time // the expiry date the user entered
}

// azureProfileVersion is the api-version of GET profiles/me, which
// answers only tokens for All accessible organizations.
//
// HOSTS: MicrosoftDocs/vsts-rest-api-specs, specification/profile/7.1/
// profile.json, Profiles_Get: from the revision of 2022-01-14 (c0155ba2)
// the route takes "api-Version-preview.3" ("This should be set to
// '7.1-preview.3'"); a revision of 2024-09-17 (ded8f824, still the newest
// at adb28786) calls it released at 7.1, and 7.2 is again 7.2-preview.3.
// A route in preview answers a released version 400
// VssInvalidPreviewVersionException: "The requested version "7.1" of the
// resource is under preview. The -preview flag must be supplied in the
// api-version for such requests." (WebApiResources.
// PreviewVersionNotSuppliedMessage, the Azure DevOps client SDK as kept in
// actions/runner src/Sdk). A -preview request for a released version is
// served, though a released API's preview "can be deactivated after 12
// weeks" (learn: integrate/concepts/rest-api-versioning). Any 400 here is
// therefore "could not check", never "not a global token".
const azureProfileVersion = "7.1-preview.3"

func checkAzure(ctx context.Context, env Env, req Request, t azureTarget) *Report {
	r := &Report{Server: t.base}
	exp, reading, err := parseAzureExpiry(req.Field("expires"))
	if err != nil {
		return r.fail(BadInput, Finding{Level: Error, Text: "gitpat cannot read the expiry date \"" + azureShorten(req.Field("expires"), 40) + "\".",
			Fix: "Enter the date the token page showed as YYYY-MM-DD, such as 2027-03-31, or leave Expiry date empty."})
	}
	c := azureCheck{azureTarget: t, token: req.Secrets[0].Reveal(), now: env.Now(), exp: exp}
	header := http.Header{
		"Authorization":         {"Basic " + base64.StdEncoding.EncodeToString([]byte(":"+c.token))},
		"Accept":                {"application/json"},
		"X-Tfs-Fedauthredirect": {"Suppress"}, // 401 instead of a sign-in page
	}
	get := func(u string) func() (*httpx.Response, error) {
		return func() (*httpx.Response, error) { return env.HTTP.Get(ctx, u, header) }
	}

	// First only connectionData: whose token it is. The token goes
	// nowhere else (not to the profile service, another host) until the
	// organization or collection has accepted it.
	var conn answer
	conn.resp, conn.err = get(t.base + "/_apis/connectionData")()
	if t.plainHTTP && azureDelivered(conn) {
		r.add(Finding{Level: Warn, Text: "The token was sent over plain http:// to " + t.base + ": anyone on the network path could read it.",
			Fix: "Ask the server's administrator to enable https and use the https:// address; replace the token if the network is not trusted."})
	}
	id, ok := c.identity(r, conn)
	if !ok {
		return r
	}
	r.User, r.Name, r.TokenKind = id.user(), id.Display, "personal access token"
	r.add(Finding{Level: Info, Text: "It signs in to " + t.place + " as " + id.describe() + "."})

	// Then, at once, what the report says about an accepted token.
	calls := []func() (*httpx.Response, error){get(c.reposURL(t.version))}
	probe, global := -1, -1
	if t.onPrem {
		// An api-version no server has answers 400 naming the highest it has.
		probe = len(calls)
		calls = append(calls, get(c.reposURL("100.0")))
	}
	if t.vssps != "" && c.now.Before(azureGlobalEnd) {
		global = len(calls)
		calls = append(calls, get(t.vssps+"/_apis/profile/profiles/me?api-version="+azureProfileVersion))
	}
	answers := parallel(calls)

	repos, listVersion := answers[0], t.version
	var ceiling azureAPIVersion
	if probe >= 0 {
		ceiling = azureCeilingOf(answers[probe])
	}
	if v := azureCeilingOf(repos); t.onPrem && v.known() {
		// This tab's api-version is too new for the server (the Azure
		// DevOps Server tab on a TFS): every server with tokens knows 3.0.
		ceiling = v
		if v.atLeast(3, 0) {
			repos.resp, repos.err = env.HTTP.Get(ctx, c.reposURL("3.0"), header)
			listVersion = "3.0"
		}
	}
	c.code(r, repos, ceiling)
	if len(req.Repos) > 0 {
		// One more round, all at once: what the account may do in the
		// places named (azure_repos.go).
		c.repositories(r, req.Repos, azureRepoRound{list: repos, listVersion: listVersion, ceiling: ceiling}, get)
	}
	if t.onPrem {
		c.release(r, ceiling)
	}
	if global >= 0 {
		c.global(r, answers[global])
	}
	c.writeUnproven(r)
	if reading != "" {
		r.add(Finding{Level: Info, Text: reading})
	}
	c.expiry(r, true)
	return r
}

// azureDelivered reports whether a request reached the server, token and all.
func azureDelivered(a answer) bool {
	var e *httpx.Error
	return a.resp != nil || (errors.As(a.err, &e) && (e.Kind == httpx.KindRedirect || e.Kind == httpx.KindBodyTooLarge))
}

func (c azureCheck) reposURL(version string) string {
	return c.base + "/_apis/git/repositories?api-version=" + version
}

// identity reads connectionData: who the token is, or why it ends the
// check (then the report is complete and ok is false).
func (c azureCheck) identity(r *Report, a answer) (id azureIdentity, ok bool) {
	if a.err != nil {
		o, f := c.transport(a.err)
		r.fail(o, f)
		return id, false
	}
	resp := a.resp
	switch {
	case resp.Status == http.StatusOK && isHTML(resp):
		r.fail(Unchecked, c.webPage())
		return id, false
	case resp.Status == http.StatusOK:
		var err error
		if id, err = parseAzureConnection(resp.Body); err != nil {
			r.fail(Unchecked, c.unexpected(resp, "connectionData"))
			return id, false
		}
		if id.anonymous() {
			c.refused(r, Rejected, Finding{Level: Error,
				Text: c.name + " treated the request as anonymous: it did not accept the token (" + c.place + " has public projects, so it answered anyway).",
				Fix:  "Copy the token again in one piece; if it has expired or was revoked, create a new one with the steps shown.", Link: c.page})
			return id, false
		}
		if id.Account == "" {
			id.Account = azureUserData(resp.Header)
		}
		return id, true
	case resp.Status == http.StatusNonAuthoritativeInfo:
		c.refused(r, Rejected, Finding{Level: Error, Text: c.name + " answered with its sign-in page instead of the API: it did not accept the token.",
			Fix: "Copy the token again in one piece; if it has expired or was revoked, create a new one with the steps shown.", Link: c.page})
	case resp.Status == http.StatusUnauthorized:
		o, f := c.unauthorized(resp)
		if o == Insufficient {
			r.User = azureUserData(resp.Header)
			r.Missing = append(r.Missing, "access to "+c.place)
		}
		c.refused(r, o, f)
	case resp.Status == http.StatusForbidden:
		c.refused(r, Rejected, Finding{Level: Error, Text: c.name + " refused the token: " + c.quote(orDefault(azureMessage(resp.Body), "403 Forbidden")) + ".",
			Fix: "Ask the administrators of " + c.place + " whether a policy (conditional access, an IP allow list) blocks tokens from this network or account."})
	case resp.Status == http.StatusNotFound:
		// Like GitHub's and GitLab's "no API here": the server's answer,
		// not a usage error.
		r.fail(Unchecked, c.notFound())
	case resp.Status == http.StatusTooManyRequests:
		r.fail(Unchecked, c.rateLimited(resp))
	case resp.Status >= 500:
		r.fail(Unchecked, serverError(resp.Status, c.name, c.laterFix()))
	default:
		r.fail(Unchecked, c.unexpected(resp, "connectionData"))
	}
	return id, false
}

// unauthorized tells the kinds of 401 apart.
func (c azureCheck) unauthorized(resp *httpx.Response) (Outcome, Finding) {
	msg := azureMessage(resp.Body)
	if user := azureUserData(resp.Header); user != "" {
		return Insufficient, Finding{Level: Error,
			Text: c.name + " knows this token's user (" + c.quote(user) + ") but does not let it into " + c.place + ": the user is not a member, or the token was created for another organization or collection.",
			Fix:  "Check that you can open " + c.base + " in the browser as that user, and create the token there.", Link: c.page}
	}
	if strings.Contains(strings.ToLower(msg+" "+resp.Header.Get("X-Tfs-Serviceerror")), "expired") {
		return Rejected, Finding{Level: Error, Text: c.name + " says the token has expired.",
			Fix: "Regenerate it on the token page (or create a new one) and paste it into the integration.", Link: c.page}
	}
	if c.onPrem && isHTML(resp) {
		return Rejected, Finding{Level: Error,
			Text: c.name + " refused the token with a web server error page (such as IIS's \"401 - Unauthorized: Access is denied due to invalid credentials.\"): the token is wrong, or Basic Authentication is turned on in IIS, which stops personal access tokens from working.",
			Fix:  "Copy the token again in one piece; if it is right, ask the server's administrator to turn off Basic Authentication for the site in IIS.", Link: c.page}
	}
	said := ""
	if msg != "" {
		said = " (\"" + c.quote(msg) + "\")"
	}
	if c.onPrem {
		return Rejected, Finding{Level: Error,
			Text: c.name + " does not accept this token" + said + ": it is mistyped, expired or revoked, or was created on another server.",
			Fix:  "Copy the token again in one piece; if it has expired or was revoked, create a new one with the steps shown.", Link: c.page}
	}
	return Rejected, Finding{Level: Error,
		Text: "Azure DevOps does not accept this token for " + c.place + said + ": it is mistyped, expired or revoked, or was created for another organization.",
		Fix:  "Copy the token again in one piece, and check on the token page of " + c.place + " that it is listed there; otherwise create a new one with the steps shown.", Link: c.page}
}

// refused ends the report with a refusal, and adds what may explain it.
func (c azureCheck) refused(r *Report, o Outcome, f Finding) {
	r.Outcome = o
	r.add(f)
	if o == Rejected {
		if n := len(c.token); n != 52 && n != 84 {
			r.add(Finding{Level: Info, Text: fmt.Sprintf("Azure DevOps tokens are 52 or 84 characters long; this one has %d.", n),
				Fix: "Copy the token again, in full."})
		}
		if c.vssps != "" && !c.now.Before(azureGlobalEnd) {
			r.add(Finding{Level: Info, Text: "Tokens created for All accessible organizations stopped working on 2026-12-01: if this was one, that is why.",
				Fix: "Create a new token for " + c.place + ".", Link: c.page})
		}
		c.expiry(r, false)
	}
	r.settle()
}

// code reads the answer to the repositories call: Code (read) shown, or
// what stands in its way.
func (c azureCheck) code(r *Report, a answer, ceiling azureAPIVersion) {
	if a.err != nil {
		r.Outcome = Unchecked
		_, f := c.transport(a.err)
		r.add(f)
		return
	}
	resp := a.resp
	switch {
	case resp.Status == http.StatusOK && !isHTML(resp):
		names, count, err := parseAzureRepositories(resp.Body)
		if err != nil {
			r.Outcome = Unchecked
			r.add(c.unexpected(resp, "git/repositories"))
			return
		}
		r.Outcome = Sufficient
		r.Scopes = []string{"Code (read)"}
		if count == 0 {
			r.add(Finding{Level: Warn, Text: "It can read code, but sees no repository in " + c.place + ".",
				Fix: "Check that its user may read the repositories the integration should see (project permissions), and that " + c.place + " is the right one."})
			return
		}
		what := fmt.Sprintf("%d repositories, such as %s", count, shortList(names, 5))
		if count == 1 {
			what = "1 repository, " + names[0]
		}
		r.add(Finding{Level: Info, Text: "It can read code: " + what + "."})
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		r.Outcome = Insufficient
		r.Missing = append(r.Missing, azureNeeds...)
		said := ""
		if msg := azureMessage(resp.Body); msg != "" {
			said = " (\"" + c.quote(msg) + "\")"
		}
		r.add(Finding{Level: Error, Text: fmt.Sprintf("It lacks the Code scope: %s knows the token's user but refused to list repositories (%d)%s.", c.mid(), resp.Status, said),
			Fix: "Edit the token on the token page (or create a new one) and give it Code: Read & write.", Link: c.page})
	case resp.Status == http.StatusBadRequest && ceiling.known() && !ceiling.atLeast(3, 0):
		r.Outcome = BadInput
		r.add(Finding{Level: Error, Text: "This server is " + azureRelease(ceiling) + ", which has no personal access tokens.",
			Fix: "The Jira integration needs TFS 2017 or later; ask the administrator about upgrading."})
	case resp.Status == http.StatusNotFound && c.onPrem:
		r.Outcome = Unchecked
		r.add(Finding{Level: Error, Text: c.base + " reaches the server, but not a project collection.",
			Fix: "Open the collection in the browser and copy the address up to the collection name, such as https://server/tfs/DefaultCollection."})
	case resp.Status == http.StatusTooManyRequests:
		r.Outcome = Unchecked
		r.add(c.rateLimited(resp))
	case resp.Status >= 500:
		r.Outcome = Unchecked
		r.add(serverError(resp.Status, c.name, c.laterFix()))
	case isHTML(resp):
		r.Outcome = Unchecked
		r.add(c.webPage())
	default:
		r.Outcome = Unchecked
		r.add(c.unexpected(resp, "git/repositories"))
	}
}

// release names the on-premises server by the newest api-version it knows.
func (c azureCheck) release(r *Report, v azureAPIVersion) {
	if !v.known() {
		return
	}
	name := azureRelease(v)
	r.add(Finding{Level: Info, Text: fmt.Sprintf("The server is %s (REST API up to %d.%d).", name, v.major, v.minor)})
	switch {
	case c.serverTab && !v.atLeast(5, 0) && v.atLeast(3, 0):
		r.add(Finding{Level: Info, Text: "That is a TFS: the TFS 2017/2018 tab shows its token page and steps."})
	case !c.serverTab && v.atLeast(5, 0):
		r.add(Finding{Level: Info, Text: "That is an Azure DevOps Server: the Azure DevOps Server tab shows its token page and steps."})
	}
}

// global reports a token for All accessible organizations, which only the
// profile service answers. It refuses (401) any other token, and a global
// one without the User Profile scope: then gitpat cannot tell. Any other
// answer is no answer at all: the question stays open.
func (c azureCheck) global(r *Report, a answer) {
	org := strings.TrimPrefix(c.place, "the organization ")
	switch {
	case a.err == nil && a.resp.Status == http.StatusOK && isJSON(a.resp.Header) && !isHTML(a.resp):
		r.TokenKind = "global personal access token (All accessible organizations)"
		if r.Outcome == Sufficient {
			r.Outcome = Insufficient
			r.Summary = "The token works today, but it stops working on 2026-12-01."
		}
		r.Missing = append(r.Missing, "a token for this organization only")
		r.add(Finding{Level: Error,
			Text: "It is a token for All accessible organizations: Azure DevOps retires these, and it stops working on 2026-12-01, " + azureDaysLeft(azureGlobalEnd, c.now) + ".",
			Fix:  "Create a new token with Organization set to " + org + " and Code: Read & write, and paste that into the integration.",
			Link: c.page})
	case a.err == nil && (a.resp.Status == http.StatusUnauthorized || a.resp.Status == http.StatusForbidden):
		if r.Outcome == Sufficient || r.Outcome == Insufficient {
			r.add(Finding{Level: Info,
				Text: "gitpat cannot tell whether this is a token for All accessible organizations (it sees that only in tokens with the User Profile scope); such tokens stop working on 2026-12-01, " + azureDaysLeft(azureGlobalEnd, c.now) + ".",
				Fix:  "If you picked All accessible organizations when creating it, create a new one for " + org + "."})
		}
	default:
		f := c.profileFailure(a)
		f.Fix += " If you picked All accessible organizations when creating the token, create a new one for " + org + ": such tokens stop working on 2026-12-01."
		r.add(f)
		if r.Outcome == Sufficient {
			// Nothing else stands between the token and a verdict: the
			// failure decides, and it is not about the token.
			r.Outcome = Unchecked
			r.Summary = "The token works and reads code, but gitpat could not ask Azure DevOps whether it is a token for All accessible organizations."
			return
		}
		r.Unverified = append(r.Unverified, "a token for this organization only")
	}
}

// profileFailure says why the profile service gave no answer.
func (c azureCheck) profileFailure(a answer) Finding {
	const ask = "gitpat could not ask the profile service whether this is a token for All accessible organizations: "
	if a.err != nil {
		_, f := transportFinding(a.err, "The Azure DevOps profile service")
		f.Level, f.Text = Warn, ask+lower(strings.TrimSuffix(f.Text, "."))+"."
		return f
	}
	resp := a.resp
	f := Finding{Level: Warn, Fix: "Test again later."}
	switch {
	case resp.Status == http.StatusTooManyRequests:
		rl := c.rateLimited(resp)
		f.Text, f.Fix = ask+"it is limiting this user's requests (429 Too Many Requests).", rl.Fix
	case resp.Status >= 500:
		f.Text = ask + fmt.Sprintf("it answered with a server error (%d %s), which is not about your token.", resp.Status, http.StatusText(resp.Status))
	case isHTML(resp):
		f.Text = ask + "a web page answered in its place (a sign-in portal or a proxy)."
		f.Fix = "Check your network: a proxy or a sign-in portal may be in the way."
	default:
		f.Text = ask + fmt.Sprintf("it answered %d %s", resp.Status, http.StatusText(resp.Status))
		if msg := azureMessage(resp.Body); msg != "" {
			f.Text += " (\"" + c.quote(msg) + "\")"
		}
		f.Text += "."
	}
	return f
}

// writeUnproven reports what no check can prove: Code write. No GET or
// HEAD in the REST API needs vso.code_write, vso.code_manage or
// vso.code_full: in MicrosoftDocs/vsts-rest-api-specs (adb28786) every
// GET of the git area, in Services 4.1 to 7.2 and on premises tfs-4.1 and
// azure-devops-server-5.0 to 7.1, lists vso.code among its "security"
// scopes, and no GET elsewhere needs a code scope beyond it (the spec has
// no git area for TFS 2017's 3.x). Proving write would take a write, such
// as POST .../refs or .../pullrequests (vso.code_write), and a check never
// writes, not even an empty POST. So a token that reads code has Code
// write unverified.
func (c azureCheck) writeUnproven(r *Report) {
	if !slices.Contains(r.Scopes, "Code (read)") {
		return
	}
	r.Unverified = append(r.Unverified, azureNeeds...)
	if r.Outcome == Sufficient {
		r.Outcome = Insufficient
		r.Summary = "The token works and reads code, but gitpat cannot prove Code write without writing: confirm " + c.writeName + " on the token page."
	}
	r.add(Finding{Level: Warn,
		Text: "gitpat cannot prove Code write: no read-only request of the REST API needs it, and gitpat never writes to a repository. The integration needs it to create branches and pull requests.",
		Fix:  "On the token page, check that this token has " + c.writeName + " (or " + c.allName + "); if not, edit it or create a new one with that scope.",
		Link: c.page})
}

// expiry reports the expiry date the user entered; accepted says whether
// the host took the token, which a date in the past contradicts.
func (c azureCheck) expiry(r *Report, accepted bool) {
	renew := "Regenerate the token on the token page (or create a new one) and paste it into the integration."
	switch {
	case c.exp == nil && accepted:
		r.ExpiryUnknown = true
		r.add(Finding{Level: Info, Text: c.name + " does not let a token read its own expiry date.",
			Fix: "Note the date the token page shows, and enter it under Expiry date to have gitpat warn you before it runs out.", Link: c.page})
	case c.exp == nil:
		r.ExpiryUnknown = true
	case !c.exp.After(c.now) && accepted:
		r.ExpiresAt = c.exp
		r.add(Finding{Level: Warn, Text: "The expiry date you entered, " + c.exp.Format("2006-01-02") + ", has passed, yet the token still works.",
			Fix: "Check the date on the token page and correct it.", Link: c.page})
	case !c.exp.After(c.now):
		r.ExpiresAt = c.exp
		r.add(Finding{Level: Info, Text: "The expiry date you entered, " + c.exp.Format("2006-01-02") + ", has passed: that explains the refusal.",
			Fix: renew, Link: c.page})
	default:
		r.ExpiresAt = c.exp
		expiryFindings(r, c.exp, c.now, renew)
	}
}

// transport turns a failed exchange into a finding; a redirect here means
// a sign-in page, or http:// that the server moves to https://.
func (c azureCheck) transport(err error) (Outcome, Finding) {
	o, f := transportFinding(err, c.name)
	var e *httpx.Error
	if !errors.As(err, &e) || e.Kind != httpx.KindRedirect {
		return o, f
	}
	to, perr := url.Parse(e.Location)
	base, berr := url.Parse(c.base)
	if perr == nil && berr == nil && c.plainHTTP && to.Scheme == "https" && to.Hostname() == base.Hostname() {
		secure := url.URL{Scheme: "https", Host: to.Host, Path: base.Path}
		return BadInput, Finding{Level: Error, Text: "The server moves http:// to https://: use its https:// address.",
			Fix: "Enter the collection URL as " + secure.String() + "."}
	}
	f.Text = fmt.Sprintf("%s redirected to %s, probably a sign-in page rather than the API: it did not accept the token, or the address is wrong. gitpat did not follow, so the token was not sent there.", e.Host, e.Location)
	f.Fix = "Copy the token again in one piece and check the address; if your company puts a sign-in portal in front of the server, run the check from inside its network."
	return o, f
}

func (c azureCheck) notFound() Finding {
	if c.onPrem {
		return Finding{Level: Error, Text: "There is no project collection at " + c.base + ".",
			Fix: "Open the collection in the browser and copy the address up to the collection name (not a project's), such as https://server/tfs/DefaultCollection."}
	}
	return Finding{Level: Error, Text: "Azure DevOps has no " + strings.TrimPrefix(c.place, "the ") + ".",
		Fix: "Check the spelling: it is the name after dev.azure.com/ in the browser's address bar."}
}

func (c azureCheck) webPage() Finding {
	return Finding{Level: Error, Text: c.base + " answered with a web page, not the Azure DevOps API: a sign-in portal, a proxy or another site is in the way.",
		Fix: "Check the address, and your network: a proxy or a sign-in portal may be answering in its place."}
}

func (c azureCheck) unexpected(resp *httpx.Response, what string) Finding {
	text := fmt.Sprintf("%s gave an unexpected answer to %s (%d %s)", c.name, what, resp.Status, http.StatusText(resp.Status))
	if msg := azureMessage(resp.Body); msg != "" {
		text += ": \"" + c.quote(msg) + "\""
	}
	fix := "Try again later; if it persists, check the address."
	if c.onPrem {
		fix = "Try again later; if it persists, check the address or ask the server's administrator."
	}
	return Finding{Level: Error, Text: text + ".", Fix: fix}
}

// rateLimited describes a 429: Azure DevOps blocks a user whose requests
// exceed its limits ("TF400733: The request has been canceled: Request was
// blocked due to exceeding usage of resource ...") and says in Retry-After
// how long to wait (learn: integrate/concepts/rate-limits).
func (c azureCheck) rateLimited(resp *httpx.Response) Finding {
	f := Finding{Level: Error, Text: c.name + " is limiting this user's requests (429 Too Many Requests), so the check could not run.",
		Fix: "Wait a few minutes and test again: the limit lifts within five minutes once the requests stop."}
	if msg := azureMessage(resp.Body); msg != "" {
		f.Text = c.name + " is limiting this user's requests (429 Too Many Requests: \"" + c.quote(msg) + "\"), so the check could not run."
	}
	if wait, ok := azureRetryAfter(resp.Header, c.now); ok {
		f.Fix = "Wait " + azureWait(wait) + " and test again."
	}
	return f
}

// mid is the name of who answers, for the middle of a sentence.
func (c azureCheck) mid() string {
	if strings.HasPrefix(c.name, "The ") {
		return lower(c.name)
	}
	return c.name
}

func (c azureCheck) laterFix() string {
	if c.onPrem {
		return "Try again in a few minutes; if it persists, ask the server's administrator."
	}
	return "Try again in a few minutes; if it persists, check the Azure DevOps status page."
}

// quote makes server text safe to show in a sentence: one line, at most
// 200 characters, no final period, and never the token.
func (c azureCheck) quote(s string) string { return strings.TrimSuffix(serverText(s, c.token), ".") }
