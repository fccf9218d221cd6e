"""The REPL driven as an operator drives it: the real binary on a pseudo-terminal
(pexpect), against the test servers; and piped scripts.

WWCTL_BIN is the binary (scripts/test.sh sets it); WWCTL_TEST_REDIS_URL and
WWCTL_TEST_DATABASE_URL are the test servers. Keys live in Redis DB 11 under
`repltest:` and are deleted by the tests that create them. Timeouts are generous
(the machine is shared); nothing is timed.
"""

import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import unittest
import urllib.parse

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("WWCTL_BIN") or os.path.join(ROOT, ".build", "debug", "wwctl")
TEST_REDIS_URL = os.environ.get("WWCTL_TEST_REDIS_URL", "redis://127.0.0.1:6391/0")
TEST_DATABASE_URL = os.environ.get(
    "WWCTL_TEST_DATABASE_URL", "postgresql://wwctl:wwctl-local@127.0.0.1:5491/waywise")
DATABASE = 11
TIMEOUT = 90
PROMPT = re.compile(r"pg@\S*> ")


def redis_url(database=DATABASE):
    parts = urllib.parse.urlsplit(TEST_REDIS_URL)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/%d" % database, "", ""))


class Redis:
    """Just enough RESP to plant and remove test keys in DB 11."""

    def __init__(self):
        parts = urllib.parse.urlsplit(TEST_REDIS_URL)
        self.sock = socket.create_connection((parts.hostname, parts.port or 6379), timeout=30)
        self.file = self.sock.makefile("rb")
        if parts.password:
            self.call("AUTH", *([parts.username] if parts.username else []), urllib.parse.unquote(parts.password))
        self.call("SELECT", str(DATABASE))

    def call(self, *args):
        out = b"*%d\r\n" % len(args)
        for arg in args:
            data = arg.encode() if isinstance(arg, str) else arg
            out += b"$%d\r\n%s\r\n" % (len(data), data)
        self.sock.sendall(out)
        return self._reply()

    def _reply(self):
        line = self.file.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)[:-2]
            return data.decode(errors="replace")
        if kind == b"*":
            return [self._reply() for _ in range(int(rest))]
        raise RuntimeError("unexpected reply %r" % line)

    def delete_matching(self, pattern):
        cursor = "0"
        while True:
            cursor, keys = self.call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000")
            if keys:
                self.call("DEL", *keys)
            if cursor == "0":
                return

    def close(self):
        self.file.close()
        self.sock.close()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ReplCase(unittest.TestCase):
    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="wwctl-repl-test-")
        self.addCleanup(shutil.rmtree, self.home, True)
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("REDIS_URL", "DATABASE_URL", "WWCTL_PROFILE", "WWCTL_CONFIG",
                                 "WWCTL_KEY_PREFIX", "WWCTL_TIMEOUT", "NO_COLOR")}
        self.env.update(
            REDIS_URL=redis_url(), DATABASE_URL=TEST_DATABASE_URL, TERM="xterm",
            HOME=self.home, XDG_STATE_HOME=os.path.join(self.home, "state"),
            XDG_CONFIG_HOME=os.path.join(self.home, "config"), NO_COLOR="1")

    def spawn(self, *args):
        child = pexpect.spawn(BIN, list(args) or ["repl"], env=self.env, encoding="utf-8",
                              timeout=TIMEOUT, dimensions=(40, 200))
        self.addCleanup(lambda: child.terminate(force=True) if child.isalive() else None)
        child.expect(PROMPT)
        return child

    def finish(self, child):
        """Ctrl-D at the prompt: the REPL ends with status 0."""
        child.sendeof()
        child.expect(pexpect.EOF)
        child.close()
        self.assertEqual(child.exitstatus, 0)

    def run_script(self, script, *args):
        return subprocess.run([BIN, "repl", *args], input=script, env=self.env, capture_output=True,
                              text=True, timeout=TIMEOUT)


class InteractiveTests(ReplCase):
    def test_tab_completes_a_command(self):
        child = self.spawn()
        child.send("pi\t")
        child.expect("ng ")
        child.send("\r")
        self.assertEqual(child.expect(["SERVER", "unknown command"]), 0)
        child.expect(PROMPT)
        self.finish(child)

    def test_tab_completes_a_subcommand(self):
        child = self.spawn()
        child.send("config sh\t")
        child.expect("ow ")
        child.send("\r")
        self.assertEqual(child.expect(["SETTING", "unknown command", "Error"]), 0)
        child.expect(PROMPT)
        self.finish(child)

    def test_tab_completes_a_key_by_scan(self):
        redis = Redis()
        self.addCleanup(redis.close)
        self.addCleanup(redis.delete_matching, "repltest*")
        redis.delete_matching("repltest*")
        redis.call("SET", "repltest:alpha", "planted-alpha")
        child = self.spawn()
        child.send("redis GET replt\t")
        child.expect("alpha ")
        child.send("\r")
        child.expect('"planted-alpha"')
        child.expect(PROMPT)

        # Two keys: the first Tab inserts nothing more, the second lists both.
        redis.call("SET", "repltest:beta", "planted-beta")
        child.send("redis GET repltest:\t\t")
        child.expect("repltest:alpha")
        child.expect("repltest:beta")
        child.expect(PROMPT)  # drawn again under the list, with the line
        child.sendintr()
        child.expect(r"\^C")
        child.expect(PROMPT)
        self.finish(child)

    def test_history_is_private_and_keeps_no_secret(self):
        child = self.spawn()
        child.send("ping\r")
        child.expect("SERVER")
        child.expect(PROMPT)
        child.send("config show --redis-url redis://:s3cretpw@127.0.0.1:1/11\r")
        child.expect("SETTING")
        child.expect(PROMPT)
        child.send("tokens check eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl\r")
        child.expect("exp")  # the token has no expiry: a one-line error, and the session goes on
        child.expect(PROMPT)
        # Ctrl-R searches the history: "pi" finds `ping`.
        child.send("\x12pi")
        child.expect("ping")
        child.send("\r")
        child.expect("SERVER")
        child.expect(PROMPT)
        self.finish(child)

        path = os.path.join(self.env["XDG_STATE_HOME"], "wwctl", "history")
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
        with open(path) as f:
            history = f.read()
        self.assertIn("ping\n", history)
        self.assertNotIn("s3cretpw", history)
        self.assertNotIn("eyJ", history)

        # The next session starts with it: Up arrow brings back `ping`.
        child = self.spawn()
        child.send("\x1b[A")
        child.expect("ping")
        child.send("\r")
        child.expect("SERVER")
        child.expect(PROMPT)
        self.finish(child)

    def test_ctrl_c_stops_watch_and_the_repl_goes_on(self):
        child = self.spawn()
        child.send("watch 1 ping\r")
        child.expect("every 1s: ping")
        child.expect("SERVER")
        child.sendintr()
        child.expect(PROMPT)
        child.send("config show\r")
        child.expect("SETTING")
        child.expect(PROMPT)
        self.finish(child)

    def test_ctrl_c_at_the_prompt_clears_the_line(self):
        child = self.spawn()
        child.send("frobnicate-abandoned")
        child.expect("frobnicate-abandoned")
        child.sendintr()
        child.expect(r"\^C")
        child.expect(PROMPT)
        child.send("config show\r")
        child.expect("SETTING")
        child.expect(PROMPT)
        self.assertNotIn("unknown command", child.before)
        self.finish(child)

    def test_an_unknown_command_is_an_error_and_the_session_goes_on(self):
        child = self.spawn()
        child.send("frobnicate\r")
        child.expect("unknown command 'frobnicate'")
        child.expect(PROMPT)
        child.send("pnig\r")
        child.expect("did you mean 'ping'")
        child.expect(PROMPT)
        child.send("ping\r")
        child.expect("SERVER")
        child.expect(PROMPT)
        self.finish(child)

    def test_destructive_redis_commands_are_confirmed(self):
        redis = Redis()
        self.addCleanup(redis.close)
        self.addCleanup(redis.delete_matching, "repltest*")
        redis.call("SET", "repltest:kept", "1")
        child = self.spawn()
        child.send("redis FLUSHDB\r")
        child.expect(r"\[y/N\]")
        child.send("n\r")
        child.expect("cancelled")
        child.expect(PROMPT)
        self.finish(child)
        self.assertEqual(redis.call("GET", "repltest:kept"), "1")

    def test_connections_stay_open_and_come_back_after_being_killed(self):
        name = "repltest-conn-%d" % os.getpid()
        child = self.spawn()
        child.send("redis CLIENT SETNAME %s\r" % name)
        child.expect("OK")
        child.expect(PROMPT)
        child.send("redis CLIENT GETNAME\r")
        child.expect('"%s"' % name)  # the same connection as the command before
        child.expect(PROMPT)

        redis = Redis()
        self.addCleanup(redis.close)
        ids = [line.split(" ")[0].split("=")[1] for line in redis.call("CLIENT", "LIST").splitlines()
               if " name=%s " % name in line]
        self.assertEqual(len(ids), 1)
        redis.call("CLIENT", "KILL", "ID", ids[0])

        child.send("redis PING\r")
        child.expect("PONG")
        child.expect(PROMPT)
        child.send("redis CLIENT GETNAME\r")
        child.expect(r"\(nil\)")  # a new connection
        child.expect(PROMPT)
        self.finish(child)

    def test_use_switches_profile_and_a_production_profile_stands_out(self):
        config = os.path.join(self.env["XDG_CONFIG_HOME"], "wwctl")
        os.makedirs(config)
        with open(os.path.join(config, "config.json"), "w") as f:
            f.write('{"profiles": {"prod": {"redisUrl": "%s", "databaseUrl": "%s", "production": true},'
                    ' "stage": {"redisUrl": "%s", "databaseUrl": "%s"}}}'
                    % (redis_url(DATABASE), TEST_DATABASE_URL, redis_url(DATABASE), TEST_DATABASE_URL))
        del self.env["NO_COLOR"]
        child = self.spawn()
        child.send("use st\t")
        child.expect("age ")
        child.send("\r")
        child.expect("wwctl \x1b\\[36mstage\x1b\\[0m redis@")
        child.expect(PROMPT)
        child.send("use prod\r")
        child.expect("wwctl \x1b\\[7m\x1b\\[31mprod\x1b\\[0m\x1b\\[0m redis@")
        child.expect(PROMPT)
        child.send("use nosuch\r")
        child.expect("unknown profile 'nosuch'")
        child.expect("wwctl \x1b\\[7m\x1b\\[31mprod")  # still on prod
        child.expect(PROMPT)
        self.finish(child)

    def test_wwctl_without_arguments_on_a_terminal_is_the_repl(self):
        child = pexpect.spawn(BIN, [], env=self.env, encoding="utf-8", timeout=TIMEOUT)
        self.addCleanup(lambda: child.terminate(force=True) if child.isalive() else None)
        child.expect(PROMPT)
        self.finish(child)


class ScriptTests(ReplCase):
    def test_a_script_runs_line_by_line(self):
        result = self.run_script("# warm-up check\n\nping\n  # indented comment\nconfig show -o json\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("SERVER", result.stdout)
        self.assertIn('"settings"', result.stdout)
        self.assertNotIn("> ", result.stdout)
        self.assertNotIn("\x1b[", result.stdout)

    def test_the_first_failure_ends_the_script_with_its_status(self):
        port = closed_port()
        result = self.run_script("ping --redis-url redis://127.0.0.1:%d/0\nconfig show\n" % port)
        self.assertEqual(result.returncode, 69, result.stderr)
        self.assertIn("connection refused", result.stdout + result.stderr)
        self.assertNotIn("SETTING", result.stdout)

    def test_continue_on_error_runs_the_rest(self):
        port = closed_port()
        result = self.run_script(
            "ping --redis-url redis://127.0.0.1:%d/0\nconfig show\nredis ECHO still-here\n" % port,
            "--continue-on-error")
        self.assertEqual(result.returncode, 69, result.stderr)
        self.assertIn("SETTING", result.stdout)
        self.assertIn('"still-here"', result.stdout)

    def test_a_usage_error_stops_the_script(self):
        result = self.run_script("frobnicate\nconfig show\n")
        self.assertEqual(result.returncode, 64)
        self.assertIn("unknown command 'frobnicate'", result.stderr)
        self.assertNotIn("SETTING", result.stdout)

    def test_destructive_redis_commands_need_yes_in_a_script(self):
        result = self.run_script("redis FLUSHDB\n")
        self.assertEqual(result.returncode, 64)
        self.assertIn("--yes", result.stderr)


if __name__ == "__main__":
    unittest.main()
