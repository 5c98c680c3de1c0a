package httpx

import (
	"errors"
	"io/fs"
	"syscall"
)

// CAFileError says why the extra CA file cannot be used, in a sentence
// that names the file and not the system call.
type CAFileError struct {
	Path  string
	Err   error // from reading it; nil when NoPEM
	NoPEM bool  // it was read but holds no PEM certificate
}

func (e *CAFileError) Error() string {
	switch {
	case e.NoPEM:
		return "The CA file " + e.Path + " holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----)."
	case errors.Is(e.Err, fs.ErrNotExist):
		return "gitpat cannot read the CA file " + e.Path + ": it does not exist."
	case errors.Is(e.Err, fs.ErrPermission):
		return "gitpat cannot read the CA file " + e.Path + ": permission denied."
	case errors.Is(e.Err, syscall.EISDIR):
		return "gitpat cannot read the CA file " + e.Path + ": it is a folder, not a file."
	}
	return "gitpat cannot read the CA file " + e.Path + "."
}

func (e *CAFileError) Unwrap() error { return e.Err }
