#!/usr/bin/env bash
# Sets up, builds and runs every test: unit tests (cmocka) and API tests against the real binary,
# once in a normal build and once under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

bash scripts/build.sh build
(cd build && ctest --output-on-failure --timeout 300 -j2)

bash scripts/build.sh build-asan -DASWG_SANITIZE=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure --timeout 300 -j2)
