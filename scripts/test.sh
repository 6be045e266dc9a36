#!/usr/bin/env bash
# Sets up, builds and runs every test: unit tests (cmocka) and API tests against the real binary,
# in a normal build, again under AddressSanitizer + UndefinedBehaviorSanitizer, and the API tests
# once more under valgrind memcheck (any leak or memory error fails the test that stops aswg).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-ui-tests.sh   # chromium, node, playwright-core: the UI tests (not run under valgrind)

echo "== static analysis (cppcheck)"
cppcheck --quiet --enable=warning,performance,portability --std=c11 -D_GNU_SOURCE -I src --error-exitcode=1 src

echo "== static analysis (clang-tidy)"
bash scripts/tidy.sh build-tidy

echo "== normal build"
bash scripts/build.sh build
(cd build && ctest --output-on-failure --timeout 300 -j2)

echo "== ASan + UBSan build"
bash scripts/build.sh build-asan -DASWG_SANITIZE=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure --timeout 300 -j2)

echo "== API tests under valgrind"
(cd build && ASWG_TEST_WRAPPER="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99" \
  ctest -R '^api_' -E '^api_test_(faults|load)$' --output-on-failure --timeout 600 -j2)
# (not the crash tests, whose kill -9 leaves nothing to check, nor the load test, whose point is
# volume: both run under ASan above, which checks leaks too)

echo "== Debian package: build, install, start as its own user, purge"
bash scripts/test-package.sh build

echo "== fuzz targets (20 s each, two at a time, on top of the committed corpora)"
bash scripts/fuzz.sh "${ASWG_FUZZ_SECONDS:-20}"
