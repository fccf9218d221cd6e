"""Servers the fault suite breaks on purpose, on ports of its own (Redis 6403-6409, fake
servers on free ports, PostgreSQL 5510), and the helpers that drive the real binary.

Nothing here touches the shared test servers: every case has its own Redis, and the
PostgreSQL is this suite's own cluster (initdb once per run in a temporary folder), which
it stops with `pg_ctl stop -m immediate` and freezes with SIGSTOP."""
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WWCTL = os.environ.get("WWCTL_BIN") or os.path.join(ROOT, ".build", "debug", "wwctl")
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
PG_PORT = 5510


def base_env(**extra):
    """No inherited wwctl settings, an empty config folder, no colour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_", "WWCTL_", "PG"))}
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="wwctl-faults-config-")
    env["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="wwctl-faults-state-")
    env["NO_COLOR"] = "1"
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


def run(*args, env, timeout=120, input=None):
    """The binary, to its end; a hang fails the case (timeout)."""
    return subprocess.run([WWCTL, *args], env=env, capture_output=True, text=True, timeout=timeout, input=input)


def start(*args, env):
    """The binary in the background (stdout and stderr captured)."""
    return subprocess.Popen([WWCTL, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def json_of(text):
    return json.loads(text) if text.strip() else None


def wait_until(predicate, timeout=60, step=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class Redis:
    """A redis-server of one case, with the ways to break it."""

    def __init__(self, port, *args):
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="wwctl-faults-redis-")
        self.args = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--dir", self.dir, *args]
        self.proc = None
        self.start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(["redis-server", *self.args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_until(lambda: self.answers(), timeout=20):
            raise RuntimeError(f"redis-server did not start on {self.port}")

    def answers(self):
        try:
            reply = self.cli("PING", timeout=1)
        except Exception:
            return False
        return reply == "PONG" or "NOAUTH" in reply

    def cli(self, *args, timeout=30):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True,
                              timeout=timeout).stdout.strip()

    def pipe(self, lines):
        """Commands through redis-cli's stdin (its own quoting), many at once."""
        subprocess.run(["redis-cli", "-p", str(self.port)], input="".join(l + "\n" for l in lines),
                       capture_output=True, text=True, check=True, timeout=120)

    def plant(self, prefix, count, value="v"):
        """`count` string keys `prefix0…`, quickly (redis-cli --pipe with raw RESP)."""
        chunks = []
        for i in range(count):
            key = f"{prefix}{i}".encode()
            chunks.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, len(value), value.encode()))
        subprocess.run(["redis-cli", "-p", str(self.port), "--pipe"], input=b"".join(chunks),
                       capture_output=True, check=True, timeout=120)

    def dbsize(self):
        return int(self.cli("DBSIZE"))

    def cache_keys(self):
        """Keys other than wwctl's own (`wwctl:*`: locks, epochs, the change log)."""
        return self.dbsize() - self.count("wwctl:*")

    def half_written(self):
        """Keys (not wwctl's own) holding a string that is not whole JSON, as a write cut
        short would leave it: checked by the server itself, in one script."""
        script = """
            local bad = {}
            for _, key in ipairs(redis.call('KEYS', '*')) do
              if string.sub(key, 1, 6) ~= 'wwctl:' and redis.call('TYPE', key).ok == 'string' then
                if not pcall(cjson.decode, redis.call('GET', key)) then table.insert(bad, key) end
              end
            end
            return bad"""
        return [line for line in self.cli("EVAL", script, "0").split("\n") if line]

    def count(self, pattern):
        out = subprocess.run(["redis-cli", "-p", str(self.port), "--scan", "--pattern", pattern, "--count", "1000"],
                             capture_output=True, text=True, timeout=120).stdout
        return len([line for line in out.split("\n") if line])

    def freeze(self):
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.proc.send_signal(signal.SIGCONT)

    def kill(self):
        self.proc.kill()
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class FakeRedis:
    """A TCP server that answers every command the way `respond` says: `respond(conn)` is
    called once a command's bytes have arrived, and may send anything, slowly, or close."""

    def __init__(self, respond):
        self.respond = respond
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.closed = False
        threading.Thread(target=self.serve, daemon=True).start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def serve(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        with conn:
            try:
                while not self.closed:
                    if not conn.recv(65536) or self.respond(conn) is False:
                        return
            except OSError:
                pass

    def close(self):
        self.closed = True
        self.sock.close()


def trickle(text, every):
    """An answer sent one byte every `every` seconds."""
    def respond(conn):
        for byte in text.encode():
            conn.sendall(bytes([byte]))
            time.sleep(every)
    return respond


class Postgres:
    """The suite's own PostgreSQL 15 cluster: created once per run, stopped and frozen by the
    cases, started again after each."""

    user = "wwctl"
    password = "faults-local"
    database = "waywise"

    def __init__(self, port=PG_PORT):
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="wwctl-faults-pg-")
        self.data = os.path.join(self.dir, "data")
        self.as_root = os.getuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
            os.chmod(self.dir, 0o755)
        pwfile = os.path.join(self.dir, "pw")
        with open(pwfile, "w") as f:
            f.write(self.password + "\n")
        if self.as_root:
            shutil.chown(pwfile, "postgres")
        self.pg("initdb", "-D", self.data, "-U", self.user, f"--pwfile={pwfile}", "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()
        self.psql("postgres", f"create database {self.database}")

    @property
    def url(self):
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def pg(self, tool, *args, check=True):
        command = [os.path.join(PG_BIN, tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def start(self):
        self.pg("pg_ctl", "-D", self.data, "-l", os.path.join(self.data, "server.log"), "-w", "-t", "60", "-o",
                f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.dir} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off", "start")

    def running(self):
        return self.pg("pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port), check=False).returncode == 0

    def stop_immediately(self):
        self.pg("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def pids(self):
        """The postmaster and every process it started."""
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            postmaster = int(f.readline())
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
        return [postmaster, *map(int, children)]

    def freeze(self):
        self.frozen = self.pids()
        for pid in self.frozen:
            os.kill(pid, signal.SIGSTOP)

    def thaw(self):
        for pid in getattr(self, "frozen", []):
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        self.frozen = []

    def ensure_running(self):
        self.thaw()
        if not self.running():
            self.start()

    def psql(self, database, sql):
        return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", database,
                               "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                              env=dict(os.environ, PGPASSWORD=self.password), capture_output=True, text=True,
                              check=True, timeout=60).stdout.strip()

    def sql(self, query):
        return self.psql(self.database, query)

    def session(self):
        """An interactive psql whose statements the case sends one by one (to hold a lock)."""
        return subprocess.Popen(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", self.database,
                                 "-XAtq", "-v", "ON_ERROR_STOP=1"],
                                env=dict(os.environ, PGPASSWORD=self.password), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)

    def destroy(self):
        self.thaw()
        if self.running():
            self.pg("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


_shared = {}


def seeded_postgres(env_redis_url):
    """The suite's PostgreSQL, created, migrated and seeded (tiny) once per process, shared by
    every module; destroyed when the process ends."""
    if "pg" not in _shared:
        pg = Postgres()
        atexit.register(pg.destroy)
        env = base_env(DATABASE_URL=pg.url, REDIS_URL=env_redis_url)
        for args in (["db", "migrate"], ["db", "seed", "--scale", "tiny", "--seed", "11"]):
            result = run(*args, env=env)
            assert result.returncode == 0, result.stderr
        _shared["pg"] = pg
    return _shared["pg"]
