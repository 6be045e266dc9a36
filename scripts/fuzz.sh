#!/usr/bin/env bash
# Builds the libFuzzer targets under fuzz/ with clang (ASan + UBSan) and runs each for SECONDS
# (default 60) on a scratch copy of its seed corpus, after replaying the committed corpus once.
# Targets run JOBS at a time (default 2, the machine's cores). A crash, leak or sanitizer report
# fails the script; the offending input (crash-*, leak-*) and the target's log stay in build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${FUZZ_JOBS:-2}
out=build-fuzz
mkdir -p "$out"

CC=${FUZZ_CC:-clang-14}
FLAGS=(-g -O1 -std=c17 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)
TARGETS=(properties jwt cfg pbo cron body parsers)

declare -A SOURCES=(
  [properties]="src/core/properties.c"
  [jwt]="src/auth/jwt.c"
  [cfg]="src/core/cfg.c"
  [pbo]="src/missions/pbo.c src/missions/mission_meta.c src/core/cfg.c"
  [cron]="src/core/cron.c"
  [body]="src/http/body.c src/http/reply.c src/http/compress.c src/core/errors.c src/core/json_lenient.c src/settings/settings_fields.c src/core/cfg.c src/core/cron.c"
  [parsers]="src/mods/launcher_preset.c src/server/a2s.c src/server/player_events.c src/mods/mod_meta.c src/core/cfg.c src/core/fs.c src/missions/mission_names.c"
)
declare -A LIBS=(
  [properties]="" [jwt]="-ljansson -lsodium" [cfg]="" [pbo]="-ljansson" [cron]="" [body]="-ljansson -lmicrohttpd -lz -lm" [parsers]=""
)

build_target() {
  # shellcheck disable=SC2086
  "$CC" "${FLAGS[@]}" "fuzz/fuzz_$1.c" ${SOURCES[$1]} ${LIBS[$1]} -o "$out/fuzz_$1"
}

run_target() {
  local target=$1 corpus="corpus_$1" log="fuzz_$1.log"
  rm -rf "${out:?}/$corpus" && mkdir -p "$out/$corpus" && cp -r "fuzz/corpus/$target/." "$out/$corpus/"
  if (cd "$out" && "./fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 "$corpus" >"$log" 2>&1); then
    echo "== fuzz_$target: ${seconds}s clean, $(grep -o 'number_of_executed_units: [0-9]*' "$out/$log" | cut -d' ' -f2) runs"
  else
    echo "== fuzz_$target: FAILED (log: $out/$log)"
    grep -E "^(==|SUMMARY|ERROR)|Test unit written" "$out/$log" | head -20
    return 1
  fi
}

for target in "${TARGETS[@]}"; do build_target "$target"; done
export out seconds
export -f run_target
if ! printf '%s\n' "${TARGETS[@]}" | xargs -P "$jobs" -I{} bash -c 'run_target "$1"' _ {}; then
  echo "fuzz: a target failed" >&2
  exit 1
fi
echo "fuzz: all targets ran clean"
