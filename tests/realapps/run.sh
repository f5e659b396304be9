#!/usr/bin/env bash
# The real-app suite (make test-realapps): starts the four applications,
# runs every task under tasks/ with --no-llm twice, cold (a fresh cache
# file) then warm (the same cache), and with --changed a third time after
# the apps' markup and data were changed; prints the figures.
#
#   tests/realapps/run.sh [--build DIR] [--changed] [--oracle] [--gate] [--grep REGEX] [--keep DIR]
#                         [--cold] [--oracle-at FILE]
#
# --grep selects tasks by their path (apps/file), --keep copies the run's
# reports and logs to DIR, --cold runs the cold pass only, --oracle-at
# FILE ({"app/task.json": [step, ...]}) makes those steps act on their
# expected element (to see what fails after a step known to fail). --oracle runs one pass instead, in which every
# plain-words step acts on the element expect.json names: a check of the
# tasks and of expect.json, for whoever edits them (with --changed, on the
# changed apps too). Exits 0 when the suite ran, whatever the tasks
# did (the figures are the result), or with --gate 1 when a goal was
# missed (a confident-wrong step in any pass, under 95% of the tasks
# passing cold or warm); 3 when an app could not be started or reset or a
# task left no report; 2 on bad usage.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=build changed= grep= keep= oracle= gate= coldonly= oracle_at=
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=${2:?--build needs a folder}; shift 2 ;;
    --changed) changed=1; shift ;;
    --oracle) oracle=1; shift ;;
    --gate) gate=1; shift ;;
    --cold) coldonly=1; shift ;;
    --oracle-at) oracle_at=$(realpath "${2:?--oracle-at needs a file}") || exit 2; shift 2 ;;
    --grep) grep=${2:?--grep needs a regex}; shift 2 ;;
    --keep) keep=${2:?--keep needs a folder}; shift 2 ;;
    *) echo "realapps: unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
[[ $build == /* ]] || build=$root/$build
bin=$build/cdpilot
[[ -x $bin ]] || { echo "realapps: no $bin (run make first)" >&2; exit 2; }
if [[ -n $keep ]]; then mkdir -p "$keep" && keep=$(cd "$keep" && pwd) || exit 2; fi

# shellcheck source=apps.sh
source "$here/apps.sh"
set -u
trap 'ra_stop_all; [[ -z ${RA_LEFT:-} ]] || exit 3' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mapfile -t tasks < <(cd "$here/tasks" && find . -name '*.json' | sed 's|^\./||' | sort)
if [[ -n $grep ]]; then
  mapfile -t tasks < <(printf '%s\n' "${tasks[@]}" | grep -E -- "$grep")
fi
[[ ${#tasks[@]} -gt 0 ]] || { echo "realapps: no task matches" >&2; exit 2; }

t_suite=$(ra_now)
ra_start_all
run=$RA_TMP/run
mkdir -p "$run/tmp"
cache=$RA_TMP/cache.sqlite
resets=() infra=0

# run_pass NAME: every task once, each after its app's reset.
run_pass() {
  local pass=$1 t app base out t0 rc
  t0=$(ra_now)
  ra_log "$pass pass: ${#tasks[@]} tasks"
  for t in "${tasks[@]}"; do
    app=${t%%/*} base=${t#*/}
    mkdir -p "$run/$pass/$app" "$run/checked/$app"
    ra_reset "$app" || { infra=1; return; }
    resets+=("$app:$RA_T_RESET")
    python3 "$here/realapps.py" instrument "$here/expect.json" "$here/tasks/$t" \
        "$run/checked/$app/$base" ${oracle:+--oracle} ${oracle_at:+--oracle-at "$oracle_at"} \
        || { infra=1; return; }
    out=$run/$pass/$app/$base
    TMPDIR=$run/tmp timeout 600 "$bin" run "$run/checked/$app/$base" --json --no-llm \
        --cache "$cache" --profile "$here/profile.json" --base-url "$(ra_url "$app")" \
        >"$out" 2>"$out.log"
    rc=$?
    case $rc in
      0) printf 'realapps: %-5s ok    %s\n' "$pass" "$t" >&2 ;;
      *) printf 'realapps: %-5s FAIL  %s (exit %d)\n' "$pass" "$t" "$rc" >&2 ;;
    esac
    [[ -s $out ]] || rm -f "$out"
  done
  eval "t_$pass=\$(ra_since \"\$t0\")"
}

if [[ -n $oracle ]]; then
  cache=$RA_TMP/oracle.sqlite
  run_pass oracle
  if [[ $infra == 0 && -n $changed ]]; then
    ra_mutate || infra=1
    [[ $infra == 0 ]] && run_pass oracle_changed
  fi
else
  run_pass cold
  [[ $infra == 0 && -z $coldonly ]] && run_pass warm
  if [[ $infra == 0 && -n $changed ]]; then
    ra_mutate || infra=1
    [[ $infra == 0 ]] && run_pass changed
  fi
fi

rc=0
python3 "$here/realapps.py" report "$run" --json "$RA_TMP/summary.json" ${gate:+--gate}
case $? in 0) ;; 1) rc=1 ;; *) rc=3 ;; esac
[[ $infra == 0 ]] || { echo "realapps: an app could not be reset or a task could not be prepared" >&2; rc=3; }
printf '%s\n' "${resets[@]}" | awk -F: -v start="$RA_T_START" '
  { n[$1]++; s[$1] += $2; if ($2 > m[$1]) m[$1] = $2 }
  END { printf "\nstart: %s s; reset per task (mean / max):", start
        for (a in n) printf " %s %.2f / %.2f s;", a, s[a] / n[a], m[a]; print "" }'
if [[ -n $oracle ]]; then
  echo "wall time: oracle ${t_oracle:-?} s${changed:+, oracle on the changed apps ${t_oracle_changed:-?} s}, suite $(ra_since "$t_suite") s"
else
  echo "wall time: cold ${t_cold:-?} s, warm ${t_warm:-?} s${changed:+, changed ${t_changed:-?} s}, suite $(ra_since "$t_suite") s"
fi
if [[ -n $keep ]]; then
  cp -a "$run/." "$keep/" && cp "$RA_TMP/summary.json" "$keep/" 2>/dev/null
  echo "realapps: reports kept in $keep"
fi
exit $rc
