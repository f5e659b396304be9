#!/usr/bin/env bash
# Relative goto URLs against base_url / --base-url, resolved as RFC 3986
# says (util/url.c, docs/TASKS.md "goto"), in real Chromium on a
# `cdpilot serve` site: a "://" in the query does not make a reference
# absolute, a base with a path resolves "../" and "x.html" like a link in
# a page, and a base that is not an absolute URL is refused (exit 2).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site
mkdir -p "$site/app"
echo '<!doctype html><title>Outer</title><p>Outer page loaded</p>' >"$site/outer.html"
echo '<!doctype html><title>Inner</title><p>Inner page loaded</p>' >"$site/app/inner.html"

# The query holds a URL: it is a parameter, not the address to visit.
traced query <<EOF
{"schema_version":1,"name":"query url","base_url":"$BASE","steps":[
 {"goto":"/outer.html?frame=http://localhost:1/card.html"},
 {"assert":{"text":"Outer page loaded"}},
 {"assert":{"url_matches":"^\\\\Q$BASE/outer.html?frame=http://localhost:1/card.html\\\\E\$"}}]}
EOF
expect_rc 0 "goto with a URL in its query: exit 0"
expect_out 'PASS|"passed"' "goto with a URL in its query: the page loaded"

# A base with a path: "inner.html" and "../outer.html" as in a link.
traced path <<EOF
{"schema_version":1,"name":"base path","base_url":"$BASE/app/","steps":[
 {"goto":"inner.html?from=http://x.test/"},
 {"assert":{"text":"Inner page loaded"}},
 {"goto":"../outer.html?n=2"},
 {"assert":{"text":"Outer page loaded"}},
 {"assert":{"url_matches":"^\\\\Q$BASE/outer.html?n=2\\\\E\$"}}]}
EOF
expect_rc 0 "base with a path: relative and ../ references load"

# --base-url stands in for base_url, with the same resolution.
cat >"$T_TMP/nobase.json" <<EOF
{"schema_version":1,"name":"cli base","steps":[
 {"goto":"/app/./x/../inner.html?u=https://e.test/a"},
 {"assert":{"text":"Inner page loaded"}}]}
EOF
run "$CDPILOT" run "$T_TMP/nobase.json" --base-url "$BASE/other/page" --no-cache --no-llm
expect_rc 0 "--base-url: dot segments and a URL in the query resolve"

# A base that is not an absolute URL with a host: exit 2, one line.
run "$CDPILOT" run "$T_TMP/nobase.json" --base-url "http://" --no-cache
expect_rc 2 "--base-url http:// (no host): exit 2"
expect_err '--base-url: .*"http://": no host' "--base-url without a host: says so"
cat >"$T_TMP/badbase.json" <<EOF
{"schema_version":1,"base_url":"http://a b/","steps":[{"goto":"/"}]}
EOF
run "$CDPILOT" run "$T_TMP/badbase.json" --no-cache
expect_rc 2 "base_url with a space: exit 2"
expect_err 'badbase.json: field "base_url": .*not a valid URL' "base_url with a space: names file and field"

expect_true "no browser left behind" test "$(browsers)" -le "$start"
done_testing
