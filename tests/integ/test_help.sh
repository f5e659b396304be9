#!/usr/bin/env bash
# The surface around the commands: help for every command (help COMMAND
# and COMMAND --help), the man page generated from the same text, global
# options before the command (a real run in Chromium), the bash and zsh
# completions, and `make install` / `make uninstall` into a DESTDIR, the
# installed binary finding its installed profiles.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
B=$(basename "$(dirname "$CDPILOT")")       # the build folder (build, ...)

# ---- help for every command ------------------------------------------------
declare -A names=(
  [run]='--resume --run-id --state --save-state --base-url --trace'
  [do]='--profile --no-llm wait-text expect-url'
  [smoke]='--jobs --junit --retries --setup --grep'
  [resolve]='--explain --kind --profile --chrome'
  [cache]='--older-than --failures --cache prune import'
  [serve]='--port'
  [doctor]='--profile --chrome --connect'
  [help]='COMMAND'
)
for c in run do smoke resolve cache serve doctor help; do
  run "$CDPILOT" "$c" --help
  expect_rc 0 "$c --help exits 0"
  expect_out "^usage: cdpilot $c" "$c --help is $c's own usage"
  for o in ${names[$c]}; do
    grep -qF -- "$o" <<<"$OUT" || nok "$c --help names $o" "stdout: ${OUT:0:400}"
  done
  by_help=$OUT
  run "$CDPILOT" help "$c"
  expect_rc 0 "help $c exits 0"
  expect_true "help $c is $c --help" test "$OUT" = "$by_help"
done
run "$CDPILOT" help frobnicate
expect_rc 2 "help of an unknown command: exit 2"
expect_err '^cdpilot: help: unknown command "frobnicate"' "it is named"
run "$CDPILOT" help
expect_rc 0 "help alone exits 0"
expect_out 'help \[COMMAND\]' "help alone lists the commands"

# ---- the man page: the same text ----------------------------------------------
man_txt=$(LC_ALL=C MANWIDTH=200 man -l "$B/cdpilot.1" 2>"$T_TMP/man.err" |
          tr -s ' ')
expect_true "man page renders without warnings" test ! -s "$T_TMP/man.err"
missing=
for c in run do smoke resolve cache serve doctor help; do
  while IFS= read -r l; do
    l=$(tr -s ' ' <<<"$l"); l=${l# }
    [[ -z $l ]] && continue
    grep -qF -- "$l" <<<"$man_txt" || missing+="$c: $l"$'\n'
  done < <("$CDPILOT" help "$c")
done
expect_true "every line of every command's help is in the man page" \
  test -z "$missing"
[[ -n $missing ]] && echo "    missing: ${missing:0:600}"

# ---- global options before the command ----------------------------------------
printf '<html><head><title>Home</title></head><body><h1>Hello there</h1></body></html>' \
  >"$T_TMP/index.html"
serve "$T_TMP"
start=$(browsers)
run "$CDPILOT" --no-cache --timeout 8000 -q do "$BASE/index.html" expect-text "Hello there"
expect_rc 0 "global options before do: a real run passes"
run "$CDPILOT" --chrome /nonexistent/chromium do "$BASE/index.html" expect-text Hello
expect_rc 3 "--chrome before the command is used: exit 3"
expect_err '/nonexistent/chromium' "the browser it was told is named"
run "$CDPILOT" --var=who=there --json do "$BASE/index.html" 'expect-text' 'Hello ${who}'
expect_rc 0 "--var=K=V and --json before the command"
expect_out '"exit_code":[[:space:]]*0' "--json before the command gives the JSON report"
run "$CDPILOT" --bogus run x.json
expect_rc 2 "an unknown global option: exit 2"
expect_err 'unknown option "--bogus"' "it is named"
run "$CDPILOT" --no-llm
expect_rc 2 "global options without a command: exit 2"
expect_err 'no command after the global options' "says so"
run "$CDPILOT" --profile ci help run
expect_rc 0 "global options before help"

# ---- completions ---------------------------------------------------------------
expect_true "bash completion parses (bash -n)" bash -n "$B/completion/cdpilot.bash"
if command -v zsh >/dev/null; then
  expect_true "zsh completion parses (zsh -n)" zsh -n "$B/completion/_cdpilot"
else
  ok "zsh completion: zsh not installed, not checked"
fi
comp() {    # comp WORD...: what bash completes for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
           _cdpilot; echo "${COMPREPLY[*]}"' _ "$ROOT/$B/completion/cdpilot.bash" "$@"
}
expect_true "completes commands" test "$(comp cdpilot re)" = resolve
expect_true "completes a command's options" test "$(comp cdpilot resolve --ex)" = --explain
expect_true "completes step words after do URL" \
  test "$(comp cdpilot do http://x expect-ti)" = expect-title
expect_true "completes profile names" \
  test "$(CDPILOT_PROFILES=$ROOT/profiles comp cdpilot run --profile d)" = "debug default"
mkdir -p "$T_TMP/tasks" && touch "$T_TMP/tasks/login.json" "$T_TMP/tasks/notes.txt"
expect_true "completes task files (not other files)" \
  test "$(cd "$T_TMP/tasks" && comp cdpilot run '')" = login.json
expect_true "a global option's value is not taken for the command" \
  test "$(comp cdpilot --profile ci smoke --ju)" = --junit

# ---- make install / uninstall ------------------------------------------------
D="$T_TMP/dest"
mk() {    # the build as it is: nothing is rebuilt, whatever the flags
  make -s -C "$ROOT" "$@" DESTDIR="$D" PREFIX=/usr/local BUILD="$B" \
    -o "$B/cdpilot" -o "$B/tools/mkhelp" -o "$B/cdpilot.1" \
    -o "$B/completion/cdpilot.bash" -o "$B/completion/_cdpilot"
}
run mk install
expect_rc 0 "make install DESTDIR=... PREFIX=/usr/local"
for f in bin/cdpilot share/cdpilot/profiles/ci.json \
         share/cdpilot/profiles/default.json share/man/man1/cdpilot.1 \
         share/bash-completion/completions/cdpilot \
         share/zsh/site-functions/_cdpilot; do
  expect_true "installed $f" test -f "$D/usr/local/$f"
done
expect_true "the installed binary is executable" test -x "$D/usr/local/bin/cdpilot"
printf '{"schema_version":1,"steps":[{"goto":"%s/index.html"}]}' "$BASE" >"$T_TMP/t.json"
run env -u CDPILOT_PROFILES "$D/usr/local/bin/cdpilot" run --profile nosuch "$T_TMP/t.json"
expect_rc 2 "installed binary, an unknown profile: exit 2"
expect_err "not found in $D/usr/local/share/cdpilot/profiles \(available: .*ci" \
  "installed binary lists the installed profiles"
run env -u CDPILOT_PROFILES "$D/usr/local/bin/cdpilot" doctor --profile ci
expect_out "profile +ci \(profiles from $D/usr/local/share/cdpilot/profiles\)" \
  "installed binary: doctor loads the named profile from the installed folder"
expect_out "ok +browser" "installed binary: doctor finds the browser"
run mk uninstall
expect_rc 0 "make uninstall"
left=$(find "$D" -type f -o -type l)
expect_true "uninstall removes every installed file" test -z "$left"
[[ -n $left ]] && echo "    left: $left"
expect_true "uninstall removes share/cdpilot" test ! -e "$D/usr/local/share/cdpilot"
# an option the command would ignore is refused, naming both
for c in "doctor --report r.html" "resolve http://127.0.0.1:9/ Go --save-state s.json" \
         "--report r.html doctor" "do http://127.0.0.1:9/ click Go --explain" \
         "run t.json --pick 2"; do
  read -ra w <<<"$c"
  run "$CDPILOT" "${w[@]}"
  expect_rc 2 "$c: exit 2"
  expect_err "^cdpilot: (doctor|resolve|do|run): does not take --" "$c: one line naming the option"
done
expect_true "nothing written for a refused --report" test ! -e r.html
expect_true "no browser left running" test "$(browsers)" -le "$start"
done_testing
