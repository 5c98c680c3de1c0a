#!/bin/sh
# Screenshots for the README, taken from the real window under Xvfb: every
# tab as it opens, and the GitHub tab after testing a token against the
# fake GitHub Enterprise server of the tests (bin/demohost).
# Usage: scripts/screenshots.sh OUTDIR
set -eu
out=${1:-docs/screenshots}
sh scripts/e2e.sh "$out"

home=$(mktemp -d)
trap 'kill $demo 2>/dev/null || true; rm -rf "$home"' EXIT
bin/demohost > "$home/demo.txt" &
demo=$!
until [ -f "$home/demo.txt" ] && [ "$(wc -l < "$home/demo.txt")" -ge 2 ]; do sleep 0.1; done
url=$(sed -n 1p "$home/demo.txt")
ca=$(sed -n 2p "$home/demo.txt")

HOME=$home LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
	set -eu
	out=$1; url=$2; ca=$3
	bin/gitpat --tab github & pid=$!
	win=$(timeout 60 xdotool search --sync --onlyvisible --name "^gitpat\$" | head -n 1)
	sleep 2
	# Choose GitHub Enterprise Server, then Tab through the form: server
	# URL, CA file, (its button), token; Enter runs the check.
	xdotool mousemove --window "$win" 590 286 click 1
	sleep 0.5
	xdotool key --window "$win" Tab
	xdotool type --window "$win" --delay 5 "$url"
	xdotool key --window "$win" Tab
	xdotool type --window "$win" --delay 5 "$ca"
	xdotool key --window "$win" Tab Tab
	xdotool type --window "$win" --delay 5 "demo-token-for-screenshots"
	xdotool key --window "$win" Return
	sleep 3
	import -window "$win" "$out/github-result.png"
	kill $pid; wait $pid 2>/dev/null || true
' sh "$out" "$url" "$ca"
# The Saved tokens tab, from a saved list (no secrets) of two tokens, one
# of them expiring in five days: gitpat flags it at start.
soon=$(date -u -d "+5 days" +%Y-%m-%dT12:00:00Z)
later=$(date -u -d "+200 days" +%Y-%m-%dT12:00:00Z)
checked=$(date -u -d "-1 day" +%Y-%m-%dT09:30:00Z)
mkdir -p "$home/.config/fyne/io.github.gitpat"
cat > "$home/.config/fyne/io.github.gitpat/preferences.json" <<JSON
{"saved.tokens": "[{\\"account\\":\\"octocat on https://github.com (github)\\",\\"host\\":\\"github\\",\\"variant\\":\\"github.com\\",\\"fields\\":{},\\"server\\":\\"https://github.com\\",\\"user\\":\\"octocat\\",\\"expires_at\\":\\"$soon\\",\\"checked_at\\":\\"$checked\\",\\"summary\\":\\"Ready: this token has what the Jira integration needs.\\",\\"outcome\\":0},{\\"account\\":\\"jira-bot on https://gitlab.example.com (gitlab)\\",\\"host\\":\\"gitlab\\",\\"variant\\":\\"self-managed\\",\\"fields\\":{\\"url\\":\\"https://gitlab.example.com\\"},\\"server\\":\\"https://gitlab.example.com\\",\\"user\\":\\"jira-bot\\",\\"expires_at\\":\\"$later\\",\\"checked_at\\":\\"$checked\\",\\"summary\\":\\"Ready: this token has what the Jira integration needs.\\",\\"outcome\\":0}]"}
JSON
HOME=$home LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
	set -eu
	bin/gitpat --tab saved & pid=$!
	win=$(timeout 60 xdotool search --sync --onlyvisible --name "^gitpat\$" | head -n 1)
	sleep 2
	import -window "$win" "$1/saved.png"
	kill $pid; wait $pid 2>/dev/null || true
' sh "$out"
echo "screenshots: $out/github-result.png $out/saved.png"
