// Package savedlist keeps the list of tokens gitpat saved in the keyring:
// which host, server and user each belongs to, when it expires and how its
// last check went. The list holds no secret: the tokens stay in the keyring
// (internal/vault), filed under each entry's Account.
//
// The desktop app, `gitpat --remind` and `gitpat-check --saved` share one
// file, saved-tokens.json in gitpat's folder of the user's configuration
// directory. It is written whole to a temporary file and renamed over the
// old one, so a reader never sees half a list. It imports no GUI toolkit.
package savedlist

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gitpat/gitpat/hosts"
)

// FileName is the list's file name in gitpat's configuration folder.
const FileName = "saved-tokens.json"

// DefaultWithin is how far ahead a token counts as expiring soon.
const DefaultWithin = 14 * 24 * time.Hour

// Token is what gitpat remembers of a token it saved: never the token.
type Token struct {
	Account   string            `json:"account"` // the keyring account
	Host      string            `json:"host"`    // hosts.Host.ID
	Variant   string            `json:"variant"`
	Fields    map[string]string `json:"fields"` // server, organization, CA file: never a secret
	Server    string            `json:"server"`
	User      string            `json:"user"`
	ExpiresAt *time.Time        `json:"expires_at"`
	CheckedAt time.Time         `json:"checked_at"`
	Summary   string            `json:"summary"`
	Outcome   hosts.Outcome     `json:"outcome"`
}

// Request is what a re-check of the token sends, without its secrets.
func (t Token) Request() hosts.Request {
	fields := map[string]string{}
	for k, v := range t.Fields {
		if k != "ca" {
			fields[k] = v
		}
	}
	// The user agreed to plain http when the token was first tested.
	return hosts.Request{Variant: t.Variant, Fields: fields, AllowHTTP: strings.HasPrefix(fields["url"], "http://")}
}

// CAFile is the extra CA file the token's server needs, if any.
func (t Token) CAFile() string { return t.Fields["ca"] }

// Label names the token for people: "octocat on https://github.com (GitHub)".
func (t Token) Label() string {
	name := t.Host
	if h := hosts.ByID(t.Host); h != nil {
		name = h.Name
	}
	server := t.Server
	if server == "" {
		server = name
	}
	return fmt.Sprintf("%s on %s (%s)", t.User, server, name)
}

// ExpiresWithin reports whether the token's known expiry is before
// now+within (an expired token too).
func (t Token) ExpiresWithin(now time.Time, within time.Duration) bool {
	return t.ExpiresAt != nil && t.ExpiresAt.Sub(now) < within
}

// Expiring lists the tokens that expire within the window or have expired,
// soonest first.
func Expiring(list []Token, now time.Time, within time.Duration) []Token {
	var out []Token
	for _, t := range list {
		if t.ExpiresWithin(now, within) {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ExpiresAt.Before(*out[j].ExpiresAt) })
	return out
}

// File is the list on disk.
type File struct {
	Path string
}

// Dir is gitpat's folder in the user's configuration directory
// (~/.config/gitpat, ~/Library/Application Support/gitpat,
// %AppData%\gitpat).
func Dir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no configuration folder for the saved-token list: %w", err)
	}
	return filepath.Join(base, "gitpat"), nil
}

// Default is the list every part of gitpat uses.
func Default() (*File, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	return &File{Path: filepath.Join(dir, FileName)}, nil
}

// fileFormat is the file's content: a version, so a later gitpat can
// change the shape and still read this one.
type fileFormat struct {
	Version int     `json:"version"`
	Tokens  []Token `json:"tokens"`
}

// ErrNewer means the file was written by a newer gitpat in a shape this
// one does not know; it is left alone.
var ErrNewer = errors.New("the saved-token list was written by a newer gitpat")

// Exists reports whether the file is there.
func (f *File) Exists() bool {
	_, err := os.Stat(f.Path)
	return err == nil
}

// Load reads the list; a missing file is an empty list.
func (f *File) Load() ([]Token, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the saved-token list: %w", err)
	}
	var ff fileFormat
	if err := json.Unmarshal(b, &ff); err != nil {
		return nil, fmt.Errorf("the saved-token list %s is damaged: %v", f.Path, err)
	}
	if ff.Version > 1 {
		return nil, ErrNewer
	}
	return ff.Tokens, nil
}

// Save replaces the list: written to a temporary file in the same folder
// and renamed over the old one.
func (f *File) Save(list []Token) error {
	if list == nil {
		list = []Token{}
	}
	b, err := json.MarshalIndent(fileFormat{Version: 1, Tokens: list}, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".saved-tokens-*.json")
	if err != nil {
		return fmt.Errorf("cannot write the saved-token list: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write the saved-token list: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write the saved-token list: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write the saved-token list: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return fmt.Errorf("cannot write the saved-token list: %w", err)
	}
	return nil
}

// Update changes the list in one read and write.
func (f *File) Update(change func([]Token) []Token) error {
	list, err := f.Load()
	if err != nil {
		return err
	}
	return f.Save(change(list))
}
