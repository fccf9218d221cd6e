"""products and payouts on the real binary: a scratch database with the tiny seed per test,
a redis-server of the suite's own (6496) for the cache, and 6497 to prove payouts never
connect to Redis."""
import csv
import io
import json
import subprocess
import time
import unittest
import uuid
from decimal import Decimal

from tests.cli.support import DATABASE_URL, WWCTL, RedisServer, base_env, free_port_closed, run, run_json

CACHE_PORT = 6496
SPY_PORT = 6497
PERIOD = "2025-06"


def psql(url, sql):
    out = subprocess.run(["psql", url, "-Atc", sql], capture_output=True, text=True, check=True).stdout
    return [line.split("|") for line in out.splitlines() if line]


def redis(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True, check=True).stdout


def existing(port, keys):
    return {k for k in keys if redis(port, "EXISTS", k).strip() == "1"}


def js_number(price):
    text = str(Decimal(price))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class ScratchDatabase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cache = RedisServer(CACHE_PORT)
        cls.spy = RedisServer(SPY_PORT)

    @classmethod
    def tearDownClass(cls):
        cls.cache.stop()
        cls.spy.stop()

    def setUp(self):
        self.name = "products_cli_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", DATABASE_URL, "-qc", f"create database {self.name}"], check=True)
        self.url = DATABASE_URL.rsplit("/", 1)[0] + "/" + self.name
        self.env = base_env(DATABASE_URL=self.url, REDIS_URL=f"redis://127.0.0.1:{CACHE_PORT}/0", WWCTL_ACTOR="cli-test")
        for step in (["db", "migrate"], ["db", "seed", "--scale", "tiny", "--seed", "5"]):
            result = run(*step, env=self.env)
            self.assertEqual(result.returncode, 0, result.stderr)
        redis(CACHE_PORT, "FLUSHALL")

    def tearDown(self):
        subprocess.run(["psql", DATABASE_URL, "-qc", f"drop database {self.name} with (force)"], check=True)

    def one(self, sql):
        return psql(self.url, sql)[0][0]


class ProductsCLITests(ScratchDatabase):
    def product(self):
        pid, org, cat, price = psql(self.url, """
            select p.id, p.organization_id, p.category_id, p.price from products p
            where exists (select 1 from product_variants v join cart_items ci on ci.variant_id = v.id where v.product_id = p.id)
            order by p.id limit 1""")[0]
        variants = psql(self.url, f"select id, price from product_variants where product_id = {pid} order by id")
        carts = psql(self.url, f"""select distinct c.user_id from cart_items ci join carts c on c.id = ci.cart_id
            join product_variants v on v.id = ci.variant_id where v.product_id = {pid}""")
        return pid, org, cat, price, variants, [c[0] for c in carts]

    def expected_keys(self, pid, org, cat, prices, variants, carts):
        keys = {f"product:{pid}", f"product:{pid}:with-variants", f"org:{org}:products", f"org:{org}:stats",
                f"category:{cat}:products"}
        keys |= {f"commission:{pid}:{js_number(p)}" for p in list(prices) + [v[1] for v in variants]}
        keys |= {f"stock:{v[0]}" for v in variants}
        keys |= {f"cart:{u}" for u in carts}
        return keys

    def test_set_price_deletes_exactly_the_products_keys(self):
        pid, org, cat, price, variants, carts = self.product()
        other = psql(self.url, f"""select id, organization_id, category_id from products
            where organization_id <> {org} and category_id <> {cat} order by id limit 1""")[0]
        expected = self.expected_keys(pid, org, cat, [price, "31.5"], variants, carts)
        swept = {f"commission:{pid}:7.77"}
        kept = {f"product:{other[0]}", f"product:{other[0]}:with-variants", f"org:{other[1]}:products",
                f"category:{other[2]}:products", f"commission:{other[0]}:31.5", f"org:{org}", "categories:tree",
                f"product:{pid}1", f"org:{org}:members"}
        redis(CACHE_PORT, "MSET", *[x for k in expected | swept | kept for x in (k, "{}")])

        result, doc = run_json("products", "set-price", pid, "31.50", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(existing(CACHE_PORT, expected | swept), set())
        self.assertEqual(existing(CACHE_PORT, kept), kept)
        self.assertEqual(doc["change"], {"before": {"price": price}, "after": {"price": "31.50"}})
        inv = doc["invalidation"]
        self.assertEqual(set(inv["keys"]), expected)
        self.assertEqual(inv["deletedByName"], len(expected))
        self.assertEqual([s["pattern"] for s in inv["sweeps"]], [f"commission:{pid}:*"])
        self.assertEqual(inv["sweeps"][0]["deleted"], 1)
        self.assertIsInstance(inv["byNameMs"], (int, float))
        self.assertIsInstance(inv["sweepMs"], (int, float))
        self.assertEqual(self.one(f"select price from products where id = {pid}"), "31.50")
        self.assertEqual(psql(self.url, f"select actor, command from audit_log where id = {doc['auditId']}"),
                         [["cli-test", "products set-price"]])

    def test_refused_prices_change_nothing(self):
        pid, org, cat, price, variants, carts = self.product()
        keys = self.expected_keys(pid, org, cat, [price], variants, carts) | {f"commission:{pid}:7.77"}
        redis(CACHE_PORT, "MSET", *[x for k in keys for x in (k, "{}")])
        audits = self.one("select count(*) from audit_log")
        for text, code in [("-1", 64), ("1.999", 64), ("1e400", 64), ("abc", 64), ("0", 65), ("1000000000000", 65)]:
            result = run("products", "set-price", pid, "--", text, env=self.env)
            self.assertEqual(result.returncode, code, (text, result.stderr))
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertEqual(self.one(f"select price from products where id = {pid}"), price)
        self.assertEqual(self.one("select count(*) from audit_log"), audits)
        self.assertEqual(existing(CACHE_PORT, keys), keys)
        self.assertEqual(redis(CACHE_PORT, "KEYS", "wwctl:*").strip(), "")

    def test_dry_run_touches_nothing_and_unknown_things_are_bad_input(self):
        pid, org, *_ = self.product()
        status = self.one(f"select status from products where id = {pid}")
        target = "draft" if status == "archived" else "archived"
        redis(CACHE_PORT, "SET", f"product:{pid}", "{}")
        result, doc = run_json("products", "set-status", pid, target, "--dry-run", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(doc["dryRun"])
        self.assertEqual(doc["invalidation"]["keys"], [f"product:{pid}"])
        self.assertEqual(existing(CACHE_PORT, [f"product:{pid}"]), {f"product:{pid}"})
        self.assertEqual(doc["change"]["after"], {"status": target})
        self.assertEqual(self.one(f"select status from products where id = {pid}"), status)
        self.assertEqual(self.one("select count(*) from audit_log where command like 'products%'"), "0")
        self.assertEqual(run("products", "set-status", pid, "sold", env=self.env).returncode, 64)
        self.assertEqual(run("products", "set-price", "987654", "10", env=self.env).returncode, 65)
        self.assertEqual(run("products", "set-stock", "987654", "1", env=self.env).returncode, 65)
        self.assertEqual(run("products", "set-stock", "1", "--", "-1", env=self.env).returncode, 64)
        self.assertEqual(run("products", "list", "--org", "987654", env=self.env).returncode, 65)

    def test_unreachable_redis_refuses_a_change_before_writing(self):
        pid, *_ = self.product()
        price = self.one(f"select price from products where id = {pid}")
        env = dict(self.env, REDIS_URL=f"redis://127.0.0.1:{free_port_closed()}/0")
        result = run("products", "set-price", pid, "12.34", env=env)
        self.assertEqual(result.returncode, 69, result.stderr)
        self.assertEqual(self.one(f"select price from products where id = {pid}"), price)
        self.assertEqual(self.one("select count(*) from audit_log where command like 'products%'"), "0")

    def test_set_stock_and_reads(self):
        variant, pid = psql(self.url, "select id, product_id from product_variants order by id limit 1")[0]
        redis(CACHE_PORT, "MSET", f"stock:{variant}", "3", f"product:{pid}:with-variants", "{}", f"product:{pid}", "{}")
        result, doc = run_json("products", "set-stock", variant, "17", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(existing(CACHE_PORT, [f"stock:{variant}", f"product:{pid}:with-variants", f"product:{pid}"]),
                         {f"product:{pid}"})
        result, doc = run_json("products", "show", pid, "--with-variants", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([v["stock"] for v in doc["variants"] if str(v["id"]) == variant], [17])
        self.assertIsInstance(doc["price"], str)
        result, doc = run_json("products", "list", "--status", "active", "--limit", "5", env=self.env)
        self.assertEqual(len(doc), 5)
        self.assertTrue(all(p["status"] == "active" for p in doc))
        tree = run("products", "categories", env=self.env)
        self.assertEqual(tree.returncode, 0, tree.stderr)
        _, nodes = run_json("products", "categories", env=self.env)
        root = next(n for n in nodes if n["children"])
        child = root["children"][0]
        lines = tree.stdout.splitlines()
        root_line = next(l for l in lines if l.split()[0] == str(root["id"]))
        child_line = next(l for l in lines if l.split()[0] == str(child["id"]))
        # Children are indented two columns under their parent.
        self.assertEqual(child_line.index(child["name"]), root_line.index(root["name"]) + 2)


class PayoutsCLITests(ScratchDatabase):
    def eligible(self):
        rows = psql(self.url, """select bt.organization_id, sum(bt.amount) from balance_transactions bt
            join organizations o on o.id = bt.organization_id
            where bt.status = 'settled' and o.status = 'active' group by 1 having sum(bt.amount) > 0""")
        return {int(org): Decimal(amount) for org, amount in rows}

    def spy_connections(self):
        info = redis(SPY_PORT, "INFO", "stats")
        return int(next(line.split(":")[1] for line in info.splitlines() if line.startswith("total_connections_received")))

    def test_concurrent_runs_pay_every_vendor_exactly_once(self):
        before = self.eligible()
        self.assertGreaterEqual(len(before), 3)
        processes = [subprocess.Popen([WWCTL, "payouts", "run", "--period", PERIOD, "--allow-old-period", "-o", "json"], env=self.env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
        docs = []
        for p in processes:
            out, err = p.communicate(timeout=120)
            self.assertEqual(p.returncode, 0, err)
            docs.append(json.loads(out))
        created = [c for d in docs for c in d["created"]]
        self.assertEqual(sorted(c["organizationId"] for c in created), sorted(before))
        self.assertEqual(len({c["id"] for c in created}), len(created))
        self.assertEqual({c["organizationId"]: Decimal(c["amount"]) for c in created}, before)
        self.assertEqual(sum(Decimal(c["amount"]) for c in created), sum(before.values()))
        self.assertTrue(all(isinstance(c["amount"], str) for c in created))
        self.assertEqual(self.one(f"select count(*) from payouts where period = '{PERIOD}'"), str(len(before)))
        self.assertEqual(self.one(f"""select count(*) from balance_transactions bt join payouts p on p.id = bt.payout_id
            where p.period = '{PERIOD}' and bt.type = 'payout' and bt.amount = -p.amount"""), str(len(before)))
        self.assertEqual(self.one("select count(*) from audit_log where command = 'payouts run' and actor = 'cli-test'"),
                         str(len(before)))
        # A repeat creates nothing.
        again, doc = run_json("payouts", "run", "--period", PERIOD, "--allow-old-period", env=self.env)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(doc["created"], [])
        self.assertEqual({s["organizationId"] for s in doc["skipped"] if s["reason"] == "payout-exists"}, set(before))

    def wait_for(self, sql, expected, what):
        for _ in range(600):
            if self.one(sql) == expected:
                return
            time.sleep(0.05)
        self.fail(f"timed out waiting for {what}")

    def test_a_run_killed_between_a_payout_and_its_debit_leaves_neither(self):
        before = self.eligible()
        first = min(before)
        result, _ = run_json("payouts", "run", "--period", PERIOD, "--allow-old-period", "--org", str(first), env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        entries = self.one("select count(*) from balance_transactions")

        # A SHARE lock on the ledger lets the run insert its next payout row and then blocks
        # it on the debit: the run is killed exactly between the two.
        locker = subprocess.Popen(["psql", "-X", "-q", self.url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        locker.stdin.write("BEGIN;\nLOCK TABLE balance_transactions IN SHARE MODE;\n\\echo locked\n")
        locker.stdin.flush()
        self.assertEqual(locker.stdout.readline().strip(), "locked")
        victim = subprocess.Popen([WWCTL, "payouts", "run", "--period", PERIOD, "--allow-old-period"], env=self.env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wait_for("""select count(*) from pg_stat_activity where datname = current_database()
            and application_name = 'wwctl' and wait_event_type = 'Lock'
            and query ilike '%insert into balance_transactions%'""", "1", "the run to block on its debit")
        victim.kill()
        victim.wait()
        locker.communicate("COMMIT;\n", timeout=30)
        # The server rolls the orphaned transaction back once it next talks to the client.
        self.wait_for("select count(*) from pg_stat_activity where datname = current_database() and application_name = 'wwctl'",
                      "0", "the killed run's session to end")

        self.assertEqual(psql(self.url, f"select organization_id from payouts where period = '{PERIOD}'"), [[str(first)]])
        self.assertEqual(self.one("select count(*) from balance_transactions"), entries)
        self.assertEqual(self.one("select count(*) from audit_log where command = 'payouts run' and actor = 'cli-test'"), "1")
        # The next run pays everyone else, once.
        result, doc = run_json("payouts", "run", "--period", PERIOD, "--allow-old-period", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual({c["organizationId"]: Decimal(c["amount"]) for c in doc["created"]},
                         {org: amount for org, amount in before.items() if org != first})
        self.assertEqual(self.one(f"""select count(*) from payouts p where period = '{PERIOD}' and (select sum(amount)
            from balance_transactions bt where bt.payout_id = p.id and bt.type = 'payout') = -p.amount"""), str(len(before)))

    def test_payout_commands_never_connect_to_redis(self):
        closed = dict(self.env, REDIS_URL=f"redis://127.0.0.1:{free_port_closed()}/0")
        spy = dict(self.env, REDIS_URL=f"redis://127.0.0.1:{SPY_PORT}/0")
        start = self.spy_connections()
        org = min(self.eligible())
        for env in (closed, spy):
            for args in (["payouts", "balances"], ["payouts", "balances", "--org", str(org)],
                         ["payouts", "run", "--period", PERIOD, "--allow-old-period", "--dry-run"], ["payouts", "list"],
                         ["payouts", "ledger", str(org)], ["payouts", "ledger", str(org), "--csv"]):
                result = run(*args, env=env)
                self.assertEqual(result.returncode, 0, (args, result.stderr))
        result, doc = run_json("payouts", "run", "--period", PERIOD, "--allow-old-period", "--org", str(org), env=closed)
        self.assertEqual(result.returncode, 0, result.stderr)
        payout = doc["created"][0]["id"]
        for args in (["payouts", "show", str(payout)], ["payouts", "mark-paid", str(payout), "--reference", "TRF-9"]):
            result = run(*args, env=spy)
            self.assertEqual(result.returncode, 0, (args, result.stderr))
        # Only this test's own INFO call connected.
        self.assertEqual(self.spy_connections(), start + 1)
        self.assertEqual(redis(SPY_PORT, "DBSIZE").strip(), "0")
        self.assertEqual(self.one(f"select count(*) from audit_log where target = 'payout:{payout}'"), "2")

    def test_a_failed_payout_returns_its_amount_and_transitions_are_checked(self):
        org = min(self.eligible())
        available = self.eligible()[org]
        result, doc = run_json("payouts", "run", "--period", PERIOD, "--allow-old-period", "--org", str(org), env=self.env)
        payout = doc["created"][0]["id"]
        _, balances = run_json("payouts", "balances", "--org", str(org), env=self.env)
        self.assertEqual(balances[0]["available"], "0.00")
        result, doc = run_json("payouts", "fail", str(payout), "--reason", "account closed", env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        _, balances = run_json("payouts", "balances", "--org", str(org), env=self.env)
        self.assertEqual(Decimal(balances[0]["available"]), available)
        entries = self.one("select count(*) from balance_transactions")
        for args in (["payouts", "fail", str(payout), "--reason", "again"],
                     ["payouts", "mark-paid", str(payout), "--reference", "TRF-1"]):
            result = run(*args, env=self.env)
            self.assertEqual(result.returncode, 65, result.stderr)
        self.assertEqual(self.one("select count(*) from balance_transactions"), entries)
        self.assertEqual(self.one(f"select status from payouts where id = {payout}"), "failed")

    def test_invalid_and_unfinished_periods_exit_65(self):
        month = self.one("select to_char(now() at time zone 'UTC', 'YYYY-MM')")
        for period in ("2026-13", "26-01", "2026-1", month):
            result = run("payouts", "run", "--period", period, env=self.env)
            self.assertEqual(result.returncode, 65, (period, result.stderr))
        self.assertEqual(run("payouts", "run", "--period", PERIOD, "--allow-old-period", "--min-amount", "-5", env=self.env).returncode, 64)
        self.assertEqual(self.one(f"select count(*) from payouts where period in ('{month}', '{PERIOD}')"), "0")

    def test_ledger_running_balance_and_csv(self):
        org = min(self.eligible())
        run("payouts", "run", "--period", PERIOD, "--allow-old-period", env=self.env)
        _, balances = run_json("payouts", "balances", "--org", str(org), env=self.env)
        _, ledger = run_json("payouts", "ledger", str(org), env=self.env)
        self.assertEqual(ledger["entries"][-1]["available"], balances[0]["available"])
        self.assertEqual(Decimal(ledger["entries"][-1]["balance"]),
                         Decimal(balances[0]["available"]) + Decimal(balances[0]["pending"]))
        # Bytes, not text: text mode would turn the CRLF record ends into LF.
        result = subprocess.run([WWCTL, "payouts", "ledger", str(org), "--csv"], env=self.env, capture_output=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = result.stdout.decode()
        self.assertTrue(text.endswith("\r\n"))
        self.assertEqual(text.count("\r\n"), len(ledger["entries"]) + 1)
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        self.assertEqual(len(rows), len(ledger["entries"]))
        self.assertEqual(rows[-1]["available"], balances[0]["available"])
        self.assertEqual([r["description"] for r in rows], [e["description"] for e in ledger["entries"]])
        self.assertTrue(any("," in r["description"] for r in rows))  # quoted fields survive
        self.assertEqual(run("payouts", "ledger", str(org), "--csv", "-o", "json", env=self.env).returncode, 64)


if __name__ == "__main__":
    unittest.main()
