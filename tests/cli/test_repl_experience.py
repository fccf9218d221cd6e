"""The REPL as an operator meets it, on the real binary: messages that name the REPL's own
forms and a script's line, Tab completion against the keyspace, session defaults that a
line overrides, raw Redis replies, the prompt, and Ctrl-C on a blocking command. The
interactive tests run on a pseudo-terminal (pexpect)."""
import json
import os
import re
import subprocess
import time
import unittest

import pexpect

from tests.cli.support import RedisServer
from tests.cli.test_repl import BIN, PROMPT, TIMEOUT, Redis, ReplCase, redis_url

BIG_PORT = 6456


class ScriptMessageTests(ReplCase):
    def test_an_error_names_the_script_line(self):
        script = "# check first\nping -q\n\ncache invalidate --family product --param productId=abc\nping\n"
        result = self.run_script(script)
        self.assertEqual(result.returncode, 65, result.stderr)
        self.assertIn("line 4: wwctl: product:{productId}: parameter productId must be an integer id", result.stderr)
        self.assertEqual(result.stdout.count("SERVER"), 1)  # line 5 never ran

    def test_a_continued_line_is_named_by_its_first_line(self):
        result = self.run_script("ping -q\ncache invalidate \\\n  --family product --param productId=abc -o json\n")
        self.assertEqual(result.returncode, 65)
        self.assertIn("line 2: wwctl: product:{productId}", result.stderr)
        error = json.loads(result.stdout.strip().splitlines()[-1])["error"]
        self.assertEqual((error["code"], error["line"]), (65, 2))

    def test_hints_name_the_repl_form(self):
        result = self.run_script("orgs set-role 1\n")
        self.assertEqual(result.returncode, 64)
        self.assertIn("(see 'help orgs set-role')", result.stderr)
        self.assertNotIn("wwctl orgs", result.stderr)

        result = self.run_script("cache\n")
        self.assertEqual(result.returncode, 64)
        self.assertIn("'cache' needs a command: families, keys", result.stderr)
        self.assertIn("(see 'help cache')", result.stderr)

        result = self.run_script("help cache familes\n")
        self.assertEqual(result.returncode, 64)
        self.assertIn("no help topic 'cache familes'; did you mean 'cache families'? (see 'help cache')", result.stderr)


class SessionDefaultTests(ReplCase):
    def test_a_flag_on_the_line_overrides_the_sessions_default(self):
        result = self.run_script("ping -q\nping\n", "-v")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("cannot be used together", result.stderr)
        # Only the second line is verbose: it names where the Redis URL came from.
        self.assertEqual(result.stderr.count("(environment REDIS_URL)"), 1, result.stderr)

        result = self.run_script("ping -v\n", "-q")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("(environment REDIS_URL)", result.stderr)


class ProfilePrecedenceTests(ReplCase):
    """One resolver: a flag, then a profile named by --profile or `use`, then the
    environment, then a profile chosen by default ($WWCTL_PROFILE, defaultProfile)."""

    def setUp(self):
        super().setUp()
        config = os.path.join(self.env["XDG_CONFIG_HOME"], "wwctl")
        os.makedirs(config)
        with open(os.path.join(config, "config.json"), "w") as f:
            json.dump({"defaultProfile": "ops", "profiles": {
                "ops": {"redisUrl": redis_url(12), "keyPrefix": "ops:", "timeout": 7}}}, f)
        self.env.update(WWCTL_KEY_PREFIX="env:")

    def settings(self, *args, script=None):
        if script is None:
            result = subprocess.run([BIN, "config", "show", "-o", "json", *args], env=self.env,
                                    capture_output=True, text=True, timeout=TIMEOUT)
        else:
            result = self.run_script(script, *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        doc = json.loads(result.stdout.strip().splitlines()[-1])
        return {s["name"]: (s["value"], s["source"]) for s in doc["settings"]}

    def test_a_named_profile_beats_the_environment(self):
        s = self.settings("--profile", "ops")
        self.assertEqual(s["keyPrefix"][0], "ops:")
        self.assertTrue(s["keyPrefix"][1].startswith("profile ops"), s)
        self.assertTrue(s["redisUrl"][0].endswith("/12"), s)
        self.assertEqual(s["profile"][1], "flag --profile")
        # What the profile does not set still comes from the environment.
        self.assertEqual(s["databaseUrl"][1], "environment DATABASE_URL")
        # A flag beats the named profile.
        s = self.settings("--profile", "ops", "--key-prefix", "flag:")
        self.assertEqual(s["keyPrefix"], ("flag:", "flag --key-prefix"))

    def test_the_environment_beats_a_default_profile(self):
        s = self.settings()  # defaultProfile ops
        self.assertEqual(s["profile"][0], "ops")
        self.assertEqual(s["keyPrefix"], ("env:", "environment WWCTL_KEY_PREFIX"))
        self.assertEqual(s["redisUrl"][1], "environment REDIS_URL")
        self.assertTrue(s["timeout"][1].startswith("profile ops"), s)  # no WWCTL_TIMEOUT
        self.env["WWCTL_PROFILE"] = "ops"
        s = self.settings()
        self.assertEqual(s["profile"][1], "environment WWCTL_PROFILE")
        self.assertEqual(s["keyPrefix"], ("env:", "environment WWCTL_KEY_PREFIX"))

    def test_use_in_the_repl_ranks_as_the_flag(self):
        s = self.settings(script="use ops\nconfig show -o json\n")
        self.assertEqual(s["keyPrefix"][0], "ops:")
        self.assertEqual(s["profile"][1], "use (REPL)")
        self.assertTrue(s["redisUrl"][0].endswith("/12"), s)
        s = self.settings("--profile", "ops", script="config show -o json\n")
        self.assertEqual(s["keyPrefix"][0], "ops:")
        s = self.settings(script="config show -o json\n")
        self.assertEqual(s["keyPrefix"][0], "env:")


class ColouredTableTests(ReplCase):
    def test_watch_ping_aligns_its_coloured_table(self):
        del self.env["NO_COLOR"]
        child = self.spawn()
        child.send("watch 1 ping\r")
        child.expect("every 1s: ping")
        child.expect("postgres .*\r\n")
        table = child.before + child.after
        child.sendintr()
        child.expect(PROMPT)
        self.finish(child)
        self.assertIn("\x1b[32mok\x1b[0m", table)
        lines = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line) for line in table.split("\r\n")]
        header = next(line for line in lines if line.startswith("SERVER"))
        rows = [line for line in lines if line.startswith(("redis ", "postgres "))]
        self.assertEqual(len(rows), 2, lines)
        for row in rows:
            self.assertEqual(row.index("ok") , header.index("STATUS"), lines)
            self.assertEqual(row.index("://") - (5 if row.startswith("redis") else 10), header.index("ADDRESS"), lines)


class RawRedisReplyTests(ReplCase):
    def test_info_prints_plain_lines_on_a_terminal(self):
        child = self.spawn()
        child.send("redis INFO server\r")
        child.expect("# Server\r\n")
        child.expect("redis_version:[0-9.]+\r\n")
        child.expect(PROMPT)
        self.assertNotIn('\\r\\n', child.before)
        child.send("redis --raw-quoted INFO server\r")
        child.expect('"# Server\\\\r\\\\nredis_version:')
        child.expect(PROMPT)
        child.send("redis CLIENT LIST\r")
        # CLIENT is an administrative command: the guard asks first.
        child.expect(r"\(it administers the server\)\? \[y/N\] ")
        child.send("y\r")
        child.expect("id=[0-9]+ addr=")
        child.expect(PROMPT)
        self.assertNotIn('"id=', child.before)
        self.finish(child)

    def test_json_keeps_the_string_whole(self):
        result = self.run_script("redis -o json INFO server\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        info = json.loads(result.stdout)
        self.assertTrue(info.startswith("# Server\r\nredis_version:"))
        # A session's -o json applies too.
        result = self.run_script("redis INFO server\n", "-o", "json")
        self.assertTrue(json.loads(result.stdout).startswith("# Server\r\n"))


class PromptTests(ReplCase):
    def test_the_prompt_is_short_and_whereami_names_the_full_targets(self):
        child = self.spawn()
        # Start-up shows the targets in full; the prompt keeps to 40 columns.
        self.assertIn("redis     redis://127.0.0.1:", child.before)
        self.assertIn("postgres  postgresql://", child.before)
        last = child.before.splitlines()[-1] + child.after if child.before.splitlines() else child.after
        self.assertLessEqual(len(re.sub(r"\x1b\[[0-9;]*m", "", last.split("\r")[-1])), 40, last)
        child.send("whereami\r")
        child.expect("profile   none")
        child.expect("redis     redis://127.0.0.1:\\d+/11")
        child.expect(PROMPT)
        self.finish(child)

    def test_a_profile_sets_the_prompts_form(self):
        config = os.path.join(self.env["XDG_CONFIG_HOME"], "wwctl")
        os.makedirs(config)
        with open(os.path.join(config, "config.json"), "w") as f:
            json.dump({"profiles": {"ops": {"redisUrl": redis_url(), "databaseUrl": self.env["DATABASE_URL"],
                                            "prompt": "[%p] %d %% "}}}, f)
        child = pexpect.spawn(BIN, ["repl", "--profile", "ops"], env=self.env, encoding="utf-8", timeout=TIMEOUT,
                              dimensions=(40, 200))
        self.addCleanup(lambda: child.terminate(force=True) if child.isalive() else None)
        child.expect(r"\[ops\] waywise % ")
        child.send("whereami\r")
        child.expect("profile   ops")
        child.expect(r"\[ops\] waywise % ")
        child.sendeof()
        child.expect(pexpect.EOF)


class BlockingCommandTests(ReplCase):
    def blocked_clients(self, redis):
        return [line for line in redis.call("CLIENT", "LIST").splitlines() if "cmd=blpop" in line]

    def test_ctrl_c_abandons_a_blocking_command_and_replaces_the_connection(self):
        redis = Redis()
        self.addCleanup(redis.close)
        # A deadline far beyond the test's own wait: only Ctrl-C can end the BLPOP in time.
        # --yes: BLPOP writes (it pops), so the guard would ask first.
        child = self.spawn("repl", "--timeout", "3600", "--yes")
        child.send("redis BLPOP repltest:never 0\r")
        for _ in range(600):
            if self.blocked_clients(redis):
                break
            time.sleep(0.1)
        self.assertTrue(self.blocked_clients(redis), "the BLPOP never reached the server")
        child.sendintr()
        child.expect("interrupted")
        child.expect(PROMPT)
        # The blocked connection is gone from the server, and the next command has a new one.
        for _ in range(600):
            if not self.blocked_clients(redis):
                break
            time.sleep(0.1)
        self.assertEqual(self.blocked_clients(redis), [])
        child.send("redis PING\r")
        child.expect("PONG")
        child.expect(PROMPT)
        self.finish(child)


class KeyCompletionTests(ReplCase):
    """A keyspace too large to walk while Tab waits: a million keys on a server of these
    tests' own, and the registry's families among them."""

    @classmethod
    def setUpClass(cls):
        cls.server = RedisServer(BIG_PORT, "--enable-debug-command", "yes")
        commands = "DEBUG POPULATE 1000000 filler\nSET categories:tree []\nSET category:3:products []\n"
        commands += "".join("SET perm:2415:%d:r%d:read true\n" % (org, n) for org in (1, 9) for n in range(1500))
        subprocess.run(["redis-cli", "-p", str(BIG_PORT)], input=commands, text=True, check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        super().setUp()
        self.env["REDIS_URL"] = "redis://127.0.0.1:%d/0" % BIG_PORT

    def test_a_partial_walk_never_completes_to_one_key(self):
        child = self.spawn()
        child.send("cache inspect perm:2415:\t\t")
        # The list says it is partial, and the line holds no whole key.
        child.expect("partial walk")
        child.expect(PROMPT)
        child.send("\r")
        child.expect(r"no key (perm:2415:\S*) in ")
        self.assertFalse(child.match.group(1).endswith(":read"), child.match.group(1))
        child.expect(PROMPT)
        self.finish(child)

    def test_the_registry_offers_fixed_keys_and_literal_parts(self):
        child = self.spawn()
        child.send("cache inspect categor\t\t")
        child.expect("categories:tree")
        child.expect(PROMPT)
        self.assertIn("category:", child.before + child.after)
        child.sendintr()
        child.expect(PROMPT)
        child.send("redis GET categories:\t\t")
        child.expect("categories:tree")
        child.expect(PROMPT)
        child.sendintr()
        child.expect(PROMPT)
        # A stem from the registry: no blank after it, the next Tab goes on.
        child.send("cache inspect jwt\t")
        child.expect(":blacklist:")
        child.send("X\r")
        child.expect("no key jwt:blacklist:X ")
        child.expect(PROMPT)
        self.finish(child)


if __name__ == "__main__":
    unittest.main()
