"""Every command takes the global options and reports errors the same way."""
import json
import subprocess
import unittest

from tests.cli.support import WWCTL, base_env


def leaf_commands():
    dump = json.loads(subprocess.run([WWCTL, "--experimental-dump-help"], capture_output=True, text=True,
                                     env=base_env()).stdout)
    leaves = []

    def walk(command, path):
        subs = [s for s in command.get("subcommands") or [] if s["commandName"] != "help"]
        if not subs and path:
            leaves.append(path)
        for sub in subs:
            walk(sub, path + [sub["commandName"]])

    walk(dump["command"], [])
    return leaves


LEAVES = leaf_commands()
GLOBAL = {"--redis-url", "--database-url", "--profile", "--key-prefix", "--output", "--yes", "--quiet", "--verbose",
          "--timeout"}


class UniformTests(unittest.TestCase):
    def test_every_command_has_the_global_options_and_an_example(self):
        self.assertGreater(len(LEAVES), 50)
        for path in LEAVES:
            if path == ["repl"]:
                continue
            out = subprocess.run([WWCTL, *path, "--help"], capture_output=True, text=True, env=base_env()).stdout
            for option in GLOBAL:
                self.assertIn(option, out, f"{' '.join(path)} lacks {option}")
            self.assertIn("Example", out, " ".join(path))

    def test_a_usage_error_is_one_line_and_a_json_document_with_o_json(self):
        for path in LEAVES:
            result = subprocess.run([WWCTL, *path, "--no-such-option", "-o", "json"], capture_output=True, text=True,
                                    env=base_env(), timeout=30)
            name = " ".join(path)
            self.assertEqual(result.returncode, 64, name)
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, f"{name}: {result.stderr}")
            error = json.loads(result.stdout)["error"]
            self.assertEqual(error["code"], 64, name)
            self.assertIn("--help", error["message"], name)  # names what was wrong and where to look

    def test_no_color_codes_without_a_terminal_or_with_no_color(self):
        for args in (["ping", "--redis-url", "redis://127.0.0.1:1/0", "--database-url", "postgresql://u@127.0.0.1:1/d"],
                     ["cache", "families"], ["config", "show"]):
            result = subprocess.run([WWCTL, *args], capture_output=True, text=True, env=base_env(), timeout=30)
            self.assertNotIn("\x1b[", result.stdout + result.stderr, args)

    def test_quiet_silences_diagnostics_but_not_data(self):
        result = subprocess.run([WWCTL, "cache", "families", "-q"], capture_output=True, text=True, env=base_env())
        self.assertEqual(result.returncode, 0)
        self.assertIn("perm", result.stdout)
        self.assertEqual(result.stderr, "")


if __name__ == "__main__":
    unittest.main()
