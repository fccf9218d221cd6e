"""Hardening on the real binary: byte-exact arguments, the REPL's raw `redis` guard, config
file validation, malformed database URLs, echoed values cut short, old payout periods and the
production profile guard. A scratch database (tiny seed) and redis-servers of the tests' own
(ports 6483, 6484)."""
import datetime
import json
import os
import subprocess
import tempfile
import unittest
import uuid

import pexpect

from tests.cli.support import WWCTL, RedisServer, SeededDatabase, base_env, run, run_json

PORT = 6483
RENAMED = 6484  # COMMAND renamed away
URL = f"redis://127.0.0.1:{PORT}/0"


def setUpModule():
    global SERVER, SCRATCH, SCRATCH_URL
    SERVER = RedisServer(PORT)
    SCRATCH = SeededDatabase("harden", seed=9)
    SCRATCH_URL = SCRATCH.url


def tearDownModule():
    SERVER.stop()
    SCRATCH.drop()


def rcli(*args, port=PORT):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, check=True).stdout.decode().strip()


def sql(query):
    return subprocess.run(["psql", SCRATCH_URL, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", query],
                          capture_output=True, text=True, check=True).stdout.strip()


def exists(key: bytes, port=PORT):
    # redis-cli reads "\xff" in a double-quoted argument of its own prompt, not in argv:
    # go through its stdin, where lines are split the way the REPL now splits them.
    out = subprocess.run(["redis-cli", "-p", str(port)], input=b'EXISTS "' + key + b'"\n', capture_output=True).stdout
    return out.strip() == b"1"


def wwctl_bytes(*args, env, input=None):
    return subprocess.run([WWCTL.encode(), *[a if isinstance(a, bytes) else a.encode() for a in args]],
                          env=env, input=input, capture_output=True, timeout=60)


class ByteExactTests(unittest.TestCase):
    """Issue 16, item 1: `perm:\\xff` must never be taken for `perm:\\xef\\xbf\\xbd` (U+FFFD)."""

    def setUp(self):
        self.env = base_env(REDIS_URL=URL)
        subprocess.run(["redis-cli", "-p", str(PORT)], input=b'SET "perm:\\xff" raw\nSET "perm:\\xef\\xbf\\xbd" replacement\n',
                       capture_output=True, check=True)

    def test_an_argument_that_is_not_utf8_is_refused_and_nothing_is_deleted(self):
        result = wwctl_bytes("cache", "invalidate", b"perm:\xff", "--yes", env=self.env)
        self.assertEqual(result.returncode, 64, result.stderr)
        stderr = result.stderr.decode()
        self.assertIn("argument 3 is not valid UTF-8", stderr)
        self.assertIn("'\"perm:\\xff\"'", stderr)  # the quoted form to use instead
        self.assertTrue(exists(b"perm:\\xff"))
        self.assertTrue(exists(b"perm:\\xef\\xbf\\xbd"))
        # Any command, any argument: refused before anything runs.
        result = wwctl_bytes("orgs", "create", "--name", b"caf\xe9", "--slug", "cafe", env=self.env)
        self.assertEqual(result.returncode, 64)

    def test_the_quoted_escape_form_reaches_redis_byte_exact(self):
        result, doc = run_json("cache", "invalidate", '"perm:\\xff"', "--yes", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(doc["deleted"], 1)
        self.assertFalse(exists(b"perm:\\xff"))
        self.assertTrue(exists(b"perm:\\xef\\xbf\\xbd"))

    def test_repl_redis_lines_take_redis_cli_escapes(self):
        script = b'redis GET "perm:\\xff"\nredis GET "perm:\\xef\\xbf\\xbd"\nredis DEL "perm:\\xff"\n'
        result = subprocess.run([WWCTL, "repl", "--yes"], input=script, env=self.env, capture_output=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.decode().split("\n")[:3], ['"raw"', '"replacement"', "(integer) 1"])
        self.assertFalse(exists(b"perm:\\xff"))
        self.assertTrue(exists(b"perm:\\xef\\xbf\\xbd"))

    def test_a_script_line_that_is_not_utf8_is_refused(self):
        result = subprocess.run([WWCTL, "repl", "--yes"], input=b"redis DEL perm:\xff\nredis DEL x\n",
                                env=self.env, capture_output=True, timeout=60)
        self.assertEqual(result.returncode, 64)
        self.assertIn(b"line 1 is not valid UTF-8", result.stderr)
        self.assertTrue(exists(b"perm:\\xff"))

    def test_an_environment_value_that_is_not_utf8_is_refused(self):
        # WWCTL_ACTOR is written into audit rows: repaired, it would name someone else.
        org = sql("select min(id) from organizations")
        audits = sql("select count(*) from audit_log")
        env = {k.encode(): v.encode() for k, v in base_env(REDIS_URL=URL, DATABASE_URL=SCRATCH_URL).items()}
        for name, value in ((b"WWCTL_ACTOR", b"ops\xff"), (b"REDIS_URL", b"redis://127.0.0.1:6483/0\xff")):
            result = wwctl_bytes("orgs", "update", org, "--name", "Renamed", env={**env, name: value})
            self.assertEqual(result.returncode, 64, result.stderr)
            self.assertIn(f"environment variable {name.decode()} is not valid UTF-8".encode(), result.stderr)
        self.assertEqual(sql("select count(*) from audit_log"), audits)
        self.assertNotEqual(sql(f"select name from organizations where id = {org}"), "Renamed")
        # A variable wwctl does not read is none of its business.
        result = wwctl_bytes("cache", "families", env={**env, b"UNRELATED": b"\xff"})
        self.assertEqual(result.returncode, 0, result.stderr)


class ReplRedisGuardTests(unittest.TestCase):
    """Issue 16, item 2: only reads run without asking; anything else is refused in a script."""

    DESTRUCTIVE = [
        "FLUSHDB", "FLUSHALL", "REPLICAOF 127.0.0.1 1", "SLAVEOF 127.0.0.1 1", "SWAPDB 0 1",
        "EVAL \"return redis.call('flushdb')\" 0", "EVALSHA 0000000000000000000000000000000000000000 0",
        "FCALL nosuch 0", "FUNCTION FLUSH", "SCRIPT FLUSH", "CLIENT KILL TYPE normal", "CLIENT PAUSE 100",
        "ACL SETUSER intruder on >pw ~* +@all", "ACL DELUSER default", "CONFIG SET maxmemory 1", "CONFIG REWRITE",
        "CONFIG RESETSTAT", "MIGRATE 127.0.0.1 1 guard:kept 0 100", "RESTORE guard:kept 0 x REPLACE",
        "DEBUG SLEEP 0", "SHUTDOWN NOSAVE", "FAILOVER", "MODULE LOAD /nonexistent.so", "SAVE", "BGSAVE",
        "BGREWRITEAOF", "DEL guard:kept", "SET guard:kept changed", "NOSUCHCOMMAND x", "KEYS *",
    ]

    def setUp(self):
        self.env = base_env(REDIS_URL=URL)
        rcli("SET", "guard:kept", "1")

    def script(self, text, *flags, env=None):
        return subprocess.run([WWCTL, "repl", *flags], input=text, env=env or self.env, capture_output=True,
                              text=True, timeout=60)

    def test_writes_and_administration_are_refused_in_a_script_without_yes(self):
        for line in self.DESTRUCTIVE:
            result = self.script(f"redis {line}\n")
            self.assertEqual(result.returncode, 64, f"{line}: {result.stdout} {result.stderr}")
            self.assertIn("without confirmation", result.stderr, line)
        self.assertEqual(rcli("GET", "guard:kept"), "1")
        self.assertEqual(rcli("DBSIZE") != "0", True)
        self.assertEqual(rcli("CONFIG", "GET", "maxmemory").split("\n")[1], "0")
        self.assertEqual(rcli("PING"), "PONG")

    def test_reads_run_freely(self):
        result = self.script("redis GET guard:kept\nredis TTL guard:kept\nredis SCAN 0 MATCH guard:*\nredis PING\n"
                             "redis INFO server\nredis DBSIZE\nredis TYPE guard:kept\nredis MEMORY USAGE guard:kept\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('"1"', result.stdout)

    def test_without_COMMAND_the_builtin_list_decides(self):
        server = RedisServer(RENAMED, "--rename-command", "COMMAND", "")
        self.addCleanup(server.stop)
        env = base_env(REDIS_URL=f"redis://127.0.0.1:{RENAMED}/0")
        rcli("SET", "k", "v", port=RENAMED)
        read = self.script("redis GET k\nredis HGETALL nothing\n", env=env)
        self.assertEqual(read.returncode, 0, read.stderr)
        for line in ["SET k w", "FLUSHDB", "EVAL \"return 1\" 0", "EXPIRE k 100"]:
            result = self.script(f"redis {line}\n", env=env)
            self.assertEqual(result.returncode, 64, f"{line}: {result.stderr}")
        self.assertEqual(rcli("GET", "k", port=RENAMED), "v")

    def test_yes_answers_and_a_terminal_is_asked(self):
        result = self.script("redis SET guard:kept 2\n", "--yes")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(rcli("GET", "guard:kept"), "2")
        env = dict(self.env, TERM="xterm")
        child = pexpect.spawn(WWCTL, ["repl"], env=env, encoding="utf-8", timeout=90)
        self.addCleanup(lambda: child.terminate(force=True) if child.isalive() else None)
        child.expect(r"> ")
        child.send("redis EVAL \"return redis.call('del', 'guard:kept')\" 0\r")
        child.expect(r"a script may write or administer anything\)\? \[y/N\]")
        child.send("n\r")
        child.expect("cancelled")
        child.send("exit\r")
        child.expect(pexpect.EOF)
        self.assertEqual(rcli("GET", "guard:kept"), "2")


class ConfigAndTargetTests(unittest.TestCase):
    def config(self, text):
        path = os.path.join(tempfile.mkdtemp(prefix="wwctl-harden-config-"), "config.json")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_config_file_mistakes_are_usage_errors_naming_file_and_key(self):
        path = self.config('{"profiles": {"prod": {"redisURL": "redis://10.0.0.5:6379/0"}}}')
        result = run("ping", "--profile", "prod", env=base_env(WWCTL_CONFIG=path))
        self.assertEqual(result.returncode, 64, result.stderr)
        self.assertIn(path, result.stderr)
        self.assertIn("unknown key 'redisURL' in profiles.prod; did you mean 'redisUrl'?", result.stderr)

        path = self.config('{"profiles": {"p": {"redisUrl": "redis://a:1/0", "redisUrl": "redis://b:2/0"}}}')
        result = run("config", "show", env=base_env(WWCTL_CONFIG=path))
        self.assertEqual(result.returncode, 64)
        self.assertIn("key 'redisUrl' appears twice in profiles.p", result.stderr)

        missing = "/nonexistent/wwctl-" + uuid.uuid4().hex + ".json"
        result = run("config", "show", env=base_env(WWCTL_CONFIG=missing))
        self.assertEqual(result.returncode, 64)
        self.assertIn(missing, result.stderr)
        self.assertIn("does not exist", result.stderr)

    def test_a_malformed_database_url_is_a_usage_error(self):
        for url, reason in [
            ("garbage", "neither a postgresql:// URL nor key=value pairs"),
            ("postgresql://wwctl:s3cret@127.0.0.1:99999/waywise", "port '99999'"),
            ("host=127.0.0.1 sslmode=bogus", "sslmode 'bogus'"),
            ("host='127.0.0.1 port=5491", "unterminated quoted value"),
        ]:
            for args in (["ping"], ["orgs", "list"]):
                result = run(*args, "--database-url", url, env=base_env(REDIS_URL=URL))
                self.assertEqual(result.returncode, 64, (url, args, result.stderr))
                self.assertIn(reason, result.stderr)
                self.assertNotIn("s3cret", result.stderr)

    def test_echoed_values_are_cut_to_about_80_characters(self):
        big = "x" * 130_000
        for args in (["orgs", "show", big], ["cache", "invalidate", "--family", big], ["orgs", "list", "--status", big],
                     ["ratelimit", "show", "--ip", big], ["sessions", "show", big]):
            result = run(*args, env=base_env(REDIS_URL=URL, DATABASE_URL=SCRATCH_URL))
            self.assertNotEqual(result.returncode, 0)
            self.assertLess(len(result.stderr), 400, (args[:2], result.stderr[:200]))
            self.assertIn("…", result.stderr)


class PayoutPeriodTests(unittest.TestCase):
    def test_old_and_meaningless_periods_are_refused_unless_allowed(self):
        env = base_env(DATABASE_URL=SCRATCH_URL, REDIS_URL=URL)
        today = datetime.date.today()
        year, month = divmod(today.year * 12 + today.month - 1 - 13, 12)
        old = f"{year:04d}-{month + 1:02d}"
        first = sql("select to_char(min(created_at) at time zone 'UTC', 'YYYY-MM') from balance_transactions")
        fy, fm = map(int, first.split("-"))
        fy, fm = divmod(fy * 12 + fm - 1 - 1, 12)
        before_first = f"{fy:04d}-{fm + 1:02d}"
        payouts = sql("select count(*) from payouts")
        for period in ("0000-01", "1970-01", "2016-11", old, before_first):
            result = run("payouts", "run", "--period", period, env=env)
            self.assertEqual(result.returncode, 65, (period, result.stderr))
            self.assertIn("--allow-old-period", result.stderr)
        self.assertEqual(sql("select count(*) from payouts"), payouts)
        result, doc = run_json("payouts", "run", "--period", before_first, "--allow-old-period", "--dry-run", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(doc["dryRun"])


class ProductionGuardTests(unittest.TestCase):
    def setUp(self):
        folder = tempfile.mkdtemp(prefix="wwctl-harden-prod-")
        self.path = os.path.join(folder, "config.json")
        with open(self.path, "w") as f:
            json.dump({"profiles": {"prod": {"redisUrl": URL, "databaseUrl": SCRATCH_URL, "production": True}}}, f)
        self.env = base_env(WWCTL_CONFIG=self.path, WWCTL_PROFILE="prod")
        rcli("SET", "prodguard:a", "1")
        rcli("SET", "user:77:sessions", '["gone"]')

    def test_db_seed_is_refused_outright(self):
        users = sql("select count(*) from users")
        for extra in ([], ["--confirm-production", "prod"]):
            result = run("db", "seed", "--scale", "tiny", "--force", "--yes", *extra, env=self.env)
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("production", result.stderr)
        self.assertEqual(sql("select count(*) from users"), users)

    def test_bulk_deletions_need_the_name_without_a_terminal(self):
        for args in (["cache", "invalidate", "--all", "--yes"], ["sessions", "prune", "--yes"],
                     ["sessions", "revoke-all", "--user", "77", "--yes"],
                     ["cache", "invalidate", "--all", "--yes", "--confirm-production", "staging"]):
            result = run(*args, env=self.env)
            self.assertEqual(result.returncode, 64, (args, result.stderr))
            self.assertIn("prod", result.stderr)
        self.assertEqual(rcli("EXISTS", "prodguard:a", "user:77:sessions"), "2")
        result = run("sessions", "prune", "--yes", "--confirm-production", "prod", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(rcli("EXISTS", "user:77:sessions"), "0")
        result = run("cache", "invalidate", "--all", "--yes", "--confirm-production", "prod", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(rcli("EXISTS", "prodguard:a"), "0")

    def test_a_terminal_must_type_the_name(self):
        def answer(typed, outcome):
            child = pexpect.spawn(WWCTL, ["cache", "invalidate", "--all"], env=dict(self.env, TERM="xterm"),
                                  encoding="utf-8", timeout=90)
            child.expect("type the profile's name:")
            child.send(typed + "\r")
            child.expect(outcome)
            child.expect(pexpect.EOF)
            child.close()
            return child.exitstatus

        self.assertEqual(answer("yes", "cancelled"), 1)
        self.assertEqual(rcli("EXISTS", "prodguard:a"), "1")
        self.assertEqual(answer("prod", "deleted"), 0)
        self.assertEqual(rcli("EXISTS", "prodguard:a"), "0")


class HistoryFileTests(unittest.TestCase):
    def test_a_symlinked_history_is_refused_once_and_its_target_untouched(self):
        env = base_env(REDIS_URL=URL, TERM="xterm")
        folder = os.path.join(env["XDG_STATE_HOME"], "wwctl")
        os.makedirs(folder, mode=0o700)
        target = os.path.join(tempfile.mkdtemp(prefix="wwctl-harden-target-"), "bashrc")
        with open(target, "w") as f:
            f.write("original\n")
        os.chmod(target, 0o644)
        os.symlink(target, os.path.join(folder, "history"))
        child = pexpect.spawn(WWCTL, ["repl"], env=env, encoding="utf-8", timeout=90)
        self.addCleanup(lambda: child.terminate(force=True) if child.isalive() else None)
        child.expect("symbolic link")
        child.expect("> ")
        child.send("redis PING\r")
        child.expect("PONG")
        child.send("exit\r")
        child.expect(pexpect.EOF)
        self.assertEqual(child.before.count("symbolic link"), 0)  # said once, at the start
        with open(target) as f:
            self.assertEqual(f.read(), "original\n")
        self.assertEqual(os.stat(target).st_mode & 0o777, 0o644)


if __name__ == "__main__":
    unittest.main()
