#!/usr/bin/env bash
# upload, download and assert download against real Chromium and a test
# server on 127.0.0.1 (tests/fixtures/files): an upload control hidden
# behind a label, a button that clicks an input elsewhere, and a drop zone
# whose input exists only in script (the server says what it received); a
# download sent with Content-Disposition, kept where the step says, its
# SHA-256 checked against sha256sum; bad paths refused before any browser
# starts; a 10 MB file each way without the controller holding it; and
# the private download folder gone after a failure and after a signal.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
start=$(browsers)

python3 tests/fixtures/files/server.py "$T_TMP/port" &
for _ in $(seq 100); do [[ -s "$T_TMP/port" ]] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$T_TMP/port")"
W="$T_TMP/work"; mkdir -p "$W/tasks/data"
printf 'region,total\nnorth,1200\n' >"$W/tasks/data/a.csv"
printf 'hello\n' >"$W/tasks/data/b.txt"
inw() { cd "$W" && run "$@"; cd "$ROOT"; }   # run, in the work folder
same() { [[ -n "$1" && "$1" == "$2" ]]; }      # equal, and not both empty
j() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"; }

# ---- uploads and a download, plain words -----------------------------------
cat >"$W/tasks/files.json" <<EOF
{"schema_version": 1, "steps": [
 {"goto": "$BASE/"},
 {"upload": "Attach file", "files": ["data/a.csv"]},
 {"assert": {"text": "a.csv (24 bytes)"}},
 {"upload": "Choose documents", "files": ["data/a.csv", "data/b.txt"]},
 {"assert": {"text": "a.csv (24 bytes), b.txt (6 bytes)"}},
 {"upload": "Drop a file here", "files": ["data/b.txt"]},
 {"wait_for": {"text": "server got b.txt 6 bytes sha256 $(sha256sum <"$W/tasks/data/b.txt" | cut -d' ' -f1)"}},
 {"download": "Export CSV", "to": "out/"},
 {"assert": {"download": {"name": "^report-\\\\d{4}\\\\.csv$", "size": {"min": 10, "max": 100}, "content": "TOTAL,2150"}}},
 {"download": "Export CSV", "to": "kept/renamed.csv"},
 {"assert": {"download": {"size": 45}}}
]}
EOF
(cd "$W" && "$CDPILOT" run tasks/files.json --no-cache --no-llm --json \
   >"$T_TMP/files.out" 2>"$T_TMP/files.err"); RC=$?
ERR=$(cat "$T_TMP/files.err")
expect_rc 0 "uploads through a label, a button and a drop zone; downloads kept"
expect_true "the label's hidden input got the file" \
  test "$(j "$T_TMP/files.out" "r['steps'][1]['upload']['input']")" = "<input#attach[type=file]>"
expect_true "the button's chooser named the input elsewhere" \
  test "$(j "$T_TMP/files.out" "r['steps'][3]['upload']['input']")" = "<input#docs.hidden-input[type=file]>"
expect_true "the report lists the files and their sizes" \
  test "$(j "$T_TMP/files.out" "[(f['name'], f['size']) for f in r['steps'][3]['upload']['files']]")" = \
       "[('a.csv', 24), ('b.txt', 6)]"
sum=$(sha256sum <"$W/out/report-2024.csv" | cut -d' ' -f1)
expect_true "kept in out/ under the server's file name" test -s "$W/out/report-2024.csv"
expect_true "the report's sha256 is sha256sum's" \
  same "$(j "$T_TMP/files.out" "r['steps'][7]['download']['sha256']")" "$sum"
expect_true "the report has the name, path, size and URL" \
  test "$(j "$T_TMP/files.out" "[r['steps'][7]['download'][k] for k in ('name', 'path', 'size', 'url')]")" = \
       "['report-2024.csv', 'out/report-2024.csv', 45, '$BASE/export.csv']"
expect_err "download \"Export CSV\".* -> out/report-2024.csv 45 bytes sha256 $sum" \
  "the step's line says where, how big and the sha256"
expect_true "a \"to\" that names a file renames it" cmp -s "$W/kept/renamed.csv" "$W/out/report-2024.csv"

# ---- a download assertion that fails, explicit targets, inline words -------
cat >"$W/tasks/wrong.json" <<EOF
{"schema_version": 1, "steps": [
 {"goto": "$BASE/"},
 {"upload": "css=#attach", "files": "data/b.txt"},
 {"assert": {"text": "b.txt (6 bytes)"}},
 {"download": "css=a[href='/export.csv']", "to": "out2/"},
 {"assert": {"download": {"content": "TOTAL,9999"}}}
]}
EOF
inw "$CDPILOT" run tasks/wrong.json --no-cache --no-llm
expect_rc 1 "a content regex the file lacks fails the step (exit 1)"
expect_err 'the download "report-2024.csv" \(45 bytes\) has nothing that matches /TOTAL,9999/' \
  "the failure says which file and which regex"
inw "$CDPILOT" do "$BASE/" upload "Drop a file here" tasks/data/a.csv \
   wait-text "server got a.csv 24 bytes" download "Export CSV" to out3/ \
   expect-download 'report-\d+\.csv' --no-cache --no-llm
expect_rc 0 "inline words: upload FILE..., download to PATH, expect-download"
expect_true "inline download kept" test -s "$W/out3/report-2024.csv"

# ---- bad inputs: exit 2, one line, before the browser (--chrome is bad) ----
bad() {   # NAME STEPS... : expects exit 2 and the message $MSG
  printf '{"schema_version": 1, "steps": [{"goto": "%s/"}, %s]}' "$BASE" "$2" \
    >"$W/tasks/$1.json"
  inw "$CDPILOT" run "tasks/$1.json" --chrome /nonexistent --no-cache
  if [[ $RC -eq 2 && $(wc -l <<<"$ERR") -eq 1 ]] && grep -qF -- "$3" <<<"$ERR"; then
    ok "bad $1: exit 2, one line"
  else
    nok "bad $1" "exit $RC, wanted 2 and one line with: $3" "stderr: ${ERR:0:500}"
  fi
}
bad missing-upload '{"upload": "Attach file", "files": ["data/a.csv", "data/gone.csv"]}' \
  'tasks/missing-upload.json: step 2 (upload): field "files": cannot upload "tasks/data/gone.csv": No such file or directory'
bad upload-outside '{"upload": "Attach file", "files": ["../tasks/data/a.csv"]}' \
  'step 2 (upload): field "files": "../tasks/data/a.csv" leaves the task'"'"'s folder'
bad upload-a-folder '{"upload": "Attach file", "files": ["data"]}' \
  'field "files": cannot upload "tasks/data": not a regular file'
bad to-outside '{"download": "Export CSV", "to": "/tmp/x/"}' \
  'step 2 (download): field "to": "/tmp/x/" leaves the output folder'
bad to-through-file '{"download": "Export CSV", "to": "tasks/files.json/r.csv"}' \
  'field "to": "tasks/files.json" is not a folder'
bad assert-first '{"assert": {"download": {"name": "x"}}}' \
  'step 2 (assert): field "assert.download": no download step before it'
inw "$CDPILOT" do "$BASE/" upload "Attach file" nowhere.csv --chrome /nonexistent
expect_rc 2 "inline upload of a missing file: exit 2 before the browser"
expect_err 'step 2 \(upload\): field "files": cannot upload "nowhere.csv"' "… naming it"

# ---- 10 MB each way: the controller does not hold the file -----------------
head -c $((10 * 1024 * 1024)) /dev/urandom >"$W/tasks/data/big.dat"
bigsum=$(sha256sum <"$W/tasks/data/big.dat" | cut -d' ' -f1)
size_task() {   # NAME FILE DOWNLOAD-TARGET: the server must say it got FILE
  local f="$W/tasks/data/$2"
  cat >"$W/tasks/$1.json" <<EOF
{"schema_version": 1, "steps": [
 {"goto": "$BASE/"},
 {"upload": "Drop a file here", "files": ["data/$2"]},
 {"wait_for": {"text": "server got $2 $(stat -c %s "$f") bytes sha256 $(sha256sum <"$f" | cut -d' ' -f1)", "timeout_ms": 60000}},
 {"download": "$3", "to": "$1/", "timeout_ms": 60000}
]}
EOF
  (cd "$W" && "$CDPILOT" run "tasks/$1.json" --no-cache --no-llm --json \
     >"$T_TMP/$1.out" 2>"$T_TMP/$1.err"); RC=$?
}
size_task small b.txt "Export CSV"
expect_rc 0 "the same task with a 6-byte upload and a 45-byte download"
size_task big big.dat "Download archive"
expect_rc 0 "a 10 MB upload (the server got its 10485760 bytes, sha256 $bigsum) and a 10 MB download"
expect_true "the 10 MB download's sha256 is sha256sum's" \
  same "$(j "$T_TMP/big.out" "r['steps'][3]['download']['sha256']")" \
       "$(sha256sum <"$W/big/archive.bin" | cut -d' ' -f1)"
expect_true "... and it is 10 MB" \
  test "$(j "$T_TMP/big.out" "r['steps'][3]['download']['size']")" = 10485760
rss_small=$(j "$T_TMP/small.out" "r['controller']['max_rss_kb']")
rss_big=$(j "$T_TMP/big.out" "r['controller']['max_rss_kb']")
echo "# peak RSS: ${rss_small} kB (small files), ${rss_big} kB (10 MB each way)"
echo "# 10 MB steps: upload $(j "$T_TMP/big.out" "r['steps'][1]['duration_ms']") ms," \
  "until the server had it $(j "$T_TMP/big.out" "r['steps'][2]['duration_ms']") ms," \
  "download $(j "$T_TMP/big.out" "r['steps'][3]['duration_ms']") ms"
# 10 MB held anywhere would show as 10240 kB more; allow a quarter of it
expect_true "the controller's peak RSS grows less than 2.5 MB with 10 MB files" \
  test -n "$rss_big" -a -n "$rss_small" -a $((${rss_big:-0} - ${rss_small:-0})) -lt 2560
expect_true "the 10 MB download took under 30 s" \
  test "$(j "$T_TMP/big.out" "r['steps'][3]['duration_ms']")" -lt 30000

# ---- nothing left behind: a failed download, a signal mid-download ---------
echo '{"timeouts": {"navigation_ms": 2000}, "retries": {"count": 0}}' >"$T_TMP/p2.json"
cat >"$W/tasks/slow.json" <<EOF
{"schema_version": 1, "steps": [{"goto": "$BASE/"},
 {"download": "Fetch slow report", "timeout_ms": 1500, "retries": 0}]}
EOF
inw "$CDPILOT" run tasks/slow.json --profile "$T_TMP/p2.json" \
   --no-cache --no-llm --trace "$T_TMP/tr1"
expect_rc 1 "a download that never finishes fails the step"
expect_err 'the download of "slow.bin" did not finish within 2000 ms \(1000 bytes so far\)' \
  "… saying how far it got"
dl=$(grep -ho '"downloadPath":"[^"]*cdpilot-download-[^"]*"' "$T_TMP"/tr1/*/cdp.log | head -1 | cut -d'"' -f4)
expect_true "its private folder was in the browser's temporary profile" \
  grep -q '^/tmp/cdpilot-profile-[^/]*/cdpilot-download-' <<<"$dl"
expect_true "… and is gone" test -n "$dl" -a ! -e "$dl"

(cd "$W" && exec "$CDPILOT" run tasks/slow.json --no-cache --no-llm \
   --trace "$T_TMP/tr2" >"$T_TMP/sig.out" 2>"$T_TMP/sig.err") &
pid=$!
dl=
for _ in $(seq 200); do
  dl=$(grep -ho '"downloadPath":"[^"]*cdpilot-download-[^"]*"' "$T_TMP"/tr2/*/cdp.log 2>/dev/null | head -1 | cut -d'"' -f4)
  [[ -n "$dl" ]] && ls "$dl"/*.crdownload >/dev/null 2>&1 && break
  sleep 0.05
done
expect_true "the slow download is under way" test -n "$(ls "$dl" 2>/dev/null)"
kill -TERM "$pid"; wait "$pid"; RC=$?
expect_true "SIGTERM mid-download ends the run" test "$RC" -ne 0
expect_true "… and removes the private folder" test -n "$dl" -a ! -e "$dl"
expect_true "nothing of ours left in \$TMPDIR" \
  test -z "$(find "$T_TMP" -name 'cdpilot-download-*' 2>/dev/null)"

sleep 0.5
expect_true "no browser left behind" test "$(browsers)" -le "$start"
done_testing
