# shoot: one screenshot of a fresh gitpat window driven with the keyboard
# alone, for the README. Sourced by scripts/screenshots*.sh, which set
# $home (a throwaway HOME) and $out (where the PNGs go).
#
# shoot NAME TAB WIDTHxHEIGHT PREFERENCES [STEPS [ENV [SAVED]]]: a fresh
# window with those preferences (JSON) on tab TAB, driven by STEPS (one a
# line: "key KEYS", "type TEXT", "sleep SECONDS", "scroll CLICKS", "shot
# NAME" for a further screenshot), then a screenshot NAME.png. ENV
# (NAME=VALUE ...) is set for gitpat only; SAVED is the saved-token list
# file (no secrets) it starts with.
shoot() {
	name=$1 tab=$2 size=$3 json=$4 steps=${5:-} envs=${6:-} saved_list=${7:-}
	prefs=$home/.config/fyne/io.github.gitpat/preferences.json
	rm -rf "$home/.config/fyne" "$home/.config/gitpat"
	mkdir -p "$(dirname "$prefs")" "$home/.config/gitpat"
	printf '%s\n' "$json" > "$prefs"
	[ -z "$saved_list" ] || printf '%s\n' "$saved_list" > "$home/.config/gitpat/saved-tokens.json"
	HOME=$home LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1600x1100x24" sh -c '
		set -eu
		out=$1 name=$2 tab=$3 w=$4 h=$5 steps=$6 envs=$7
		env $envs bin/gitpat --tab "$tab" & pid=$!
		win=$(timeout 60 xdotool search --sync --onlyvisible --name "^gitpat\$" | head -n 1)
		xdotool windowfocus --sync "$win"
		xdotool windowsize "$win" "$w" "$h"
		sleep 2
		printf "%s\n" "$steps" | while read -r cmd arg; do
			case $cmd in
			key) xdotool key $arg ;;
			type) xdotool type --delay 5 "$arg" ;;
			sleep) sleep "$arg" ;;
			scroll) xdotool mousemove --window "$win" 700 400; for i in $(seq "$arg"); do xdotool click --window "$win" 5; done; sleep 1 ;;
			shot) import -window "$win" "$out/$arg.png"; echo "screenshots: $out/$arg.png" ;;
			esac
			sleep 0.2
		done
		import -window "$win" "$out/$name.png"
		kill $pid; wait $pid 2>/dev/null || true
	' sh "$out" "$name" "$tab" "${size%x*}" "${size#*x}" "$steps" "$envs"
	echo "screenshots: $out/$name.png"
}
