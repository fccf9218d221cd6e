"""Redis broken on purpose under the real binary: killed (kill -9) and frozen (SIGSTOP)
mid-invalidation, trickling bytes, answering garbage, closing mid-reply, a wrong password,
full (maxmemory with noeviction), and the invalidation stopped by SIGTERM and SIGHUP. Each
case asserts the exit code, the report, and the data afterwards: what an invalidation
reports deleted is what the server lost (give or take the one UNLINK in flight when the
server died, which the report counts in `matched`). Redis servers of the suite's own
(ports 6403-6409) and fake ones on free ports."""
import json
import re
import signal
import time
import unittest

from tests.faults.servers import (FakeRedis, Redis, base_env, json_of, run, seeded_postgres, start, trickle,
                                  wait_until)

KEYS = 60_000


class InvalidationStoppedTests(unittest.TestCase):
    """SIGTERM and SIGHUP stop an invalidation between batches, like Ctrl-C: it reports what
    it deleted, exactly, and exits 143 or 129."""

    @classmethod
    def setUpClass(cls):
        cls.redis = Redis(6403)

    @classmethod
    def tearDownClass(cls):
        cls.redis.stop()

    def stop_midway(self, signal_number):
        self.redis.cli("FLUSHALL")
        self.redis.plant("ft:stop:", KEYS)
        env = base_env(REDIS_URL=self.redis.url)
        process = start("cache", "invalidate", "ft:stop:*", "--yes", "--scan-count", "20", "-o", "json", env=env)
        self.assertTrue(wait_until(lambda: self.redis.dbsize() < KEYS - 500 or process.poll() is not None, timeout=60))
        process.send_signal(signal_number)
        out, err = process.communicate(timeout=60)
        report = json_of(out)
        remaining = self.redis.dbsize()
        return process.returncode, report, remaining, err

    def test_sigterm_reports_the_exact_count_and_exits_143(self):
        code, report, remaining, err = self.stop_midway(signal.SIGTERM)
        self.assertEqual(code, 143, err)
        self.assertTrue(report["interrupted"])
        self.assertGreater(remaining, 0)
        self.assertEqual(report["deleted"], KEYS - remaining)
        self.assertIn("interrupted", err)

    def test_sighup_reports_the_exact_count_and_exits_129(self):
        code, report, remaining, err = self.stop_midway(signal.SIGHUP)
        self.assertEqual(code, 129, err)
        self.assertEqual(report["deleted"], KEYS - remaining)


class InvalidationServerLostTests(unittest.TestCase):
    """The server dies or freezes mid-walk: exit 69 and a report of the deletions the
    server confirmed."""

    def start_walk(self, redis, output):
        redis.cli("FLUSHALL")
        redis.plant("ft:lost:", KEYS)
        env = base_env(REDIS_URL=redis.url)
        process = start("cache", "invalidate", "ft:lost:*", "--yes", "--scan-count", "20", "--timeout", "1",
                        "-o", output, env=env)
        self.assertTrue(wait_until(lambda: redis.dbsize() < KEYS - 500 or process.poll() is not None, timeout=60))
        return process

    def check(self, process, deleted, matched, err, remaining):
        self.assertEqual(process.returncode, 69, err)
        self.assertEqual(len([l for l in err.split("\n") if l.startswith("wwctl: ")]), 1, err)
        actual = KEYS - remaining
        # Every confirmed deletion happened; at most the UNLINK in flight happened unconfirmed.
        self.assertLessEqual(deleted, actual)
        self.assertLessEqual(actual, matched)
        self.assertGreater(deleted, 0)

    def check_json(self, process, out, err, remaining):
        report = json_of(out)
        self.assertIsNotNone(report, f"no report of what was deleted: {err}")
        self.assertEqual(report["error"]["code"], 69)
        self.check(process, report["deleted"], report["matched"], err, remaining)

    def check_text(self, process, out, err, remaining):
        """The table report: the count deleted, and for keys matched but never confirmed,
        the UNLINK the server never answered, not duplicates."""
        counts = re.search(r"^deleted ([\d,]+) keys", out, re.M)
        self.assertIsNotNone(counts, f"no report of what was deleted: {out!r} {err}")
        deleted = int(counts.group(1).replace(",", ""))
        unconfirmed = re.search(r"^matched ([\d,]+): keys of an UNLINK the server never answered", out, re.M)
        matched = int(unconfirmed.group(1).replace(",", "")) if unconfirmed else deleted
        self.assertNotIn("twice", out)
        self.assertIn("stopped by an error before the end", out)
        self.check(process, deleted, matched, err, remaining)

    def test_frozen_server(self):
        redis = Redis(6407)
        self.addCleanup(redis.stop)
        process = self.start_walk(redis, "table")
        redis.freeze()
        try:
            out, err = process.communicate(timeout=60)
        finally:
            redis.thaw()
        # The UNLINK in flight reaches the server once it runs again: count after it settles.
        time.sleep(0.5)
        self.check_text(process, out, err, redis.dbsize())

    def test_killed_server(self):
        # Every write reaches the append-only file before its reply, so a restart shows
        # exactly what the server had done when it was killed.
        redis = Redis(6408, "--appendonly", "yes", "--appendfsync", "always")
        self.addCleanup(redis.stop)
        process = self.start_walk(redis, "json")
        redis.kill()
        out, err = process.communicate(timeout=60)
        redis.start()
        self.check_json(process, out, err, redis.dbsize())


class BrokenServerTests(unittest.TestCase):
    """Servers that answer wrongly: each command ends within its deadline with one line
    and the exit code of the contract, and never acts on a half-read reply."""

    def fake(self, respond):
        server = FakeRedis(respond)
        self.addCleanup(server.close)
        return base_env(REDIS_URL=server.url)

    def test_a_trickling_reply_is_bounded_by_the_timeout_as_a_whole(self):
        # 200 bytes at one every half second: each read is quick, the whole reply is not.
        env = self.fake(trickle("+" + "P" * 200 + "\r\n", 0.5))
        for args in (["ping"], ["cache", "keys", "x*"], ["metrics"]):
            started = time.monotonic()
            result = run(*args, "--timeout", "1", env=env, timeout=60)
            self.assertEqual(result.returncode, 69, (args, result.stderr))
            self.assertLess(time.monotonic() - started, 30, args)

    def test_garbage_is_an_error_not_a_crash(self):
        env = self.fake(lambda conn: conn.sendall(b"garbage that is not RESP\r\n"))
        for args in (["ping"], ["cache", "keys", "x*"], ["cache", "invalidate", "x:*", "--yes"]):
            result = run(*args, "--timeout", "2", env=env)
            self.assertIn(result.returncode, (69, 70), (args, result.stderr))
            self.assertIn(f"127.0.0.1:", result.stdout + result.stderr, args)

    def test_a_connection_closed_mid_reply_is_unavailable(self):
        def half(conn):
            conn.sendall(b"$100\r\nabc")
            return False
        env = self.fake(half)
        for args in (["cache", "keys", "x*"], ["cache", "inspect", "k"], ["metrics"]):
            result = run(*args, "--timeout", "2", env=env)
            self.assertEqual(result.returncode, 69, (args, result.stderr))

    def test_a_wrong_password_is_unavailable_and_touches_nothing(self):
        redis = Redis(6404, "--requirepass", "right-horse")
        self.addCleanup(redis.stop)
        redis.cli("-a", "right-horse", "--no-auth-warning", "SET", "ft:auth", "1")
        for url in (f"redis://127.0.0.1:{redis.port}/0", f"redis://:wrong-horse@127.0.0.1:{redis.port}/0"):
            env = base_env(REDIS_URL=url)
            for args in (["cache", "invalidate", "ft:*", "--yes"], ["cache", "keys", "*"]):
                result = run(*args, env=env)
                self.assertEqual(result.returncode, 69, (url, args, result.stderr))
                self.assertNotIn("wrong-horse", result.stderr)
        self.assertEqual(redis.cli("-a", "right-horse", "--no-auth-warning", "GET", "ft:auth"), "1")


class FullServerTests(unittest.TestCase):
    """maxmemory with noeviction: writes fail with OOM. Invalidation and warm stop with 69 or
    70 and a report, and nothing is half-written."""

    @classmethod
    def setUpClass(cls):
        cls.redis = Redis(6406, "--maxmemory", "4mb", "--maxmemory-policy", "noeviction")
        cls.pg = seeded_postgres(cls.redis.url)

    @classmethod
    def tearDownClass(cls):
        cls.redis.stop()

    def fill(self, headroom=-1024):
        """Fill the server with org:{n} keys until it refuses writes, or will after
        `headroom` more bytes."""
        self.redis.cli("FLUSHALL")
        self.redis.cli("CONFIG", "SET", "maxmemory", "0")
        self.redis.plant("org:9", 20_000, value=json.dumps("x" * 98))
        used = int(self.redis.cli("INFO", "memory").split("used_memory:")[1].split("\r")[0].split("\n")[0])
        self.redis.cli("CONFIG", "SET", "maxmemory", str(used + headroom))
        if headroom < 0:
            self.assertTrue(self.redis.cli("SET", "probe", "x").startswith("OOM"))
        return self.redis.dbsize()

    def test_invalidation_of_a_full_server(self):
        before = self.fill()
        env = base_env(REDIS_URL=self.redis.url)
        result = run("cache", "invalidate", "--family", "org", "--yes", "-o", "json", env=env)
        report = json_of(result.stdout)
        deleted = before - self.redis.dbsize()
        if result.returncode == 0:
            self.assertEqual(report["deleted"], deleted)
        else:
            self.assertIn(result.returncode, (69, 70), result.stderr)
            self.assertIn("OOM", result.stderr)
            self.assertEqual((report or {}).get("deleted", 0), deleted)

    def test_warm_into_a_full_server(self):
        before = self.fill()
        env = base_env(REDIS_URL=self.redis.url, DATABASE_URL=self.pg.url)
        result = run("cache", "warm", "-o", "json", env=env)
        self.assertEqual(result.returncode, 70, result.stderr)
        self.assertIn("OOM", result.stderr)
        self.assertEqual(self.redis.dbsize(), before)  # nothing written, not even wwctl's own keys

    def test_warm_that_fills_the_server_reports_what_it_wrote(self):
        # Room for part of the warm (a few thousand of the tiny seed's keys): it stops at the
        # first refused write, and its report is what Redis holds, each value whole.
        before = self.fill(headroom=1_500_000)
        env = base_env(REDIS_URL=self.redis.url, DATABASE_URL=self.pg.url)
        result = run("cache", "warm", "-o", "json", env=env)
        self.assertEqual(result.returncode, 70, result.stderr)
        self.assertIn("OOM", result.stderr)
        report = json_of(result.stdout)
        self.assertEqual(report["error"]["code"], 70)
        self.assertGreater(report["keys"], 0)
        self.assertEqual(sum(f["keys"] for f in report["families"]), report["keys"])
        self.assertEqual(self.redis.cache_keys() - before, report["keys"])
        self.assertEqual(self.redis.half_written(), [])

if __name__ == "__main__":
    unittest.main()
