# Sourced by bench/warm.sh and bench/warm-changes.sh: what both set up the same way.
#
# The caller sets ROOT, BIN (the release wwctl), PORT, KEEP, BUILD and NAME (for messages)
# before sourcing. This file then provides the database `warmbench` on the test PostgreSQL
# (127.0.0.1:5491), reused when a kept run left it seeded with `--scale large`, else created
# and seeded (about 2 minutes); a redis-server of the caller's own on PORT with its data in
# WORK; `rcli` to talk to it; timing helpers; and a cleanup on exit that stops the server,
# drops the database unless KEEP=1, and removes WORK.

ADMIN_URL="postgresql://wwctl:wwctl-local@127.0.0.1:5491/waywise"
DB=warmbench
DB_URL="postgresql://wwctl:wwctl-local@127.0.0.1:5491/$DB"
REDIS_URL="redis://127.0.0.1:$PORT/0"

for tool in psql redis-server redis-cli /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "$NAME: $tool is needed" >&2; exit 69; }
done

WORK="$(mktemp -d /tmp/wwctl-warmbench.XXXXXX)"
REDIS_PID=""
warmbench_cleanup() {
    if [ -n "$REDIS_PID" ]; then
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
    fi
    if [ "$KEEP" = 0 ]; then
        psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap warmbench_cleanup EXIT

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }
rate() { python3 -c "print(int($1 / ($2)))"; }
median() { printf "%s\n" "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rcli() { redis-cli -p "$PORT" "$@"; }

"$ROOT/scripts/servers.sh" start test >/dev/null

if [ "$BUILD" = 1 ]; then
    echo "building the release binary…" >&2
    "$ROOT/scripts/build-release.sh" >/dev/null
fi

seeded=$(psql "$DB_URL" -Atc "SELECT count(*) FROM organization_users" 2>/dev/null || echo 0)
if [ "$seeded" != "25000" ]; then
    echo "creating $DB and seeding --scale large (a few minutes)…" >&2
    psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
    "$BIN" db migrate --database-url "$DB_URL" -q >/dev/null
    "$BIN" db seed --scale large --database-url "$DB_URL" -q >/dev/null
else
    echo "reusing the seeded $DB" >&2
fi

if redis-cli -p "$PORT" ping >/dev/null 2>&1; then
    echo "$NAME: port $PORT is already in use" >&2
    exit 69
fi
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
    --logfile "$WORK/redis.log" --daemonize no &
REDIS_PID=$!
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
