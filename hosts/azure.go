package hosts

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
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
	Repos:   &azureRepoSpec,
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
	Regenerate: azureRenewal,
	check:      azureServicesCheck(azureEndpoints{dev: "https://dev.azure.com", vssps: "https://app.vssps.visualstudio.com"}),
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
	Repos:    &azureRepoSpec,
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
	TokenPage:  func(req Request) (string, error) { return collectionPage(req, "/_details/security/tokens") },
	Regenerate: tfsRenewal,
	check:      azureServerCheck(false),
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
	Repos:    &azureRepoSpec,
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
	TokenPage:  func(req Request) (string, error) { return collectionPage(req, "/_usersSettings/tokens") },
	Regenerate: azureServerRenewal,
	check:      azureServerCheck(true),
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
// people paste it, cut back to the collection: page paths (/_usersSettings/
// tokens, /_git/repo, /_apis) dropped, and a project's or repository's
// page (COLLECTION/PROJECT/_git/REPO) cut to its collection. Plain http is
// accepted here; the check asks for consent.
func parseCollectionURL(raw string) (*url.URL, error) {
	u, err := ParseServerURL(raw, true)
	if err != nil {
		return nil, err
	}
	if u.Host == "dev.azure.com" || strings.HasSuffix(u.Hostname(), ".visualstudio.com") {
		return nil, &ServerURLError{"That is an Azure DevOps Services address: use the Azure DevOps tab."}
	}
	u.Path = collectionPath(u.Path)
	switch {
	case u.Path == "":
		return nil, &ServerURLError{"Add the collection to the address, such as " + u.String() + "/tfs/DefaultCollection or " + u.String() + "/DefaultCollection."}
	case strings.EqualFold(u.Path, "/tfs"):
		return nil, &ServerURLError{"Add the collection after /tfs, such as " + u.String() + "/DefaultCollection."}
	}
	return u, nil
}

// azureCollectionPages are the pages that exist only for a collection,
// never under a project: what precedes them is the collection's address.
var azureCollectionPages = map[string]bool{"_userssettings": true, "_details": true}

// collectionPath cuts a path to its collection. The web addresses are
// [/VDIR]/COLLECTION[/PROJECT][/_PAGE...] where VDIR is the virtual
// directory, /tfs on TFS and optional from Azure DevOps Server 2019 on;
// a repository named like its project may drop the project
// (COLLECTION/_git/REPO). So before a page that lives under a project
// (_git, _workitems, _apis, and any other):
//   - /tfs/COLLECTION[/...] keeps /tfs/COLLECTION;
//   - three segments or more keep the first two (VDIR/COLLECTION/PROJECT);
//   - two keep the first (COLLECTION/PROJECT), which a server with its own
//     virtual directory, entered as VDIR/COLLECTION/_git/REPO, cannot be
//     told apart from: gitpat assumes the commoner COLLECTION/PROJECT, and
//     a wrong guess ends in "there is no project collection at ...", whose
//     fix asks for the address up to the collection;
//   - one is the collection.
//
// Before a page that lives only under a collection (azureCollectionPages)
// everything before it is kept. A path without any page is kept as typed,
// except that /tfs/COLLECTION/PROJECT is cut to /tfs/COLLECTION.
func collectionPath(path string) string {
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	page := slices.IndexFunc(segs, func(s string) bool { return strings.HasPrefix(s, "_") })
	tfs := len(segs) > 0 && strings.EqualFold(segs[0], "tfs")
	keep := len(segs)
	switch {
	case page < 0 && tfs:
		keep = min(keep, 2)
	case page < 0:
	case azureCollectionPages[strings.ToLower(segs[page])]:
		keep = page
	case tfs || page >= 3:
		keep = min(page, 2)
	case page == 2:
		keep = 1
	default:
		keep = page
	}
	if keep == 0 {
		return ""
	}
	return "/" + strings.Join(segs[:keep], "/")
}
