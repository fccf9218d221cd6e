"""TLS, ACL users, Sentinel and replicas, and --timeout as a deadline, on the real binary
against the prodlike servers (scripts/servers.sh start prodlike; scripts/test.sh starts
them): a TLS Redis with ACL users, TLS Redis servers with bad certificates, a Sentinel
group of three sentinels, a primary and a replica, and a TLS-only PostgreSQL."""
import json
import os
import socket
import stat
import subprocess
import threading
import time
import unittest

from tests.cli.support import DATABASE_URL, REDIS_URL, WWCTL, base_env, run, run_json

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TLS_DIR = os.environ.get("WWCTL_TEST_TLS_DIR") or os.path.join(ROOT, ".local", "prodlike", "tls")
CA = os.path.join(TLS_DIR, "ca.crt")
TLS_DATABASE_URL = os.environ.get("WWCTL_TEST_TLS_DATABASE_URL") or (
    f"postgresql://wwctl:wwctl-local@localhost:5492/waywise?sslmode=verify-full&sslrootcert={CA}")
SENTINEL_URL = os.environ.get(
    "WWCTL_TEST_SENTINEL_URL", "redis+sentinel://127.0.0.1:26392,127.0.0.1:26393,127.0.0.1:26394/waywise")
SENTINEL_PORTS = (26392, 26393, 26394)
GROUP_PORTS = (6396, 6397)
TLS_PORT, CLIENT_CERT_PORT, WRONG_HOST_PORT, EXPIRED_PORT = 6392, 6393, 6394, 6395
DB = 2


def tls_cli(*args, port=TLS_PORT, db=DB):
    """redis-cli as the `ops` user on the TLS server."""
    return subprocess.run(
        ["redis-cli", "--tls", "--cacert", CA, "-h", "127.0.0.1", "-p", str(port), "--user", "ops", "--pass", "ops-secret",
         "--no-auth-warning", "-n", str(db), *args], capture_output=True, text=True, check=True).stdout.strip()


def cli(port, *args, db=0):
    return subprocess.run(["redis-cli", "-p", str(port), "-n", str(db), *args],
                          capture_output=True, text=True, check=True).stdout.strip()


def current_primary():
    host, port = cli(SENTINEL_PORTS[0], "sentinel", "get-master-addr-by-name", "waywise").split()
    return int(port)


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.startswith("wwctl:")]


class TLSTests(unittest.TestCase):
    url = f"rediss://ops:ops-secret@localhost:{TLS_PORT}/{DB}"

    def test_ping_shows_tls_for_both_servers(self):
        result, doc = run_json("ping", "--redis-url", self.url, "--cacert", CA, "--database-url", TLS_DATABASE_URL)
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ("redis", "postgres"):
            self.assertTrue(doc[name]["ok"], doc[name]["error"])
            self.assertTrue(doc[name]["ssl"]["protocol"].startswith("TLSv1."), doc[name])
            self.assertTrue(doc[name]["ssl"]["cipher"])
        self.assertNotIn("ops-secret", result.stdout + result.stderr)
        self.assertNotIn("wwctl-local", result.stdout + result.stderr)
        table = run("ping", "--redis-url", self.url, "--cacert", CA, "--database-url", TLS_DATABASE_URL)
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertEqual(table.stdout.count("TLSv1."), 2, table.stdout)

    def test_postgres_verify_full_refuses_an_unknown_ca(self):
        url = TLS_DATABASE_URL.replace(CA, os.path.join(TLS_DIR, "client.crt"))
        result, doc = run_json("ping", "--redis-url", self.url, "--cacert", CA, "--database-url", url)
        self.assertEqual(result.returncode, 69)
        self.assertFalse(doc["postgres"]["ok"])
        self.assertIn("certificate verify failed", doc["postgres"]["error"])

    def test_commands_over_tls(self):
        tls_cli("set", "perm:9001:1:product:read", "true", "EX", "300")
        tls_cli("set", "perm:9001:2:product:read", "false", "EX", "300")
        flags = ("--redis-url", self.url, "--cacert", CA)
        metrics = run("metrics", *flags)
        self.assertEqual(metrics.returncode, 0, metrics.stderr)
        keys = run("cache", "keys", "perm:9001:*", *flags)
        self.assertEqual(sorted(keys.stdout.split()), ["perm:9001:1:product:read", "perm:9001:2:product:read"])
        result, doc = run_json("cache", "invalidate", "perm:9001:*", "--yes", *flags)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(doc["deleted"], 2)
        self.assertEqual(tls_cli("exists", "perm:9001:1:product:read", "perm:9001:2:product:read"), "0")

    def test_verification_failures_are_one_line_69_without_the_password(self):
        cases = [
            (TLS_PORT, [], "not signed by a trusted CA"),
            (WRONG_HOST_PORT, ["--cacert", CA], "does not match 'localhost'"),
            (EXPIRED_PORT, ["--cacert", CA], "has expired"),
            (CLIENT_CERT_PORT, ["--cacert", CA], "client certificate"),
        ]
        for port, extra, expected in cases:
            with self.subTest(port=port):
                result = run("cache", "keys", "perm:*", "--redis-url", f"rediss://:S3cretPw@localhost:{port}/0", *extra)
                self.assertEqual(result.returncode, 69, result.stderr)
                self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
                self.assertIn(expected, result.stderr)
                self.assertNotIn("S3cretPw", result.stdout + result.stderr)
                self.assertEqual(result.stdout, "")

    def test_client_certificate_and_server_name(self):
        certified = run("cache", "keys", "x*", "--redis-url", f"rediss://localhost:{CLIENT_CERT_PORT}", "--cacert", CA,
                        "--cert", os.path.join(TLS_DIR, "client.crt"), "--key", os.path.join(TLS_DIR, "client.key"))
        self.assertEqual(certified.returncode, 0, certified.stderr)
        named = run("cache", "keys", "x*", "--redis-url", f"redis://127.0.0.1:{WRONG_HOST_PORT}", "--tls", "--cacert", CA,
                    "--sni", "wrong.example")
        self.assertEqual(named.returncode, 0, named.stderr)

    def test_insecure_warns_once(self):
        result = run("cache", "keys", "x*", "--redis-url", f"rediss://localhost:{EXPIRED_PORT}", "--insecure")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.count("not verified"), 1, result.stderr)
        repl = subprocess.run([WWCTL, "repl", "--redis-url", f"rediss://localhost:{EXPIRED_PORT}", "--insecure"],
                              input='cache keys "x*"\ncache keys "y*"\n', env=base_env(), capture_output=True, text=True,
                              timeout=60)
        self.assertEqual(repl.returncode, 0, repl.stderr)
        self.assertEqual(repl.stderr.count("not verified"), 1, repl.stderr)

    def test_openssl_is_loaded_only_for_tls(self):
        """libssl is not linked: a plain connection never maps it, a TLS one loads it then."""
        def loaded(*args):
            result = run(*args, env=base_env(LD_DEBUG="files"))
            self.assertEqual(result.returncode, 0, result.stderr[-2000:])
            return "file=libssl.so" in result.stderr
        self.assertFalse(loaded("cache", "keys", "x*", "--redis-url", REDIS_URL))
        self.assertTrue(loaded("cache", "keys", "x*", "--redis-url", self.url, "--cacert", CA))

    def test_tls_options_without_tls_are_usage_errors(self):
        result = run("ping", "--redis-url", f"redis://localhost:{TLS_PORT}", "--cacert", CA)
        self.assertEqual(result.returncode, 64)
        self.assertIn("is for TLS", result.stderr)

    def test_plain_client_on_a_tls_port_is_told_so(self):
        result = run("cache", "keys", "x*", "--redis-url", f"redis://localhost:{TLS_PORT}")
        self.assertEqual(result.returncode, 69)
        self.assertIn("a TLS port?", result.stderr)


class LoginTests(unittest.TestCase):
    """ACL users: `reader` has +@read +@connection +info and nothing else."""

    @classmethod
    def setUpClass(cls):
        tls_cli("set", "perm:9100:1:product:read", "true", "EX", "300")
        tls_cli("set", "product:9100", '{"id":9100,"name":"Lamp","price":"19.99"}', "EX", "1800")

    def reader(self, *args, **kw):
        return run(*args, "--redis-url", f"rediss://localhost:{TLS_PORT}/{DB}", "--cacert", CA, "--redis-user", "reader",
                   "--pass", "reader-secret", **kw)

    def test_a_read_only_user_reads(self):
        for args in (("metrics",), ("metrics", "--by-family"), ("cache", "keys", "perm:9100:*"),
                     ("cache", "inspect", "perm:9100:1:product:read")):
            with self.subTest(args=args):
                result = self.reader(*args)
                self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("perm:9100:1:product:read", self.reader("cache", "keys", "perm:9100:*").stdout)
        self.assertIn("true", self.reader("cache", "inspect", "perm:9100:1:product:read").stdout)

    def test_a_read_only_user_is_refused_invalidation_with_77_deleting_nothing(self):
        for args in (("cache", "invalidate", "perm:9100:*", "--yes"),
                     ("cache", "invalidate", "--family", "product", "--param", "productId=9100", "--yes")):
            with self.subTest(args=args):
                result = self.reader(*args)
                self.assertEqual(result.returncode, 77, result.stderr)
                self.assertEqual(len(error_lines(result)), 1, result.stderr)
                self.assertIn("NOPERM", result.stderr)
                # The first write refused is the invalidation's epoch bump (a script), before
                # any deletion: the error names that command and the ACL categories it needs.
                self.assertRegex(result.stderr, r"permissions to run the '\w+' command \(needs \+\w+ or one of its ACL categories: @")
                self.assertNotIn("reader-secret", result.stdout + result.stderr)
        self.assertEqual(tls_cli("exists", "perm:9100:1:product:read", "product:9100"), "2")
        result, doc = run_json("cache", "invalidate", "perm:9100:*", "--yes", "--redis-url",
                               f"rediss://reader:reader-secret@localhost:{TLS_PORT}/{DB}", "--cacert", CA)
        self.assertEqual(result.returncode, 77)
        self.assertEqual(doc["error"]["kind"], "permission")

    def test_wrong_password_is_69_without_the_password(self):
        result = run("metrics", "--redis-url", f"rediss://localhost:{TLS_PORT}/{DB}", "--cacert", CA,
                     "--redis-user", "reader", "--pass", "Wr0ngPassw0rd")
        self.assertEqual(result.returncode, 69)
        self.assertIn("authentication failed for user 'reader'", result.stderr)
        self.assertNotIn("Wr0ngPassw0rd", result.stdout + result.stderr)

    def test_rediscli_auth_supplies_the_password(self):
        env = base_env(REDISCLI_AUTH="reader-secret")
        result = run("metrics", "--redis-url", f"rediss://localhost:{TLS_PORT}/{DB}", "--cacert", CA,
                     "--redis-user", "reader", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_profile_with_tls_and_a_password_file(self):
        env = base_env()
        folder = os.path.join(env["XDG_CONFIG_HOME"], "wwctl")
        os.makedirs(folder)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump({"profiles": {"secure": {"redisUrl": f"rediss://localhost:{TLS_PORT}/{DB}", "cacert": CA,
                                               "redisUser": "reader", "passwordFile": "reader.pass"}}}, f)
        password_file = os.path.join(folder, "reader.pass")
        with open(password_file, "w") as f:
            f.write("reader-secret\n")
        os.chmod(password_file, 0o600)
        result = run("cache", "keys", "perm:9100:*", "--profile", "secure", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        shown, doc = run_json("config", "show", "--profile", "secure", env=env)
        settings = {s["name"]: s for s in doc["settings"]}
        self.assertEqual(settings["redisPassword"]["value"], "***")
        self.assertIn("profile secure", settings["redisPassword"]["source"])
        self.assertNotIn("reader-secret", shown.stdout)

        os.chmod(password_file, 0o644)
        refused = run("cache", "keys", "perm:9100:*", "--profile", "secure", env=env)
        self.assertEqual(refused.returncode, 64)
        self.assertIn(password_file, refused.stderr)
        self.assertIn("0644", refused.stderr)
        self.assertNotIn("reader-secret", refused.stdout + refused.stderr)


class SentinelTests(unittest.TestCase):
    def test_ping_shows_the_sentinels_and_the_primary(self):
        primary = current_primary()
        for flags in (("--redis-url", SENTINEL_URL),
                      ("--sentinel", "127.0.0.1:26392", "--sentinel", "127.0.0.1:26393", "--master", "waywise")):
            with self.subTest(flags=flags):
                result, doc = run_json("ping", *flags, "--database-url", DATABASE_URL)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(doc["redis"]["server"], f"127.0.0.1:{primary}/0")
                self.assertTrue(all(s["ok"] and s["primary"] == f"127.0.0.1:{primary}" for s in doc["redis"]["sentinels"]))
        table = run("ping", "--redis-url", SENTINEL_URL, "--database-url", DATABASE_URL)
        self.assertIn(f"primary 127.0.0.1:{primary}/0, named by 3 of 3 sentinels", table.stdout)
        self.assertEqual(table.stdout.count("sentinel "), 3, table.stdout)

    def test_unknown_master_is_unavailable(self):
        result = run("cache", "keys", "x*", "--redis-url", SENTINEL_URL.replace("/waywise", "/nosuch"))
        self.assertEqual(result.returncode, 69)
        self.assertIn("no sentinel named a primary for 'nosuch'", result.stderr)

    def test_read_only_walks_go_to_the_replica_and_report_its_lag(self):
        primary = current_primary()
        replica = next(p for p in GROUP_PORTS if p != primary)
        db = 3
        for i in range(20):
            cli(primary, "set", f"perm:9200:{i}:product:read", "true", "EX", "300", db=db)
        cli(primary, "wait", "1", "5000", db=db)
        url = SENTINEL_URL + f"/{db}"
        where = f"127.0.0.1:{replica}/{db}"

        keys = run("cache", "keys", "perm:9200:*", "--redis-url", url, "--read-from", "replica")
        self.assertEqual(keys.returncode, 0, keys.stderr)
        self.assertEqual(len(keys.stdout.split()), 20)
        self.assertIn(f"reading from replica {where}", keys.stderr)
        self.assertIn("bytes behind the primary", keys.stderr)

        for args in (("metrics", "--by-family"), ("cache", "lint"), ("cache", "invalidate", "perm:9200:*", "--dry-run")):
            with self.subTest(args=args):
                result, doc = run_json(*args, "--redis-url", url, "--read-from", "replica")
                self.assertIn(result.returncode, (0, 1), result.stderr)
                self.assertEqual(doc["readFrom"]["role"], "replica")
                self.assertEqual(doc["readFrom"]["address"], where)
                self.assertGreaterEqual(doc["readFrom"]["lagBytes"], 0)

        pinged, doc = run_json("ping", "--redis-url", url, "--read-from", "replica", "--database-url", DATABASE_URL)
        self.assertEqual(pinged.returncode, 0, pinged.stderr)
        self.assertEqual(doc["redis"]["replica"]["address"], where)
        self.assertGreaterEqual(doc["redis"]["replica"]["lagBytes"], 0)

        # Deletions go to the primary whatever --read-from says.
        deleted, doc = run_json("cache", "invalidate", "perm:9200:*", "--yes", "--redis-url", url, "--read-from", "replica")
        self.assertEqual(deleted.returncode, 0, deleted.stderr)
        self.assertEqual(doc["deleted"], 20)
        self.assertEqual(doc["readFrom"]["role"], "primary")
        self.assertEqual(cli(primary, "exists", "perm:9200:0:product:read", db=db), "0")


class TimeoutTests(unittest.TestCase):
    def test_a_trickling_redis_cannot_stretch_the_timeout(self):
        """One byte every 0.5 s: each read waits well under a second, the reply takes 3.5 s."""
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        port = server.getsockname()[1]

        def serve():
            while True:
                try:
                    connection, _ = server.accept()
                except OSError:
                    return
                try:
                    while connection.recv(65536):
                        for byte in b"+PONG\r\n":
                            connection.sendall(bytes([byte]))
                            time.sleep(0.5)
                except OSError:
                    pass
                finally:
                    connection.close()

        threading.Thread(target=serve, daemon=True).start()
        try:
            # The subprocess timeout guards against a hang; no timing is asserted.
            result, doc = run_json("ping", "--timeout", "1", "--redis-url", f"redis://127.0.0.1:{port}/0",
                                   "--database-url", DATABASE_URL, timeout=30)
        finally:
            server.close()
        self.assertEqual(result.returncode, 69)
        self.assertEqual(doc["redis"]["error"], f"redis 127.0.0.1:{port}/0: no reply within 1 s")


class ZFailoverTests(unittest.TestCase):
    """Kills the primary of the Sentinel group (last of this module: the other tests find
    the primary by asking, and the group is whole again when this ends)."""

    keys = 300_000

    def load(self, port):
        lines = "".join(f"SET perm:{i}:1:product:read true\r\n" for i in range(self.keys))
        subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=lines, capture_output=True, text=True, check=True)
        cli(port, "wait", "1", "10000")

    def kill(self, port):
        with open(os.path.join(ROOT, ".local", "prodlike", f"redis-{port}", "redis.pid")) as f:
            os.kill(int(f.read().strip()), 9)

    def restore(self, old, new):
        """The killed server comes back as the new primary's replica, as an operator would bring it back."""
        folder = os.path.join(ROOT, ".local", "prodlike", f"redis-{old}")
        subprocess.run(["redis-server", "--bind", "127.0.0.1", "--port", str(old), "--save", "", "--appendonly", "no",
                        "--repl-diskless-sync-delay", "0", "--replicaof", "127.0.0.1", str(new), "--daemonize", "yes",
                        "--dir", folder, "--pidfile", os.path.join(folder, "redis.pid"),
                        "--logfile", os.path.join(folder, "redis.log")], check=True, capture_output=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                link = "master_link_status:up" in cli(old, "info", "replication")
                replicas = cli(SENTINEL_PORTS[0], "sentinel", "replicas", "waywise").split("\n")
                seen = any(line == str(old) for line in replicas) and "s_down" not in " ".join(replicas)
                if link and seen:
                    return
            except subprocess.CalledProcessError:
                pass
            time.sleep(0.2)
        self.fail(f"redis {old} did not rejoin the group as a replica")

    def test_failover_in_flight_and_after(self):
        old = current_primary()
        cli(old, "flushdb")
        self.load(old)

        # A deletion in flight when the primary dies: 69, with what the server confirmed.
        process = subprocess.Popen([WWCTL, "cache", "invalidate", "perm:*", "--yes", "-o", "json", "-v",
                                    "--redis-url", SENTINEL_URL], env=base_env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        # -v lists keys as their UNLINK goes out: a few batches are on their way when it dies.
        first = "".join(process.stderr.readline() for _ in range(3000))
        self.kill(old)
        rest = []
        drain = threading.Thread(target=lambda: rest.append(process.stderr.read()), daemon=True)
        drain.start()
        stdout = process.stdout.read()
        process.wait(timeout=60)
        drain.join(timeout=60)
        process.stdout.close()
        process.stderr.close()
        stderr = first + "".join(rest)
        self.assertEqual(process.returncode, 69, stderr[-2000:])
        report = json.loads(stdout)
        self.assertEqual(report["error"]["code"], 69)
        self.assertGreater(report["deleted"], 0)
        self.assertLess(report["deleted"], self.keys)
        errors = [line for line in stderr.splitlines() if line.startswith("wwctl:")]
        self.assertEqual(len(errors), 1, errors)
        self.assertIn(f"127.0.0.1:{old}", errors[0])

        # The sentinels promote the replica; the next commands reach it.
        new = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            result, doc = run_json("ping", "--redis-url", SENTINEL_URL, "--database-url", DATABASE_URL, "--timeout", "2")
            if result.returncode == 0:
                new = int(doc["redis"]["server"].split(":")[1].split("/")[0])
                break
            time.sleep(0.25)
        self.assertIsNotNone(new, "no new primary within 60 s")
        self.assertNotEqual(new, old)
        try:
            left = int(cli(new, "dbsize"))
            result, doc = run_json("cache", "invalidate", "perm:*", "--yes", "--redis-url", SENTINEL_URL)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(doc["readFrom"]["address"], f"127.0.0.1:{new}/0")
            self.assertGreater(doc["deleted"], 0)
            self.assertLessEqual(doc["deleted"], left)
            self.assertEqual(cli(new, "--scan", "--pattern", "perm:*"), "")
        finally:
            self.restore(old, new)


if __name__ == "__main__":
    unittest.main()
