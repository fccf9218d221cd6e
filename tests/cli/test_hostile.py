"""Hostile data on the real binary: control characters planted in every field that reaches
output (names and emails written by end users, session user agents and IPs, product and
category names, payout references, key names, patterns echoed in summaries, arguments echoed
in errors) never reach the terminal raw, and no newline forges a row or a line; JSON keeps
them exact. A scratch database (tiny seed) and a redis-server of the tests' own (port 6482)."""
import json
import subprocess
import unittest

from tests.cli.support import RedisServer, SeededDatabase, base_env, run, run_json

PORT = 6482

# ESC ] OSC that retitles the window, BEL, a clear screen, CR that overwrites, LF that forges
# a line, a C1 CSI and a right-to-left override.
EVIL = "Evil\x1b]0;pwned\x07\x1b[2J\rOVER\nFORGED row\x9b31m\u202eend"
RAW = ("\x1b", "\x07", "\r", "\x9b", "\u202e")


class HostileDataTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.database = SeededDatabase("hostile", seed=5)
        cls.url = cls.database.url
        cls.redis = RedisServer(PORT)
        cls.env = base_env(DATABASE_URL=cls.url, REDIS_URL=f"redis://127.0.0.1:{PORT}/0", WWCTL_ACTOR="hostile-tester")
        cls.org = int(cls.sql("select min(id) from organizations"))
        cls.user = int(cls.sql(f"select min(user_id) from organization_users where organization_id = {cls.org}"))
        cls.product = int(cls.sql(f"select min(id) from products where organization_id = {cls.org}"))
        cls.category = int(cls.sql(f"select category_id from products where id = {cls.product}"))
        for statement in [
            f"update organizations set name = :'v' where id = {cls.org}",
            f"update users set name = :'v' where id = {cls.user}",
            f"update products set name = :'v' where id = {cls.product}",
            f"update product_variants set name = :'v' where product_id = {cls.product}",
            f"update categories set name = :'v' where id = {cls.category}",
            "update roles set description = :'v' where name = 'staff'",
        ]:
            cls.sql(statement, EVIL)
        cls.payout = cls.sql("select min(id) from payouts where status = 'paid'")
        if cls.payout:
            cls.sql(f"update payouts set reference = :'v' where id = {cls.payout}", EVIL)
        cls.rcli("SET", "session:evil1", json.dumps({"userId": 4242, "ip": EVIL, "userAgent": EVIL}))
        cls.rcli("SET", "user:4242:sessions", json.dumps(["evil1"]))
        cls.evil_key = "org:" + EVIL
        cls.rcli("SET", cls.evil_key, EVIL)
        cls.rcli("SET", "payout:" + EVIL, "1")  # a never-cached family: lint names the key

    @classmethod
    def tearDownClass(cls):
        cls.redis.stop()
        cls.database.drop()

    @classmethod
    def sql(cls, query, value=None):
        args = ["psql", cls.url, "-XAtq", "-v", "ON_ERROR_STOP=1"]
        if value is not None:
            args += ["-v", "v=" + value]
        return subprocess.run(args, input=query, capture_output=True, text=True, check=True).stdout.strip()

    @classmethod
    def rcli(cls, *args):
        return subprocess.run(["redis-cli", "-p", str(PORT), *args], capture_output=True, text=True, check=True).stdout

    def assertSafe(self, result, args, lines=True):
        text = result.stdout + result.stderr
        for raw in RAW:
            self.assertNotIn(raw, text, f"{args}: {raw!r} reached the terminal:\n{text!r}")
        for line in text.split("\n") if lines else []:
            self.assertFalse(line.startswith("FORGED"), f"{args}: a newline forged a line:\n{text}")

    def wwctl(self, *args, code=0, lines=True):
        result = run(*args, env=self.env)
        self.assertEqual(result.returncode, code, f"{args}: {result.stderr}")
        self.assertSafe(result, args, lines)
        return result

    def test_tables_and_lines_escape_what_end_users_wrote(self):
        shown = [
            ["orgs", "list"], ["orgs", "show", str(self.org)], ["orgs", "members", str(self.org)],
            ["perms", "list", "--user", str(self.user)], ["perms", "roles"],
            ["products", "list", "--org", str(self.org)], ["products", "show", str(self.product), "--with-variants"],
            ["products", "categories"], ["payouts", "list"], ["payouts", "ledger", str(self.org)],
            ["sessions", "list", "--user", "4242"], ["sessions", "show", "evil1"],
            ["cache", "keys", "org:*"], ["cache", "keys", "*"],
            ["metrics", "--by-family"],
        ]
        if self.payout:
            shown.append(["payouts", "show", self.payout])
        for args in shown:
            result = self.wwctl(*args)
            self.assertTrue(result.stdout.strip(), args)
        # Escaped, not dropped: the text is there to read.
        self.assertIn("Evil\\e]0;pwned\\x07\\e[2J\\rOVER\\nFORGED row", self.wwctl("orgs", "show", str(self.org)).stdout)
        self.assertIn("\\u{202e}end", self.wwctl("sessions", "show", "evil1").stdout)

    def test_key_names_and_values_are_escaped(self):
        quoted = self.wwctl("cache", "keys", "org:*").stdout.strip()
        self.assertTrue(quoted.startswith('"org:Evil\\x1b]0;pwned\\a\\x1b[2J\\rOVER\\nFORGED'), quoted)
        # A text value keeps its line breaks (below the "value" heading, where they cannot pass
        # for a field); every other control character is escaped.
        inspect = self.wwctl("cache", "inspect", quoted, lines=False)
        self.assertIn("pwned\\x07\\e[2J\\rOVER\nFORGED row", inspect.stdout)
        lint = self.wwctl("cache", "lint", code=1)
        self.assertIn("payout:Evil", lint.stdout)

    def test_patterns_echoed_in_summaries_and_arguments_in_errors_are_escaped(self):
        pattern = "org:Evil\x1b]0;pwned\x07*"
        result = self.wwctl("cache", "invalidate", pattern, "--dry-run")
        self.assertIn("would delete 1 key (", result.stdout)
        self.assertIn("1", self.rcli("EXISTS", self.evil_key))
        for args, code in [
            (["orgs", "show", EVIL], 64), (["sessions", "show", EVIL], 1), (["ratelimit", "show", "--ip", EVIL], 64),
            (["cache", "invalidate", "--family", "org", "--param", "orgId=" + EVIL, "--yes"], 65),
            (["orgs", "list", "--status", EVIL], 64), (["perms", "grant", "staff", EVIL], 64), (["nosuch" + EVIL], 64),
        ]:
            self.wwctl(*args, code=code)

    def test_a_name_with_control_characters_is_stored_exact_and_shown_escaped(self):
        name = "Renamed\x1b[2J\nFORGED"
        result = self.wwctl("orgs", "update", str(self.org), "--name", name)
        self.assertIn("\\e[2J\\nFORGED", result.stdout)
        self.assertEqual(self.sql(f"select name from organizations where id = {self.org}"), name)
        self.sql(f"update organizations set name = :'v' where id = {self.org}", EVIL)

    def test_json_keeps_the_values_exact(self):
        _, doc = run_json("orgs", "show", str(self.org), env=self.env)
        self.assertEqual(doc["name"], EVIL)
        _, doc = run_json("sessions", "show", "evil1", env=self.env)
        self.assertEqual(doc["userAgent"], EVIL)
        self.assertEqual(doc["ip"], EVIL)
        _, doc = run_json("products", "show", str(self.product), env=self.env)
        self.assertEqual(doc["name"], EVIL)
        _, keys = run_json("cache", "keys", "org:*", env=self.env)
        self.assertEqual(keys, [self.evil_key])


if __name__ == "__main__":
    unittest.main()
