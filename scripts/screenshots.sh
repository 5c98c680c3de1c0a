#!/bin/sh
# Screenshots for the README, taken from the real window under Xvfb: every
# tab as it opens; the GitHub tab after testing a token against the fake
# GitHub Enterprise server of the tests (bin/demohost); Saved tokens with
# one token expiring; the same at 800x600 and in the light theme; and the
# repositories named on GitHub.com and a self-managed GitLab.
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
until [ "$(wc -l < "$home/demo.txt")" -ge 6 ]; do sleep 0.1; done
glurl=$(sed -n 3p "$home/demo.txt")
glca=$(sed -n 4p "$home/demo.txt")
proxy=$(sed -n 5p "$home/demo.txt")
dotcomca=$(sed -n 6p "$home/demo.txt")

# A saved list (no secrets) of two tokens, one of them expiring in five
# days: gitpat flags it at start.
soon=$(date -u -d "+5 days" +%Y-%m-%dT12:00:00Z)
later=$(date -u -d "+200 days" +%Y-%m-%dT12:00:00Z)
checked=$(date -u -d "-1 day" +%Y-%m-%dT09:30:00Z)
saved="[{\\\"account\\\":\\\"octocat on https://github.com (github)\\\",\\\"host\\\":\\\"github\\\",\\\"variant\\\":\\\"github.com\\\",\\\"fields\\\":{},\\\"server\\\":\\\"https://github.com\\\",\\\"user\\\":\\\"octocat\\\",\\\"expires_at\\\":\\\"$soon\\\",\\\"checked_at\\\":\\\"$checked\\\",\\\"summary\\\":\\\"Ready: this token has what the Jira integration needs.\\\",\\\"outcome\\\":0},{\\\"account\\\":\\\"jira-bot on https://gitlab.example.com (gitlab)\\\",\\\"host\\\":\\\"gitlab\\\",\\\"variant\\\":\\\"self-managed\\\",\\\"fields\\\":{\\\"url\\\":\\\"https://gitlab.example.com\\\"},\\\"server\\\":\\\"https://gitlab.example.com\\\",\\\"user\\\":\\\"jira-bot\\\",\\\"expires_at\\\":\\\"$later\\\",\\\"checked_at\\\":\\\"$checked\\\",\\\"summary\\\":\\\"Ready: this token has what the Jira integration needs.\\\",\\\"outcome\\\":0}]"

. scripts/shoot.sh

# The server choice has the focus: Enterprise Server, then Tab to the
# server URL, the CA file, Choose…, Open token page and the token; Enter
# tests it.
ghes="key Down Tab
type $url
key Tab
type $ca
key Tab Tab Tab
type demo-token-for-screenshots
key Return
sleep 3"
shoot github-result github 1000x720 '{}' "$ghes"
shoot saved saved 1000x720 "{\"saved.tokens\": \"$saved\"}"
shoot github-800x600 github 800x600 '{}'
shoot codecommit-800x600 codecommit 800x600 '{}'
shoot github-result-light github 1000x720 '{"theme": "light"}' "$ghes"
shoot azure-devops-light azure-devops 1000x720 '{"theme": "light"}'
shoot saved-light saved 1000x720 "{\"theme\": \"light\", \"saved.tokens\": \"$saved\"}"

# Self-managed GitLab with three projects named (one ready, one where the
# user is a Reporter, one archived), scrolled to their sections.
shoot gitlab-repositories gitlab 1000x720 '{}' "key Down Tab
type $glurl
key Tab
type $glca
key Tab Tab Tab
type glpat-demo-for-screenshots-0
key Tab
type acme/platform/api
key Return
type acme/docs
key Return
type acme/legacy
key Tab Return
sleep 3
scroll 25"

# GitHub.com with three repositories named: one ready, one the account
# may only read, one in an organization whose SAML SSO has not authorized
# the token. demohost plays github.com behind an HTTPS proxy that reaches
# nothing else, with its own CA.
shoot github-repositories-detail github 1000x720 '{}' "key Tab Tab
type demo-token-for-screenshots
key Tab
type acme-corp/jira-sync
key Return
type acme-corp/handbook
key Return
type octo-labs/lab
key Tab Return
sleep 3
shot github-repositories
scroll 30" "HTTPS_PROXY=$proxy SSL_CERT_FILE=$dotcomca"
