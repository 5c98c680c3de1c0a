package hosts

import (
	"fmt"
	"strings"
	"testing"
)

func TestRepositoryNamesAsPeoplePasteThem(t *testing.T) {
	ghes := Request{Variant: "enterprise", Fields: map[string]string{"url": "https://github.example.com"}}
	gitlabSub := Request{Variant: "self-managed", Fields: map[string]string{"url": "https://example.com/gitlab"}}
	gitlabDeep := Request{Variant: "self-managed", Fields: map[string]string{"url": "https://example.com/tools/gitlab"}}
	tfs := Request{Fields: map[string]string{"url": "https://tfs.example.com/tfs/DefaultCollection"}}
	server := Request{Fields: map[string]string{"url": "https://azdo.example.com/DefaultCollection"}}
	aws := Request{Fields: map[string]string{"region": "eu-west-1"}}
	for _, tc := range []struct {
		spec RepoSpec
		req  Request
		in   string
		want string // "" when refused
	}{
		{githubRepoSpec, Request{}, "octo-org/hello-world", "octo-org/hello-world"},
		{githubRepoSpec, Request{}, "octo-org", "octo-org"},
		{githubRepoSpec, Request{}, "https://github.com/octo-org/hello-world", "octo-org/hello-world"},
		{githubRepoSpec, Request{}, "https://github.com/octo-org/hello-world.git", "octo-org/hello-world"},
		{githubRepoSpec, Request{}, "https://github.com/octo-org/hello-world/tree/main/docs", "octo-org/hello-world"},
		{githubRepoSpec, Request{}, "git@github.com:octo-org/hello-world.git", "octo-org/hello-world"},
		{githubRepoSpec, Request{}, "ssh://git@github.com/octo-org/hello-world.git", "octo-org/hello-world"},
		{githubRepoSpec, Request{}, "https://github.com/orgs/octo-org/repositories", "octo-org"},
		{githubRepoSpec, ghes, "https://github.example.com/api/v3/repos/octo-org/hello-world", "octo-org/hello-world"},
		{githubRepoSpec, Request{}, "octo org/hello", ""},
		{githubRepoSpec, Request{}, "a/b/c", ""},
		{githubRepoSpec, Request{}, "octo-org/..", ""},

		{gitlabRepoSpec, Request{}, "gitlab-org/gitlab", "gitlab-org/gitlab"},
		{gitlabRepoSpec, Request{}, "gitlab-org/sub.group/my_project", "gitlab-org/sub.group/my_project"},
		{gitlabRepoSpec, Request{}, "https://gitlab.com/gitlab-org/gitlab/-/tree/master", "gitlab-org/gitlab"},
		{gitlabRepoSpec, Request{}, "git@gitlab.com:gitlab-org/gitlab.git", "gitlab-org/gitlab"},
		{gitlabRepoSpec, gitlabSub, "https://example.com/gitlab/platform/api.git", "platform/api"},
		{gitlabRepoSpec, gitlabDeep, "https://example.com/tools/gitlab/platform/api", "platform/api"},
		// The server's path leads the address only in part: the address
		// keeps it (a group that happens to be named gitlab).
		{gitlabRepoSpec, gitlabDeep, "https://example.com/gitlab/platform/api", "gitlab/platform/api"},
		{gitlabRepoSpec, Request{}, "platform", "platform"},
		{gitlabRepoSpec, Request{}, "platform/-bad", ""},

		{azureRepoSpec, Request{}, "Fabrikam Fiber/Website", "Fabrikam Fiber/Website"},
		{azureRepoSpec, Request{}, "Fabrikam Fiber", "Fabrikam Fiber"},
		{azureRepoSpec, Request{}, "https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Website", "Fabrikam Fiber/Website"},
		{azureRepoSpec, Request{}, "https://fabrikam@dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Website", "Fabrikam Fiber/Website"},
		{azureRepoSpec, Request{}, "https://dev.azure.com/fabrikam/_git/Website", "Website/Website"},
		{azureRepoSpec, Request{}, "https://fabrikam.visualstudio.com/Fiber/_git/Website", "Fiber/Website"},
		{azureRepoSpec, Request{}, "https://fabrikam.visualstudio.com/DefaultCollection/Fiber/_git/Website", "Fiber/Website"},
		{azureRepoSpec, Request{}, "git@ssh.dev.azure.com:v3/fabrikam/Fiber/Website", "Fiber/Website"},
		{azureRepoSpec, tfs, "https://tfs.example.com/tfs/DefaultCollection/Fiber/_git/Website", "Fiber/Website"},
		{azureRepoSpec, tfs, "https://tfs.example.com/tfs/DefaultCollection/_git/Fiber", "Fiber/Fiber"},
		{azureRepoSpec, server, "https://azdo.example.com/DefaultCollection/Fiber/_git/Website?path=/README.md", "Fiber/Website"},
		{azureRepoSpec, Request{}, "Fiber/Web:site", ""},
		{azureRepoSpec, Request{}, "https://dev.azure.com/fabrikam/Fiber", ""},

		{codecommitRepoSpec, aws, "MyDemoRepo", "MyDemoRepo"},
		{codecommitRepoSpec, aws, "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/MyDemoRepo", "MyDemoRepo"},
		{codecommitRepoSpec, aws, "ssh://git-codecommit.eu-west-1.amazonaws.com/v1/repos/MyDemoRepo", "MyDemoRepo"},
		{codecommitRepoSpec, aws, "codecommit::eu-west-1://MyDemoRepo", "MyDemoRepo"},
		{codecommitRepoSpec, aws, "codecommit://profile@MyDemoRepo", "MyDemoRepo"},
		{codecommitRepoSpec, aws, "arn:aws:codecommit:eu-west-1:123456789012:MyDemoRepo", "MyDemoRepo"},
		{codecommitRepoSpec, aws, "https://eu-west-1.console.aws.amazon.com/codesuite/codecommit/repositories/MyDemoRepo/browse?region=eu-west-1", "MyDemoRepo"},
		{codecommitRepoSpec, aws, "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/MyDemoRepo", ""},
		{codecommitRepoSpec, aws, "my repo", ""},
	} {
		got, err := tc.spec.Normalize(tc.req, tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%q was accepted as %q", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestRepoNamesSplitsTrimsAndDropsRepeats(t *testing.T) {
	h := &Host{Repos: &githubRepoSpec}
	req := Request{Fields: map[string]string{RepoFieldKey: " octo-org/a ,octo-org/b\n\n  https://github.com/octo-org/a.git\r\nOcto-Org/B;octo-org"}}
	names, err := h.RepoNames(req)
	if err != nil || strings.Join(names, "|") != "octo-org/a|octo-org/b|octo-org" {
		t.Errorf("names = %q, %v", names, err)
	}
	req.Fields[RepoFieldKey] = "octo-org/a\nnot a repo"
	if _, err := h.RepoNames(req); err == nil || !strings.Contains(err.Error(), `"not a repo" cannot be used`) {
		t.Errorf("err = %v", err)
	}
	req.Fields[RepoFieldKey] = strings.Repeat("o/r,", MaxRepos) + "o/last"
	if _, err := h.RepoNames(req); err != nil {
		t.Errorf("repeats count once: %v", err)
	}
	cc := &Host{Repos: &codecommitRepoSpec}
	if names, err := cc.RepoNames(Request{Fields: map[string]string{RepoFieldKey: "Repo\nrepo\nRepo"}}); err != nil || strings.Join(names, "|") != "Repo|repo" {
		t.Errorf("CodeCommit names are case sensitive: %q, %v", names, err)
	}
	var many []string
	for i := range MaxRepos + 1 {
		many = append(many, fmt.Sprintf("octo-org/r%d", i))
	}
	req.Fields[RepoFieldKey] = strings.Join(many, "\n")
	if _, err := h.RepoNames(req); err == nil || !strings.Contains(err.Error(), "up to 100") {
		t.Errorf("%d names: err = %v", len(many), err)
	}
}
