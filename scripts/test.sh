#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds, starts the
# test servers (Redis 6391, PostgreSQL 15 on 5491, data in .local/test) and the prodlike
# ones (TLS Redis and PostgreSQL, ACL users, a Sentinel group: see scripts/servers.sh),
# runs the unit and integration tests against them, then the tests that drive the real binary
# and the fault suite (tests/faults: servers it breaks on purpose, on ports of its own).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

scripts/bootstrap.sh
scripts/servers.sh start test
scripts/servers.sh start prodlike
eval "$(scripts/servers.sh env test)"
eval "$(scripts/servers.sh env prodlike)"
export WWCTL_TEST_REDIS_URL="$REDIS_URL" WWCTL_TEST_DATABASE_URL="$DATABASE_URL"
unset REDIS_URL DATABASE_URL

swift build --build-tests
swift test --skip-build
swift build --product wwctl
# Completions, man pages and the README's key table must match what this binary generates.
scripts/generate-docs.sh --check
WWCTL_BIN="$root/.build/debug/wwctl" python3 -m unittest discover -s tests/cli -t . -v
# The fault suite: servers of its own (Redis 6403-6409, PostgreSQL 5510) killed, frozen and
# broken on purpose. WWCTL_STRESS_RUNS sets how often the exit stress test runs the
# start-up-bound commands (900 here; 3,000 or more when looking for a rare crash at exit).
WWCTL_BIN="$root/.build/debug/wwctl" WWCTL_STRESS_RUNS="${WWCTL_STRESS_RUNS:-900}" \
    python3 -m unittest discover -s tests/faults -t . -v
echo "test.sh: all tests passed"
