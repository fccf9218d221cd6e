#!/usr/bin/env bash
# Start, stop or describe the project's own Redis and PostgreSQL 15 on loopback.
#
#   scripts/servers.sh start  [demo|test]   idempotent: running servers are left alone
#   scripts/servers.sh stop   [demo|test]
#   scripts/servers.sh status [demo|test]
#   scripts/servers.sh env    [demo|test]   prints `export REDIS_URL=… DATABASE_URL=…`
#
# Data lives under .local/<instance>/ (git-ignored). PostgreSQL refuses to run as
# root, so when started as root it runs as the `postgres` user, which then owns its
# data folder. Ports are the project's own, never the defaults:
#   demo: Redis 6390, PostgreSQL 5490      test: Redis 6391, PostgreSQL 5491
# Tests that need a server to themselves spawn extra ones on 6400-6499 / 5500-5599.
set -euo pipefail

cmd=${1:-start}
instance=${2:-demo}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "$instance" in
  demo) redis_port=6390; pg_port=5490 ;;
  test) redis_port=6391; pg_port=5491 ;;
  *) echo "servers.sh: unknown instance '$instance' (demo or test)" >&2; exit 64 ;;
esac
base="$root/.local/$instance"
redis_dir="$base/redis"
pg_dir="$base/pg"
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
pg_user=wwctl
pg_password=wwctl-local
pg_db=waywise

redis_url="redis://127.0.0.1:$redis_port/0"
database_url="postgresql://$pg_user:$pg_password@127.0.0.1:$pg_port/$pg_db"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

redis_up() { redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1; }
pg_up() { "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" >/dev/null 2>&1; }

start_redis() {
  if redis_up; then return; fi
  mkdir -p "$redis_dir"
  redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes \
    --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" \
    --save '' --appendonly no >/dev/null
  for _ in $(seq 1 100); do redis_up && return; sleep 0.05; done
  echo "servers.sh: redis-server did not start on port $redis_port; see $redis_dir/redis.log" >&2
  exit 69
}

start_pg() {
  if pg_up; then return; fi
  mkdir -p "$base"
  if [ ! -f "$pg_dir/PG_VERSION" ]; then
    rm -rf "$pg_dir"
    mkdir -p "$pg_dir"
    if [ "$(id -u)" = 0 ]; then
      chown postgres:postgres "$pg_dir"
      # The postgres user must be able to reach its data folder through the checkout.
      chmod o+x "$root" "$root/.local" "$base" 2>/dev/null || true
    fi
    local pwfile="$pg_dir.pw"
    printf '%s\n' "$pg_password" >"$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
    as_pg "$pg_bin/initdb" -D "$pg_dir" -U "$pg_user" --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
      || { echo "servers.sh: initdb failed; see $base/initdb.log" >&2; rm -f "$pwfile"; exit 69; }
    rm -f "$pwfile"
  fi
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir" -l "$pg_dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB -c max_wal_size=4GB -c checkpoint_timeout=30min" \
    start >/dev/null \
    || { echo "servers.sh: PostgreSQL did not start on port $pg_port; see $pg_dir/server.log" >&2; exit 69; }
  if ! as_pg "$pg_bin/psql" -h "$pg_dir" -p "$pg_port" -U "$pg_user" -d postgres -Atqc \
      "select 1 from pg_database where datname = '$pg_db'" 2>/dev/null | grep -q 1; then
    as_pg "$pg_bin/psql" -h "$pg_dir" -p "$pg_port" -U "$pg_user" -d postgres -qc "create database $pg_db" >/dev/null
  fi
}

stop_redis() {
  if redis_up; then redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; fi
}

stop_pg() {
  if [ -f "$pg_dir/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

case "$cmd" in
  start) start_redis; start_pg ;;
  stop) stop_redis; stop_pg ;;
  restart) stop_redis; stop_pg; start_redis; start_pg ;;
  status)
    if redis_up; then echo "redis $redis_url up"; else echo "redis $redis_url down"; fi
    if pg_up; then echo "postgres 127.0.0.1:$pg_port/$pg_db up"; else echo "postgres 127.0.0.1:$pg_port/$pg_db down"; fi ;;
  env)
    echo "export REDIS_URL='$redis_url'"
    echo "export DATABASE_URL='$database_url'" ;;
  *) echo "usage: servers.sh start|stop|restart|status|env [demo|test]" >&2; exit 64 ;;
esac
