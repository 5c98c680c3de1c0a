package hosts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

// GitLab's self-rotation API: POST /api/v4/personal_access_tokens/self/rotate
// revokes the token that authenticates the request and answers 200 with a
// new one carrying the same name, description and scopes.
//
//   - Since GitLab 16.10 (gitlab#426779, MR !142664), for tokens with the
//     api scope; since 17.9 also with the self_rotate scope (MR !178111).
//     lib/api/personal_access_tokens/self_rotation.rb:
//     allow_access_with_scope :api / :self_rotate; a token that is not a
//     personal access token gets 405 (not_allowed!).
//   - The answer is Entities::PersonalAccessTokenWithToken: id, name,
//     revoked, created_at, description, scopes, user_id, last_used_at,
//     active, expires_at ("YYYY-MM-DD") and token (doc/api/personal_access_tokens.md,
//     "Rotate a personal access token").
//   - expires_at is optional, but without it a server that requires expiry
//     gives the new token one week (RotateService::EXPIRATION_PERIOD), so
//     gitpat always sends the date the user chose.
//   - app/services/personal_access_tokens/rotate_service.rb revokes and
//     creates in one transaction: a 400 ("400 Bad request - <reason>", such
//     as an expiry past the instance's limit) leaves the old token working.
//   - 401: the token is unknown, expired or revoked; rotating an already
//     revoked token revokes its whole token family (automatic reuse
//     detection, 16.3), which is why gitpat never retries a rotation.

// gitlabRotateSince is the first GitLab version with self-rotation.
const gitlabRotateSince = 16010 // 16.10

// gitlabRotated is the answer of a successful rotation.
type gitlabRotated struct {
	Name      string  `json:"name"`
	Token     string  `json:"token"`
	Active    *bool   `json:"active"`
	ExpiresAt *string `json:"expires_at"`
}

func rotateGitLab(ctx context.Context, env Env, req Request, expires time.Time) (*Rotation, error) {
	srv, err := parseGitLabServer(req)
	if err != nil {
		return nil, &RotateError{Finding: Finding{Level: Error, Text: err.Error()}}
	}
	if srv.http && !req.AllowHTTP {
		return nil, &RotateError{Finding: Finding{Level: Error, Text: "The server address uses http://; gitpat did not send the token unencrypted."}}
	}
	c := gitlabCheck{srv: srv, name: "GitLab", token: req.Secrets[0].Reveal()}
	if !srv.dotcom {
		c.name = "The GitLab server"
	}
	c.page, _ = GitLabTokenPages(srv.web, "")
	header := http.Header{"Private-Token": {c.token}, "Accept": {"application/json"}}
	notRotated := func(text, fix string) error {
		return &RotateError{Finding: Finding{Level: Error, Text: text + " The token was not rotated and still works.", Fix: fix, Link: c.page}}
	}

	// Ask the version first (read-only): a server older than 16.10 is told
	// apart without sending a request that changes anything.
	if a, err := env.HTTP.Get(ctx, srv.api+"/version", header); err == nil {
		version := gitlabVersionOf(answer{resp: a}, func(p string) func() (*httpx.Response, error) {
			return func() (*httpx.Response, error) { return env.HTTP.Get(ctx, srv.api+p, header) }
		})
		if major, minor, ok := parseGitLabVersion(version); ok && major*1000+minor < gitlabRotateSince {
			c.page, _ = GitLabTokenPages(srv.web, version)
			return nil, notRotated("GitLab "+c.scrub(version)+" cannot rotate tokens through its API: that came in GitLab 16.10.",
				"Create a new token on the token page, paste it into the integration, then revoke the old one.")
		}
	} else if errors.Is(ctx.Err(), context.Canceled) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		_, f := transportFinding(err, c.name)
		return nil, &RotateError{Finding: f}
	}

	body, _ := json.Marshal(map[string]string{"expires_at": expires.UTC().Format("2006-01-02")})
	post, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.api+"/personal_access_tokens/self/rotate", bytes.NewReader(body))
	if err != nil {
		return nil, &RotateError{Finding: Finding{Level: Error, Text: err.Error()}}
	}
	for k, v := range header {
		post.Header[k] = v
	}
	post.Header.Set("Content-Type", "application/json")
	resp, err := env.HTTP.Do(post)
	if err != nil {
		_, f := transportFinding(err, c.name)
		var he *httpx.Error
		sent := !errors.As(err, &he) || he.Kind == httpx.KindTimeout || he.Kind == httpx.KindCanceled || he.Kind == httpx.KindNetwork || he.Kind == httpx.KindBodyTooLarge
		if sent {
			f.Text += " gitpat cannot tell whether GitLab rotated the token."
			f.Fix = "Test the old token again: if GitLab now refuses it, it was rotated and the new token is lost; create a new one on the token page."
			f.Link = c.page
		}
		return nil, &RotateError{Finding: f, MaybeRotated: sent}
	}
	return c.rotated(resp)
}

// rotated reads the answer to the rotation request.
func (c gitlabCheck) rotated(resp *httpx.Response) (*Rotation, error) {
	kind, e := classifyGitLab(resp)
	notRotated := func(text, fix string) error {
		return &RotateError{Finding: Finding{Level: Error, Text: text + " The token was not rotated.", Fix: fix, Link: c.page}}
	}
	msg := c.quote(strings.TrimPrefix(strings.TrimPrefix(orDefault(e.Message, e.Error), "400 Bad request - "), "403 Forbidden - "))
	switch {
	case kind == gitlabJSON:
		var r gitlabRotated
		if json.Unmarshal(resp.Body, &r) != nil || strings.TrimSpace(r.Token) == "" {
			return nil, &RotateError{MaybeRotated: true, Finding: Finding{Level: Error,
				Text: c.name + " answered the rotation without a new token: the old token may already be revoked.",
				Fix:  "Test the old token again; if GitLab refuses it, create a new token on the token page.", Link: c.page}}
		}
		rot := &Rotation{Secret: secret.New(strings.TrimSpace(r.Token)), Name: c.scrub(r.Name)}
		if r.ExpiresAt != nil {
			if exp, err := time.Parse("2006-01-02", *r.ExpiresAt); err == nil {
				rot.ExpiresAt = &exp
			}
		}
		return rot, nil
	case resp.Status == http.StatusUnauthorized:
		f := c.rejected(e)
		f.Text += " The token was not rotated."
		return nil, &RotateError{Finding: f}
	case kind == gitlabScope:
		return nil, notRotated("GitLab lets a token rotate itself only with the api or self_rotate scope, and this one has neither.",
			"Create a new token with the api scope on the token page.")
	case resp.Status == http.StatusMethodNotAllowed:
		return nil, notRotated("This is not a personal access token, and only those can rotate themselves.",
			"Create a personal access token with the api scope on the token page.")
	case resp.Status == http.StatusNotFound:
		return nil, notRotated(c.name+" has no token rotation API (GitLab before 16.10).",
			"Create a new token on the token page, paste it into the integration, then revoke the old one.")
	case resp.Status == http.StatusBadRequest:
		return nil, notRotated(fmt.Sprintf("%s refused: %s.", c.name, orDefault(msg, "400 Bad request")),
			"If the expiry date is past what your GitLab allows, choose an earlier one and rotate again.")
	case kind == gitlabForbidden:
		return nil, notRotated(fmt.Sprintf("%s refused: %s.", c.name, orDefault(msg, "403 Forbidden")),
			"Ask your GitLab administrator, or create a new token on the token page.")
	case kind == gitlabLimited:
		f := gitlabRateLimit(resp.Header)
		f.Text += " The token was not rotated."
		return nil, &RotateError{Finding: f}
	case kind == gitlabDown:
		// A server error after the transaction began: GitLab rolls back,
		// but gitpat cannot see that from here.
		return nil, &RotateError{MaybeRotated: true, Finding: Finding{Level: Error,
			Text: fmt.Sprintf("%s answered with a server error (%d): gitpat cannot tell whether it rotated the token.", c.name, resp.Status),
			Fix:  "Test the old token again: if it still works, try Rotate later; if GitLab refuses it, create a new token on the token page.",
			Link: c.page}}
	}
	return nil, &RotateError{MaybeRotated: true, Finding: Finding{Level: Error,
		Text: fmt.Sprintf("%s gave an unexpected answer (%d) to the rotation: gitpat cannot tell whether it rotated the token.", c.name, resp.Status),
		Fix:  "Test the old token again: if GitLab refuses it, create a new token on the token page.", Link: c.page}}
}
