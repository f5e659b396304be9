#!/usr/bin/env bash
# select on a list that the page fills after load (its options fetched
# by AJAX, as Prometheus's "insert metric at cursor" is): the option is
# waited for within the step's time, as a person waits for the list to
# fill; an option that never comes still fails, naming the options.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

cat >"$site/metrics.html" <<'EOF'
<!doctype html><html><head><title>Graph</title></head><body>
<select name="insert_metric" onchange="document.getElementById('q').value = this.value">
<option value="">- insert metric at cursor -</option></select>
<input id="q" aria-label="Expression">
<script>
setTimeout(function () {
  var s = document.querySelector('select');
  ['go_goroutines', 'prometheus_build_info', 'up'].forEach(function (m) {
    var o = document.createElement('option'); o.value = o.textContent = m; s.appendChild(o);
  });
}, 800);
</script></body></html>
EOF
traced metric <<EOF
{"schema_version":1,"name":"metric","steps":[{"goto":"$BASE/metrics.html"},
 {"select":"insert metric at cursor","value":"prometheus_build_info"},
 {"assert":{"js":"document.getElementById('q').value === 'prometheus_build_info'"}}]}
EOF
expect_rc 0 "the option the page adds after load is waited for"

traced never <<EOF
{"schema_version":1,"name":"never","steps":[{"goto":"$BASE/metrics.html"},
 {"select":"insert metric at cursor","value":"no_such_metric","timeout_ms":1500}]}
EOF
expect_rc 1 "an option that never comes: the step fails"
expect_err 'no option "no_such_metric"; options: .*prometheus_build_info' "naming the options there"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
