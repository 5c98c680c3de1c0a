#!/bin/sh
# Screenshots for the README, taken from the real window under Xvfb: every
# tab as it opens, the GitHub tab after testing a token against the fake
# GitHub Enterprise server of the tests (bin/demohost), and the GitLab tab
# after testing one on three projects of its fake GitLab.
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
until [ "$(wc -l < "$home/demo.txt")" -ge 4 ]; do sleep 0.1; done
glurl=$(sed -n 3p "$home/demo.txt")
glca=$(sed -n 4p "$home/demo.txt")
until [ "$(wc -l < "$home/demo.txt")" -ge 6 ]; do sleep 0.1; done
proxy=$(sed -n 5p "$home/demo.txt")
dotcomca=$(sed -n 6p "$home/demo.txt")

HOME=$home LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
	set -eu
	out=$1; url=$2; ca=$3
	bin/gitpat --tab github & pid=$!
	win=$(timeout 60 xdotool search --sync --onlyvisible --name "^gitpat\$" | head -n 1)
	sleep 2
	# Choose GitHub Enterprise Server, then Tab through the form: server
	# URL, CA file, (its button), token; Enter runs the check.
	xdotool mousemove --window "$win" 700 286 click 1
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
# The GitLab tab after testing its token on three projects of the fake
# self-managed GitLab: scrolled to the repositories.
HOME=$home LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
	set -eu
	out=$1; url=$2; ca=$3
	bin/gitpat --tab gitlab & pid=$!
	win=$(timeout 60 xdotool search --sync --onlyvisible --name "^gitpat\$" | head -n 1)
	sleep 2
	# Self-managed GitLab, then each field by its place: server URL, CA
	# file, token, repositories (one per line); then Test token.
	xdotool mousemove --window "$win" 702 286 click 1; sleep 0.5
	xdotool mousemove --window "$win" 840 325 click 1
	xdotool type --window "$win" --delay 5 "$url"
	xdotool mousemove --window "$win" 815 414 click 1
	xdotool type --window "$win" --delay 5 "$ca"
	xdotool mousemove --window "$win" 815 519 click 1
	xdotool type --window "$win" --delay 5 "glpat-demoTokenScreenshots0"
	xdotool mousemove --window "$win" 835 575 click 1
	for repo in acme/platform/api acme/docs; do
		xdotool type --window "$win" --delay 5 "$repo"; xdotool key --window "$win" Return
	done
	xdotool type --window "$win" --delay 5 "acme/legacy"
	xdotool mousemove --window "$win" 565 700 click 1
	sleep 3
	xdotool mousemove --window "$win" 750 400
	for i in $(seq 20); do xdotool click --window "$win" 5; done
	sleep 1
	import -window "$win" "$out/gitlab-repositories.png"
	kill $pid; wait $pid 2>/dev/null || true
' sh "$out" "$glurl" "$glca"
# The GitHub.com tab with three repositories named: one ready, one the
# account may only read, one in an organization whose SAML SSO has not
# authorized the token. demohost plays github.com behind an HTTPS proxy
# that reaches nothing else, with its own CA.
HOME=$home LANG=en_US.UTF-8 HTTPS_PROXY=$proxy SSL_CERT_FILE=$dotcomca xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
	set -eu
	out=$1
	bin/gitpat --tab github & pid=$!
	win=$(timeout 60 xdotool search --sync --onlyvisible --name "^gitpat\$" | head -n 1)
	sleep 2
	# GitHub.com is chosen: the token, then the repositories, one a line.
	xdotool mousemove --window "$win" 820 325 click 1
	xdotool type --window "$win" --delay 5 "demo-token-for-screenshots"
	xdotool mousemove --window "$win" 838 380 click 1
	for repo in acme-corp/jira-sync acme-corp/handbook; do
		xdotool type --window "$win" --delay 5 "$repo"
		xdotool key --window "$win" Return
	done
	xdotool type --window "$win" --delay 5 "octo-labs/lab"
	xdotool mousemove --window "$win" 564 506 click 1
	sleep 3
	import -window "$win" "$out/github-repositories.png"
	# Then down to the repositories'"'"' own sections: abilities and fixes.
	xdotool mousemove --window "$win" 750 400
	for i in $(seq 30); do xdotool click --window "$win" 5; done
	sleep 1
	import -window "$win" "$out/github-repositories-detail.png"
	kill $pid; wait $pid 2>/dev/null || true
' sh "$out"
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
echo "screenshots: $out/github-result.png $out/github-repositories.png $out/github-repositories-detail.png $out/gitlab-repositories.png $out/saved.png"
