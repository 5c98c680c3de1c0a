#!/bin/sh
# Runs the real-keyring tests. On Linux against a private GNOME Keyring: a
# fresh HOME, a private D-Bus session, and a login keyring created unlocked.
set -eu
case "$(uname -s)" in
Linux) ;;
*)
	# Windows (Credential Manager) and macOS (the login keychain): the
	# user's own keyring, as on a hosted CI runner.
	exec go test -count=1 -tags realkeyring ./internal/vault/systemtest/
	;;
esac
export GOPATH="$(go env GOPATH)" GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_RUNTIME_DIR="$home/run" XDG_DATA_HOME="$home/data"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
exec dbus-run-session -- sh -c '
	printf "gitpat-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	go test -count=1 -tags realkeyring ./internal/vault/systemtest/ ./cmd/gitpat-check/systemtest/
'
