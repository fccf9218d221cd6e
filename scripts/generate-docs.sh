#!/usr/bin/env bash
# Regenerates everything derived from the command tree and the keyspace registry:
#   completions/wwctl.bash, completions/_wwctl, completions/wwctl.fish   (swift-argument-parser)
#   man/wwctl*.1           (swift-argument-parser's manual generator: wwctl(1) and a page per command)
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
