//go:build realkeyring && windows

package systemtest

import (
	"os/exec"
	"strings"
	"testing"
)

// filedUnder checks Windows lists the entry as a generic credential named
// service:account, the target name go-keyring gives it
// (zalando/go-keyring, keyring_windows.go, credName), which is what
// Credential Manager shows under Windows Credentials.
func filedUnder(t *testing.T, service, account string) {
	t.Helper()
	target := service + ":" + account
	out, err := exec.Command("cmdkey", "/list:"+target).CombinedOutput()
	if err != nil || !strings.Contains(string(out), target) {
		t.Errorf("cmdkey /list:%s: %v\n%s", target, err, out)
	}
}
