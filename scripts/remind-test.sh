#!/bin/sh
# Tests `gitpat --remind` as it runs at login: on a private D-Bus session
# with a notification server that records what it gets (internal/fakenotify),
# a throwaway HOME and a saved-token list with expired, expiring and fine
# tokens. Then without a session bus, and with a server that never answers.
# Needs bin/gitpat (make build).
set -eu
export GOPATH="$(go env GOPATH)" GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)"
bin=$(pwd)/bin
go build -o "$bin/fakenotify" ./internal/fakenotify
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/run" XDG_CACHE_HOME="$home/cache" LANG=en_US.UTF-8
mkdir -m 700 -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/gitpat"
fail() { echo "remind-test: $*" >&2; exit 1; }
day() { date -u -d "$1" +%Y-%m-%dT00:00:00Z; }

list="$XDG_CONFIG_HOME/gitpat/saved-tokens.json"
cat >"$list" <<JSON
{"version": 1, "tokens": [
 {"account": "a", "host": "gitlab", "server": "https://gitlab.example.com", "user": "expired_user", "expires_at": "$(day '-2 days')"},
 {"account": "b", "host": "github", "server": "https://github.com", "user": "soon_user", "expires_at": "$(day '+5 days')"},
 {"account": "c", "host": "github", "server": "https://github.com", "user": "fine_user", "expires_at": "$(day '+60 days')"}
]}
JSON

got="$home/got.jsonl"
: >"$got"
# 1. One notification naming the expired and the expiring token, not the fine one.
dbus-run-session -- sh -c '
	"$1/fakenotify" -out "$2" >"$2.ready" &
	for i in $(seq 50); do [ -s "$2.ready" ] && break; sleep 0.1; done
	[ -s "$2.ready" ] || { echo "fakenotify did not start" >&2; exit 1; }
	"$1/gitpat" --remind --remind-days 14
' sh "$bin" "$got" 2>"$home/err" || fail "gitpat --remind failed: $(cat "$home/err")"
[ "$(wc -l <"$got")" -eq 1 ] || fail "want one notification, got: $(cat "$got")"
grep -q '"app_name":"io.github.gitpat"' "$got" || fail "not sent as io.github.gitpat: $(cat "$got")"
grep -q '"summary":"2 saved git tokens expire soon or have expired"' "$got" || fail "summary: $(cat "$got")"
grep -q 'expired_user on https://gitlab.example.com (GitLab).*(expired)' "$got" || fail "expired token not named: $(cat "$got")"
grep -q 'soon_user on https://github.com (GitHub).*days left' "$got" || fail "expiring token not named: $(cat "$got")"
! grep -q fine_user "$got" || fail "names a token that is fine: $(cat "$got")"
[ -f "$XDG_CONFIG_HOME/gitpat/reminded" ] || fail "no note for opening on Saved tokens"
echo "remind-test: one notification: $(sed 's/.*"summary":"\([^"]*\)".*/\1/' "$got")"

# 2. A wider window takes in the fine token; a narrow one with nothing due sends nothing.
: >"$got"
dbus-run-session -- sh -c '
	"$1/fakenotify" -out "$2" >"$2.ready2" &
	for i in $(seq 50); do [ -s "$2.ready2" ] && break; sleep 0.1; done
	"$1/gitpat" --remind --remind-days 90
	sed -i "/soon_user\|expired_user/d" "$3"
	"$1/gitpat" --remind --remind-days 14
' sh "$bin" "$got" "$list" 2>"$home/err" || fail "gitpat --remind failed: $(cat "$home/err")"
[ "$(wc -l <"$got")" -eq 1 ] && grep -q fine_user "$got" || fail "90 days then nothing due: $(cat "$got")"
echo "remind-test: --remind-days 90 names the token due in 60 days; nothing due sends nothing"

# 3. No session bus: exits at once, quietly.
cat >"$list" <<JSON
{"version": 1, "tokens": [{"account": "a", "host": "gitlab", "server": "https://gitlab.example.com", "user": "expired_user", "expires_at": "$(day '-2 days')"}]}
JSON
start=$(date +%s)
env -u DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR="$home/nobus" DISPLAY= "$bin/gitpat" --remind >"$home/out" 2>&1 || fail "no bus: exit $?"
[ ! -s "$home/out" ] || fail "no bus: not quiet: $(cat "$home/out")"
[ $(( $(date +%s) - start )) -le 3 ] || fail "no bus: took too long"
echo "remind-test: without a session bus it exits at once, quietly"

# 4. A notification server that never answers: the time limit ends it.
start=$(date +%s)
dbus-run-session -- sh -c '
	"$1/fakenotify" -hang -out "$2" >"$2.ready3" &
	for i in $(seq 50); do [ -s "$2.ready3" ] && break; sleep 0.1; done
	"$1/gitpat" --remind
' sh "$bin" "$got" >/dev/null 2>&1 || fail "hanging server: exit $?"
took=$(( $(date +%s) - start ))
[ "$took" -le 15 ] || fail "hanging server: took ${took}s"
echo "remind-test: a server that never answers: ended by the time limit after ${took}s"
