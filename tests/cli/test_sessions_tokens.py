"""sessions, tokens and ratelimit on the real binary, against a redis-server of the
tests' own (port 6502: sessions/tokens own 6500-6509)."""
import base64
import hashlib
import hmac
import json
import subprocess
import time
import unittest

from tests.cli.support import RedisServer, base_env, run, run_json

PORT = 6502
DAY_MS = 86_400_000


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(claims, secret="cli-secret", header=None):
    header = header or {"alg": "HS256", "typ": "JWT"}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


class SessionsTokensCLITests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RedisServer(PORT)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.redis("FLUSHALL")
        self.env = base_env(REDIS_URL=f"redis://127.0.0.1:{PORT}/0", DATABASE_URL="postgresql://127.0.0.1:1/none")

    def redis(self, *args):
        out = subprocess.run(["redis-cli", "-p", str(PORT), "--no-raw", *args], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def raw(self, *args):
        out = subprocess.run(["redis-cli", "-p", str(PORT), "--raw", *args], capture_output=True, text=True, check=True)
        return out.stdout.rstrip("\n")

    def seed(self, user, ids):
        for sid in ids:
            self.raw("SET", f"session:{sid}", json.dumps({"userId": user, "ip": "198.51.100.7", "userAgent": "curl/8"},
                                                        separators=(",", ":")), "PX", str(DAY_MS))
        self.raw("SET", f"user:{user}:sessions", json.dumps(ids, separators=(",", ":")), "PX", str(DAY_MS))

    # sessions

    def test_list_show_and_revoke(self):
        self.seed(42, ["s1", "s2", "s3"])
        self.raw("DEL", "session:s3")
        result, doc = run_json("sessions", "list", "--user", "42", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([s["id"] for s in doc["sessions"]], ["s1", "s2", "s3"])
        self.assertEqual((doc["active"], doc["dangling"]), (2, 1))
        self.assertTrue(doc["sessions"][2]["dangling"])
        self.assertEqual(doc["sessions"][0]["ip"], "198.51.100.7")

        shown, doc = run_json("sessions", "show", "s1", env=self.env)
        self.assertEqual(shown.returncode, 0)
        self.assertEqual((doc["userId"], doc["listed"]), (42, True))
        missing, doc = run_json("sessions", "show", "s3", env=self.env)
        self.assertEqual(missing.returncode, 1)
        self.assertIn("s3", doc["error"]["message"])

        ttl_before = int(self.raw("PTTL", "user:42:sessions"))
        revoked, doc = run_json("sessions", "revoke", "s2", env=self.env)
        self.assertEqual(revoked.returncode, 0, revoked.stderr)
        self.assertEqual((doc["revoked"], doc["ids"], doc["removedFromList"]), (1, ["s2"], ["s2"]))
        self.assertEqual(self.raw("GET", "user:42:sessions"), '["s1","s3"]')
        self.assertLessEqual(abs(int(self.raw("PTTL", "user:42:sessions")) - ttl_before), 1000)
        self.assertEqual(self.raw("EXISTS", "session:s2"), "0")

        # A session that is gone: exit 1 and nothing done, unless --user names the list to clean.
        gone, doc = run_json("sessions", "revoke", "s3", env=self.env)
        self.assertEqual(gone.returncode, 1)
        self.assertEqual(doc["revoked"], 0)
        cleaned, doc = run_json("sessions", "revoke", "s3", "--user", "42", env=self.env)
        self.assertEqual(cleaned.returncode, 0)
        self.assertEqual((doc["revoked"], doc["removedFromList"]), (0, ["s3"]))
        self.assertEqual(self.raw("GET", "user:42:sessions"), '["s1"]')

        bad_user = run("sessions", "list", "--user", "4x2", env=self.env)
        self.assertEqual(bad_user.returncode, 64)

    def test_revoke_all_leaves_a_listed_session_of_another_user(self):
        self.seed(8, ["own"])
        self.seed(9, ["theirs"])
        self.raw("SET", "user:8:sessions", '["own","theirs"]', "PX", str(DAY_MS))
        done = run("sessions", "revoke-all", "--user", "8", "--yes", env=self.env)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("revoked 1 session of user 8: own", done.stdout)
        self.assertIn("left 1 listed session of another user alone: theirs", done.stdout)
        self.assertEqual(self.raw("EXISTS", "session:own", "session:theirs"), "1")
        self.assertEqual(self.raw("GET", "session:theirs")[:12], '{"userId":9,')

    def test_revoke_all_confirms_and_leaves_others(self):
        self.seed(7, ["a", "b"])
        self.seed(70, ["c"])
        refused = run("sessions", "revoke-all", "--user", "7", env=self.env, input="")
        self.assertEqual(refused.returncode, 64)
        self.assertIn("--yes", refused.stderr)
        self.assertEqual(self.raw("EXISTS", "session:a", "session:b"), "2")

        dry, doc = run_json("sessions", "revoke-all", "--user", "7", "--dry-run", env=self.env, input="")
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertTrue(doc["dryRun"])
        self.assertEqual(doc["revoked"], 2)
        self.assertEqual(self.raw("EXISTS", "session:a", "session:b"), "2")

        done, doc = run_json("sessions", "revoke-all", "--user", "7", "--yes", env=self.env)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual((doc["revoked"], sorted(doc["ids"]), doc["listDeleted"]), (2, ["a", "b"], True))
        self.assertEqual(self.raw("EXISTS", "session:a", "session:b", "user:7:sessions"), "0")
        self.assertEqual(self.raw("GET", "user:70:sessions"), '["c"]')
        self.assertEqual(self.raw("EXISTS", "session:c"), "1")

        nothing, doc = run_json("sessions", "revoke-all", "--user", "7", env=self.env, input="")
        self.assertEqual(nothing.returncode, 0)
        self.assertEqual(doc["revoked"], 0)

    def test_prune(self):
        self.seed(1, ["live", "dead1"])
        self.seed(2, ["dead2"])
        self.raw("DEL", "session:dead1", "session:dead2")
        refused = run("sessions", "prune", env=self.env, input="")
        self.assertEqual(refused.returncode, 64)
        dry, doc = run_json("sessions", "prune", "--dry-run", env=self.env, input="")
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertEqual((doc["listsScanned"], doc["idsChecked"], doc["idsRemoved"], doc["listsEmptied"]), (2, 3, 2, 1))
        self.assertEqual(self.raw("GET", "user:1:sessions"), '["live","dead1"]')
        done, doc = run_json("sessions", "prune", "--yes", env=self.env)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual((doc["idsRemoved"], doc["listsEmptied"], doc["dryRun"]), (2, 1, False))
        self.assertEqual(self.raw("GET", "user:1:sessions"), '["live"]')
        self.assertEqual(self.raw("EXISTS", "user:2:sessions"), "0")

    # tokens

    def test_revoke_blacklists_until_expiry(self):
        exp = int(time.time()) + 3600
        token = make_token({"sub": "42", "exp": exp})
        result, doc = run_json("tokens", "revoke", token, "--secret", "cli-secret", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(doc["blacklisted"])
        self.assertTrue(doc["signatureVerified"])
        self.assertEqual(doc["userId"], 42)
        self.assertLessEqual(abs(doc["ttlSeconds"] - 3600), 1)
        self.assertEqual(self.raw("GET", f"jwt:blacklist:{token}"), "42")
        remaining = exp * 1000 - int(time.time() * 1000)
        self.assertLessEqual(abs(int(self.raw("PTTL", f"jwt:blacklist:{token}")) - remaining), 1000)
        self.assertNotIn(token, result.stdout)

        checked, doc = run_json("tokens", "check", token, env=self.env)
        self.assertEqual(checked.returncode, 1)
        self.assertEqual((doc["valid"], doc["revoked"], doc["expired"], doc["reason"]), (False, True, False, "revoked"))

    def test_string_subjects_are_stored_quoted(self):
        token = make_token({"userId": "u-abc", "exp": int(time.time()) + 60})
        result, doc = run_json("tokens", "revoke", "-", env=self.env, input=token + "\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.raw("GET", f"jwt:blacklist:{token}"), '"u-abc"')

    def test_signatures(self):
        token = make_token({"sub": "5", "exp": int(time.time()) + 600})
        wrong = run("tokens", "revoke", token, "--secret", "nope", env=self.env)
        self.assertEqual(wrong.returncode, 65)
        self.assertIn("signature", wrong.stderr)
        self.assertNotIn(token, wrong.stderr)
        env_wrong = run("tokens", "revoke", token, env=base_env(REDIS_URL=f"redis://127.0.0.1:{PORT}/0", WWCTL_JWT_SECRET="nope"))
        self.assertEqual(env_wrong.returncode, 65)
        self.assertEqual(self.raw("EXISTS", f"jwt:blacklist:{token}"), "0")
        env_right, doc = run_json("tokens", "check", token,
                                  env=base_env(REDIS_URL=f"redis://127.0.0.1:{PORT}/0", WWCTL_JWT_SECRET="cli-secret"))
        self.assertEqual(env_right.returncode, 0, env_right.stderr)
        self.assertTrue(doc["valid"] and doc["signatureVerified"])
        rs256 = make_token({"sub": "5", "exp": int(time.time()) + 600}, header={"alg": "RS256"})
        self.assertEqual(run("tokens", "check", rs256, "--secret", "cli-secret", env=self.env).returncode, 65)
        self.assertEqual(run("tokens", "check", rs256, env=self.env).returncode, 0)

    def test_expired_and_malformed(self):
        expired = make_token({"sub": "1", "exp": int(time.time()) - 10})
        result, doc = run_json("tokens", "revoke", expired, env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual((doc["blacklisted"], doc["ttlSeconds"], doc["reason"]), (False, 0, "expired"))
        self.assertEqual(self.raw("EXISTS", f"jwt:blacklist:{expired}"), "0")
        checked, doc = run_json("tokens", "check", expired, env=self.env)
        self.assertEqual(checked.returncode, 1)
        self.assertEqual((doc["expired"], doc["reason"]), (True, "expired"))

        no_exp = make_token({"sub": "1"})
        for bad in ["not-a-token", "a.b", no_exp, no_exp + ".x"]:
            for command in ["revoke", "check"]:
                result, doc = run_json("tokens", command, bad, env=self.env)
                self.assertEqual(result.returncode, 65, (command, bad, result.stderr))
                self.assertEqual(doc["error"]["code"], 65)
                self.assertNotIn(no_exp, result.stderr)
        self.assertEqual(self.raw("DBSIZE"), "0")

    # rate limits

    def test_ratelimit_show_and_reset(self):
        for key, value in [("ratelimit:7:POST:/api/orders", 3), ("ratelimit:7:GET:/api/x", 2),
                           ("ratelimit:70:POST:/api/orders", 9), ("ratelimit:2001:db8::1:GET:/x", 4)]:
            self.raw("SET", key, str(value), "PX", "60000")
        shown, doc = run_json("ratelimit", "show", "--user", "7", env=self.env)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertEqual([(c["endpoint"], c["count"]) for c in doc["counters"]], [("GET:/api/x", 2), ("POST:/api/orders", 3)])
        self.assertTrue(all(0 < c["ttlMs"] <= 60000 for c in doc["counters"]))
        ipv6, doc = run_json("ratelimit", "show", "--ip", "2001:DB8:0::1", env=self.env)
        self.assertEqual([c["count"] for c in doc["counters"]], [4])

        one, doc = run_json("ratelimit", "reset", "--user", "7", "--endpoint", "POST:/api/orders", env=self.env)
        self.assertEqual(one.returncode, 0, one.stderr)
        self.assertEqual(doc["deleted"], 1)
        self.assertEqual(self.raw("EXISTS", "ratelimit:7:POST:/api/orders", "ratelimit:7:GET:/api/x"), "1")
        rest, doc = run_json("ratelimit", "reset", "--user", "7", env=self.env)
        self.assertEqual((doc["deleted"], doc["endpoints"]), (1, ["GET:/api/x"]))
        self.assertEqual(self.raw("EXISTS", "ratelimit:70:POST:/api/orders", "ratelimit:2001:db8::1:GET:/x"), "2")

        for args in [["--ip", "1.2.3.999"], ["--user", "7", "--ip", "1.2.3.4"], [], ["--user", "x"]]:
            result = run("ratelimit", "show", *args, env=self.env)
            self.assertEqual(result.returncode, 64, (args, result.stderr))

    def test_help_ends_with_an_example(self):
        for command in [["sessions", "revoke-all"], ["sessions", "prune"], ["tokens", "revoke"], ["tokens", "check"],
                        ["ratelimit", "show"], ["ratelimit", "reset"], ["sessions", "list"]]:
            result = run(*command, "--help", env=self.env)
            self.assertEqual(result.returncode, 0)
            self.assertIn("Example:", result.stdout)


if __name__ == "__main__":
    unittest.main()
