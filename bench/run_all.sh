#!/usr/bin/env bash
# Runs every benchmark against build/aswg (or the binary given) and prints their tables, each
# figure next to its baseline measured in the same run. Needs nginx-light and wrk for the mission
# list benchmark (installed when missing). Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")"
bin=${1:-../build/aswg}
for p in nginx-light wrk curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null
done
echo "## startup, RSS, logins";            python3 startup.py "$bin"
echo; echo "## GET /missions, 1,000 missions"; python3 missions_list.py "$bin" 1000
echo; echo "## GET /missions, 10,000 missions"; python3 missions_list.py "$bin" 10000
echo; echo "## 1 GiB upload";                  python3 upload.py "$bin"
echo; echo "## 8 parallel 200 MB uploads";     python3 parallel_uploads.py "$bin" 8 200
echo; echo "## 10,000 missions: scan";         python3 scan.py "$bin" 10000
echo; echo "## 10,000 missions: start, logins"; python3 start_10k.py "$bin" 10000
echo; echo "## cron";                          gcc -O2 -std=c17 -D_GNU_SOURCE -I../src cron_bench.c ../src/core/cron.c -o /tmp/aswg-cron-bench && /tmp/aswg-cron-bench
