#!/bin/sh
# Runs the real-keyring tests against a private GNOME Keyring: a fresh HOME,
# a private D-Bus session, and a login keyring created unlocked.
set -eu
export GOPATH="$(go env GOPATH)" GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_RUNTIME_DIR="$home/run" XDG_DATA_HOME="$home/data"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
exec dbus-run-session -- sh -c '
	printf "gitpat-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	go test -count=1 -tags realkeyring ./internal/vault/systemtest/ ./cmd/gitpat-check/systemtest/
'
