#!/usr/bin/env bash
# A cache file that another process keeps locked is a temporary condition,
# not bad usage: a run with plain-words steps still passes on heuristics,
# says so in one line, waits the busy timeout at most once (not per
# lookup or store), and leaves the file intact. Two kinds of lock, both
# held by Python's sqlite3 module in another process: a write
# transaction (BEGIN EXCLUSIVE in WAL mode: readers still read, writers
# wait) and locking_mode=EXCLUSIVE with a write (nobody can even read).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site
DB="$T_TMP/c.db"
cat >"$site/app.html" <<'EOF'
<!doctype html><html><head><title>App</title></head><body>
<label for="em">Email</label> <input id="em" name="email">
<button id="signin" type="button" onclick="document.getElementById('o').textContent='in: '+document.getElementById('em').value">Sign in</button>
<p id="o"></p></body></html>
EOF
steps=("$BASE/app.html" fill Email a@b.c click "Sign in button" expect-text "in: a@b.c")

# lock MODE: holds DB locked from a Python process ($LOCK_PID) until
# killed. MODE "tx": BEGIN EXCLUSIVE; "all": locking_mode=EXCLUSIVE too.
lock() {
  python3 - "$DB" "$1" >"$T_TMP/lock.out" 2>&1 <<'EOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "all":
    c.execute("PRAGMA locking_mode=EXCLUSIVE")
c.execute("BEGIN EXCLUSIVE")
c.execute("UPDATE counters SET value = value WHERE name = 'lookups'")
print("locked", flush=True)
time.sleep(600)
EOF
  LOCK_PID=$!
  for _ in $(seq 100); do grep -q locked "$T_TMP/lock.out" && return 0; sleep 0.05; done
  nok "lock $1" "$(cat "$T_TMP/lock.out")"
}
unlock() { kill "$LOCK_PID" 2>/dev/null; wait "$LOCK_PID" 2>/dev/null; }
warnings() { grep -c 'is locked by another process' <<<"$ERR"; }
intact() { test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok; }

# A first run makes the file (and caches both targets).
run "$CDPILOT" do "${steps[@]}" --cache "$DB" --no-llm
expect_rc 0 "unlocked run passes"

for mode in tx all; do
  lock $mode
  t0=$(date +%s%N)
  run "$CDPILOT" do "${steps[@]}" --cache "$DB" --no-llm --json
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  unlock
  echo "# locked ($mode): exit $RC in $ms ms"
  expect_rc 0 "locked ($mode): the run passes, not exit 2"
  expect_true "locked ($mode): one warning line, naming the file" \
    test "$(warnings)" = 1 -a "$(grep -c "cache $DB is locked" <<<"$ERR")" = 1
  expect_true "locked ($mode): no other message than the warning" \
    test "$(grep -c '^cdpilot:' <<<"$ERR")" = 1
  # One busy wait (5 s), not one per lookup, store and checkpoint (which
  # would add up to more than 40 s here).
  expect_true "locked ($mode): done in $ms ms (< 20000)" test "$ms" -lt 20000
  expect_true "locked ($mode): the file is intact" intact
done
# Readers are blocked too: the targets came from the heuristics.
expect_true "locked (all): both targets resolved by heuristics" \
  test "$(py_json '[s["source"] for s in r["steps"][1:3]]')" = "['heuristic', 'heuristic']"

# Two task files in one process: still one warning, one wait.
for n in a b; do
  cat >"$T_TMP/$n.json" <<EOF
{"schema_version":1,"name":"$n","steps":[{"goto":"$BASE/app.html"},
 {"fill":"Email","value":"$n@b.c"},{"click":"Sign in button"},
 {"assert":{"text":"in: $n@b.c"}}]}
EOF
done
lock all
t0=$(date +%s%N)
run "$CDPILOT" run "$T_TMP/a.json" "$T_TMP/b.json" --cache "$DB" --no-llm
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# locked, two tasks: exit $RC in $ms ms"
expect_rc 0 "locked, two tasks: both pass"
expect_true "locked, two tasks: one warning for the whole run" test "$(warnings)" = 1
expect_true "locked, two tasks: done in $ms ms (< 20000)" test "$ms" -lt 20000

# The cache commands: a lock is a temporary failure (1), not bad usage.
run "$CDPILOT" cache stats --cache "$DB"
expect_rc 1 "locked: cache stats exits 1"
expect_err "locked by another process" "locked: cache stats says why"
unlock
expect_true "after the lock: the file is intact" intact
run "$CDPILOT" cache stats --cache "$DB"
expect_rc 0 "after the lock: cache stats works again"
expect_true "no browser left behind" test "$(browsers)" -le "$start"
done_testing
