#!/bin/sh
# Installs what ATIS needs from Debian's archive and the npm registry; as a
# normal user it prints the command instead.
#   deps.sh        what building and running need (make run)
#   deps.sh test   also what the tests and benchmarks need (make check)
set -eu
cd "$(dirname "$0")/.."
PKGS="build-essential pkg-config gettext libmicrohttpd-dev libsqlite3-dev
libsodium-dev libjansson-dev libcmark-dev libgettextpo-dev liboath-dev
libmagic-dev libinih-dev libcurl4-openssl-dev libqrencode-dev zlib1g-dev"
if [ "${1:-}" = test ]; then
	PKGS="$PKGS sqlite3 libcmocka-dev wrk chromium nodejs npm clang
libclang-rt-14-dev"
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	# nodejs and npm may come from elsewhere: accept working commands.
	m2=""
	for p in $missing; do
		case $p in
		nodejs) command -v node >/dev/null 2>&1 && continue ;;
		npm) command -v npm >/dev/null 2>&1 && continue ;;
		esac
		m2="$m2 $p"
	done
	missing=$m2
fi
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "deps: installing$missing"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
	else
		echo "deps: missing Debian packages. Run as root:"
		echo "  apt-get install -y$missing"
		exit 1
	fi
fi
# The browser tests' npm packages (playwright-core, axe-core), pinned by
# tests/browser/package-lock.json.  Playwright never downloads a browser
# here: it drives Debian's /usr/bin/chromium.
if [ "${1:-}" = test ] && [ ! -d tests/browser/node_modules ]; then
	if [ -w tests/browser ]; then
		(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
	else
		echo "deps: run (cd tests/browser && npm ci)"
		exit 1
	fi
fi
