#!/bin/sh
# The steps of scripts/keyboard.sh, run inside its X server: each key
# press goes to the focused gitpat window through XTEST, as from a real
# keyboard. Usage: keyboard-steps.sh OUTDIR URL CAFILE TOKEN
set -eu
out=$1 url=$2 ca=$3 token=$4
n=0
win=

start() {
	bin/gitpat --tab "$1" & pid=$!
	win=$(timeout 60 xdotool search --sync --onlyvisible --name "^gitpat\$" | head -n 1)
	[ -n "$win" ] || { echo "keyboard: no gitpat window" >&2; exit 1; }
	xdotool windowfocus --sync "$win"
	sleep 2
}

stop() {
	kill "$pid"
	wait "$pid" 2>/dev/null || true
}

# press sends keys one after the other.
press() {
	for k in "$@"; do
		xdotool key "$k"
		sleep 0.25
	done
}

# write types text by pressing one key per character.
write() {
	s=$1 keys=
	while [ -n "$s" ]; do
		c=${s%"${s#?}"}
		s=${s#?}
		case $c in
		[A-Za-z0-9]) k=$c ;;
		:) k=colon ;;
		/) k=slash ;;
		.) k=period ;;
		-) k=minus ;;
		_) k=underscore ;;
		*) echo "keyboard: cannot type $c" >&2; exit 1 ;;
		esac
		keys="$keys $k"
	done
	# shellcheck disable=SC2086
	xdotool key --delay 15 $keys
	sleep 0.3
}

# clipboard_is fails the run unless the clipboard holds the token (which
# it does not print).
clipboard_is() {
	sleep 0.5
	[ "$(xclip -o -selection clipboard 2>/dev/null)" = "$token" ] ||
		{ echo "keyboard: after $1 the clipboard does not hold the token" >&2; exit 1; }
}

shot() {
	sleep "${2:-1}"
	n=$((n + 1))
	f=$(printf "%s/%02d-%s.png" "$out" "$n" "$1")
	import -window "$win" "$f"
	echo "keyboard: $(basename "$f")"
}

start github
shot start-focus-on-server-choice
press Down
shot enterprise-chosen-with-arrow
press Tab
write "$url"
shot server-url-typed
press Tab
write "$ca"
press Tab
shot choose-button-focused
press Return
shot file-picker-open 1
press Escape
shot file-picker-closed-by-esc
press Tab
shot open-token-page-focused
press Tab
write "$token"
shot token-typed
press Return
shot result-after-enter 2
# From the token: the repositories, Test token, the result's own button,
# then Copy token.
press Tab Tab Tab Tab
shot copy-token-focused
press Return
clipboard_is "Copy token"
shot token-copied
press Tab
shot save-focused
press Return
shot saved-to-keyring 1.5
for t in gitlab azure-devops tfs azure-devops-server codecommit bitbucket bitbucket-datacenter gerrit saved; do
	press ctrl+Tab
	shot "ctrl-tab-to-$t"
done
# In the saved token's row: past Re-check all to Re-check, then Copy
# token, with something else on the clipboard first.
press Tab
shot saved-row-recheck-focused
press Tab
printf 'something else' | xclip -selection clipboard
press Return
clipboard_is "the saved row's Copy token"
shot saved-copy-pressed 1
press ctrl+Tab
shot ctrl-tab-wraps-to-github
press ctrl+shift+Tab
shot ctrl-shift-tab-back-to-saved-focus-kept
# Settings: the colour scheme, through the select's list: past the row's
# Add reminder to calendar, How to renew and Delete, and the clipboard
# delay.
press Tab Tab Tab Tab Tab
shot colours-select-focused
press Return
shot colours-list-open
press Down Down Return
shot light-theme-chosen 2
press alt+1
shot alt-1-github-light 3
# The http:// dialog: Cancel is the default, Esc declines.
press alt+4
sleep 2
write "http://127.0.0.1:9/tfs/DefaultCollection"
press Tab Tab Tab Tab
write "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst"
press Return
shot http-dialog-cancel-default 1.5
press Escape
shot http-declined-note-under-url
# A drawing, reached backwards from the first control of a tab, enlarged
# and closed.
press alt+2
sleep 2
press shift+Tab
shot last-drawing-focused
press Return
shot drawing-enlarged
press Escape
shot drawing-closed-by-esc
# At 800x600 every tab is still there.
xdotool windowsize "$win" 800 600
shot gitlab-at-800x600 1
press alt+6
shot codecommit-at-800x600 3
stop

# A restart remembers the server and the CA file, not the token.
start github
shot restart-remembers-server
stop
