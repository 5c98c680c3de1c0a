package hosts

import "net/url"

// gitlabNeeds is what the Jira integration needs of a GitLab token.
var gitlabNeeds = []string{"api"}

// GitLab covers gitlab.com and self-managed GitLab CE/EE.
var GitLab = &Host{
	ID:      "gitlab",
	Name:    "GitLab",
	Family:  "gitlab",
	Summary: "The Jira integration needs a personal access token with the api scope.",
	Needs:   gitlabNeeds,
	Variants: []Variant{
		{ID: "gitlab.com", Label: "GitLab.com"},
		{ID: "self-managed", Label: "Self-managed GitLab", Fields: []Field{{
			Key: "url", Label: "Server URL", Placeholder: "https://gitlab.example.com",
			Help: "The address you open in the browser, with its sub-path if GitLab has one (https://example.com/gitlab).",
		}}},
	},
	Secrets: []SecretField{{Label: "Token", Placeholder: "glpat-…"}},
	Steps: []Step{
		{"Sign in to GitLab, click your avatar and choose Edit profile.", "gitlab-1-avatar.svg"},
		{"In the left sidebar, select Access tokens (Personal access tokens). \"Open token page\" takes you straight there, prefilled.", "gitlab-2-tokens.svg"},
		{"Click Add new token.", "gitlab-3-add.svg"},
		{"Enter a name such as \"Jira\" and an expiry date as your organization's policy allows.", "gitlab-4-form.svg"},
		{"Select the api scope: it lets the integration create branches and merge requests.", "gitlab-5-scopes.svg"},
		{"Click Create personal access token and copy the token now: GitLab shows it only once.", "gitlab-6-copy.svg"},
	},
	Notes: []Note{
		{Level: Info, Text: "Scope: api. read_api, read_user or read_repository alone are not enough."},
		{Level: Info, Text: "Expiry: as your organization's policy allows. Since GitLab 16.0 every token expires (at most a year by default)."},
		{Level: Info, Text: "Copy the token right away: GitLab shows it only once."},
	},
	TokenPage: gitlabTokenPage,
}

// gitlabWeb returns the GitLab's web root, with its sub-path if any.
func gitlabWeb(req Request) (string, error) {
	if req.Variant != "self-managed" && req.Field("url") == "" {
		return "https://gitlab.com", nil
	}
	u, err := ParseServerURL(req.Field("url"), false)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

func gitlabTokenPage(req Request) (string, error) {
	web, err := gitlabWeb(req)
	if err != nil {
		return "", err
	}
	q := url.Values{"name": {"Jira git integration"}, "scopes": {"api"}}
	return web + "/-/user_settings/personal_access_tokens?" + q.Encode(), nil
}
