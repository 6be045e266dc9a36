#!/usr/bin/env bash
# Installs what the browser tests of the web UI (tests/ui) need: Debian's chromium, Node.js and
# npm if missing, and the pinned playwright-core (npm ci in tests/ui, skipped when it is there).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup-ui-tests: run as root or install sudo" >&2; exit 1; }
  SUDO=sudo
fi

missing=()
for p in chromium fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from another repository than Debian's (which names npm separately).
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-ui-tests: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

wanted=$(node -p "require('./tests/ui/package.json').devDependencies['playwright-core']")
have=$(node -p "try { require('./tests/ui/node_modules/playwright-core/package.json').version } catch { '' }")
if [ "$wanted" != "$have" ]; then
  echo "setup-ui-tests: npm ci in tests/ui (playwright-core $wanted)"
  (cd tests/ui && npm ci --no-audit --no-fund --loglevel=error)
fi
