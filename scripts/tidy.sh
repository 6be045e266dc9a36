#!/usr/bin/env bash
# Runs clang-tidy-14 over every source file of src/ with the checks of .clang-tidy, where every
# warning is an error: exits non-zero on any finding. The compile commands come from a CMake
# configure into build-tidy/ (or $1); nothing is built. ASWG_TIDY_JOBS sets the parallelism (2).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-tidy}
root=$(pwd -P) # CMake records physical paths
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null

# A pattern that matched nothing would pass without checking anything.
files=$(grep -c "\"file\": \"$root/src/" "$dir/compile_commands.json" || true)
if [ "$files" -eq 0 ]; then
  echo "tidy: no file of $root/src in $dir/compile_commands.json" >&2
  exit 1
fi
echo "tidy: $files files"
# run-clang-tidy prints each file's command line, clang's count of (mostly system header)
# warnings and colours: all dropped here. Its exit status is the gate's (pipefail).
run-clang-tidy-14 -p "$dir" -j"${ASWG_TIDY_JOBS:-2}" -quiet "^$root/src/" 2>&1 |
  sed -u -E -e 's/\x1b\[[0-9;]*m//g' -e '/^clang-tidy-14 /d' -e '/^[0-9]+ warnings? generated\.$/d'
echo "tidy: clean"
