package hosts

import (
	"encoding/base64"
	"strings"
)

// Shape is what a credential looks like, judged by its format alone.
type Shape struct {
	Family string // "github", "gitlab", "azure", "aws", "bitbucket", "bitbucket-dc"; "" when unknown
	Kind   string // "a GitLab personal access token", for sentences
}

var (
	githubPrefixed = lazyRE(`^gh[pousr]_[A-Za-z0-9]{30,251}$`)
	githubFine     = lazyRE(`^github_pat_[A-Za-z0-9_]{22,244}$`)
	gitlabPAT      = lazyRE(`^(?:[A-Za-z0-9-]+-)?glpat-[A-Za-z0-9_.-]{20,300}$`)
	gitlabOther    = lazyRE(`^gl(?:dt|oas|ptt|rt|cbt|ft|imt|soat|agent)-[A-Za-z0-9_.-]{10,300}$`)
	awsKeyID       = lazyRE(`^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$`)
	azureNew       = lazyRE(`^[0-9A-Za-z]{52}JQQJ[0-9A-Za-z]{20}AZDO[0-9A-Za-z]{4}$`)
	azureLegacy    = lazyRE(`^[a-z2-7]{52}$`)

	// Atlassian's own prefixes for Bitbucket Cloud credentials, "API Token:
	// ATAT, App Password: ATBB, Access Tokens (Workspace, Project, Repo):
	// ATCT" (Atlassian staff answer, community.atlassian.com, "Can we
	// confirm BitBucket's token prefixes?", 2025-08-25). Atlassian gives no
	// length ("We use varied API token length tokens rather than fixed
	// length", support.atlassian.com, Manage API tokens for your Atlassian
	// account), so only the prefix and the alphabet are held to.
	atlassianAPIToken    = lazyRE(`^ATATT[A-Za-z0-9_=-]{20,1000}$`)
	bitbucketAppPassword = lazyRE(`^ATBB[A-Za-z0-9]{20,100}$`)
	bitbucketAccessToken = lazyRE(`^ATCTT[A-Za-z0-9_=-]{20,1000}$`)

	// Bitbucket Data Center HTTP access tokens. Atlassian's REST API spec
	// (Bitbucket Data Center 9.2, RestRawAccessToken and
	// RestBearerTokenCredentials examples "MjUyOTczNTE1MDY5On2rDbID2EgYpH8AVOECHv0saruQ"
	// for token ID "252973515069") shows the classic form: base64 of
	// "ID:" and random bytes, 44 characters. Newer servers are reported to
	// prefix tokens with "BBDC-" (third-party use only; not confirmed by
	// Atlassian's documentation), so that prefix is recognised too.
	bitbucketDCPrefixed = lazyRE(`^BBDC-[A-Za-z0-9+/=_-]{30,200}$`)
	bitbucketDCClassic  = lazyRE(`^[MNO][A-Za-z0-9+/]{43}$`)
	bitbucketDCTokenID  = lazyRE(`^([0-9]{6,19}):`)
)

// Classify guesses whose credential s is from its format. Formats only
// warn: a host's API has the last word, and self-managed servers may use
// other prefixes, so an unknown shape is never an error.
func Classify(s string) Shape {
	switch {
	case strings.HasPrefix(s, "github_pat_") && githubFine.MatchString(s):
		return Shape{"github", "a GitHub fine-grained personal access token"}
	case githubPrefixed.MatchString(s):
		kinds := map[byte]string{'p': "a GitHub personal access token", 'o': "a GitHub OAuth token",
			'u': "a GitHub App user token", 's': "a GitHub App installation token", 'r': "a GitHub refresh token"}
		return Shape{"github", kinds[s[2]]}
	case gitlabPAT.MatchString(s):
		return Shape{"gitlab", "a GitLab personal access token"}
	case gitlabOther.MatchString(s):
		return Shape{"gitlab", "a GitLab token (not a personal access token)"}
	case awsKeyID.MatchString(s):
		return Shape{"aws", "an AWS access key ID"}
	case azureNew.MatchString(s):
		return Shape{"azure", "an Azure DevOps personal access token"}
	case azureLegacy.MatchString(s):
		return Shape{"azure", "an Azure DevOps or TFS personal access token"}
	case atlassianAPIToken.MatchString(s):
		return Shape{"bitbucket", "an Atlassian API token"}
	case bitbucketAppPassword.MatchString(s):
		return Shape{"bitbucket", "a Bitbucket app password"}
	case bitbucketAccessToken.MatchString(s):
		return Shape{"bitbucket", "a Bitbucket Cloud repository, project or workspace access token"}
	case bitbucketDCPrefixed.MatchString(s), bitbucketDCTokenIDOf(s) != "":
		return Shape{"bitbucket-dc", "a Bitbucket Data Center HTTP access token"}
	}
	return Shape{}
}

// bitbucketDCTokenIDOf returns the token ID a classic Bitbucket Data Center
// HTTP access token carries (base64 of "ID:secret"), or "" when s is not
// one. Gerrit's generated HTTP passwords, also base64, are 42 characters
// (31 random bytes, padding cut: PutHttpPassword.generate in Gerrit's
// source), so they never take this form.
func bitbucketDCTokenIDOf(s string) string {
	if !bitbucketDCClassic.MatchString(s) {
		return ""
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return ""
	}
	if m := bitbucketDCTokenID.FindSubmatch(raw); m != nil {
		return string(m[1])
	}
	return ""
}

var (
	// awsSecretShape is an AWS secret access key: 40 characters of the
	// base64 alphabet (IAM API reference, AccessKey.SecretAccessKey).
	awsSecretShape = lazyRE(`^[A-Za-z0-9/+]{40}$`)
	// hexToken is a GitHub token from before 2021 (40 hex characters).
	hexToken = lazyRE(`^[0-9a-f]{40}$`)
	// gerritPasswordShape is an HTTP password Gerrit generated: 31 random
	// bytes in base64 without its padding, 42 characters (Gerrit's
	// PutHttpPassword.generate). Any 42 characters of that alphabet fit,
	// so only LooksLikeCredential uses it.
	gerritPasswordShape = lazyRE(`^[A-Za-z0-9/+]{42}$`)
)

// LooksLikeCredential reports whether s is shaped like a credential of
// any host, including shapes Classify leaves alone because a host's API
// must judge them (an AWS secret access key, an old 40-hex GitHub token).
// It is for text where no credential belongs, such as a command line.
func LooksLikeCredential(s string) (kind string, ok bool) {
	if shape := Classify(s); shape.Family != "" {
		return shape.Kind, true
	}
	switch {
	case hexToken.MatchString(s):
		return "a token (40 hexadecimal characters)", true
	case awsSecretShape.MatchString(s) && strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
		strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") && strings.ContainsAny(s, "0123456789"):
		return "an AWS secret access key", true
	case gerritPasswordShape.MatchString(s) && strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
		strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") && strings.ContainsAny(s, "0123456789"):
		return "a Gerrit HTTP password", true
	}
	return "", false
}

// FamilyTab names the tab where credentials of a family belong.
func FamilyTab(family string) string {
	return map[string]string{"github": "GitHub", "gitlab": "GitLab", "azure": "Azure DevOps (or TFS / Azure DevOps Server)",
		"aws": "AWS CodeCommit", "bitbucket": "Bitbucket Cloud", "bitbucket-dc": "Bitbucket Data Center"}[family]
}
