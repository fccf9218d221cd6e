"""PostgreSQL broken on purpose under the real binary: stopped (`pg_ctl stop -m immediate`),
frozen (SIGSTOP on every server process), a row lock held by another session, and a
serialization failure that persists. Each case asserts the exit code, the report and the
data afterwards. The suite's own cluster (port 5510) and Redis (port 6405)."""
import time
import unittest

from tests.faults.servers import Redis, base_env, json_of, run, seeded_postgres, start, wait_until

REDIS_PORT = 6405


def setUpModule():
    global PG, REDIS, ENV
    REDIS = Redis(REDIS_PORT)
    PG = seeded_postgres(REDIS.url)
    ENV = base_env(DATABASE_URL=PG.url, REDIS_URL=REDIS.url, WWCTL_ACTOR="fault-suite")


def tearDownModule():
    REDIS.stop()
    PG.ensure_running()


class PostgresFaultTests(unittest.TestCase):
    def tearDown(self):
        PG.ensure_running()

    def membership(self):
        """(org, user, role) of a staff member."""
        row = PG.sql("select ou.organization_id, ou.user_id from organization_users ou join roles r on r.id = ou.role_id "
                     "where r.name = 'staff' order by ou.id limit 1")
        org, user = map(int, row.split("|"))
        return org, user

    def role(self, org, user):
        return PG.sql(f"select r.name from organization_users ou join roles r on r.id = ou.role_id "
                      f"where ou.organization_id = {org} and ou.user_id = {user}")

    def hold_row_lock(self, org, user):
        """Another session holding the membership's row lock, until `release`."""
        holder = PG.session()
        self.addCleanup(self.release, holder)
        holder.stdin.write(f"begin;\nselect 'locked' from organization_users where organization_id = {org} "
                           f"and user_id = {user} for update;\n")
        holder.stdin.flush()
        self.assertEqual(holder.stdout.readline().strip(), "locked")
        return holder

    def release(self, holder):
        if holder.poll() is None:
            holder.stdin.write("rollback;\n")
            holder.communicate(timeout=30)

    def audit_rows(self):
        return int(PG.sql("select count(*) from audit_log"))

    def test_a_row_lock_held_past_the_timeout_is_75_naming_the_lock(self):
        org, user = self.membership()
        holder = self.hold_row_lock(org, user)
        audits = self.audit_rows()
        result = run("orgs", "set-role", str(org), str(user), "admin", "--timeout", "1", "-o", "json", env=ENV)
        self.assertEqual(result.returncode, 75, result.stderr)
        self.assertIn("row lock on organization_users held by another transaction", result.stderr)
        self.assertEqual(json_of(result.stdout)["error"]["code"], 75)
        self.release(holder)
        self.assertEqual(self.role(org, user), "staff")
        self.assertEqual(self.audit_rows(), audits)

    def test_a_serialization_failure_that_persists_is_75_after_the_retries(self):
        org = int(PG.sql("select min(id) from organizations"))
        name = PG.sql(f"select name from organizations where id = {org}")
        PG.sql("""
            create sequence fault_attempts;
            create function fault_conflict() returns trigger language plpgsql as $$
            begin
              perform nextval('fault_attempts');
              raise exception 'could not serialize access due to concurrent update' using errcode = '40001';
            end $$;
            create trigger fault_conflict before update on organizations for each row execute function fault_conflict();
            """)
        self.addCleanup(PG.sql, "drop trigger fault_conflict on organizations; drop function fault_conflict(); "
                                "drop sequence fault_attempts")
        audits = self.audit_rows()
        result = run("orgs", "update", str(org), "--name", "Renamed by the fault suite", env=ENV)
        self.assertEqual(result.returncode, 75, result.stderr)
        self.assertIn("could not serialize", result.stderr)
        self.assertEqual(int(PG.sql("select last_value from fault_attempts")), 5)  # retried, then gave up
        self.assertEqual(PG.sql(f"select name from organizations where id = {org}"), name)
        self.assertEqual(self.audit_rows(), audits)

    def test_a_stopped_server_is_69_and_nothing_is_written(self):
        org, user = self.membership()
        REDIS.cli("SET", f"user:orgs:{user}", "cached")
        PG.stop_immediately()
        for args in (["orgs", "list"], ["orgs", "set-role", str(org), str(user), "admin"], ["payouts", "balances"]):
            result = run(*args, "--timeout", "2", env=ENV)
            self.assertEqual(result.returncode, 69, (args, result.stderr))
            self.assertIn(f"127.0.0.1:{PG.port}", result.stderr)
        result = run("ping", "--timeout", "2", "-o", "json", env=ENV)
        self.assertEqual(result.returncode, 69)
        self.assertFalse(json_of(result.stdout)["postgres"]["ok"])
        PG.start()
        self.assertEqual(self.role(org, user), "staff")
        self.assertEqual(REDIS.cli("GET", f"user:orgs:{user}"), "cached")  # no invalidation without the change

    def test_a_frozen_server_is_given_up_within_the_timeout(self):
        PG.freeze()
        started = time.monotonic()
        for args in (["orgs", "list"], ["ping"], ["health"]):
            result = run(*args, "--timeout", "1", env=ENV, timeout=60)
            self.assertIn(result.returncode, (2, 69) if args == ["health"] else (69,), (args, result.stderr))
        # Each command gave up on its own (the case's own bound is generous; nothing is timed).
        self.assertLess(time.monotonic() - started, 60)

    def test_a_server_frozen_during_a_statement_is_abandoned_and_the_next_command_works(self):
        # A statement surely in flight: set-role waits on a row lock another session holds,
        # then the whole server freezes, so neither its lock timeout nor anything else can
        # answer. wwctl gives up after --timeout + 2 s of silence.
        org, user = self.membership()
        holder = self.hold_row_lock(org, user)
        process = start("orgs", "set-role", str(org), str(user), "admin", "--timeout", "3", env=ENV)
        wait_until(lambda: PG.sql("select count(*) from pg_locks where not granted") != "0", timeout=30)
        PG.freeze()
        try:
            _, err = process.communicate(timeout=60)
        finally:
            PG.thaw()
        self.assertEqual(process.returncode, 69, err)
        self.assertIn("no answer within 5 s", err)
        self.release(holder)
        self.assertEqual(self.role(org, user), "staff")
        self.assertEqual(run("orgs", "list", "--limit", "1", env=ENV).returncode, 0)

    def test_warm_with_the_server_stopped_mid_run_reports_what_it_wrote(self):
        REDIS.cli("FLUSHALL")
        process = start("cache", "warm", "-o", "json", "--timeout", "2", env=ENV)
        wait_until(lambda: REDIS.dbsize() > 0 or process.poll() is not None, timeout=60, step=0.005)
        PG.stop_immediately()
        out, err = process.communicate(timeout=120)
        if process.returncode == 0:
            self.skipTest("the warm finished before the server stopped")
        self.assertEqual(process.returncode, 69, err)
        self.assertEqual(REDIS.half_written(), [])
        self.assert_report_is_the_server(json_of(out), err)

    def test_warm_with_the_server_frozen_mid_run_ends_within_the_timeout(self):
        REDIS.cli("FLUSHALL")
        process = start("cache", "warm", "-o", "json", "--timeout", "1", env=ENV)
        wait_until(lambda: REDIS.dbsize() > 0 or process.poll() is not None, timeout=60, step=0.005)
        PG.freeze()
        try:
            out, err = process.communicate(timeout=120)
        finally:
            PG.thaw()
        if process.returncode == 0:
            self.skipTest("the warm finished before the server froze")
        self.assertEqual(process.returncode, 69, err)
        self.assertEqual(REDIS.half_written(), [])
        self.assert_report_is_the_server(json_of(out), err)

    def assert_report_is_the_server(self, report, err):
        """The warm's report (per family, and its total) is what Redis holds."""
        self.assertIsNotNone(report, f"no report of what was written: {err}")
        self.assertEqual(report["error"]["code"], 69)
        self.assertEqual(sum(f["keys"] for f in report["families"]), report["keys"])
        self.assertEqual(report["keys"], REDIS.cache_keys())


class TextNotUTF8Tests(unittest.TestCase):
    """A SQL_ASCII database stores whatever bytes a client wrote. A name that is not UTF-8
    is bad data (65), never repaired into U+FFFD and then printed, cached or written back:
    the server itself refuses to send it to a UTF-8 client (SQLSTATE 22021, class 22 is
    bad data), and wwctl always connects as one (client_encoding UTF8)."""

    @classmethod
    def setUpClass(cls):
        PG.psql("postgres", "create database ascii encoding 'SQL_ASCII' lc_collate 'C' lc_ctype 'C' template template0")
        cls.url = PG.url.rsplit("/", 1)[0] + "/ascii"
        cls.env = base_env(DATABASE_URL=cls.url, REDIS_URL=REDIS.url, WWCTL_ACTOR="fault-suite")
        for args in (["db", "migrate"], ["db", "seed", "--scale", "tiny", "--seed", "11"]):
            result = run(*args, env=cls.env)
            assert result.returncode == 0, result.stderr
        cls.org = int(PG.psql("ascii", "select min(id) from organizations"))
        PG.psql("ascii", f"update organizations set name = E'Acme \\xff Ltd' where id = {cls.org}")
        assert PG.psql("ascii", f"select octet_length(name) from organizations where id = {cls.org}") == "10"

    @classmethod
    def tearDownClass(cls):
        PG.psql("postgres", "drop database ascii with (force)")

    def test_a_name_that_is_not_utf8_is_refused_not_repaired(self):
        for args in (["orgs", "show", str(self.org)], ["orgs", "list"]):
            result = run(*args, env=self.env)
            self.assertEqual(result.returncode, 65, (args, result.stderr))
            self.assertIn('invalid byte sequence for encoding "UTF8": 0xff', result.stderr)
            self.assertNotIn("\ufffd", result.stdout + result.stderr)

    def test_a_warm_does_not_cache_it_altered(self):
        REDIS.cli("FLUSHALL")
        result = run("cache", "warm", "org", "-o", "json", env=self.env)
        self.assertEqual(result.returncode, 65, result.stderr)
        self.assertEqual(json_of(result.stdout)["error"]["code"], 65)
        self.assertEqual(REDIS.cli("EXISTS", f"org:{self.org}"), "0")

    def test_a_valid_org_of_the_same_database_is_served(self):
        other = PG.psql("ascii", f"select min(id) from organizations where id <> {self.org}")
        self.assertEqual(run("orgs", "show", other, env=self.env).returncode, 0)


if __name__ == "__main__":
    unittest.main()
