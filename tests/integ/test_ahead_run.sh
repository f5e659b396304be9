#!/usr/bin/env bash
# Ranking ahead end to end (docs/CANDIDATES.md "Ahead"): a read-only step
# that collects also ranks the plain-words targets of the read-only steps
# after it; each of those is then one page call that checks the page is
# as it was and the element is ready. A page changed in between, or an
# action between them, makes the later step resolve as usual. Counted in
# the CDP trace.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site
# serve_site, traced, py_json, trace_calls: lib.sh
# field NAME: that field of every step, space-separated (- for none)
field() { py_json "' '.join(str(s.get('$1', '-')).lower() for s in r['steps'])"; }

cat >"$site/account.html" <<'EOF'
<!doctype html><html><head><title>Account</title></head><body>
<h1>Account</h1>
<button type="button" id="a">Save</button>
<button type="button" id="b" onclick="this.textContent='Published'">Publish</button>
<label for="em">Email</label> <input id="em" value="ann@example.com">
<p id="total">Order total: 12 EUR</p>
<a href="#help" id="help">Help centre</a>
</body></html>
EOF

# four read-only steps after the first: ranked with its collection, each
# then one call; the click after them resolves as usual, and so does the
# step after the click
read -r -d '' ACCOUNT <<EOF
{"schema_version":1,"name":"ahead","steps":[{"goto":"$BASE/account.html"},
 {"wait_for":{"target":"Publish button"}},
 {"wait_for":{"target":"Save button"}},
 {"assert":{"visible":"Help centre link"}},
 {"extract":"Order total: 12 EUR","as":"t"},
 {"assert":{"value":{"target":"Email field","equals":"ann@example.com"}}},
 {"click":"Publish button"},
 {"wait_for":{"target":"Save button"}},
 {"assert":{"js":"'\${t}' === 'Order total: 12 EUR' && document.getElementById('b').textContent === 'Published'"}}]}
EOF
traced ahead <<<"$ACCOUNT"
expect_rc 0 "the task passes"
expect_true "the first step's collection is kept for the next four" test "$(trace_calls 2 | tr '\n' ' ')" = "guess+ahead "
expect_true "each of the four: one call, the ranking made ahead" test "$(for k in 3 4 5 6; do trace_calls $k; done | tr '\n' ' ')" = "ahead ahead ahead ahead "
expect_true "they say so: ahead, from the heuristics" test "$(field ahead)" = "- - true true true true - - -"
expect_true "... with the confidence and margin of their ranking" test "$(py_json 'all(s["confidence"] >= 0.6 and s["margin"] >= 0.15 for s in r["steps"][2:6])')" = "True"
expect_true "the elements the words name" test "$(py_json '" ".join(s["selector"] for s in r["steps"][1:8])')" = 'css=#b css=#a css=#help css=#total css=#em css=#b css=#a'
expect_true "every plain-words step from the heuristics" test "$(field source)" = "none heuristic heuristic heuristic heuristic heuristic heuristic heuristic none"
expect_true "the click and the step after it collect afresh" test "$(trace_calls 7 | head -1)$(trace_calls 8 | head -1)" = "guessguess"
# the step that collects ranks its own words only: each later step ranks
# its own over the kept collection when it comes (none is ranked for a
# step that is never reached, or after the page changed)
expect_true "the collecting step ranks nothing for the steps after it" test "$(py_json '"ahead" in r["steps"][1]["timings_us"]')" = "False"
expect_true "each later step ranks its own words, timed as its score" test "$(py_json 'all(s["timings_us"]["score"] > 0 for s in r["steps"][2:6])')" = "True"

# with a cache: the first run writes every step; the second takes them all
# from the cache, and ranks nothing ahead (the cache answers first)
traced ahead-c1 --cache "$T_TMP/c.db" <<<"$ACCOUNT"
expect_rc 0 "the task passes with a cache"
# planning which later steps the cache answers counts no lookup: one per
# plain-words step, all misses but the second wait for the Save button
run "$CDPILOT" cache stats --cache "$T_TMP/c.db" --json
expect_true "one cache lookup per plain-words step" test "$(py_json 'r["lookups"], r["misses"], r["hits"]')" = "7 6 1"
traced ahead-c2 --cache "$T_TMP/c.db" <<<"$ACCOUNT"
expect_rc 0 "and again, from the cache"
expect_true "second run: every plain-words step from the cache" test "$(field source)" = "none cache cache cache cache cache cache cache none"
expect_true "... and no collection at all" test "$(for k in 2 3 4 5 6 7 8; do trace_calls $k; done | grep -cE 'collect|guess')" = "0"

# the page changes between: the button the ranking chose is renamed and
# another takes its name; a field's value changes: those steps collect
# afresh and find what is there now
traced changed <<EOF
{"schema_version":1,"name":"changed","steps":[{"goto":"$BASE/account.html"},
 {"wait_for":{"target":"Publish button"}},
 {"wait_for":{"js":"(() => { document.getElementById('a').textContent = 'Delete'; const c = document.createElement('button'); c.id = 'c'; c.textContent = 'Save'; document.body.append(c); return true; })()"}},
 {"wait_for":{"target":"Save button"}},
 {"extract":"Help centre link","as":"h"}]}
EOF
expect_rc 0 "a page changed in between: the task passes"
expect_true "the renamed button's step checks, then collects" test "$(trace_calls 4 | tr '\n' ' ')" = "ahead guess+ahead "
expect_true "it finds the button that has the words now" test "$(py_json 'r["steps"][3]["selector"]')" = "css=#c"
expect_true "... and says it was not ranked ahead" test "$(field ahead)" = "- - - - true"

traced typed <<EOF
{"schema_version":1,"name":"typed","steps":[{"goto":"$BASE/account.html"},
 {"wait_for":{"target":"Publish button"}},
 {"assert":{"js":"(() => { document.getElementById('em').value = 'bob@example.com'; return true; })()"}},
 {"assert":{"value":{"target":"Email field","equals":"bob@example.com"}}}]}
EOF
expect_rc 0 "a value typed in between: the task passes"
expect_true "the field's step checks, then collects" test "$(trace_calls 4 | tr '\n' ' ')" = "ahead guess "
expect_true "... and is not ranked ahead" test "$(field ahead)" = "- - - -"

# an action between: nothing after it is ranked ahead
traced action <<EOF
{"schema_version":1,"name":"action","steps":[{"goto":"$BASE/account.html"},
 {"wait_for":{"target":"Publish button"}},
 {"click":"Save button"},
 {"wait_for":{"target":"Help centre link"}}]}
EOF
expect_rc 0 "an action between: the task passes"
expect_true "the first step collects without keeping" test "$(trace_calls 2 | tr '\n' ' ')" = "guess "
expect_true "no step ranked ahead" test "$(field ahead)" = "- - - -"

# a later target holding a secret (${env.…}) is left to its own step,
# which registers the secret for redaction before anything is sent
export AHEAD_WORD=Save
traced secret <<EOF
{"schema_version":1,"name":"secret","steps":[{"goto":"$BASE/account.html"},
 {"wait_for":{"target":"Publish button"}},
 {"wait_for":{"target":"\${env.AHEAD_WORD} button"}},
 {"wait_for":{"target":"Help centre link"}}]}
EOF
expect_rc 0 "a secret in a later target: the task passes"
expect_true "that step resolves itself; the one after it is ranked ahead" test "$(field ahead)" = "- - - true"
expect_true "... and finds its button" test "$(py_json 'r["steps"][2]["selector"]')" = "css=#a"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
