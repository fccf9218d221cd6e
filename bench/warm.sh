#!/usr/bin/env bash
# Benchmark of `wwctl cache warm` on the large seed (issue 5), everything in one run:
#
#   1. perm (about 1,100,000 keys): `redis-cli --pipe` loading the same SET … PX commands
#      from a prepared file (generated from the database with SQL producing RESP; only the
#      load is timed) against `wwctl cache warm perm` end to end (process start, connections,
#      query, writes). Alternated --runs times; goal: warm ≥ 70 % of --pipe's keys/s.
#   2. The whole warm of every family: keys/s per family.
#   3. Peak RSS of each warm (/usr/bin/time -v); goal < 150 MB.
#
# With --compare BIN (another build of wwctl, e.g. main's), step 1 also times BIN's warm of
# perm in each run, alternated with the others: before and after a change, side by side.
#
# Servers of its own: a database `warmbench` on the test PostgreSQL (127.0.0.1:5491), migrated
# and seeded with `--scale large` by the release binary (about 3 minutes, 1.3 GB), and a
# redis-server on port 6479. The redis-server is stopped at the end; the database is dropped
# unless --keep (a kept, seeded database is reused by the next run).
#
# Usage: bench/warm.sh [--keep] [--runs N] [--no-build] [--compare BIN]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.build/release/wwctl"
PORT=6479
KEEP=0
RUNS=3
BUILD=1
COMPARE=""

while [ $# -gt 0 ]; do
    case "$1" in
        --keep) KEEP=1 ;;
        --runs) RUNS="$2"; shift ;;
        --no-build) BUILD=0 ;;
        --compare) COMPARE="$2"; shift ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "bench/warm.sh: unknown option $1" >&2; exit 64 ;;
    esac
    shift
done

NAME=bench/warm.sh
source "$ROOT/bench/warmbench.sh"
rss_mb() { awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$1"; }

# The same SET commands wwctl writes for perm, as RESP, from the database.
echo "generating the perm SET commands…" >&2
gen_start=$(now)
psql "$DB_URL" -At -R '' -c "
    SELECT '*5' || E'\r\n\$3\r\nSET\r\n\$' || octet_length(k) || E'\r\n' || k || E'\r\n\$' || octet_length(v)
           || E'\r\n' || v || E'\r\n\$2\r\nPX\r\n\$6\r\n300000\r\n'
    FROM (SELECT 'perm:' || ou.user_id || ':' || ou.organization_id || ':' || p.resource || ':' || p.action AS k,
                 CASE WHEN o.status <> 'suspended' AND rp.role_id IS NOT NULL THEN 'true' ELSE 'false' END AS v
          FROM organization_users ou
          JOIN organizations o ON o.id = ou.organization_id
          CROSS JOIN permissions p
          LEFT JOIN role_permissions rp ON rp.role_id = ou.role_id AND rp.permission_id = p.id) x" > "$WORK/perm.resp"
PERM_KEYS=$(psql "$DB_URL" -Atc "SELECT (SELECT count(*) FROM organization_users) * (SELECT count(*) FROM permissions)")
echo "  $PERM_KEYS commands, $(du -h "$WORK/perm.resp" | cut -f1), in $(elapsed "$gen_start" "$(now)") s (not timed below)" >&2

echo
echo "== perm: redis-cli --pipe vs wwctl cache warm perm ($PERM_KEYS keys, $RUNS runs, alternated)"
printf "%-4s  %12s  %12s  %12s  %12s  %7s  %9s" run "pipe s" "pipe keys/s" "warm s" "warm keys/s" ratio "warm RSS"
[ -n "$COMPARE" ] && printf "  %12s  %7s" "compare s" ratio
printf "\n"
ratios=()
compare_ratios=()
for run in $(seq "$RUNS"); do
    rcli flushall >/dev/null
    t0=$(now)
    rcli --pipe < "$WORK/perm.resp" > "$WORK/pipe.out"
    t1=$(now)
    grep -q "errors: 0, replies: $PERM_KEYS" "$WORK/pipe.out" || { cat "$WORK/pipe.out" >&2; exit 70; }
    [ "$(rcli dbsize)" = "$PERM_KEYS" ] || { echo "pipe loaded $(rcli dbsize) keys" >&2; exit 70; }
    pipe_s=$(elapsed "$t0" "$t1")

    rcli flushall >/dev/null
    t0=$(now)
    /usr/bin/time -v -o "$WORK/time.perm" "$BIN" cache warm perm --database-url "$DB_URL" --redis-url "$REDIS_URL" \
        -q -o json > "$WORK/warm.perm.json"
    t1=$(now)
    [ "$(rcli dbsize)" = "$PERM_KEYS" ] || { echo "warm wrote $(rcli dbsize) keys" >&2; exit 70; }
    warm_s=$(elapsed "$t0" "$t1")

    pipe_rate=$(rate "$PERM_KEYS" "$pipe_s")
    warm_rate=$(rate "$PERM_KEYS" "$warm_s")
    ratio=$(python3 -c "print(f'{$warm_rate / $pipe_rate:.2f}')")
    ratios+=("$ratio")
    printf "%-4s  %12s  %12s  %12s  %12s  %7s  %6s MB" "$run" "$pipe_s" "$pipe_rate" "$warm_s" "$warm_rate" "$ratio" \
        "$(rss_mb "$WORK/time.perm")"
    if [ -n "$COMPARE" ]; then
        rcli flushall >/dev/null
        t0=$(now)
        "$COMPARE" cache warm perm --database-url "$DB_URL" --redis-url "$REDIS_URL" -q -o json > /dev/null
        t1=$(now)
        [ "$(rcli dbsize)" = "$PERM_KEYS" ] || { echo "the compared warm wrote $(rcli dbsize) keys" >&2; exit 70; }
        compare_s=$(elapsed "$t0" "$t1")
        compare_ratio=$(python3 -c "print(f'{$(rate "$PERM_KEYS" "$compare_s") / $pipe_rate:.2f}')")
        compare_ratios+=("$compare_ratio")
        printf "  %12s  %7s" "$compare_s" "$compare_ratio"
    fi
    printf "\n"
done
echo "median ratio warm/pipe: $(median "${ratios[@]}") (goal ≥ 0.70)"
[ -n "$COMPARE" ] && echo "median ratio $COMPARE/pipe: $(median "${compare_ratios[@]}")"

echo
echo "== every family: wwctl cache warm"
rcli flushall >/dev/null
t0=$(now)
/usr/bin/time -v -o "$WORK/time.all" "$BIN" cache warm --database-url "$DB_URL" --redis-url "$REDIS_URL" \
    -q -o json > "$WORK/warm.all.json"
t1=$(now)
python3 - "$WORK/warm.all.json" "$(elapsed "$t0" "$t1")" "$(rss_mb "$WORK/time.all")" "$(rcli dbsize)" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
wall, rss, dbsize = float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
print(f"{'family':<20} {'keys':>10} {'MB':>8} {'seconds':>8} {'keys/s':>10}")
for f in doc["families"]:
    print(f"{f['name']:<20} {f['keys']:>10,} {f['bytes'] / 1e6:>8.1f} {f['elapsedMs'] / 1000:>8.2f} {f['keysPerSecond']:>10,}")
print(f"{'total':<20} {doc['keys']:>10,} {doc['bytes'] / 1e6:>8.1f} {doc['elapsedMs'] / 1000:>8.2f} {doc['keysPerSecond']:>10,}")
print(f"end to end {wall:.2f} s; {dbsize:,} keys in Redis; peak RSS {rss} MB (goal < 150 MB)")
assert dbsize == doc["keys"], "Redis holds a different number of keys than reported"
EOF
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
