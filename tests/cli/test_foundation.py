"""ping, config show, configuration precedence and bad input, on the real binary."""
import json
import os
import unittest

from tests.cli.support import (DATABASE_URL, REDIS_URL, RedisServer, SilentServer, base_env,
                               free_port_closed, run, run_json)


class PingTests(unittest.TestCase):
    def test_both_servers_answer(self):
        result, doc = run_json("ping", env=base_env(REDIS_URL=REDIS_URL, DATABASE_URL=DATABASE_URL))
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ("redis", "postgres"):
            server = doc[name]
            # The contract's fields, then what was added: ssl (null on a plain connection).
            self.assertEqual(list(server)[:5], ["ok", "address", "version", "latencyMs", "error"])
            self.assertIsNone(server["ssl"])
            self.assertTrue(server["ok"])
            self.assertIsNone(server["error"])
            self.assertGreater(server["latencyMs"], 0)
        self.assertTrue(doc["redis"]["version"].startswith("7."))
        self.assertTrue(doc["postgres"]["version"].startswith("15"))
        self.assertNotIn("wwctl-local", result.stdout + result.stderr)
        self.assertIn("***", doc["postgres"]["address"])

    def test_closed_port_is_unavailable(self):
        port = free_port_closed()
        result, doc = run_json("ping", "--redis-url", f"redis://127.0.0.1:{port}/0",
                               env=base_env(DATABASE_URL=DATABASE_URL))
        self.assertEqual(result.returncode, 69)
        self.assertFalse(doc["redis"]["ok"])
        self.assertIn("refused", doc["redis"]["error"])
        self.assertTrue(doc["postgres"]["ok"])

    def test_unanswering_address_gives_up_within_timeout(self):
        silent = SilentServer()
        try:
            # The subprocess timeout only guards against a hang; no timing is asserted.
            result, doc = run_json("ping", "--timeout", "1", "--redis-url", f"redis://127.0.0.1:{silent.port}/0",
                                   "--database-url", f"postgresql://u@127.0.0.1:{silent.port}/db",
                                   env=base_env(), timeout=30)
        finally:
            silent.close()
        self.assertEqual(result.returncode, 69)
        self.assertFalse(doc["redis"]["ok"])
        self.assertFalse(doc["postgres"]["ok"])

    def test_wrong_passwords_are_unavailable_and_never_printed(self):
        server = RedisServer(6480, "--requirepass", "right-horse")
        try:
            result = run("ping", "--redis-url", "redis://:wrong-horse@127.0.0.1:6480/0",
                         "--database-url", "postgresql://wwctl:battery-staple@127.0.0.1:5491/waywise")
        finally:
            server.stop()
        self.assertEqual(result.returncode, 69)
        out = result.stdout + result.stderr
        self.assertNotIn("wrong-horse", out)
        self.assertNotIn("battery-staple", out)
        self.assertIn("unavailable", result.stdout)

    def test_redis_password_and_acl_user(self):
        server = RedisServer(6481, "--requirepass", "p@ss:word")
        try:
            ok = run("ping", "--redis-url", "redis://:p%40ss%3Aword@127.0.0.1:6481/0",
                     env=base_env(DATABASE_URL=DATABASE_URL))
            self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
            self.assertNotIn("p@ss", ok.stdout + ok.stderr)
        finally:
            server.stop()


class BadInputTests(unittest.TestCase):
    def assertOneLineUsage(self, result):
        self.assertEqual(result.returncode, 64, result.stdout + result.stderr)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)

    def test_malformed_urls(self):
        for url in ("http://127.0.0.1:6379", "redis://127.0.0.1:99999/0", "redis://127.0.0.1:6379/x", "redis://:pw@"):
            result = run("ping", "--redis-url", url)
            self.assertOneLineUsage(result)
            self.assertIn("Redis URL", result.stderr)

    def test_unknown_profile(self):
        result = run("ping", "--profile", "nope")
        self.assertOneLineUsage(result)
        self.assertIn("unknown profile 'nope'", result.stderr)

    def test_unknown_option_and_command(self):
        self.assertOneLineUsage(run("ping", "--bogus"))
        self.assertOneLineUsage(run("pnig"))

    def test_bad_input_is_named_before_any_server_is_contacted(self):
        port = free_port_closed()
        servers = ["--redis-url", f"redis://127.0.0.1:{port}/0", "--database-url", f"postgresql://x@127.0.0.1:{port}/x"]
        cases = [
            (["orgs", "list", "--limit", "0"], 64, "--limit"),
            (["orgs", "create", "--slug", "Bad_Slug", "--name", "x"], 64, "slug 'Bad_Slug'"),
            (["orgs", "create", "--slug", "ok", "--name", "x", "--commission-rate", "2"], 64, "commission rate 2"),
            (["orgs", "update", "1"], 64, "nothing to update"),
            (["orgs", "suspend", "1", "--reason", " "], 64, "reason must not be blank"),
            (["payouts", "mark-paid", "1", "--reference", " "], 64, "--reference must not be empty"),
            (["payouts", "fail", "1", "--reason", " "], 64, "--reason must not be empty"),
            (["payouts", "run", "--period", "2025-13"], 65, "period '2025-13'"),
            (["perms", "audit", "--sample", "0"], 64, "--sample"),
            (["ratelimit", "show", "--ip", "999.1.1.1"], 64, "--ip '999.1.1.1'"),
        ]
        for args, code, named in cases:
            result = run(*args, *servers)
            self.assertEqual(result.returncode, code, (args, result.stderr))
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
            self.assertIn(named, result.stderr)

    def test_a_group_without_its_command_is_a_usage_error(self):
        result = run("cache", input="")
        self.assertOneLineUsage(result)
        self.assertIn("'wwctl cache' needs a command: families, keys", result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertEqual(run("cache", "--help").returncode, 0)

    def test_negative_numbers_are_named(self):
        result = run("products", "set-price", "17", "-3")
        self.assertOneLineUsage(result)
        self.assertIn("'-3' is negative", result.stderr)

    def test_global_options_before_the_command_mean_what_they_mean_after_it(self):
        before, doc_before = run_json("--key-prefix", "before:", "--timeout", "2", "config", "show")
        after, doc_after = run_json("config", "show", "--key-prefix", "before:", "--timeout", "2")
        self.assertEqual(before.returncode, 0, before.stderr)
        self.assertEqual(doc_before["settings"], doc_after["settings"])
        settings = {s["name"]: s for s in doc_before["settings"]}
        self.assertEqual(settings["keyPrefix"]["source"], "flag --key-prefix")
        self.assertEqual(settings["timeout"]["value"], "2")
        # A usage error before the command is the same error as after it.
        result = run("--profile", "nope", "ping")
        self.assertOneLineUsage(result)
        self.assertIn("unknown profile 'nope'", result.stderr)
        # Mistakes in the command's words are still named after them.
        result = run("--profile", "prod", "cahce", "warm")
        self.assertOneLineUsage(result)
        self.assertIn("unknown command 'cahce'; did you mean 'cache'?", result.stderr)
        result = run("-q", "cache")
        self.assertOneLineUsage(result)
        self.assertIn("'wwctl cache' needs a command", result.stderr)

    def test_json_error_document(self):
        result, doc = run_json("ping", "--redis-url", "ftp://x")
        self.assertEqual(result.returncode, 64)
        self.assertEqual(doc["error"]["code"], 64)
        self.assertIn("Redis URL", doc["error"]["message"])

    def test_prometheus_only_for_metrics(self):
        result = run("config", "show", "-o", "prometheus")
        self.assertOneLineUsage(result)

    def test_prometheus_refused_before_connecting(self):
        # Servers that are not there: the usage error (64) comes first, not 69.
        port = free_port_closed()
        result = run("orgs", "set-role", "1", "2", "admin", "-o", "prometheus",
                     "--redis-url", f"redis://127.0.0.1:{port}/0",
                     "--database-url", f"postgresql://x@127.0.0.1:{port}/x")
        self.assertOneLineUsage(result)
        self.assertIn("-o prometheus is only for metrics", result.stderr)


class ConfigShowTests(unittest.TestCase):
    def test_sources_and_masking(self):
        env = base_env(REDIS_URL="redis://:hunter2@127.0.0.1:6391/0", WWCTL_PROFILE="ops")
        os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "wwctl"))
        with open(os.path.join(env["XDG_CONFIG_HOME"], "wwctl", "config.json"), "w") as f:
            json.dump({"profiles": {"ops": {"databaseUrl": "host=db1 dbname=waywise password='s3 cret'",
                                            "keyPrefix": "app:", "production": True}}}, f)
        result, doc = run_json("config", "show", "--timeout", "2", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        settings = {s["name"]: s for s in doc["settings"]}
        self.assertEqual(settings["redisUrl"]["source"], "environment REDIS_URL")
        self.assertEqual(settings["profile"]["value"], "ops")
        self.assertTrue(settings["databaseUrl"]["source"].startswith("profile ops"))
        self.assertEqual(settings["keyPrefix"]["value"], "app:")
        self.assertEqual(settings["timeout"]["source"], "flag --timeout")
        self.assertEqual(settings["production"]["value"], "true")
        self.assertNotIn("hunter2", result.stdout)
        self.assertNotIn("s3 cret", result.stdout)


if __name__ == "__main__":
    unittest.main()
