"""Shell completion from the generated scripts, answered by the real binary."""
import json
import os
import subprocess
import unittest

from tests.cli.support import WWCTL, base_env

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

    def test_profiles_from_the_config_file(self):
        env = base_env()
        os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "wwctl"))
        with open(os.path.join(env["XDG_CONFIG_HOME"], "wwctl", "config.json"), "w") as f:
            json.dump({"profiles": {"prod": {}, "staging": {}}}, f)
        self.assertEqual(set(bash_complete("wwctl ping --profile ", env)), {"prod", "staging"})
        self.assertEqual(bash_complete("wwctl ping --profile st", env), ["staging"])


if __name__ == "__main__":
    unittest.main()
