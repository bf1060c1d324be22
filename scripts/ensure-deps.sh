#!/usr/bin/env bash
# Makes sure the test tools exist: Debian's Chromium (for Playwright) and redis-server 7.0 (the oracle of the
# differential suite). As root it installs what is missing with apt; otherwise it says what to install.
set -euo pipefail

need=()
chromium_bin="${TABHIVE_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium_bin" ] || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)

if [ ${#need[@]} -eq 0 ]; then exit 0; fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-deps: installing ${need[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi

echo "ensure-deps: missing ${need[*]}." >&2
echo "  Install them (Debian/Ubuntu): sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
echo "  Or point TABHIVE_CHROMIUM at a Chromium binary and put redis-server 7.0 on PATH." >&2
exit 1
