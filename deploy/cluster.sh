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
  for _ in $(seq 1 100); do  # up to 10 s for the master to write its pid and bind
    alive "$dir/gunicorn.pid" && "$BIN/python" -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.5)" \
      2>/dev/null && return
    sleep 0.1
  done
  fail "server $number did not start on port $port (see $dir/error.log)"
}

stop_pidfile() {  # stop_pidfile FILE SIGNAL: signal, then wait up to 15 s
  local file="$1" signal="$2" pid
  alive "$file" || { rm -f "$file"; return 0; }
  pid="$(cat "$file")"
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
  (cd "$ROOT" && FLASK_SEARCH_SYNC=false FLASK_SEARCH_INDEX_DIR="$dir/search-index" \
     setsid nohup "${FLASK[@]}" jobs worker --workers 2 >> "$dir/worker.log" 2>&1 < /dev/null &
   echo $! > "$dir/worker.pid")
}

write_nginx_conf() {
  local upstreams="" port
  for port in "${APP_PORTS[@]}"; do
    upstreams+="        server 127.0.0.1:$port max_fails=1 fail_timeout=2s;"$'\n'
  done
  mkdir -p "$RUN_DIR/nginx-tmp"
  "$BIN/python" - "$ROOT/deploy/cluster/nginx.conf.in" "$RUN_DIR/nginx.conf" "$RUN_DIR" "$PORT" "$upstreams" <<'PY'
import sys
template, target, run_dir, port, upstreams = sys.argv[1:]
text = open(template, encoding="utf-8").read()
text = text.replace("@RUN_DIR@", run_dir).replace("@PORT@", port).replace("@UPSTREAMS@", upstreams.rstrip("\n"))
open(target, "w", encoding="utf-8").write(text)
PY
}

start_nginx() {
  alive "$RUN_DIR/nginx.pid" && return
  write_nginx_conf
  "$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" \
    || fail "nginx refused the generated configuration $RUN_DIR/nginx.conf"
  "$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log"
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
  local number
  [ -n "$(find_nginx)" ] && alive "$RUN_DIR/nginx.pid" && \
    "$(find_nginx)" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" -s quit 2>/dev/null || true
  stop_pidfile "$RUN_DIR/nginx.pid" TERM
  stop_pidfile "$RUN_DIR/worker/worker.pid" INT  # finishes the jobs it is running
  for number in $(seq 1 ${#APP_PORTS[@]}); do
    stop_pidfile "$(server_dir "$number")/gunicorn.pid" TERM
  done
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
