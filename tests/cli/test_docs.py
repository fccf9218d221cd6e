"""Shell completion from the generated scripts, answered by the real binary."""
import json
import os
import subprocess
import unittest

from tests.cli.support import DATABASE_URL, REDIS_URL, WWCTL, SeededDatabase, base_env

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def bash_complete(line, env):
    """COMPREPLY for `line` (completing its last word) with completions/wwctl.bash loaded."""
    words = line.split(" ")
    script = f"""
source {ROOT}/completions/wwctl.bash
func=$(complete -p wwctl | sed -E 's/.*-F ([^ ]+).*/\\1/')
COMP_WORDS=({' '.join(repr(w) for w in words)})
COMP_CWORD={len(words) - 1}
COMP_LINE={line!r}
COMP_POINT=${{#COMP_LINE}}
"$func" wwctl {words[-1]!r} {words[-2]!r}
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    env = dict(env, PATH=os.path.dirname(os.path.abspath(WWCTL)) + ":" + env.get("PATH", ""))
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    return [w for w in result.stdout.split("\n") if w]


class CompletionTests(unittest.TestCase):
    def test_commands_and_subcommands(self):
        self.assertIn("cache", bash_complete("wwctl ca", base_env()))
        self.assertIn("invalidate", bash_complete("wwctl cache inv", base_env()))

    def test_family_names_come_from_the_registry(self):
        families = json.loads(subprocess.run([WWCTL, "cache", "families", "-o", "json"], capture_output=True,
                                             text=True, env=base_env()).stdout)
        warmable = {f["name"] for f in families if f["warmable"]}
        offered = set(bash_complete("wwctl cache warm ", base_env()))
        self.assertTrue(warmable <= offered, warmable - offered)
        self.assertNotIn("session", offered)  # not warmable
        self.assertIn("product-variants", bash_complete("wwctl cache invalidate --family product-", base_env()))

    def test_roles(self):
        self.assertEqual(set(bash_complete("wwctl perms grant ", base_env())),
                         {"owner", "admin", "manager", "staff", "viewer"})
        self.assertIn("viewer", bash_complete("wwctl orgs set-role 7 42 vi", base_env()))

    def test_output_formats_are_those_the_command_accepts(self):
        self.assertEqual(set(bash_complete("wwctl ping -o ", base_env())), {"table", "json", "ndjson"})
        self.assertIn("prometheus", bash_complete("wwctl metrics -o ", base_env()))

    def test_profiles_from_the_config_file(self):
        env = base_env()
        os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "wwctl"))
        with open(os.path.join(env["XDG_CONFIG_HOME"], "wwctl", "config.json"), "w") as f:
            json.dump({"profiles": {"prod": {}, "staging": {}}}, f)
        self.assertEqual(set(bash_complete("wwctl ping --profile ", env)), {"prod", "staging"})
        self.assertEqual(bash_complete("wwctl ping --profile st", env), ["staging"])



def psql(url, query):
    return subprocess.run(["psql", url, "-Atc", query], capture_output=True, text=True, check=True).stdout.split()


class ArgumentCompletionTests(unittest.TestCase):
    """perms check USER ORG RESOURCE ACTION and sessions show SESSION complete in bash: the
    catalog's resources and actions, users and orgs from PostgreSQL (a user's orgs once the
    user is given), sessions from Redis."""

    @classmethod
    def setUpClass(cls):
        cls.database = SeededDatabase("complete")
        cls.user, cls.org = psql(cls.database.url, "select user_id, organization_id from organization_users order by 1, 2 limit 1")[0].split("|")
        cls.orgs = set(psql(cls.database.url, "select organization_id from organization_users where user_id = %s" % cls.user))
        cls.redis_url = REDIS_URL.rsplit("/", 1)[0] + "/12"
        for sid in ("cmpl-a1", "cmpl-a2", "cmpl-b1"):
            subprocess.run(["redis-cli", "-u", cls.redis_url, "SET", "session:" + sid, "{}"], check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        cls.database.drop()
        subprocess.run(["redis-cli", "-u", cls.redis_url, "DEL", "session:cmpl-a1", "session:cmpl-a2", "session:cmpl-b1"],
                       capture_output=True)

    def env(self):
        return base_env(DATABASE_URL=self.database.url, REDIS_URL=self.redis_url)

    def test_perms_check_completes_each_argument(self):
        users = bash_complete("wwctl perms check %s" % self.user[:-1], self.env())
        self.assertIn(self.user, users)
        self.assertTrue(all(u.startswith(self.user[:-1]) for u in users), users)
        self.assertEqual(set(bash_complete("wwctl perms check %s " % self.user, self.env())), self.orgs)
        self.assertEqual(bash_complete("wwctl perms check %s %s comm" % (self.user, self.org), self.env()), ["commission"])
        self.assertEqual(bash_complete("wwctl perms check %s %s product up" % (self.user, self.org), self.env()), ["update"])
        # The servers the line names are the ones asked.
        none = bash_complete("wwctl perms check --database-url postgresql://x@127.0.0.1:1/x %s" % self.user, self.env())
        self.assertEqual(none, [])

    def test_sessions_show_completes_session_ids(self):
        self.assertEqual(set(bash_complete("wwctl sessions show cmpl-a", self.env())), {"cmpl-a1", "cmpl-a2"})


    def test_the_repl_completes_them_too(self):
        import pexpect
        env = dict(self.env(), TERM="xterm", NO_COLOR="1")
        child = pexpect.spawn(WWCTL, ["repl"], env=env, encoding="utf-8", timeout=90, dimensions=(40, 200))
        self.addCleanup(lambda: child.terminate(force=True) if child.isalive() else None)
        prompt = r"pg@\S*> "
        child.expect(prompt)
        child.send("perms check %s %s comm\t" % (self.user, self.org))
        child.expect("ission ")
        child.send("up\t")
        child.expect("date ")
        child.send("\x15")  # clear the line
        # The user's orgs once the user is given: the first of them completes.
        child.send("perms check %s \t\t" % self.user)
        for org in sorted(self.orgs):
            child.expect(org)
        child.send("\x15sessions show cmpl-b\t")
        child.expect("1 ")
        child.send("\x15")
        child.sendeof()
        child.expect(pexpect.EOF)

if __name__ == "__main__":
    unittest.main()
