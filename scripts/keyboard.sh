#!/bin/sh
# Drives the real window under Xvfb with the keyboard alone (xdotool key:
# no mouse, no typing tool), taking a screenshot at each step in OUTDIR:
# from start to a tested, copied and saved token on the GitHub Enterprise
# demo server (bin/demohost), through every tab to Saved tokens and its
# settings, the http:// dialog, an enlarged drawing and a restart that
# remembers the server. A real keyring (GNOME Keyring on a private D-Bus
# session) takes the saved token. It fails when a screenshot is blank or
# a secret reaches the preferences file.
# Usage: scripts/keyboard.sh OUTDIR
set -eu
out=${1:-out/keyboard}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
home=$(mktemp -d)
bin/demohost > "$home/demo.txt" &
demo=$!
trap 'kill $demo 2>/dev/null || true; rm -rf "$home"' EXIT
until [ -f "$home/demo.txt" ] && [ "$(wc -l < "$home/demo.txt")" -ge 2 ]; do sleep 0.1; done
url=$(sed -n 1p "$home/demo.txt")
ca=$(sed -n 2p "$home/demo.txt")
token=demo-token-for-screenshots

export HOME="$home" LANG=en_US.UTF-8 XDG_RUNTIME_DIR="$home/run" XDG_DATA_HOME="$home/data"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
dbus-run-session -- sh -c '
	printf "gitpat-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	exec xvfb-run -a -s "-screen 0 1280x800x24" sh scripts/keyboard-steps.sh "$@"
' sh "$out" "$url" "$ca" "$token"

prefs="$home/.config/fyne/io.github.gitpat/preferences.json"
if grep -q "$token" "$prefs"; then
	echo "keyboard: the token is in the preferences file" >&2
	exit 1
fi
grep -q "$url" "$prefs" || { echo "keyboard: the server URL was not remembered" >&2; exit 1; }
# What the keys did: the token saved (its entry in the list, not the
# token), and the light scheme chosen.
grep -q '"octocat"' "$home/.config/gitpat/saved-tokens.json" ||
	{ echo "keyboard: Save to keyring did not save the token" >&2; exit 1; }
grep -Eq '"theme": ?"light"' "$prefs" || { echo "keyboard: the light scheme was not chosen" >&2; exit 1; }
for f in "$out"/*.png; do
	colours=$(identify -format "%k" "$f")
	[ "$colours" -gt 50 ] || { echo "keyboard: $f looks blank" >&2; exit 1; }
done
echo "keyboard: $(ls "$out" | wc -l) screenshots in $out; copied, saved and recoloured by keys; no secret in the preferences"
