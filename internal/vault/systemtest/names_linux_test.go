//go:build realkeyring && linux

package systemtest

import (
	"os/exec"
	"strings"
	"testing"
)

// filedUnder checks the Secret Service finds the entry by the attributes
// go-keyring files it under, service and username
// (zalando/go-keyring, keyring_unix.go), as Seahorse and secret-tool do.
func filedUnder(t *testing.T, service, account string) {
	t.Helper()
	out, err := exec.Command("busctl", "--user", "call", "org.freedesktop.secrets", "/org/freedesktop/secrets",
		"org.freedesktop.Secret.Service", "SearchItems", "a{ss}", "2", "service", service, "username", account).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "/org/freedesktop/secrets/collection/") {
		t.Errorf("the Secret Service finds no item for service=%s username=%s: %v\n%s", service, account, err, out)
	}
}
