#!/usr/bin/env bash
# Builds the Debian package, installs it, checks the unit file, starts the installed binary as
# the package's aswg user (as systemd would, WorkingDirectory /var/lib/aswg), asks it for its
# health, stops it and purges the package again. Needs root (CI runs as root); skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "test-package: not root, skipped"
  exit 0
fi
if dpkg-query -W -f='${Status}' aswg 2>/dev/null | grep -q "install ok installed"; then
  echo "test-package: an aswg package is installed on this machine already; skipped so as not to touch it"
  exit 0
fi
build=${1:-build}
(cd "$build" && rm -f aswg_*.deb && cpack -G DEB >/dev/null)
deb=$(ls "$build"/aswg_*_*.deb)
log=$(mktemp)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  dpkg -P aswg >/dev/null 2>&1 || true
  rm -f "$log"
}
trap cleanup EXIT

dpkg -i "$deb" >/dev/null
getent passwd aswg >/dev/null || { echo "test-package: no aswg user after install"; exit 1; }
[ "$(stat -c %U /var/lib/aswg)" = aswg ] || { echo "test-package: /var/lib/aswg not owned by aswg"; exit 1; }
/usr/bin/aswg --version
systemd-analyze verify /lib/systemd/system/aswg.service

cd /var/lib/aswg
env HOME=/var/lib/aswg setpriv --reuid=aswg --regid=aswg --init-groups /usr/bin/aswg --config-dir /var/lib/aswg --port 0 --bind 127.0.0.1 >"$log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(grep -o 'listening on http://[^ ]*:[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "test-package: aswg did not start:"; cat "$log"; exit 1; }
python3 - "$port" <<'PY'
import json, sys, urllib.request
body = json.load(urllib.request.urlopen("http://127.0.0.1:%s/api/v1/actuator/health" % sys.argv[1], timeout=5))
assert body["status"] == "UP", body
PY
[ -f /var/lib/aswg/aswg-config.properties ] && [ -f /var/lib/aswg/data/aswg.db ] ||
  { echo "test-package: config or database missing in /var/lib/aswg"; exit 1; }
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=""
[ "$rc" -eq 0 ] || { echo "test-package: aswg exited with $rc on SIGTERM:"; cat "$log"; exit 1; }
echo "test-package: the package installs, starts as user aswg, answers its health check and stops cleanly"
