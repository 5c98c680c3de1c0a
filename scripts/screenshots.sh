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
echo "screenshots: $out/github-result.png"
