// Package remind is what `gitpat --remind` needs without a window: the
// notification's words for the saved tokens that expire soon, the login
// item that runs it (an XDG autostart entry, a Windows Run key value, a
// macOS LaunchAgent), and the note it leaves so that gitpat, opened from
// the notification, shows the Saved tokens tab. It imports no GUI toolkit.
package remind

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gitpat/gitpat/hosts"
	"github.com/gitpat/gitpat/internal/savedlist"
)

// DefaultDays is how many days ahead the reminder looks by default.
const DefaultDays = 14

// Message is the notification for the saved tokens that expire within the
// window or have expired; ok is false when there is nothing to say. It
// reads only the list: no keyring, no network.
func Message(list []savedlist.Token, now time.Time, days int) (title, body string, ok bool) {
	soon := savedlist.Expiring(list, now, time.Duration(days)*24*time.Hour)
	if len(soon) == 0 {
		return "", "", false
	}
	expired := 0
	var lines []string
	for i, t := range soon {
		if !t.ExpiresAt.After(now) {
			expired++
		}
		if i == 4 && len(soon) > 5 {
			lines = append(lines, fmt.Sprintf("and %d more", len(soon)-4))
			break
		}
		r := &hosts.Report{ExpiresAt: t.ExpiresAt}
		lines = append(lines, fmt.Sprintf("%s: %s", t.Label(), r.ExpiryText(now)))
	}
	switch {
	case len(soon) == 1 && expired == 1:
		title = "A saved git token has expired"
	case len(soon) == 1:
		title = "A saved git token expires soon"
	case expired == len(soon):
		title = fmt.Sprintf("%d saved git tokens have expired", len(soon))
	case expired > 0:
		title = fmt.Sprintf("%d saved git tokens expire soon or have expired", len(soon))
	default:
		title = fmt.Sprintf("%d saved git tokens expire soon", len(soon))
	}
	body = strings.Join(lines, "\n") + "\nOpen gitpat to renew them and update the Jira integration."
	return title, body, true
}

// pendingFile is the note `gitpat --remind` leaves beside the list.
const pendingFile = "reminded"

// PendingFor is how long after a reminder gitpat, opened without a tab
// chosen, starts on the Saved tokens tab.
const PendingFor = 12 * time.Hour

// MarkShown notes that a reminder was shown at now.
func MarkShown(dir string, now time.Time) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, pendingFile), []byte(now.UTC().Format(time.RFC3339)+"\n"), 0o600)
}

// TakePending reports whether a reminder was shown within PendingFor, and
// forgets it: the next start opens as usual.
func TakePending(dir string, now time.Time) bool {
	p := filepath.Join(dir, pendingFile)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) || err != nil {
		return false
	}
	_ = os.Remove(p)
	at, err := time.Parse(time.RFC3339, strings.TrimSpace(string(b)))
	return err == nil && now.Sub(at) >= 0 && now.Sub(at) < PendingFor
}
