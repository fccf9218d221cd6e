#!/usr/bin/env bash
# Regenerates everything derived from the command tree and the keyspace registry:
#   completions/wwctl.bash, completions/_wwctl, completions/wwctl.fish   (swift-argument-parser)
#   man/wwctl*.1           (swift-argument-parser's manual generator: wwctl(1) and a page per command)
#   README.md's key-family table, between its `families:begin` and `families:end` markers
#
#   scripts/generate-docs.sh           write them
#   scripts/generate-docs.sh --check   write nothing; exit 1 naming what differs (scripts/test.sh runs this)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
check=false
[ "${1:-}" = "--check" ] && check=true

# Man pages carry this date, not the day they were generated, so that regenerating them
# changes nothing unless the commands did. Bump it with the version.
man_date=2026-11-25

swift build --product wwctl >/dev/null
wwctl="$root/.build/debug/wwctl"
out=$(mktemp -d "${TMPDIR:-/tmp}/wwctl-docs-XXXXXX")
trap 'rm -rf "$out"' EXIT

mkdir -p "$out/completions" "$out/man"
"$wwctl" --generate-completion-script bash >"$out/completions/wwctl.bash"
"$wwctl" --generate-completion-script zsh >"$out/completions/_wwctl"
"$wwctl" --generate-completion-script fish >"$out/completions/wwctl.fish"

swift package --allow-writing-to-package-directory generate-manual \
  --multi-page --configuration debug --date "$man_date" >/dev/null 2>&1
cp .build/plugins/GenerateManual/outputs/wwctl/*.1 "$out/man/"
# The generator copies each command's discussion verbatim: blank lines (which mdoc warns
# about) become paragraph breaks, and indented example lines a literal display, so the
# pages render cleanly and examples keep their layout.
python3 - "$out"/man/*.1 <<'PY'
import sys
for path in sys.argv[1:]:
    lines, out, literal = open(path).read().split("\n"), [], False
    for line in lines:
        indented = line.startswith("  ") and not line.startswith(".")
        if indented and not literal:
            out.append(".Bd -literal -offset indent")
            literal = True
        elif not indented and literal:
            out.append(".Ed")
            literal = False
        if line == "" and not literal:
            out.append(".Pp")
        else:
            out.append(line.strip() if indented else line)
    if literal:
        out.append(".Ed")
    while out and out[-1] == ".Pp":
        out.pop()
    open(path, "w").write("\n".join(out) + "\n")
PY

table=$("$wwctl" cache families --markdown)
python3 - "$out/README.md" "$table" <<'PY'
import sys, re
target, table = sys.argv[1], sys.argv[2]
text = open("README.md").read()
begin, end = "<!-- families:begin -->", "<!-- families:end -->"
if begin not in text or end not in text:
    sys.exit("README.md has no families:begin/families:end markers")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(target, "w").write(head + begin + "\n" + table.rstrip("\n") + "\n" + end + tail)
PY

if $check; then
  stale=()
  diff -q "$out/README.md" README.md >/dev/null || stale+=("README.md (key-family table)")
  for f in "$out"/completions/* "$out"/man/*; do
    rel=${f#"$out/"}
    cmp -s "$f" "$rel" || stale+=("$rel")
  done
  for f in completions/* man/*; do
    [ -e "$out/$f" ] || stale+=("$f (no longer generated)")
  done
  if [ ${#stale[@]} -gt 0 ]; then
    echo "generate-docs: stale, run scripts/generate-docs.sh: ${stale[*]}" >&2
    exit 1
  fi
  echo "generate-docs: completions, man pages and the README key table are current"
else
  rm -rf completions man
  mkdir -p completions man
  cp "$out"/completions/* completions/
  cp "$out"/man/* man/
  cp "$out/README.md" README.md
  echo "generate-docs: wrote completions/, man/ and README.md's key table"
fi
