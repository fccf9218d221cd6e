#!/usr/bin/env bash
# What TLS costs wwctl, against its baselines, in one run on one server (issue 18, "Speed"):
#
#   1. start-up: a program linked with libssl and libcrypto against the same program
#      without (why OpenSSL is loaded with dlopen), and `wwctl --version` / `wwctl cache
#      families` of this build (no libssl mapped) and of WWCTL_BASELINE_BIN if given
#   2. `wwctl metrics` over TLS vs `redis-cli --tls … info`, whole processes (hyperfine;
#      goal: ratio <= 1.5); the same over plain TCP for reference
#   3. `cache invalidate 'perm:*'`, 1,000,000 of 2,000,000 keys (bench/gen_resp.c), over TLS
#      vs over plain TCP (goal: TLS <= 1.3x the plain time)
#   4. `cache warm perm` (about 1,100,000 keys from the large seed) over TLS vs plain TCP,
#      keys/s (goal: TLS >= 0.7x plain)
#
# One redis-server of its own serves both: a plain port (BENCH_PORT, default 6476) and a
# TLS port (+1), with a CA and certificate made by openssl in a temporary folder. The warm
# uses the database `warmbench` on the test PostgreSQL (127.0.0.1:5491) as bench/warm.sh
# leaves it with --keep; without it, it is created and seeded (--scale large, a few minutes)
# and dropped at the end unless --keep.
#
# Usage: bench/tls.sh [--runs N] [--keep] [--skip-warm]
#   WWCTL_BIN=path measures that binary instead of building this checkout's;
#   WWCTL_BASELINE_BIN=path (e.g. the main branch's build, before TLS) joins parts 1-3 over
#   plain TCP, in the same round robin: plain TCP must not have become slower.
# Needs: swift, redis-server, redis-cli, hyperfine, gcc, openssl, libssl-dev, psql, /usr/bin/time.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

port=${BENCH_PORT:-6476}
tls_port=$((port + 1))
runs=3
keep=0
warm=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --keep) keep=1 ;;
    --skip-warm) warm=0 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "bench/tls.sh: unknown option $1" >&2; exit 64 ;;
  esac
  shift
done

admin_url="postgresql://wwctl:wwctl-local@127.0.0.1:5491/waywise"
db=warmbench
db_url="postgresql://wwctl:wwctl-local@127.0.0.1:5491/$db"
work=$(mktemp -d "${TMPDIR:-/tmp}/wwctl-bench-tls.XXXXXX")
server_pid=
created_db=0
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "$created_db" = 1 ] && [ "$keep" = 0 ]; then
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for tool in redis-server redis-cli hyperfine gcc openssl python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench/tls.sh: $tool is not installed" >&2; exit 69; }
done
for p in "$port" "$tls_port"; do
  if redis-cli -p "$p" ping >/dev/null 2>&1; then echo "bench/tls.sh: port $p is in use; set BENCH_PORT" >&2; exit 69; fi
done

echo "== building wwctl (release) and the C helpers" >&2
wwctl=${WWCTL_BIN:-$(scripts/build-release.sh)}
gcc -O2 -Wall -o "$work/gen_resp" bench/gen_resp.c
printf 'int main(void) { return 0; }\n' >"$work/empty.c"
gcc -O2 -o "$work/empty" "$work/empty.c"
gcc -O2 -o "$work/empty-ssl" "$work/empty.c" -Wl,--no-as-needed -lssl -lcrypto

echo "== certificates" >&2
(
  cd "$work"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt -days 2 \
    -subj "/CN=bench CA" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
    -subj "/CN=localhost" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
    -out server.crt 2>/dev/null
)

redis-server --bind 127.0.0.1 --port "$port" --tls-port "$tls_port" --tls-cert-file "$work/server.crt" \
  --tls-key-file "$work/server.key" --tls-ca-cert-file "$work/ca.crt" --tls-auth-clients no \
  --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" --daemonize no &
server_pid=$!
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
cli() { redis-cli -p "$port" "$@"; }
export NO_COLOR=1 XDG_CONFIG_HOME="$work/config"
unset REDIS_URL WWCTL_PROFILE WWCTL_KEY_PREFIX REDISCLI_AUTH
plain="redis://127.0.0.1:$port/0"
tls="rediss://localhost:$tls_port/0"
tls_flags=(--cacert "$work/ca.crt")
now() { date +%s.%N; }
mean() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join(str(x['mean']) for x in r))" "$1"; }
fmt() { python3 -c "print(f'{$1:.${2:-2}f}')"; }

echo
echo "== 1. start-up: libssl linked or not"
echo "libssl mapped by this wwctl at start: $(ldd "$wwctl" | grep -c 'libssl\|libcrypto' || true) (0: loaded with dlopen on the first TLS connection)"
hyperfine -N --warmup 50 --runs 1000 --export-json "$work/link.json" \
  -n "empty program" "$work/empty" -n "empty program linked with libssl" "$work/empty-ssl" >/dev/null 2>&1
read -r empty empty_ssl < <(mean "$work/link.json")
echo "empty program $(fmt "$empty * 1000" 3) ms, linked with libssl+libcrypto $(fmt "$empty_ssl * 1000" 3) ms: +$(fmt "($empty_ssl - $empty) * 1000" 3) ms per process"
startup=(-n "wwctl --version" "$wwctl --version" -n "wwctl cache families" "$wwctl cache families")
if [ -n "${WWCTL_BASELINE_BIN:-}" ]; then
  startup+=(-n "baseline --version" "$WWCTL_BASELINE_BIN --version" -n "baseline cache families" "$WWCTL_BASELINE_BIN cache families")
fi
hyperfine -N --warmup 30 --runs 500 --export-json "$work/startup.json" "${startup[@]}" >/dev/null 2>&1
python3 - "$work/startup.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']:28s} {r['mean'] * 1000:7.3f} ms ± {r['stddev'] * 1000:.3f}")
PY

echo
echo "== 2. wwctl metrics vs redis-cli info, whole processes"
contenders=(
  -n "redis-cli --tls info" "redis-cli --tls --cacert $work/ca.crt -h 127.0.0.1 -p $tls_port info"
  -n "wwctl metrics (TLS)" "$wwctl metrics --redis-url $tls ${tls_flags[*]}"
  -n "redis-cli info" "redis-cli -p $port info"
  -n "wwctl metrics" "$wwctl metrics --redis-url $plain")
[ -n "${WWCTL_BASELINE_BIN:-}" ] && contenders+=(-n "baseline metrics" "$WWCTL_BASELINE_BIN metrics --redis-url $plain")
hyperfine -N --warmup 20 --runs 300 --export-json "$work/metrics.json" "${contenders[@]}" >/dev/null 2>&1
read -r cli_tls ww_tls cli_plain ww_plain base_plain < <(mean "$work/metrics.json")
echo "redis-cli --tls info  $(fmt "$cli_tls * 1000") ms   wwctl metrics over TLS $(fmt "$ww_tls * 1000") ms   ratio $(fmt "$ww_tls / $cli_tls")  (goal <= 1.5)"
echo "redis-cli info        $(fmt "$cli_plain * 1000") ms   wwctl metrics          $(fmt "$ww_plain * 1000") ms   ratio $(fmt "$ww_plain / $cli_plain")"
if [ -n "${base_plain:-}" ]; then
  echo "                                 baseline metrics       $(fmt "$base_plain * 1000") ms   ratio $(fmt "$base_plain / $cli_plain")"
fi

echo
echo "== 3. cache invalidate 'perm:*' (1,000,000 of 2,000,000 keys), TLS vs plain, best of $runs"
"$work/gen_resp" perm >"$work/perm.resp"
"$work/gen_resp" product >"$work/product.resp"
load() {
  cli flushall >/dev/null
  cat "$work/perm.resp" "$work/product.resp" | cli --pipe >/dev/null
  [ "$(cli dbsize)" = 2000000 ] || { echo "bench/tls.sh: loaded $(cli dbsize) keys" >&2; exit 70; }
}
modes=(plain tls)
[ -n "${WWCTL_BASELINE_BIN:-}" ] && modes+=(baseline)
# Wall time (best of the runs) and wwctl's own CPU time (user + system, the least of the
# runs): on a shared machine the CPU time moves less with the load than the wall time.
declare -A best cpu
for round in $(seq "$runs"); do
  for mode in "${modes[@]}"; do
    load
    binary=$wwctl
    if [ "$mode" = tls ]; then args=(--redis-url "$tls" "${tls_flags[@]}"); else args=(--redis-url "$plain"); fi
    [ "$mode" = baseline ] && binary=$WWCTL_BASELINE_BIN
    start=$(now)
    /usr/bin/time -f "%U %S" -o "$work/cpu.txt" "$binary" cache invalidate 'perm:*' --yes "${args[@]}" -q >/dev/null
    elapsed=$(python3 -c "print($(now) - $start)")
    used=$(awk '{print $1 + $2}' "$work/cpu.txt")
    left=$(( $(cli dbsize) - $(cli --scan --pattern "wwctl:*" | wc -l) ))
    [ "$left" = 1000000 ] || { echo "bench/tls.sh: $mode left $left keys" >&2; exit 70; }
    echo "  round $round $mode: $(fmt "$elapsed") s, wwctl CPU $(fmt "$used") s"
    if [ -z "${best[$mode]:-}" ] || python3 -c "exit(0 if $elapsed < ${best[$mode]} else 1)"; then best[$mode]=$elapsed; fi
    if [ -z "${cpu[$mode]:-}" ] || python3 -c "exit(0 if $used < ${cpu[$mode]} else 1)"; then cpu[$mode]=$used; fi
  done
done
echo "plain $(fmt "${best[plain]}") s   TLS $(fmt "${best[tls]}") s   ratio $(fmt "${best[tls]} / ${best[plain]}")  (goal <= 1.3)"
echo "wwctl CPU: plain $(fmt "${cpu[plain]}") s   TLS $(fmt "${cpu[tls]}") s   ratio $(fmt "${cpu[tls]} / ${cpu[plain]}")"
if [ -n "${best[baseline]:-}" ]; then
  echo "baseline plain $(fmt "${best[baseline]}") s, CPU $(fmt "${cpu[baseline]}") s: this build's plain time is" \
    "$(fmt "${best[plain]} / ${best[baseline]}")x the baseline's, its CPU $(fmt "${cpu[plain]} / ${cpu[baseline]}")x"
fi

if [ "$warm" = 1 ]; then
  echo
  echo "== 4. cache warm perm, TLS vs plain, keys/s, $runs runs alternated"
  scripts/servers.sh start test >/dev/null
  seeded=$(psql "$db_url" -Atc "SELECT count(*) FROM organization_users" 2>/dev/null || echo 0)
  if [ "$seeded" != "25000" ]; then
    echo "creating $db and seeding --scale large (a few minutes)…" >&2
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
    created_db=1
    "$wwctl" db migrate --database-url "$db_url" -q >/dev/null
    "$wwctl" db seed --scale large --database-url "$db_url" -q >/dev/null
  fi
  rates_plain=(); rates_tls=()
  for round in $(seq "$runs"); do
    for mode in plain tls; do
      cli flushall >/dev/null
      if [ "$mode" = plain ]; then args=(--redis-url "$plain"); else args=(--redis-url "$tls" "${tls_flags[@]}"); fi
      start=$(now)
      "$wwctl" cache warm perm --database-url "$db_url" "${args[@]}" -q -o json >"$work/warm.json"
      elapsed=$(python3 -c "print($(now) - $start)")
      keys=$(python3 -c "import json; print(json.load(open('$work/warm.json'))['keys'])")
      [ "$(cli dbsize)" -ge "$keys" ] || { echo "bench/tls.sh: $mode warm wrote $(cli dbsize) of $keys keys" >&2; exit 70; }
      rate=$(python3 -c "print(int($keys / $elapsed))")
      echo "  round $round $mode: $keys keys in $(fmt "$elapsed") s, $rate keys/s"
      if [ "$mode" = plain ]; then rates_plain+=("$rate"); else rates_tls+=("$rate"); fi
    done
  done
  median() { printf "%s\n" "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  mp=$(median "${rates_plain[@]}"); mt=$(median "${rates_tls[@]}")
  echo "median plain $mp keys/s   TLS $mt keys/s   ratio $(fmt "$mt / $mp")  (goal >= 0.7)"
fi
echo
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
