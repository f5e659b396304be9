#!/usr/bin/env bash
# `smoke --shard I/N` and `smoke-merge`, as the GitHub Actions matrix of
# docs/SMOKE.md runs them: N shards of a suite in real Chromium (fixture
# site served by smoke), each with --json and --junit, then the merge:
# the union is the whole suite, no task twice, counts and exit code
# right, one JUnit XML that parses. Then, over fast (invalid) tasks: the
# split is stable when a file is added (only that file is new), balanced
# by the cache's durations when it has them, and an empty shard passes.
# --serve-host: the fixture server on the address asked for.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
smoke() { run env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$@"; }
merge() { run "$CDPILOT" smoke-merge "$@"; }

# ---- usage -------------------------------------------------------------------
for bad in 0/3 4/3 3 x/3 1/1001 1/0 ""; do
  smoke tests/smoke --no-llm --shard "$bad"
  expect_rc 2 "--shard \"$bad\": exit 2"
  expect_true "--shard \"$bad\": one line naming --shard" \
    test "$(grep -c -- '--shard' <<<"$ERR")" -eq 1 -a "$(wc -l <<<"$ERR")" -eq 1
done

# ---- a real suite in 3 shards, then the merge --------------------------------
site="$T_TMP/site" suite="$T_TMP/suite"
mkdir -p "$site" "$suite/a" "$suite/b"
for n in 1 2 3 4 5 6 7 8; do
  printf '<html><head><title>P%s</title></head><body><h1>Page %s</h1></body></html>' \
    "$n" "$n" >"$site/p$n.html"
  d=a; (( n > 4 )) && d=b
  printf '{"schema_version":1,"name":"page %s","steps":[{"goto":"${base}/p%s.html"},{"assert":{"text":"Page %s"}}]}' \
    "$n" "$n" "$n" >"$suite/$d/p$n.json"
done
printf '{"schema_version":1,"name":"missing text","steps":[{"goto":"${base}/p1.html"},{"assert":{"text":"Nowhere to be seen"},"timeout_ms":300}]}' \
  >"$suite/b/fail.json"
codes=()
for i in 1 2 3; do
  smoke "$suite" --serve "$site" --no-llm -j 2 --shard "$i/3" --json \
    --junit "$T_TMP/s$i.xml"
  cp "$T_TMP/out" "$T_TMP/s$i.json"
  codes+=("$RC")
  expect_err "^smoke: shard $i/3: [0-9]+ of 9 tasks" "shard $i/3: says which shard, of 9"
  expect_err "^smoke: shard $i/3: [0-9]+ of 9 tasks: [0-9]+ passed" "shard $i/3: summary line names the shard"
  expect_true "shard $i/3: --json says so" test "$(py "$T_TMP/s$i.json" '(j["shard"]["index"], j["shard"]["count"], j["shard"]["total"], j["shard"]["tasks"] == len(j["tasks"]), j["shard"]["balanced_by"])')" = "($i, 3, 9, True, 'file')"
  expect_true "shard $i/3: JUnit says so" test "$(py "$T_TMP/s$i.xml" 'x.find("testsuite/properties/property[@name=\"shard\"]").get("value")')" = "$i/3"
done
keys=$(python3 - "$T_TMP"/s[123].json <<'PY'
import json, sys
ks = [t["key"] for f in sys.argv[1:] for t in json.load(open(f))["tasks"]]
print(len(ks), len(set(ks)), ",".join(sorted(ks)))
PY
)
expect_true "shards: union is the suite, no task twice" test "$keys" = \
  "9 9 a/p1.json,a/p2.json,a/p3.json,a/p4.json,b/fail.json,b/p5.json,b/p6.json,b/p7.json,b/p8.json"
failing=$(python3 - "$T_TMP"/s[123].json <<'PY'
import json, sys
for i, f in enumerate(sys.argv[1:], 1):
    if any(t["key"] == "b/fail.json" for t in json.load(open(f))["tasks"]): print(i)
PY
)
for i in 1 2 3; do
  want=0; [[ $i == "$failing" ]] && want=1
  expect_true "shard $i/3: exit $want" test "${codes[$((i - 1))]}" -eq "$want"
done

merge --json "$T_TMP/m.json" --junit "$T_TMP/m.xml" --cache "$T_TMP/merged.db" \
  "$T_TMP"/s1.json "$T_TMP"/s2.json "$T_TMP"/s3.json
expect_rc 1 "merge: exit 1, the worst of the shards"
expect_err '^smoke: 3 shards, 9 tasks: 8 passed, 1 failed, 0 flaky in [0-9.]+ s' "merge: one summary line"
expect_err '^FAIL  missing text  .*fail.json \(exit 1\)' "merge: the failing task named"
expect_true "merged JSON: counts, exit code, 9 tasks, 3 shards" test \
  "$(py "$T_TMP/m.json" '(j["passed"], j["failed"], j["exit_code"], len(j["tasks"]), len(j["shards"]))')" = "(8, 1, 1, 9, 3)"
expect_true "merged JUnit parses: 9 testcases, 1 failure" test \
  "$(py "$T_TMP/m.xml" '(len(list(x.iter("testcase"))), x.get("tests"), x.get("failures"), x.get("errors"))')" = "(9, '9', '1', '0')"
expect_true "merged JUnit: the failure's message" grep -q 'Nowhere to be seen' \
  <<<"$(py "$T_TMP/m.xml" 'cases["missing text"].find("failure").get("message")')"
expect_true "merged JUnit: step lines kept" grep -q 'goto' \
  <<<"$(py "$T_TMP/m.xml" 'cases["page 3"].find("system-out").text')"
expect_true "merge: the durations into its --cache" test \
  "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from task_times").fetchone()[0])' "$T_TMP/merged.db")" = 9
merge "$T_TMP"/s1.json "$T_TMP"/s2.json --no-cache
expect_rc "$( [[ $failing == 3 ]] && echo 0 || echo 1 )" "merge of two shards: their worst code"

# ---- bad inputs: one line naming the file, exit 2 ----------------------------
bad_merge() {   # DESCRIPTION FILE-NAMED ARGS...
  local d=$1 f=$2; shift 2
  merge --no-cache "$@"
  expect_rc 2 "merge, $d: exit 2"
  expect_true "merge, $d: one line naming $(basename "$f")" \
    test "$(wc -l <<<"$ERR")" -eq 1 -a "$(grep -c -F "$f" <<<"$ERR")" -eq 1
}
bad_merge "a missing file" "$T_TMP/nope.json" "$T_TMP/s1.json" "$T_TMP/nope.json"
echo '{"hello": 1}' >"$T_TMP/other.json"
bad_merge "not a smoke document" "$T_TMP/other.json" "$T_TMP/s1.json" "$T_TMP/other.json"
echo 'not json' >"$T_TMP/garbage.json"
bad_merge "not JSON" "$T_TMP/garbage.json" "$T_TMP/s1.json" "$T_TMP/garbage.json"
cp "$T_TMP/s2.json" "$T_TMP/again.json"
bad_merge "the same shard twice" "$T_TMP/again.json" "$T_TMP/s2.json" "$T_TMP/again.json"
python3 - "$T_TMP/s3.json" "$T_TMP/of4.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); j["shard"]["count"] = 4
json.dump(j, open(sys.argv[2], "w"))
PY
bad_merge "shards of different N" "$T_TMP/of4.json" "$T_TMP/s1.json" "$T_TMP/of4.json"
python3 - "$T_TMP/s1.json" "$T_TMP/overlap.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); j["shard"]["index"] = 3
json.dump(j, open(sys.argv[2], "w"))
PY
bad_merge "overlapping tasks" "$T_TMP/overlap.json" "$T_TMP/s1.json" "$T_TMP/overlap.json"
merge
expect_rc 2 "merge without files: exit 2"

# ---- stable under an added file, balanced by durations (fast tasks) --------
# Invalid task files end before any browser starts: the split is what
# is tested here, not the browser.
fast="$T_TMP/fast"; mkdir -p "$fast/x"
for n in $(seq -w 1 20); do
  echo '{"schema_version":1,"steps":[{"frobnicate":1}]}' >"$fast/x/t$n.json"
done
# split N: prints "key shard" lines of the split of $fast into N shards
split() {
  local n=$1 i; shift
  for i in $(seq "$n"); do
    smoke "$fast" --shard "$i/$n" --json -q "$@"
    python3 -c 'import json,sys; [print(t["key"], sys.argv[1]) for t in json.load(open(sys.argv[2]))["tasks"]]' \
      "$i" "$T_TMP/out"
  done | sort
}
before=$(split 4 --no-cache)
expect_true "fast suite: 20 tasks in 4 shards" test "$(wc -l <<<"$before")" -eq 20
expect_true "fast suite: the same split twice" test "$(split 4 --no-cache)" = "$before"
echo '{"schema_version":1,"steps":[{"frobnicate":1}]}' >"$fast/x/t21-new.json"
after=$(split 4 --no-cache)
expect_true "an added file moves no other task" test \
  "$(grep -v t21-new <<<"$after")" = "$before"
expect_true "the added file is in one shard" test "$(grep -c t21-new <<<"$after")" -eq 1
rm "$fast/x/t21-new.json"

# durations: t01 is 20 s, the others 1 s: t01 alone, the rest 19 over 3
smoke "$fast" --cache "$T_TMP/times.db" -q
expect_true "an unsharded run writes the tasks' durations" test \
  "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from task_times").fetchone()[0])' "$T_TMP/times.db")" = 20
python3 - "$T_TMP/times.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("update task_times set ms = case task when 'x/t01.json' then 20000 else 1000 end")
db.commit()
PY
timed=$(split 4 --cache "$T_TMP/times.db")
expect_true "by durations: balanced_by says so" test "$(py "$T_TMP/out" 'j["shard"]["balanced_by"]')" = duration
t01=$(awk '$1 == "x/t01.json" {print $2}' <<<"$timed")
expect_true "by durations: the 20 s task alone in its shard" test \
  "$(awk -v s="$t01" '$2 == s' <<<"$timed" | wc -l)" -eq 1
counts=$(awk -v s="$t01" '$2 != s {print $2}' <<<"$timed" | sort | uniq -c | awk '{print $1}' | sort | tr '\n' ' ')
expect_true "by durations: 19 tasks of 1 s over 3 shards: 6 6 7 (got $counts)" test "$counts" = "6 6 7 "
expect_true "a sharded run writes no durations" test \
  "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select max(ms) from task_times").fetchone()[0])' "$T_TMP/times.db")" = 20000

# ---- an empty shard passes, saying so ----------------------------------------
one="$T_TMP/one"; mkdir -p "$one"; cp "$fast/x/t01.json" "$one/"
empty=0
for i in 1 2 3; do
  smoke "$one" --shard "$i/3" --no-cache --json --junit "$T_TMP/e$i.xml"
  if grep -q 'nothing to run' <<<"$ERR"; then
    empty=$((empty + 1))
    expect_rc 0 "empty shard $i/3: exit 0"
    expect_err "^smoke: shard $i/3: 0 of 1 tasks; nothing to run" "empty shard $i/3: a line says so"
    expect_true "empty shard $i/3: JUnit with 0 tests" test "$(py "$T_TMP/e$i.xml" 'x.get("tests")')" = 0
  fi
done
expect_true "two of three shards of one task are empty" test "$empty" -eq 2

# ---- --serve-host: where the fixture server listens --------------------------
smoke "$suite/a/p1.json" --serve "$site" --no-llm --no-cache --serve-host 127.0.0.2 --json
expect_rc 0 "--serve-host 127.0.0.2: the task passes"
expect_true "--serve-host 127.0.0.2: the tasks' base URL names it" grep -qE \
  '^http://127\.0\.0\.2:[0-9]+$' <<<"$(py "$T_TMP/out" 'j["base_url"]')"
smoke "$suite/a/p1.json" --serve "$site" --no-llm --no-cache --json
expect_true "without it: 127.0.0.1" grep -qE '^http://127\.0\.0\.1:[0-9]+$' \
  <<<"$(py "$T_TMP/out" 'j["base_url"]')"
for bad in example.test 999.1.1.1 ""; do
  smoke "$suite" --serve "$site" --serve-host "$bad"
  expect_rc 2 "--serve-host \"$bad\": exit 2"
  expect_true "--serve-host \"$bad\": one line" test "$(wc -l <<<"$ERR")" -eq 1
done
smoke "$suite" --serve "$site" --serve-host 192.0.2.7
expect_rc 2 "--serve-host not of this machine: exit 2"
expect_err 'cannot listen on 192\.0\.2\.7' "it says it cannot listen there"
smoke "$suite" --serve-host 127.0.0.2
expect_rc 2 "--serve-host without --serve: exit 2"

expect_true "no browser or child left behind" test "$(leftovers)" -eq 0
done_testing
