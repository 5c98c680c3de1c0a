// Package vault keeps credentials in the operating system's keyring (the
// Secret Service on Linux, the Keychain on macOS, the Credential Manager on
// Windows) through go-keyring, and nowhere else.
//
// Every call has a time limit: a keyring that waits for an unlock prompt
// nobody answers, or a D-Bus that never replies, must not freeze the app.
// Failures are typed: ErrNotFound, or an *UnavailableError whose text says
// in one sentence why the keyring cannot be used.
package vault

import (
	"errors"
	"net"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/gitpat/gitpat/internal/secret"
)

// Service is the name gitpat's entries are filed under in the keyring.
const Service = "gitpat"

// DefaultTimeout limits each keyring call.
const DefaultTimeout = 3 * time.Second

// ErrNotFound means the keyring has no such entry.
var ErrNotFound = errors.New("not in the keyring")

// UnavailableError means the keyring cannot be used right now.
type UnavailableError struct {
	Reason string
	Err    error
}

func (e *UnavailableError) Error() string { return e.Reason }
func (e *UnavailableError) Unwrap() error { return e.Err }

// Store reads and writes gitpat's keyring entries.
type Store struct {
	// Timeout limits each call; DefaultTimeout when zero.
	Timeout time.Duration
	// Backend replaces the system keyring (tests); nil for the system's.
	Backend keyring.Keyring
}

// system is the keyring go-keyring chose for this platform.
type system struct{}

func (system) Set(svc, user, pass string) error     { return keyring.Set(svc, user, pass) }
func (system) Get(svc, user string) (string, error) { return keyring.Get(svc, user) }
func (system) Delete(svc, user string) error        { return keyring.Delete(svc, user) }
func (system) DeleteAll(svc string) error           { return keyring.DeleteAll(svc) }

func (s Store) backend() keyring.Keyring {
	if s.Backend != nil {
		return s.Backend
	}
	return system{}
}

// Save stores the secrets under account, replacing what was there.
// Several secrets (an access key ID and its secret) are kept as one entry,
// one per line.
func (s Store) Save(account string, secrets []secret.Value) error {
	parts := make([]string, len(secrets))
	for i, v := range secrets {
		parts[i] = v.Reveal()
	}
	_, err := s.call(func() (string, error) { return "", s.backend().Set(Service, account, strings.Join(parts, "\n")) })
	return err
}

// Load returns the secrets stored under account.
func (s Store) Load(account string) ([]secret.Value, error) {
	joined, err := s.call(func() (string, error) { return s.backend().Get(Service, account) })
	if err != nil {
		return nil, err
	}
	var out []secret.Value
	for _, p := range strings.Split(joined, "\n") {
		out = append(out, secret.New(p))
	}
	return out, nil
}

// Delete removes account's entry; deleting what is not there is not an
// error.
func (s Store) Delete(account string) error {
	_, err := s.call(func() (string, error) { return "", s.backend().Delete(Service, account) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// call runs one keyring operation under the time limit.
func (s Store) call(op func() (string, error)) (string, error) {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := op()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, translate(r.err)
	case <-time.After(timeout):
		return "", &UnavailableError{Reason: "The keyring did not answer within " + timeout.String() +
			"; it may be locked and waiting for its password. Unlock it and try again."}
	}
}

// translate turns go-keyring's errors into ours. Their texts never hold
// the secret, but they are D-Bus jargon, so only the cause is kept.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return &UnavailableError{Reason: "The keyring refused the entry as too large.", Err: err}
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return &UnavailableError{Reason: "This system has no keyring gitpat can use.", Err: err}
	}
	msg := err.Error()
	var netErr *net.OpError
	switch {
	case errors.As(err, &netErr):
		return &UnavailableError{Reason: "The desktop session bus cannot be reached, so no keyring is available; copy the token instead.", Err: err}
	case strings.Contains(msg, "org.freedesktop.secrets") || strings.Contains(msg, "ServiceUnknown"):
		return &UnavailableError{Reason: "No keyring service is running (such as GNOME Keyring or KWallet); start one, or copy the token instead.", Err: err}
	case strings.Contains(msg, "DBUS_SESSION_BUS_ADDRESS") || strings.Contains(msg, "dbus"):
		return &UnavailableError{Reason: "There is no desktop session bus to reach a keyring; copy the token instead.", Err: err}
	case strings.Contains(strings.ToLower(msg), "lock") || strings.Contains(msg, "prompt") || strings.Contains(msg, "dismissed"):
		return &UnavailableError{Reason: "The keyring is locked and was not unlocked; unlock it and try again.", Err: err}
	}
	return &UnavailableError{Reason: "The keyring refused the request.", Err: err}
}
