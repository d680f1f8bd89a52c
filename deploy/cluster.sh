#!/usr/bin/env bash
# Three Chợ Quê app servers on one machine, as they would run on three: each its own gunicorn,
# its own folder and its own Whoosh index (following the search_changes log of the shared
# PostgreSQL), one shared Redis (job queue, rate-limit counters, page cache), one Huey worker,
# and nginx in front.
#
#   FLASK_SQLALCHEMY_DATABASE_URI=postgresql+psycopg://postgres@127.0.0.1:5432/choque \
#   FLASK_REDIS_URL=redis://127.0.0.1:6379/3 deploy/cluster.sh start|stop|status
#
# Settings (environment):
#   FLASK_SQLALCHEMY_DATABASE_URI  PostgreSQL (required: the servers share it)
#   FLASK_REDIS_URL                Redis (required: queue, limits and cache are shared through it)
#   CLUSTER_DIR                    run folder (default instance/cluster): logs, pids, indexes, nginx.conf
#   CLUSTER_PORT                   nginx's port (default 8080)
#   CLUSTER_APP_PORTS              the servers' ports (default "8101 8102 8103"; their number is free)
#   CLUSTER_WORKERS                gunicorn workers per server (default 2)
#   CLUSTER_DEMO=1                 load the demo data into an empty database
#   FLASK_SECRET_KEY               shared by the servers (default: made once into CLUSTER_DIR/secret_key)
#   FLASK_S3_BUCKET (+ FLASK_S3_*) photos in a bucket; without it the servers share
#                                  CLUSTER_DIR/uploads (on separate machines, use a bucket)
# `start` starts whatever is not running (so after a server died it starts just that one);
# `start-server N` / `stop-server N` act on one app server (1-based).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN_DIR="${CLUSTER_DIR:-$ROOT/instance/cluster}"
PORT="${CLUSTER_PORT:-8080}"
read -r -a APP_PORTS <<< "${CLUSTER_APP_PORTS:-8101 8102 8103}"
WORKERS="${CLUSTER_WORKERS:-2}"
BIN="$ROOT/.venv/bin"
[ -x "$BIN/python" ] || BIN="$(dirname "$(command -v python3)")"
FLASK=("$BIN/flask" --app app)

say() { printf '%s\n' "$*"; }
fail() { printf 'cluster: %s\n' "$*" >&2; exit 2; }

alive() {  # alive PIDFILE: the process named in it runs
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

find_nginx() {
  command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true
}

ensure_nginx() {
  NGINX="$(find_nginx)"
  if [ -z "$NGINX" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "nginx is missing: installing Debian's nginx package"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
      NGINX="$(find_nginx)"
    fi
    [ -n "$NGINX" ] || fail "nginx is not installed and cannot be installed here (not root, or no apt-get): \
install it (apt-get install nginx) and run this again"
  fi
}

common_env() {
  [ -n "${FLASK_SQLALCHEMY_DATABASE_URI:-}" ] || fail "set FLASK_SQLALCHEMY_DATABASE_URI (the servers share one PostgreSQL)"
  case "$FLASK_SQLALCHEMY_DATABASE_URI" in
    postgresql*) ;;
    *) fail "FLASK_SQLALCHEMY_DATABASE_URI must be PostgreSQL: several servers cannot share an SQLite file" ;;
  esac
  [ -n "${FLASK_REDIS_URL:-}" ] || fail "set FLASK_REDIS_URL (the servers share one Redis)"
  mkdir -p "$RUN_DIR"
  if [ -z "${FLASK_SECRET_KEY:-}" ]; then
    [ -s "$RUN_DIR/secret_key" ] || (umask 077; "$BIN/python" -c 'import secrets; print(secrets.token_hex(32))' > "$RUN_DIR/secret_key")
    FLASK_SECRET_KEY="$(cat "$RUN_DIR/secret_key")"
  fi
  export FLASK_SECRET_KEY FLASK_SQLALCHEMY_DATABASE_URI FLASK_REDIS_URL
  # Rate-limit counters in the shared Redis (Flask-Limiter's storage URI), so a limit is one
  # limit however many servers answer.
  export FLASK_RATELIMIT_STORAGE_URI="${FLASK_RATELIMIT_STORAGE_URI:-$FLASK_REDIS_URL}"
  export FLASK_UPLOAD_DIR="${FLASK_UPLOAD_DIR:-$RUN_DIR/uploads}"
  export FLASK_FEED_CACHE_DIR="${FLASK_FEED_CACHE_DIR:-$RUN_DIR/feeds}"
  export FLASK_BACKUP_DIR="${FLASK_BACKUP_DIR:-$RUN_DIR/backups}"
  export FLASK_PROXY_FIX_HOPS="${FLASK_PROXY_FIX_HOPS:-1}"
  export FLASK_PUBLIC_BASE_URL="${FLASK_PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}"
  export FLASK_LOG_JSON="${FLASK_LOG_JSON:-true}"
  export PYTHONDONTWRITEBYTECODE=1
}

check_services() {
  "$BIN/python" - <<'PY' || fail "PostgreSQL or Redis is not reachable (see above)"
import os, sys
import redis, sqlalchemy as sa
try:
    sa.create_engine(os.environ["FLASK_SQLALCHEMY_DATABASE_URI"]).connect().close()
except Exception as error:
    sys.exit(f"PostgreSQL: {error}".splitlines()[0])
try:
    redis.Redis.from_url(os.environ["FLASK_REDIS_URL"], socket_timeout=3).ping()
except Exception as error:
    sys.exit(f"Redis: {error}")
PY
}

server_dir() { echo "$RUN_DIR/app-$1"; }

start_server() {  # start_server N (1-based)
  local number="$1" port="${APP_PORTS[$(( $1 - 1 ))]}" dir
  dir="$(server_dir "$number")"
  mkdir -p "$dir"
  if alive "$dir/gunicorn.pid"; then
    return
  fi
  local config=()
  [ -f "$ROOT/deploy/gunicorn.conf.py" ] && config=(-c "$ROOT/deploy/gunicorn.conf.py")
  # Its own index, brought up to date (or built) before it takes requests.
  (cd "$ROOT" && FLASK_SEARCH_INDEX_DIR="$dir/search-index" "${FLASK[@]}" search rebuild --if-needed --lang en \
     >> "$dir/start.log" 2>&1) || fail "server $number: search index could not be prepared (see $dir/start.log)"
  (cd "$ROOT" && FLASK_SEARCH_INDEX_DIR="$dir/search-index" "$BIN/gunicorn" "${config[@]}" \
     --bind "127.0.0.1:$port" --workers "$WORKERS" --pid "$dir/gunicorn.pid" --daemon \
     --access-logfile "$dir/access.log" --error-logfile "$dir/error.log" --capture-output \
     --name "choque-app-$number" wsgi:app)
  # Started means answering: up to 60 s for the workers to load the app and serve a page.
  "$BIN/python" - "$port" <<'PY' || fail "server $number did not answer on port $port (see $dir/error.log)"
import sys, time, urllib.request
deadline = time.monotonic() + 60
while True:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=30) as answer:
            sys.exit(0 if answer.status == 200 else 1)
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.2)
PY
}

stop_pidfile() {  # stop_pidfile FILE SIGNAL: signal, then wait up to 15 s
  local file="$1" signal="$2" pid
  alive "$file" || { rm -f "$file"; return 0; }
  pid="$(cat "$file" 2>/dev/null)" || return 0  # gone meanwhile (nginx removes its own)
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

start_worker() {
  local dir="$RUN_DIR/worker"
  mkdir -p "$dir"
  alive "$dir/worker.pid" && return
  # The worker's commits need no index of their own: the servers follow the log.
  # Its own session (a Ctrl-C at this terminal does not reach it); the shell writes its own pid,
  # then becomes the worker, so the pid file names the worker itself.
  (cd "$ROOT" && FLASK_SEARCH_SYNC=false FLASK_SEARCH_INDEX_DIR="$dir/search-index" \
     exec setsid sh -c 'echo $$ > "$1"; shift; exec "$@"' sh "$dir/worker.pid" "${FLASK[@]}" jobs worker --workers 2 \
     >> "$dir/worker.log" 2>&1 < /dev/null) &
  for _ in $(seq 1 50); do
    alive "$dir/worker.pid" && return
    sleep 0.1
  done
  fail "the job worker did not start (see $dir/worker.log)"
}

write_nginx_conf() {
  local upstreams="" port
  for port in "${APP_PORTS[@]}"; do
    upstreams+="        server 127.0.0.1:$port max_fails=1 fail_timeout=2s;"$'\n'
  done
  mkdir -p "$RUN_DIR/nginx-tmp"
  # nginx started by root hands its workers to "nobody", who may not enter RUN_DIR (a private
  # temp folder) to buffer a large upload: this local cluster's workers stay with the user
  # who runs it. (The production site file is deploy/nginx/, run by the system's nginx.)
  local user_line=""
  [ "$(id -u)" = 0 ] && user_line="user root root;"
  "$BIN/python" - "$ROOT/deploy/cluster/nginx.conf.in" "$RUN_DIR/nginx.conf" "$RUN_DIR" "$PORT" "$upstreams" \
    "$user_line" <<'PY'
import sys
template, target, run_dir, port, upstreams, user_line = sys.argv[1:]
text = open(template, encoding="utf-8").read()
text = text.replace("@RUN_DIR@", run_dir).replace("@PORT@", port).replace("@UPSTREAMS@", upstreams.rstrip("\n"))
text = text.replace("@USER_LINE@", user_line)
open(target, "w", encoding="utf-8").write(text)
PY
}

start_nginx() {
  alive "$RUN_DIR/nginx.pid" && return
  write_nginx_conf
  "$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" \
    || fail "nginx refused the generated configuration $RUN_DIR/nginx.conf"
  # Not holding this script's output open: nginx goes on running after the script ends.
  "$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" \
    < /dev/null > "$RUN_DIR/nginx-start.log" 2>&1 || fail "nginx did not start: $(cat "$RUN_DIR/nginx-start.log")"
}

print_urls() {
  local number=1 port
  say "site (nginx):  http://127.0.0.1:$PORT/"
  for port in "${APP_PORTS[@]}"; do
    say "server $number:      http://127.0.0.1:$port/  ($(server_dir $number))"
    number=$(( number + 1 ))
  done
}

status() {
  local number=1 port state rc=0
  for port in "${APP_PORTS[@]}"; do
    if alive "$(server_dir $number)/gunicorn.pid"; then state="running (pid $(cat "$(server_dir $number)/gunicorn.pid"))"
    else state="stopped"; rc=3; fi
    say "server $number  127.0.0.1:$port  $state"
    number=$(( number + 1 ))
  done
  if alive "$RUN_DIR/worker/worker.pid"; then say "worker    running (pid $(cat "$RUN_DIR/worker/worker.pid"))"
  else say "worker    stopped"; rc=3; fi
  if alive "$RUN_DIR/nginx.pid"; then say "nginx     127.0.0.1:$PORT  running (pid $(cat "$RUN_DIR/nginx.pid"))"
  else say "nginx     127.0.0.1:$PORT  stopped"; rc=3; fi
  return $rc
}

start() {
  ensure_nginx
  common_env
  check_services
  (cd "$ROOT" && "${FLASK[@]}" db upgrade >> "$RUN_DIR/migrate.log" 2>&1) \
    || fail "database migration failed (see $RUN_DIR/migrate.log)"
  if [ "${CLUSTER_DEMO:-0}" = 1 ]; then
    (cd "$ROOT" && FLASK_SEARCH_SYNC=false "${FLASK[@]}" demo load >> "$RUN_DIR/demo.log" 2>&1) \
      || fail "demo data could not be loaded (see $RUN_DIR/demo.log)"
  fi
  local number pids=() failed=0
  for number in $(seq 1 ${#APP_PORTS[@]}); do  # side by side: each builds its own index first
    start_server "$number" & pids+=($!)
  done
  for number in "${pids[@]}"; do
    wait "$number" || failed=1
  done
  [ "$failed" = 0 ] || fail "not every app server started (see above)"
  start_worker
  start_nginx
  print_urls
}

stop() {
  local number pids=()
  stop_pidfile "$RUN_DIR/nginx.pid" QUIT  # nginx's graceful stop: requests under way finish
  stop_pidfile "$RUN_DIR/worker/worker.pid" INT & pids+=($!)  # finishes the jobs it is running
  for number in $(seq 1 ${#APP_PORTS[@]}); do
    stop_pidfile "$(server_dir "$number")/gunicorn.pid" TERM & pids+=($!)
  done
  wait "${pids[@]}"
  say "cluster stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  start-server) common_env; start_server "${2:?server number}"; say "server $2 running" ;;
  stop-server) stop_pidfile "$(server_dir "${2:?server number}")/gunicorn.pid" TERM; say "server $2 stopped" ;;
  urls) print_urls ;;
  *) say "usage: $0 start|stop|status|start-server N|stop-server N|urls"; exit 64 ;;
esac
