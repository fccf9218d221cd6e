"""What wwctl says, word for word, where it used to say it wrong: health comparisons with
the digits that make them true, counts with their plurals, `cache keys` with no match, and
an interrupted per-family walk. A redis-server of these tests' own (port 6457)."""
import json
import re
import signal
import subprocess
import unittest

import pexpect

from tests.cli.support import WWCTL, RedisServer, base_env, run

PORT = 6457


class MessageTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.redis = RedisServer(PORT, "--enable-debug-command", "yes")
        cls.env = base_env(REDIS_URL=f"redis://127.0.0.1:{PORT}/0")

    @classmethod
    def tearDownClass(cls):
        cls.redis.stop()

    def pipe(self, payload):
        subprocess.run(["redis-cli", "-p", str(PORT), "--pipe"], input=payload, check=True, capture_output=True)

    def rcli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(PORT), *args], capture_output=True, text=True,
                              check=True).stdout.strip()

    def test_health_prints_the_digits_that_make_a_comparison_true(self):
        self.rcli("SET", "health:hit", "1")
        self.rcli("CONFIG", "RESETSTAT")
        # 199,999 hits and 1 miss: a hit rate of 0.999995.
        self.pipe(b"*2\r\n$3\r\nGET\r\n$10\r\nhealth:hit\r\n" * 199_999 + b"*2\r\n$3\r\nGET\r\n$11\r\nhealth:miss\r\n")
        ok = run("health", "--no-postgres", "--min-hit-rate", "0.99999", env=self.env)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("OK redis-hit-rate 1 >= 0.99999\n", ok.stdout)
        warning = run("health", "--no-postgres", "--min-hit-rate", "0.999999", env=self.env)
        self.assertEqual(warning.returncode, 1, warning.stdout + warning.stderr)
        self.assertIn("WARNING redis-hit-rate 0.999995 < 0.999999\n", warning.stdout)

    def test_an_interrupted_walk_says_so_and_counts_every_pttl_it_sent(self):
        self.rcli("FLUSHDB")
        self.rcli("DEBUG", "POPULATE", "600000", "walk")
        env = {k: v for k, v in self.env.items() if k != "NO_COLOR"}  # the progress line shows the walk started
        child = pexpect.spawn(WWCTL, ["metrics", "--by-family"], env=env, encoding="utf-8", timeout=120,
                              dimensions=(50, 200))
        child.expect("walking the keyspace [0-9,]+ keys")  # the walk is under way
        child.kill(signal.SIGINT)
        child.expect(pexpect.EOF)
        child.close()
        text = child.before.replace("\r\n", "\n")
        self.assertEqual(child.exitstatus, 130, text)
        self.assertNotIn("sample", text)
        walked = re.search(r"walked ([0-9,]+) of 600,000 keys in db0, stopped by Ctrl-C, with [0-9,]+ SCAN calls", text)
        self.assertIsNotNone(walked, text)
        walked = int(walked.group(1).replace(",", ""))
        self.assertLess(walked, 600_000)
        self.assertIn("* counts are of the keys walked before Ctrl-C, not extrapolated", text)
        # Nothing expires or is deleted here: every PTTL sent is a key walked.
        self.assertIn("the walk's {:,} PTTL calls count in keyspace_hits/misses".format(walked), text)

    def test_counts_of_one_are_singular(self):
        self.rcli("FLUSHDB")
        self.rcli("SET", "only:1", "x")
        result = run("cache", "invalidate", "only:*", "--dry-run", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("would delete 1 key (only:*)", result.stdout + result.stderr)
        self.assertNotIn("1 keys", result.stdout + result.stderr)
        result = run("cache", "lint", env=self.env)
        self.assertIn("in 1 key of db0", result.stdout)

    def test_cache_keys_without_a_match_says_so_and_succeeds(self):
        self.rcli("FLUSHDB")
        self.pipe(b"".join(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nx\r\n" % (len(k), k)
                           for k in (b"sorted:%d" % i for i in range(500))))
        result = run("cache", "keys", "nomatch:*", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr, "no key matches 'nomatch:*' in db0 (500 keys walked)\n")
        result = run("cache", "keys", "--family", "product", "--param", "productId=7", env=self.env)
        self.assertEqual((result.returncode, result.stderr), (0, "no key 'product:7' in db0\n"))
        result = run("cache", "keys", "nomatch:*", "-o", "json", env=self.env)
        self.assertEqual(json.loads(result.stdout), [])

    def test_cache_keys_sorts_with_sort_and_on_a_terminal(self):
        self.rcli("FLUSHDB")
        keys = ["sorted:%d" % i for i in range(300)]
        self.pipe(b"".join(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nx\r\n" % (len(k), k.encode()) for k in keys))
        result = run("cache", "keys", "sorted:*", "--sort", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines(), sorted(keys))
        # On a terminal sorted without asking (quoted, as redis-cli shows keys there).
        env = {k: v for k, v in self.env.items() if k != "NO_COLOR"}
        child = pexpect.spawn(WWCTL, ["cache", "keys", "sorted:*"], env=env, encoding="utf-8", timeout=60)
        child.expect(pexpect.EOF)
        child.close()
        listed = [line.strip('"') for line in child.before.split("\r\n") if line.startswith('"')]
        self.assertEqual(listed, sorted(keys))
        # A pipe gets them as SCAN finds them unless --sort: hash order, not sorted.
        self.assertNotEqual(run("cache", "keys", "sorted:*", env=self.env).stdout.splitlines(), sorted(keys))


if __name__ == "__main__":
    unittest.main()
