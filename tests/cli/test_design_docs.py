"""docs/ holds the design: it covers the real command tree and imports, and nothing in the
repository points at design documents that live outside it."""
import json
import os
import re
import subprocess
import unittest

from tests.cli.support import WWCTL, base_env

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def command_tree():
    """Every leaf command's words (`["orgs", "set-role"]`) and the global options' long names."""
    dump = json.loads(subprocess.run([WWCTL, "--experimental-dump-help"], capture_output=True, text=True,
                                     env=base_env(), check=True).stdout)
    leaves, global_options = [], set()

    def walk(command, path):
        subcommands = [c for c in command.get("subcommands") or [] if c["commandName"] != "help"]
        for argument in command.get("arguments") or []:
            if argument.get("sectionTitle") == "Global options":
                global_options.update("--" + n["name"] for n in argument.get("names", []) if n["kind"] == "long")
        if path and not subcommands:
            leaves.append(path)
        for sub in subcommands:
            walk(sub, path + [sub["commandName"]])

    walk(dump["command"], [])
    return leaves, global_options


def mentions(text, phrase):
    return re.search(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", text) is not None


class DesignDocsTests(unittest.TestCase):
    def test_cli_contract_lists_every_command_and_global_option(self):
        contract = read("docs/CLI.md")
        commands = contract.split("## Commands", 1)[1].split("## Planned", 1)[0]
        leaves, global_options = command_tree()
        self.assertGreater(len(leaves), 40)
        missing = [" ".join(words) for words in leaves if not mentions(commands, " ".join(words))]
        self.assertEqual(missing, [], "commands missing from docs/CLI.md's command list")
        options = contract.split("## Global options", 1)[1].split("## Commands", 1)[0]
        self.assertEqual(sorted(o for o in global_options if not mentions(options, o)), [],
                         "global options missing from docs/CLI.md")

    def test_architecture_import_table_matches_the_sources(self):
        modules = sorted(d for d in os.listdir(os.path.join(ROOT, "Sources"))
                         if not os.path.exists(os.path.join(ROOT, "Sources", d, "module.modulemap")))
        known = set(os.listdir(os.path.join(ROOT, "Sources"))) | {"ArgumentParser"}
        actual = {}
        for module in modules:
            imported = set()
            for folder, _, files in os.walk(os.path.join(ROOT, "Sources", module)):
                for name in files:
                    if name.endswith(".swift"):
                        with open(os.path.join(folder, name), encoding="utf-8") as f:
                            for line in f:
                                match = re.match(r"\s*(?:@\w+\s+)*import\s+(\w+)", line)
                                if match and match.group(1) in known:
                                    imported.add(match.group(1))
            actual[module] = imported
        layers = read("docs/ARCHITECTURE.md").split("## Layers", 1)[1].split("\n## ", 1)[0]
        documented = {}
        for row in re.findall(r"^\| (\w+) \| ([^|]+) \|$", layers, re.MULTILINE):
            if row[0] != "module":
                documented[row[0]] = set(re.findall(r"\w+", row[1])) - {"—"}
        self.maxDiff = None
        self.assertEqual(documented, actual, "docs/ARCHITECTURE.md's import table differs from the imports in Sources/")

    def test_nothing_refers_to_design_documents_outside_the_repository(self):
        files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        outside = re.compile(
            r"DESIGN\.md|(?<![/\w])CLI\.md|seeds?/0\d\d|seed 0\d\d|README[^\n]{0,3}\(?\"Architecture\"", re.IGNORECASE)
        this_file = os.path.relpath(__file__, ROOT)
        offenders = []
        for path in files:
            if path == this_file or path.startswith(("man/", "completions/")) or not os.path.isfile(os.path.join(ROOT, path)):
                continue
            try:
                text = read(path)
            except UnicodeDecodeError:
                continue
            for number, line in enumerate(text.splitlines(), 1):
                # docs/ links its own pages by relative name (`[CLI.md](CLI.md)`).
                if path.startswith("docs/"):
                    line = re.sub(r"\[(?:ARCHITECTURE|KEYSPACE|CLI)\.md\]\((?:ARCHITECTURE|KEYSPACE|CLI)\.md[^)]*\)", "", line)
                if outside.search(line):
                    offenders.append(f"{path}:{number}: {line.strip()}")
        self.assertEqual(offenders, [], "references to design documents outside the repository")


if __name__ == "__main__":
    unittest.main()
