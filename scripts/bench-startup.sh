#!/bin/sh
# Start-up benchmark: bin/gitpat against the floor (internal/floorapp, a
# one-label Fyne window built the same way), alternating, under Xvfb, at
# scale 1 and at FYNE_SCALE=2. internal/startbench measures each run (exec
# to the window mapped and first painted, RSS 2 s after exec and after
# visiting every tab) and prints medians and the median of the pairs'
# ratios. The machine is shared: the load average is printed with each
# table; rerun when it was high.
# Usage: scripts/bench-startup.sh [PAIRS]
set -eu
pairs=${1:-9}
go build -o bin/startbench ./internal/startbench
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
for scale in 1 2; do
	HOME=$home LANG=en_US.UTF-8 FYNE_SCALE=$scale xvfb-run -a -s "-screen 0 2560x1600x24" \
		bin/startbench -pairs "$pairs" -floor bin/floorapp -app bin/gitpat -label "at scale $scale"
	echo
done
