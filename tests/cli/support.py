"""Shared helpers for the tests that drive the real wwctl binary."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

WWCTL = os.environ.get("WWCTL_BIN") or os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "wwctl")
REDIS_URL = os.environ.get("WWCTL_TEST_REDIS_URL", "redis://127.0.0.1:6391/0")
DATABASE_URL = os.environ.get("WWCTL_TEST_DATABASE_URL", "postgresql://wwctl:wwctl-local@127.0.0.1:5491/waywise")


def base_env(**extra):
    """An environment with no inherited wwctl settings and an empty config dir."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("REDIS_", "DATABASE_", "WWCTL_", "PG"))}
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="wwctl-cli-config-")
    env["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="wwctl-cli-state-")
    env["NO_COLOR"] = "1"
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


def run(*args, env=None, input=None, timeout=60):
    """Runs wwctl; returns CompletedProcess with text stdout/stderr. A hang fails the test."""
    return subprocess.run([WWCTL, *args], env=env if env is not None else base_env(),
                          input=input, capture_output=True, text=True, timeout=timeout)


def run_json(*args, **kw):
    result = run(*args, "-o", "json", **kw)
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def free_port_closed():
    """A loopback port with nothing listening."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class SilentServer:
    """Accepts TCP connections and never answers: an address that does not respond."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()


class RedisServer:
    """A redis-server of the test's own on a fixed port (6480-6489 belong to these tests)."""

    def __init__(self, port, *args):
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="wwctl-cli-redis-")
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.025)
        raise RuntimeError(f"redis-server did not start on {port}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class SeededDatabase:
    """A database of the test's own on the test PostgreSQL, migrated and seeded by the binary
    at `scale`; `drop()` removes it."""

    def __init__(self, prefix, scale="tiny", seed=None):
        self.name = f"clitest_{prefix}_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", DATABASE_URL, "-qc", f"create database {self.name}"], check=True)
        self.url = DATABASE_URL.rsplit("/", 1)[0] + "/" + self.name
        env = base_env(DATABASE_URL=self.url)
        seeding = ["db", "seed", "--scale", scale] + (["--seed", str(seed)] if seed is not None else [])
        for step in (["db", "migrate"], seeding):
            result = run(*step, env=env, timeout=300)
            if result.returncode != 0:
                self.drop()
                raise RuntimeError(f"{' '.join(step)} failed: {result.stderr}")

    def drop(self):
        subprocess.run(["psql", DATABASE_URL, "-qc", f"drop database if exists {self.name} with (force)"], check=True)
