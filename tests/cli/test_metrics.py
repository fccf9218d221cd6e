"""metrics (watch, prometheus, by-family), health and cache lint on the real binary.

Every test that reads server-wide statistics or a whole keyspace runs its own
redis-server (ports 6440-6448 belong to these tests)."""
import json
import re
import signal
import subprocess
import unittest
import uuid

from tests.cli.support import (DATABASE_URL, WWCTL, RedisServer, SilentServer, base_env, free_port_closed,
                               run, run_json)


def redis_cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True, check=True).stdout


def redis_pipe(port, commands):
    """Sends commands (lists of str/bytes) through redis-cli --pipe."""
    out = bytearray()
    for command in commands:
        out += b"*%d\r\n" % len(command)
        for arg in command:
            data = arg if isinstance(arg, bytes) else str(arg).encode()
            out += b"$%d\r\n%s\r\n" % (len(data), data)
    result = subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=bytes(out), capture_output=True, check=True)
    assert b"errors: 0" in result.stdout, result.stdout


# A strict reader of the Prometheus text exposition format (0.0.4), enough to prove the
# output is well formed: HELP and TYPE once per metric and before its samples, samples
# grouped per metric, valid names and label syntax, no repeated series.
METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


def parse_prometheus(text):
    if not text.endswith("\n"):
        raise ValueError("exposition must end with a newline")
    metrics = {}
    order = []
    current = None
    for number, line in enumerate(text[:-1].split("\n"), 1):
        where = f"line {number}: {line!r}"
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) < 3 or parts[0] != "#" or parts[1] not in ("HELP", "TYPE"):
                raise ValueError(f"bad comment, {where}")
            name = parts[2]
            if not METRIC_NAME.fullmatch(name):
                raise ValueError(f"bad metric name, {where}")
            entry = metrics.setdefault(name, {"help": None, "type": None, "samples": {}})
            if entry["samples"]:
                raise ValueError(f"{parts[1]} after samples, {where}")
            if parts[1] == "HELP":
                if entry["help"] is not None:
                    raise ValueError(f"second HELP, {where}")
                entry["help"] = parts[3] if len(parts) > 3 else ""
            else:
                if entry["type"] is not None or len(parts) != 4 or parts[3] not in ("counter", "gauge"):
                    raise ValueError(f"bad TYPE, {where}")
                entry["type"] = parts[3]
            if name not in order:
                order.append(name)
            current = name
            continue
        match = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)", line)
        if not match:
            raise ValueError(f"bad sample, {where}")
        name, _, label_text, value_text = match.groups()
        if name != current or metrics[name]["type"] is None or metrics[name]["help"] is None:
            raise ValueError(f"sample without its HELP and TYPE just before, {where}")
        labels = []
        rest = label_text or ""
        while rest:
            label = re.match(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)', rest)
            if not label:
                raise ValueError(f"bad labels, {where}")
            raw = label.group(2)
            value = re.sub(r'\\(\\|"|n)', lambda m: {"\\": "\\", '"': '"', "n": "\n"}[m.group(1)], raw)
            labels.append((label.group(1), value))
            rest = rest[label.end():]
            if label.group(3) == "," and not rest:
                raise ValueError(f"trailing comma, {where}")
        if len({n for n, _ in labels}) != len(labels):
            raise ValueError(f"repeated label, {where}")
        value = float(value_text)  # accepts NaN and +Inf as Go's ParseFloat does
        key = tuple(sorted(labels))
        if key in metrics[name]["samples"]:
            raise ValueError(f"repeated series, {where}")
        metrics[name]["samples"][key] = value
    for name, entry in metrics.items():
        if entry["type"] == "counter" and not name.endswith("_total"):
            raise ValueError(f"counter {name} does not end in _total")
        if not name.startswith("wwctl_"):
            raise ValueError(f"{name} lacks the wwctl_ prefix")
    return metrics


class PrometheusParserSelfTest(unittest.TestCase):
    def test_rejects_malformed_text(self):
        good = "# HELP wwctl_a_total x\n# TYPE wwctl_a_total counter\nwwctl_a_total 1\n"
        self.assertEqual(parse_prometheus(good)["wwctl_a_total"]["samples"], {(): 1.0})
        for bad in ("wwctl_a 1\n",
                    "# HELP wwctl_a x\n# TYPE wwctl_a counter\nwwctl_a 1\n",
                    "# HELP wwctl_a x\n# TYPE wwctl_a gauge\nwwctl_a{x=\"1\"} 1\nwwctl_a{x=\"1\"} 2\n",
                    "# HELP wwctl_a x\n# TYPE wwctl_a gauge\nwwctl_a{x=1} 1\n",
                    "# HELP wwctl_a x\n# TYPE wwctl_a gauge\nwwctl_a 1",
                    "# HELP wwctl_a x\n# TYPE wwctl_a gauge\nwwctl_a one\n"):
            with self.assertRaises(ValueError):
                parse_prometheus(bad)


class MetricsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RedisServer(6440, "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru")
        cls.url = "redis://127.0.0.1:6440/0"

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_json_fields_and_hit_rate(self):
        redis_cli(6440, "flushall")
        redis_cli(6440, "set", "a", "1")
        redis_cli(6440, "config", "resetstat")
        result, doc = run_json("metrics", "--redis-url", self.url)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIsNone(doc["hitRate"])
        for _ in range(3):
            redis_cli(6440, "get", "a")
        redis_cli(6440, "get", "missing")
        result, doc = run_json("metrics", "--redis-url", self.url)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(list(doc)[:11], ["hitRate", "keyspaceHits", "keyspaceMisses", "usedMemory", "usedMemoryPeak",
                                          "maxmemory", "evictedKeys", "expiredKeys", "connectedClients", "opsPerSec",
                                          "keys"])
        self.assertEqual(doc["hitRate"], 0.75)
        self.assertEqual((doc["keyspaceHits"], doc["keyspaceMisses"]), (3, 1))
        self.assertEqual(doc["maxmemory"], 64 * 1024 * 1024)
        self.assertEqual(doc["maxmemoryPolicy"], "allkeys-lru")
        self.assertEqual(doc["keys"], 1)
        self.assertEqual(doc["databases"], [{"db": 0, "keys": 1, "expires": 0, "avgTtlMs": 0}])
        self.assertTrue(doc["version"].startswith("7."))
        self.assertNotIn("families", doc)
        table = run("metrics", "--redis-url", self.url, env=base_env())
        self.assertEqual(table.returncode, 0)
        self.assertIn("75 %", table.stdout)

    def test_prometheus_parses_back(self):
        redis_cli(6440, "flushall")
        redis_pipe(6440, [["SET", f"perm:{i}:1:product:read", "true", "EX", "300"] for i in range(20)])
        subprocess.run(["redis-cli", "-p", "6440", "-n", "3", "set", "other", "x"], check=True, capture_output=True)
        result = run("metrics", "--redis-url", self.url, "-o", "prometheus")
        self.assertEqual(result.returncode, 0, result.stderr)
        metrics = parse_prometheus(result.stdout)
        self.assertEqual(metrics["wwctl_redis_keyspace_hits_total"]["type"], "counter")
        self.assertEqual(metrics["wwctl_redis_memory_used_bytes"]["type"], "gauge")
        db_keys = metrics["wwctl_redis_db_keys"]["samples"]
        self.assertEqual(db_keys, {(("db", "0"),): 20.0, (("db", "3"),): 1.0})
        self.assertEqual(metrics["wwctl_redis_db_keys_expiring"]["samples"][(("db", "0"),)], 20.0)
        self.assertEqual(metrics["wwctl_redis_memory_max_bytes"]["samples"][()], 64 * 1024 * 1024)
        info = dict(next(iter(metrics["wwctl_redis_info"]["samples"])))
        self.assertEqual(info["maxmemory_policy"], "allkeys-lru")

        families = run("metrics", "--by-family", "--redis-url", self.url, "-o", "prometheus")
        self.assertEqual(families.returncode, 0, families.stderr)
        parsed = parse_prometheus(families.stdout)
        keys = parsed["wwctl_cache_family_keys"]["samples"]
        self.assertEqual(keys[(("family", "perm"),)], 20.0)
        self.assertEqual(keys[(("family", "session"),)], 0.0)
        self.assertEqual(parsed["wwctl_cache_family_ttl_policy_seconds"]["samples"][(("family", "perm"),)], 300.0)
        self.assertLessEqual(parsed["wwctl_cache_family_ttl_max_seconds"]["samples"][(("family", "perm"),)], 300.0)
        self.assertEqual(parsed["wwctl_cache_walk_lookups"]["samples"][()], 20.0)

    def test_prometheus_only_where_metrics_are_printed(self):
        result = run("health", "--redis-url", self.url, "--no-postgres", "-o", "prometheus")
        self.assertEqual(result.returncode, 64)
        self.assertIn("prometheus", result.stderr)

    def test_metrics_never_loads_libpq(self):
        env = base_env(LD_DEBUG="libs")
        result = run("metrics", "--redis-url", self.url, env=env)
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        self.assertIn("libhiredis", result.stderr)  # the check sees the libraries that are loaded
        self.assertNotIn("libpq", result.stderr)

    def test_unreachable_redis_is_69(self):
        result, doc = run_json("metrics", "--redis-url", f"redis://127.0.0.1:{free_port_closed()}/0")
        self.assertEqual(result.returncode, 69)
        self.assertEqual(doc["error"]["kind"], "unavailable")

    def test_usage_errors(self):
        for args in (["--count", "2"], ["--sample", "10"], ["--watch", "0"], ["--watch", "1", "--by-family"],
                     ["--by-family", "--sample", "0"], ["--watch", "1", "-o", "prometheus"]):
            result = run("metrics", "--redis-url", self.url, *args)
            self.assertEqual(result.returncode, 64, (args, result.stderr))
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)


class WatchTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RedisServer(6442)
        cls.url = "redis://127.0.0.1:6442/0"

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_count_lines_with_header(self):
        result = run("metrics", "--redis-url", self.url, "--watch", "0.2", "--count", "3")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 4)
        self.assertEqual(lines[0].split()[:3], ["TIME", "HIT", "RATE"])
        self.assertIn("EVICT/S", lines[0])
        for line in lines[1:]:
            self.assertRegex(line, r"^\d\d:\d\d:\d\d ")

    def test_ndjson_one_object_per_interval(self):
        redis_cli(6442, "set", "k", "v")
        result = run("metrics", "--redis-url", self.url, "--watch", "0.2", "--count", "2", "-o", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        objects = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual(len(objects), 2)
        for item in objects:
            for field in ("time", "seconds", "hitRate", "hits", "misses", "evictedPerSec", "expiredPerSec",
                          "opsPerSec", "usedMemory", "keys"):
                self.assertIn(field, item)
            # Nobody else talks to this server: wwctl's own INFO calls are not counted.
            self.assertEqual(item["opsPerSec"], 0)
            self.assertIsNone(item["hitRate"])

    def test_ctrl_c_stops_cleanly_with_130(self):
        process = subprocess.Popen([WWCTL, "metrics", "--redis-url", self.url, "--watch", "0.2"],
                                   env=base_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            header = process.stdout.readline()
            first = process.stdout.readline()
            self.assertIn("TIME", header)
            self.assertRegex(first, r"^\d\d:\d\d:\d\d ")
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
        self.assertEqual(process.returncode, 130, err)
        self.assertEqual(err, "")


class ByFamilyTests(unittest.TestCase):
    def setUp(self):
        self.server = RedisServer(6441)
        self.url = "redis://127.0.0.1:6441/0"

    def tearDown(self):
        self.server.stop()

    def test_planted_keyspace(self):
        commands = [["SET", f"perm:{i}:2:product:read", "true", "EX", "300"] for i in range(500)]
        commands += [["SET", f"perm:{i}:3:order:write", "false"] for i in range(5)]
        commands += [["SET", f"product:{i}", "x" * 300, "EX", "1800"] for i in range(50)]
        commands += [["SET", "user:9:orgs", "[]", "EX", "900"], ["SET", "tmp:1", "x"], ["SET", "tmp:2", "x"]]
        redis_pipe(6441, commands)
        redis_cli(6441, "config", "resetstat")
        result, doc = run_json("metrics", "--by-family", "--redis-url", self.url)
        self.assertEqual(result.returncode, 0, result.stderr)
        # Read before the walk: the walk's lookups are not in these figures.
        self.assertEqual((doc["keyspaceHits"], doc["keyspaceMisses"]), (0, 0))
        families = {f["name"]: f for f in doc["families"]}
        for family in doc["families"]:
            self.assertEqual(list(family)[:4], ["name", "keys", "withTtl", "memoryBytes"])
        self.assertEqual((families["perm"]["keys"], families["perm"]["withTtl"]), (505, 500))
        self.assertEqual((families["product"]["keys"], families["product"]["withTtl"]), (50, 50))
        self.assertGreaterEqual(families["product"]["memoryBytes"], 50 * 300)
        self.assertEqual(families["user-orgs"]["legacyKeys"], 1)
        self.assertLessEqual(families["perm"]["ttlMaxMs"], 300_000)
        self.assertEqual(families["perm"]["ttlPolicyMaxSeconds"], 300)
        self.assertEqual(families["cart"]["keys"], 0)
        self.assertEqual([(g["group"], g["keys"]) for g in doc["otherKeys"]], [("tmp:*", 2)])
        walk = doc["walk"]
        self.assertTrue(walk["complete"])
        self.assertEqual(walk["scannedKeys"], 558)
        self.assertEqual(walk["lookupsAdded"], 558)
        # What Redis 7.0 counts: one lookup (a hit) per key read, nothing else.
        stats = redis_cli(6441, "info", "stats")
        self.assertIn("keyspace_hits:558\n", stats)
        self.assertIn("keyspace_misses:0\n", stats)

        table = run("metrics", "--by-family", "--redis-url", self.url)
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertRegex(table.stdout, r"\nperm +505 +500 ")
        self.assertIn("tmp:*", table.stdout)

        sampled, doc = run_json("metrics", "--by-family", "--sample", "100", "--redis-url", self.url)
        self.assertEqual(sampled.returncode, 0, sampled.stderr)
        self.assertEqual(doc["walk"]["scannedKeys"], 100)
        self.assertFalse(doc["walk"]["complete"])
        estimated = sum(f["estimatedKeys"] for f in doc["families"]) + sum(g["estimatedKeys"] for g in doc["otherKeys"])
        self.assertAlmostEqual(estimated, 558, delta=len(doc["families"]) + 2)


class HealthTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RedisServer(6443)
        cls.redis = "redis://127.0.0.1:6443/0"
        cls.db = "clitest_health_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", DATABASE_URL, "-qc", f"create database {cls.db}"], check=True)
        cls.database = DATABASE_URL.rsplit("/", 1)[0] + "/" + cls.db

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        subprocess.run(["psql", DATABASE_URL, "-qc", f"drop database {cls.db} with (force)"], check=True)

    def setUp(self):
        # Hit rate 0.6: 3 hits, 2 misses.
        redis_cli(6443, "set", "k", "v")
        redis_cli(6443, "config", "resetstat")
        for _ in range(3):
            redis_cli(6443, "get", "k")
        for _ in range(2):
            redis_cli(6443, "get", "nope")

    def health(self, *args, database=None):
        return run_json("health", "--redis-url", self.redis, "--database-url", database or self.database, *args)

    def test_statuses_and_exit_codes(self):
        migrate = run("db", "migrate", "--database-url", self.database, "--redis-url", self.redis)
        self.assertEqual(migrate.returncode, 0, migrate.stderr)
        result, doc = self.health("--min-hit-rate", "0.5")
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertEqual(doc["status"], "ok")
        names = [c["name"] for c in doc["checks"]]
        self.assertEqual(names, ["redis-reachable", "redis-hit-rate", "redis-memory-ratio", "postgres-reachable",
                                 "schema-migrations"])
        for check in doc["checks"]:
            self.assertEqual(list(check), ["name", "status", "value", "threshold", "message"])
        rate = doc["checks"][1]
        self.assertEqual((rate["value"], rate["threshold"], rate["status"]), (0.6, 0.5, "ok"))

        result, doc = self.health("--min-hit-rate", "0.7")
        self.assertEqual((result.returncode, doc["status"]), (1, "warning"))
        result, doc = self.health("--min-hit-rate", "0.9", "--critical-hit-rate", "0.65")
        self.assertEqual((result.returncode, doc["status"]), (2, "critical"))
        self.assertEqual(doc["checks"][1]["threshold"], 0.65)

        redis_cli(6443, "config", "set", "maxmemory", "100mb")
        try:
            result, doc = self.health("--min-hit-rate", "0", "--max-memory-ratio", "0.00001")
            self.assertEqual((result.returncode, doc["checks"][2]["status"]), (1, "warning"))
            result, doc = self.health("--min-hit-rate", "0", "--max-evictions-per-sec", "0", "--window", "0.2")
            self.assertEqual(result.returncode, 0, result.stdout)
            self.assertEqual(doc["checks"][3]["name"], "redis-evictions")
            self.assertEqual(doc["checks"][3]["value"], 0)
        finally:
            redis_cli(6443, "config", "set", "maxmemory", "0")

        text = run("health", "--redis-url", self.redis, "--database-url", self.database, "--min-hit-rate", "0.5")
        self.assertEqual(text.returncode, 0)
        lines = text.stdout.splitlines()
        self.assertEqual(len(lines), 5)
        self.assertEqual(lines[1], "OK redis-hit-rate 0.6 >= 0.5")
        for line in lines:
            self.assertRegex(line, r"^(OK|WARNING|CRITICAL|UNKNOWN) [a-z-]+ \S")

    def test_pending_migrations_warn(self):
        db = "clitest_health_empty_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", DATABASE_URL, "-qc", f"create database {db}"], check=True)
        try:
            url = DATABASE_URL.rsplit("/", 1)[0] + "/" + db
            result, doc = self.health("--min-hit-rate", "0", database=url)
        finally:
            subprocess.run(["psql", DATABASE_URL, "-qc", f"drop database {db} with (force)"], check=True)
        self.assertEqual((result.returncode, doc["status"]), (1, "warning"))
        migrations = doc["checks"][-1]
        self.assertEqual((migrations["name"], migrations["status"]), ("schema-migrations", "warning"))
        self.assertIn("pending", migrations["message"])

    def test_unreachable_servers_are_critical(self):
        closed = free_port_closed()
        result, doc = run_json("health", "--redis-url", f"redis://127.0.0.1:{closed}/0", "--no-postgres")
        self.assertEqual((result.returncode, doc["status"]), (2, "critical"))
        self.assertEqual(doc["checks"][0]["name"], "redis-reachable")
        self.assertIn("refused", doc["checks"][0]["message"])
        self.assertNotIn("error", doc)

        result, doc = self.health("--min-hit-rate", "0", database=f"postgresql://u:secret-pw@127.0.0.1:{closed}/db")
        self.assertEqual((result.returncode, doc["status"]), (2, "critical"))
        self.assertEqual(doc["checks"][-1]["name"], "postgres-reachable")
        self.assertNotIn("secret-pw", result.stdout + result.stderr)

    def test_silent_redis_gives_up_within_timeout(self):
        silent = SilentServer()
        try:
            # The subprocess timeout only guards against a hang; no timing is asserted.
            result, doc = run_json("health", "--timeout", "1", "--redis-url", f"redis://127.0.0.1:{silent.port}/0",
                                   "--no-postgres", timeout=30)
        finally:
            silent.close()
        self.assertEqual((result.returncode, doc["status"]), (2, "critical"))

    def test_bad_flags_are_usage(self):
        for args in (["--min-hit-rate", "1.5"], ["--window", "0"], ["--max-evictions-per-sec", "-1"], ["--bogus"]):
            result = run("health", "--redis-url", self.redis, "--no-postgres", *args)
            self.assertEqual(result.returncode, 64, (args, result.stderr))


class LintTests(unittest.TestCase):
    def setUp(self):
        self.server = RedisServer(6444)
        self.url = "redis://127.0.0.1:6444/0"

    def tearDown(self):
        self.server.stop()

    def plant_clean(self):
        redis_pipe(6444, [["SET", "perm:1:2:product:read", "true", "EX", "300"],
                          ["SET", "user:orgs:1", "[]", "EX", "900"],
                          ["SET", "product:1", "{}", "EX", "1700"],
                          ["SET", "vendor:2:earnings:2025-01", "{}", "EX", "3600"]])

    def test_clean_keyspace(self):
        self.plant_clean()
        result, doc = run_json("cache", "lint", "--redis-url", self.url)
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertEqual((doc["findings"], doc["errors"], doc["warnings"]), ([], 0, 0))
        self.assertEqual(doc["scannedKeys"], 4)
        text = run("cache", "lint", "--redis-url", self.url)
        self.assertEqual(text.stdout, "no findings in 4 keys of db0\n")

    def test_planted_violations(self):
        self.plant_clean()
        redis_pipe(6444, [["SET", "vendor:7:balance", "\"10.00\""],
                          ["SET", "perm:3:2:product:read", "true"],
                          ["SET", "user:5:orgs", "[]", "EX", "600"],
                          ["SET", "product:2", "{}", "EX", "7200"],
                          ["SET", "category:1:products", "x" * 5000, "EX", "600"],
                          ["SET", b"tmp:\x00\xff", "x"]])
        result, doc = run_json("cache", "lint", "--max-value-bytes", "2000", "--redis-url", self.url)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual((doc["errors"], doc["warnings"]), (3, 3))
        found = {(f["rule"], f["key"]) for f in doc["findings"]}
        self.assertEqual(found, {("cached-vendor-balance", "vendor:7:balance"),
                                 ("missing-ttl", "perm:3:2:product:read"),
                                 ("ttl-above-policy", "product:2"),
                                 ("legacy-key-form", "user:5:orgs"),
                                 ("value-too-large", "category:1:products"),
                                 ("unknown-key", "tmp:\\x00\\xff")})
        for finding in doc["findings"]:
            self.assertEqual(list(finding), ["severity", "rule", "key", "message"])
        self.assertEqual([f["severity"] for f in doc["findings"]][:3], ["error"] * 3)

        capped, doc = run_json("cache", "lint", "--max-findings", "1", "--max-value-bytes", "2000",
                               "--redis-url", self.url)
        self.assertEqual(capped.returncode, 1)
        self.assertEqual(len(doc["findings"]), 1)
        self.assertEqual((doc["errors"], doc["warnings"], doc["truncated"]), (3, 3, True))

        table = run("cache", "lint", "--max-value-bytes", "2000", "--redis-url", self.url)
        self.assertEqual(table.returncode, 1)
        self.assertIn("tmp:\\x00\\xff", table.stdout)
        self.assertIn("3 errors, 3 warnings in 10 keys of db0", table.stdout)

    def test_warnings_alone_exit_0(self):
        redis_pipe(6444, [["SET", "tmp:1", "x"], ["SET", "user:1:orgs", "[]", "EX", "60"]])
        result, doc = run_json("cache", "lint", "--redis-url", self.url)
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertEqual((doc["errors"], doc["warnings"]), (0, 2))

    def test_key_prefix(self):
        redis_pipe(6444, [["SET", "app:perm:1:2:product:read", "true"]])
        result, doc = run_json("cache", "lint", "--key-prefix", "app:", "--redis-url", self.url)
        self.assertEqual(result.returncode, 1)
        self.assertEqual([(f["rule"], f["key"]) for f in doc["findings"]], [("missing-ttl", "app:perm:1:2:product:read")])


if __name__ == "__main__":
    unittest.main()
