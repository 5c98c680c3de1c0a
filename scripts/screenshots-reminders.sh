#!/bin/sh
# Screenshots of the expiry features for the README, from the real window
# under Xvfb driven with the keyboard alone: the reminder setting (turned
# on), the calendar save dialog of a saved token, the rotate confirmation
# in the GitLab tab after testing the fake GitLab's token (bin/demohost),
# and the outcome.
# Usage: scripts/screenshots-reminders.sh OUTDIR
set -eu
out=${1:-docs/screenshots}
mkdir -p "$out"
out=$(cd "$out" && pwd)
home=$(mktemp -d)
trap 'kill $demo 2>/dev/null || true; rm -rf "$home"' EXIT
bin/demohost > "$home/demo.txt" &
demo=$!
until [ -f "$home/demo.txt" ] && [ "$(wc -l < "$home/demo.txt")" -ge 4 ]; do sleep 0.1; done
gl=$(sed -n 3p "$home/demo.txt")
glca=$(sed -n 4p "$home/demo.txt")
. scripts/shoot.sh

soon=$(date -u -d "+5 days" +%Y-%m-%dT00:00:00Z)
later=$(date -u -d "+200 days" +%Y-%m-%dT00:00:00Z)
checked=$(date -u -d "-1 day" +%Y-%m-%dT09:30:00Z)
saved=$(cat <<JSON
{"version": 1, "tokens": [
 {"account": "octocat on https://github.com (github)", "host": "github", "variant": "github.com", "fields": {}, "server": "https://github.com", "user": "octocat", "expires_at": "$soon", "checked_at": "$checked", "summary": "Ready: this token has what the Jira integration needs.", "outcome": 0},
 {"account": "jira-bot on https://gitlab.example.com (gitlab)", "host": "gitlab", "variant": "self-managed", "fields": {"url": "https://gitlab.example.com"}, "server": "https://gitlab.example.com", "user": "jira-bot", "expires_at": "$later", "checked_at": "$checked", "summary": "Ready: this token has what the Jira integration needs.", "outcome": 0}
]}
JSON
)

# Saved tokens starts on Re-check all; then each row's Re-check, Copy
# token, Add reminder to calendar, How to renew or Rotate token…, and
# Delete; then the clipboard delay, the colours and the reminder check.
shoot remind-setting saved 1000x720 '{}' "key Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
key space
sleep 1
scroll 20" "" "$saved"
[ -f "$home/.config/autostart/io.github.gitpat.remind.desktop" ] || {
	echo "screenshots: the setting did not install the autostart entry" >&2
	exit 1
}

# The GitLab row's "Add reminder to calendar": the save dialog.
shoot calendar-save saved 1000x720 '{}' "key Tab Tab Tab Tab Tab Tab Tab Tab
key Return
sleep 1" "" "$saved"

# The GitLab tab: Later for the notice about the expiring saved token;
# the server choice has the focus: Self-managed, the server URL, the CA
# file, Choose…, Open token page, the token, the repositories; Test. Then
# from Test: Copy this result, Copy token, Save to keyring, Add reminder
# to calendar and Rotate token….
rotate="key Escape
key Down Tab
type $gl
key Tab
type $glca
key Tab Tab Tab
type glpat-demo-for-screenshots-0
key Tab Tab Return
sleep 3
key Tab Tab Tab Tab Tab
key Return
sleep 1"
shoot rotate-confirm gitlab 1000x720 '{}' "$rotate" "" "$saved"
# The same, then Rotate now (Cancel is the default: Tab to Rotate now).
shoot rotated gitlab 1000x720 '{}' "$rotate
key Tab Return
sleep 3" "" "$saved"
