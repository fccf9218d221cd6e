#!/usr/bin/env bash
# Start, stop or describe the project's own Redis and PostgreSQL 15 on loopback.
#
#   scripts/servers.sh start  [demo|test|prodlike]   idempotent: running servers are left alone
#   scripts/servers.sh stop   [demo|test|prodlike]
#   scripts/servers.sh status [demo|test|prodlike]
#   scripts/servers.sh env    [demo|test|prodlike]   prints `export REDIS_URL=… DATABASE_URL=…`
#                                                    (prodlike: the WWCTL_TEST_* variables below)
#
# Data lives under .local/<instance>/ (git-ignored). PostgreSQL refuses to run as
# root, so when started as root it runs as the `postgres` user, which then owns its
# data folder. Ports are the project's own, never the defaults:
#   demo: Redis 6390, PostgreSQL 5490      test: Redis 6391, PostgreSQL 5491
# Tests that need a server to themselves spawn extra ones on 6400-6499 / 5500-5599.
#
# prodlike: servers shaped like a production deployment, for the TLS, ACL and Sentinel
# tests (scripts/test.sh starts them once per run; they share them). Certificates are made
# by openssl under .local/prodlike/tls: a test CA (ca.crt), a server certificate for
# localhost and 127.0.0.1, a client certificate, one for the wrong host (wrong.example) and
# one that expired in 2020.
#   6392  Redis, TLS only, client certificates optional; ACL users `ops` (everything) and
#         `reader` (+@read +@connection +info, no writes), passwords ops-secret, reader-secret
#   6393  Redis, TLS only, client certificate required (client.crt/client.key)
#   6394  Redis, TLS only, certificate for wrong.example (name mismatch)
#   6395  Redis, TLS only, expired certificate
#   6396  Redis, plain: the primary of the Sentinel group `waywise` at start
#   6397  Redis, plain: its replica
#   26392, 26393, 26394  redis-sentinel × 3 watching `waywise` (quorum 2,
#         down-after-milliseconds 1000, failover-timeout 3000: failovers take seconds)
#   5492  PostgreSQL, ssl=on with the test CA's certificate, TLS connections only
#         (sslmode=verify-full with sslrootcert=.local/prodlike/tls/ca.crt and host localhost)
# A failover test may leave 6397 the primary and 6396 its replica; `start` only restarts
# the group when one of its processes is missing.
set -euo pipefail

cmd=${1:-start}
instance=${2:-demo}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "$instance" in
  demo) redis_port=6390; pg_port=5490 ;;
  test) redis_port=6391; pg_port=5491 ;;
  prodlike) redis_port=6392; pg_port=5492 ;;
  *) echo "servers.sh: unknown instance '$instance' (demo, test or prodlike)" >&2; exit 64 ;;
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

tls_dir="$base/tls"
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
  local extra_options=${1:-}
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
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB -c max_wal_size=4GB -c checkpoint_timeout=30min $extra_options" \
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

# ---- prodlike ------------------------------------------------------------------

sentinel_ports=(26392 26393 26394)
primary_port=6396
replica_port=6397
sentinel_master=waywise

# make_certs: the test CA and every certificate the prodlike servers and tests use.
make_certs() {
  [ -f "$tls_dir/expired.crt" ] && return
  rm -rf "$tls_dir"
  mkdir -p "$tls_dir"
  (
    cd "$tls_dir"
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.crt -days 3650 -subj "/CN=wwctl test CA" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >server.ext
    printf 'subjectAltName=DNS:wrong.example\n' >wrong.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl req "${ec[@]}" -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext -out server.crt 2>/dev/null
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile wrong.ext -out wrong-host.crt 2>/dev/null
    openssl req "${ec[@]}" -keyout client.key -out client.csr -subj "/CN=wwctl-client" 2>/dev/null
    openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile client.ext -out client.crt 2>/dev/null
    # Expired: `openssl ca` signs with explicit start and end dates in the past.
    mkdir -p ca-db
    : >ca-db/index.txt
    echo 1000 >ca-db/serial
    cat >ca-db/ca.cnf <<CNF
[ca]
default_ca = test
[test]
dir = $tls_dir/ca-db
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
certificate = $tls_dir/ca.crt
private_key = $tls_dir/ca.key
default_md = sha256
policy = anything
copy_extensions = none
x509_extensions = server
[anything]
commonName = supplied
[server]
subjectAltName = DNS:localhost,IP:127.0.0.1
CNF
    openssl ca -batch -config ca-db/ca.cnf -in server.csr -out expired.crt -notext \
      -startdate 20200101000000Z -enddate 20200102000000Z >/dev/null 2>&1
    rm -f ./*.csr ./*.ext ca.srl
    chmod 600 ./*.key
  )
  [ -s "$tls_dir/expired.crt" ] || { echo "servers.sh: could not make the test certificates in $tls_dir" >&2; exit 69; }
}

tls_cli() { redis-cli --tls --cacert "$tls_dir/ca.crt" --cert "$tls_dir/client.crt" --key "$tls_dir/client.key" -h 127.0.0.1 "$@"; }
port_up() { redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1; }
tls_port_up() { tls_cli --insecure -p "$1" ping 2>/dev/null | grep -q -e PONG -e NOAUTH; }

# redis_process PORT NAME ARGS…: a redis-server (or sentinel) daemon with its files in .local.
redis_process() {
  local port=$1 name=$2
  shift 2
  mkdir -p "$base/$name"
  "$@" --daemonize yes --dir "$base/$name" --pidfile "$base/$name/redis.pid" --logfile "$base/$name/redis.log" >/dev/null
}

wait_for() {
  local what=$1
  shift
  for _ in $(seq 1 100); do "$@" && return; sleep 0.05; done
  echo "servers.sh: $what did not start; see $base" >&2
  exit 69
}

start_tls_redis() {
  local port=$1 cert=$2 clients=$3
  tls_port_up "$port" && return
  redis_process "$port" "redis-$port" redis-server --bind 127.0.0.1 --port 0 --tls-port "$port" \
    --tls-cert-file "$tls_dir/$cert" --tls-key-file "$tls_dir/server.key" --tls-ca-cert-file "$tls_dir/ca.crt" \
    --tls-auth-clients "$clients" --save '' --appendonly no
  wait_for "TLS redis-server on $port" tls_port_up "$port"
}

start_acl_users() {
  tls_cli -p 6392 acl setuser ops reset on '>ops-secret' '~*' '&*' '+@all' >/dev/null
  tls_cli -p 6392 acl setuser reader reset on '>reader-secret' '~*' '&*' '+@read' '+@connection' '+info' >/dev/null
}

# A sentinel's run id: 40 hex digits, fixed per port.
sentinel_id() { printf '%040d' "$1"; }

sentinel_group_up() {
  local port
  for port in "$primary_port" "$replica_port" "${sentinel_ports[@]}"; do port_up "$port" || return 1; done
}

# Whether process PID is alive: a daemon killed where nothing reaps orphans (a container
# or network namespace without an init) stays a zombie, which `kill -0` still finds.
running() { [ -r "/proc/$1/stat" ] && ! awk '{exit ($3 == "Z") ? 0 : 1}' "/proc/$1/stat"; }

# SIGKILL: these servers keep nothing, and a primary stopped with SIGTERM waits up to
# 10 s for its replicas to catch up.
stop_pidfile() {
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do running "$pid" || break; sleep 0.05; done
  fi
  rm -f "$pidfile"
}

stop_sentinel_group() {
  local port
  for port in "${sentinel_ports[@]}" "$primary_port" "$replica_port"; do
    stop_pidfile "$base/redis-$port/redis.pid"
  done
}

start_sentinel_group() {
  sentinel_group_up && return
  stop_sentinel_group
  # No 5 s wait before a full sync (repl-diskless-sync-delay): replicas (re)join at once.
  redis_process "$primary_port" "redis-$primary_port" redis-server --bind 127.0.0.1 --port "$primary_port" --save '' --appendonly no \
    --repl-diskless-sync-delay 0
  redis_process "$replica_port" "redis-$replica_port" redis-server --bind 127.0.0.1 --port "$replica_port" --save '' --appendonly no \
    --repl-diskless-sync-delay 0 --replicaof 127.0.0.1 "$primary_port"
  wait_for "the primary on $primary_port" port_up "$primary_port"
  wait_for "the replica on $replica_port" port_up "$replica_port"
  local port
  for port in "${sentinel_ports[@]}"; do
    mkdir -p "$base/redis-$port"
    # Sentinel rewrites its file with what it learns: start from a fresh one each time.
    # Fixed ids and the replica and the other sentinels named up front: otherwise they
    # find each other through the primary's INFO (every 10 s) and hello messages.
    {
      echo "bind 127.0.0.1"
      echo "port $port"
      echo "sentinel myid $(sentinel_id "$port")"
      echo "sentinel monitor $sentinel_master 127.0.0.1 $primary_port 2"
      echo "sentinel down-after-milliseconds $sentinel_master 1000"
      echo "sentinel failover-timeout $sentinel_master 3000"
      echo "sentinel parallel-syncs $sentinel_master 1"
      echo "sentinel known-replica $sentinel_master 127.0.0.1 $replica_port"
      local other
      for other in "${sentinel_ports[@]}"; do
        [ "$other" = "$port" ] || echo "sentinel known-sentinel $sentinel_master 127.0.0.1 $other $(sentinel_id "$other")"
      done
    } >"$base/redis-$port/sentinel.conf"
    redis_process "$port" "redis-$port" redis-sentinel "$base/redis-$port/sentinel.conf"
  done
  for port in "${sentinel_ports[@]}"; do wait_for "redis-sentinel on $port" port_up "$port"; done
  # The replica has synced and every sentinel knows it (they find it through the primary).
  for _ in $(seq 1 200); do
    if redis-cli -p "$replica_port" info replication | grep -q master_link_status:up \
      && for port in "${sentinel_ports[@]}"; do
           redis-cli -p "$port" sentinel replicas "$sentinel_master" | grep -q "$replica_port" || exit 1
         done; then
      return
    fi
    sleep 0.05
  done
  echo "servers.sh: the Sentinel group did not settle; see $base" >&2
  exit 69
}

start_tls_pg() {
  mkdir -p "$pg_dir"
  # The server key must belong to the user PostgreSQL runs as, readable by it alone.
  if [ ! -f "$pg_dir/server.key" ] && [ -f "$pg_dir/PG_VERSION" ]; then
    cp "$tls_dir/server.crt" "$tls_dir/ca.crt" "$tls_dir/server.key" "$pg_dir/"
    chmod 600 "$pg_dir/server.key"
    [ "$(id -u)" = 0 ] && chown postgres "$pg_dir/server.key" "$pg_dir/server.crt" "$pg_dir/ca.crt"
  fi
  start_pg "-c ssl=on -c ssl_cert_file=$pg_dir/server.crt -c ssl_key_file=$pg_dir/server.key -c ssl_ca_file=$pg_dir/ca.crt -c max_connections=50 -c shared_buffers=32MB"
}

start_prodlike() {
  mkdir -p "$base"
  [ "$(id -u)" = 0 ] && chmod o+x "$root" "$root/.local" "$base" 2>/dev/null || true
  make_certs
  start_tls_redis 6392 server.crt optional
  start_acl_users
  start_tls_redis 6393 server.crt yes
  start_tls_redis 6394 wrong-host.crt no
  start_tls_redis 6395 expired.crt no
  start_sentinel_group
  if [ ! -f "$pg_dir/PG_VERSION" ]; then
    # First start: initdb (in start_pg) without TLS, then the key and the TLS-only rules.
    start_pg
    stop_pg
    cp "$tls_dir/server.crt" "$tls_dir/ca.crt" "$tls_dir/server.key" "$pg_dir/"
    chmod 600 "$pg_dir/server.key"
    [ "$(id -u)" = 0 ] && chown postgres "$pg_dir/server.key" "$pg_dir/server.crt" "$pg_dir/ca.crt"
    cat >"$pg_dir/pg_hba.conf" <<HBA
local     all all                trust
hostssl   all all 127.0.0.1/32   scram-sha-256
hostssl   all all ::1/128        scram-sha-256
hostnossl all all 0.0.0.0/0      reject
hostnossl all all ::/0           reject
HBA
    [ "$(id -u)" = 0 ] && chown postgres "$pg_dir/pg_hba.conf"
  fi
  start_tls_pg
}

stop_prodlike() {
  local port
  for port in 6392 6393 6394 6395; do stop_pidfile "$base/redis-$port/redis.pid"; done
  stop_sentinel_group
  stop_pg
}

status_prodlike() {
  local port
  for port in 6392 6393 6394 6395; do
    if tls_port_up "$port"; then echo "redis TLS 127.0.0.1:$port up"; else echo "redis TLS 127.0.0.1:$port down"; fi
  done
  for port in "$primary_port" "$replica_port" "${sentinel_ports[@]}"; do
    if port_up "$port"; then echo "redis 127.0.0.1:$port up"; else echo "redis 127.0.0.1:$port down"; fi
  done
  if pg_up; then echo "postgres TLS 127.0.0.1:$pg_port/$pg_db up"; else echo "postgres TLS 127.0.0.1:$pg_port/$pg_db down"; fi
}

env_prodlike() {
  echo "export WWCTL_TEST_TLS_DIR='$tls_dir'"
  echo "export WWCTL_TEST_TLS_DATABASE_URL='postgresql://$pg_user:$pg_password@localhost:$pg_port/$pg_db?sslmode=verify-full&sslrootcert=$tls_dir/ca.crt'"
  echo "export WWCTL_TEST_SENTINEL_URL='redis+sentinel://127.0.0.1:${sentinel_ports[0]},127.0.0.1:${sentinel_ports[1]},127.0.0.1:${sentinel_ports[2]}/$sentinel_master'"
}

if [ "$instance" = prodlike ]; then
  case "$cmd" in
    start) start_prodlike ;;
    stop) stop_prodlike ;;
    restart) stop_prodlike; start_prodlike ;;
    status) status_prodlike ;;
    env) env_prodlike ;;
    *) echo "usage: servers.sh start|stop|restart|status|env [demo|test|prodlike]" >&2; exit 64 ;;
  esac
  exit 0
fi

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
  *) echo "usage: servers.sh start|stop|restart|status|env [demo|test|prodlike]" >&2; exit 64 ;;
esac
