#!/bin/sh
# Screenshots for the README, taken from the real window under Xvfb: every
# tab as it opens; the GitHub tab after testing a token against the fake
# GitHub Enterprise server of the tests (bin/demohost); Saved tokens with
# one token expiring; and the same at 800x600 and in the light theme.
# Usage: scripts/screenshots.sh OUTDIR
set -eu
out=${1:-docs/screenshots}
sh scripts/e2e.sh "$out"
out=$(cd "$out" && pwd)

home=$(mktemp -d)
trap 'kill $demo 2>/dev/null || true; rm -rf "$home"' EXIT
bin/demohost > "$home/demo.txt" &
demo=$!
until [ -f "$home/demo.txt" ] && [ "$(wc -l < "$home/demo.txt")" -ge 2 ]; do sleep 0.1; done
url=$(sed -n 1p "$home/demo.txt")
ca=$(sed -n 2p "$home/demo.txt")
prefs=$home/.config/fyne/io.github.gitpat/preferences.json
mkdir -p "$(dirname "$prefs")"

# A saved list (no secrets) of two tokens, one of them expiring in five
# days: gitpat flags it at start.
soon=$(date -u -d "+5 days" +%Y-%m-%dT12:00:00Z)
later=$(date -u -d "+200 days" +%Y-%m-%dT12:00:00Z)
checked=$(date -u -d "-1 day" +%Y-%m-%dT09:30:00Z)
saved="[{\\\"account\\\":\\\"octocat on https://github.com (github)\\\",\\\"host\\\":\\\"github\\\",\\\"variant\\\":\\\"github.com\\\",\\\"fields\\\":{},\\\"server\\\":\\\"https://github.com\\\",\\\"user\\\":\\\"octocat\\\",\\\"expires_at\\\":\\\"$soon\\\",\\\"checked_at\\\":\\\"$checked\\\",\\\"summary\\\":\\\"Ready: this token has what the Jira integration needs.\\\",\\\"outcome\\\":0},{\\\"account\\\":\\\"jira-bot on https://gitlab.example.com (gitlab)\\\",\\\"host\\\":\\\"gitlab\\\",\\\"variant\\\":\\\"self-managed\\\",\\\"fields\\\":{\\\"url\\\":\\\"https://gitlab.example.com\\\"},\\\"server\\\":\\\"https://gitlab.example.com\\\",\\\"user\\\":\\\"jira-bot\\\",\\\"expires_at\\\":\\\"$later\\\",\\\"checked_at\\\":\\\"$checked\\\",\\\"summary\\\":\\\"Ready: this token has what the Jira integration needs.\\\",\\\"outcome\\\":0}]"

# shoot NAME TAB WIDTHxHEIGHT PREFERENCES [test]: one screenshot of a fresh
# window with those preferences; with "test", after choosing the
# Enterprise server and testing the demo token with the keyboard.
shoot() {
	name=$1 tab=$2 size=$3 json=$4 act=${5:-}
	rm -rf "$home/.config/fyne"
	mkdir -p "$(dirname "$prefs")"
	printf '%s\n' "$json" > "$prefs"
	HOME=$home LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1600x1100x24" sh -c '
		set -eu
		out=$1 name=$2 tab=$3 w=$4 h=$5 act=$6 url=$7 ca=$8
		bin/gitpat --tab "$tab" & pid=$!
		win=$(timeout 60 xdotool search --sync --onlyvisible --name "^gitpat\$" | head -n 1)
		xdotool windowfocus --sync "$win"
		xdotool windowsize "$win" "$w" "$h"
		sleep 2
		if [ "$act" = test ]; then
			# The server choice has the focus: Enterprise Server, then Tab
			# to the server URL, the CA file, Choose…, Open token page and
			# the token; Enter tests it.
			xdotool key Down Tab
			xdotool type --delay 5 "$url"
			xdotool key Tab
			xdotool type --delay 5 "$ca"
			xdotool key Tab Tab Tab
			xdotool type --delay 5 "demo-token-for-screenshots"
			xdotool key Return
			sleep 3
		fi
		import -window "$win" "$out/$name.png"
		kill $pid; wait $pid 2>/dev/null || true
	' sh "$out" "$name" "$tab" "${size%x*}" "${size#*x}" "$act" "$url" "$ca"
	echo "screenshots: $out/$name.png"
}

shoot github-result github 1000x720 '{}' test
shoot saved saved 1000x720 "{\"saved.tokens\": \"$saved\"}"
shoot github-800x600 github 800x600 '{}'
shoot codecommit-800x600 codecommit 800x600 '{}'
shoot github-result-light github 1000x720 '{"theme": "light"}' test
shoot azure-devops-light azure-devops 1000x720 '{"theme": "light"}'
shoot saved-light saved 1000x720 "{\"theme\": \"light\", \"saved.tokens\": \"$saved\"}"
