"""wwctl --version: the build and the C libraries it runs with."""
import json
import os
import re
import unittest

from tests.cli.support import base_env, run


class VersionTests(unittest.TestCase):
    def test_version_names_the_build_and_the_linked_hiredis_without_loading_libpq(self):
        result = run("--version", env=base_env(LD_DEBUG="libs"))
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 2, result.stdout)
        self.assertRegex(lines[0], r"^wwctl \d+\.\d+\.\d+ \((commit [0-9a-f]{12}( with uncommitted changes)?"
                                   r"|commit unknown: built outside a git checkout"
                                   r"|no commit recorded: not a release build)\)$")
        match = re.match(r"^hiredis (\S+) \(the version in the loaded file's name, (/\S+); compiled against (\S+)\)$",
                         lines[1])
        self.assertIsNotNone(match, lines[1])
        version, path, compiled = match.groups()
        self.assertTrue(os.path.isfile(path))
        self.assertTrue(os.path.basename(path).endswith(".so." + version))
        self.assertTrue(compiled.startswith(version + "."))
        self.assertNotIn("libpq", result.stderr)

    def test_verbose_loads_libpq_and_asks_it_and_openssl(self):
        for arguments in (["--version", "-v"], ["-v", "--version"]):
            result = run(*arguments, env=base_env(LD_DEBUG="libs"))
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("libpq.so.5", result.stderr)
            lines = result.stdout.splitlines()
            self.assertEqual(len(lines), 4, result.stdout)
            match = re.match(r"^libpq (\d+)\.(\d+) \(PQlibVersion\(\) of (/\S+)\)$", lines[2])
            self.assertIsNotNone(match, lines[2])
            self.assertTrue(os.path.basename(match.group(3)).startswith("libpq.so.5"))
            self.assertRegex(lines[3], r"^OpenSSL \d+\.\d+\.\d+ .*\(OpenSSL_version\(\) of /\S+/libcrypto\.so\.\S+, loaded by libpq\)$")

    def test_json(self):
        result = run("--version", "-v", "-o", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        document = json.loads(result.stdout)
        self.assertEqual(document["hiredis"]["source"], "file name")
        self.assertEqual(document["libpq"]["source"], "PQlibVersion()")
        self.assertIn(document["commitState"], ["recorded", "modified", "unknown", "not-recorded"])
        self.assertEqual(document["commit"] is None, document["commitState"] in ["unknown", "not-recorded"])


if __name__ == "__main__":
    unittest.main()
