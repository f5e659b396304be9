#!/usr/bin/env bash
# start.sh DIR -- runs the real browserless (node_modules here, installed
# by scripts/install-deps) on 127.0.0.1 with Debian's Chromium, until it
# gets SIGTERM or SIGINT. Everything it makes goes under DIR (which must
# exist): browserless's temporary files, its browsers' profiles, its log.
# Settings from the environment (browserless's own names):
#   CONCURRENT  browsers at once (default 2)
#   QUEUED      connections that may wait beyond those (default 10)
#   TIMEOUT     ms a session may last before browserless ends it (30000)
# Once browserless answers, it writes DIR/url (the CDP WebSocket URL with
# the token, as browserless documents it: ws://127.0.0.1:PORT?token=T),
# DIR/http (http://127.0.0.1:PORT, for /pressure and /sessions),
# DIR/token and DIR/pid (node's pid).
# When it cannot start within 60 s it writes DIR/failed and exits 1.
# On the way out it stops browserless and kills every Chromium left with
# a profile under DIR, so that nothing survives it.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(cd "${1:?usage: start.sh DIR}" && pwd)"
main="$here/node_modules/@browserless.io/browserless/build/index.js"
[[ -f "$main" ]] || { echo "start.sh: browserless not installed ($here/node_modules)" >&2; exit 1; }
chrome=/usr/bin/chromium
[[ -x "$chrome" ]] || { echo "start.sh: no $chrome" >&2; exit 1; }

# browserless asks playwright-core where Chromium is, which answers
# PLAYWRIGHT_BROWSERS_PATH/chromium-REVISION/chrome-linux64/chrome: a
# link there to Debian's Chromium, so that nothing is downloaded.
rev=$(python3 -c 'import json,sys; print(next(b["revision"] for b in json.load(open(sys.argv[1]))["browsers"] if b["name"] == "chromium"))' \
      "$here/node_modules/playwright-core/browsers.json") || exit 1
mkdir -p "$dir/pw/chromium-$rev/chrome-linux64" "$dir/routes" "$dir/tmp"
ln -sfn "$chrome" "$dir/pw/chromium-$rev/chrome-linux64/chrome"
# Only the Chromium and management routes: browserless refuses to start
# when a route's browser (Chrome, Edge, Firefox, WebKit) is not installed.
for r in chromium management; do
  ln -sfn "$here/node_modules/@browserless.io/browserless/build/routes/$r" "$dir/routes/$r"
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')

# Every process browserless starts has DIR in its command line (its
# browsers' profiles are in DIR/tmp): those are the ones to kill.
ours() {
  local p
  for p in /proc/[0-9]*; do
    [[ "${p#/proc/}" == "$$" ]] && continue
    { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "$dir/" && echo "${p#/proc/}"
  done
}
node_pid=
stop() {
  trap - TERM INT EXIT
  if [[ -n "$node_pid" ]] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$node_pid" 2>/dev/null
  fi
  local left; left=$(ours)
  [[ -n "$left" ]] && kill -KILL $left 2>/dev/null
  for _ in $(seq 50); do [[ -z "$(ours)" ]] && break; sleep 0.1; done
  rm -rf "$dir/tmp" "$dir/pw" "$dir/routes"
  exit "${1:-0}"
}
trap 'stop 0' TERM INT
trap 'stop $?' EXIT

# playwright-core finds its browsers.json from the working folder.
cd "$here" || exit 1
env HOST=127.0.0.1 PORT="$port" TOKEN="$token" \
    CONCURRENT="${CONCURRENT:-2}" QUEUED="${QUEUED:-10}" TIMEOUT="${TIMEOUT:-30000}" \
    PLAYWRIGHT_BROWSERS_PATH="$dir/pw" ROUTES="$dir/routes" TMPDIR="$dir/tmp" \
    DEBUG='browserless*,-**:verbose,-**:trace' \
    node "$main" >"$dir/log" 2>&1 &
node_pid=$!
echo "$node_pid" >"$dir/pid"

up=
for _ in $(seq 600); do
  kill -0 "$node_pid" 2>/dev/null || break
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
       "http://127.0.0.1:$port/pressure?token=$token" 2>/dev/null; then
    up=1; break
  fi
  sleep 0.1
done
if [[ -z "$up" ]]; then
  echo "start.sh: browserless did not answer on 127.0.0.1:$port (log: $dir/log)" >&2
  : >"$dir/failed"
  stop 1
fi
echo "$token" >"$dir/token"
echo "http://127.0.0.1:$port" >"$dir/http"
echo "ws://127.0.0.1:$port?token=$token" >"$dir/url.new" && mv "$dir/url.new" "$dir/url"
wait "$node_pid"
echo "start.sh: browserless exited (log: $dir/log)" >&2
stop 1
