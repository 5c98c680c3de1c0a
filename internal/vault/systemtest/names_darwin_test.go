//go:build realkeyring && darwin

package systemtest

import (
	"os/exec"
	"testing"
)

// filedUnder checks the login keychain has a generic password with the
// service and account (without asking for the password itself: no -w).
func filedUnder(t *testing.T, service, account string) {
	t.Helper()
	if out, err := exec.Command("security", "find-generic-password", "-s", service, "-a", account).CombinedOutput(); err != nil {
		t.Errorf("security find-generic-password -s %s -a %s: %v\n%s", service, account, err, out)
	}
}
