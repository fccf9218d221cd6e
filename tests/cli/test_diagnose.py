"""The diagnostics on the real binary: slowlog, clients, latency, top keys, cache ttl,
cache export/import. They read server-wide state (slow log, client list, the whole
keyspace), so they run against a redis-server of their own (ports 6540-6549 belong to
these tests)."""
import base64
import json
import os
import socket
import subprocess
import tempfile
import time
import unittest

from tests.cli.support import DATABASE_URL, RedisServer, SeededDatabase, base_env, run, run_json

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



def open_client(name=None, *commands):
    """A raw connection to the test server that stays open, named `name`, after `commands`."""
    sock = socket.create_connection(("127.0.0.1", PORT))
    if name:
        commands = (("CLIENT", "SETNAME", name),) + commands
    for command in commands:
        sock.sendall(("*%d\r\n" % len(command) + "".join("$%d\r\n%s\r\n" % (len(a), a) for a in command)).encode())
    return sock


def read_reply(sock):
    sock.settimeout(5)
    return sock.recv(4096)


class ClientsTests(DiagnoseCase):
    def setUp(self):
        super().setUp()
        self.sockets = []

    def tearDown(self):
        for sock in self.sockets:
            sock.close()

    def client(self, name=None, *commands):
        sock = open_client(name, *commands)
        if name:
            self.assertEqual(read_reply(sock), b"+OK\r\n")
        self.sockets.append(sock)
        return sock

    def test_groups_by_name_with_blocked_workers(self):
        self.client("api-1")
        self.client("api-1")
        self.client("worker-1", ("BLPOP", "queue:nothing", "0"))
        # CLIENT LIST shows the worker blocked once BLPOP has reached the server.
        for _ in range(100):
            if "flags=b" in redis_cli("CLIENT", "LIST"):
                break
            time.sleep(0.02)
        result, data = self.wwctl_json("clients")
        self.assertEqual(result.returncode, 0, result.stderr)
        groups = {g["key"]: g for g in data["groups"]}
        self.assertEqual(groups["api-1"]["connections"], 2)
        self.assertEqual(groups["api-1"]["blocked"], 0)
        self.assertEqual(groups["worker-1"]["blocked"], 1)
        self.assertEqual(data["blocked"], 1)
        self.assertEqual(data["groupBy"], "name")
        self.assertIsNone(data["killed"])
        self.assertEqual(data["connections"], sum(g["connections"] for g in data["groups"]))
        by_cmd = {g["key"] for g in self.wwctl_json("clients", "--group-by", "cmd")[1]["groups"]}
        self.assertIn("blpop", by_cmd)
        by_addr = self.wwctl_json("clients", "--group-by", "addr")[1]["groups"]
        self.assertEqual([g["key"] for g in by_addr], ["127.0.0.1"])
        table = self.wwctl("clients").stdout
        self.assertIn("worker-1", table)
        self.assertIn("oldest idle", table)

    def test_kill_idle_asks_first_and_spares_blocked_clients(self):
        idle = self.client("idle-app")
        self.client("worker-1", ("BLPOP", "queue:nothing", "0"))
        time.sleep(2.2)  # idle for at least 2 whole seconds, as CLIENT LIST counts them
        result = self.wwctl("clients", "--kill-idle", "2", input="")
        self.assertUsageError(result, "without --yes")
        self.assertIn("name=idle-app", redis_cli("CLIENT", "LIST"))
        result, data = self.wwctl_json("clients", "--kill-idle", "2", "--yes")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(data["killed"], 1)
        self.assertEqual(read_reply(idle), b"")  # closed by the server
        listing = redis_cli("CLIENT", "LIST")
        self.assertNotIn("name=idle-app", listing)
        self.assertIn("name=worker-1", listing)

    def test_bad_input(self):
        self.assertUsageError(self.wwctl("clients", "--group-by", "color"), "--group-by")
        self.assertUsageError(self.wwctl("clients", "--kill-idle", "0"), "--kill-idle must be at least 1")



class LatencyTests(DiagnoseCase):
    def test_redis_and_postgres_round_trips(self):
        result, data = run_json("latency", "--count", "7", "--interval", "0", "--redis-url", self.url,
                                "--database-url", DATABASE_URL)
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ("redis", "postgres"):
            server = data[name]
            self.assertTrue(server["ok"], server)
            self.assertEqual(server["samples"], 7)
            self.assertEqual(sum(b["count"] for b in server["histogram"]), 7)
            self.assertLessEqual(server["minMs"], server["p50Ms"])
            self.assertLessEqual(server["p50Ms"], server["p90Ms"])
            self.assertLessEqual(server["p99Ms"], server["maxMs"])
        self.assertIsInstance(data["redis"]["doctor"], str)
        self.assertFalse(data["interrupted"])

    def test_latency_events_from_the_server(self):
        redis_cli("CONFIG", "SET", "latency-monitor-threshold", "1")
        try:
            redis_cli("LATENCY", "RESET")
            # A script busy for well over a millisecond: the monitor records a "command" event.
            redis_cli("EVAL", "local i = 0 while i < 5000000 do i = i + 1 end return i", "0")
            result, data = self.wwctl_json("latency", "--count", "2", "--no-postgres")
        finally:
            redis_cli("CONFIG", "SET", "latency-monitor-threshold", "0")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIsNone(data["postgres"])
        self.assertIn("command", [e["event"] for e in data["redis"]["events"]])
        self.assertGreaterEqual(data["redis"]["events"][0]["maxMs"], 1)

    def test_table_has_a_histogram_and_ndjson_a_line_per_server(self):
        result = self.wwctl("latency", "--count", "5", "--interval", "0", "--no-postgres")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("5 round trips", result.stdout)
        self.assertRegex(result.stdout, r"≤ [0-9.]+ ms +[0-9]+ #")
        self.assertNotIn("█", result.stdout)  # not a terminal: plain marks
        lines = self.wwctl("latency", "--count", "2", "--interval", "0", "--database-url", DATABASE_URL,
                           "-o", "ndjson").stdout.splitlines()
        self.assertEqual([json.loads(line)["server"] for line in lines], ["redis", "postgres"])

    def test_an_unreachable_postgres_is_reported_with_exit_69(self):
        result, data = self.wwctl_json("latency", "--count", "2", "--database-url", "postgresql://u@127.0.0.1:1/d")
        self.assertEqual(result.returncode, 69, result.stderr)
        self.assertTrue(data["redis"]["ok"])
        self.assertFalse(data["postgres"]["ok"])
        self.assertIn("127.0.0.1:1", data["postgres"]["error"])

    def test_bad_input(self):
        self.assertUsageError(self.wwctl("latency", "--count", "0"), "--count must be at least 1")
        self.assertUsageError(self.wwctl("latency", "--interval", "61"), "--interval must be between 0 and 60")
        self.assertUsageError(self.wwctl("latency", "--interval", "-1"), "is negative")



def redis_send(*commands, port=PORT):
    """Sends commands (lists of str/bytes) in one pipeline and waits for every reply."""
    out = bytearray()
    for command in commands:
        out += b"*%d\r\n" % len(command)
        for arg in command:
            data = arg if isinstance(arg, bytes) else str(arg).encode()
            out += b"$%d\r\n%s\r\n" % (len(data), data)
    result = subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=bytes(out), capture_output=True, check=True)
    assert b"errors: 0" in result.stdout, result.stdout


class TopKeysTests(DiagnoseCase):
    def setUp(self):
        super().setUp()
        redis_send(
            ["SET", "product:1:with-variants", "v" * 600_000, "EX", "1800"],
            ["SET", "product:2:with-variants", "v" * 2_000, "EX", "1800"],
            ["SET", "product:3", "p" * 100, "EX", "60"],
            ["SET", "perm:1:2:product:read", "1"],  # no TTL in a family that needs one
            ["SET", "org:5", "{}", "EX", "100000"],  # above org's 1800 s
            ["RPUSH", "queue:jobs", *[str(i) for i in range(50)]],
            ["HSET", "cart:9", *[x for i in range(20) for x in (f"f{i}", "1")], ],
            ["SET", b"bin:\xff\x00", "x", "EX", "30"],
        )

    def test_by_memory_overall_and_per_family_with_policies(self):
        result, data = self.wwctl_json("top", "keys", "--limit", "3")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(data["by"], "memory")
        self.assertEqual(data["keysScanned"], 8)
        self.assertTrue(data["complete"])
        top = data["keys"][0]
        self.assertEqual(top["key"], "product:1:with-variants")
        self.assertEqual(top["family"], "product-variants")
        self.assertEqual(top["type"], "string")
        self.assertEqual(top["length"], 600_000)
        self.assertGreater(top["memoryBytes"], 600_000)
        self.assertTrue(top["aboveSizeLimit"])
        self.assertEqual(top["ttlPolicySeconds"], 1800)
        self.assertEqual(len(data["keys"]), 3)
        sizes = [k["memoryBytes"] for k in data["keys"]]
        self.assertEqual(sizes, sorted(sizes, reverse=True))
        families = {f["name"]: f for f in data["families"]}
        self.assertEqual(families["product-variants"]["keys"], 2)
        self.assertEqual([k["key"] for k in families["product-variants"]["top"]],
                         ["product:1:with-variants", "product:2:with-variants"])
        self.assertEqual(families["perm"]["withoutTtl"], 1)
        self.assertEqual(families["org"]["aboveTtlPolicy"], 1)
        self.assertEqual(families[None]["keys"], 2)  # queue:jobs and the binary key
        self.assertEqual(sum(f["keys"] for f in data["families"]), 8)

    def test_by_length_uses_the_length_of_each_type(self):
        result, data = self.wwctl_json("top", "keys", "--by", "length", "--limit", "3")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([(k["key"], k["type"], k["length"]) for k in data["keys"]],
                         [("product:1:with-variants", "string", 600_000), ("product:2:with-variants", "string", 2_000),
                          ("product:3", "string", 100)])
        result, data = self.wwctl_json("top", "keys", "--by", "length", "--family", "cart")
        self.assertEqual([(k["key"], k["type"], k["length"]) for k in data["keys"]], [("cart:9", "hash", 20)])
        self.assertEqual([f["name"] for f in data["families"]], ["cart"])

    def test_by_ttl_closest_first_and_keys_missing_a_required_ttl(self):
        result, data = self.wwctl_json("top", "keys", "--by", "ttl", "--limit", "2")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([k["key"] for k in data["keys"]], ['"bin:\\xff\\x00"', "product:3"])
        self.assertEqual(sorted(k["key"] for k in data["withoutRequiredTtl"]), ["cart:9", "perm:1:2:product:read"])
        org = [k for k in self.wwctl_json("top", "keys", "--by", "ttl", "--family", "org")[1]["keys"]][0]
        self.assertTrue(org["aboveTtlPolicy"])

    def test_sample_table_and_ndjson(self):
        result, data = self.wwctl_json("top", "keys", "--sample", "3")
        self.assertEqual(data["keysScanned"], 3)
        self.assertFalse(data["complete"])
        table = self.wwctl("top", "keys")
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertIn("above 512K", table.stdout)
        self.assertIn("TTL above policy", self.wwctl("top", "keys", "--limit", "20").stdout)
        self.assertIn("#", table.stdout)
        self.assertNotIn("█", table.stdout)
        lines = self.wwctl("top", "keys", "--limit", "4", "-o", "ndjson").stdout.splitlines()
        self.assertEqual(len(lines), 4)
        self.assertEqual(json.loads(lines[0])["key"], "product:1:with-variants")

    def test_bad_input(self):
        self.assertUsageError(self.wwctl("top", "keys", "--by", "size"), "--by")
        self.assertUsageError(self.wwctl("top", "keys", "--family", "prodcut"), "unknown family 'prodcut'")
        self.assertUsageError(self.wwctl("top", "keys", "--limit", "0"), "--limit must be at least 1")
        self.assertUsageError(self.wwctl("top", "keys", "--sample", "0"), "--sample must be at least 1")



class CacheTTLTests(DiagnoseCase):
    def setUp(self):
        super().setUp()
        redis_send(["SET", "product:1", "{}", "EX", "100"], ["SET", "perm:1:2:product:read", "1", "EX", "50"],
                   ["SET", b"bin:\xff", "x"])

    def test_shows_sets_and_persists(self):
        result, data = self.wwctl_json("cache", "ttl", "product:1", '"bin:\\xff"')
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([(k["key"], k["family"], k["exists"], k["changed"]) for k in data],
                         [("product:1", "product", True, False), ('"bin:\\xff"', None, True, False)])
        self.assertEqual(data[1]["ttlMs"], -1)
        result, data = self.wwctl_json("cache", "ttl", "product:1", '"bin:\\xff"', "--set", "600")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(all(k["changed"] for k in data))
        self.assertEqual(int(redis_cli("TTL", "product:1")), 600)
        self.assertLessEqual(data[0]["previousTtlMs"], 100_000)
        self.assertEqual(data[0]["ttlPolicySeconds"], 1800)
        self.assertFalse(data[0]["againstPolicy"])
        result, data = self.wwctl_json("cache", "ttl", "perm:1:2:product:read", "--persist")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(int(redis_cli("TTL", "perm:1:2:product:read")), -1)
        self.assertTrue(data[0]["againstPolicy"])  # perm needs a TTL
        self.assertIn("against perm's policy", result.stderr)

    def test_a_ttl_above_policy_is_warned_about(self):
        result = self.wwctl("cache", "ttl", "perm:1:2:product:read", "--set", "3600")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("warning:", result.stderr)
        self.assertIn("against policy", result.stdout)

    def test_missing_keys_exit_1_and_the_rest_is_done(self):
        result, data = self.wwctl_json("cache", "ttl", "product:1", "product:999", "--set", "60")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual([k["exists"] for k in data], [True, False])
        self.assertEqual(data[1]["ttlMs"], -2)
        self.assertIn("no key product:999", result.stderr)
        self.assertEqual(int(redis_cli("TTL", "product:1")), 60)
        self.assertEqual(redis_cli("EXISTS", "product:999"), "0")

    def test_bad_input_changes_nothing(self):
        self.assertUsageError(self.wwctl("cache", "ttl", "--set", "5"), "give at least one KEY")
        self.assertUsageError(self.wwctl("cache", "ttl", "product:1", "--set", "5", "--persist"), "not both")
        self.assertUsageError(self.wwctl("cache", "ttl", "product:1", "--set", "0"), "--set must be at least 1")
        self.assertUsageError(self.wwctl("cache", "ttl", "product:1", "--set", "soon"), "--set")
        self.assertLessEqual(int(redis_cli("TTL", "product:1")), 100)



def redis_get_bytes(key):
    """GET of a binary key (redis-cli cannot take a NUL in an argument): the value's bytes."""
    with socket.create_connection(("127.0.0.1", PORT)) as sock:
        sock.sendall(b"*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n" % (len(key), key))
        reply = b""
        while not reply.endswith(b"\r\n") or reply.count(b"\r\n") < 2:
            reply += sock.recv(65536)
        header, rest = reply.split(b"\r\n", 1)
        assert header.startswith(b"$") and header != b"$-1", header
        return rest[:int(header[1:])]


class ExportImportTests(DiagnoseCase):
    def setUp(self):
        super().setUp()
        redis_send(
            ["SET", "product:1", '{"id":1,"name":"Lamp"}', "EX", "1000"],
            ["SET", b"product:\xff\x00bin", b"\x00\xffraw\r\n"],
            ["HSET", "product:2", "a", "1", "b", b"\xfe"],
            ["SET", "org:1", "{}"],
        )
        self.path = tempfile.mktemp(suffix=".ndjson")

    def tearDown(self):
        if os.path.exists(self.path):
            os.remove(self.path)

    def export(self, *args):
        result = self.wwctl("cache", "export", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.path, "w") as f:
            f.write(result.stdout)
        return [json.loads(line) for line in result.stdout.splitlines()]

    def test_round_trip_is_byte_exact_with_ttls(self):
        records = {r["key"]: r for r in self.export("product:*")}
        self.assertEqual(set(records), {"product:1", '"product:\\xff\\x00bin"', "product:2"})
        self.assertEqual(records["product:1"]["value"], {"id": 1, "name": "Lamp"})
        self.assertGreater(records["product:1"]["ttlMs"], 990_000)
        self.assertIsNotNone(records["product:1"]["expiresAtMs"])
        binary = records['"product:\\xff\\x00bin"']
        self.assertEqual(base64.b64decode(binary["keyBase64"]), b"product:\xff\x00bin")
        self.assertEqual(base64.b64decode(binary["valueBase64"]), b"\x00\xffraw\r\n")
        self.assertIsNone(binary["expiresAtMs"])
        self.assertEqual(records["product:2"]["type"], "hash")
        before = subprocess.run(["redis-cli", "-p", str(PORT), "--no-raw", "HGETALL", "product:2"], capture_output=True).stdout
        redis_cli("FLUSHALL")
        result, data = self.wwctl_json("cache", "import", self.path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(data, {"restored": 3, "replaced": 0, "skippedExisting": 0, "skippedExpired": 0, "records": 3})
        self.assertEqual(redis_get_bytes(b"product:\xff\x00bin"), b"\x00\xffraw\r\n")
        self.assertEqual(subprocess.run(["redis-cli", "-p", str(PORT), "--no-raw", "HGETALL", "product:2"], capture_output=True).stdout, before)
        self.assertGreater(int(redis_cli("TTL", "product:1")), 990)
        self.assertEqual(int(redis_cli("TTL", "product:2")), -1)
        self.assertEqual(redis_cli("EXISTS", "org:1"), "0")

    def test_existing_keys_are_left_alone_unless_replace_which_asks_first(self):
        self.export("product:1")
        redis_cli("SET", "product:1", "changed")
        result, data = self.wwctl_json("cache", "import", self.path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(data["skippedExisting"], 1)
        self.assertEqual(redis_cli("GET", "product:1"), "changed")
        self.assertUsageError(self.wwctl("cache", "import", self.path, "--replace", input=""), "without --yes")
        self.assertEqual(redis_cli("GET", "product:1"), "changed")
        result, data = self.wwctl_json("cache", "import", self.path, "--replace", "--yes")
        self.assertEqual((data["restored"], data["replaced"]), (1, 1))
        self.assertEqual(redis_cli("GET", "product:1"), '{"id":1,"name":"Lamp"}')

    def test_replace_on_a_production_profile_needs_its_name(self):
        self.export("product:1")
        redis_cli("SET", "product:1", "changed")
        env = base_env()
        os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "wwctl"))
        with open(os.path.join(env["XDG_CONFIG_HOME"], "wwctl", "config.json"), "w") as f:
            json.dump({"profiles": {"live": {"redisUrl": self.url, "production": True}}}, f)
        result = run("cache", "import", self.path, "--replace", "--yes", "--profile", "live", env=env)
        self.assertUsageError(result, "--confirm-production live")
        self.assertEqual(redis_cli("GET", "product:1"), "changed")
        result = run("cache", "import", self.path, "--replace", "--yes", "--profile", "live",
                     "--confirm-production", "live", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(redis_cli("GET", "product:1"), '{"id":1,"name":"Lamp"}')

    def test_expired_records_are_skipped(self):
        records = self.export("product:1")
        records[0]["expiresAtMs"] = int(time.time() * 1000) - 1000
        with open(self.path, "w") as f:
            f.write(json.dumps(records[0]) + "\n")
        redis_cli("FLUSHALL")
        result, data = self.wwctl_json("cache", "import", self.path)
        self.assertEqual((data["restored"], data["skippedExpired"]), (0, 1))
        self.assertEqual(redis_cli("EXISTS", "product:1"), "0")

    def test_a_bad_line_restores_nothing(self):
        self.export("product:*")
        with open(self.path, "a") as f:
            f.write('{"keyBase64": "not base64!", "dump": "AAA="}\n')
        redis_cli("FLUSHALL")
        result = self.wwctl("cache", "import", self.path)
        self.assertEqual(result.returncode, 65, result.stderr)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1)
        self.assertIn("line 4: keyBase64", result.stderr)
        self.assertEqual(redis_cli("DBSIZE"), "0")
        result = self.wwctl("cache", "import", "/nonexistent/file.ndjson")
        self.assertEqual(result.returncode, 65)
        self.assertIn("cannot open /nonexistent/file.ndjson", result.stderr)

    def test_json_output_and_bad_usage(self):
        result, data = self.wwctl_json("cache", "export", "org:*")
        self.assertEqual([r["key"] for r in data], ["org:1"])
        self.assertIn("exported 1 key", result.stderr)
        self.assertUsageError(self.wwctl("cache", "export"), "pattern")
        self.assertUsageError(self.wwctl("cache", "import"), "file")



class CacheVerifyTests(DiagnoseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = SeededDatabase("verify")

    @classmethod
    def tearDownClass(cls):
        cls.db.drop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        result = self.wwctl("cache", "warm", "product", "product-variants", "perm", "--yes")
        self.assertEqual(result.returncode, 0, result.stderr)

    def wwctl(self, *args, **kw):
        return run(*args, "--redis-url", self.url, "--database-url", self.db.url, **kw)

    def wwctl_json(self, *args, **kw):
        return run_json(*args, "--redis-url", self.url, "--database-url", self.db.url, **kw)

    def psql(self, sql):
        subprocess.run(["psql", self.db.url, "-qc", sql], check=True)

    def test_a_fresh_warm_matches(self):
        result, data = self.wwctl_json("cache", "verify", "--family", "product", "--family", "perm", "--sample", "30")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([f["family"] for f in data["families"]], ["perm", "product"])
        for family in data["families"]:
            self.assertEqual(family["sampled"], 30)
            self.assertEqual(family["matching"], 30, family["findings"])
        self.assertEqual((data["stale"], data["orphaned"], data["fixed"]), (0, 0, False))

    def test_stale_orphaned_and_ttl_above_policy_then_fix(self):
        name = subprocess.run(["psql", self.db.url, "-tAc", "select name from products where id = 1"],
                              capture_output=True, text=True, check=True).stdout.strip()
        self.psql("update products set name = name || ' (renamed)' where id = 1")
        try:
            redis_cli("SET", "product:999999", '{"id":999999}', "EX", "600")
            redis_cli("EXPIRE", "product:2", "100000")
            result, data = self.wwctl_json("cache", "verify", "--family", "product", "--sample", "100000")
            self.assertEqual(result.returncode, 1, result.stderr)
            product = data["families"][0]
            findings = {f["key"]: f for f in product["findings"]}
            self.assertEqual(findings["product:1"]["status"], "stale")
            self.assertEqual(findings["product:1"]["differences"],
                             [{"field": "name", "cached": name, "expected": name + " (renamed)"}])
            self.assertEqual(findings["product:999999"]["status"], "orphaned")
            self.assertTrue(findings["product:2"]["ttlAbovePolicy"])
            self.assertEqual(findings["product:2"]["status"], "matching")
            self.assertEqual((product["stale"], product["orphaned"], product["ttlAbovePolicy"]), (1, 1, 1))
            table = self.wwctl("cache", "verify", "--family", "product", "--sample", "100000")
            self.assertIn("product product:1: stale", table.stdout)
            self.assertIn("(renamed)", table.stdout)

            # --fix asks first: refused without a terminal, nothing deleted.
            result = self.wwctl("cache", "verify", "--family", "product", "--sample", "100000", "--fix", input="")
            self.assertUsageError(result, "without --yes")
            self.assertEqual(redis_cli("EXISTS", "product:1", "product:999999"), "2")

            result, data = self.wwctl_json("cache", "verify", "--family", "product", "--sample", "100000", "--fix", "--yes")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(data["fixed"])
            self.assertEqual(data["families"][0]["deleted"], 2)
            self.assertEqual(redis_cli("EXISTS", "product:1", "product:999999", "product:2"), "1")
            self.assertTrue(redis_cli("KEYS", "wwctl:*"))  # the epochs were bumped
            again, data = self.wwctl_json("cache", "verify", "--family", "product", "--sample", "100000")
            self.assertEqual((data["stale"], data["orphaned"]), (0, 0))
        finally:
            self.psql(f"update products set name = '{name}' where id = 1")

    def test_bad_input(self):
        self.assertUsageError(self.wwctl("cache", "verify", "--family", "session"), "cannot be warmed")
        self.assertUsageError(self.wwctl("cache", "verify", "--family", "prodcut"), "unknown family 'prodcut'")
        self.assertUsageError(self.wwctl("cache", "verify", "--sample", "0"), "--sample must be at least 1")



class TopHotTests(DiagnoseCase):
    LFU_PORT = 6541

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # lfu-log-factor 0: the counter goes up by one per access, so the ranking is exact.
        cls.lfu = RedisServer(cls.LFU_PORT, "--maxmemory-policy", "allkeys-lfu", "--lfu-log-factor", "0")
        cls.lfu_url = f"redis://127.0.0.1:{cls.LFU_PORT}/0"

    @classmethod
    def tearDownClass(cls):
        cls.lfu.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        redis_cli("FLUSHALL", port=self.LFU_PORT)
        # Distinct values: equal small integers would share one object, and its counter.
        redis_send(["SET", "product:1", "{1}"], ["SET", "product:2", "{2}"], ["SET", "perm:1:2:product:read", "true"],
                   ["SET", "other:x", "x"], port=self.LFU_PORT)
        redis_send(*[["GET", "product:2"]] * 40, *[["GET", "perm:1:2:product:read"]] * 20, *[["GET", "product:1"]] * 10,
                   port=self.LFU_PORT)

    def test_ranks_by_lfu_counter_overall_and_per_family(self):
        result, data = run_json("top", "hot", "--redis-url", self.lfu_url)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(data["policy"], "allkeys-lfu", data)
        self.assertEqual([k["key"] for k in data["keys"]], ["product:2", "perm:1:2:product:read", "product:1", "other:x"])
        freqs = [k["frequency"] for k in data["keys"]]
        self.assertEqual(freqs, sorted(freqs, reverse=True))
        self.assertGreater(freqs[0], freqs[1])
        families = {f["name"]: f for f in data["families"]}
        self.assertEqual(families["product"]["keys"], 2)
        self.assertEqual(families["product"]["top"][0]["key"], "product:2")
        self.assertEqual(families[None]["keys"], 1)
        result, data = run_json("top", "hot", "--family", "perm", "--redis-url", self.lfu_url)
        self.assertEqual([k["key"] for k in data["keys"]], ["perm:1:2:product:read"])
        table = run("top", "hot", "--redis-url", self.lfu_url).stdout
        self.assertIn("allkeys-lfu", table)
        self.assertIn("#", table)

    def test_without_an_lfu_policy_it_says_so(self):
        result = self.wwctl("top", "hot")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("maxmemory-policy is noeviction", result.stderr)

    def test_bad_input(self):
        self.assertUsageError(self.wwctl("top", "hot", "--limit", "0"), "--limit must be at least 1")
        self.assertUsageError(self.wwctl("top", "hot", "--family", "nope"), "unknown family 'nope'")



class CacheDoctorTests(DiagnoseCase):
    def findings(self, data):
        return {(f["check"], f["status"]): f for f in data["findings"]}

    def test_warnings_with_evidence_and_exit_1(self):
        redis_send(["SET", "perm:1:2:product:read", "true"], ["SET", "product:1", "p" * 600_000, "EX", "60"],
                   ["SET", "org:5", "{}", "EX", "100000"])
        result, data = self.wwctl_json("cache", "doctor", "--window", "0")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(data["status"], "warning")
        self.assertEqual(data["keysWalked"], 3)
        found = self.findings(data)
        self.assertIn("no maxmemory", found[("maxmemory", "warning")]["message"])
        messages = [f["message"] for f in data["findings"] if f["check"] == "ttl"]
        self.assertTrue(any("perm: 1 keys without TTL" in m for m in messages), messages)
        self.assertTrue(any("org: 1 keys with a TTL above the policy" in m for m in messages), messages)
        big = found[("big-keys", "warning")]
        self.assertTrue(big["evidence"][0].startswith("product:1 "), big)
        self.assertTrue(big["recommendation"])
        table = self.wwctl("cache", "doctor", "--window", "0")
        self.assertEqual(table.returncode, 1)
        self.assertIn("WARNING  maxmemory", table.stdout)
        self.assertIn("→ set maxmemory", table.stdout)

    def test_allkeys_policy_with_keys_without_ttl(self):
        redis_cli("CONFIG", "SET", "maxmemory", "1gb")
        redis_cli("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")
        try:
            redis_cli("CONFIG", "RESETSTAT")
            redis_send(["RPUSH", "queue:jobs", "a"], ["SET", "product:1", "{}", "EX", "60"])
            result, data = self.wwctl_json("cache", "doctor", "--window", "0")
            found = self.findings(data)
            self.assertIn("allkeys-lru evicts any key", found[("eviction-policy", "warning")]["message"])
            self.assertEqual(found[("maxmemory", "ok")]["status"], "ok")
            redis_cli("CONFIG", "SET", "maxmemory-policy", "volatile-lru")
            result, data = self.wwctl_json("cache", "doctor", "--window", "0")
            self.assertEqual(result.returncode, 0, data)
            self.assertEqual(data["status"], "ok")
        finally:
            redis_cli("CONFIG", "SET", "maxmemory", "0")
            redis_cli("CONFIG", "SET", "maxmemory-policy", "noeviction")

    def test_unreachable_is_unknown_and_bad_input(self):
        result = run("cache", "doctor", "--redis-url", "redis://127.0.0.1:1/0")
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertUsageError(self.wwctl("cache", "doctor", "--min-hit-rate", "2"), "--min-hit-rate must be between 0 and 1")
        self.assertUsageError(self.wwctl("cache", "doctor", "--sample", "0"), "--sample must be at least 1")


if __name__ == "__main__":
    unittest.main()
