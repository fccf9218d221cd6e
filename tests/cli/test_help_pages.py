"""Help for people on the real binary: unknown help topics, what `--help` shows and in
which order, the manual pages (rendered by man(1) without a warning, every character of the
help kept), and global options before the command as well as after it."""
import json
import os
import re
import subprocess
import unittest

from tests.cli.support import WWCTL, base_env, run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class HelpTopicTests(unittest.TestCase):
    def test_an_unknown_topic_is_a_usage_error_with_did_you_mean(self):
        result = run("help", "nosuch")
        self.assertEqual(result.returncode, 64)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr, "wwctl: no help topic 'nosuch' (see 'wwctl --help')\n")

        result = run("help", "cache", "familes")
        self.assertEqual(result.returncode, 64)
        self.assertIn("did you mean 'cache families'?", result.stderr)

        result = run("help", "cahce", "-o", "json")
        self.assertEqual(result.returncode, 64)
        self.assertEqual(json.loads(result.stdout)["error"]["code"], 64)
        self.assertIn("did you mean 'cache'?", result.stderr)

    def test_a_known_topic_is_its_help(self):
        result = run("help", "cache", "warm")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("USAGE: wwctl cache warm", result.stdout)
