package hosts

// Where each host's token page renews a token, for the hosts gitpat cannot
// rotate tokens of itself. None of these pages can be prefilled for a
// regeneration, so each leads to the list of tokens (Regeneration.Page,
// or the host's token page when nil). Kept here, apart from the checks;
// each host's data names its own.

// GitHub: a token's own page (Settings → Developer settings → Personal
// access tokens → Tokens (classic) or Fine-grained tokens → the token)
// has "Regenerate token": same scopes, a new expiry, a new value; the
// old value stops working. GitHub's expiry e-mail links to
// /settings/tokens/<id>/regenerate for the same (docs.github.com,
// "Managing your personal access tokens"; community discussion #30560).
var githubRenewal = &Regeneration{
	Text: "On GitHub's token list, open this token and click Regenerate token: it keeps the scopes, takes a new expiry date " +
		"and gives a new value; the old value stops working at once, so paste the new one into the integration right away.",
	Page: func(req Request) (string, error) {
		s, err := parseGitHubServer(req)
		if err != nil {
			return "", err
		}
		return s.web + "/settings/tokens", nil
	},
}

// Azure DevOps Services and Server: the personal access tokens page
// lists each token with Edit, Regenerate and Revoke; Regenerate keeps
// name and scopes and issues a new value (learn.microsoft.com, "Use
// personal access tokens", "Modify a PAT"). Global PATs (all
// organizations) can no longer be regenerated since 2026-03-15
// (HOSTS-DETAIL.md, section 3).
const azureRenewText = "On the personal access tokens page, select this token and choose Regenerate: it keeps the name and scopes " +
	"and gives a new value; the old value stops working at once, so paste the new one into the integration right away."

var (
	azureRenewal = &Regeneration{
		Text: azureRenewText + " A token for all organizations can no longer be regenerated: create one for your organization instead."}
	azureServerRenewal = &Regeneration{Text: azureRenewText}
)

// TFS 2017/2018 list tokens on the security page; whether they offer
// Regenerate there is not documented, so the text allows for both.
var tfsRenewal = &Regeneration{
	Text: "On the security page's Personal access tokens list, regenerate this token if your server offers it; otherwise " +
		"add a new token with the same scopes, paste it into the integration, then revoke the old one.",
}

// AWS: an access key cannot be regenerated. A user may hold two, so the
// way to renew is a second key, then the old one made inactive and
// deleted (IAM User Guide, "Rotate access keys").
var codecommitRenewal = &Regeneration{
	Text: "An access key cannot be regenerated. Create a second access key for the same user, paste it into the integration, " +
		"then make the old key inactive and delete it.",
}
