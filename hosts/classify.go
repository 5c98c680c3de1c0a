package hosts

import (
	"regexp"
	"strings"
)

// Shape is what a credential looks like, judged by its format alone.
type Shape struct {
	Family string // "github", "gitlab", "azure", "aws"; "" when unknown
	Kind   string // "a GitLab personal access token", for sentences
}

var (
	githubPrefixed = regexp.MustCompile(`^gh[pousr]_[A-Za-z0-9]{30,251}$`)
	githubFine     = regexp.MustCompile(`^github_pat_[A-Za-z0-9_]{22,244}$`)
	gitlabPAT      = regexp.MustCompile(`^(?:[A-Za-z0-9-]+-)?glpat-[A-Za-z0-9_.-]{20,300}$`)
	gitlabOther    = regexp.MustCompile(`^gl(?:dt|oas|ptt|rt|cbt|ft|imt|soat|agent)-[A-Za-z0-9_.-]{10,300}$`)
	awsKeyID       = regexp.MustCompile(`^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$`)
	azureNew       = regexp.MustCompile(`^[0-9A-Za-z]{52}JQQJ[0-9A-Za-z]{20}AZDO[0-9A-Za-z]{4}$`)
	azureLegacy    = regexp.MustCompile(`^[a-z2-7]{52}$`)
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
	}
	return Shape{}
}

var (
	// awsSecretShape is an AWS secret access key: 40 characters of the
	// base64 alphabet (IAM API reference, AccessKey.SecretAccessKey).
	awsSecretShape = regexp.MustCompile(`^[A-Za-z0-9/+]{40}$`)
	// hexToken is a GitHub token from before 2021 (40 hex characters).
	hexToken = regexp.MustCompile(`^[0-9a-f]{40}$`)
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
	}
	return "", false
}

// FamilyTab names the tab where credentials of a family belong.
func FamilyTab(family string) string {
	return map[string]string{"github": "GitHub", "gitlab": "GitLab", "azure": "Azure DevOps (or TFS / Azure DevOps Server)",
		"aws": "AWS CodeCommit"}[family]
}
