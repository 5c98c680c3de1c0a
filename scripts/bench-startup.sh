#!/bin/sh
# Start-up benchmark: time from exec to the window being mapped and painted
# under Xvfb, and RSS 2 s later, for bin/gitpat against the floor (a
# one-label Fyne app built the same way). Runs alternate; prints medians.
# Usage: scripts/bench-startup.sh [RUNS]
set -eu
runs=${1:-7}
bin=$(pwd)/bin
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" LANG=en_US.UTF-8

xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
	set -eu
	bin=$1; runs=$2
	# measure APP: prints "ms rss_kib" for one run.
	measure() {
		shot=$(mktemp --suffix=.png)
		t0=$(date +%s%N)
		"$bin/$1" 2>>"$HOME/$1.log" & pid=$!
		# Mapped: poll every 10 ms (xdotool --sync polls only every 500 ms).
		win=""
		while [ -z "$win" ]; do
			kill -0 $pid 2>/dev/null || { echo "bench: $1 exited before showing a window; see its log" >&2; tail -5 "$HOME/$1.log" >&2; exit 1; }
			win=$(xdotool search --onlyvisible --name "^gitpat\$" 2>/dev/null | head -n 1) || true
			[ -n "$win" ] || sleep 0.01
		done
		# Painted: the window shows more than a blank background.
		while :; do
			import -window "$win" "$shot" 2>/dev/null || true
			[ "$(identify -format %k "$shot" 2>/dev/null || echo 0)" -gt 8 ] && break
		done
		t1=$(date +%s%N)
		sleep 2
		rss=$(awk "/^VmRSS/ {print \$2}" /proc/$pid/status)
		kill $pid; wait $pid 2>/dev/null || true
		rm -f "$shot"
		echo $(( (t1 - t0) / 1000000 )) $rss
	}
	i=0
	while [ $i -lt $runs ]; do
		echo "floorapp $(measure floorapp)"
		echo "gitpat $(measure gitpat)"
		i=$((i + 1))
	done
' sh "$bin" "$runs" > "$home/runs.txt"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
f_ms=$(awk '$1=="floorapp" {print $2}' "$home/runs.txt" | median)
g_ms=$(awk '$1=="gitpat" {print $2}' "$home/runs.txt" | median)
f_rss=$(awk '$1=="floorapp" {print $3}' "$home/runs.txt" | median)
g_rss=$(awk '$1=="gitpat" {print $3}' "$home/runs.txt" | median)
printf '%-28s %10s %10s %8s\n' "start-up ($runs runs each)" "floor" "gitpat" "ratio"
printf '%-28s %10s %10s %8s\n' "window painted (ms, median)" "$f_ms" "$g_ms" "$(awk "BEGIN {printf \"%.2f\", $g_ms/$f_ms}")"
printf '%-28s %10s %10s %8s\n' "RSS after 2 s (MiB, median)" "$((f_rss / 1024))" "$((g_rss / 1024))" "$(awk "BEGIN {printf \"%.2f\", $g_rss/$f_rss}")"
