#!/usr/bin/env bash
# Invalidation by name against SCAN, for `orgs set-role` and `perms revoke`/`grant`, at the
# large seed with 2,000,000 cached keys (issue 7).
#
#   bench/orgs-perms.sh [--keep-db] [--skip-build] [--reuse-db] [--runs N] [--keys N]
#
# Creates the database `orgsbench` on the test PostgreSQL (127.0.0.1:5491), migrates it and
# seeds it at scale large with the release binary, starts a redis-server of its own on
# 127.0.0.1:6494 and fills it with --keys keys (default 2,000,000): the perm keys of every
# real membership × the permission catalog (about 1,100,000, with the database's answers),
# then product keys up to the total. Then, in the same run:
#
#   set-role   wwctl orgs set-role on one staff membership (48 keys by name), alternating
#              roles; its report's invalidation.elapsedMs, and the whole command's wall time
#              with hyperfine, against `redis-cli --scan --pattern 'perm:U:O:*'` + UNLINK.
#   revoke     wwctl perms revoke/grant staff product:update (the ~10,000 staff memberships'
#              keys by name), against `--scan --pattern 'perm:*:*:product:update'` + UNLINK.
#
# Before every measured run the keys it will delete are cached again, so each run deletes
# real keys. Prints medians and the ratio SCAN / by name, and checks the issue's goals
# (set-role under 50 ms, revoke under 1 s). Drops the database at the end unless --keep-db;
# --reuse-db keeps a seeded orgsbench from an earlier --keep-db run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
export LC_ALL=C

keep_db=0; build=1; reuse_db=0; runs=15; total_keys=2000000
while [ $# -gt 0 ]; do
  case "$1" in
    --keep-db) keep_db=1 ;;
    --skip-build) build=0 ;;
    --reuse-db) reuse_db=1; keep_db=1 ;;
    --runs) runs=$2; shift ;;
    --keys) total_keys=$2; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "orgs-perms.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
  shift
done

pg_base=postgresql://wwctl:wwctl-local@127.0.0.1:5491
db=orgsbench
db_url=$pg_base/$db
redis_port=6494
wwctl=$root/.build/release/wwctl
rcli() { redis-cli -p "$redis_port" "$@"; }
now_ms() { echo $(( $(date +%s%N) / 1000 )) | awk '{printf "%.3f", $1 / 1000}'; }
median() { sort -g | awk '{a[NR] = $1} END {if (NR == 0) {print "nan"} else if (NR % 2) {print a[(NR + 1) / 2]} else {printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}}'; }
json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); [d := d[k] for k in sys.argv[1].split(".")]; print(d)' "$1"; }
# RESP for SET key value, from "key|value" lines.
resp_set() { awk -F'|' '{printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length($1), $1, length($2), $2}'; }

scripts/servers.sh start test >/dev/null
if [ "$build" = 1 ]; then
  echo "building the release binary (scripts/build-release.sh)"
  scripts/build-release.sh >/dev/null
fi
[ -x "$wwctl" ] || { echo "orgs-perms.sh: no release binary at $wwctl (drop --skip-build)" >&2; exit 69; }

redis_dir=$(mktemp -d /tmp/wwctl-orgsbench-redis.XXXXXX)
cleanup() {
  if [ -f "$redis_dir/redis.pid" ]; then kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$redis_dir"
  if [ "$keep_db" = 0 ]; then psql "$pg_base/waywise" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

export DATABASE_URL=$db_url REDIS_URL=redis://127.0.0.1:$redis_port/0 WWCTL_ACTOR=orgs-bench
if [ "$reuse_db" = 1 ] && psql "$db_url" -qAtc "select 1 from organizations limit 1" >/dev/null 2>&1; then
  echo "reusing database $db"
else
  psql "$pg_base/waywise" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  psql "$pg_base/waywise" -qc "CREATE DATABASE $db"
  "$wwctl" db migrate -q >/dev/null
  echo "seeding scale large (about 2 minutes)"
  "$wwctl" db seed --scale large -q -o json | json_field totalRows | awk '{printf "seeded %d rows\n", $1}'
fi

if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
  echo "orgs-perms.sh: port $redis_port is already in use" >&2; exit 69
fi
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$redis_dir" \
  --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" --daemonize yes >/dev/null
for _ in $(seq 1 100); do rcli ping >/dev/null 2>&1 && break; sleep 0.05; done

# The database's answer for each perm key: member, role granted, org not suspended.
perm_truth="
  SELECT 'perm:' || ou.user_id || ':' || ou.organization_id || ':' || p.resource || ':' || p.action,
         CASE WHEN o.status <> 'suspended' AND rp.role_id IS NOT NULL THEN 'true' ELSE 'false' END
  FROM organization_users ou
  JOIN organizations o ON o.id = ou.organization_id
  CROSS JOIN permissions p
  LEFT JOIN role_permissions rp ON rp.role_id = ou.role_id AND rp.permission_id = p.id"
cache_perms() { psql "$db_url" -XAtq -F'|' -c "$perm_truth WHERE $1" | resp_set | rcli --pipe >/dev/null; }

echo "filling redis :$redis_port with $total_keys keys"
started=$(now_ms)
psql "$db_url" -XAtq -F'|' -c "$perm_truth" | resp_set | rcli --pipe | tail -1
perm_keys=$(rcli dbsize)
rest=$(( total_keys - perm_keys ))
if [ "$rest" -gt 0 ]; then
  products=$(( (rest + 1) / 2 ))
  seq 1 "$products" | awk -v n="$rest" '{print "product:" $1 "|{\"id\":" $1 "}"; if (NR * 2 <= n) print "product:" $1 ":with-variants|{\"id\":" $1 ",\"variants\":[]}"}' \
    | resp_set | rcli --pipe | tail -1
fi
printf "cached %s keys (%s perm) in %.1f s\n" "$(rcli dbsize)" "$perm_keys" "$(awk -v a="$started" -v b="$(now_ms)" 'BEGIN {print (b - a) / 1000}')"

keyspace=$(rcli dbsize)

# --- orgs set-role -----------------------------------------------------------------------
read -r user org < <(psql "$db_url" -XAtq -F' ' -c "
  SELECT ou.user_id, ou.organization_id FROM organization_users ou JOIN roles r ON r.id = ou.role_id
  WHERE r.name = 'staff' ORDER BY ou.id LIMIT 1")
membership="ou.user_id = $user AND ou.organization_id = $org"
recache_membership() {
  cache_perms "$membership"
  printf 'user:orgs:%s|[]\nuser:%s:orgs|[]\norg:%s:members|[]\norg:%s:stats|{}\n' "$user" "$user" "$org" "$org" | resp_set | rcli --pipe >/dev/null
}
echo
echo "set-role: user $user in org $org ($runs runs each way)"
: > "$redis_dir/setrole.ms"; : > "$redis_dir/setrole.wall"
role=manager
for _ in $(seq 1 "$runs"); do
  recache_membership
  t0=$(now_ms)
  out=$("$wwctl" orgs set-role "$org" "$user" "$role" -o json)
  t1=$(now_ms)
  echo "$out" | json_field invalidation.elapsedMs >> "$redis_dir/setrole.ms"
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$redis_dir/setrole.wall"
  deleted=$(echo "$out" | json_field invalidation.deletedByName)
  [ "$deleted" = 48 ] || { echo "set-role deleted $deleted keys, expected 48" >&2; exit 70; }
  if [ "$role" = manager ]; then role=staff; else role=manager; fi
done
set_ms=$(median < "$redis_dir/setrole.ms")
set_wall=$(median < "$redis_dir/setrole.wall")
hyperfine_ms=nan
if command -v hyperfine >/dev/null; then
  hyperfine --runs "$runs" --warmup 1 --export-json "$redis_dir/hyperfine.json" \
    --prepare "psql '$db_url' -qc \"UPDATE organization_users SET role_id = (SELECT id FROM roles WHERE name = 'staff') WHERE user_id = $user AND organization_id = $org\"" \
    "'$wwctl' orgs set-role $org $user manager -q" >/dev/null
  hyperfine_ms=$(python3 -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$redis_dir/hyperfine.json")
  "$wwctl" orgs set-role "$org" "$user" staff -q >/dev/null 2>&1 || true
fi
: > "$redis_dir/scan1.ms"
for _ in 1 2 3; do
  recache_membership
  t0=$(now_ms)
  rcli --scan --pattern "perm:$user:$org:*" | xargs -r redis-cli -p "$redis_port" unlink >/dev/null
  t1=$(now_ms)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$redis_dir/scan1.ms"
done
scan_set=$(median < "$redis_dir/scan1.ms")
# The same walk in wwctl itself (--sweep: SCAN COUNT 1000, UNLINK pipelined with the next
# SCAN), the fairest SCAN baseline: invalidation.elapsedMs is then almost all sweep.
: > "$redis_dir/sweep1.ms"
for _ in 1 2 3; do
  recache_membership
  "$wwctl" orgs set-role "$org" "$user" manager --sweep -o json | json_field invalidation.elapsedMs >> "$redis_dir/sweep1.ms"
  "$wwctl" orgs set-role "$org" "$user" staff -q >/dev/null
done
sweep_set=$(median < "$redis_dir/sweep1.ms")

# --- perms revoke / grant ------------------------------------------------------------------
holders=$(psql "$db_url" -XAtq -c "SELECT count(*) FROM organization_users ou JOIN roles r ON r.id = ou.role_id WHERE r.name = 'staff'")
staff_keys="ou.role_id = (SELECT id FROM roles WHERE name = 'staff') AND p.resource = 'product' AND p.action = 'update'"
echo
echo "revoke/grant staff product:update: $holders memberships hold the role ($runs runs)"
: > "$redis_dir/revoke.ms"; : > "$redis_dir/revoke.wall"
verb=revoke
for _ in $(seq 1 "$runs"); do
  cache_perms "$staff_keys"
  t0=$(now_ms)
  out=$("$wwctl" perms "$verb" staff product:update -o json)
  t1=$(now_ms)
  echo "$out" | json_field invalidation.elapsedMs >> "$redis_dir/revoke.ms"
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$redis_dir/revoke.wall"
  deleted=$(echo "$out" | json_field invalidation.deletedByName)
  [ "$deleted" = "$holders" ] || { echo "perms $verb deleted $deleted keys, expected $holders" >&2; exit 70; }
  if [ "$verb" = revoke ]; then verb=grant; else verb=revoke; fi
done
[ "$verb" = grant ] && "$wwctl" perms grant staff product:update -q >/dev/null
revoke_ms=$(median < "$redis_dir/revoke.ms")
revoke_wall=$(median < "$redis_dir/revoke.wall")
: > "$redis_dir/scan2.ms"
for _ in 1 2 3; do
  cache_perms "$staff_keys"
  t0=$(now_ms)
  rcli --scan --pattern 'perm:*:*:product:update' | xargs -r redis-cli -p "$redis_port" unlink >/dev/null
  t1=$(now_ms)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$redis_dir/scan2.ms"
done
scan_revoke=$(median < "$redis_dir/scan2.ms")
: > "$redis_dir/sweep2.ms"
for _ in 1 2 3; do
  cache_perms "$staff_keys"
  "$wwctl" perms revoke staff product:update --sweep -o json | json_field invalidation.elapsedMs >> "$redis_dir/sweep2.ms"
  "$wwctl" perms grant staff product:update -q >/dev/null
done
sweep_revoke=$(median < "$redis_dir/sweep2.ms")

# --- report --------------------------------------------------------------------------------
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0fx", a / b}'; }
verdict() { awk -v v="$1" -v g="$2" 'BEGIN {print (v < g) ? "< " g " ms: ok" : "< " g " ms: MISSED"}'; }
printf "%-19s %6s %9s %9s %11s %11s %9s %9s  %s\n" "operation" "keys" "name ms" "cmd ms" "sweep ms" "cli-scan ms" "sweep/x" "scan/x" "goal"
printf "%-19s %6s %9s %9s %11s %11s %9s %9s  %s\n" "orgs set-role" 48 "$set_ms" "$set_wall" "$sweep_set" "$scan_set" \
  "$(ratio "$sweep_set" "$set_ms")" "$(ratio "$scan_set" "$set_ms")" "$(verdict "$set_ms" 50)"
printf "%-19s %6s %9s %9s %11s %11s %9s %9s  %s\n" "perms revoke/grant" "$holders" "$revoke_ms" "$revoke_wall" "$sweep_revoke" "$scan_revoke" \
  "$(ratio "$sweep_revoke" "$revoke_ms")" "$(ratio "$scan_revoke" "$revoke_ms")" "$(verdict "$revoke_ms" 1000)"
echo
echo "keyspace: $keyspace keys; medians of $runs runs (SCAN baselines: 3)"
echo "name ms:     the report's invalidation.elapsedMs: epochs + deletion by name (pipelined UNLINK), after commit"
echo "cmd ms:      the whole wwctl run, wall clock (hyperfine median for set-role: $hyperfine_ms ms)"
echo "sweep ms:    the same command with --sweep: wwctl's own SCAN walk (COUNT 1000, UNLINK pipelined with the next SCAN)"
echo "cli-scan ms: redis-cli --scan --pattern (perm:U:O:* / perm:*:*:product:update) | xargs redis-cli unlink"
echo "sweep/x, scan/x: how many times longer than by name"
[ "$keep_db" = 1 ] && echo "kept database $db_url"
exit 0
