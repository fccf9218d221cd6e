"""What a terminal shows, on the real binary run on a pseudo-terminal (pexpect) with colour
on: tables aligned on the visible text (colour codes, emoji, CJK, flags, ZWJ sequences and
combining accents), and NO_COLOR honoured by the progress line. A scratch database (migrated,
no seed) and a redis-server of these tests' own (port 6455)."""
import os
import re
import subprocess
import unittest
import uuid

import pexpect

from tests.cli.support import DATABASE_URL, WWCTL, RedisServer, base_env, run

PORT = 6455
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# Names and the columns a terminal gives them (East Asian wide and emoji: 2; a ZWJ family
# and a flag: one cluster of 2; a combining accent: 0).
NAMES = {
    "🛒🛒🛒 cart": 11,
    "日本の店": 8,
    "🇫🇷 Paris": 8,
    "👨\u200d👩\u200d👧 family": 9,
    "Cafe\u0301 Zoe\u0308": 8,
    "Plain": 5,
}


def on_terminal(*args, env, color=True):
    """Runs wwctl on a pseudo-terminal; returns (status, output with \\r\\n made \\n)."""
    env = dict(env)
    if color:
        env.pop("NO_COLOR", None)
    env["TERM"] = "xterm"
    child = pexpect.spawn(WWCTL, list(args), env=env, encoding="utf-8", timeout=90, dimensions=(50, 220))
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before.replace("\r\n", "\n")


class TableAlignmentTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = "clitest_terminal_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", DATABASE_URL, "-qc", f"create database {cls.name}"], check=True)
        cls.url = DATABASE_URL.rsplit("/", 1)[0] + "/" + cls.name
        cls.redis = RedisServer(PORT)
        cls.env = base_env(DATABASE_URL=cls.url, REDIS_URL=f"redis://127.0.0.1:{PORT}/0")
        result = run("db", "migrate", env=cls.env)
        assert result.returncode == 0, result.stderr
        for i, name in enumerate(NAMES):
            result = run("orgs", "create", "--name", name, "--slug", f"width-{i}", env=cls.env)
            assert result.returncode == 0, result.stderr

    @classmethod
    def tearDownClass(cls):
        cls.redis.stop()
        subprocess.run(["psql", DATABASE_URL, "-qc", f"drop database {cls.name} with (force)"], check=True)

    def test_ping_aligns_its_coloured_status_column(self):
        status, text = on_terminal("ping", env=self.env)
        self.assertEqual(status, 0, text)
        self.assertIn("\x1b[32mok\x1b[0m", text)  # coloured: the test would mean nothing otherwise
        lines = [ANSI.sub("", line) for line in text.splitlines() if line.strip()]
        column = lines[0].index("ADDRESS")
        for line in lines[1:3]:
            self.assertEqual(line.index("redis://" if line.startswith("redis") else "postgresql://"), column, lines)

    def test_org_names_of_every_width_align(self):
        status, text = on_terminal("orgs", "list", "--search", "width", env=self.env)
        self.assertEqual(status, 0, text)
        self.assertIn("\x1b[", text)
        lines = [ANSI.sub("", line) for line in text.splitlines() if line.strip()]
        header = lines[0]
        name_start = header.index("NAME")
        slug_start = header.index("SLUG")
        name_width = slug_start - name_start - 2
        self.assertEqual(name_width, max(NAMES.values()))
        for name, width in NAMES.items():
            row = next(line for line in lines if name in line)
            # What follows the name on screen starts where the header's SLUG does.
            after = row[row.index(name) + len(name):]
            self.assertEqual(len(after) - len(after.lstrip(" ")), name_width - width + 2, repr(row))
            self.assertEqual(after.lstrip(" ").split()[0][:6], "width-")

    def test_lint_findings_align_under_their_coloured_severity(self):
        for key in ("vendor:7:balance", "user:5:orgs"):
            subprocess.run(["redis-cli", "-p", str(PORT), "SET", key, "1"], check=True, capture_output=True)
        status, text = on_terminal("cache", "lint", env=self.env)
        self.assertEqual(status, 1, text)
        self.assertIn("\x1b[31merror\x1b[0m", text)
        lines = [ANSI.sub("", line).split("\r")[-1] for line in text.splitlines() if line.strip()]
        header = next(line for line in lines if line.startswith("SEVERITY"))
        rule = header.index("RULE")
        findings = [line for line in lines if line.startswith(("error ", "warning "))]
        self.assertGreaterEqual(len(findings), 2)
        for line in findings:
            self.assertEqual(line[rule - 2:rule], "  ", line)
            self.assertNotEqual(line[rule], " ", line)


class ProgressLineTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.redis = RedisServer(PORT + 1)
        cls.env = base_env(REDIS_URL=f"redis://127.0.0.1:{PORT + 1}/0")
        commands = "".join(f"SET progress:{i} x\n" for i in range(3000))
        subprocess.run(["redis-cli", "-p", str(PORT + 1)], input=commands, text=True, check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        cls.redis.stop()

    def test_no_color_stops_the_self_overwriting_progress_line(self):
        args = ("cache", "invalidate", "progress:*", "--dry-run", "--scan-count", "100")
        status, text = on_terminal(*args, env=self.env)
        self.assertEqual(status, 0, text)
        self.assertIn("\r\x1b[K", text)  # drawn on a terminal…
        status, text = on_terminal(*args, env=dict(self.env, NO_COLOR="1"), color=False)
        self.assertEqual(status, 0, text)
        self.assertNotIn("\x1b[K", text)  # …never with NO_COLOR, which asks for plain output
        self.assertNotIn("\r", text.replace("\r\n", ""))
        self.assertIn("would delete 3,000 keys", text)


if __name__ == "__main__":
    unittest.main()
