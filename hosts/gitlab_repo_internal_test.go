package hosts

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
)

func jsonAnswer(status int, body string) *answer {
	return &answer{resp: &httpx.Response{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)}}
}

// projectBody is the recorded GET /projects/:id with fields replaced.
func projectBody(t testing.TB, set map[string]any) string {
	var body map[string]any
	if err := json.Unmarshal(hoststest.Recorded("gitlab/project.json"), &body); err != nil {
		t.Fatal(err)
	}
	body["path_with_namespace"] = "acme/api"
	for k, v := range set {
		body[k] = v
	}
	b, _ := json.Marshal(body)
	return string(b)
}

var glAcct = gitlabAccount{userID: 3, username: "john_smith", version: "17.5.2-ee", scopes: []string{"api"},
	page: "https://gitlab.example.com/-/user_settings/personal_access_tokens"}

func TestGitLabRESTAloneProvesOnlyRefusals(t *testing.T) {
	developer := map[string]any{"permissions": map[string]any{"project_access": map[string]int{"access_level": 30}, "group_access": nil}}
	for _, tc := range []struct {
		name                string
		set                 map[string]any
		read, branch, merge *bool
	}{
		// A Developer by REST's account may still be stopped by SAML SSO
		// enforcement or an IP restriction the policy applies: not proven.
		{"developer", developer, nil, nil, nil},
		{"archived", map[string]any{"archived": true}, nil, proven(false), proven(false)},
		{"repository off", map[string]any{"repository_access_level": "disabled"}, proven(false), proven(false), proven(false)},
		{"merge requests off", map[string]any{"merge_requests_access_level": "disabled"}, nil, nil, proven(false)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rp := gitlabRepoReport(gitlabRepoInput{web: "https://gitlab.example.com", name: "acme/api", acct: glAcct, hostName: "GitLab",
				answers: gitlabRepoAnswers{
					project:   jsonAnswer(200, projectBody(t, tc.set)),
					protected: jsonAnswer(200, `[]`),
					graph:     gitlabGraphEntry{problem: `its GraphQL API answered "Query has complexity of 300, which exceeds max complexity of 250"`},
				}})
			if Ability(rp.Read) != Ability(tc.read) || Ability(rp.Branch) != Ability(tc.branch) || Ability(rp.PullRequest) != Ability(tc.merge) || !isTrue(rp.Found) {
				t.Errorf("found %s read %s branch %s pull request %s", Ability(rp.Found), Ability(rp.Read), Ability(rp.Branch), Ability(rp.PullRequest))
			}
			if !strings.Contains(rp.Findings[0].Text, "could not use GitLab's own permission check for this project (its GraphQL API answered \"Query has complexity") {
				t.Errorf("findings %+v", rp.Findings)
			}
		})
	}
}

func TestGitLabGraphQLAnswerForAnotherUserIsNotUsed(t *testing.T) {
	body := `{"data":{"currentUser":{"username":"someone_else"},"p0":{"fullPath":"acme/api","archived":false,"userPermissions":{"downloadCode":true,"pushCode":true,"adminProject":true,"createMergeRequestIn":true,"createMergeRequestFrom":true}},"g0":null}}`
	for _, tc := range []struct{ body, problem string }{
		{body, "answered for another user"},
		{strings.Replace(body, `{"username":"someone_else"}`, "null", 1), "as if no one had signed in"},
		{`{"data":{"currentUser":{"username":"john_smith"},"p0":null},"errors":[{"message":"Timeout on Project.userPermissions"}]}`, "Timeout on Project.userPermissions"},
		{`{"errors":[{"message":"Invalid token"}]}`, `answered "Invalid token"`},
	} {
		e := gitlabGraphEntryOf(jsonAnswer(200, tc.body), glAcct, "acme/api", 0)
		if e.trusted || e.project != nil || !strings.Contains(e.problem, tc.problem) {
			t.Errorf("%s: %+v", tc.problem, e)
		}
	}
	e := gitlabGraphEntryOf(jsonAnswer(200, strings.Replace(body, "someone_else", "John_Smith", 1)), glAcct, "acme/api", 0)
	if !e.trusted || e.project == nil || !e.project.Permissions.PushCode || e.group != nil {
		t.Errorf("the user's own answer: %+v", e)
	}
}

func TestGitLabGraphQueryPassesPathsAsVariables(t *testing.T) {
	q, vars := gitlabGraphQuery([]string{"acme/api", "acme"})
	if strings.Contains(q, "acme") || vars["f0"] != "acme/api" || vars["f1"] != "acme" {
		t.Errorf("query %s vars %v", q, vars)
	}
	if !strings.HasPrefix(q, "query ") || strings.Contains(q, "mutation") || strings.Contains(q, "p1:") || !strings.Contains(q, "g1: group(fullPath: $f1)") {
		t.Errorf("query:\n%s", q)
	}
}

func TestJudgeRules(t *testing.T) {
	dev := gitlabRole{min: 30, max: 39, userID: 3}
	maint := gitlabRole{min: 40, max: 50, userID: 3}
	level := func(ls ...int) []gitlabRuleAccess {
		var out []gitlabRuleAccess
		for _, l := range ls {
			out = append(out, gitlabRuleAccess{AccessLevel: l})
		}
		return out
	}
	id := func(n int64) *int64 { return &n }
	for _, tc := range []struct {
		name   string
		rules  []gitlabRule
		role   gitlabRole
		create *bool
	}{
		{"no rules", nil, dev, proven(true)},
		{"main only", []gitlabRule{{Name: "main", Push: level(40), Merge: level(40)}}, dev, proven(true)},
		{"* for maintainers", []gitlabRule{{Name: "*", Push: level(40), Merge: level(40)}}, dev, proven(false)},
		{"* for maintainers, a maintainer", []gitlabRule{{Name: "*", Push: level(40), Merge: level(40)}}, maint, proven(true)},
		{"* merge by developers", []gitlabRule{{Name: "*", Push: level(0), Merge: level(30)}}, dev, proven(true)},
		{"** no one", []gitlabRule{{Name: "**", Push: level(0), Merge: level(0)}}, maint, proven(false)},
		{"* admins", []gitlabRule{{Name: "*", Push: level(60), Merge: level(60)}}, maint, proven(false)},
		{"* this user", []gitlabRule{{Name: "*", Push: []gitlabRuleAccess{{AccessLevel: 40, UserID: id(3)}}, Merge: level(0)}}, dev, proven(true)},
		{"* another user", []gitlabRule{{Name: "*", Push: []gitlabRuleAccess{{AccessLevel: 40, UserID: id(4)}}, Merge: level(0)}}, dev, proven(false)},
		{"* a group", []gitlabRule{{Name: "*", Push: []gitlabRuleAccess{{AccessLevel: 40, GroupID: id(9)}}, Merge: level(40)}}, dev, nil},
		{"* a custom role", []gitlabRule{{Name: "*", Push: []gitlabRuleAccess{{AccessLevel: 30, MemberRoleID: id(7)}}, Merge: level(40)}}, dev, nil},
		{"* a deploy key", []gitlabRule{{Name: "*", Push: []gitlabRuleAccess{{AccessLevel: 40, DeployKeyID: id(1)}}, Merge: level(0)}}, maint, proven(false)},
		{"two catch-alls, union", []gitlabRule{{Name: "*", Push: level(40), Merge: level(40)}, {Name: "**", Push: level(30), Merge: level(0)}}, dev, proven(true)},
		{"unknown role", []gitlabRule{{Name: "*", Push: level(40), Merge: level(40)}}, gitlabRole{min: 0, max: 50}, nil},
		{"release/* is not every name", []gitlabRule{{Name: "release/*", Push: level(0), Merge: level(0)}}, dev, proven(true)},
	} {
		got := judgeRules(tc.rules, tc.role, "main")
		if Ability(got.create) != Ability(tc.create) {
			t.Errorf("%s: create %s, want %s", tc.name, Ability(got.create), Ability(tc.create))
		}
	}
	r := judgeRules([]gitlabRule{{Name: "ma*", Push: level(40), Merge: level(40)}, {Name: "release/*", Push: level(40), Merge: level(40)}}, dev, "main")
	if !r.defaultProtected || len(r.narrower) != 2 {
		t.Errorf("%+v", r)
	}
	if gitlabWildcardMatch("release/*", "release") || !gitlabWildcardMatch("*-stable", "16-stable") || !gitlabWildcardMatch("main", "main") || gitlabWildcardMatch("main", "mainline") {
		t.Error("wildcards")
	}
}

// FuzzGitLabRepoReport feeds arbitrary answers to the per-repository
// verdict: it must never panic, always say why in a finding, never show
// the token, and never be ready without GitLab's own permission check
// answering for this user and a token proven to have api.
func FuzzGitLabRepoReport(f *testing.F) {
	project := projectBody(f, map[string]any{"permissions": map[string]any{"project_access": map[string]int{"access_level": 30}}})
	graph := `{"data":{"currentUser":{"username":"john_smith"},"p0":{"fullPath":"acme/api","archived":false,"userPermissions":{"downloadCode":true,"pushCode":true,"adminProject":false,"createMergeRequestIn":true,"createMergeRequestFrom":true}},"g0":null}}`
	rules := `[{"name":"*","push_access_levels":[{"access_level":40,"access_level_description":"Maintainers"}],"merge_access_levels":[{"access_level":30}]}]`
	f.Add("acme/api", 200, project, 200, rules, 200, graph, 0, "", "17.5.2-ee", true)
	f.Add("acme/api", 404, `{"message":"404 Project Not Found"}`, 404, `{"message":"404 Project Not Found"}`, 200, graph, 0, "", "17.5.2-ee", true)
	f.Add("acme/api", 200, project, 403, `{"message":"403 Forbidden"}`, 200, graph, 0, "", "15.8.0", true)
	f.Add("acme/api", 200, strings.Replace(project, "acme/api", gitlabFuzzToken, 1), 200, strings.Replace(rules, "*", gitlabFuzzToken, 1), 200, graph, 0, "", "", false)
	f.Add("acme/api", 500, `{}`, 200, `[]`, 502, `<html>`, 0, "", "17.5.2-ee", true)
	f.Add("acme", 0, "", 0, "", 200, `{"data":{"currentUser":{"username":"john_smith"},"g0":{"fullPath":"acme"}}}`, 200, string(hoststest.Recorded("gitlab/member.json")), "17.5.2-ee", true)
	f.Add("acme", 0, "", 0, "", 200, graph, 404, `{"message":"404 Not found"}`, "16.9.1", true)
	f.Fuzz(func(t *testing.T, name string, projectStatus int, projectBody string, rulesStatus int, rulesBody string,
		graphStatus int, graphBody string, membersStatus int, membersBody string, version string, api bool) {
		if n, err := gitlabRepoSpec.Normalize(Request{}, name); err != nil || n != name {
			return
		}
		acct := glAcct
		acct.version = version
		if !api {
			acct.scopes = nil
		}
		var a gitlabRepoAnswers
		if strings.Contains(name, "/") {
			a.project, a.protected = jsonAnswer(projectStatus, projectBody), jsonAnswer(rulesStatus, rulesBody)
		}
		if membersStatus != 0 {
			a.members = jsonAnswer(membersStatus, membersBody)
		}
		a.graph = gitlabGraphEntryOf(jsonAnswer(graphStatus, graphBody), acct, name, 0)
		rp := gitlabRepoReport(gitlabRepoInput{web: "https://gitlab.example.com", name: name, acct: acct, hostName: "GitLab", token: gitlabFuzzToken, answers: a})
		if len(rp.Findings) == 0 {
			t.Errorf("no finding: %+v", rp)
		}
		b, _ := json.Marshal(rp)
		if strings.Contains(string(b), gitlabFuzzToken) {
			t.Errorf("the token is shown: %s", b)
		}
		if rp.Ready() && (!a.graph.trusted || !api) {
			t.Errorf("ready without GitLab's permission check for this user or without api: %s", b)
		}
		if rp.Unchecked && (rp.Found != nil || rp.Read != nil || rp.Branch != nil || rp.PullRequest != nil) {
			t.Errorf("could not check, yet abilities: %s", b)
		}
	})
}

func TestGitLabUnreadableRulesLeaveBranchesUnproven(t *testing.T) {
	graph := gitlabGraphEntryOf(jsonAnswer(200, `{"data":{"currentUser":{"username":"john_smith"},"p0":{"fullPath":"acme/api","archived":false,"userPermissions":{"downloadCode":true,"pushCode":true,"adminProject":false,"createMergeRequestIn":true,"createMergeRequestFrom":true}},"g0":null}}`), glAcct, "acme/api", 0)
	for body, want := range map[*answer]string{
		jsonAnswer(404, `{"message":"404 Not Found"}`): "unexpected answer (404 Not Found) to the request for its protected branch rules",
		jsonAnswer(200, `{"not":"a list"}`):            "protected branch rules gitpat cannot read",
	} {
		rp := gitlabRepoReport(gitlabRepoInput{web: "https://gitlab.example.com", name: "acme/api", acct: glAcct, hostName: "GitLab",
			answers: gitlabRepoAnswers{project: jsonAnswer(200, projectBody(t, nil)), protected: body, graph: graph}})
		if rp.Branch != nil || !isTrue(rp.PullRequest) || !strings.Contains(rp.Findings[0].Text, want) {
			t.Errorf("branch %s pull request %s findings %+v", Ability(rp.Branch), Ability(rp.PullRequest), rp.Findings)
		}
	}
}

func TestGitLabPolicyRefusingADeveloperSaysWhyItMay(t *testing.T) {
	// REST lists a Developer membership; GitLab's own check refuses
	// pushing (ProjectPolicy without access, as under SAML SSO
	// enforcement): not allowed, and not "needs Developer".
	graph := gitlabGraphEntryOf(jsonAnswer(200, `{"data":{"currentUser":{"username":"john_smith"},"p0":{"fullPath":"acme/api","archived":false,"userPermissions":{"downloadCode":false,"pushCode":false,"adminProject":false,"createMergeRequestIn":false,"createMergeRequestFrom":false}},"g0":null}}`), glAcct, "acme/api", 0)
	rp := gitlabRepoReport(gitlabRepoInput{web: "https://gitlab.example.com", name: "acme/api", acct: glAcct, hostName: "GitLab",
		answers: gitlabRepoAnswers{graph: graph, protected: jsonAnswer(200, `[]`),
			project: jsonAnswer(200, projectBody(t, map[string]any{"permissions": map[string]any{"project_access": map[string]int{"access_level": 30}}}))}})
	if !isFalse(rp.Branch) || !isFalse(rp.Read) || !strings.Contains(rp.Findings[0].Text, "role here is Developer, yet GitLab does not let it push") {
		t.Errorf("branch %s findings %+v", Ability(rp.Branch), rp.Findings)
	}
}

// BenchmarkParseGitLabRepositoryAnswers is the verdict on one project
// from its recorded answers: GET /projects/:id, two protected branch
// rules and the GraphQL answer.
func BenchmarkParseGitLabRepositoryAnswers(b *testing.B) {
	graph := jsonAnswer(200, `{"data":{"currentUser":{"username":"john_smith"},"p0":{"fullPath":"acme/api","archived":false,"userPermissions":{"downloadCode":true,"pushCode":true,"adminProject":false,"createMergeRequestIn":true,"createMergeRequestFrom":true}},"g0":null}}`)
	rules := jsonAnswer(200, `[{"name":"main","push_access_levels":[{"access_level":40,"access_level_description":"Maintainers"}],"merge_access_levels":[{"access_level":40}]},{"name":"release/*","push_access_levels":[{"access_level":40}],"merge_access_levels":[{"access_level":40}]}]`)
	project := jsonAnswer(200, projectBody(b, map[string]any{"permissions": map[string]any{"project_access": map[string]int{"access_level": 30}}}))
	for range b.N {
		rp := gitlabRepoReport(gitlabRepoInput{web: "https://gitlab.example.com", name: "acme/api", acct: glAcct, hostName: "GitLab",
			answers: gitlabRepoAnswers{project: project, protected: rules, graph: gitlabGraphEntryOf(graph, glAcct, "acme/api", 0)}})
		if !rp.Ready() {
			b.Fatalf("%+v", rp)
		}
	}
}
