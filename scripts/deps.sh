#!/bin/sh
# Installs the Debian packages named as arguments, but only those missing,
# so a warm machine spends no time in apt. Needs root or sudo.
set -eu
# Only Debian and Ubuntu need (and have) apt; Windows and macOS build
# machines bring what they need (Go, a C compiler) themselves.
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "Installing:$missing"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "Run as root, or install:$missing" >&2; exit 1; }
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends --no-upgrade $missing
