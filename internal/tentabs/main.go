// Command tentabs opens the gitpat window with nine hosts and Saved
// tokens, as the window will have once Bitbucket Cloud, Bitbucket Data
// Center and Gerrit are added: a way to look at the layout before they
// exist. The three extra hosts are placeholders made of data only (no
// check; their wording is made up), as in the ui package's ten-tab test.
package main

import (
	"fyne.io/fyne/v2/app"

	"github.com/gitpat/gitpat/assets"
	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/clip"
	"github.com/gitpat/gitpat/internal/vault"
	"github.com/gitpat/gitpat/ui"
)

var placeholders = []*hosts.Host{
	{ID: "bitbucket-cloud", Name: "Bitbucket Cloud", Family: "placeholder", Summary: "A placeholder host with a workspace and an app password.",
		Variants: []hosts.Variant{{ID: "cloud", Label: "Bitbucket Cloud", Fields: []hosts.Field{{Key: "workspace", Label: "Workspace", Placeholder: "myteam"}}}},
		Secrets:  []hosts.SecretField{{Label: "User name", Visible: true}, {Label: "App password"}},
		Steps:    []hosts.Step{{Text: "A placeholder step."}}},
	{ID: "bitbucket-dc", Name: "Bitbucket Data Center", Family: "placeholder", Summary: "A placeholder host on premises.",
		Variants: []hosts.Variant{{ID: "dc", Label: "Bitbucket Data Center", Fields: []hosts.Field{{Key: "url", Label: "Server URL", Placeholder: "https://bitbucket.example.com"}}}},
		Secrets:  []hosts.SecretField{{Label: "Token"}},
		Steps:    []hosts.Step{{Text: "A placeholder step."}}},
	{ID: "gerrit", Name: "Gerrit", Family: "placeholder", Summary: "A placeholder host with an HTTP password.",
		Variants: []hosts.Variant{{ID: "gerrit", Label: "Gerrit", Fields: []hosts.Field{{Key: "url", Label: "Server URL", Placeholder: "https://review.example.com"}}}},
		Secrets:  []hosts.SecretField{{Label: "User name", Visible: true}, {Label: "HTTP password"}},
		Steps:    []hosts.Step{{Text: "A placeholder step."}}},
}

func main() {
	a := app.NewWithID("io.github.gitpat.tentabs")
	w := ui.New(a, ui.Deps{
		Hosts:        append(hosts.All(), placeholders...),
		Illustration: assets.Illustration,
		Vault:        vault.Store{},
		Clock:        clip.RealClock{},
	})
	w.ShowAndRun()
}
