"""db migrate / status / seed on the real binary, in a database of the test's own."""
import subprocess
import unittest
import uuid

from tests.cli.support import DATABASE_URL, base_env, run, run_json


class DBCommandTests(unittest.TestCase):
    def setUp(self):
        self.name = "clitest_db_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", DATABASE_URL, "-qc", f"create database {self.name}"], check=True)
        self.url = DATABASE_URL.rsplit("/", 1)[0] + "/" + self.name
        self.env = base_env(DATABASE_URL=self.url, REDIS_URL="redis://127.0.0.1:1/0")

    def tearDown(self):
        subprocess.run(["psql", DATABASE_URL, "-qc", f"drop database {self.name} with (force)"], check=True)

    def test_migrate_status_and_seed(self):
        status, doc = run_json("db", "status", env=self.env)
        self.assertEqual(status.returncode, 1)
        self.assertFalse(doc["current"])
        self.assertTrue(all(m["pending"] for m in doc["migrations"]))

        migrate, doc = run_json("db", "migrate", env=self.env)
        self.assertEqual(migrate.returncode, 0, migrate.stderr)
        self.assertFalse(doc["alreadyCurrent"])
        again, doc = run_json("db", "migrate", env=self.env)
        self.assertEqual(again.returncode, 0)
        self.assertTrue(doc["alreadyCurrent"])
        self.assertEqual(doc["applied"], [])

        status, doc = run_json("db", "status", env=self.env)
        self.assertEqual(status.returncode, 0)
        self.assertTrue(doc["current"])

        seed, doc = run_json("db", "seed", "--scale", "tiny", "--seed", "7", env=self.env)
        self.assertEqual(seed.returncode, 0, seed.stderr)
        rows = {t["table"]: t["rows"] for t in doc["tables"]}
        self.assertGreaterEqual(rows["organizations"], 10)
        self.assertGreaterEqual(rows["users"], 100)
        self.assertGreaterEqual(rows["products"], 500)

        # A database holding data is refused (65) without --force, and nothing changes.
        refused = run("db", "seed", "--scale", "tiny", "--seed", "8", env=self.env)
        self.assertEqual(refused.returncode, 65)
        self.assertIn("--force", refused.stderr)
        # --force without a terminal needs --yes (64), again changing nothing.
        unconfirmed = run("db", "seed", "--scale", "tiny", "--force", env=self.env, input="")
        self.assertEqual(unconfirmed.returncode, 64)
        count = subprocess.run(["psql", self.url, "-Atc", "select count(*) from organizations"],
                               capture_output=True, text=True, check=True)
        self.assertEqual(int(count.stdout), rows["organizations"])
        forced = run("db", "seed", "--scale", "tiny", "--force", "--yes", env=self.env)
        self.assertEqual(forced.returncode, 0, forced.stderr)

    def test_unknown_scale_is_usage(self):
        result = run("db", "seed", "--scale", "huge", env=self.env)
        self.assertEqual(result.returncode, 64)
        self.assertIn("huge", result.stderr)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1)

    def test_unmigrated_database_is_refused(self):
        result = run("db", "seed", "--scale", "tiny", env=self.env)
        self.assertEqual(result.returncode, 65)
        self.assertIn("migrate", result.stderr)


if __name__ == "__main__":
    unittest.main()
