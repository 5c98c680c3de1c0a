// Package secret holds a credential in a type that will not print it.
//
// A Value redacts itself in every formatting path (%v, %+v, %#v, %s, %q,
// JSON, text marshalling), so a stray log line or error cannot leak the
// token it wraps. Only Reveal returns the text, and only code that sends
// the credential to its host or to the keyring or clipboard calls it.
package secret

import (
	"fmt"
	"strings"
	"unicode"
)

const redacted = "[redacted]"

// Value is a credential: a token, an access key ID or a secret key.
type Value struct{ s string }

// New wraps s. It does not trim or validate; see Parse for pasted text.
func New(s string) Value { return Value{s: s} }

// Reveal returns the credential itself.
func (v Value) Reveal() string { return v.s }

// IsZero reports whether the value is empty.
func (v Value) IsZero() bool { return v.s == "" }

// Len is the credential's length in bytes; safe to show.
func (v Value) Len() int { return len(v.s) }

// Equal reports whether both hold the same credential.
func (v Value) Equal(o Value) bool { return v.s == o.s }

// String returns a placeholder, never the credential.
func (v Value) String() string { return redacted }

// GoString returns a placeholder, never the credential.
func (v Value) GoString() string { return "secret.Value{" + redacted + "}" }

// Format redacts every verb, %x and %q included.
func (v Value) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON writes a placeholder.
func (v Value) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText writes a placeholder.
func (v Value) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// ParseError says why pasted text is not a usable credential. Its text
// never contains the credential.
type ParseError struct{ Reason string }

func (e *ParseError) Error() string { return e.Reason }

// Parse trims what surrounds pasted text (spaces, tabs, line breaks, a
// byte-order mark) and refuses text that still holds white space or
// control characters inside, which no host issues and which usually means
// two things were pasted at once.
func Parse(pasted string) (Value, error) {
	s := strings.TrimFunc(pasted, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
	if s == "" {
		return Value{}, &ParseError{Reason: "nothing was pasted"}
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			return Value{}, &ParseError{Reason: "it spans more than one line; paste it as one line"}
		case unicode.IsSpace(r):
			return Value{}, &ParseError{Reason: "it contains a space; paste it in one piece"}
		case unicode.IsControl(r) || r == '\ufffd':
			return Value{}, &ParseError{Reason: "it contains an invisible control character; copy it again"}
		}
	}
	return Value{s: s}, nil
}
