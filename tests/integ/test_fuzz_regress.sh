#!/usr/bin/env bash
# test_fuzz_regress.sh -- replays every fuzz corpus and regression input
# (tests/fuzz/corpus/T/*, tests/fuzz/regress/T/*) through its harness,
# built WITHOUT libFuzzer: tests/fuzz/fuzz_T.c + tests/fuzz/standalone.c
# with gcc -fsanitize=address,undefined, so it runs where clang is
# missing. The harness must exit 0 with no sanitizer report (a crash, a
# leak, undefined behaviour or a broken contract check all fail it); a
# failing target is re-run one input at a time and each culprit is one
# failure. Targets and sources: tests/fuzz/targets.
source "$(dirname "$0")/lib.sh"

CC_FUZZ=${CC_FUZZ:-gcc}
BIN_DIR="$T_TMP/fuzz-bin"
mkdir -p "$BIN_DIR"
PKGS="libwebsockets libcjson sqlite3 libpcre2-8 liburiparser libcrypto"
SAN="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all
     -fno-omit-frame-pointer"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=66
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$ROOT" || exit 1

while read -r name maxlen srcs; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  : "$maxlen"
  bin="$BIN_DIR/fuzz_$name"
  # shellcheck disable=SC2086
  if ! $CC_FUZZ -std=c11 -D_GNU_SOURCE -O1 -g $SAN -Wall -Wextra \
       -o "$bin" tests/fuzz/fuzz_$name.c tests/fuzz/standalone.c \
       $(eval echo "$srcs") $(pkg-config --cflags --libs $PKGS) \
       -lpthread -lm >"$T_TMP/build-$name.log" 2>&1; then
    nok "$name: harness builds" "$(head -n 20 "$T_TMP/build-$name.log")"
    continue
  fi
  ok "$name: harness builds"
  files=()
  for f in tests/fuzz/corpus/$name/* tests/fuzz/regress/$name/*; do
    [[ -f "$f" ]] && files+=("$f")
  done
  if [[ ${#files[@]} -eq 0 ]]; then
    nok "$name: has inputs" "tests/fuzz/corpus/$name is empty"; continue
  fi
  # All inputs in one process (fast); when that fails, one process per
  # input to name the culprits. Inputs longer than the fuzzer's -max_len
  # are run whole here: they must not crash either.
  if "$bin" "${files[@]}" >"$T_TMP/run.log" 2>&1; then
    ok "$name: ${#files[@]} corpus and regression inputs replayed clean"
    for f in tests/fuzz/regress/$name/*; do   # each finding by name
      [[ -f "$f" ]] && ok "$name: regression ${f##*/}"
    done
    continue
  fi
  bad=0
  for f in "${files[@]}"; do
    if ! "$bin" "$f" >"$T_TMP/run1.log" 2>&1; then
      bad=$((bad + 1))
      nok "$name: ${f#tests/fuzz/}" "exit $?" \
          "$(grep -m 3 -E 'ERROR|runtime error|contract broken|SUMMARY' \
             "$T_TMP/run1.log")"
    fi
  done
  # Only the batch failed (state carried between inputs, or a leak).
  [[ $bad -gt 0 ]] || nok "$name: batch replay" "$(tail -n 5 "$T_TMP/run.log")"
done <tests/fuzz/targets

# The driver really catches a crash: a harness whose check fails must
# make the standalone run exit non-zero.
cat >"$T_TMP/fuzz_boom.c" <<'EOF'
#include "fuzz.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FUZZ_CHECK(!(size >= 4 && memcmp(data, "boom", 4) == 0));
    return 0;
}
EOF
if $CC_FUZZ -std=c11 -D_GNU_SOURCE $SAN -I tests/fuzz -o "$BIN_DIR/boom" \
     "$T_TMP/fuzz_boom.c" tests/fuzz/standalone.c >"$T_TMP/boom.log" 2>&1
then
  printf 'fine' >"$T_TMP/fine.in"; printf 'boom!' >"$T_TMP/boom.in"
  run "$BIN_DIR/boom" "$T_TMP/fine.in"
  expect_rc 0 "standalone driver: a harmless input passes"
  run "$BIN_DIR/boom" "$T_TMP/fine.in" "$T_TMP/boom.in"
  if [[ $RC -ne 0 ]]; then ok "standalone driver: a crashing input fails"
  else nok "standalone driver: a crashing input fails" "exit 0"; fi
  expect_err 'contract broken' "standalone driver: the reason is printed"
else
  nok "standalone driver builds" "$(head -n 20 "$T_TMP/boom.log")"
fi

done_testing
