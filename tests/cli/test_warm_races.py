"""cache warm when something happens while it runs, on the real binary: Ctrl-C, PostgreSQL
lost, Redis connections lost, Redis killed, Redis full, a change log that keeps moving. Each time the warm prints (table and
JSON) what it wrote per family before it exits, and what it reports is what Redis holds.
The small seed (55,000 perm keys) keeps a warm running long enough to be caught mid-way.
redis-servers of its own on 6456 and 6457."""
import json
import signal
import socket
import subprocess
import threading
import time
import unittest

from tests.cli.support import WWCTL, RedisServer, SeededDatabase, base_env, run

PORT = 6456
FULL_PORT = 6457


def redis_cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True, check=True).stdout.strip()


def cache_keys(port):
    """The keys Redis holds, without wwctl's own."""
    keys = redis_cli(port, "--scan").split()
    return [k for k in keys if not k.startswith("wwctl:")]


class WarmRacesTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.database = SeededDatabase("warmraces", scale="small")
        cls.url = cls.database.url
        cls.redis = RedisServer(PORT)
        cls.env = base_env(DATABASE_URL=cls.url, REDIS_URL=f"redis://127.0.0.1:{PORT}/0")

    @classmethod
    def tearDownClass(cls):
        cls.redis.stop()
        cls.database.drop()

    def setUp(self):
        redis_cli(PORT, "flushall")

    def start_warm(self, *args, env=None):
        return subprocess.Popen([WWCTL, "cache", "warm", *args], env=env or self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait_for_keys(self, port=PORT, at_least=1000):
        """Returns once the warm has written some keys (it is mid-way)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if int(redis_cli(port, "dbsize")) >= at_least:
                return
            time.sleep(0.005)
        self.fail("the warm wrote nothing")

    def check_report_is_what_redis_holds(self, doc, port=PORT):
        held = cache_keys(port)
        self.assertEqual(doc["keys"], len(held))
        self.assertEqual(doc["keys"], sum(f["keys"] for f in doc["families"]))
        for family in doc["families"]:
            self.assertIn("name", family)
            self.assertEqual(family["keys"], family["written"] - family["invalidated"])
        self.assertFalse(doc["dryRun"])
        # The lock was released on the way out.
        self.assertEqual(redis_cli(port, "exists", "wwctl:lock:warm:all"), "0")

    def test_ctrl_c_mid_warm_prints_what_was_written_and_exits_130(self):
        warm = self.start_warm("-o", "json")
        self.wait_for_keys()
        warm.send_signal(signal.SIGINT)
        out, err = warm.communicate(timeout=60)
        self.assertEqual(warm.returncode, 130, err)
        doc = json.loads(out)
        self.assertTrue(doc["interrupted"])
        self.assertEqual((doc["error"]["code"], doc["error"]["kind"]), (130, "interrupted"))
        self.assertGreater(doc["keys"], 0)
        self.check_report_is_what_redis_holds(doc)
        self.assertIn("interrupted: wrote", err)

        # The table says the same for people.
        redis_cli(PORT, "flushall")
        warm = self.start_warm()
        self.wait_for_keys()
        warm.send_signal(signal.SIGINT)
        out, err = warm.communicate(timeout=60)
        self.assertEqual(warm.returncode, 130, err)
        self.assertIn("FAMILY", out)
        self.assertIn("interrupted before the end", out)
        held = len(cache_keys(PORT))
        self.assertIn(f"wrote {held:,} keys", out)

    def test_postgres_lost_mid_warm_prints_what_was_written_and_exits_69(self):
        warm = self.start_warm("-o", "json")
        self.wait_for_keys()
        # Every session of the warm's database but ours ends: the warm's COPY with it.
        subprocess.run(["psql", self.url, "-qAtc",
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"],
                       check=True, capture_output=True)
        out, err = warm.communicate(timeout=60)
        self.assertEqual(warm.returncode, 69, err)
        doc = json.loads(out)
        self.assertEqual(doc["error"]["code"], 69)
        self.assertFalse(doc["interrupted"])
        self.assertGreater(doc["keys"], 0)
        self.check_report_is_what_redis_holds(doc)
        self.assertTrue(any(f["keys"] > 0 for f in doc["families"]))

    def test_redis_connections_lost_mid_warm_print_what_was_confirmed_and_exit_69(self):
        warm = self.start_warm("-o", "json")
        self.wait_for_keys()
        # Every client connection but redis-cli's own is closed: the warm's writers and reader.
        # A connection the server closed while it was idle is reopened silently (nothing was
        # in flight), so the kill is repeated until one lands on a round trip in flight.
        deadline = time.monotonic() + 60
        while warm.poll() is None and time.monotonic() < deadline:
            redis_cli(PORT, "client", "kill", "type", "normal")
            time.sleep(0.01)
        out, err = warm.communicate(timeout=60)
        self.assertEqual(warm.returncode, 69, err)
        doc = json.loads(out)
        self.assertEqual(doc["error"]["code"], 69)
        self.assertGreater(doc["keys"], 0)
        # The round trips cut off may or may not have been written: Redis holds what was
        # confirmed, and at most the unconfirmed keys more.
        held = len(cache_keys(PORT))
        self.assertTrue(doc["keys"] <= held <= doc["keys"] + doc["unconfirmed"], (doc["keys"], doc["unconfirmed"], held))
        for family in doc["families"]:
            self.assertEqual(family["keys"], family["written"] - family["invalidated"])

    def test_redis_killed_mid_warm_prints_what_was_confirmed_and_exits_69(self):
        server = RedisServer(FULL_PORT)
        try:
            env = base_env(DATABASE_URL=self.url, REDIS_URL=f"redis://127.0.0.1:{FULL_PORT}/0")
            warm = self.start_warm("-o", "json", env=env)
            self.wait_for_keys(port=FULL_PORT)
            server.proc.kill()
            server.proc.wait()
            out, err = warm.communicate(timeout=60)
            self.assertEqual(warm.returncode, 69, err)
            doc = json.loads(out)
            self.assertEqual(doc["error"]["code"], 69)
            self.assertGreater(doc["keys"], 0)
            self.assertTrue(doc["notStarted"])
        finally:
            server.stop()

    def test_redis_full_mid_warm_prints_what_was_written_and_exits_70(self):
        full = RedisServer(FULL_PORT, "--maxmemory", "4mb", "--maxmemory-policy", "noeviction")
        try:
            env = base_env(DATABASE_URL=self.url, REDIS_URL=f"redis://127.0.0.1:{FULL_PORT}/0")
            result = run("cache", "warm", "perm", "-o", "json", env=env, timeout=120)
            self.assertEqual(result.returncode, 70, result.stderr)
            self.assertIn("OOM", result.stderr)
            doc = json.loads(result.stdout)
            self.assertEqual(doc["error"]["code"], 70)
            perm = doc["families"][0]
            self.assertTrue(0 < perm["keys"] < 55_000, perm)
            # Each batch is written whole or not at all: what was confirmed is there.
            self.assertEqual(perm["unconfirmed"], 0)
            self.check_report_is_what_redis_holds(doc, port=FULL_PORT)
        finally:
            full.stop()

    def test_a_change_log_that_keeps_moving_leaves_the_warm_incomplete_exit_75(self):
        # Another client moves the log's position as fast as it can (no records: what
        # happened in between cannot be known), so every pass of perm is refused.
        stop = threading.Event()

        def spin():
            with socket.create_connection(("127.0.0.1", PORT)) as sock:
                n = 0
                while not stop.is_set():
                    batch = b"".join(
                        f"*4\r\n$4\r\nHSET\r\n$16\r\nwwctl:epochs:log\r\n$3\r\nseq\r\n${len(f'spin:{n + i}')}\r\nspin:{n + i}\r\n"
                        .encode() for i in range(50))
                    sock.sendall(batch)
                    received = 0
                    while received < 50:
                        received += sock.recv(65536).count(b"\r\n")
                    n += 50

        spinner = threading.Thread(target=spin)
        spinner.start()
        try:
            result = run("cache", "warm", "perm", "-o", "json", env=self.env, timeout=120)
        finally:
            stop.set()
            spinner.join()
        self.assertEqual(result.returncode, 75, result.stderr)
        doc = json.loads(result.stdout)
        self.assertTrue(doc["incomplete"])
        perm = doc["families"][0]
        self.assertTrue(perm["incomplete"])
        self.assertGreater(perm["unwarmed"], 0)
        self.assertGreater(perm["refused"], 0)
        self.assertEqual(perm["rounds"], 3)
        self.assertIsNone(doc["error"])
        self.assertIn("run again", result.stderr)
        self.check_report_is_what_redis_holds(doc)
        self.assertEqual((doc["keys"], doc["families"][0]["name"]), (perm["keys"], "perm"))


if __name__ == "__main__":
    unittest.main()
