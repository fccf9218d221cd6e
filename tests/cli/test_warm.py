"""cache warm on the real binary: JSON contract, exit codes, the lock, dry run (redis-server on 6478)."""
import json
import subprocess
import unittest

from tests.cli.support import RedisServer, SeededDatabase, base_env, run, run_json

PORT = 6478


def redis_cli(*args):
    return subprocess.run(["redis-cli", "-p", str(PORT), *args], capture_output=True, text=True, check=True).stdout.strip()


class CacheWarmTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.database = SeededDatabase("warm")
        cls.redis = RedisServer(PORT)
        cls.env = base_env(DATABASE_URL=cls.database.url, REDIS_URL=f"redis://127.0.0.1:{PORT}/0")

    @classmethod
    def tearDownClass(cls):
        cls.redis.stop()
        cls.database.drop()

    def setUp(self):
        redis_cli("flushall")

    def test_warm_all_reports_every_family_and_writes_what_it_reports(self):
        result, doc = run_json("cache", "warm", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertFalse(doc["dryRun"])
        names = [f["name"] for f in doc["families"]]
        self.assertIn("perm", names)
        self.assertIn("admin-top-products", names)
        self.assertNotIn("session", names)
        self.assertEqual(doc["keys"], sum(f["keys"] for f in doc["families"]))
        for family in doc["families"]:
            self.assertGreater(family["keys"], 0, family["name"])
            for field in ("written", "bytes", "elapsedMs", "keysPerSecond", "refused", "rewarmed", "unwarmed",
                          "invalidated", "incomplete"):
                self.assertIn(field, family)
            self.assertEqual((family["refused"], family["incomplete"]), (0, False))
        self.assertFalse(doc["incomplete"])
        self.assertIsNone(doc["error"])
        # Everything reported is in Redis, and nothing else (the lock is released).
        self.assertEqual(int(redis_cli("dbsize")), doc["keys"])
        self.assertEqual(redis_cli("get", "perm:6:1:org:read"), "true")
        org = json.loads(redis_cli("get", "org:1"))
        self.assertEqual(org["id"], 1)
        self.assertRegex(org["createdAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        ttl = int(redis_cli("pttl", "org:1"))
        self.assertTrue(1_700_000 < ttl <= 1_800_000, ttl)

    def test_table_output_and_scoped_json(self):
        result = run("cache", "warm", "product", "stock", "--product", "1", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("FAMILY", result.stdout)
        self.assertIn("product", result.stdout)
        self.assertIn("for product:1", result.stdout)
        result, doc = run_json("cache", "warm", "--user", "6", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(doc["scope"], "user:6")
        self.assertEqual([f["name"] for f in doc["families"]][:2], ["perm", "user-orgs"])

    def test_dry_run_writes_nothing(self):
        result, doc = run_json("cache", "warm", "--dry-run", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(doc["dryRun"])
        self.assertGreater(doc["keys"], 1000)
        self.assertEqual(redis_cli("dbsize"), "0")

    def test_only_missing_keeps_existing_values(self):
        redis_cli("set", "org:1", "mine")
        result, doc = run_json("cache", "warm", "org", "--only-missing", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(redis_cli("get", "org:1"), "mine")
        self.assertEqual(doc["families"][0]["present"], 1)
        self.assertEqual(doc["keys"], int(redis_cli("dbsize")) - 1)

    def test_a_held_lock_exits_75_naming_its_holder(self):
        holder = '{"token":"t","host":"cron-7","pid":999,"startedAt":"2026-11-25T03:00:00.000Z"}'
        redis_cli("set", "wwctl:lock:warm:all", holder, "px", "60000")
        result, doc = run_json("cache", "warm", "org", env=self.env)
        self.assertEqual(result.returncode, 75, result.stderr)
        self.assertIn("cron-7", result.stderr)
        self.assertIn("pid 999", result.stderr)
        self.assertEqual(doc["error"]["code"], 75)
        self.assertEqual(redis_cli("exists", "org:1"), "0")
        # Another scope is another lock.
        result = run("cache", "warm", "org", "--org", "1", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_usage_and_data_errors(self):
        result = run("cache", "warm", "prodcut", env=self.env)
        self.assertEqual(result.returncode, 64)
        self.assertIn("did you mean 'product'", result.stderr)
        self.assertEqual(run("cache", "warm", "session", env=self.env).returncode, 64)
        self.assertEqual(run("cache", "warm", "--ttl-jitter", "1", env=self.env).returncode, 64)
        self.assertEqual(run("cache", "warm", "--org", "1", "--user", "2", env=self.env).returncode, 64)
        self.assertEqual(run("cache", "warm", "category-tree", "--org", "1", env=self.env).returncode, 64)
        missing = run("cache", "warm", "--org", "99999", env=self.env)
        self.assertEqual(missing.returncode, 65)
        self.assertIn("no org 99999", missing.stderr)
        self.assertEqual(redis_cli("dbsize"), "0")

    def test_usage_errors_need_no_server(self):
        env = base_env(DATABASE_URL="postgresql://nobody@127.0.0.1:1/none", REDIS_URL="redis://127.0.0.1:1/0")
        self.assertEqual(run("cache", "warm", "prodcut", env=env).returncode, 64)
        self.assertEqual(run("cache", "warm", "--ttl-jitter", "-1", env=env).returncode, 64)
        self.assertEqual(run("cache", "warm", "org", env=env).returncode, 69)

    def test_help_ends_with_an_example(self):
        result = run("cache", "warm", "--help", env=self.env)
        self.assertEqual(result.returncode, 0)
        self.assertIn("Example:", result.stdout)
        self.assertIn("wwctl cache warm", result.stdout)


if __name__ == "__main__":
    unittest.main()
