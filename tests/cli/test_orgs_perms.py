"""orgs and perms on the real binary: exit codes, JSON fields, audit rows and the cache keys
deleted, in a scratch database (tiny seed) and a redis-server of the tests' own (port 6493)."""
import subprocess
import unittest
import uuid

from tests.cli.support import DATABASE_URL, RedisServer, base_env, run, run_json

PORT = 6493


class OrgsPermsCLITests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = "clitest_orgs_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", DATABASE_URL, "-qc", f"create database {cls.name}"], check=True)
        cls.url = DATABASE_URL.rsplit("/", 1)[0] + "/" + cls.name
        cls.redis = RedisServer(PORT)
        cls.env = base_env(DATABASE_URL=cls.url, REDIS_URL=f"redis://127.0.0.1:{PORT}/0", WWCTL_ACTOR="cli-tester")
        for args in (["db", "migrate"], ["db", "seed", "--scale", "tiny", "--seed", "3"]):
            result = run(*args, env=cls.env)
            assert result.returncode == 0, result.stderr

    @classmethod
    def tearDownClass(cls):
        cls.redis.stop()
        subprocess.run(["psql", DATABASE_URL, "-qc", f"drop database {cls.name} with (force)"], check=True)

    # helpers

    def sql(self, query):
        args = ["psql", self.url, "-XAtq", "-v", "ON_ERROR_STOP=1"]
        result = subprocess.run(args, input=query, capture_output=True, text=True, check=True)
        return result.stdout.strip()

    def rcli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(PORT), *args], capture_output=True, text=True, check=True).stdout.strip()

    def plant(self, keys, value="true"):
        for key in keys:
            self.rcli("SET", key, value)

    def exists(self, key):
        return self.rcli("EXISTS", key) == "1"

    def wwctl(self, *args, **kw):
        return run(*args, env=self.env, **kw)

    def wwctl_json(self, *args, **kw):
        return run_json(*args, env=self.env, **kw)

    def new_org(self):
        """A fresh org with two members (owner and staff) who also belong to another org."""
        slug = "cli-" + uuid.uuid4().hex[:8]
        result, doc = self.wwctl_json("orgs", "create", "--name", "CLI " + slug, "--slug", slug)
        self.assertEqual(result.returncode, 0, result.stderr)
        org = doc["change"]["id"]
        users = [int(u) for u in self.sql(
            "select user_id from organization_users group by user_id order by user_id limit 2").split()]
        for user, role in zip(users, ["owner", "staff"]):
            added = self.wwctl("orgs", "add-member", str(org), str(user), "--role", role)
            self.assertEqual(added.returncode, 0, added.stderr)
        return org, users

    def catalog(self):
        return self.sql("select resource || ':' || action from permissions order by id").split()

    # tests

    def test_set_role_reports_and_deletes_exactly_the_memberships_keys(self):
        org, (owner, member) = self.new_org()
        other_org = int(self.sql(f"select organization_id from organization_users where user_id = {member} "
                                 f"and organization_id <> {org} limit 1"))
        gone = [f"perm:{member}:{org}:{p}" for p in self.catalog()] + [
            f"user:orgs:{member}", f"user:{member}:orgs", f"org:{org}:members", f"org:{org}:stats"]
        kept = [f"perm:{member}:{other_org}:{p}" for p in self.catalog()[:5]] + [
            f"perm:{owner}:{org}:product:read", f"user:orgs:{owner}", f"org:{org}", f"org:{org}:products",
            "org:search:x", f"cart:{member}", f"perm:{member}:{org}0:product:read"]
        self.plant(gone + kept)

        result, doc = self.wwctl_json("orgs", "set-role", str(org), str(member), "admin")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(doc["command"], "orgs set-role")
        self.assertEqual(doc["target"], f"org:{org} user:{member}")
        self.assertFalse(doc["dryRun"])
        self.assertIsInstance(doc["auditId"], int)
        self.assertEqual(doc["change"]["before"], {"role": "staff"})
        self.assertEqual(doc["change"]["after"], {"role": "admin"})
        inv = doc["invalidation"]
        self.assertEqual(inv["keysNamed"], len(gone))
        self.assertEqual(inv["deletedByName"], len(gone))
        self.assertEqual(inv["families"], ["perm", "user-orgs", "org-members", "org-stats"])
        self.assertEqual(inv["sweeps"], [])
        self.assertIsInstance(inv["elapsedMs"], (int, float))
        self.assertTrue(all(not self.exists(k) for k in gone))
        self.assertTrue(all(self.exists(k) for k in kept))
        self.assertEqual(self.sql(f"select r.name from organization_users ou join roles r on r.id = ou.role_id "
                                  f"where ou.user_id = {member} and ou.organization_id = {org}"), "admin")
        self.assertEqual(self.sql(f"select actor || ' ' || target from audit_log where id = {doc['auditId']}"),
                         f"cli-tester org:{org} user:{member}")

    def test_dry_run_changes_nothing_and_lists_the_cached_keys(self):
        org, (_, member) = self.new_org()
        keys = [f"perm:{member}:{org}:product:read", f"user:orgs:{member}"]
        self.plant(keys)
        audits = self.sql("select count(*) from audit_log")
        result, doc = self.wwctl_json("orgs", "set-role", str(org), str(member), "viewer", "--dry-run")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(doc["dryRun"])
        self.assertIsNone(doc["auditId"])
        self.assertEqual(sorted(doc["invalidation"]["keys"]), sorted(keys))
        self.assertEqual(doc["invalidation"]["deletedByName"], 2)
        self.assertTrue(all(self.exists(k) for k in keys))
        self.assertEqual(self.sql("select count(*) from audit_log"), audits)
        self.assertEqual(self.sql(f"select r.name from organization_users ou join roles r on r.id = ou.role_id "
                                  f"where ou.user_id = {member} and ou.organization_id = {org}"), "staff")
        text = self.wwctl("orgs", "suspend", str(org), "--reason", "x", "--dry-run")
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("dry run", text.stdout)
        self.assertEqual(self.sql(f"select status from organizations where id = {org}"), "pending")

    def test_bad_input_exit_codes(self):
        org, (owner, member) = self.new_org()
        audits = self.sql("select count(*) from audit_log")
        cases = [
            (["orgs", "show", "abc"], 64, "abc"),
            (["orgs", "set-role", str(org), "x1", "admin"], 64, None),
            (["orgs", "create", "--name", "n", "--slug", "ok-slug", "--commission-rate", "1.5"], 64, "commission rate"),
            (["orgs", "create", "--name", "n", "--slug", "ok-slug", "--commission-rate", "0.12345"], 64, "commission rate"),
            (["orgs", "create", "--name", "n", "--slug", "Bad Slug"], 64, "slug"),
            (["orgs", "list", "--status", "closed"], 64, "closed"),
            (["orgs", "show", "999999"], 65, "no org 999999"),
            (["orgs", "members", "999999"], 65, "no org 999999"),
            (["orgs", "add-member", str(org), "999999", "--role", "staff"], 65, "no user 999999"),
            (["orgs", "add-member", str(org), str(member), "--role", "admin"], 65, "already a member of org %d as staff" % org),
            (["orgs", "set-role", str(org), str(member), "boss"], 65, "no role 'boss'"),
            (["orgs", "activate", str(org), "--yes"], 0, None),
            (["orgs", "remove-member", str(org), str(member)], 64, "--yes"),
            (["orgs", "remove-member", str(org), str(owner), "--yes"], 65, "only owner of org %d" % org),
            (["orgs", "set-role", str(org), str(owner), "viewer"], 65, "only owner of org %d" % org),
            (["perms", "grant", "staff", "product"], 64, "RESOURCE:ACTION"),
            (["perms", "grant", "staff", "ghost:fly"], 65, "no permission ghost:fly"),
            (["perms", "check", "999999", str(org), "product", "read"], 65, "no user 999999"),
        ]
        for args, code, text in cases:
            with self.subTest(args=args):
                result = self.wwctl(*args, input="")
                self.assertEqual(result.returncode, code, result.stderr)
                if text:
                    self.assertIn(text, result.stderr)
                    self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        # activate wrote the only audit row.
        self.assertEqual(int(self.sql("select count(*) from audit_log")), int(audits) + 1)
        result, doc = self.wwctl_json("orgs", "show", "999999")
        self.assertEqual(result.returncode, 65)
        self.assertEqual(doc["error"]["code"], 65)
        self.assertEqual(doc["error"]["message"], "no org 999999")

    def test_a_change_to_the_state_that_holds_is_unchanged(self):
        """Runbook retries: exit 0, "unchanged", no audit row, no key deleted."""
        org, (owner, member) = self.new_org()
        self.assertEqual(self.wwctl("orgs", "activate", str(org)).returncode, 0)
        permission = "product:delete"
        self.assertEqual(self.wwctl("perms", "grant", "manager", permission).returncode, 0)
        self.addCleanup(self.wwctl, "perms", "revoke", "manager", permission)
        planted = [f"perm:{member}:{org}:product:read", f"user:orgs:{member}", f"org:{org}:members", f"org:{org}"]
        self.plant(planted)
        audits = self.sql("select count(*) from audit_log")
        stranger = self.sql(f"select id from users u where not exists (select 1 from organization_users "
                            f"where user_id = u.id and organization_id = {org}) order by id limit 1")
        cases = [
            (["orgs", "set-role", str(org), str(member), "staff"], f"org:{org} user:{member}: role staff already"),
            (["orgs", "add-member", str(org), str(member), "--role", "staff"], f"org:{org} user:{member}: role staff already"),
            (["orgs", "remove-member", str(org), stranger, "--yes"], f"org:{org} user:{stranger}: not a member already"),
            (["orgs", "activate", str(org)], f"org:{org}: status active already"),
            (["orgs", "update", str(org), "--name", "CLI " + self.sql(f"select slug from organizations where id = {org}")],
             f"org:{org}: name CLI "),
            (["perms", "grant", "manager", permission], f"role:manager: {permission} granted already"),
            (["perms", "revoke", "viewer", permission], f"role:viewer: {permission} not granted already"),
        ]
        for args, text in cases:
            with self.subTest(args=args):
                result = self.wwctl(*args)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn(text, result.stdout)
                self.assertIn("unchanged (no audit row, nothing invalidated)", result.stdout)
                result, doc = self.wwctl_json(*args)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIs(doc["change"]["unchanged"], True)
                self.assertIsNone(doc["auditId"])
        self.assertEqual(self.sql("select count(*) from audit_log"), audits)
        self.assertTrue(all(self.exists(key) for key in planted))
        # Suspending twice keeps the first reason and the second run changes nothing.
        self.assertEqual(self.wwctl("orgs", "suspend", str(org), "--reason", "first").returncode, 0)
        again = self.wwctl("orgs", "suspend", str(org), "--reason", "second")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn(f"org:{org}: status suspended, suspendedReason first already; unchanged", again.stdout)

    def test_the_last_owner_stays_unless_allowed(self):
        org, (owner, member) = self.new_org()
        audits = self.sql("select count(*) from audit_log")
        for args in (["orgs", "remove-member", str(org), str(owner), "--yes"],
                     ["orgs", "set-role", str(org), str(owner), "admin"],
                     ["orgs", "set-role", str(org), str(owner), "admin", "--dry-run"]):
            with self.subTest(args=args):
                result = self.wwctl(*args)
                self.assertEqual(result.returncode, 65, result.stderr)
                self.assertEqual(result.stderr, f"wwctl: user {owner} is the only owner of org {org}: "
                                 + ("removing them" if "remove-member" in args else "making them admin")
                                 + " would leave it without one; make another member owner first, or give --allow-no-owner\n")
        self.assertEqual(self.sql("select count(*) from audit_log"), audits)
        self.assertEqual(self.sql(f"select r.name from organization_users ou join roles r on r.id = ou.role_id "
                                  f"where ou.organization_id = {org} and ou.user_id = {owner}"), "owner")
        # A second owner lets the first step down; --allow-no-owner lets the last one go.
        self.assertEqual(self.wwctl("orgs", "set-role", str(org), str(member), "owner").returncode, 0)
        self.assertEqual(self.wwctl("orgs", "set-role", str(org), str(owner), "admin").returncode, 0)
        result = self.wwctl("orgs", "remove-member", str(org), str(member), "--yes", "--allow-no-owner")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.sql(f"select count(*) from organization_users ou join roles r on r.id = ou.role_id "
                                  f"where ou.organization_id = {org} and r.name = 'owner'"), "0")

    def test_perms_check_json_exit_codes_and_stale(self):
        org, (owner, member) = self.new_org()
        result, doc = self.wwctl_json("perms", "check", str(member), str(org), "product", "update")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual((doc["allowed"], doc["cached"], doc["stale"]), (True, None, False))

        self.plant([f"perm:{member}:{org}:product:update"], "false")
        result, doc = self.wwctl_json("perms", "check", str(member), str(org), "product", "update")
        self.assertEqual(result.returncode, 0)
        self.assertEqual((doc["allowed"], doc["cached"], doc["stale"]), (True, False, True))

        result, doc = self.wwctl_json("perms", "check", str(member), str(org), "payout", "create")
        self.assertEqual(result.returncode, 1)
        self.assertEqual((doc["allowed"], doc["cached"], doc["stale"]), (False, None, False))

        explain = self.wwctl("perms", "check", str(member), str(org), "payout", "create", "--explain")
        self.assertEqual(explain.returncode, 1)
        self.assertIn("as staff", explain.stdout)
        self.assertIn("role staff does not grant payout:create", explain.stdout)

        suspended = self.wwctl("orgs", "suspend", str(org), "--reason", "cli test")
        self.assertEqual(suspended.returncode, 0, suspended.stderr)
        result, doc = self.wwctl_json("perms", "check", str(owner), str(org), "org", "read")
        self.assertEqual(result.returncode, 1)
        self.assertFalse(doc["allowed"])
        self.assertIn("suspended", doc["reason"])

    def test_perms_audit_finds_and_fixes_stale_values(self):
        org, (owner, member) = self.new_org()
        stale = f"perm:{member}:{org}:payout:create"
        fresh = f"perm:{member}:{org}:product:read"
        self.plant([stale, fresh])
        result, doc = self.wwctl_json("perms", "audit")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(stale, [s["key"] for s in doc["stale"]])
        self.assertNotIn(fresh, [s["key"] for s in doc["stale"]])
        self.assertGreaterEqual(doc["checked"], 2)
        fixed, doc = self.wwctl_json("perms", "audit", "--fix")
        self.assertEqual(fixed.returncode, 0, fixed.stderr)
        self.assertGreaterEqual(doc["fixed"], 1)
        self.assertFalse(self.exists(stale))
        self.assertTrue(self.exists(fresh))
        again = self.wwctl("perms", "audit")
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)

    def test_revoke_and_grant_delete_every_holders_key(self):
        holders = self.sql("select ou.user_id || ':' || ou.organization_id from organization_users ou "
                           "join roles r on r.id = ou.role_id where r.name = 'viewer'").split()
        keys = [f"perm:{h}:report:read" for h in holders]
        decoys = [f"perm:{h}:report:update" for h in holders]
        self.plant(keys + decoys)
        result, doc = self.wwctl_json("perms", "revoke", "viewer", "report:read")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(doc["invalidation"]["deletedByName"], len(keys))
        self.assertEqual(doc["change"]["holders"], len(holders))
        self.assertTrue(all(not self.exists(k) for k in keys))
        self.assertTrue(all(self.exists(k) for k in decoys))
        restored = self.wwctl("perms", "grant", "viewer", "report:read")
        self.assertEqual(restored.returncode, 0, restored.stderr)
        self.assertIn("granted", restored.stdout)

    def test_names_are_stored_as_given_and_search_is_literal(self):
        name = "O'Brien; DROP TABLE organizations; -- \"Ünïcødé\" 100%_off"
        slug = "obrien-" + uuid.uuid4().hex[:6]
        result, doc = self.wwctl_json("orgs", "create", "--name", name, "--slug", slug, "--commission-rate", "0.125")
        self.assertEqual(result.returncode, 0, result.stderr)
        org = doc["change"]["id"]
        shown, doc = self.wwctl_json("orgs", "show", str(org))
        self.assertEqual(doc["name"], name)
        self.assertEqual(doc["commissionRate"], "0.1250")
        self.assertEqual(self.sql(f"select name from organizations where id = {org}"), name)
        listed, doc = self.wwctl_json("orgs", "list", "--search", "100%_", "--limit", "100")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertEqual([o["id"] for o in doc], [org])

    def test_read_commands_print_json(self):
        org, (owner, member) = self.new_org()
        result, doc = self.wwctl_json("orgs", "members", str(org))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([(m["userId"], m["role"]) for m in doc], [(owner, "owner"), (member, "staff")])
        result, doc = self.wwctl_json("perms", "roles")
        self.assertEqual([r["name"] for r in doc["roles"]], ["owner", "admin", "manager", "staff", "viewer"])
        self.assertEqual(len(doc["catalog"]), 44)
        result, doc = self.wwctl_json("perms", "list", "--user", str(member), "--org", str(org))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(doc[0]["role"], "staff")
        self.assertIn("product:update", doc[0]["permissions"])
        for command in (["orgs", "--help"], ["orgs", "set-role", "--help"], ["perms", "audit", "--help"]):
            helped = self.wwctl(*command)
            self.assertEqual(helped.returncode, 0)
            self.assertIn("Example:", helped.stdout)


if __name__ == "__main__":
    unittest.main()
