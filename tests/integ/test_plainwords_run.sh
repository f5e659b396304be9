#!/usr/bin/env bash
# Plain words on markup as real applications write it (issue 22), end to
# end with --no-llm and no cache: each task checks where its click or fill
# landed, so a wrong element fails it. Evidence the collector sends for
# them (docs/CANDIDATES.md): the form of a field and the task's fills
# (pattern 2), the editor standing in for a hidden textarea (1), a
# list's rows (3, 6) and the link inside a tree item (5).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

# A header link and the form's button say the same words; the task has
# just filled that form, so "Log in" is its button.
cat >"$site/login.html" <<'EOF'
<!doctype html><html><head><title>Login</title></head><body>
<header><a href="/">Site</a> <ul><li><a href="#register">Register</a></li>
<li><a href="#login-link" class="action login">Log in</a></li></ul></header>
<main><h1>Login</h1><p>Enter your credentials below to log in.</p>
<form id="login" onsubmit="location.hash='sent-'+this.u.value; return false">
<label><span>User</span> <input type="text" name="u"></label>
<label><span>Password</span> <input type="password" name="p"></label>
<button type="submit">Log in</button></form></main></body></html>
EOF
traced login <<EOF
{"schema_version":1,"name":"login","steps":[{"goto":"$BASE/login.html"},
 {"fill":"User","value":"ann"}, {"fill":"Password","value":"pw"},
 {"click":"Log in"},
 {"assert":{"js":"location.hash === '#sent-ann'"}}]}
EOF
expect_rc 0 "after fills, the form's Log in button (not the header's link)"
expect_true "the click came from the heuristics" test "$(py_json 'r["steps"][3]["source"]')" = heuristic

# A code editor hides its form's textarea and shows its own editable
# right after it; an unlabelled comment box; a search form's field.
cat >"$site/sql.html" <<'EOF'
<!doctype html><html><head><title>SQL</title>
<style>.cm{border:1px solid #999;height:80px;position:relative}</style></head><body>
<form id="q"><fieldset><legend>Run SQL query/queries on database shop:</legend>
<textarea name="sql_query" id="sqlquery" style="display:none"></textarea><div class="cm"><div style="overflow:hidden;position:relative;width:3px;height:0;top:4px;left:4px"><textarea id="cm-input" tabindex="0" style="position:absolute;bottom:-1em;padding:0;width:1px;height:1em;outline:none"></textarea></div><pre class="cm-code">-- query</pre></div>
<input type="button" value="Clear"> <input type="submit" value="Go"></fieldset></form>
<form class="search-form"><input type="text" name="s" id="s"> <button type="button">Go</button></form>
<h2>Leave a reply</h2><form id="reply"><textarea id="comment" name="comment"></textarea>
<button type="button">Post Comment</button></form>
</body></html>
EOF
for c in 'the SQL query box|SELECT 1|cm-input' 'the search box|mugs|s' \
         'the comment box|Nice|comment'; do
  IFS='|' read -r words value id <<<"$c"
  traced sql <<EOF
{"schema_version":1,"name":"sql","steps":[{"goto":"$BASE/sql.html"},
 {"fill":"$words","value":"$value"},
 {"assert":{"js":"document.getElementById('$id').value === '$value'"}}]}
EOF
  expect_rc 0 "fill \"$words\": #$id"
done

# Rows with an action link and the row's subject: "select customers";
# a breadcrumb showing a name that the list repeats: "the third docs
# link" counts the list; a tree item whose centre is its expand toggle:
# "playground namespace" is the link inside it.
cat >"$site/lists.html" <<'EOF'
<!doctype html><html><head><title>Lists</title>
<style>.li{display:flex;width:400px} .toggle{display:inline-block;width:300px;height:18px;cursor:pointer}</style></head><body>
<nav class="crumbs"><a href="#home">start</a> » <a href="#crumb">docs</a></nav>
<ul id="tables"><li><a href="#select-customers" class="select">select</a> <a href="#table-customers">customers</a></li>
<li><a href="#select-orders" class="select">select</a> <a href="#table-orders">orders</a></li>
<li><a href="#select-products" class="select">select</a> <a href="#table-products">products</a></li></ul>
<h2>Recent changes</h2><ul class="recent"><li><a href="#r1">docs</a> edited</li><li><a href="#r2">wiki</a> edited</li>
<li><a href="#r3">docs</a> edited</li><li><a href="#r4">docs</a> edited</li></ul>
<h2>Namespaces</h2><ul role="tree">
<li role="treeitem" aria-expanded="false"><div class="li"><span class="toggle" onclick="this.closest('li').setAttribute('aria-expanded','true')"></span><a href="#ns-playground">playground</a></div></li>
<li role="treeitem" aria-expanded="false"><div class="li"><span class="toggle" onclick="this.closest('li').setAttribute('aria-expanded','true')"></span><a href="#ns-wiki">wiki</a></div></li></ul>
</body></html>
EOF
for c in 'select customers|#select-customers' 'select orders|#select-orders' \
         'the third docs link|#r4' 'playground namespace|#ns-playground'; do
  IFS='|' read -r words hash <<<"$c"
  traced lists <<EOF
{"schema_version":1,"name":"lists","steps":[{"goto":"$BASE/lists.html"},
 {"click":"$words"}, {"assert":{"js":"location.hash === '$hash'"}}]}
EOF
  expect_rc 0 "click \"$words\": $hash"
  expect_true "\"$words\" from the heuristics" test "$(py_json 'r["steps"][1]["source"]')" = heuristic
done

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
