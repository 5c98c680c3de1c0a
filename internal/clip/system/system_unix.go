//go:build linux || freebsd || openbsd || netbsd || dragonfly

package system

import (
	"os"

	"github.com/gitpat/gitpat/internal/clip"
)

// New picks the clipboard for this desktop; toolkit is Fyne's clipboard.
func New(toolkit clip.Board) Clipboard { return forUnix(os.Getenv, toolkit) }
