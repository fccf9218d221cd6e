#!/usr/bin/env bash
# Benchmark of `wwctl cache warm perm` racing role changes on the large seed (issue 23),
# everything in one run, alternated:
#
#   quiet     the warm alone (about 1,100,000 perm keys), end to end;
#   changing  the same warm while a REPL (`wwctl repl`, one process, connections kept)
#             makes --changes `orgs set-role` spread evenly over the quiet warm's time.
#
# For each pair: the time ratio changing / quiet (goal ≤ 1.3) and the share of the keys
# the database implies that Redis holds after the changing warm (goal ≥ 99 %: all but those
# the changes made stale, which are re-warmed or reported), with the report's refused,
# re-warmed and invalidated counts, and whether the report equals Redis (DBSIZE without
# wwctl's own keys). Prints the medians.
#
# Servers of its own: a database `warmbench` on the test PostgreSQL (127.0.0.1:5491), shared
# with bench/warm.sh (reused when a kept run left it seeded, else migrated and seeded with
# `--scale large`: about 2 minutes), and a redis-server on port 6477, stopped at the end. The
# database is dropped at the end unless --keep.
#
# Usage: bench/warm-changes.sh [--keep] [--runs N] [--changes N] [--no-build]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.build/release/wwctl"
PORT=6477
KEEP=0
RUNS=3
CHANGES=50
BUILD=1

while [ $# -gt 0 ]; do
    case "$1" in
        --keep) KEEP=1 ;;
        --runs) RUNS="$2"; shift ;;
        --changes) CHANGES="$2"; shift ;;
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "bench/warm-changes.sh: unknown option $1" >&2; exit 64 ;;
    esac
    shift
done

NAME=bench/warm-changes.sh
source "$ROOT/bench/warmbench.sh"
export DATABASE_URL="$DB_URL" REDIS_URL NO_COLOR=1

PERM_KEYS=$(psql "$DB_URL" -Atc "SELECT (SELECT count(*) FROM organization_users) * (SELECT count(*) FROM permissions)")
# The keys Redis holds, without wwctl's own (the change log).
held() { echo $(( $(rcli dbsize) - $(rcli exists wwctl:epochs:log) )); }

warm() {  # $1: output file; prints the wall time
    local t0 t1
    t0=$(now)
    "$BIN" cache warm perm -q -o json > "$1" || [ $? -eq 75 ]
    t1=$(now)
    elapsed "$t0" "$t1"
}

echo
echo "== cache warm perm ($PERM_KEYS keys) alone and with $CHANGES orgs set-role spread over it ($RUNS runs, alternated)"
printf "%-4s  %8s  %8s  %6s  %9s  %8s  %8s  %8s  %8s  %6s\n" run "quiet s" "chg s" ratio "held %" refused rewarmed invalid unwarmed equal
ratios=()
shares=()
for run in $(seq "$RUNS"); do
    rcli flushall >/dev/null
    quiet_s=$(warm "$WORK/quiet.json")
    [ "$(held)" = "$PERM_KEYS" ] || { echo "the quiet warm left $(held) keys" >&2; exit 70; }

    # The changes: members (not owners) spread over the id range, each to another role.
    psql "$DB_URL" -AtF ' ' -c "
        SELECT ou.organization_id, ou.user_id, CASE WHEN r.name = 'staff' THEN 'viewer' ELSE 'staff' END
        FROM organization_users ou JOIN roles r ON r.id = ou.role_id
        WHERE r.name <> 'owner' ORDER BY md5(ou.id::text || '$run') LIMIT $CHANGES" > "$WORK/changes"
    interval=$(python3 -c "print($quiet_s / $CHANGES)")
    rcli flushall >/dev/null
    ( while read -r org user role; do
          echo "orgs set-role $org $user $role"
          sleep "$interval"
      done < "$WORK/changes" ) | "$BIN" repl > "$WORK/repl.out" 2> "$WORK/repl.err" &
    changer=$!
    changing_s=$(warm "$WORK/changing.json")
    wait "$changer" || { cat "$WORK/repl.err" >&2; exit 70; }
    held_keys=$(held)
    ratio=$(python3 -c "print(f'{$changing_s / $quiet_s:.2f}')")
    share=$(python3 -c "print(f'{100 * $held_keys / $PERM_KEYS:.3f}')")
    ratios+=("$ratio")
    shares+=("$share")
    python3 - "$WORK/changing.json" "$run" "$quiet_s" "$changing_s" "$ratio" "$share" "$held_keys" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
run, quiet, changing, ratio, share, held = sys.argv[2:8]
perm = doc["families"][0]
# Changes that came after the warm's last read of the log may delete more: "equal" holds
# when none did.
equal = "yes" if doc["keys"] == int(held) else f"{doc['keys'] - int(held):+d}"
print(f"{run:<4}  {quiet:>8}  {changing:>8}  {ratio:>6}  {share:>9}  {perm['refused']:>8,}  {perm['rewarmed']:>8,}"
      f"  {perm['invalidated']:>8,}  {perm['unwarmed']:>8,}  {equal:>6}")
EOF
done
echo "median time ratio changing/quiet: $(median "${ratios[@]}") (goal ≤ 1.3)"
echo "median share of the database's keys held after the changing warm: $(median "${shares[@]}") % (goal ≥ 99 %)"
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
