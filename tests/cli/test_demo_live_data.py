"""`db seed-live` on the real binary: the live state the app keeps only in Redis (sessions,
user session lists, blacklisted JWTs, rate-limit counters), written as the app writes it,
so that the README's tour of sessions, tokens and rate limits works on the demo. A scratch
database (tiny seed) and a redis-server of these tests' own (port 6458)."""
import json
import subprocess
import unittest
import uuid

from tests.cli.support import DATABASE_URL, RedisServer, base_env, run, run_json

PORT = 6458


class SeedLiveTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = "clitest_live_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", DATABASE_URL, "-qc", f"create database {cls.name}"], check=True)
        cls.url = DATABASE_URL.rsplit("/", 1)[0] + "/" + cls.name
        cls.redis = RedisServer(PORT)
        cls.env = base_env(DATABASE_URL=cls.url, REDIS_URL=f"redis://127.0.0.1:{PORT}/0")
        for args in (["db", "migrate"], ["db", "seed", "--scale", "tiny"]):
            result = run(*args, env=cls.env)
            assert result.returncode == 0, result.stderr

    @classmethod
    def tearDownClass(cls):
        cls.redis.stop()
        subprocess.run(["psql", DATABASE_URL, "-qc", f"drop database {cls.name} with (force)"], check=True)

    def rcli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(PORT), *args], capture_output=True, text=True,
                              check=True).stdout.strip()

    def test_the_tour_of_sessions_tokens_and_rate_limits_works_on_it(self):
        self.rcli("FLUSHDB")
        result, report = run_json("db", "seed-live", "--users", "60", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(report["users"], 60)
        self.assertEqual(report["sessionLists"], 60)
        self.assertGreater(report["sessions"], 60)
        self.assertGreater(report["danglingIds"], 0)
        self.assertGreater(report["blacklistedTokens"], 0)
        self.assertGreater(report["rateLimitCounters"], 0)
        self.assertEqual(int(self.rcli("DBSIZE")),
                         report["sessions"] + report["sessionLists"] + report["blacklistedTokens"]
                         + report["rateLimitCounters"])

        # As the app writes them: JSON values, every key with the TTL of its family's policy.
        session = self.rcli("--scan", "--pattern", "session:*").splitlines()[0]
        value = json.loads(self.rcli("GET", session))
        self.assertEqual(sorted(value), ["createdAt", "ip", "userAgent", "userId"])
        self.assertTrue(0 < int(self.rcli("PTTL", session)) <= 86_400_000)
        lint, doc = run_json("cache", "lint", env=self.env)
        self.assertEqual(lint.returncode, 0, lint.stdout)
        self.assertEqual(doc["findings"], [])

        tour = report["tourUser"]
        user = str(tour["userId"])
        listed, sessions = run_json("sessions", "list", "--user", user, env=self.env)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertEqual((sessions["active"], sessions["dangling"]), (tour["sessions"], tour["danglingIds"]))
        self.assertEqual(sessions["dangling"], 1)
        shown, counters = run_json("ratelimit", "show", "--user", user, env=self.env)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertEqual(len(counters["counters"]), tour["rateLimitCounters"])
        revoked = run("tokens", "revoke", tour["token"], "--secret", report["jwtSecret"], env=self.env)
        self.assertEqual(revoked.returncode, 0, revoked.stderr)
        self.assertIn(f"of user {user} for", revoked.stdout)

        # The same seed, the same sessions.
        ids = self.rcli("GET", f"user:{user}:sessions")
        self.assertEqual(run("db", "seed-live", "--users", "60", env=self.env).returncode, 0)
        self.assertEqual(self.rcli("GET", f"user:{user}:sessions"), ids)

    def test_an_empty_database_is_a_data_error(self):
        name = "clitest_live_empty_" + uuid.uuid4().hex[:6]
        subprocess.run(["psql", DATABASE_URL, "-qc", f"create database {name}"], check=True)
        self.addCleanup(subprocess.run, ["psql", DATABASE_URL, "-qc", f"drop database {name} with (force)"], check=True)
        env = dict(self.env, DATABASE_URL=DATABASE_URL.rsplit("/", 1)[0] + "/" + name)
        self.assertEqual(run("db", "migrate", env=env).returncode, 0)
        result = run("db", "seed-live", env=env)
        self.assertEqual(result.returncode, 65, result.stderr)
        self.assertIn("no users", result.stderr)


if __name__ == "__main__":
    unittest.main()
