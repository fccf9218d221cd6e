#!/usr/bin/env bash
# Builds the release wwctl: the one place that says how (scripts/demo.sh, bench/*.sh and
# the README's installation all call it). Prints the binary's path on stdout; the build's
# own output goes to stderr. Extra arguments go to `swift build`. Usage:
#   wwctl=$(scripts/build-release.sh)
#
# Start-up time matters (cron, monitoring and shell completion run the binary
# constantly), so on Linux the executable is linked to load as little as possible:
#   --static-swift-stdlib   the Swift runtime and FoundationEssentials inside the binary.
#   libstdc++ static        the runtime calls a few dozen libstdc++ functions; loading
#                           libstdc++.so and binding its symbols costs ~1.7M instructions
#                           per process. swiftc links `-lstdc++` itself, so a directory
#                           holding only libstdc++.a is put first on the search path.
#   -no-pie                 a position-dependent executable needs no load-time
#                           relocation: a PIE wwctl has ~46,000 relative relocations on
#                           ~150 pages, each copied on write at every start (~0.6 ms).
#                           The price: the executable's own code and data are at a fixed
#                           address (shared libraries, stack, heap and mmap stay
#                           randomized by ASLR). WWCTL_PIE=1 builds a PIE instead.
# libpq and libedit are not linked at all: the commands that need them dlopen them.
#
# `wwctl --version` names the commit the binary was built from: this script writes it to
# Sources/WWCtl/BuildCommit.generated.swift (ignored by git) and compiles with
# -DWWCTL_RELEASE_BUILD, the flag under which that file counts (see BuildInfo.swift).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$root" ] && hash=$(git rev-parse --short=12 HEAD); then
  modified=false
  [ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || modified=true
  commit=".recorded(hash: \"$hash\", modified: $modified)"
else
  commit=".unknown"
fi
generated=Sources/WWCtl/BuildCommit.generated.swift
contents="// Written by scripts/build-release.sh; not in git.
#if WWCTL_RELEASE_BUILD
let releaseBuildCommit: BuildCommit = $commit
#endif"
# Rewritten only when it changes, so that an unchanged tree rebuilds nothing.
[ "$(cat "$generated" 2>/dev/null)" = "$contents" ] || printf '%s\n' "$contents" >"$generated"

flags=(-c release --static-swift-stdlib --product wwctl -Xswiftc -DWWCTL_RELEASE_BUILD)
if [ "$(uname -s)" = Linux ]; then
  if [ "${WWCTL_PIE:-0}" != 1 ]; then
    flags+=(-Xswiftc -Xclang-linker -Xswiftc -no-pie)
  fi
  # The libstdc++.a of the GCC installation the Swift toolchain's clang links with.
  static_cxx=
  for cc in clang gcc; do
    command -v "$cc" >/dev/null || continue
    candidate=$("$cc" -print-file-name=libstdc++.a)
    if [ -f "$candidate" ]; then static_cxx=$candidate; break; fi
  done
  if [ -n "$static_cxx" ]; then
    dir="$root/.build/static-libstdc++"
    mkdir -p "$dir"
    ln -sfn "$static_cxx" "$dir/libstdc++.a"
    flags+=(-Xswiftc -L -Xswiftc "$dir")
  else
    echo "build-release.sh: no libstdc++.a (package libstdc++-<version>-dev): linking libstdc++.so" >&2
  fi
fi

# On a terminal the build shows its progress; in logs only its last line (or all of it
# when it fails).
if [ -t 2 ]; then
  swift build "${flags[@]}" "$@" >&2
else
  log=$(mktemp "${TMPDIR:-/tmp}/wwctl-build.XXXXXX")
  trap 'rm -f "$log"' EXIT
  if ! swift build "${flags[@]}" "$@" >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
  fi
  tail -1 "$log" >&2
fi
echo "$root/.build/release/wwctl"
