"""cache families / keys / inspect / invalidate on the real binary, against redis-servers of
the tests' own (ports 6465-6466)."""
import json
import signal
import socket
import subprocess
import time
import unittest

from tests.cli.support import WWCTL, RedisServer, base_env, run, run_json


class Resp:
    """Just enough of a Redis client to set binary keys and look at the result."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.reader = self.sock.makefile("rb")

    def close(self):
        self.reader.close()
        self.sock.close()

    @staticmethod
    def encode(args):
        parts = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)

    def cmd(self, *args):
        self.sock.sendall(self.encode(args))
        return self.read()

    def pipeline(self, commands):
        commands = list(commands)
        for start in range(0, len(commands), 5000):
            chunk = commands[start:start + 5000]
            self.sock.sendall(b"".join(self.encode(c) for c in chunk))
            for _ in chunk:
                self.read()

    def read(self):
        line = self.reader.readline()[:-2]
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            return None if size < 0 else self.reader.read(size + 2)[:-2]
        if kind == b"*":
            size = int(rest)
            return None if size < 0 else [self.read() for _ in range(size)]
        raise RuntimeError(f"unexpected reply {line!r}")

    def keys(self):
        """Every key but wwctl's own (invalidations create epoch keys)."""
        cursor, out = b"0", set()
        while True:
            cursor, batch = self.cmd("SCAN", cursor, "COUNT", 1000)
            out.update(k for k in batch if b"wwctl:" not in k)
            if cursor == b"0":
                return out


class CacheCommandTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RedisServer(6465)
        cls.redis = Resp(6465)
        cls.env = base_env(REDIS_URL="redis://127.0.0.1:6465/0")

    @classmethod
    def tearDownClass(cls):
        cls.redis.close()
        cls.server.stop()

    def setUp(self):
        self.redis.cmd("FLUSHALL")

    def set(self, *keys, value="v"):
        self.redis.pipeline(("SET", k, value) for k in keys)

    def wwctl(self, *args, input=None):
        return run(*args, env=self.env, input=input)

    def wwctl_json(self, *args, input=None):
        return run_json(*args, env=self.env, input=input)

    # families

    def test_families_json_has_the_contract_fields(self):
        result, doc = self.wwctl_json("cache", "families")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(doc), 27)
        by_name = {f["name"]: f for f in doc}
        for family in doc:
            self.assertLessEqual({"name", "pattern", "ttlSeconds", "tier", "warmable"}, set(family))
        self.assertEqual(by_name["perm"]["pattern"], "perm:{userId}:{orgId}:{resource}:{action}")
        self.assertEqual(by_name["perm"]["ttlSeconds"], 300)
        self.assertEqual(by_name["perm"]["tier"], "L1")
        self.assertTrue(by_name["perm"]["warmable"])
        self.assertIsNone(by_name["jwt-blacklist"]["ttlSeconds"])
        self.assertEqual(by_name["admin-stats"]["ttlSeconds"], 3600)
        self.assertIn("today", by_name["admin-stats"]["ttlPolicy"])
        self.assertFalse(by_name["org-search"]["warmable"])
        prefixed, doc = run_json("cache", "families", "--key-prefix", "app:", env=self.env)
        self.assertEqual({f["name"]: f for f in doc}["perm"]["scanPattern"], "app:perm:*:*:*:*")
        table = self.wwctl("cache", "families")
        self.assertIn("ratelimit:{subject}:{endpoint}", table.stdout)
        ndjson = self.wwctl("cache", "families", "-o", "ndjson")
        self.assertEqual(len(ndjson.stdout.splitlines()), 27)

    # keys

    def test_keys_are_escaped_as_redis_cli_does(self):
        self.set(b"plain:1", b"plain:bin\n\xff", "plain:café".encode(), b'plain:"q"', b"plain:[1]", b"other:1")
        result = self.wwctl("cache", "keys", "plain:*")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(set(result.stdout.splitlines()), {
            "plain:1", r'"plain:bin\n\xff"', r'"plain:caf\xc3\xa9"', r'"plain:\"q\""', "plain:[1]"})
        result, doc = self.wwctl_json("cache", "keys", "plain:*")
        self.assertEqual(set(doc), {"plain:1", r'"plain:bin\n\xff"', "plain:café", 'plain:"q"', "plain:[1]"})
        limited = self.wwctl("cache", "keys", "plain:*", "--limit", "2")
        self.assertEqual(len(limited.stdout.splitlines()), 2)
        # A quoted pattern is read with redis-cli's escapes.
        binary = self.wwctl("cache", "keys", r'"plain:bin\n*"')
        self.assertEqual(binary.stdout.splitlines(), [r'"plain:bin\n\xff"'])
        # An escaped metacharacter is literal.
        bracket, doc = self.wwctl_json("cache", "keys", r"plain:\[*")
        self.assertEqual(doc, ["plain:[1]"])
        none, doc = self.wwctl_json("cache", "keys", "nothing:*")
        self.assertEqual((none.returncode, doc), (0, []))

    def test_keys_of_a_family_apply_the_prefix_and_the_exact_shape(self):
        self.set("app:stock:1", "app:stock:2", "app:stock:x:y", "stock:3")
        result, doc = run_json("cache", "keys", "--family", "stock", "--key-prefix", "app:", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(doc), ["app:stock:1", "app:stock:2"])
        one, doc = run_json("cache", "keys", "--family", "stock", "--param", "variantId=2", "--key-prefix", "app:", env=self.env)
        self.assertEqual(doc, ["app:stock:2"])

    # inspect

    def test_inspect_each_type(self):
        product = '{"id":7,"name":"Mug","price":"19.99","tags":["a","b"]}'
        self.redis.cmd("SET", "product:7", product, "EX", 1800)
        self.redis.cmd("HSET", "h", "f", "1", "g", b"\xff")
        self.redis.cmd("RPUSH", "l", "a", "b")
        self.redis.cmd("SADD", "s", "m")
        self.redis.cmd("ZADD", "z", "1.5", "m")
        self.redis.cmd("SET", b"bin:\n\xff", b"\x00\xff")
        self.redis.cmd("SET", "perm:1:2:product:read", "true")

        result, doc = self.wwctl_json("cache", "inspect", "product:7")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(doc["key"], "product:7")
        self.assertEqual(doc["type"], "string")
        self.assertGreater(doc["ttlMs"], 1_000_000)
        self.assertEqual(doc["family"], "product")
        self.assertEqual(doc["params"], {"productId": "7"})
        self.assertEqual(doc["value"], json.loads(product))
        self.assertEqual(list(doc["value"]), ["id", "name", "price", "tags"])
        self.assertEqual(doc["valueEncoding"], "json")
        self.assertTrue(doc["exists"])

        _, perm = self.wwctl_json("cache", "inspect", "perm:1:2:product:read")
        self.assertEqual(perm["ttlMs"], -1)
        self.assertIs(perm["value"], True)
        self.assertEqual(perm["params"], {"userId": "1", "orgId": "2", "resource": "product", "action": "read"})

        _, h = self.wwctl_json("cache", "inspect", "h")
        self.assertEqual((h["type"], h["value"], h["family"], h["params"]), ("hash", {"f": "1", "g": r'"\xff"'}, None, {}))
        _, l = self.wwctl_json("cache", "inspect", "l")
        self.assertEqual(l["value"], ["a", "b"])
        _, s = self.wwctl_json("cache", "inspect", "s")
        self.assertEqual(s["value"], ["m"])
        _, z = self.wwctl_json("cache", "inspect", "z")
        self.assertEqual(z["value"], [{"member": "m", "score": 1.5}])
        _, b = self.wwctl_json("cache", "inspect", r'"bin:\n\xff"')
        self.assertEqual((b["key"], b["value"], b["valueEncoding"]), (r'"bin:\n\xff"', r'"\x00\xff"', "binary"))

        # In a pipe the table form shows the value as stored.
        table = self.wwctl("cache", "inspect", "product:7")
        self.assertIn("family  product  productId=7", table.stdout)
        self.assertIn(product, table.stdout)
        listing = self.wwctl("cache", "inspect", "l")
        self.assertIn("INDEX", listing.stdout)

    def test_inspect_honours_the_key_prefix(self):
        self.set("app:org:5")
        _, doc = run_json("cache", "inspect", "app:org:5", "--key-prefix", "app:", env=self.env)
        self.assertEqual((doc["family"], doc["params"]), ("org", {"orgId": "5"}))
        _, doc = self.wwctl_json("cache", "inspect", "app:org:5")
        self.assertIsNone(doc["family"])

    def test_inspect_names_the_canonical_key_of_a_legacy_form_under_the_prefix(self):
        self.set("app:user:7:orgs", "user:7:orgs")
        prefixed = run("cache", "inspect", "app:user:7:orgs", "--key-prefix", "app:", env=self.env)
        self.assertEqual(prefixed.returncode, 0, prefixed.stderr)
        self.assertIn("user-orgs (legacy form; canonical app:user:orgs:7)", prefixed.stdout)
        plain = self.wwctl("cache", "inspect", "user:7:orgs")
        self.assertIn("user-orgs (legacy form; canonical user:orgs:7)", plain.stdout)

    def test_inspect_missing_key_is_a_negative_answer(self):
        result = self.wwctl("cache", "inspect", "no:such")
        self.assertEqual(result.returncode, 1)
        self.assertIn("no key no:such", result.stderr)
        self.assertEqual(result.stdout, "")
        result, doc = self.wwctl_json("cache", "inspect", "no:such")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(doc, {"key": "no:such", "type": "none", "ttlMs": -2, "family": None,
                               "params": {}, "value": None, "exists": False})
        # A missing key of a family still says which family and parameters its name has.
        result, doc = self.wwctl_json("cache", "inspect", "product:987654321")
        self.assertEqual(result.returncode, 1)
        self.assertEqual((doc["family"], doc["params"], doc["exists"]), ("product", {"productId": "987654321"}, False))

    # invalidate

    def test_invalidate_deletes_exactly_the_pattern_among_decoys(self):
        targets = [f"perm:42:{o}:product:read" for o in range(50)]
        decoys = ["perm:420:1:product:read", "perm:4:1:product:read", "perm:4:42:product:read", "perm:42"]
        self.set(*targets, *decoys)
        result, doc = self.wwctl_json("cache", "invalidate", "perm:42:*", "--yes")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual((doc["matched"], doc["deleted"], doc["dryRun"], doc["patterns"]), (50, 50, False, ["perm:42:*"]))
        self.assertFalse(doc["interrupted"])
        self.assertIn("elapsedMs", doc)
        self.assertGreaterEqual(doc["scanned"], 50)
        self.assertEqual(doc["families"], ["perm"])
        self.assertEqual(self.redis.keys(), {d.encode() for d in decoys})
        # Recorded in the change log before anything was deleted (one record: the pattern).
        self.assertTrue(self.redis.cmd("HGET", "wwctl:epochs:log", "seq").endswith(b":1"))

    def test_dry_run_counts_lists_and_deletes_nothing(self):
        self.set(*[f"cart:{u}" for u in range(30)], "carts:1")
        result, doc = self.wwctl_json("cache", "invalidate", "cart:*", "--dry-run", "-v")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual((doc["matched"], doc["deleted"], doc["dryRun"]), (30, 0, True))
        listed = {line for line in result.stderr.splitlines() if line.startswith("cart:")}
        self.assertEqual(listed, {f"cart:{u}" for u in range(30)})
        self.assertEqual(len(self.redis.keys()), 31)
        self.assertIsNone(self.redis.cmd("GET", "wwctl:epoch:cart"))
        table = self.wwctl("cache", "invalidate", "cart:*", "--dry-run")
        self.assertIn("would delete 30 keys", table.stdout)

    def test_match_all_is_refused_even_with_yes(self):
        self.set("perm:1:1:a:b", "x", "app:org:1")
        for pattern in ("*", "*:x", "?erm:*", "[px]*"):
            result = self.wwctl("cache", "invalidate", pattern, "--yes")
            self.assertEqual(result.returncode, 64, (pattern, result.stderr))
            self.assertIn("--all", result.stderr)
        prefixed = run("cache", "invalidate", "app:*", "--yes", "--key-prefix", "app:", env=self.env)
        self.assertEqual(prefixed.returncode, 64)
        self.assertEqual(len(self.redis.keys()), 3)
        everything_under_prefix, doc = run_json("cache", "invalidate", "--all", "--yes", "--key-prefix", "app:", env=self.env)
        self.assertEqual((everything_under_prefix.returncode, doc["deleted"], doc["patterns"]), (0, 1, ["app:*"]))
        result, doc = self.wwctl_json("cache", "invalidate", "*", "--all", "--yes")
        self.assertEqual((result.returncode, doc["deleted"]), (0, 2))
        self.assertEqual(self.redis.keys(), set())

    def test_without_a_terminal_yes_is_required(self):
        self.set("stock:1", "stock:2")
        result = self.wwctl("cache", "invalidate", "stock:*", input="")
        self.assertEqual(result.returncode, 64)
        self.assertIn("--yes", result.stderr)
        by_name = self.wwctl("cache", "invalidate", "stock:1", input="y\n")
        self.assertEqual(by_name.returncode, 64)
        self.assertEqual(len(self.redis.keys()), 2)
        self.assertIsNone(self.redis.cmd("GET", "wwctl:epoch:stock"))

    def test_stdin_patterns_and_keys(self):
        self.set("org:search:a", "org:search:b", "org:1", "product:7", "product:70",
                 b"bin:\n\xff", "session:a[1]", "session:a1", "keep:1")
        stdin = "\n".join([
            "# cron: invalidate searches and two keys",
            "",
            "org:search:*",
            "product:7",
            r'"bin:\n\xff"',
            r"session:a\[1\]",
            "   ",
        ]) + "\n"
        result, doc = self.wwctl_json("cache", "invalidate", "-", "--yes", input=stdin)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual((doc["deleted"], doc["keysNamed"]), (5, 3))
        self.assertEqual(doc["patterns"], ["org:search:*"])
        self.assertEqual(self.redis.keys(), {b"org:1", b"product:70", b"session:a1", b"keep:1"})

        # --exact: every line names a key, glob characters and all.
        self.set("odd:[1]*", "odd:1x")
        result, doc = self.wwctl_json("cache", "invalidate", "--exact", "-", "--yes", input="odd:[1]*\n")
        self.assertEqual((result.returncode, doc["deleted"]), (0, 1))
        self.assertIn(b"odd:1x", self.redis.keys())

        # A refused pattern anywhere in stdin means nothing is deleted.
        refused = self.wwctl("cache", "invalidate", "-", "--yes", input="keep:1\n*\n")
        self.assertEqual(refused.returncode, 64)
        self.assertIn(b"keep:1", self.redis.keys())

        # No spool file possible (a missing TMPDIR): an internal failure (70), not bad input, nothing deleted.
        no_tmp = run("cache", "invalidate", "-", "--yes", input="keep:1\n",
                     env=dict(self.env, TMPDIR="/nonexistent/wwctl-test"))
        self.assertEqual(no_tmp.returncode, 70, no_tmp.stderr)
        self.assertIn("cannot create a spool file in /nonexistent/wwctl-test", no_tmp.stderr)
        self.assertIn(b"keep:1", self.redis.keys())

    def test_family_and_params(self):
        self.set("product:7", "product:7:with-variants", "product:70", "session:a[1]*", "session:a1x",
                 "ratelimit:1:GET:/api/[x]", "ratelimit:2:GET:/api/x")
        result, doc = self.wwctl_json("cache", "invalidate", "--family", "product", "--param", "productId=7", "--yes")
        self.assertEqual((result.returncode, doc["deleted"], doc["patterns"], doc["walks"]), (0, 1, ["product:7"], []))
        result, doc = self.wwctl_json("cache", "invalidate", "--family", "session", "--param", "sessionId=a[1]*", "--yes")
        self.assertEqual(doc["deleted"], 1)
        result, doc = self.wwctl_json("cache", "invalidate", "--family", "ratelimit", "--param", "endpoint=GET:/api/[x]", "--yes")
        self.assertEqual((doc["deleted"], doc["patterns"]), (1, [r"ratelimit:*:GET:/api/\[x\]"]))
        self.assertEqual(self.redis.keys(), {b"product:7:with-variants", b"product:70", b"session:a1x", b"ratelimit:2:GET:/api/x"})

        unknown = self.wwctl("cache", "invalidate", "--family", "prodcut", "--yes")
        self.assertEqual(unknown.returncode, 64)
        self.assertIn("did you mean 'product'", unknown.stderr)
        bad_value = self.wwctl("cache", "invalidate", "--family", "product", "--param", "productId=abc", "--yes")
        self.assertEqual(bad_value.returncode, 65)
        bad_name = self.wwctl("cache", "invalidate", "--family", "product", "--param", "id=1", "--yes")
        self.assertEqual(bad_name.returncode, 64)
        self.assertIn("productId", bad_name.stderr)
        orphan = self.wwctl("cache", "invalidate", "--param", "productId=1", "--yes")
        self.assertEqual(orphan.returncode, 64)
        nothing = self.wwctl("cache", "invalidate", "--yes")
        self.assertEqual(nothing.returncode, 64)
        self.assertEqual(len(self.redis.keys()), 4)

    def test_family_applies_the_key_prefix_and_patterns_do_not(self):
        self.set("app:perm:1:2:a:b", "perm:1:2:a:b", "app:perm:1:2:a")
        result, doc = run_json("cache", "invalidate", "--family", "perm", "--param", "userId=1", "--yes",
                               "--key-prefix", "app:", env=self.env)
        self.assertEqual((result.returncode, doc["deleted"]), (0, 1))
        self.assertEqual(self.redis.keys(), {b"perm:1:2:a:b", b"app:perm:1:2:a"})
        # Under the prefix: the selector's record, then the keys its walk deleted.
        self.assertTrue(self.redis.cmd("HGET", "app:wwctl:epochs:log", "seq").endswith(b":2"))
        self.assertIsNone(self.redis.cmd("HGET", "wwctl:epochs:log", "seq"))
        result, doc = run_json("cache", "invalidate", "perm:1:*", "--yes", "--key-prefix", "app:", env=self.env)
        self.assertEqual(doc["deleted"], 1)
        self.assertEqual(self.redis.keys(), {b"app:perm:1:2:a"})


class InterruptTests(unittest.TestCase):
    def test_ctrl_c_stops_between_batches_reports_and_exits_130(self):
        server = RedisServer(6466)
        redis = Resp(6466)
        try:
            total = 150_000
            redis.pipeline(("SET", f"k:{i}", "v") for i in range(total))
            proc = subprocess.Popen([WWCTL, "cache", "invalidate", "k:*", "--yes", "--scan-count", "5", "-o", "json"],
                                    env=base_env(REDIS_URL="redis://127.0.0.1:6466/0"),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 30
            while redis.cmd("DBSIZE") >= total and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.01)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
            self.assertEqual(proc.returncode, 130, err)
            doc = json.loads(out)
            self.assertTrue(doc["interrupted"])
            left = redis.cmd("DBSIZE")
            self.assertGreater(left, 0)
            self.assertEqual(doc["deleted"], total - left)
            self.assertIn("interrupted", err)
        finally:
            redis.close()
            server.stop()


if __name__ == "__main__":
    unittest.main()
