#!/usr/bin/env bash
# Builds the libFuzzer targets under fuzz/ with clang (ASan + UBSan) and runs each for SECONDS
# (default 60) on a scratch copy of its seed corpus, after replaying the committed corpus once.
# A crash, leak or sanitizer report fails the script; the offending input is kept in build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=build-fuzz
mkdir -p "$out"

CC=${FUZZ_CC:-clang-14}
FLAGS=(-g -O1 -std=c17 -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)

declare -A SOURCES=(
  [properties]="src/core/properties.c"
  [jwt]="src/auth/jwt.c"
  [cfg]="src/core/cfg.c"
  [pbo]="src/missions/pbo.c src/missions/mission_meta.c src/core/cfg.c"
  [cron]="src/core/cron.c"
  [body]="src/http/body.c src/http/reply.c src/core/errors.c src/core/json_lenient.c src/settings/settings_fields.c src/core/cfg.c src/core/cron.c"
  [parsers]="src/mods/launcher_preset.c src/server/a2s.c src/server/player_events.c src/mods/mod_meta.c src/core/cfg.c src/core/fs.c src/missions/mission_names.c"
)
declare -A LIBS=(
  [properties]="" [jwt]="-ljansson -lsodium" [cfg]="" [pbo]="-ljansson" [cron]="" [body]="-ljansson -lmicrohttpd -lm" [parsers]=""
)

for target in properties jwt cfg pbo cron body parsers; do
  bin="$out/fuzz_$target"
  # shellcheck disable=SC2086
  "$CC" "${FLAGS[@]}" "fuzz/fuzz_$target.c" ${SOURCES[$target]} ${LIBS[$target]} -o "$bin"
  corpus="$out/corpus_$target"
  rm -rf "$corpus" && mkdir -p "$corpus" && cp -r "fuzz/corpus/$target/." "$corpus/"
  echo "== fuzz_$target: ${seconds}s"
  (cd "$out" && "./fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 "corpus_$target" 2>&1 |
     grep -E "^(stat::number_of_executed_units|==|SUMMARY|ERROR)|Done [0-9]+ runs" | tail -3)
done
echo "fuzz: all targets ran clean"
