#!/usr/bin/env bash
# Speed of `wwctl metrics` and `wwctl metrics --by-family` against their honest
# baselines, measured in one run on one server:
#   1. `redis-cli info` vs `wwctl metrics` (whole processes; goal: ratio <= 1.5)
#   2. a bare SCAN walk with COUNT 1000 (a small C program over hiredis) vs
#      `wwctl metrics --by-family`, over 2,000,000 keys (goal: ratio <= 2)
#
# Starts its own redis-server on port 6450 (data in a temporary directory, removed at
# the end), fills it with 1,000,000 perm keys (true/false, TTL 300) and 1,000,000
# product keys (~300-byte JSON, TTL 1800) through `redis-cli --pipe`, and builds wwctl
# the way it is released (scripts/build-release.sh).
#
# Needs: swift, redis-server, redis-cli, hyperfine, gcc, libhiredis-dev, python3.
# Usage: bench/metrics.sh [--keep-data]      BENCH_PORT overrides the port; WWCTL_BIN=path
# measures that binary instead of building this checkout's.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source bench/lib.sh
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

port=${BENCH_PORT:-6450}
perm_keys=1000000
product_keys=1000000
work=$(mktemp -d "${TMPDIR:-/tmp}/wwctl-bench-metrics.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for tool in redis-server redis-cli hyperfine gcc python3; do
  command -v "$tool" >/dev/null || { echo "bench/metrics.sh: $tool is not installed" >&2; exit 1; }
done
if redis-cli -p "$port" ping >/dev/null 2>&1; then
  echo "bench/metrics.sh: something already listens on port $port" >&2
  exit 1
fi

echo "== building wwctl (scripts/build-release.sh)"
# WWCTL_BIN measures another build (e.g. the main branch's) instead of this checkout's.
wwctl=${WWCTL_BIN:-$(scripts/build-release.sh)}

echo "== building the SCAN baseline (C over hiredis)"
cat > "$work/scanwalk.c" <<'EOF'
/* Walks the whole keyspace with SCAN COUNT 1000 and prints the number of keys. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 6379;
    redisContext *c = redisConnect("127.0.0.1", port);
    if (c == NULL || c->err) { fprintf(stderr, "scanwalk: cannot connect\n"); return 1; }
    char cursor[32] = "0";
    long long keys = 0;
    do {
        redisReply *r = redisCommand(c, "SCAN %s COUNT 1000", cursor);
        if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2) { fprintf(stderr, "scanwalk: bad reply\n"); return 1; }
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        keys += (long long)r->element[1]->elements;
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0);
    printf("%lld\n", keys);
    redisFree(c);
    return 0;
}
EOF
gcc -O2 -o "$work/scanwalk" "$work/scanwalk.c" -lhiredis

bench_start_redis "$port" "$work"
bench_fill_perm_product "$port" "$perm_keys" "$product_keys"
echo "walk check: $("$work/scanwalk" "$port") keys seen by the SCAN baseline"

export NO_COLOR=1
url="redis://127.0.0.1:$port/0"
echo
echo "== 1. redis-cli info vs wwctl metrics"
hyperfine -N --warmup 20 --runs 300 --export-json "$work/info.json" \
  -n "redis-cli info" "redis-cli -p $port info" \
  -n "wwctl metrics" "$wwctl metrics --redis-url $url"

echo
echo "== 2. SCAN walk (COUNT 1000, C/hiredis) vs wwctl metrics --by-family over $keys keys"
hyperfine -N --warmup 1 --runs 5 --export-json "$work/walk.json" \
  -n "scan walk" "$work/scanwalk $port" \
  -n "wwctl metrics --by-family" "$wwctl metrics --by-family --redis-url $url -o json"

echo
python3 - "$work/info.json" "$work/walk.json" <<'EOF'
import json, sys
def means(path):
    return [(r["command"], r["mean"], r["stddev"] or 0.0) for r in json.load(open(path))["results"]]
(info_name, info, info_sd), (metrics_name, metrics, metrics_sd) = means(sys.argv[1])
(walk_name, walk, walk_sd), (family_name, family, family_sd) = means(sys.argv[2])
print("== ratios (goal: metrics <= 1.5x redis-cli info; by-family <= 2x the SCAN walk)")
print(f"redis-cli info             {info * 1000:8.2f} ms ± {info_sd * 1000:.2f}")
print(f"wwctl metrics              {metrics * 1000:8.2f} ms ± {metrics_sd * 1000:.2f}   ratio {metrics / info:.2f}")
print(f"SCAN walk (C, COUNT 1000)  {walk:8.3f} s  ± {walk_sd:.3f}")
print(f"wwctl metrics --by-family  {family:8.3f} s  ± {family_sd:.3f}   ratio {family / walk:.2f}")
EOF
