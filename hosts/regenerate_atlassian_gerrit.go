package hosts

// Renewing a Bitbucket Cloud, Bitbucket Data Center or Gerrit credential:
// gitpat cannot rotate any of them itself, so each says where and how.
// Kept apart from the checks, like regenerate.go.

// Atlassian API tokens have Create and Revoke on the token page, no
// regenerate, and their scopes cannot be changed after creation
// (support.atlassian.com: "Manage API tokens for your Atlassian
// account"; Bitbucket Cloud "Revoke an API token": Account settings →
// Security → Create and manage API tokens → Revoke).
var bitbucketCloudRenewal = &Regeneration{
	Text: "An Atlassian API token cannot be renewed. Create a new API token with scopes for Bitbucket with the same six scopes, " +
		"paste it with your Atlassian account email into the integration, then revoke the old token on the same page.",
}

// Data Center HTTP access tokens are created with an expiry and listed
// on the token page with Revoke; gitpat found no documented way to
// renew a token's value or expiry (Atlassian's Bitbucket Data Center
// docs, "HTTP access tokens"), so the text asks for a new token.
var bitbucketDCRenewal = &Regeneration{
	Text: "An HTTP access token cannot be renewed. Create a new token with the same permissions (Projects: Read, Repositories: Write), " +
		"paste it into the integration, then revoke the old one. Project and repository tokens live in that project's or repository's settings.",
}

// Gerrit: "Generate new password" on Settings → HTTP Credentials
// replaces the account's HTTP password; the old one stops working
// (Gerrit's PutHttpPassword: one password per account).
var gerritRenewal = &Regeneration{
	Text: "On Settings → HTTP Credentials, click Generate new password: the old password stops working at once, " +
		"so paste the new one into the integration (and anything else that signs in with it) right away.",
}
