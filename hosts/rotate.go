package hosts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gitpat/gitpat/internal/httpx"
	"github.com/gitpat/gitpat/internal/secret"
)

// Rotating a token is the one thing in this package that changes anything
// on a server: it replaces the token with a new one, and the old one stops
// working at once. Checks never call it; only a person asking for it after
// a confirmation does (the GUI's Rotate). It lives apart from the checks so
// a reader can see that every Check stays read-only.

// Rotator replaces a token through the host's API.
type Rotator func(ctx context.Context, env Env, req Request, expires time.Time) (*Rotation, error)

// Rotation is a new token that replaced the old one.
type Rotation struct {
	Secret    secret.Value
	ExpiresAt *time.Time // as the host answered; nil when it did not say
	Name      string     // the token's name on the host, kept by the rotation
}

// RotateError says why a rotation failed, in the words of a Finding.
// MaybeRotated is set when the request may have reached the host and
// nobody can tell whether the old token still works (a timeout, a server
// error, an answer without the new token).
type RotateError struct {
	Finding
	MaybeRotated bool
}

func (e *RotateError) Error() string { return e.Text }

// Regeneration says where a host's token page regenerates a token, for
// hosts without a rotation API.
type Regeneration struct {
	Text string                        // what to click, in a sentence or two
	Page func(Request) (string, error) // the page, prefilled where the host allows it; nil: the token page
}

// RenewalPage is the page where the host renews a token: Regenerate's
// page, or the token page.
func (h *Host) RenewalPage(req Request) (string, error) {
	if h.Regenerate != nil && h.Regenerate.Page != nil {
		return h.Regenerate.Page(req)
	}
	return h.TokenPage(req)
}

// CanRotate reports whether gitpat can rotate this host's tokens itself.
func (h *Host) CanRotate() bool { return h.rotate != nil }

// Rotate replaces the token in req with a new one expiring on the date of
// expires (the host may shorten it). It is never part of a check. A
// credential that looks like another host's is not sent.
func (h *Host) Rotate(ctx context.Context, env Env, req Request, expires time.Time) (*Rotation, error) {
	if h.rotate == nil {
		return nil, &RotateError{Finding: Finding{Level: Error, Text: "gitpat cannot rotate " + h.Name + " tokens."}}
	}
	if len(req.Secrets) != len(h.Secrets) || req.Secrets[0].IsZero() {
		return nil, &RotateError{Finding: Finding{Level: Error, Text: "There is no token to rotate."}}
	}
	if shape := Classify(req.Secrets[0].Reveal()); shape.Family != "" && shape.Family != h.Family {
		return nil, &RotateError{Finding: Finding{Level: Error,
			Text: fmt.Sprintf("This looks like %s, not a %s credential; gitpat did not send it.", shape.Kind, h.Name)}}
	}
	if env.HTTP == nil {
		c, err := httpx.New(httpx.Options{})
		if err != nil {
			return nil, &RotateError{Finding: Finding{Level: Error, Text: err.Error()}}
		}
		env.HTTP = c
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	rot, err := h.rotate(ctx, env, req, expires)
	var re *RotateError
	if errors.As(err, &re) {
		// A last guard, as Check has: a server may echo the token.
		r := &Report{Findings: []Finding{re.Finding}}
		r.redact([]string{req.Secrets[0].Reveal()})
		re.Finding = r.Findings[0]
	}
	return rot, err
}
