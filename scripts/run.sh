#!/usr/bin/env bash
# Sets up, builds and starts aswg on its defaults (SQLite in ./data, http://0.0.0.0:8085).
# Arguments go to aswg (e.g. --port 9000, --config-dir /etc/aswg).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh build
exec ./build/aswg "$@"
