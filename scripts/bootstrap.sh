#!/usr/bin/env bash
# Installs what wwctl needs on a fresh Debian machine, only what is missing:
# the C libraries it builds on (OpenSSL for Redis TLS), the servers its demo and tests
# run (redis-sentinel for the Sentinel tests, openssl to make their certificates), and
# pexpect for the REPL tests. Needs root (or sudo) only when something is missing.
#   scripts/bootstrap.sh           what building and testing need
#   scripts/bootstrap.sh package   that, and what building the Debian package and its
#                                  install test need (scripts/package-deb.sh,
#                                  tests/package/run.sh): kept apart so that test.sh
#                                  does not pay for them
set -euo pipefail

packages=(libhiredis-dev libedit-dev libpq-dev libssl-dev openssl redis-server redis-sentinel redis-tools postgresql pkg-config python3 python3-pexpect hyperfine tmux)
if [ "${1:-}" = package ]; then
  # dpkg-shlibdeps (dpkg-dev) finds Depends, binutils strips and reads ELF, gcc links the
  # stub that shows dpkg-shlibdeps the dlopen-ed libraries, lintian checks the package;
  # man-db and bash-completion are what the install test exercises.
  packages+=(dpkg-dev binutils gcc lintian man-db bash-completion)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$dir/swift" ] && { echo "bootstrap: add $dir to PATH" >&2; break; }
  done
fi

# A python3 other than the system one (pyenv, venv) does not see python3-pexpect.
python3 -c 'import pexpect' 2>/dev/null || python3 -m pip install -q pexpect >/dev/null
