#!/usr/bin/env bash
# The demo, from a fresh clone: installs what is missing, builds wwctl (release), starts
# a local Redis (6390) and PostgreSQL 15 (5490) with data in .local/demo, migrates,
# seeds a small marketplace and the live state the app keeps in Redis (sessions, blacklisted
# JWTs, rate-limit counters), warms every cache family and shows the Redis metrics.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

scripts/bootstrap.sh
wwctl=$(scripts/build-release.sh)
scripts/servers.sh start demo
eval "$(scripts/servers.sh env demo)"

set -x
"$wwctl" ping
"$wwctl" db migrate
"$wwctl" db seed --scale "${DEMO_SCALE:-small}" --force --yes
"$wwctl" db seed-live
"$wwctl" cache warm
"$wwctl" metrics --by-family
{ set +x; } 2>/dev/null
echo
echo "Demo servers are running. To use them:  eval \"\$(scripts/servers.sh env demo)\"; $wwctl repl"
echo "Stop them with:  scripts/servers.sh stop demo"
