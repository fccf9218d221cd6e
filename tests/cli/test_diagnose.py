"""The diagnostics on the real binary: slowlog, clients, latency, top keys, cache ttl,
cache export/import. They read server-wide state (slow log, client list, the whole
keyspace), so they run against a redis-server of their own (ports 6540-6549 belong to
these tests)."""
import json
import socket
import subprocess
import time
import unittest

from tests.cli.support import RedisServer, base_env, run, run_json

PORT = 6540


def redis_cli(*args, port=PORT):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True, check=True).stdout.strip()


class DiagnoseCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RedisServer(PORT)
        cls.url = f"redis://127.0.0.1:{PORT}/0"

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        redis_cli("FLUSHALL")

    def wwctl(self, *args, **kw):
        return run(*args, "--redis-url", self.url, **kw)

    def wwctl_json(self, *args, **kw):
        return run_json(*args, "--redis-url", self.url, **kw)

    def assertUsageError(self, result, text):
        self.assertEqual(result.returncode, 64, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn(text, result.stderr)


class SlowlogTests(DiagnoseCase):
    def log_some_commands(self):
        redis_cli("CONFIG", "SET", "slowlog-log-slower-than", "0")
        try:
            redis_cli("SET", "product:42", "{}")
            redis_cli("MGET", "product:42", "perm:1:2:x")
            redis_cli("SCAN", "0", "COUNT", "10")
            redis_cli("OBJECT", "ENCODING", "product:42")
        finally:
            redis_cli("CONFIG", "SET", "slowlog-log-slower-than", "10000")

    def setUp(self):
        super().setUp()
        redis_cli("SLOWLOG", "RESET")

    def test_entries_name_the_family_of_each_key_argument(self):
        self.log_some_commands()
        result, data = self.wwctl_json("slowlog", "--limit", "20")
        self.assertEqual(result.returncode, 0, result.stderr)
        by_command = {e["command"]: e for e in data["entries"]}
        self.assertEqual([k["family"] for k in by_command["MGET"]["keys"]], ["product", None])
        self.assertEqual(by_command["MGET"]["keys"][1]["kind"], "unknown")
        self.assertEqual(by_command["SCAN"]["keys"], [])
        # OBJECT is a container: its key position comes from COMMAND GETKEYS.
        self.assertEqual(by_command["OBJECT"]["keys"][0]["key"], "product:42")
        self.assertEqual(by_command["OBJECT"]["keys"][0]["family"], "product")
        self.assertEqual(by_command["MGET"]["arguments"], ["MGET", "product:42", "perm:1:2:x"])
        self.assertGreaterEqual(data["length"], len(data["entries"]))
        self.assertFalse(data["reset"])
        # newest first
        ids = [e["id"] for e in data["entries"]]
        self.assertEqual(ids, sorted(ids, reverse=True))

    def test_limit_and_ndjson(self):
        self.log_some_commands()
        result = self.wwctl("slowlog", "--limit", "2", "-o", "ndjson")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual(len(lines), 2)
        self.assertIn("durationMicros", lines[0])

    def test_table_shows_families(self):
        self.log_some_commands()
        result = self.wwctl("slowlog", "--limit", "20")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("product,unknown", result.stdout)
        self.assertIn("FAMILIES", result.stdout)

    def test_reset_asks_first_and_refuses_without_a_terminal(self):
        self.log_some_commands()
        before = int(redis_cli("SLOWLOG", "LEN"))
        result = self.wwctl("slowlog", "--reset", input="")
        self.assertUsageError(result, "without --yes")
        self.assertGreaterEqual(int(redis_cli("SLOWLOG", "LEN")), before)
        result, data = self.wwctl_json("slowlog", "--reset", "--yes")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(data["reset"])
        self.assertTrue(data["entries"])
        self.assertLessEqual(int(redis_cli("SLOWLOG", "LEN")), 1)

    def test_bad_limit(self):
        self.assertUsageError(self.wwctl("slowlog", "--limit", "0"), "--limit must be at least 1")
        self.assertUsageError(self.wwctl("slowlog", "--limit", "many"), "--limit")


if __name__ == "__main__":
    unittest.main()
