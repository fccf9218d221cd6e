#!/usr/bin/env bash
# Speed of `wwctl top keys` (memory ranking) against its baselines, measured in one run on
# one server over 2,000,000 keys:
#   1. `redis-cli --memkeys` (one MEMORY USAGE per key, pipelined per SCAN batch since
#      Redis 7) vs `wwctl top keys`                               (goal: ratio <= 1.5)
#   2. `wwctl metrics --by-family` (the same walk, MEMORY USAGE on a sample per family)
#      vs `wwctl top keys` (MEMORY USAGE on every key)             (goal: ratio <= 1.3)
#
# Starts its own redis-server on port 6451 (data in a temporary directory, removed at
# the end), fills it with 1,000,000 perm keys (true/false, TTL 300) and 1,000,000
# product keys (~300-byte JSON, TTL 1800) through `redis-cli --pipe`, and builds wwctl
# the way it is released (scripts/build-release.sh).
#
# Needs: swift, redis-server, redis-cli, hyperfine, python3.
# Usage: bench/top-keys.sh      BENCH_PORT overrides the port; WWCTL_BIN=path measures
# that binary instead of building this checkout's.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source bench/lib.sh
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

port=${BENCH_PORT:-6451}
perm_keys=1000000
product_keys=1000000
work=$(mktemp -d "${TMPDIR:-/tmp}/wwctl-bench-top.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for tool in redis-server redis-cli hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "bench/top-keys.sh: $tool is not installed" >&2; exit 1; }
done
if redis-cli -p "$port" ping >/dev/null 2>&1; then
  echo "bench/top-keys.sh: something already listens on port $port" >&2
  exit 1
fi

echo "== building wwctl (scripts/build-release.sh)"
wwctl=${WWCTL_BIN:-$(scripts/build-release.sh)}

bench_start_redis "$port" "$work"
bench_fill_perm_product "$port" "$perm_keys" "$product_keys"

export NO_COLOR=1
url="redis://127.0.0.1:$port/0"
echo
echo "== redis-cli --memkeys vs wwctl top keys vs wwctl metrics --by-family over $keys keys"
hyperfine -N --warmup 1 --runs 3 --export-json "$work/top.json" \
  -n "redis-cli --memkeys" "redis-cli -p $port --memkeys" \
  -n "wwctl top keys" "$wwctl top keys --redis-url $url -o json" \
  -n "wwctl metrics --by-family" "$wwctl metrics --by-family --redis-url $url -o json"

echo
python3 - "$work/top.json" <<'EOF'
import json, sys
results = {r["command"]: (r["mean"], r["stddev"] or 0.0) for r in json.load(open(sys.argv[1]))["results"]}
memkeys, top, walk = results["redis-cli --memkeys"], results["wwctl top keys"], results["wwctl metrics --by-family"]
print("== ratios (goal: top keys <= 1.5x redis-cli --memkeys and <= 1.3x metrics --by-family)")
print(f"redis-cli --memkeys        {memkeys[0]:8.3f} s ± {memkeys[1]:.3f}")
print(f"wwctl metrics --by-family  {walk[0]:8.3f} s ± {walk[1]:.3f}")
print(f"wwctl top keys             {top[0]:8.3f} s ± {top[1]:.3f}   "
      f"ratio {top[0] / memkeys[0]:.2f} to --memkeys, {top[0] / walk[0]:.2f} to --by-family")
EOF
