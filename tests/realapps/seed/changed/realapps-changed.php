<?php
/*
 * Plugin Name: realapps changed markup
 * Description: The real-app suite's changed pass: the same pages with their
 * fields reordered, ids renamed and buttons moved, as a redesign would.
 */
function realapps_changed_js($js) {
    echo "<script>document.addEventListener('DOMContentLoaded', function () {\n$js\n});</script>\n";
}
/* Log-in form: password above the user name, new ids (labels follow),
 * the "Log In" button before "Remember Me". */
add_action('login_footer', function () {
    realapps_changed_js(<<<'JS'
var f = document.getElementById('loginform');
if (!f) return;
var user = f.querySelector('#user_login'), pass = f.querySelector('#user_pass');
var userP = user && user.closest('p'), passW = pass && pass.closest('.user-pass-wrap');
if (userP && passW) f.insertBefore(passW, userP);
function rename(el, id) {
  var l = f.querySelector('label[for="' + el.id + '"]');
  el.id = id; if (l) l.htmlFor = id;
}
if (user) rename(user, 'login-name');
if (pass) rename(pass, 'login-secret');
var sub = f.querySelector('p.submit'), rem = f.querySelector('p.forgetmenot');
if (sub && rem) f.insertBefore(sub, rem);
JS);
});
/* Admin screens: settings rows in another order with renamed ids; list
 * screens with the search box moved under the table and renamed ids. */
add_action('admin_footer', function () {
    realapps_changed_js(<<<'JS'
document.querySelectorAll('table.form-table tbody').forEach(function (tb) {
  var rows = Array.prototype.slice.call(tb.children);
  if (rows.length > 2) tb.insertBefore(rows[1], rows[0]);
  tb.querySelectorAll('input[type=text][id], input[type=email][id], input[type=number][id],' +
                      'input[type=checkbox][id], select[id]').forEach(function (el) {
    if (/pass/.test(el.id)) return;
    var l = document.querySelector('label[for="' + el.id + '"]');
    el.id = 'x-' + el.id; if (l) l.htmlFor = el.id;
  });
});
var box = document.querySelector('p.search-box'), form = box && box.closest('form');
var bottom = document.querySelector('.tablenav.bottom');
if (box && bottom) bottom.parentNode.insertBefore(box, bottom.nextSibling);
var go = document.getElementById('search-submit');
if (go) go.id = 'search-go';
JS);
});
