#!/usr/bin/env bash
# Speed of `wwctl products set-price`'s cache invalidation over 2,000,000 cached keys.
#
# Goal (issue 8): the enumerated part — bumping the families' epochs and deleting the
# product's keys by name (pipelined UNLINK), `invalidation.byNameMs` in the report — under
# 50 ms. Compared in the same run with the SCAN-based alternative:
#   - the command's own sweep of commission:{p}:* (`sweepMs`): one SCAN walk of the whole
#     keyspace with the same engine (COUNT 1000, UNLINK pipelined with the next SCAN);
#   - a bare SCAN-based invalidation (a small C program over hiredis: SCAN MATCH
#     product:{p}:* COUNT 1000, UNLINK what matches): one walk for one of the patterns a
#     SCAN-based invalidation of the product would need (it needs one per key shape, or
#     one walk testing them all: never less than one walk). redis-cli --scan is no
#     baseline: it cannot set COUNT, so it walks 10 keys per round trip.
# Also reports the whole command's wall time with --no-sweep (process start, PostgreSQL
# transaction with its audit row, invalidation).
#
# Data: a database of its own, `productsbench`, on the test PostgreSQL (127.0.0.1:5491),
# seeded at scale large (500,000 products; kept between runs, `--reseed` starts over);
# a redis-server of its own on port 6499 (data in a temporary directory, removed at the
# end) filled with 2,000,000 keys through `redis-cli --pipe`: every perm key of the
# memberships × the permission catalog (about 1,100,000) and product:{p} /
# product:{p}:with-variants keys for the rest. Before each measured change the product's
# own keys are planted (org and category lists, commission at its prices and at an old
# price, stock, carts) so the deletion has real work.
#
# Needs: swift, psql, redis-server, redis-cli, python3, gcc, libhiredis-dev.
# Usage: bench/products.sh [--reseed] [--runs N]      BENCH_PORT overrides the port.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source bench/lib.sh
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

port=${BENCH_PORT:-6499}
total_keys=2000000
runs=15
reseed=0
while [ $# -gt 0 ]; do
  case "$1" in
    --reseed) reseed=1 ;;
    --runs) runs=$2; shift ;;
    *) echo "usage: bench/products.sh [--reseed] [--runs N]" >&2; exit 64 ;;
  esac
  shift
done

admin_url=${BENCH_ADMIN_URL:-postgresql://wwctl:wwctl-local@127.0.0.1:5491/waywise}
db_url=${admin_url%/*}/productsbench
work=$(mktemp -d "${TMPDIR:-/tmp}/wwctl-bench-products.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for tool in psql redis-server redis-cli python3 gcc; do
  command -v "$tool" >/dev/null || { echo "bench/products.sh: $tool is not installed" >&2; exit 1; }
done
if redis-cli -p "$port" ping >/dev/null 2>&1; then
  echo "bench/products.sh: something already listens on port $port" >&2
  exit 1
fi

echo "== building wwctl (scripts/build-release.sh)"
wwctl=$(scripts/build-release.sh)
echo "== building the SCAN baseline (C over hiredis)"
cat > "$work/scandelete.c" <<'C'
/* One SCAN walk of the whole keyspace with MATCH and COUNT 1000, UNLINKing what matches;
   prints the keys deleted. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: scandelete PORT PATTERN\n"); return 64; }
    redisContext *c = redisConnect("127.0.0.1", atoi(argv[1]));
    if (c == NULL || c->err) { fprintf(stderr, "scandelete: cannot connect\n"); return 69; }
    char cursor[32] = "0";
    long long deleted = 0;
    do {
        redisReply *r = redisCommand(c, "SCAN %s MATCH %s COUNT 1000", cursor, argv[2]);
        if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2) { fprintf(stderr, "scandelete: bad reply\n"); return 70; }
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements; i++) {
            redisReply *d = redisCommand(c, "UNLINK %b", r->element[1]->element[i]->str, r->element[1]->element[i]->len);
            if (d && d->type == REDIS_REPLY_INTEGER) deleted += d->integer;
            freeReplyObject(d);
        }
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0);
    printf("%lld\n", deleted);
    redisFree(c);
    return 0;
}
C
gcc -O2 -o "$work/scandelete" "$work/scandelete.c" -lhiredis
export SCANDELETE="$work/scandelete"

export DATABASE_URL="$db_url" REDIS_URL="redis://127.0.0.1:$port/0" WWCTL_ACTOR=bench NO_COLOR=1

echo "== database productsbench (scale large)"
exists=$(psql "$admin_url" -Atc "select 1 from pg_database where datname = 'productsbench'")
if [ "$reseed" = 1 ] && [ -n "$exists" ]; then
  psql "$admin_url" -qc "drop database productsbench with (force)"
  exists=
fi
[ -n "$exists" ] || psql "$admin_url" -qc "create database productsbench"
"$wwctl" db migrate -q >/dev/null
products=$(psql "$db_url" -Atc "select count(*) from products")
if [ "$products" -lt 500000 ]; then
  "$wwctl" db seed --scale large --force --yes | tail -1
else
  echo "already seeded ($products products)"
fi

bench_start_redis "$port" "$work"

echo "== filling $total_keys keys"
fill_start=$(date +%s%N)
psql "$db_url" -Atc "
  (SELECT 'perm:' || ou.user_id || ':' || ou.organization_id || ':' || p.resource || ':' || p.action
   FROM organization_users ou CROSS JOIN permissions p ORDER BY ou.id, p.id)
  UNION ALL
  (SELECT k FROM products, LATERAL (VALUES ('product:' || id), ('product:' || id || ':with-variants')) v(k)
   ORDER BY id)
  LIMIT $total_keys" |
  awk 'BEGIN { v = "{\"id\":1,\"name\":\"cached\",\"price\":\"19.99\"}"; ORS = "" }
       { printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length($0), $0, length(v), v }' |
  redis-cli -p "$port" --pipe | tail -1
echo "dbsize $(redis-cli -p "$port" dbsize) in $(( ($(date +%s%N) - fill_start) / 1000000 )) ms"

echo "== $runs set-price changes (products spread over the id range)"
python3 - "$wwctl" "$db_url" "$port" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, time
from decimal import Decimal

wwctl, db_url, port, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def psql(sql):
    out = subprocess.run(["psql", db_url, "-Atc", sql], capture_output=True, text=True, check=True).stdout
    return [line.split("|") for line in out.splitlines() if line]

def redis(*args, stdin=None):
    return subprocess.run(["redis-cli", "-p", port, *args], input=stdin, capture_output=True, text=True, check=True).stdout

def js(price):
    text = str(Decimal(price))
    return text.rstrip("0").rstrip(".") if "." in text else text

def plant(pid):
    org, cat, price = psql(f"select organization_id, category_id, price from products where id = {pid}")[0]
    variants = psql(f"select id, price from product_variants where product_id = {pid}")
    carts = psql(f"""select distinct c.user_id from cart_items ci join carts c on c.id = ci.cart_id
                     join product_variants v on v.id = ci.variant_id where v.product_id = {pid}""")
    keys = [f"product:{pid}", f"product:{pid}:with-variants", f"org:{org}:products", f"org:{org}:stats",
            f"category:{cat}:products", f"commission:{pid}:{js(price)}", f"commission:{pid}:0.5"]
    keys += [f"commission:{pid}:{js(p)}" for _, p in variants] + [f"stock:{v}" for v, _ in variants]
    keys += [f"cart:{u}" for (u,) in carts]
    redis("MSET", *[x for k in keys for x in (k, "{}")])
    return Decimal(price)

def set_price(pid, price, *extra):
    start = time.perf_counter()
    result = subprocess.run([wwctl, "products", "set-price", str(pid), str(price), "-o", "json", *extra],
                            capture_output=True, text=True)
    wall = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        sys.exit(f"set-price {pid} failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout), wall

def scan_walk(pattern):
    start = time.perf_counter()
    found = subprocess.run([os.environ["SCANDELETE"], port, pattern], capture_output=True, text=True, check=True).stdout
    return (time.perf_counter() - start) * 1000, int(found)

count = int(psql("select count(*) from products")[0][0])
step = max(1, count // runs)
pids = [int(r[0]) for r in psql(f"""select id from products where id % {step} = 7
                                     and exists (select 1 from product_variants v where v.product_id = products.id)
                                     order by id limit {runs}""")]
by_name, sweep, scan_alt, walls, nosweep_walls, named, deleted = [], [], [], [], [], [], []
print(f"{'product':>8} {'named':>5} {'deleted':>7} {'byNameMs':>9} {'sweepMs':>8} {'swept':>5} {'scanAltMs':>9} {'wallMs':>7} {'noSweepWallMs':>13}")
for pid in pids:
    price = plant(pid)
    doc, wall = set_price(pid, price + 1)
    inv = doc["invalidation"]
    plant(pid)
    alt_ms, alt_deleted = scan_walk(f"product:{pid}:*")
    if alt_deleted != 1:
        sys.exit(f"the SCAN baseline deleted {alt_deleted} keys of product {pid}")
    plant(pid)
    doc2, wall2 = set_price(pid, price, "--no-sweep")
    by_name.append(inv["byNameMs"]); sweep.append(inv["sweepMs"]); scan_alt.append(alt_ms)
    walls.append(wall); nosweep_walls.append(wall2); named.append(inv["keysNamed"]); deleted.append(inv["deletedByName"])
    print(f"{pid:>8} {inv['keysNamed']:>5} {inv['deletedByName']:>7} {inv['byNameMs']:>9.3f} {inv['sweepMs']:>8.1f} "
          f"{inv['sweeps'][0]['deleted']:>5} {alt_ms:>9.1f} {wall:>7.1f} {wall2:>13.1f}")

def summary(name, values, unit="ms"):
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    print(f"  {name:<44} median {statistics.median(values):9.3f} {unit}  p95 {p95:9.3f}  max {values[-1]:9.3f}")

print()
print(f"dbsize {redis('DBSIZE').strip()}, {len(pids)} changes, keys named per change: {min(named)}-{max(named)}, "
      f"existed and deleted: {min(deleted)}-{max(deleted)}")
summary("by name (epochs + UNLINK), byNameMs", by_name)
summary("SCAN sweep of commission:{p}:* (same run)", sweep)
summary("bare SCAN+UNLINK walk, product:{p}:* (C)", scan_alt)
summary("set-price, whole process, with the sweep", walls)
summary("set-price, whole process, --no-sweep", nosweep_walls)
ratio = statistics.median(sweep) / statistics.median(by_name)
print(f"  one SCAN walk costs {ratio:,.0f}x the deletion by name (medians)")
goal = max(by_name) < 50
print(f"goal: enumerated part under 50 ms: {'PASS' if goal else 'FAIL'} (max {max(by_name):.3f} ms)")
sys.exit(0 if goal else 1)
PY
