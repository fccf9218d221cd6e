#!/usr/bin/env bash
# How fast `wwctl cache invalidate` deletes by pattern, against the usual alternatives, in
# one run on one machine (issue 4, "Speed"):
#
#   keyspace   2,000,000 keys: 1,000,000 perm:{u}:{o}:{resource}:{action} (true/false, TTL
#              300 s; perm:42:* is 40 of them) and 1,000,000 product:{id} (~300-byte JSON,
#              TTL 1800 s), generated once as RESP (bench/gen_resp.c) and loaded with
#              `redis-cli --pipe` before every contender, into a redis-server of the script's
#              own (port $BENCH_PORT, default 6470; temp dir, --save '').
#   perm:*     1. redis-cli --scan --pattern 'perm:*' | xargs -n 1000 redis-cli unlink
#              2. C over hiredis: SCAN COUNT 1000, UNLINK pipelined with the next SCAN (bench/scan_delete.c)
#              3. C over hiredis, overlapped: the next SCAN sent as soon as a reply arrives, then
#                 the batch's UNLINK, so the server always has work queued (what wwctl does)
#              4. the integration plan's algorithm in C: SCAN COUNT 100, then DEL, one round trip each
#              5. wwctl cache invalidate 'perm:*' --yes (release build), with its peak RSS
#              6. the walk alone: wwctl cache invalidate 'perm:*' --dry-run (deletes nothing)
#   perm:42:*  xargs idiom vs wwctl
#
# The server's CPU time is shown for every contender: with the client's work overlapped,
# a sweep takes about the server's own time, so that is the floor. The walk alone shows
# how much of it SCAN costs (every one of the 2,000,000 keys is examined whatever the
# pattern); the rest is UNLINK.
#
# Goals: perm:* >= 4x faster than xargs and >= 2x faster than the plan's algorithm;
# perm:42:* >= 8x faster than xargs; peak RSS < 50 MB. Every contender's result is checked
# (what is left in the database), so a fast wrong answer fails the run.
#
# BENCH_REPEAT=N times every contender N times, round robin, and keeps the best (default 1);
# the peak RSS is the highest of the runs. WWCTL_BIN=path measures that binary instead of
# building this checkout's.
# Takes a few minutes; needs gcc, libhiredis-dev, redis-server, redis-cli, /usr/bin/time.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
port=${BENCH_PORT:-6470}
repeat=${BENCH_REPEAT:-1}

work=$(mktemp -d "${TMPDIR:-/tmp}/wwctl-bench-XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time for the peak RSS measurement" >&2
  apt-get install -y time >/dev/null
fi

echo "building wwctl (release) and the C contenders" >&2
# WWCTL_BIN measures another build (e.g. the main branch's) instead of this checkout's.
wwctl=${WWCTL_BIN:-$(scripts/build-release.sh)}
gcc -O2 -Wall -o "$work/gen_resp" bench/gen_resp.c
gcc -O2 -Wall -o "$work/scan_delete" bench/scan_delete.c -lhiredis

echo "generating the keyspace" >&2
"$work/gen_resp" perm >"$work/perm.resp"
"$work/gen_resp" product >"$work/product.resp"

if redis-cli -p "$port" ping >/dev/null 2>&1; then
  echo "bench: port $port is in use; set BENCH_PORT" >&2
  exit 69
fi
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --logfile "$work/redis.log" --daemonize no &
server_pid=$!
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
cli() { redis-cli -p "$port" "$@"; }
export XDG_CONFIG_HOME="$work/config" NO_COLOR=1
unset REDIS_URL WWCTL_PROFILE WWCTL_KEY_PREFIX
url="redis://127.0.0.1:$port/0"

load() {
  cli flushall >/dev/null
  cat "$work/perm.resp" "$work/product.resp" | cli --pipe >/dev/null
  local size
  size=$(cli dbsize)
  [ "$size" = 2000000 ] || { echo "bench: loaded $size keys, expected 2000000" >&2; exit 70; }
}

# What is left of the loaded keys: wwctl adds its own bookkeeping under wwctl: (the epochs
# and their change log; wwctl:epoch:perm from builds before per-slot epochs).
expect_left() {
  local size
  size=$(( $(cli dbsize) - $(cli --scan --pattern "wwctl:*" | wc -l) ))
  [ "$size" = "$1" ] || { echo "bench: $2 left $size keys, expected $1" >&2; exit 70; }
}

now() { date +%s.%N; }

# The redis-server's CPU time so far, in clock ticks: what a contender cost the server.
ticks=$(getconf CLK_TCK)
server_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }

# run NAME EXPECTED_LEFT COMMAND...: loads, times COMMAND, checks what is left, keeps the
# best time and the server CPU of that run.
declare -A seconds server_cpu
run() {
  local name=$1 left=$2
  shift 2
  local start end elapsed cpu_before cpu
  load
  cpu_before=$(server_ticks)
  start=$(now)
  "$@" >/dev/null
  end=$(now)
  cpu=$(echo "($(server_ticks) - $cpu_before) / $ticks" | bc -l)
  expect_left "$left" "$name"
  elapsed=$(echo "$end - $start" | bc -l)
  if [ -z "${seconds[$name]:-}" ] || (( $(echo "$elapsed < ${seconds[$name]}" | bc -l) )); then
    seconds[$name]=$elapsed
    server_cpu[$name]=$cpu
  fi
  echo "  $name: $(printf '%.2f' "$elapsed") s, server CPU $(printf '%.2f' "$cpu") s" >&2
}

xargs_idiom() { cli --scan --pattern "$1" | xargs -r -n 1000 redis-cli -p "$port" unlink; }
with_rss() { /usr/bin/time -v -o "$work/time.txt" "$@"; }

# Round robin, so that a change in the machine's load hits every contender alike.
rss_kb=0
for round in $(seq "$repeat"); do
  echo "round $round of $repeat: perm:* (1,000,000 of 2,000,000 keys), then perm:42:* (40 keys)" >&2
  run xargs 1000000 xargs_idiom 'perm:*'
  run c_pipelined 1000000 "$work/scan_delete" pipelined "$port" 'perm:*' 1000
  run c_overlapped 1000000 "$work/scan_delete" overlapped "$port" 'perm:*' 1000
  run seed 1000000 "$work/scan_delete" seed "$port" 'perm:*'
  run wwctl 1000000 with_rss "$wwctl" cache invalidate 'perm:*' --yes --redis-url "$url"
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  if (( rss > rss_kb )); then rss_kb=$rss; fi
  run walk_only 2000000 "$wwctl" cache invalidate 'perm:*' --dry-run --redis-url "$url"
  run xargs_42 1999960 xargs_idiom 'perm:42:*'
  run wwctl_42 1999960 "$wwctl" cache invalidate 'perm:42:*' --yes --redis-url "$url"
done

ratio() { echo "$1 / $2" | bc -l; }
fmt() { printf '%.2f' "$1"; }
verdict() { if (( $(echo "$1 >= $2" | bc -l) )); then echo "ok"; else echo "MISSED"; fi; }

r_xargs=$(ratio "${seconds[xargs]}" "${seconds[wwctl]}")
r_seed=$(ratio "${seconds[seed]}" "${seconds[wwctl]}")
r_c=$(ratio "${seconds[c_pipelined]}" "${seconds[wwctl]}")
r_co=$(ratio "${seconds[c_overlapped]}" "${seconds[wwctl]}")
r_42=$(ratio "${seconds[xargs_42]}" "${seconds[wwctl_42]}")
rss_mb=$(echo "$rss_kb / 1024" | bc -l)

echo
echo "wwctl cache invalidate benchmark: 2,000,000 keys, redis $(cli info server | awk -F: '/^redis_version/ {print $2}' | tr -d '\r'), best of $repeat"
row() { printf '%-58s %8s %11s %16s\n' "$@"; }
row "contender" "seconds" "server CPU" "wwctl is faster"
row "perm:*  redis-cli --scan | xargs -n 1000 redis-cli unlink" "$(fmt "${seconds[xargs]}")" "$(fmt "${server_cpu[xargs]}")" "$(fmt "$r_xargs")x"
row "perm:*  C hiredis, SCAN COUNT 1000 + pipelined UNLINK" "$(fmt "${seconds[c_pipelined]}")" "$(fmt "${server_cpu[c_pipelined]}")" "$(fmt "$r_c")x"
row "perm:*  C hiredis, overlapped (next SCAN before UNLINK)" "$(fmt "${seconds[c_overlapped]}")" "$(fmt "${server_cpu[c_overlapped]}")" "$(fmt "$r_co")x"
row "perm:*  the plan's algorithm (SCAN COUNT 100, then DEL)" "$(fmt "${seconds[seed]}")" "$(fmt "${server_cpu[seed]}")" "$(fmt "$r_seed")x"
row "perm:*  wwctl cache invalidate" "$(fmt "${seconds[wwctl]}")" "$(fmt "${server_cpu[wwctl]}")" ""
row "perm:*  the walk alone (wwctl --dry-run, deletes nothing)" "$(fmt "${seconds[walk_only]}")" "$(fmt "${server_cpu[walk_only]}")" ""
row "perm:42:*  redis-cli --scan | xargs" "$(fmt "${seconds[xargs_42]}")" "$(fmt "${server_cpu[xargs_42]}")" "$(fmt "$r_42")x"
row "perm:42:*  wwctl cache invalidate" "$(fmt "${seconds[wwctl_42]}")" "$(fmt "${server_cpu[wwctl_42]}")" ""
echo "peak RSS of wwctl deleting 1,000,000 keys: $(fmt "$rss_mb") MB; load average now: $(cut -d" " -f1-3 /proc/loadavg)"
# The floor: no client can finish before the server has done its part, so the plan's
# time over the server CPU of the run is the best ratio any SCAN + UNLINK client could show.
least_cpu=$(printf '%s\n' "${server_cpu[wwctl]}" "${server_cpu[c_overlapped]}" "${server_cpu[c_pipelined]}" | sort -g | head -1)
echo "floor: the server's own CPU for perm:* is $(fmt "$least_cpu") s at the least (the walk alone $(fmt "${server_cpu[walk_only]}") s)," \
  "so a SCAN + UNLINK client can be at most about $(fmt "$(ratio "${seconds[seed]}" "$least_cpu")")x faster than the plan's algorithm in this run"
echo
echo "goals: perm:* vs xargs >= 4x: $(fmt "$r_xargs")x $(verdict "$r_xargs" 4)" \
  "| vs the plan's algorithm >= 2x: $(fmt "$r_seed")x $(verdict "$r_seed" 2)" \
  "| perm:42:* vs xargs >= 8x: $(fmt "$r_42")x $(verdict "$r_42" 8)" \
  "| RSS < 50 MB: $(fmt "$rss_mb") MB $(verdict 50 "$rss_mb")"
