package httpx

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestCAFileErrorsSaySoInWords: a missing, unreadable or wrong CA file is
// a *CAFileError whose text names the file and says what is wrong with it,
// never the raw "open …: no such file or directory".
func TestCAFileErrorsSaySoInWords(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	_ = os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
	for path, want := range map[string]string{
		filepath.Join(dir, "nope.pem"): "gitpat cannot read the CA file " + filepath.Join(dir, "nope.pem") + ": it does not exist.",
		dir:                            "gitpat cannot read the CA file " + dir + ": it is a folder, not a file.",
		notPEM:                         "The CA file " + notPEM + " holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----).",
	} {
		_, err := New(Options{CAFile: path})
		var e *CAFileError
		if !errors.As(err, &e) || err.Error() != want {
			t.Errorf("%s: %v", path, err)
		}
	}
}
