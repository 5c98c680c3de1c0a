package hosts

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
)

// azureNeeds is what the Jira integration needs of an Azure DevOps token.
var azureNeeds = []string{"Code (read and write)"}

// azureGlobalEnd is when Azure DevOps stops accepting global ("All
// accessible organizations") tokens (release notes, Sprint 270).
var azureGlobalEnd = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// azureRetirementPost is Microsoft's announcement of the retirement.
const azureRetirementPost = "https://devblogs.microsoft.com/devops/retirement-of-global-personal-access-tokens-in-azure-devops/"

// azureExpiryField asks for the expiry date the creation page showed: a
// token cannot read its own expiry.
var azureExpiryField = Field{Key: "expires", Label: "Expiry date", Placeholder: "YYYY-MM-DD", Optional: true, PerToken: true,
	Help: "A token cannot reveal its own expiry: enter the date the token page showed, and gitpat warns before it runs out.",
	Validate: func(s string) error {
		if _, _, err := parseAzureExpiry(s); err != nil {
			return &ServerURLError{"gitpat cannot read this date: enter it as YYYY-MM-DD, such as 2027-03-31, or leave it empty."}
		}
		return nil
	}}

// AzureDevOps is Azure DevOps Services (dev.azure.com, formerly VSTS).
var AzureDevOps = &Host{
	ID:      "azure-devops",
	Name:    "Azure DevOps",
	Family:  "azure",
	Summary: "The Jira integration needs a personal access token for your organization with Code: Read & write.",
	Needs:   azureNeeds,
	Variants: []Variant{{ID: "services", Label: "Azure DevOps Services", Fields: []Field{
		{Key: "org", Label: "Organization", Placeholder: "myorg or https://dev.azure.com/myorg",
			Help: "The organization the Jira integration connects to.",
			Validate: func(s string) error {
				_, err := AzureOrganization(Request{Fields: map[string]string{"org": s}})
				return err
			}},
		azureExpiryField,
	}}},
	Secrets: []SecretField{{Label: "Token", Placeholder: "52 or 84 characters"}},
	Steps: []Step{
		{"Sign in to dev.azure.com/ORGANIZATION, open User settings (top right) and choose Personal access tokens. \"Open token page\" takes you there.", "azure-1-usersettings.svg"},
		{"Click + New Token.", "azure-2-new.svg"},
		{"Name it \"Jira\", pick the organization the integration connects to, and set Expiration (Custom defined allows a longer lifespan).", "azure-3-form.svg"},
		{"Under Scopes choose Custom defined, then Code: Read & write.", "azure-4-scopes.svg"},
		{"Click Create and copy the token now: Azure DevOps shows it only once. Note its expiry date and enter it here under Expiry date.", "azure-5-copy.svg"},
	},
	Notes: []Note{
		{Level: Info, Text: "Scopes: Custom defined → Code: Read & write (Read alone shows commits; write lets the integration create branches and pull requests). Full access also works."},
		{Level: Warn, Text: "Older guides, the one gitpat follows among them, say to pick Organization: All accessible organizations. Since 2026-03-15 Azure DevOps no longer creates such global tokens, and existing ones stop working on 2026-12-01: pick the one organization the integration connects to. For such a token that guide's advice is Full access, or Custom defined with Code: Read (and Read & write for branches and pull requests) and Code: Status.",
			Link: azureRetirementPost},
		{Level: Info, Text: "The token's expiry cannot be read back with the token: write down the date shown when you create it, and enter it under Expiry date so gitpat can warn you in time."},
		{Level: Info, Text: "gitpat proves that the token signs in and reads code. It cannot test Code write without writing to a repository: check that scope yourself on the token page."},
	},
	TokenPage: func(req Request) (string, error) {
		org, err := AzureOrganization(req)
		if err != nil {
			return "", err
		}
		return "https://dev.azure.com/" + url.PathEscape(org) + "/_usersSettings/tokens", nil
	},
	check: azureServicesCheck(azureEndpoints{dev: "https://dev.azure.com", vssps: "https://app.vssps.visualstudio.com"}),
}

var azureOrgName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,48}[A-Za-z0-9]?$`)

// AzureOrganization reads the organization from its name or either URL
// form (https://dev.azure.com/ORG, https://ORG.visualstudio.com).
func AzureOrganization(req Request) (string, error) {
	raw := strings.TrimSpace(req.Field("org"))
	if raw == "" {
		raw = strings.TrimSpace(req.Field("url"))
	}
	if raw == "" {
		return "", &ServerURLError{"Enter your Azure DevOps organization, such as myorg."}
	}
	org := raw
	if strings.ContainsAny(raw, "./:") {
		u, err := ParseServerURL(raw, false)
		if err != nil {
			return "", err
		}
		switch {
		case u.Host == "dev.azure.com":
			org, _, _ = strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
		case strings.HasSuffix(u.Host, ".visualstudio.com"):
			org = strings.TrimSuffix(u.Host, ".visualstudio.com")
		default:
			return "", &ServerURLError{"That is not an Azure DevOps Services address; use the TFS or Azure DevOps Server tab for your own server."}
		}
	}
	if !azureOrgName.MatchString(org) {
		return "", &ServerURLError{"\"" + org + "\" is not an Azure DevOps organization name."}
	}
	return org, nil
}

// collectionField is the collection URL field of the on-premises servers;
// example is a collection URL as that version installs it.
func collectionField(example string) Field {
	return Field{Key: "url", Label: "Collection URL", Placeholder: example,
		Help:     "The address of your project collection, as in the browser, such as " + example + ".",
		Validate: func(s string) error { _, err := parseCollectionURL(s); return err }}
}

var (
	// TFS 2017 and 2018 serve collections under /tfs.
	tfsCollectionField = collectionField("https://server/tfs/DefaultCollection")
	// From Azure DevOps Server 2019 on /tfs is optional (HOSTS-DETAIL.md,
	// Azure DevOps Server) and the tab's drawings leave it out; servers
	// upgraded from TFS keep it, and parseCollectionURL takes both.
	serverCollectionField = collectionField("https://server/DefaultCollection")
)

// iisBasicNote explains the commonest reason a right token fails on premises.
var iisBasicNote = Note{Level: Info, Text: "If a correct token is refused, ask the administrator whether Basic Authentication is turned on for the site in IIS: it stops personal access tokens from working."}

// TFS is Team Foundation Server 2017 and 2018.
var TFS = &Host{
	ID:       "tfs",
	Name:     "TFS 2017/2018",
	Family:   "azure",
	Summary:  "The Jira integration needs a personal access token with Code (read and write).",
	Needs:    azureNeeds,
	Variants: []Variant{{ID: "tfs", Label: "Team Foundation Server 2017/2018", Fields: []Field{tfsCollectionField, azureExpiryField}}},
	Secrets:  []SecretField{{Label: "Token", Placeholder: "52 characters"}},
	Steps: []Step{
		{"Open your collection in the browser, click your user icon (top right) and choose Security. \"Open token page\" takes you there.", "tfs-1-security.svg"},
		{"Select Personal access tokens and click Add.", "tfs-2-add.svg"},
		{"Enter a description such as \"Jira\" and choose how long it lasts (Expires in).", "tfs-3-form.svg"},
		{"Under Authorized Scopes choose Selected scopes and tick Code (read and write); Code (read) alone only lets the integration view commits.", "tfs-4-scopes.svg"},
		{"Click Create Token and copy it now: it is shown only once. Note its expiry date and enter it here under Expiry date.", "tfs-5-copy.svg"},
	},
	Notes: []Note{
		{Level: Info, Text: "Scopes: code (read) to view commits and browse; code (read and write) to also create branches and pull requests."},
		{Level: Warn, Text: "If your server uses http:// the token travels unencrypted; prefer https."},
		{Level: Info, Text: "The token's expiry cannot be read back with the token: write down the date shown when you create it."},
		iisBasicNote,
	},
	TokenPage: func(req Request) (string, error) { return collectionPage(req, "/_details/security/tokens") },
	check:     azureServerCheck(false),
}

// AzureDevOpsServer is Azure DevOps Server 2019, 2020 and 2022.
var AzureDevOpsServer = &Host{
	ID:       "azure-devops-server",
	Name:     "Azure DevOps Server",
	Family:   "azure",
	Summary:  "The Jira integration needs a personal access token with Code: Read & write.",
	Needs:    azureNeeds,
	Variants: []Variant{{ID: "server", Label: "Azure DevOps Server 2019/2020/2022", Fields: []Field{serverCollectionField, azureExpiryField}}},
	Secrets:  []SecretField{{Label: "Token", Placeholder: "52 characters"}},
	Steps: []Step{
		{"Open your collection in the browser, click your user icon or User settings (top right) and choose Security or Personal access tokens. \"Open token page\" takes you there.", "ados-1-security.svg"},
		{"Click + New Token (Add on 2019).", "ados-2-new.svg"},
		{"Name it \"Jira\" and set Expiration (Custom defined allows a longer lifespan).", "ados-3-form.svg"},
		{"Under Scopes choose Custom defined (Selected scopes), then Code: Read & write.", "ados-4-scopes.svg"},
		{"Click Create and copy the token now: it is shown only once. Note its expiry date and enter it here under Expiry date.", "ados-5-copy.svg"},
	},
	Notes: []Note{
		{Level: Info, Text: "Scopes: Code read to view commits and browse; Code read & write to also create branches and pull requests."},
		{Level: Warn, Text: "If your server uses http:// the token travels unencrypted; prefer https."},
		{Level: Info, Text: "The token's expiry cannot be read back with the token: write down the date shown when you create it."},
		iisBasicNote,
	},
	TokenPage: func(req Request) (string, error) { return collectionPage(req, "/_usersSettings/tokens") },
	check:     azureServerCheck(true),
}

// collectionPage returns a page under the collection URL.
func collectionPage(req Request, page string) (string, error) {
	u, err := parseCollectionURL(req.Field("url"))
	if err != nil {
		return "", err
	}
	return u.String() + page, nil
}

// parseCollectionURL reads a TFS or Azure DevOps Server collection URL as
// people paste it, page paths (/_usersSettings/tokens, /_git/repo, /_apis)
// dropped. Plain http is accepted here; the check asks for consent.
func parseCollectionURL(raw string) (*url.URL, error) {
	u, err := ParseServerURL(raw, true)
	if err != nil {
		return nil, err
	}
	if u.Host == "dev.azure.com" || strings.HasSuffix(u.Hostname(), ".visualstudio.com") {
		return nil, &ServerURLError{"That is an Azure DevOps Services address: use the Azure DevOps tab."}
	}
	if i := strings.Index(u.Path+"/", "/_"); i >= 0 && i < len(u.Path) {
		u.Path = strings.TrimRight(u.Path[:i], "/")
	}
	// A project or repository page under /tfs/COLLECTION: keep the collection.
	if seg := strings.Split(strings.TrimPrefix(u.Path, "/"), "/"); len(seg) > 2 && strings.EqualFold(seg[0], "tfs") {
		u.Path = "/" + seg[0] + "/" + seg[1]
	}
	switch {
	case u.Path == "":
		return nil, &ServerURLError{"Add the collection to the address, such as " + u.String() + "/tfs/DefaultCollection or " + u.String() + "/DefaultCollection."}
	case strings.EqualFold(u.Path, "/tfs"):
		return nil, &ServerURLError{"Add the collection after /tfs, such as " + u.String() + "/DefaultCollection."}
	}
	return u, nil
}

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
			page: base + "/_usersSettings/tokens", version: "7.1", vssps: ep.vssps,
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
			version: "3.0", onPrem: true, serverTab: serverTab, plainHTTP: u.Scheme == "http"}
		if serverTab {
			t.name, t.page, t.version = "The Azure DevOps server", u.String()+"/_usersSettings/tokens", "5.0"
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
	calls := []func() (*httpx.Response, error){get(t.base + "/_apis/connectionData"), get(c.reposURL(t.version))}
	probe, global := -1, -1
	if t.onPrem {
		// An api-version no server has answers 400 naming the highest it has.
		probe = len(calls)
		calls = append(calls, get(c.reposURL("100.0")))
	}
	if t.vssps != "" && c.now.Before(azureGlobalEnd) {
		global = len(calls)
		calls = append(calls, get(t.vssps+"/_apis/profile/profiles/me?api-version=7.1"))
	}
	answers := parallel(calls)
	if t.plainHTTP && azureDelivered(answers[0]) {
		r.add(Finding{Level: Warn, Text: "The token was sent over plain http:// to " + t.base + ": anyone on the network path could read it.",
			Fix: "Ask the server's administrator to enable https and use the https:// address; replace the token if the network is not trusted."})
	}

	id, ok := c.identity(r, answers[0])
	if !ok {
		return r
	}
	r.User, r.Name, r.TokenKind = id.user(), id.Display, "personal access token"
	r.add(Finding{Level: Info, Text: "It signs in to " + t.place + " as " + id.describe() + "."})

	repos := answers[1]
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
		}
	}
	c.code(r, repos, ceiling)
	if t.onPrem {
		c.release(r, ceiling)
	}
	if global >= 0 {
		c.global(r, answers[global])
	}
	if r.Outcome == Sufficient {
		r.Summary = "Ready as far as gitpat can tell: the token signs in and reads code. Code write cannot be tested without writing: confirm it on the token page."
		r.add(Finding{Level: Warn, Text: "gitpat cannot test Code write without writing to a repository, so it did not: the integration needs it to create branches and pull requests.",
			Fix: "On the token page, check that this token has Code: Read & write (or Full access); if not, edit it or create a new one with that scope.", Link: t.page})
	}
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
// profile service answers.
func (c azureCheck) global(r *Report, a answer) {
	if a.err == nil && a.resp.Status == http.StatusOK && isJSON(a.resp.Header) {
		r.TokenKind = "global personal access token (All accessible organizations)"
		if r.Outcome == Sufficient {
			r.Outcome = Insufficient
			r.Summary = "The token works today, but it stops working on 2026-12-01."
		}
		r.Missing = append(r.Missing, "a token for this organization only")
		r.add(Finding{Level: Error,
			Text: "It is a token for All accessible organizations: Azure DevOps retires these, and it stops working on 2026-12-01, " + azureDaysLeft(azureGlobalEnd, c.now) + ".",
			Fix:  "Create a new token with Organization set to " + strings.TrimPrefix(c.place, "the organization ") + " and Code: Read & write, and paste that into the integration.",
			Link: c.page})
		return
	}
	if r.Outcome == Sufficient || r.Outcome == Insufficient {
		r.add(Finding{Level: Info,
			Text: "gitpat cannot tell whether this is a token for All accessible organizations (it sees that only in tokens with the User Profile scope); such tokens stop working on 2026-12-01, " + azureDaysLeft(azureGlobalEnd, c.now) + ".",
			Fix:  "If you picked All accessible organizations when creating it, create a new one for " + strings.TrimPrefix(c.place, "the organization ") + "."})
	}
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

// azureIdentity is who connectionData says the caller is.
type azureIdentity struct {
	ID         string
	Descriptor string
	Display    string // providerDisplayName
	Account    string // properties.Account.$value: an e-mail address or DOMAIN\user
}

func (id azureIdentity) user() string { return orDefault(id.Account, id.Display) }

func (id azureIdentity) describe() string {
	if id.Account != "" && id.Display != "" && id.Account != id.Display {
		return id.Display + " (" + id.Account + ")"
	}
	return orDefault(id.user(), "an unnamed user")
}

// anonymous reports the identity Azure DevOps gives a request it did not
// authenticate: on organizations with public projects a wrong token gets a
// 200 with the public-access identity rather than a 401.
func (id azureIdentity) anonymous() bool {
	return id.ID == "" || strings.Trim(id.ID, "0a-") == "" ||
		strings.HasPrefix(id.Descriptor, "System:PublicAccess") ||
		(strings.EqualFold(id.Display, "Anonymous") && id.Account == "")
}

// parseAzureConnection reads the caller from a connectionData answer.
func parseAzureConnection(body []byte) (azureIdentity, error) {
	var cd struct {
		AuthenticatedUser *struct {
			ID                  string                     `json:"id"`
			Descriptor          string                     `json:"descriptor"`
			ProviderDisplayName string                     `json:"providerDisplayName"`
			Properties          map[string]json.RawMessage `json:"properties"`
		} `json:"authenticatedUser"`
	}
	if err := json.Unmarshal(body, &cd); err != nil {
		return azureIdentity{}, err
	}
	u := cd.AuthenticatedUser
	if u == nil {
		return azureIdentity{}, errors.New("no authenticatedUser")
	}
	id := azureIdentity{ID: u.ID, Descriptor: u.Descriptor, Display: strings.TrimSpace(u.ProviderDisplayName)}
	var account struct {
		Value any `json:"$value"`
	}
	if raw, ok := u.Properties["Account"]; ok && json.Unmarshal(raw, &account) == nil {
		if s, ok := account.Value.(string); ok {
			id.Account = strings.TrimSpace(s)
		}
	}
	return id, nil
}

// parseAzureRepositories reads a git/repositories answer: up to the first
// names, and how many there are.
func parseAzureRepositories(body []byte) (names []string, count int, err error) {
	var list struct {
		Count *int `json:"count"`
		Value []struct {
			Name    string `json:"name"`
			Project struct {
				Name string `json:"name"`
			} `json:"project"`
		} `json:"value"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, 0, err
	}
	if list.Count == nil && list.Value == nil {
		return nil, 0, errors.New("not a repository list")
	}
	for _, v := range list.Value {
		name := v.Name
		if v.Project.Name != "" && v.Project.Name != v.Name {
			name = v.Project.Name + "/" + v.Name
		}
		names = append(names, name)
	}
	count = len(list.Value)
	if list.Count != nil && *list.Count > count {
		count = *list.Count
	}
	return names, count, nil
}

// azureMessage is the message of an Azure DevOps error body, or "".
func azureMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return strings.TrimSpace(e.Message)
}

// azureUserData is the user name in X-VSS-UserData ("<guid>:<name>"),
// which Azure DevOps sends once it knows who the token belongs to.
func azureUserData(h http.Header) string {
	v := strings.TrimSpace(h.Get("X-Vss-Userdata"))
	if v == "" {
		return ""
	}
	if _, name, ok := strings.Cut(v, ":"); ok && strings.TrimSpace(name) != "" {
		return strings.TrimSpace(name)
	}
	return v
}

// azureAPIVersion is a REST api-version such as 4.1; the zero value is unknown.
type azureAPIVersion struct{ major, minor int }

func (v azureAPIVersion) known() bool { return v.major > 0 }

func (v azureAPIVersion) atLeast(major, minor int) bool {
	return v.major > major || (v.major == major && v.minor >= minor)
}

var azureCeilingText = regexp.MustCompile(`(?i)latest REST API version[^0-9]{0,40}?(\d{1,3})\.(\d{1,3})`)

// azureAPICeiling reads the newest api-version a server supports from the
// 400 it gives a newer one: "The requested REST API version of 100.0 is
// out of range for this server. The latest REST API version this server
// supports is 4.1." (other wordings say "supported by this server").
func azureAPICeiling(body []byte) azureAPIVersion {
	m := azureCeilingText.FindSubmatch(body[:min(len(body), 4096)])
	if m == nil {
		return azureAPIVersion{}
	}
	major, err1 := strconv.Atoi(string(m[1]))
	minor, err2 := strconv.Atoi(string(m[2]))
	if err1 != nil || err2 != nil || major == 0 {
		return azureAPIVersion{}
	}
	return azureAPIVersion{major, minor}
}

func azureCeilingOf(a answer) azureAPIVersion {
	if a.err != nil || a.resp.Status != http.StatusBadRequest {
		return azureAPIVersion{}
	}
	return azureAPICeiling(a.resp.Body)
}

// azureRelease names the server release by the newest api-version it
// supports (REST API versioning matrix).
func azureRelease(v azureAPIVersion) string {
	switch {
	case !v.atLeast(3, 0):
		return "TFS 2015 or older"
	case v.major == 3 && v.minor == 0:
		return "TFS 2017"
	case v.major == 3 && v.minor == 1:
		return "TFS 2017 Update 1"
	case v.major == 3:
		return "TFS 2017 Update 2 or later"
	case v.major == 4 && v.minor == 0:
		return "TFS 2018"
	case v.major == 4:
		return "TFS 2018 Update 2 or later"
	case v.major == 5 && v.minor == 0:
		return "Azure DevOps Server 2019"
	case v.major == 5:
		return "Azure DevOps Server 2019 Update 1 or later"
	case v.major == 6:
		return "Azure DevOps Server 2020"
	case v.major == 7 && v.minor == 0:
		return "Azure DevOps Server 2022"
	case v.major == 7 && v.minor == 1:
		return "Azure DevOps Server 2022 Update 1 or later"
	}
	return "an Azure DevOps Server newer than 2022"
}

var (
	azureDateISO   = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	azureDateSlash = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
	azureDateDots  = regexp.MustCompile(`^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$`)
)

// parseAzureExpiry reads the expiry date a user copied from the token
// page: YYYY-MM-DD, M/D/YYYY as the English pages show it (D/M/YYYY when
// the first number cannot be a month), D.M.YYYY, or a month name ("Dec 31,
// 2026", "31 December 2026"). The token is taken to last until the end of
// that day, UTC. reading explains how an ambiguous date was read. An empty
// field is no date and no error.
func parseAzureExpiry(raw string) (exp *time.Time, reading string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, "", nil
	}
	bad := errors.New("not a date")
	var y, m, d int
	num := func(b string) int { n, _ := strconv.Atoi(b); return n }
	if g := azureDateISO.FindStringSubmatch(s); g != nil {
		y, m, d = num(g[1]), num(g[2]), num(g[3])
	} else if g := azureDateSlash.FindStringSubmatch(s); g != nil {
		a, b := num(g[1]), num(g[2])
		y, m, d = num(g[3]), a, b
		if a > 12 {
			m, d = b, a
		} else if b <= 12 && a != b {
			reading = fmt.Sprintf("gitpat read the expiry date %s as month/day/year, %04d-%02d-%02d; enter it as YYYY-MM-DD if you meant otherwise.", s, y, m, d)
		}
	} else if g := azureDateDots.FindStringSubmatch(s); g != nil {
		y, m, d = num(g[3]), num(g[2]), num(g[1])
	} else {
		t, ok := azureMonthDate(s)
		if !ok {
			return nil, "", bad
		}
		y, m, d = t.Year(), int(t.Month()), t.Day()
	}
	t := time.Date(y, time.Month(m), d, 23, 59, 59, 0, time.UTC)
	if y < 2000 || y > 2200 || m < 1 || m > 12 || t.Day() != d || t.Month() != time.Month(m) {
		return nil, "", bad
	}
	return &t, reading, nil
}

func azureMonthDate(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, ",", " ")), " ")
	for _, layout := range []string{"Jan 2 2006", "January 2 2006", "2 Jan 2006", "2 January 2006", "Mon Jan 2 2006", "Monday January 2 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func azureShorten(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// daysUntil says "in 6 days", "in less than a day" or "today" for a moment
// ahead of now.
func azureDaysLeft(t, now time.Time) string {
	left := t.Sub(now)
	switch {
	case left <= 0:
		return "which has passed"
	case left < 24*time.Hour:
		return "in less than a day"
	}
	return "in " + plural(int(left.Hours()/24), "day")
}
