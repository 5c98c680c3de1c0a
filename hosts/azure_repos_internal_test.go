package hosts

import (
	"slices"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// FuzzAzureRepoAnswers feeds the per-repository proof any answers: it
// must never panic, never call a place allowed, and never call one not
// allowed without a 200 that evaluates every token asked.
func FuzzAzureRepoAnswers(f *testing.F) {
	f.Add(200, []byte(`{"count":2,"value":[false,true]}`), hoststest.Recorded("azure/repositories-services.json"), uint8(2))
	f.Add(200, []byte(`{"count":3,"value":[false]}`), []byte(`{"value":[{"id":"a","name":"b","project":{"id":"c","name":"d"},"isDisabled":true}]}`), uint8(3))
	f.Add(401, hoststest.Recorded("azure/user-not-authorized.json"), []byte(`{"count":0,"value":[]}`), uint8(1))
	f.Add(500, []byte(`<html>`), []byte(`null`), uint8(0))
	f.Fuzz(func(t *testing.T, status int, permBody, listBody []byte, n uint8) {
		c := azureTestCheck()
		repos, err := parseAzureRepoList(listBody)
		if err != nil {
			repos = nil
		}
		names := []string{"Fabrikam-Fiber-Git/AnotherRepository", "TestGit", "d/b", "Nowhere/x"}
		places := locate(names, repos)
		var tokens []string
		for _, p := range places {
			if tok := p.token(); tok != "" {
				tokens = append(tokens, tok)
			}
		}
		tokens = tokens[:min(len(tokens), int(n))]
		res := c.permAnswer(azureAnswer(status, string(permBody)), len(tokens))
		perms := azurePerms{}
		for _, bit := range []int{azureCreateBranch, azurePullRequestContribute, azureContribute} {
			perms.add(bit, tokens, res)
		}
		projects := map[string]azureProjectAnswer{"nowhere": c.projectAnswer(azureAnswer(status, string(listBody)))}
		for _, rp := range c.repoReports(places, projects, perms, azurePermAPI{version: "7.1", pullRequests: true, settingsPages: true}) {
			if isTrue(rp.Branch) || isTrue(rp.PullRequest) {
				t.Fatalf("%s proven allowed: %+v", rp.Name, rp)
			}
			disabled := slices.ContainsFunc(repos, func(r azureRepo) bool { return r.disabled })
			if isFalse(rp.Branch) && isTrue(rp.Found) && res.values == nil && !disabled {
				t.Fatalf("%s not allowed without an evaluation: %+v", rp.Name, rp)
			}
		}
	})
}
