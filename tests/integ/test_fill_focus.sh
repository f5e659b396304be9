#!/usr/bin/env bash
# A fill that races the page's own focus change (docs/RELIABILITY.md): a
# login page that moves the focus to its user field by a timer of its
# own, right between cdpilot focusing the password field and typing
# into it. The text must end up in the field the step names, and the
# field the focus went to must stay as it was. The page here moves
# the focus at the worst moment every time: in a microtask queued by the
# password field's first focus event (it runs before the typing
# arrives).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

# The hash says what the page does: "user", move the focus to the user
# field and select it, as a login page's timer does; "next", move it on
# to the next box after each input, as one-digit code boxes do (the
# page's own doing, to be left as it is).
cat >"$site/login.html" <<'EOF'
<!doctype html><html><head><title>Log in</title></head><body>
<form id="f" onsubmit="location.hash = 'sent-' + this.user.value + '-' + this.pw.value; return false">
<label>User <input id="user" name="user"></label>
<label>Password <input id="pw" type="password" name="pw"></label>
<button type="submit" id="go">Log in</button></form>
<p><label>Code <input id="c1" maxlength="1" size="1"></label>
<input id="c2" maxlength="1" size="1" aria-label="Code 2"></p>
<script>
var steal = location.hash.slice(1), done = false, inputs = [];
document.addEventListener('input', function (e) { inputs.push(e.target.id); });
function move(to) {
  Promise.resolve().then(function () {
    var t = document.getElementById(to); t.focus(); if (t.select) t.select();
  });
}
document.getElementById('pw').addEventListener('focus', function () {
  if (done || steal !== 'user') return;
  done = true;
  move('user');
});
document.getElementById('c1').addEventListener('input', function () {
  if (steal === 'next') document.getElementById('c2').focus();
});
</script></body></html>
EOF

traced login <<EOF
{"schema_version":1,"name":"login","steps":[{"goto":"$BASE/login.html#user"},
 {"fill":"User","value":"ann"}, {"fill":"Password","value":"pw-42"},
 {"click":"Log in"},
 {"assert":{"js":"location.hash === '#sent-ann-pw-42'"}}]}
EOF
expect_rc 0 "focus moved to the user field before the typing: both fields right"

# The field the focus went to never sees the text (no input event there,
# so a framework's copy of it stays right too); the field the step names
# gets it with an input event.
traced restore <<EOF
{"schema_version":1,"name":"restore","steps":[{"goto":"$BASE/login.html#user"},
 {"fill":"css=#user","value":"ann"}, {"fill":"css=#pw","value":"pw-42"},
 {"assert":{"js":"document.getElementById('user').value === 'ann' && document.getElementById('pw').value === 'pw-42'"}},
 {"assert":{"js":"inputs.join() === 'user,pw'"}}]}
EOF
expect_rc 0 "explicit targets too; the other field never sees the text"

# The page moving the focus after the text went in is the page's own
# doing: nothing is typed again.
traced code <<EOF
{"schema_version":1,"name":"code","steps":[{"goto":"$BASE/login.html#next"},
 {"fill":"css=#c1","value":"7"},
 {"assert":{"js":"document.getElementById('c1').value === '7' && document.getElementById('c2').value === '' && document.activeElement.id === 'c2'"}},
 {"assert":{"js":"inputs.join() === 'c1'"}}]}
EOF
expect_rc 0 "focus moved on by the page after the typing: left as it is"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
