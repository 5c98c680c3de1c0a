#!/bin/sh
# Starts bin/gitpat as a real window under Xvfb once per tab, waits until
# the window is shown, takes a screenshot and checks something was painted.
# Usage: scripts/e2e.sh OUTDIR [TAB...]
set -eu
out=${1:-out}
shift || true
tabs=${*:-github gitlab azure-devops tfs azure-devops-server codecommit bitbucket bitbucket-datacenter gerrit}
mkdir -p "$out"
bin=$(pwd)/bin/gitpat
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT

# xvfb-run picks a free display and gives the app a private X server.
HOME=$home LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
	set -eu
	out=$1; bin=$2; shift 2
	for tab in "$@"; do
		"$bin" --tab "$tab" & pid=$!
		win=$(timeout 60 xdotool search --sync --onlyvisible --name "^gitpat\$" | head -n 1) || true
		[ -n "$win" ] || { echo "e2e: no gitpat window for $tab" >&2; kill $pid; exit 1; }
		sleep 2 # let the first frames paint
		kill -0 $pid || { echo "e2e: gitpat exited" >&2; exit 1; }
		import -window "$win" "$out/$tab.png"
		kill $pid; wait $pid 2>/dev/null || true
	done
' sh "$out" "$bin" $tabs

for f in "$out"/*.png; do
	colours=$(identify -format "%k" "$f")
	echo "e2e: $f $(identify -format "%wx%h" "$f"), $colours colours"
	[ "$colours" -gt 50 ] || { echo "e2e: $f looks blank" >&2; exit 1; }
done
