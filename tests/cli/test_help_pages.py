"""Help for people on the real binary: unknown help topics, what `--help` shows and in
which order, the manual pages (rendered by man(1) without a warning, every character of the
help kept), and global options before the command as well as after it."""
import json
import os
import re
import subprocess
import unittest

from tests.cli.support import WWCTL, base_env, run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class HelpTopicTests(unittest.TestCase):
    def test_an_unknown_topic_is_a_usage_error_with_did_you_mean(self):
        result = run("help", "nosuch")
        self.assertEqual(result.returncode, 64)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr, "wwctl: no help topic 'nosuch' (see 'wwctl --help')\n")

        result = run("help", "cache", "familes")
        self.assertEqual(result.returncode, 64)
        self.assertIn("did you mean 'cache families'?", result.stderr)

        result = run("help", "cahce", "-o", "json")
        self.assertEqual(result.returncode, 64)
        self.assertEqual(json.loads(result.stdout)["error"]["code"], 64)
        self.assertIn("did you mean 'cache'?", result.stderr)

    def test_a_known_topic_is_its_help(self):
        result = run("help", "cache", "warm")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("USAGE: wwctl cache warm", result.stdout)



class HelpPageTests(unittest.TestCase):
    def commands(self):
        dump = json.loads(subprocess.run([WWCTL, "--experimental-dump-help"], capture_output=True, text=True).stdout)
        found = []

        def walk(command, path):
            for sub in command.get("subcommands", []):
                if sub["commandName"] != "help":
                    found.append((path + [sub["commandName"]], sub))
                    walk(sub, path + [sub["commandName"]])
        walk(dump["command"], [])
        return found

    def test_every_page_lists_the_global_options_without_duplicated_defaults_or_version(self):
        for path, command in [([], None)] + self.commands():
            result = run(*path, "--help")
            self.assertEqual(result.returncode, 0, path)
            self.assertIn("GLOBAL OPTIONS:", result.stdout, path)
            self.assertIsNone(re.search(r"\(default[^)]*\)\.?\s*\(default", result.stdout), path)
            if path:
                self.assertNotIn("--version", result.stdout, path)

    def test_examples_come_first_and_fit_80_columns(self):
        for path, command in self.commands():
            paragraphs = (command.get("discussion") or "").split("\n\n")
            examples = [i for i, p in enumerate(paragraphs) if p.startswith("Example")]
            if not examples:
                continue
            self.assertEqual(examples, [0], path)
            for line in paragraphs[0].splitlines()[1:]:
                self.assertLessEqual(len(line), 80, line)
        self.assertIn("Examples:\n  wwctl ping", run("--help").stdout)
        self.assertIn("wwctl --version", run("--help").stdout)

def render(page):
    """The page as man(1) shows it at 80 columns, and groff's warnings."""
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="0")
    result = subprocess.run(["man", "--warnings", "-l", os.path.join(ROOT, "man", page)], env=env,
                            capture_output=True, text=True)
    return re.sub(r".\x08", "", result.stdout), result.stderr


def plain(text):
    """Rendered text without overstrike and with man's hyphenation undone."""
    text = re.sub(r".\x08", "", text)
    text = text.replace("\u2010\n", "").replace("\u2010", "-")
    return re.sub(r"\s+", " ", text)


class ManualPageTests(unittest.TestCase):
    def test_wwctl_1_has_the_sections_of_a_real_manual(self):
        out, warnings = render("wwctl.1")
        self.assertEqual(warnings, "")
        sections = re.findall(r"^([A-Z][A-Z ]+)$", out, re.M)
        self.assertEqual(sections, ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "GLOBAL OPTIONS", "CONFIGURATION",
                                    "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"])
        text = plain(out)
        # Every command with its summary, and the real exit codes.
        for page in ("wwctl-cache-invalidate(1)", "wwctl-db-seed-live(1)", "wwctl-orgs-set-role(1)", "wwctl-repl(1)"):
            self.assertIn(page, text)
        for code in ("77 Permission denied by the server", "143 Terminated by SIGTERM", "129 Hung up",
                     "0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN"):
            self.assertIn(code, text)
        self.assertIn("15 3 * * * wwctl --profile prod cache warm", text)
        self.assertIn("REDIS_URL", text)
        self.assertIn("wwctl/history", text)

    def test_every_command_has_a_git_style_page_whatis_can_read(self):
        dump = json.loads(subprocess.run([WWCTL, "--experimental-dump-help"], capture_output=True, text=True).stdout)
        expected = {"wwctl.1"}

        def walk(command, path):
            for sub in command.get("subcommands", []):
                if sub["commandName"] != "help":
                    expected.add("-".join(path + [sub["commandName"]]) + ".1")
                    walk(sub, path + [sub["commandName"]])
        walk(dump["command"], ["wwctl"])
        self.assertEqual(set(os.listdir(os.path.join(ROOT, "man"))), expected)
        for page in sorted(expected):
            name = page[:-2]
            whatis = subprocess.run(["lexgrog", os.path.join(ROOT, "man", page)], capture_output=True, text=True)
            self.assertEqual(whatis.returncode, 0, whatis.stdout + whatis.stderr)
            self.assertIn('"%s - ' % name, whatis.stdout)
            out, warnings = render(page)
            self.assertEqual(warnings, "", page)

    def test_every_character_of_the_help_survives(self):
        out, _ = render("wwctl-cache-invalidate.1")
        text = plain(out)
        self.assertIn("--family F [--param NAME=VALUE]\u2026 selects", text)
        self.assertIn("[--param name=value\u2026]", text)
        self.assertIn("EXIT STATUS", out)
        self.assertIn("77 Permission denied by the server", text)
        out, _ = render("wwctl-config-show.1")
        self.assertNotIn("77", plain(out).split("EXIT STATUS")[1])  # no server, no 77
        out, _ = render("wwctl-health.1")
        self.assertIn("3 UNKNOWN", plain(out))

    def test_the_repl_page_documents_the_repls_own_commands(self):
        out, warnings = render("wwctl-repl.1")
        self.assertEqual(warnings, "")
        text = plain(out)
        for section in ("REPL COMMANDS", "KEYS", "HISTORY"):
            self.assertIn("\n" + section + "\n", out)
        for usage in ("help [COMMAND [SUBCOMMAND]]", "watch SECONDS COMMAND [ARGS...]", "use [PROFILE]",
                      "timing [on|off]", "redis [--raw-quoted] [-o json] COMMAND [ARGS...]"):
            self.assertIn(usage, text)
        self.assertIn("partial", text)
