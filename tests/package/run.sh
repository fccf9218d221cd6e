#!/usr/bin/env bash
# Builds the Debian package (scripts/package-deb.sh), then installs it with apt-get, uses
# the installed wwctl against the test servers, and removes and purges it
# (tests/package/test_package.py). Changes the machine's installed packages: needs root.
# CI runs it after scripts/test.sh (.ci/run); it is not part of test.sh because the
# release build it needs takes minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
[ "$(id -u)" = 0 ] || { echo "tests/package/run.sh: installs a package, run it as root" >&2; exit 1; }
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

out=$(mktemp -d "${TMPDIR:-/tmp}/wwctl-deb-XXXXXX")
trap 'rm -rf "$out"' EXIT
start=$(date +%s)
deb=$(scripts/package-deb.sh "$out")
echo "tests/package/run.sh: built $(basename "$deb") in $(( $(date +%s) - start )) s" >&2

scripts/servers.sh start test
eval "$(scripts/servers.sh env test)"
export WWCTL_TEST_REDIS_URL="$REDIS_URL" WWCTL_TEST_DATABASE_URL="$DATABASE_URL" WWCTL_DEB="$deb"
unset REDIS_URL DATABASE_URL
python3 -m unittest discover -s tests/package -t . -v
