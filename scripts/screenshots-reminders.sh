#!/bin/sh
# Screenshots of the expiry features for the README, from the real window
# under Xvfb: the reminder setting (turned on) and a calendar action in
# Saved tokens, the calendar save dialog, the rotate confirmation in the
# GitLab tab after testing the fake GitLab's token (bin/demohost), and the
# outcome. The clicks are positions in a 1000x720 window.
# Usage: scripts/screenshots-reminders.sh OUTDIR
set -eu
out=${1:-docs/screenshots}
mkdir -p "$out"
home=$(mktemp -d)
trap 'kill $demo 2>/dev/null || true; rm -rf "$home"' EXIT
bin/demohost > "$home/demo.txt" &
demo=$!
until [ -f "$home/demo.txt" ] && [ "$(wc -l < "$home/demo.txt")" -ge 4 ]; do sleep 0.1; done
gl=$(sed -n 3p "$home/demo.txt")
glca=$(sed -n 4p "$home/demo.txt")
soon=$(date -u -d "+5 days" +%Y-%m-%dT00:00:00Z)
later=$(date -u -d "+200 days" +%Y-%m-%dT00:00:00Z)
checked=$(date -u -d "-1 day" +%Y-%m-%dT09:30:00Z)
mkdir -p "$home/.config/gitpat"
cat > "$home/.config/gitpat/saved-tokens.json" <<JSON
{"version": 1, "tokens": [
 {"account": "octocat on https://github.com (github)", "host": "github", "variant": "github.com", "fields": {}, "server": "https://github.com", "user": "octocat", "expires_at": "$soon", "checked_at": "$checked", "summary": "Ready: this token has what the Jira integration needs.", "outcome": 0},
 {"account": "jira-bot on https://gitlab.example.com (gitlab)", "host": "gitlab", "variant": "self-managed", "fields": {"url": "https://gitlab.example.com"}, "server": "https://gitlab.example.com", "user": "jira-bot", "expires_at": "$later", "checked_at": "$checked", "summary": "Ready: this token has what the Jira integration needs.", "outcome": 0}
]}
JSON
HOME=$home LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
	set -eu
	out=$1; gl=$2; glca=$3
	bin/gitpat --tab saved & pid=$!
	win=$(timeout 60 xdotool search --sync --onlyvisible --name "^gitpat\$" | head -n 1)
	sleep 2
	# Scroll to the settings and turn reminders on.
	xdotool mousemove --window "$win" 500 400
	for i in 1 2 3 4 5 6 7 8 9 10; do xdotool click 5; done
	sleep 0.5
	xdotool mousemove --window "$win" 24 660 click 1
	sleep 0.5
	for i in 1 2 3; do xdotool click 5; done
	sleep 0.5
	import -window "$win" "$out/remind-setting.png"
	# "Add reminder to calendar" of the GitLab row: the save dialog.
	for i in 1 2 3 4 5 6 7 8 9 10; do xdotool click 4; done
	sleep 0.5
	xdotool mousemove --window "$win" 310 603 click 1
	sleep 1
	import -window "$win" "$out/calendar-save.png"
	xdotool mousemove --window "$win" 778 597 click 1 # Cancel
	sleep 0.5
	# The GitLab tab: test the fake GitLab token, then Rotate token.
	xdotool mousemove --window "$win" 103 21 click 1
	sleep 1
	xdotool mousemove --window "$win" 590 286 click 1
	sleep 0.5
	xdotool key --window "$win" Tab
	xdotool type --window "$win" --delay 5 "$gl"
	xdotool key --window "$win" Tab
	xdotool type --window "$win" --delay 5 "$glca"
	xdotool key --window "$win" Tab Tab
	xdotool type --window "$win" --delay 5 "glpat-demoTokenScreenshots0"
	xdotool key --window "$win" Return
	sleep 3
	xdotool mousemove --window "$win" 800 650 click 1
	sleep 1
	import -window "$win" "$out/rotate-confirm.png"
	xdotool mousemove --window "$win" 560 483 click 1
	sleep 3
	import -window "$win" "$out/rotated.png"
	kill $pid; wait $pid 2>/dev/null || true
' sh "$out" "$gl" "$glca"
[ -f "$home/.config/autostart/io.github.gitpat.remind.desktop" ] || { echo "screenshots: the setting did not install the autostart entry" >&2; exit 1; }
echo "screenshots: $out/remind-setting.png $out/calendar-save.png $out/rotate-confirm.png $out/rotated.png"
