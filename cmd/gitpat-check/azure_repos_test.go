package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
)

// tri writes an ability as the JSON contract does: true, false or null.
func tri(b *bool) string {
	if b == nil {
		return "null"
	}
	return fmt.Sprint(*b)
}

// repoLine is one entry of the JSON repositories: name, then found, read,
// branch and pull_request.
func repoLines(r contractReport) []string {
	var out []string
	for _, rp := range r.Repositories {
		out = append(out, strings.Join([]string{rp.Name, tri(rp.Found), tri(rp.Read), tri(rp.Branch), tri(rp.PullRequest)}, " "))
	}
	return out
}

func TestAzureRepoFlagOnTFSGivesEachRepositoryInJSON(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureTFS2018,
		Tokens: map[string]hoststest.AzureToken{azCanary: {}},
		Deny:   map[string]int{"TestGit/TestGit": hoststest.AzureCreateBranch}})
	out, errOut, code := runAzureCLI(t, azCanary+"\n", "--url", a.Collection(), "--ca-file", a.CAFile(t), "--json",
		"--repo", "Fabrikam-Fiber-Git/AnotherRepository", "--repo", a.Collection()+"/TestGit/_git/TestGit", "--repo", "Gone/App", "tfs")
	if code != 1 {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	r := decodeReport(t, out)
	want := []string{
		"Fabrikam-Fiber-Git/AnotherRepository true true null null",
		"TestGit/TestGit true true false null",
		"Gone/App false false false false",
	}
	if got := repoLines(r); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("repositories = %q, want %q", got, want)
	}
	says := func(i int, text string) {
		t.Helper()
		for _, f := range r.Repositories[i].Findings {
			if strings.Contains(f.Text+" "+f.Fix, text) && (f.Level == "info" || f.Level == "warn" || f.Level == "error") {
				return
			}
		}
		t.Errorf("%s does not say %q: %+v", r.Repositories[i].Name, text, r.Repositories[i].Findings)
	}
	says(0, "Your account may create branches in Fabrikam-Fiber-Git/AnotherRepository; gitpat cannot read whether this token has Code (read and write)")
	says(0, `have no "Contribute to pull requests"`)
	says(1, "Your account may not create branches in TestGit/TestGit")
	says(2, "There is no project Gone in the collection "+a.Collection())
	text, _, _ := runAzureCLI(t, azCanary+"\n", "--url", a.Collection(), "--ca-file", a.CAFile(t), "--repo", "TestGit/TestGit", "tfs")
	if !strings.Contains(text, "Repository TestGit/TestGit: not allowed\n    read: yes, create branches: no, pull requests: not proven") {
		t.Errorf("text report:\n%s", text)
	}
}

func TestAzureRepoFlagOnAzureDevOpsServer(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServer2022,
		Tokens: map[string]hoststest.AzureToken{azCanary: {}},
		Repos:  []hoststest.AzureRepo{{Project: "Web Apps", Name: "Front End"}, {Project: "Web Apps", Name: "Old Site", Disabled: true}},
		Deny:   map[string]int{"Web Apps": hoststest.AzurePullRequestContribute}})
	out, errOut, code := runAzureCLI(t, azCanary+"\n", "--url", a.Collection(), "--ca-file", a.CAFile(t), "--json",
		"--repo", "Web Apps/Front End, Web Apps/Old Site", "--repo", "Web Apps", "azure-devops-server")
	if code != 1 {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	want := "Web Apps/Front End true true null false|Web Apps/Old Site true false false false|Web Apps true true null false"
	if got := strings.Join(repoLines(decodeReport(t, out)), "|"); got != want {
		t.Errorf("repositories = %s, want %s", got, want)
	}
}

func TestAzureRepoFlagServerErrorExitsThree(t *testing.T) {
	a := hoststest.NewAzure(t, hoststest.AzureOptions{Mode: hoststest.AzureServer2019,
		Tokens: map[string]hoststest.AzureToken{azCanary: {}}, PermissionsStatus: 503})
	out, errOut, code := runAzureCLI(t, azCanary+"\n", "--url", a.Collection(), "--ca-file", a.CAFile(t),
		"--repo", "TestGit/TestGit", "azure-devops-server")
	if code != 3 || !strings.Contains(out, "gitpat could not check TestGit/TestGit") || !strings.Contains(out, "TestGit/TestGit: could not check") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
}
