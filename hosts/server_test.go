package hosts

import (
	"context"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/internal/secret"
)

// TestMistypedSchemeIsRefused: an address whose scheme lost a letter or a
// character does not become a server named after the scheme.
func TestMistypedSchemeIsRefused(t *testing.T) {
	for raw, quoted := range map[string]string{
		"htps//github.example.com":   `"htps//"`,
		"https//github.example.com":  `"https//"`,
		"https:/github.example.com":  `"https:/"`,
		"http:/tfs:8080/tfs/Default": `"http:/"`,
	} {
		u, err := ParseServerURL(raw, true)
		if err == nil {
			t.Errorf("%s: accepted as %s", raw, u)
			continue
		}
		if !strings.Contains(err.Error(), quoted) || !strings.Contains(err.Error(), "https://") {
			t.Errorf("%s: %q", raw, err)
		}
	}
	// Addresses without a scheme still work, ports and paths included.
	for raw, want := range map[string]string{
		"github.example.com":                  "https://github.example.com",
		"tfs:8080/tfs/DefaultCollection":      "https://tfs:8080/tfs/DefaultCollection",
		"gitlab.example.com/gitlab/":          "https://gitlab.example.com/gitlab",
		"https://github.example.com//api/v3/": "https://github.example.com//api/v3",
	} {
		u, err := ParseServerURL(raw, false)
		if err != nil || u.String() != want {
			t.Errorf("%s: %v, %v; want %s", raw, u, err, want)
		}
	}
}

func TestFieldProblems(t *testing.T) {
	org := AzureDevOps.Variants[0].Fields[0]
	exp := AzureDevOps.Variants[0].Fields[1]
	user := CodeCommit.Variants[0].Fields[1]
	for _, c := range []struct {
		f          Field
		value      string
		wantPrefix string
	}{
		{org, "", "Enter your Azure DevOps organization"},
		{org, "my org", `"my org" is not an Azure DevOps organization name`},
		{org, "myorg", ""},
		{exp, "", ""},
		{exp, "31/31/2027", "gitpat cannot read this date"},
		{exp, "2027-03-31", ""},
		{user, "", ""},
		{user, "jira user", "An IAM user name has only"},
		{user, "jira+bot@corp", ""},
		{GitHub.Variants[1].Fields[0], "", "Enter the server address."},
		{GitHub.Variants[1].Fields[0], "http://ghe.example.com", "The server address uses http://"},
		{Field{Label: "Server URL"}, "", "Enter the server URL."},
	} {
		got := c.f.Problem(c.value)
		if c.wantPrefix == "" && got != "" || !strings.HasPrefix(got, c.wantPrefix) {
			t.Errorf("%s %q: %q, want %q", c.f.Label, c.value, got, c.wantPrefix)
		}
	}
}

func TestCredentialWords(t *testing.T) {
	for h, want := range map[*Host]string{
		GitHub: "a GitHub token", AzureDevOps: "an Azure DevOps token", TFS: "a TFS 2017/2018 token",
		CodeCommit: "an AWS CodeCommit access key",
	} {
		if got := h.ACredential(); got != want {
			t.Errorf("%s: %q", h.Name, got)
		}
	}
	if got := GitHub.WrongTab("glpat-CANARYabcdefghij0123"); !strings.Contains(got, "not a GitHub token: paste it in the GitLab tab") {
		t.Errorf("wrong tab: %q", got)
	}
	if got := GitHub.WrongTab("ghp_" + strings.Repeat("A", 36)); got != "" {
		t.Errorf("own token flagged: %q", got)
	}
	// The headline says what happened: it was not sent, not "rejected".
	r := GitHub.Check(context.Background(), Env{}, Request{Secrets: []secret.Value{secret.New("glpat-CANARYabcdefghij0123")}})
	if r.Summary != "gitpat did not send this credential to GitHub: it belongs to another host." {
		t.Errorf("headline %q", r.Summary)
	}
}

func TestLowerKeepsAcronyms(t *testing.T) {
	for in, want := range map[string]string{"Server URL": "server URL", "HTTP password": "HTTP password", "A": "a"} {
		if got := lower(in); got != want {
			t.Errorf("lower(%q) = %q", in, got)
		}
	}
}
