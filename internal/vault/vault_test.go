package vault

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/gitpat/gitpat/internal/secret"
)

const canary = "CANARY-vault-token"

func TestSaveLoadDeleteWithTheMockKeyring(t *testing.T) {
	keyring.MockInit()
	s := Store{}
	if err := s.Save("github|https://github.com|octocat", []secret.Value{secret.New(canary), secret.New(canary + "2")}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("github|https://github.com|octocat")
	if err != nil || len(got) != 2 || got[0].Reveal() != canary || got[1].Reveal() != canary+"2" {
		t.Fatalf("Load = %v, %v", got, err)
	}
	if err := s.Delete("github|https://github.com|octocat"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load("github|https://github.com|octocat"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after Delete: %v", err)
	}
	if err := s.Delete("never saved"); err != nil {
		t.Errorf("deleting a missing entry: %v", err)
	}
}

func TestUnavailableKeyringSaysWhyInOneSentence(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	err := Store{}.Save("a", []secret.Value{secret.New(canary)})
	var u *UnavailableError
	if !errors.As(err, &u) || !strings.Contains(u.Error(), "No keyring service is running") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), canary) {
		t.Fatal("the error holds the secret")
	}
}

// slowKeyring never answers, like a keyring waiting for a prompt.
type slowKeyring struct{ release chan struct{} }

func (k slowKeyring) Set(string, string, string) error   { <-k.release; return nil }
func (k slowKeyring) Get(string, string) (string, error) { <-k.release; return "", nil }
func (k slowKeyring) Delete(string, string) error        { <-k.release; return nil }
func (k slowKeyring) DeleteAll(string) error             { <-k.release; return nil }

func TestAKeyringThatNeverAnswersTimesOut(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	_, err := Store{Timeout: 50 * time.Millisecond, Backend: slowKeyring{release}}.Load("a")
	var u *UnavailableError
	if !errors.As(err, &u) || !strings.Contains(u.Error(), "did not answer") {
		t.Fatalf("err = %v", err)
	}
}
