"""wwctl on the Redis Cluster of `scripts/servers.sh start cluster` (3 primaries, 3 replicas,
6381-6386), which scripts/test.sh starts once per run: the commands with a cluster path, and
the refusal of the others."""
import json
import os
import subprocess
import time
import unittest
import uuid

from tests.cli.support import DATABASE_URL, base_env, run, run_json

SEEDS = os.environ.get("WWCTL_TEST_CLUSTER_URL", "redis://127.0.0.1:6381,127.0.0.1:6382,127.0.0.1:6383")
ONE_NODE = "redis://127.0.0.1:6382/0"


def crc16(data):
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def slot(key):
    start = key.find(b"{")
    if start >= 0:
        end = key.find(b"}", start + 1)
        if end > start + 1:
            key = key[start + 1:end]
    return crc16(key) % 16384


def owners():
    """The port of the primary serving each slot, as CLUSTER NODES says."""
    table = [None] * 16384
    lines = subprocess.run(["redis-cli", "-p", "6381", "cluster", "nodes"], capture_output=True, text=True, check=True).stdout
    for line in lines.strip().splitlines():
        fields = line.split()
        if "master" not in fields[2]:
            continue
        port = int(fields[1].split("@")[0].rsplit(":", 1)[1])
        for part in fields[8:]:
            if part.startswith("["):
                continue
            first, _, last = part.partition("-")
            for s in range(int(first), int(last or first) + 1):
                table[s] = port
    return table


def cli(port, *args, input=None):
    return subprocess.run(["redis-cli", "-p", str(port), *args], input=input, capture_output=True, check=True).stdout


def set_keys(keys):
    """SET every key on the primary that serves it; returns the keys per port."""
    table = owners()
    per_port = {}
    for key in keys:
        per_port.setdefault(table[slot(key.encode())], []).append(key)
    for port, names in per_port.items():
        payload = b"".join(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n" % (len(k.encode()), k.encode()) for k in names)
        cli(port, "--pipe", input=payload)
    return per_port


def existing(keys):
    table = owners()
    return sum(int(cli(table[slot(k.encode())], "EXISTS", k).strip() or 0) for k in keys)


class ClusterTests(unittest.TestCase):
    def setUp(self):
        self.prefix = "cli-cluster-%s:" % uuid.uuid4().hex[:8]
        self.env = base_env(REDIS_URL=ONE_NODE, DATABASE_URL=DATABASE_URL)

    def test_a_pattern_is_invalidated_on_every_primary(self):
        keys = ["%sperm:7:%d:product:read" % (self.prefix, i) for i in range(300)]
        decoys = ["%sperm:70:%d:product:read" % (self.prefix, i) for i in range(30)]
        per_port = set_keys(keys + decoys)
        self.assertEqual(len(per_port), 3)
        result, report = run_json("cache", "invalidate", self.prefix + "perm:7:*", "--yes", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(report["deleted"], 300)
        self.assertEqual(len(report["nodes"]), 3)
        self.assertEqual(sum(node["deleted"] for node in report["nodes"]), 300)
        self.assertTrue(all(node["deleted"] > 0 for node in report["nodes"]))
        self.assertEqual(existing(keys), 0)
        self.assertEqual(existing(decoys), 30)
        # The table says what each node did.
        set_keys(keys[:10])
        text = run("cache", "invalidate", self.prefix + "perm:7:*", "--yes", "--redis-url", SEEDS, env=self.env)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("deleted 10 keys", text.stdout)
        self.assertEqual(text.stdout.count("  node 127.0.0.1:638"), 3)
        run("cache", "invalidate", *decoys, "--yes", env=self.env)

    def test_keys_by_name_and_a_dry_run(self):
        keys = ["%sproduct:%d" % (self.prefix, i) for i in range(20)]
        set_keys(keys)
        dry, report = run_json("cache", "invalidate", *keys, "--dry-run", env=self.env)
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertEqual(report["matched"], 20)
        self.assertEqual(existing(keys), 20)
        result, report = run_json("cache", "invalidate", "-", "--yes", "--key-prefix", self.prefix, env=self.env,
                                  input="\n".join(keys) + "\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(report["deleted"], 20)
        self.assertEqual(report["families"], ["product"])
        self.assertEqual(existing(keys), 0)

    def test_cache_keys_walks_every_primary(self):
        keys = ["%scart:%d" % (self.prefix, i) for i in range(40)]
        set_keys(keys)
        result = run("cache", "keys", self.prefix + "cart:*", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(result.stdout.split()), sorted(keys))
        limited = run("cache", "keys", self.prefix + "cart:*", "--limit", "25", env=self.env)
        self.assertEqual(len(limited.stdout.split()), 25)
        run("cache", "invalidate", self.prefix + "cart:*", "--yes", env=self.env)

    def test_metrics_health_and_ping_report_the_cluster(self):
        result, metrics = run_json("metrics", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(metrics["cluster"]["state"], "ok")
        self.assertEqual(metrics["cluster"]["slotsAssigned"], 16384)
        self.assertEqual(len(metrics["cluster"]["nodes"]), 3)
        self.assertEqual(metrics["keys"], sum(node["keys"] for node in metrics["cluster"]["nodes"]))
        prometheus = run("metrics", "-o", "prometheus", env=self.env)
        self.assertIn('wwctl_redis_keyspace_hits_total{node="127.0.0.1:6381"}', prometheus.stdout)
        self.assertIn("wwctl_redis_cluster_state_ok 1", prometheus.stdout)
        health, report = run_json("health", "--no-postgres", "--min-hit-rate", "0", env=self.env)
        self.assertEqual(health.returncode, 0, health.stdout)
        self.assertIn("redis-cluster-state", [check["name"] for check in report["checks"]])
        ping, answer = run_json("ping", env=self.env)
        self.assertEqual(ping.returncode, 0, ping.stdout)
        self.assertEqual(len(answer["redis"]["nodes"]), 3)
        self.assertEqual(answer["redis"]["unservedSlots"], 0)

    def test_commands_without_a_cluster_path_refuse_and_write_nothing(self):
        key = self.prefix + "ratelimit:login:user:7"
        for args in (["sessions", "list", "--user", "7"], ["cache", "inspect", key],
                     ["metrics", "--by-family"], ["ratelimit", "reset", "--user", "7", "--yes"]):
            result = run(*args, env=self.env)
            self.assertEqual(result.returncode, 69, (args, result.stdout, result.stderr))
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
            self.assertIn("does not route by hash slot", result.stderr)
        # --no-cluster addresses the one node; a seed list with it is a usage error.
        one = run("cache", "inspect", key, "--no-cluster", env=self.env)
        self.assertNotEqual(one.returncode, 69, one.stderr)
        listed = run("ping", "--redis-url", SEEDS, "--no-cluster", env=self.env)
        self.assertEqual(listed.returncode, 64, listed.stderr)



def node_id(port):
    return cli(port, "cluster", "myid").decode().strip()


def settled():
    """Waits (10 s at most) until every node agrees on the slots and none is open, as
    `redis-cli --cluster check` wants before a reshard: right after one, nodes may not
    agree yet."""
    for _ in range(100):
        check = subprocess.run(["redis-cli", "--cluster", "check", "127.0.0.1:6381"], capture_output=True, text=True)
        if check.returncode == 0 and "[WARNING]" not in check.stdout and "[ERR]" not in check.stdout:
            return
        time.sleep(0.1)
    raise AssertionError("the cluster did not settle: " + check.stdout[-500:])


def reshard(source, target, slots):
    """`redis-cli --cluster reshard`, started in the background once the cluster has settled."""
    settled()
    return subprocess.Popen(
        ["redis-cli", "--cluster", "reshard", "127.0.0.1:6381", "--cluster-from", node_id(source),
         "--cluster-to", node_id(target), "--cluster-slots", str(slots), "--cluster-yes", "--cluster-pipeline", "10"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class ReshardingTests(unittest.TestCase):
    """An invalidation while `redis-cli --cluster reshard` moves slots between primaries:
    every key of the pattern goes, wherever it was when the walks passed, and no other."""

    def test_an_invalidation_during_a_reshard_loses_nothing_and_spares_the_rest(self):
        prefix = "cli-reshard-%s:" % uuid.uuid4().hex[:8]
        env = base_env(REDIS_URL=ONE_NODE, DATABASE_URL=DATABASE_URL)
        table = owners()
        source = table[0]
        target = next(port for port in (6381, 6382, 6383) if port != source)
        keys = ["%sperm:%d:1:product:read" % (prefix, i) for i in range(30000)]
        decoys = ["%sprem:%d" % (prefix, i) for i in range(5000)]
        set_keys(keys + decoys)
        mover = reshard(source, target, 400)
        try:
            result, report = run_json("cache", "invalidate", prefix + "perm:*", "--yes", "--scan-count", "200", env=env, timeout=300)
        finally:
            _, errors = mover.communicate(timeout=300)
        self.assertEqual(mover.returncode, 0, errors)
        back = reshard(target, source, 400)
        _, errors = back.communicate(timeout=300)
        self.assertEqual(back.returncode, 0, errors)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(report["deleted"], 30000)
        self.assertEqual(existing(keys[::50]), 0)
        remaining = sum(len(run("cache", "keys", prefix + "perm:*", env=env).stdout.split()) for _ in range(1))
        self.assertEqual(remaining, 0)
        self.assertEqual(len(run("cache", "keys", prefix + "prem:*", env=env).stdout.split()), 5000)
        run("cache", "invalidate", prefix + "prem:*", "--yes", env=env)


if __name__ == "__main__":
    unittest.main()
