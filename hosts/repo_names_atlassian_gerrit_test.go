package hosts

import "testing"

func TestBitbucketAndGerritRepositoryNamesAsPeoplePasteThem(t *testing.T) {
	dc := Request{Fields: map[string]string{"url": "https://example.com/bitbucket"}}
	gerrit := Request{Fields: map[string]string{"url": "https://review.example.com/r"}}
	for _, tc := range []struct {
		spec RepoSpec
		req  Request
		in   string
		want string // "" when refused
	}{
		{bitbucketCloudRepoSpec, Request{}, "acme/web-app", "acme/web-app"},
		{bitbucketCloudRepoSpec, Request{}, "acme", "acme"},
		{bitbucketCloudRepoSpec, Request{}, "https://bitbucket.org/acme/web-app/src/main/README.md", "acme/web-app"},
		{bitbucketCloudRepoSpec, Request{}, "https://bitbucket.org/acme/web-app/pull-requests/12", "acme/web-app"},
		{bitbucketCloudRepoSpec, Request{}, "https://jdoe@bitbucket.org/acme/web-app.git", "acme/web-app"},
		{bitbucketCloudRepoSpec, Request{}, "git@bitbucket.org:acme/web-app.git", "acme/web-app"},
		{bitbucketCloudRepoSpec, Request{}, "https://bitbucket.org/acme/workspace/repositories", "acme"},
		{bitbucketCloudRepoSpec, Request{}, "https://bitbucket.org/acme/", "acme"},
		{bitbucketCloudRepoSpec, Request{}, "https://api.bitbucket.org/2.0/repositories/acme/web-app", "acme/web-app"},
		{bitbucketCloudRepoSpec, Request{}, "https://bitbucket.org/account/settings/", ""},
		{bitbucketCloudRepoSpec, Request{}, "acme/web app", ""},
		{bitbucketCloudRepoSpec, Request{}, "acme/web/app", ""},
		{bitbucketCloudRepoSpec, Request{}, "acme/..", ""},

		{bitbucketDCRepoSpec, Request{}, "PROJ/web-app", "PROJ/web-app"},
		{bitbucketDCRepoSpec, Request{}, "PROJ", "PROJ"},
		{bitbucketDCRepoSpec, Request{}, "~jdoe/scratch", "~jdoe/scratch"},
		{bitbucketDCRepoSpec, dc, "https://example.com/bitbucket/projects/PROJ/repos/web-app/browse", "PROJ/web-app"},
		{bitbucketDCRepoSpec, dc, "https://example.com/bitbucket/projects/PROJ", "PROJ"},
		{bitbucketDCRepoSpec, dc, "https://example.com/bitbucket/scm/proj/web-app.git", "proj/web-app"},
		{bitbucketDCRepoSpec, dc, "https://example.com/bitbucket/users/jdoe/repos/scratch/browse", "~jdoe/scratch"},
		{bitbucketDCRepoSpec, dc, "https://example.com/bitbucket/rest/api/1.0/projects/PROJ/repos/web-app", "PROJ/web-app"},
		{bitbucketDCRepoSpec, dc, "ssh://git@example.com:7999/proj/web-app.git", "proj/web-app"},
		{bitbucketDCRepoSpec, Request{}, "https://bitbucket.example.com/scm/proj/web-app.git", "proj/web-app"},
		{bitbucketDCRepoSpec, dc, "https://example.com/bitbucket/dashboard", ""},
		{bitbucketDCRepoSpec, dc, "https://example.com/bitbucket/plugins/servlet/access-tokens/manage", ""},
		{bitbucketDCRepoSpec, Request{}, "PROJ/-web", ""},
		{bitbucketDCRepoSpec, Request{}, "PROJ/a/b", ""},

		{gerritRepoSpec, Request{}, "platform/build", "platform/build"},
		{gerritRepoSpec, Request{}, "gerrit", "gerrit"},
		{gerritRepoSpec, gerrit, "https://review.example.com/r/c/platform/build/+/12345", "platform/build"},
		{gerritRepoSpec, gerrit, "https://review.example.com/r/c/platform/build/+/12345/3/Makefile", "platform/build"},
		{gerritRepoSpec, gerrit, "https://review.example.com/r/admin/repos/platform%2Fbuild,general", "platform/build"},
		{gerritRepoSpec, gerrit, "https://review.example.com/r/admin/repos/platform/build", "platform/build"},
		{gerritRepoSpec, gerrit, "https://review.example.com/r/a/platform/build", "platform/build"},
		{gerritRepoSpec, gerrit, "https://review.example.com/r/platform/build.git", "platform/build"},
		{gerritRepoSpec, gerrit, "ssh://jdoe@review.example.com:29418/platform/build", "platform/build"},
		{gerritRepoSpec, gerrit, "https://review.example.com/r/plugins/gitiles/platform/build/+/refs/heads/main", "platform/build"},
		{gerritRepoSpec, Request{}, "https://gerrit-review.googlesource.com/c/gerrit/+/123", "gerrit"},
		{gerritRepoSpec, gerrit, "https://review.example.com/r/q/status:open", ""},
		{gerritRepoSpec, gerrit, "https://review.example.com/r/settings/", ""},
		{gerritRepoSpec, Request{}, "platform/../secret", ""},
		{gerritRepoSpec, Request{}, "my project", ""},
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
