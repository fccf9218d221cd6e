#!/usr/bin/env bash
# Builds the Debian package of wwctl from the release build (scripts/build-release.sh) and
# prints its path on stdout: wwctl_<version>_<arch>.deb in the repository's root, or in
# the folder given as the one argument. Install it with `apt-get install ./wwctl_…deb`.
#
#   /usr/bin/wwctl                                       stripped release build
#   /usr/share/man/man1/*.1.gz                           every page in man/
#   /usr/share/bash-completion/completions/wwctl         completions/wwctl.bash
#   /usr/share/zsh/vendor-completions/_wwctl             completions/_wwctl
#   /usr/share/fish/vendor_completions.d/wwctl.fish      completions/wwctl.fish
#   /usr/share/doc/wwctl/copyright, changelog.Debian.gz  packaging/deb/
#   /usr/share/lintian/overrides/wwctl                   packaging/deb/lintian-overrides
#
# The version is what the binary says (`wwctl --version`); the Debian revision and the
# maintainer come from packaging/deb/changelog, whose first entry must be for that version.
#
# Depends is computed, not written: dpkg-shlibdeps reads the libraries the executable
# links (hiredis, libc) and, because ldd and dpkg-shlibdeps cannot see what is opened
# with dlopen (libpq, libedit, OpenSSL once TLS lands), a stub shared object linked
# against exactly the sonames the code dlopens (scripts/dlopen-libraries.py reads them
# from the code's `libraryNames` lists) and referring to the symbols the code looks up
# in each, so that the version constraints come from those libraries' symbols files
# too. Each dlopen-ed library's package is then checked to be in Depends.
#
# lintian must report no error and no bad-whatis-entry (either fails the script). Its
# other warnings, and why they stay:
#   hardening-no-pie (overridden in packaging/deb/lintian-overrides, with the reason): the
#     executable is -no-pie on purpose, to start without relocating ~46,000 pointers (see
#     build-release.sh; WWCTL_PIE=1 builds a PIE, and the override then goes unused).
#   initial-upload-closes-no-bugs (overridden): the package is not uploaded to Debian, so
#     there is no ITP bug for the first changelog entry to close.
# and its notes (info): hardening-no-bindnow (binding every symbol at start would cost
# the start-up that lazy binding saves), hardening-no-fortify-functions (swiftc has no
# _FORTIFY_SOURCE; Swift checks its own bounds), spelling-error-in-binary (strings of
# the statically linked Swift runtime).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out_dir=$(cd "${1:-$root}" && pwd)
umask 022
fail() { echo "package-deb.sh: $*" >&2; exit 1; }

scripts/bootstrap.sh package
wwctl=$(scripts/build-release.sh)

version=$("$wwctl" --version | sed -n '1s/^wwctl \([^ ]*\) .*/\1/p')
[ -n "$version" ] || fail "$wwctl --version printed no version"
changelog=packaging/deb/changelog
deb_version=$(dpkg-parsechangelog -l "$changelog" -S Version)
[ "${deb_version%-*}" = "$version" ] ||
  fail "$changelog starts at $deb_version, the binary is $version: add an entry for $version-1"
maintainer=$(dpkg-parsechangelog -l "$changelog" -S Maintainer)
arch=$(dpkg --print-architecture)
# File times and gzip headers from the changelog's date: the same tree gives the same package.
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l "$changelog" -S Timestamp)

work="$root/.build/deb"
rm -rf "$work"
stage="$work/debian/wwctl"
mkdir -p "$stage/DEBIAN"

# The executable, stripped of its symbol table as dh_strip would (the Swift runtime reads
# its metadata from allocated sections, which strip keeps).
install -D -m 755 "$wwctl" "$stage/usr/bin/wwctl"
strip --remove-section=.comment --remove-section=.note "$stage/usr/bin/wwctl"

shopt -s nullglob
pages=(man/*.1)
[ ${#pages[@]} -gt 0 ] || fail "no manual pages in man/ (scripts/generate-docs.sh writes them)"
mkdir -p "$stage/usr/share/man/man1"
for page in "${pages[@]}"; do
  gzip -9nc "$page" >"$stage/usr/share/man/man1/$(basename "$page").gz"
done
# bash-completion sources the file: the generator's `#!/bin/bash` line has no use there.
mkdir -p "$stage/usr/share/bash-completion/completions"
sed '1{/^#!/d}' completions/wwctl.bash >"$stage/usr/share/bash-completion/completions/wwctl"
chmod 644 "$stage/usr/share/bash-completion/completions/wwctl"
install -D -m 644 completions/_wwctl "$stage/usr/share/zsh/vendor-completions/_wwctl"
install -D -m 644 completions/wwctl.fish "$stage/usr/share/fish/vendor_completions.d/wwctl.fish"
install -D -m 644 packaging/deb/copyright "$stage/usr/share/doc/wwctl/copyright"
gzip -9nc "$changelog" >"$stage/usr/share/doc/wwctl/changelog.Debian.gz"
install -D -m 644 packaging/deb/lintian-overrides "$stage/usr/share/lintian/overrides/wwctl"

# --- Depends ---------------------------------------------------------------------------
cc=
for candidate in "${CC:-}" gcc clang cc; do
  [ -n "$candidate" ] && command -v "$candidate" >/dev/null && { cc=$candidate; break; }
done
[ -n "$cc" ] || fail "no C compiler to link the dlopen stub (install gcc)"
scripts/dlopen-libraries.py --check || fail "a library is dlopen-ed outside the libraryNames lists"
stub_c="$work/dlopen-stub.c"
link_flags=()
sonames=()
echo "// What wwctl opens with dlopen, for dpkg-shlibdeps; never shipped." >"$stub_c"
references=()
while read -r soname identifiers; do
  library=$("$cc" -print-file-name="$soname")
  [ -f "$library" ] || fail "$soname, which wwctl dlopens, is not installed here"
  sonames+=("$soname")
  link_flags+=("-l:$soname")
  # The names the code looks up that this library defines (libcrypto's, found through
  # libssl's handle, belong to the same package and are left out).
  defined=$(nm -D --defined-only "$library" | awk '{print $NF}' | sed 's/@.*//' | sort -u)
  for name in $identifiers; do
    if grep -qxF "$name" <<<"$defined"; then
      echo "extern char $name[];" >>"$stub_c"
      references+=("$name")
    fi
  done
done < <(scripts/dlopen-libraries.py)
[ ${#sonames[@]} -gt 0 ] || fail "scripts/dlopen-libraries.py found no dlopen-ed library"
{
  echo "void *wwctl_dlopen_symbols[] = {"
  for name in "${references[@]}"; do echo "  $name,"; done
  echo "  0 };"
} >>"$stub_c"
mkdir -p "$work/debian/wwctl-dlopen-stub/DEBIAN"
"$cc" -shared -fPIC -o "$work/debian/wwctl-dlopen-stub/dlopen-stub.so" "$stub_c" \
  -Wl,-z,defs -Wl,--no-as-needed "${link_flags[@]}"
printf 'Source: wwctl\n\nPackage: wwctl\nArchitecture: any\n\nPackage: wwctl-dlopen-stub\nArchitecture: any\n' \
  >"$work/debian/control"
shlibdeps_log="$work/dpkg-shlibdeps.log"
if ! substvars=$(cd "$work" && dpkg-shlibdeps -O -e debian/wwctl/usr/bin/wwctl \
  -e debian/wwctl-dlopen-stub/dlopen-stub.so 2>"$shlibdeps_log"); then
  cat "$shlibdeps_log" >&2
  fail "dpkg-shlibdeps failed"
fi
# Its warnings are worth reading (a library without shlibs information, say), except
# one that dpkg 1.21 prints for every binary, wherever it is: its check reads a variable
# that is empty at that point.
grep -v "binaries to analyze should already be installed in their package's directory" \
  "$shlibdeps_log" | sed 's/^/package-deb.sh: /' >&2 || true
depends=$(sed -n 's/^shlibs:Depends=//p' <<<"$substvars")
[ -n "$depends" ] || fail "dpkg-shlibdeps found no dependencies"
# Cross-check by the other route (dpkg -S): Depends must hold the package of each dlopen-ed
# library. With /usr merged dpkg knows a file under one of its two names.
owner_of() {
  local path candidate
  for path in "$(realpath -s "$1")" "$(readlink -f "$1")"; do
    for candidate in "$path" "${path#/usr}" "/usr$path"; do
      dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 | grep . && return 0
    done
  done
  return 1
}
for soname in "${sonames[@]}"; do
  owner=$(owner_of "$("$cc" -print-file-name="$soname")") || fail "no package owns $soname"
  grep -qE "(^|, )$owner( |,|$)" <<<"$depends" || fail "$soname is in $owner, which Depends ($depends) misses"
done

# --- control, md5sums, build, check ------------------------------------------------------
installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<EOF
Package: wwctl
Version: $deb_version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $depends
Section: admin
Priority: optional
Description: operations tool for the WayWise marketplace backend
 wwctl operates the WayWise marketplace backend, whose truth lives in
 PostgreSQL and whose hot data is cached in Redis: it warms and invalidates
 the caches, reports metrics and health, and changes orgs, permissions,
 products, payouts, sessions, tokens and rate limits, from the command line,
 cron or its REPL.
EOF
(cd "$stage" && find usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
chmod 644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"
find "$stage" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

deb="$out_dir/wwctl_${deb_version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null

# Errors fail the build, and so does a man page whatis cannot index (bad-whatis-entry);
# other warnings and notes are shown.
if ! report=$(lintian --fail-on error --display-info "$deb" 2>&1); then
  printf '%s\n' "$report" >&2
  fail "lintian reports errors in $deb"
fi
[ -z "$report" ] || printf '%s\n' "$report" >&2
if grep -q "bad-whatis-entry" <<<"$report"; then
  fail "lintian: a man page's NAME line is not one whatis can read (scripts/generate-man.py writes them)"
fi
echo "package-deb.sh: $(basename "$deb"): Depends: $depends" >&2
echo "$deb"
