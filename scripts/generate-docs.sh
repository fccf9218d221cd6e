#!/usr/bin/env bash
# Regenerates everything derived from the command tree and the keyspace registry:
#   completions/wwctl.bash, completions/_wwctl, completions/wwctl.fish   (swift-argument-parser)
#   man/wwctl*.1           (scripts/generate-man.py: wwctl(1), a page per command as wwctl-cache-invalidate(1), wwctl-repl(1))
#   README.md's key-family table, between its `families:begin` and `families:end` markers
#   docs/KEYSPACE.md's family reference, between its `family-reference:begin`/`:end` markers
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

# The man pages, git-style (wwctl(1), wwctl-cache-invalidate(1), wwctl-repl(1)), from what
# the binary says of its commands (argument-parser's --experimental-dump-help) and of the
# REPL's own (its `help`); scripts/generate-man.py writes them.
"$wwctl" --experimental-dump-help >"$out/dump.json"
printf 'help\n' | env -i HOME="$out" PATH="$PATH" "$wwctl" repl >"$out/repl-help.txt" 2>/dev/null
man_version=$("$wwctl" --version | head -1 | awk '{print $2}')
python3 scripts/generate-man.py "$out/dump.json" "$out/repl-help.txt" "$man_date" "$man_version" "$out/man"
# Every page renders without a warning from groff.
for page in "$out"/man/*.1; do
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null || true)
  [ -z "$warnings" ] || { echo "generate-docs: $(basename "$page"): $warnings" >&2; exit 1; }
done

# Replaces what lies between a file's `<!-- NAME:begin -->` and `<!-- NAME:end -->` markers
# with the contents of TABLE, writing the result to TARGET: splice FILE NAME TABLE TARGET.
splice() {
  python3 - "$@" <<'PY'
import sys
source, name, table, target = sys.argv[1:]
text = open(source, encoding="utf-8").read()
rows = open(table, encoding="utf-8").read()
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
if begin not in text or end not in text:
    sys.exit(f"{source} has no {name}:begin/{name}:end markers")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(target, "w", encoding="utf-8").write(head + begin + "\n" + rows.rstrip("\n") + "\n" + end + tail)
PY
}

"$wwctl" cache families --markdown >"$out/families.md"
splice README.md families "$out/families.md" "$out/README.md"

# docs/KEYSPACE.md's fuller table, from the registry's JSON: the contract's fields plus the
# parameter kinds, value shape, what a warm reads and what makes the keys stale.
"$wwctl" cache families -o json >"$out/families.json"
python3 - "$out/families.json" "$out/family-reference.md" <<'PY'
import json, sys
def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")
rows = [
    "| family | key template and parameter kinds | TTL | tier | value | warmable | made stale by |",
    "|---|---|---|---|---|---|---|",
]
for f in json.load(open(sys.argv[1], encoding="utf-8")):
    kinds = {}
    for p in f["parameters"]:
        kinds.setdefault(p["kind"], []).append("`" + p["name"] + "`")
    params = "; ".join(", ".join(names) + ": " + kind for kind, names in kinds.items())
    template = "`" + f["pattern"] + "`" + ("<br>" + params if params else "")
    warm = "yes: " + f["warmableFrom"] if f["warmable"] else "no (" + f["notWarmableBecause"] + ")"
    cells = [f["name"], template, f["ttlPolicy"], f["tier"], f["valueShape"], warm, ", ".join(f["staleOn"]) or "—"]
    rows.append("| " + " | ".join(cell(c) for c in cells) + " |")
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(rows) + "\n")
PY
mkdir -p "$out/docs"
splice docs/KEYSPACE.md family-reference "$out/family-reference.md" "$out/docs/KEYSPACE.md"

if $check; then
  stale=()
  diff -q "$out/README.md" README.md >/dev/null || stale+=("README.md (key-family table)")
  diff -q "$out/docs/KEYSPACE.md" docs/KEYSPACE.md >/dev/null || stale+=("docs/KEYSPACE.md (family reference)")
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
  echo "generate-docs: completions, man pages and the key tables (README.md, docs/KEYSPACE.md) are current"
else
  rm -rf completions man
  mkdir -p completions man
  cp "$out"/completions/* completions/
  cp "$out"/man/* man/
  cp "$out/README.md" README.md
  cp "$out/docs/KEYSPACE.md" docs/KEYSPACE.md
  echo "generate-docs: wrote completions/, man/ and the key tables of README.md and docs/KEYSPACE.md"
fi
