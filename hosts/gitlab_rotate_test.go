package hosts_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/hosts/hoststest"
	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

const (
	glRotate      = "glpat-CANARYrotCANARYrot0001"
	glSelfRotate  = "glpat-CANARYslfCANARYslf0001"
	glRotateBroke = "glpat-CANARYrbkCANARYrbk0001"
)

var rotateTokens = map[string]hoststest.GitLabToken{
	glRotate:      {Scopes: []string{"api"}, ExpiresAt: "2026-12-01"},
	glSelfRotate:  {Scopes: []string{"read_repository", "self_rotate"}, ExpiresAt: "2026-12-01"},
	glReadAPI:     {Scopes: []string{"read_api"}, ExpiresAt: "2027-02-23"},
	glRevoked:     {Scopes: []string{"api"}, Revoked: true},
	glRotateBroke: {Scopes: []string{"api"}, ExpiresAt: "2026-12-01", RotateBroken: true},
}

var rotateUntil = time.Date(2027, 2, 23, 0, 0, 0, 0, time.UTC)

// rotate rotates one token on the fake and fails on a leaked canary.
func rotate(t *testing.T, g *hoststest.GitLab, token string, until time.Time) (*hosts.Rotation, *hosts.RotateError) {
	t.Helper()
	client, err := httpx.New(httpx.Options{CAFile: g.CAFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": g.Web()}, Secrets: []secret.Value{secret.New(token)}}
	rot, err := hosts.GitLab.Rotate(ctx, hosts.Env{HTTP: client, Now: func() time.Time { return glNow }}, req, until)
	if err == nil {
		return rot, nil
	}
	var re *hosts.RotateError
	if !errors.As(err, &re) {
		t.Fatalf("error %T %v, want *RotateError", err, err)
	}
	if s := fmt.Sprintf("%+v", re); strings.Contains(s, "CANARY") {
		t.Fatalf("the error shows a token: %s", s)
	}
	return nil, re
}

func TestGitLabRotationGivesANewTokenAndTheOldOneIsRefused(t *testing.T) {
	g := hoststest.NewGitLab(t, hoststest.GitLabOptions{Tokens: rotateTokens})
	rot, rerr := rotate(t, g, glRotate, rotateUntil)
	if rerr != nil {
		t.Fatalf("rotation failed: %v", rerr)
	}
	if got := g.Rotated(); len(got) != 1 || rot.Secret.Reveal() != got[0] {
		t.Fatalf("the new token is not the one GitLab issued")
	}
	if rot.ExpiresAt == nil || rot.ExpiresAt.Format("2006-01-02") != "2027-02-23" || rot.Name != "Jira" {
		t.Errorf("rotation = %+v", rot)
	}
	// The old token is refused now; the new one passes.
	old := runCheck(t, hosts.GitLab, hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": g.Web()}}, []string{glRotate}, g.CAFile(t), glNow, 10*time.Second)
	if old.Outcome != hosts.Rejected || !strings.Contains(firstProblem(old).Text, "revoked") {
		t.Errorf("old token after rotation: %d %q", old.Outcome, firstProblem(old))
	}
	fresh := runCheck(t, hosts.GitLab, hosts.Request{Variant: "self-managed", Fields: map[string]string{"url": g.Web()}}, []string{rot.Secret.Reveal()}, g.CAFile(t), glNow, 10*time.Second)
	if fresh.Outcome != hosts.Sufficient || fresh.ExpiresAt == nil || !fresh.ExpiresAt.Equal(rotateUntil) {
		t.Errorf("new token: %d, expires %v", fresh.Outcome, fresh.ExpiresAt)
	}
	// Version first (read-only), then exactly one POST.
	reqs := g.Requests()
	posts := slices.DeleteFunc(slices.Clone(reqs), func(r string) bool { return !strings.HasPrefix(r, "POST") })
	if len(posts) != 1 || reqs[0] != "GET /api/v4/version" {
		t.Errorf("requests: %v", reqs)
	}
}

func TestGitLabRotationWithTheSelfRotateScope(t *testing.T) {
	g := hoststest.NewGitLab(t, hoststest.GitLabOptions{Version: "17.9.0-ee", Tokens: rotateTokens})
	if _, rerr := rotate(t, g, glSelfRotate, rotateUntil); rerr != nil {
		t.Fatalf("self_rotate token: %v", rerr)
	}
}

func TestGitLabRotationFailuresLeaveTheTokenAsItWas(t *testing.T) {
	for _, tc := range []struct {
		name, version, token, max string
		until                     time.Time
		want                      string
		maybe                     bool
	}{
		{"before 16.10: no request that changes anything", "16.9.2-ee", glRotate, "", rotateUntil, "came in GitLab 16.10", false},
		{"without api or self_rotate", "", glReadAPI, "", rotateUntil, "only with the api or self_rotate scope", false},
		{"revoked", "", glRevoked, "", rotateUntil, "The token was revoked", false},
		{"unknown", "", glUnknown, "", rotateUntil, "does not accept this token", false},
		{"past the lifetime limit", "", glRotate, "2027-01-31", rotateUntil, "Expires at must be before 2027-01-31", false},
		{"server error", "", glRotateBroke, "", rotateUntil, "cannot tell whether it rotated", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := hoststest.NewGitLab(t, hoststest.GitLabOptions{Version: tc.version, Tokens: rotateTokens, MaxExpiry: tc.max})
			rot, rerr := rotate(t, g, tc.token, tc.until)
			if rot != nil || rerr == nil || !strings.Contains(rerr.Text, tc.want) || rerr.MaybeRotated != tc.maybe {
				t.Fatalf("got %v, %+v; want %q (maybe rotated %v)", rot, rerr, tc.want, tc.maybe)
			}
			if !tc.maybe && !strings.Contains(rerr.Text, "not rotated") {
				t.Errorf("does not say the token was not rotated: %q", rerr.Text)
			}
			if len(g.Rotated()) != 0 {
				t.Error("the fake rotated a token")
			}
			if strings.HasPrefix(tc.version, "16.9") && slices.ContainsFunc(g.Requests(), func(r string) bool { return strings.HasPrefix(r, "POST") }) {
				t.Error("a POST went to a server without the API")
			}
		})
	}
}

func TestGitLabRotationOnAServerThatDoesNotSayItsVersion(t *testing.T) {
	// A token without a read scope may not read /version: the POST is
	// sent, and the 404 of a server without the route says it all.
	g := hoststest.NewGitLab(t, hoststest.GitLabOptions{Version: "16.4.0", Tokens: rotateTokens})
	_, rerr := rotate(t, g, glSelfRotate, rotateUntil)
	if rerr == nil || rerr.MaybeRotated || !strings.Contains(rerr.Text, "has no token rotation API") {
		t.Fatalf("got %+v", rerr)
	}
}

func TestGitLabRotationThatHangsMayHaveHappened(t *testing.T) {
	g := hoststest.NewGitLab(t, hoststest.GitLabOptions{Tokens: rotateTokens})
	g.SetFault(hoststest.Hang)
	client, _ := httpx.New(httpx.Options{CAFile: g.CAFile(t)})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := hosts.GitLab.Rotate(ctx, hosts.Env{HTTP: client}, hosts.Request{Variant: "self-managed",
		Fields: map[string]string{"url": g.Web()}, Secrets: []secret.Value{secret.New(glRotate)}}, rotateUntil)
	var re *hosts.RotateError
	if !errors.As(err, &re) || !strings.Contains(re.Text, "did not answer in time") {
		t.Fatalf("got %v", err)
	}
}

func TestOnlyGitLabRotatesAndTheOthersSayWhereToRegenerate(t *testing.T) {
	for _, h := range hosts.All() {
		if h.CanRotate() != (h.ID == "gitlab") {
			t.Errorf("%s: CanRotate = %v", h.ID, h.CanRotate())
		}
		if h.ID == "gitlab" {
			continue
		}
		if h.Regenerate == nil || h.Regenerate.Text == "" {
			t.Errorf("%s says nothing about renewing a token", h.ID)
		}
	}
	page, err := hosts.GitHub.RenewalPage(hosts.Request{})
	if err != nil || page != "https://github.com/settings/tokens" {
		t.Errorf("GitHub: %q %v", page, err)
	}
	page, err = hosts.AzureDevOps.RenewalPage(hosts.Request{Fields: map[string]string{"org": "fabrikam"}})
	if err != nil || page != "https://dev.azure.com/fabrikam/_usersSettings/tokens" {
		t.Errorf("Azure DevOps: %q %v", page, err)
	}
	// Another host's token is never sent to GitLab's rotation.
	_, err = hosts.GitLab.Rotate(context.Background(), hosts.Env{}, hosts.Request{Secrets: []secret.Value{secret.New("ghp_CANARYCANARYCANARYCANARYCANARYCANARY12")}}, rotateUntil)
	if err == nil || !strings.Contains(err.Error(), "did not send it") {
		t.Errorf("a GitHub token: %v", err)
	}
}
