#!/usr/bin/env bash
# The real applications of the real-app suite: start, seed, reset, stop.
#
#   source tests/realapps/apps.sh; ra_start_all; ...; ra_reset APP; ...; ra_stop_all
#   tests/realapps/apps.sh serve   start them all, print their URLs and
#                                  logins, and keep them up until Ctrl-C
#
# Everything runs as private processes of the caller on 127.0.0.1, on free
# ports, with every file under one folder ($RA_TMP) that ra_stop_all removes:
# one MariaDB server (its own datadir and socket, no TCP) for WordPress and
# phpMyAdmin, two `php -S` servers, Prometheus scraping itself, Jupyter
# Notebook. Nothing is installed, enabled or started system-wide.
# See tests/realapps/README.md.

RA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RA_SEED=$RA_DIR/seed
RA_PY=/usr/bin/python3             # Debian's python3 (jupyter's modules)
RA_PIDS=()
RA_APPS=(wordpress phpmyadmin prometheus jupyter)
# The seeded logins (also in README.md and the tasks' vars).
RA_WP_USER=admin RA_WP_PASS=Garden-Club-22
RA_DB_USER=admin RA_DB_PASS=Shop-Admin-22
RA_NB_PASS=Notebook-22

ra_log() { printf 'realapps: %s\n' "$*" >&2; }
ra_die() { printf 'realapps: %s\n' "$*" >&2; exit 3; }
ra_now() { date +%s.%N; }
ra_since() { awk -v a="$1" -v b="$(ra_now)" 'BEGIN { printf "%.2f", b - a }'; }

ra_free_port() {
  "$RA_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ra_wait_http URL SECONDS: until URL answers any HTTP status.
ra_wait_http() {
  local url=$1 n=$(( $2 * 10 )) i
  for (( i = 0; i < n; i++ )); do
    curl -s -o /dev/null --max-time 2 "$url" && return 0
    sleep 0.1
  done
  return 1
}

# ra_bg NAME CMD...: start CMD in the background, logging to $RA_TMP/NAME.log,
# in a process group of its own (php -S forks workers, Jupyter kernels),
# which ra_stop_all stops whole.
ra_bg() {
  local name=$1; shift
  setsid "$@" >"$RA_TMP/$name.log" 2>&1 &
  RA_PIDS+=($!)
  eval "RA_PID_${name//-/_}=$!"
}

ra_sql() { mariadb --no-defaults -S "$RA_TMP/db.sock" -uroot "$@"; }

ra_db_start() {
  local t0; t0=$(ra_now)
  mariadb-install-db --no-defaults --datadir="$RA_TMP/db" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db \
      >"$RA_TMP/db-install.log" 2>&1 || { cat "$RA_TMP/db-install.log" >&2; ra_die "mariadb-install-db failed"; }
  ra_bg mariadb /usr/sbin/mariadbd --no-defaults --datadir="$RA_TMP/db" \
      --socket="$RA_TMP/db.sock" --skip-networking --pid-file="$RA_TMP/db.pid" \
      --user="$(id -un)" --innodb-buffer-pool-size=64M --skip-log-bin \
      --innodb-log-file-size=16M --tmpdir="$RA_TMP"
  local i
  for (( i = 0; i < 300; i++ )); do
    ra_sql -e 'select 1' >/dev/null 2>&1 && break
    kill -0 "$RA_PID_mariadb" 2>/dev/null || { cat "$RA_TMP/mariadb.log" >&2; ra_die "mariadbd exited"; }
    sleep 0.1
  done
  ra_sql -e 'select 1' >/dev/null || ra_die "mariadbd did not answer in 30 s"
  ra_sql -e "CREATE USER '$RA_DB_USER'@'localhost' IDENTIFIED BY '$RA_DB_PASS';
             GRANT ALL PRIVILEGES ON *.* TO '$RA_DB_USER'@'localhost' WITH GRANT OPTION;"
  RA_T_DB=$(ra_since "$t0")
}

# --- WordPress: Debian's /usr/share/wordpress through a folder of symlinks
# whose wp-config.php is ours (Debian's reads /etc/wordpress/config-HOST.php).
ra_wp_start() {
  local t0; t0=$(ra_now)
  RA_WP_PORT=$(ra_free_port)
  RA_WP_URL=http://127.0.0.1:$RA_WP_PORT
  local wp=$RA_TMP/wp f
  mkdir -p "$wp" "$RA_TMP/wp-content/uploads"
  for f in /usr/share/wordpress/*; do
    case ${f##*/} in wp-config.php|wp-content) ;; *) ln -s "$f" "$wp/" ;; esac
  done
  ln -s /usr/share/wordpress/wp-content/themes "$RA_TMP/wp-content/themes"
  ln -s /usr/share/wordpress/wp-content/plugins "$RA_TMP/wp-content/plugins"
  ln -s "$RA_TMP/wp-content" "$wp/wp-content"
  mkdir -p "$RA_TMP/wp-content/mu-plugins"
  cat >"$wp/wp-config.php" <<EOF
<?php
define('DB_NAME', 'wordpress');
define('DB_USER', '$RA_DB_USER');
define('DB_PASSWORD', '$RA_DB_PASS');
define('DB_HOST', 'localhost:$RA_TMP/db.sock');
define('DB_CHARSET', 'utf8mb4');
define('WP_HOME', '$RA_WP_URL');
define('WP_SITEURL', '$RA_WP_URL');
define('WP_CONTENT_DIR', '$RA_TMP/wp-content');
define('WP_CONTENT_URL', '$RA_WP_URL/wp-content');
define('AUTH_KEY', 'realapps-auth'); define('SECURE_AUTH_KEY', 'realapps-sauth');
define('LOGGED_IN_KEY', 'realapps-li'); define('NONCE_KEY', 'realapps-nonce');
define('AUTH_SALT', 'realapps-as'); define('SECURE_AUTH_SALT', 'realapps-sas');
define('LOGGED_IN_SALT', 'realapps-lis'); define('NONCE_SALT', 'realapps-ns');
/* Loopback only: no update checks, feeds or cron requests to the web. */
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('WP_DEBUG', false);
\$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
EOF
  # ABSPATH must name the symlink folder, not the files' real folder.
  printf "<?php define('ABSPATH', '%s/');\n" "$wp" >"$RA_TMP/wp-prepend.php"
  ra_sql -e "CREATE DATABASE wordpress CHARACTER SET utf8mb4"
  php -d auto_prepend_file="$RA_TMP/wp-prepend.php" "$RA_SEED/wordpress.php" \
      "$RA_WP_URL" "$RA_WP_USER" "$RA_WP_PASS" >"$RA_TMP/wp-seed.log" 2>&1 ||
      { cat "$RA_TMP/wp-seed.log" >&2; ra_die "seeding WordPress failed"; }
  mariadb-dump --no-defaults -S "$RA_TMP/db.sock" -uroot --databases wordpress \
      --add-drop-database --skip-comments >"$RA_TMP/wordpress.sql"
  cp -a "$RA_TMP/wp-content/uploads" "$RA_TMP/wp-uploads.seed"
  PHP_CLI_SERVER_WORKERS=4 ra_bg wordpress php -d auto_prepend_file="$RA_TMP/wp-prepend.php" \
      -d upload_max_filesize=8M -d post_max_size=8M -d session.save_path="$RA_TMP" \
      -d sys_temp_dir="$RA_TMP" -d upload_tmp_dir="$RA_TMP" \
      -d sendmail_path="cat >/dev/null" \
      -S "127.0.0.1:$RA_WP_PORT" -t "$wp"
  ra_wait_http "$RA_WP_URL/wp-login.php" 30 || ra_die "WordPress did not answer at $RA_WP_URL"
  RA_T_WP=$(ra_since "$t0")
}

# --- phpMyAdmin: Debian's files and Debian's config (server "localhost",
# cookie login); the socket it reaches is ours through mysqli.default_socket.
ra_pma_start() {
  local t0; t0=$(ra_now)
  RA_PMA_PORT=$(ra_free_port)
  RA_PMA_URL=http://127.0.0.1:$RA_PMA_PORT
  ra_sql <"$RA_SEED/shop.sql" || ra_die "seeding the shop database failed"
  mariadb-dump --no-defaults -S "$RA_TMP/db.sock" -uroot --databases shop \
      --add-drop-database --skip-comments >"$RA_TMP/shop.sql"
  PHP_CLI_SERVER_WORKERS=4 ra_bg phpmyadmin php -d mysqli.default_socket="$RA_TMP/db.sock" \
      -d session.save_path="$RA_TMP" -d sys_temp_dir="$RA_TMP" -d upload_tmp_dir="$RA_TMP" \
      -S "127.0.0.1:$RA_PMA_PORT" -t /usr/share/phpmyadmin
  ra_wait_http "$RA_PMA_URL/" 30 || ra_die "phpMyAdmin did not answer at $RA_PMA_URL"
  RA_T_PMA=$(ra_since "$t0")
}

# --- Prometheus scraping itself every second, with two rule groups.
ra_prom_start() {
  local t0; t0=$(ra_now)
  RA_PROM_PORT=$(ra_free_port)
  RA_PROM_URL=http://127.0.0.1:$RA_PROM_PORT
  mkdir -p "$RA_TMP/prom"
  sed "s/@PORT@/$RA_PROM_PORT/g; s|@RULES@|$RA_TMP/prom/rules.yml|" \
      "$RA_SEED/prometheus.yml" >"$RA_TMP/prom/prometheus.yml"
  cp "$RA_SEED/prometheus-rules.yml" "$RA_TMP/prom/rules.yml"
  ra_bg prometheus env -C "$RA_TMP/prom" prometheus --config.file="$RA_TMP/prom/prometheus.yml" \
      --storage.tsdb.path="$RA_TMP/prom/data" --web.listen-address="127.0.0.1:$RA_PROM_PORT" \
      --web.console.templates=/etc/prometheus/consoles \
      --web.console.libraries=/etc/prometheus/console_libraries
  ra_wait_http "$RA_PROM_URL/-/ready" 30 || ra_die "Prometheus did not answer at $RA_PROM_URL"
  # Seeded when it has scraped itself and evaluated its rules a few times.
  local i
  for (( i = 0; i < 150; i++ )); do
    curl -s "$RA_PROM_URL/api/v1/query?query=count_over_time(up%5B1m%5D)" |
        grep -q '"value":\[[0-9.]*,"[3-9]' && break
    sleep 0.2
  done
  RA_T_PROM=$(ra_since "$t0")
}

# --- Jupyter Notebook with a password login, over a copied notebook folder.
ra_nb_start() {
  local t0; t0=$(ra_now)
  RA_NB_PORT=$(ra_free_port)
  RA_NB_URL=http://127.0.0.1:$RA_NB_PORT
  mkdir -p "$RA_TMP/nb-home" "$RA_TMP/nb"
  cp -a "$RA_SEED/notebooks/." "$RA_TMP/nb/"
  local hash
  hash=$("$RA_PY" -c 'import sys; from notebook.auth import passwd; print(passwd(sys.argv[1], "sha1"))' "$RA_NB_PASS")
  HOME=$RA_TMP/nb-home JUPYTER_CONFIG_DIR=$RA_TMP/nb-home/config \
  JUPYTER_DATA_DIR=$RA_TMP/nb-home/data JUPYTER_RUNTIME_DIR=$RA_TMP/nb-home/run \
  IPYTHONDIR=$RA_TMP/nb-home/ipython TMPDIR=$RA_TMP \
      ra_bg jupyter "$RA_PY" -m notebook --no-browser --ip=127.0.0.1 --port="$RA_NB_PORT" \
      --port-retries=0 --notebook-dir="$RA_TMP/nb" --NotebookApp.token= \
      --NotebookApp.password="$hash" --NotebookApp.open_browser=False \
      --NotebookApp.allow_root=True --NotebookApp.check_update=False 2>/dev/null
  ra_wait_http "$RA_NB_URL/login" 60 || { cat "$RA_TMP/jupyter.log" >&2; ra_die "Jupyter did not answer at $RA_NB_URL"; }
  RA_T_NB=$(ra_since "$t0")
}

ra_start_all() {
  RA_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cdpilot-realapps.XXXXXX")
  chmod 755 "$RA_TMP"
  local t0; t0=$(ra_now)
  ra_db_start
  ra_wp_start
  ra_pma_start
  ra_prom_start
  ra_nb_start
  RA_T_START=$(ra_since "$t0")
  ra_log "started in ${RA_T_START} s (mariadb ${RA_T_DB} s, wordpress ${RA_T_WP} s," \
         "phpmyadmin ${RA_T_PMA} s, prometheus ${RA_T_PROM} s, jupyter ${RA_T_NB} s)"
}

ra_url() {
  case $1 in
    wordpress) echo "$RA_WP_URL" ;; phpmyadmin) echo "$RA_PMA_URL" ;;
    prometheus) echo "$RA_PROM_URL" ;; jupyter) echo "$RA_NB_URL" ;;
    *) ra_die "no app named $1" ;;
  esac
}

# ra_reset APP: the app's seeded state again, so tasks are independent.
ra_reset() {
  local t0; t0=$(ra_now)
  case $1 in
    wordpress)
      ra_sql <"$RA_TMP/wordpress.sql" || ra_die "reset: restoring WordPress's database failed"
      rm -rf "$RA_TMP/wp-content/uploads"
      cp -a "$RA_TMP/wp-uploads.seed" "$RA_TMP/wp-content/uploads" ;;
    phpmyadmin)
      ra_sql <"$RA_TMP/shop.sql" || ra_die "reset: restoring the shop database failed" ;;
    prometheus)
      # The web UI cannot change Prometheus's state (no admin API): a
      # reset is a check that it still serves.
      curl -sf -o /dev/null "$RA_PROM_URL/-/ready" || ra_die "reset: Prometheus is not ready" ;;
    jupyter)
      # Running kernels stopped, the notebook folder copied afresh; a
      # server that a task shut down ("Quit") is started again.
      if ! curl -s -o /dev/null --max-time 5 "$RA_NB_URL/login"; then
        kill -- "-$RA_PID_jupyter" 2>/dev/null || true
        ra_nb_start
      fi
      ra_nb_api_reset
      find "$RA_TMP/nb" -mindepth 1 -delete
      cp -a "$RA_SEED/notebooks/." "$RA_TMP/nb/"
      [[ -z "${RA_CHANGED:-}" ]] || cp -a "$RA_SEED/changed/notebooks/." "$RA_TMP/nb/" ;;
  esac
  RA_T_RESET=$(ra_since "$t0")
}

# Jupyter's REST API needs a login: shut its sessions down through the
# server's own Python, logged in with the seeded password.
ra_nb_api_reset() {
  "$RA_PY" - "$RA_NB_URL" "$RA_NB_PASS" <<'EOF' >/dev/null 2>&1 || true
import sys, json, urllib.request, urllib.parse, http.cookiejar
url, pw = sys.argv[1], sys.argv[2]
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
op.open(url + "/login", timeout=5).read()
xsrf = next((c.value for c in jar if c.name == "_xsrf"), "")
op.open(url + "/login", urllib.parse.urlencode({"password": pw, "_xsrf": xsrf}).encode(), timeout=5).read()
hdr = {"X-XSRFToken": xsrf}
for s in json.load(op.open(url + "/api/sessions", timeout=5)):
    op.open(urllib.request.Request(url + "/api/sessions/" + s["id"], method="DELETE", headers=hdr), timeout=10).read()
EOF
}

# ra_mutate: the changed pass's apps. Their data changes (rows and list
# items in another order, fields added, near-duplicate names) and become
# the new reset point; WordPress's markup changes too (fields reordered, ids
# renamed, buttons moved: seed/changed/realapps-changed.php).
ra_mutate() {
  local t0; t0=$(ra_now)
  RA_CHANGED=1
  ra_sql <"$RA_TMP/wordpress.sql" || ra_die "changed: restoring WordPress failed"
  php -d auto_prepend_file="$RA_TMP/wp-prepend.php" "$RA_SEED/changed/wordpress.php" \
      "$RA_WP_URL" >"$RA_TMP/wp-changed.log" 2>&1 ||
      { cat "$RA_TMP/wp-changed.log" >&2; ra_die "changing WordPress's data failed"; }
  mariadb-dump --no-defaults -S "$RA_TMP/db.sock" -uroot --databases wordpress \
      --add-drop-database --skip-comments >"$RA_TMP/wordpress.sql"
  cp "$RA_SEED/changed/realapps-changed.php" "$RA_TMP/wp-content/mu-plugins/"
  ra_sql <"$RA_SEED/changed/shop.sql" || ra_die "changed: loading the shop failed"
  mariadb-dump --no-defaults -S "$RA_TMP/db.sock" -uroot --databases shop \
      --add-drop-database --skip-comments >"$RA_TMP/shop.sql"
  sed "s/@PORT@/$RA_PROM_PORT/g; s|@RULES@|$RA_TMP/prom/rules.yml|" \
      "$RA_SEED/changed/prometheus.yml" >"$RA_TMP/prom/prometheus.yml"
  cp "$RA_SEED/changed/prometheus-rules.yml" "$RA_TMP/prom/rules.yml"
  kill -HUP "$RA_PID_prometheus"
  local i
  for (( i = 0; i < 100; i++ )); do
    curl -s "$RA_PROM_URL/api/v1/targets" | grep -q api-gateway && break
    sleep 0.2
  done
  curl -s "$RA_PROM_URL/api/v1/targets" | grep -q api-gateway ||
      ra_die "changed: Prometheus did not load its changed configuration"
  ra_log "changed the apps in $(ra_since "$t0") s"
}

# Stops every process started here (TERM, then KILL after 10 s), removes $RA_TMP.
ra_stop_all() {
  local p i
  if [[ -n "${RA_PID_mariadb:-}" ]] && kill -0 "$RA_PID_mariadb" 2>/dev/null; then
    mariadb-admin --no-defaults -S "$RA_TMP/db.sock" -uroot shutdown >/dev/null 2>&1 || true
  fi
  for p in "${RA_PIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  for (( i = 0; i < 100; i++ )); do
    local alive=
    for p in "${RA_PIDS[@]}"; do kill -0 -- "-$p" 2>/dev/null && alive=1 || true; done
    [[ -z $alive ]] && break
    sleep 0.1
  done
  for p in "${RA_PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  for p in "${RA_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  RA_PIDS=()
  # Anything still running from the folder was missed: say so, and stop it.
  local left
  left=$(pgrep -f -- "${RA_TMP:-/nonexistent}/" || true)
  if [[ -n "${RA_TMP:-}" && -n $left ]]; then
    ra_log "processes left running from $RA_TMP: $(echo $left); killing them"
    kill -KILL $left 2>/dev/null || true
    RA_LEFT=1
  fi
  if [[ -n "${RA_TMP:-}" && -d "$RA_TMP" ]]; then rm -rf "$RA_TMP"; fi
  RA_TMP=
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
    serve)
      trap 'ra_stop_all' EXIT
      trap 'exit 130' INT TERM
      ra_start_all
      printf 'wordpress   %s/wp-admin/   %s / %s\n' "$RA_WP_URL" "$RA_WP_USER" "$RA_WP_PASS"
      printf 'phpmyadmin  %s/   %s / %s\n' "$RA_PMA_URL" "$RA_DB_USER" "$RA_DB_PASS"
      printf 'prometheus  %s/\n' "$RA_PROM_URL"
      printf 'jupyter     %s/   password %s\n' "$RA_NB_URL" "$RA_NB_PASS"
      printf 'state in %s; Ctrl-C stops them all\n' "$RA_TMP"
      [[ -n "${RA_ENV_FILE:-}" ]] && printf 'RA_WP_URL=%s\nRA_PMA_URL=%s\nRA_PROM_URL=%s\nRA_NB_URL=%s\nRA_TMP=%s\n' \
          "$RA_WP_URL" "$RA_PMA_URL" "$RA_PROM_URL" "$RA_NB_URL" "$RA_TMP" >"$RA_ENV_FILE"
      while :; do sleep 1; done ;;
    *) echo "usage: $0 serve" >&2; exit 2 ;;
  esac
fi
