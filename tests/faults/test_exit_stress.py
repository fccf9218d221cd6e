"""The commands that start the concurrency runtime's threads (`ping`, `health`) and one
that does not (`cache families`), run thousands of times: a finished command must never
die at exit (it did once in about 6,000 runs, with exit 139 after a complete output, when
exit() tore the runtime down under a worker thread). WWCTL_STRESS_RUNS sets the number of
runs (default 3,000); the time it took is printed."""
import concurrent.futures
import os
import subprocess
import sys
import time
import unittest

from tests.faults.servers import WWCTL, Redis, base_env, seeded_postgres

RUNS = int(os.environ.get("WWCTL_STRESS_RUNS", "3000"))


class ExitStressTests(unittest.TestCase):
    def test_start_up_bound_commands_always_exit_with_their_status(self):
        redis = Redis(6409)
        self.addCleanup(redis.stop)
        pg = seeded_postgres(redis.url)
        env = base_env(REDIS_URL=redis.url, DATABASE_URL=pg.url)
        commands = [["ping"], ["health"], ["cache", "families"]]
        expected = {"ping": {0}, "health": {0, 1}, "cache": {0}}

        def one(index):
            command = commands[index % len(commands)]
            result = subprocess.run([WWCTL, *command], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            return command[0], result.returncode, result.stdout

        started = time.monotonic()
        outcomes = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            for name, code, stdout in pool.map(one, range(RUNS)):
                outcomes.setdefault((name, code), 0)
                outcomes[(name, code)] += 1
                self.assertIn(code, expected[name], f"{name} exited {code} after: {stdout[-200:]!r}")
                self.assertTrue(stdout.strip(), f"{name} printed nothing")
        elapsed = time.monotonic() - started
        print(f"\n  exit stress: {RUNS} runs in {elapsed:.1f} s ({RUNS / elapsed:.0f}/s): {outcomes}", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
