import Foundation
import Postgres
import Support
import Testing
import TestSupport
@testable import Schema

@Suite struct SeederTests {
    @Test func tinySeedMeetsTheMinimumsAndReportsWhatItLoaded() throws {
        try withMigratedDatabase { _, connection in
            var progress: [SeedProgress] = []
            let report = try Seeder(connection).seed(scale: .tiny, seed: 1) { progress.append($0) }

            #expect(try count(connection, "SELECT count(*) FROM organizations") >= 10)
            #expect(try count(connection, "SELECT count(*) FROM users") >= 100)
            #expect(try count(connection, "SELECT count(*) FROM products") >= 500)
            for table in Seeder.dataTables {
                #expect(try count(connection, "SELECT count(*) FROM \(table)") == report.rows(in: table), "\(table)")
                #expect(report.rows(in: table) > 0, "\(table) is empty")
            }
            #expect(report.scale == .tiny && report.seed == 1)

            // Organizations: some suspended and some pending; one owner each.
            #expect(try count(connection, "SELECT count(*) FROM organizations WHERE status = 'suspended'") >= 1)
            #expect(try count(connection, "SELECT count(*) FROM organizations WHERE status = 'pending'") >= 1)
            #expect(try count(connection, """
                SELECT count(*) FROM organizations o WHERE (SELECT count(*) FROM organization_users m
                    JOIN roles r ON r.id = m.role_id WHERE m.organization_id = o.id AND r.name = 'owner') <> 1
                """) == 0)
            // Members in one to three organizations, some in more than one.
            #expect(try count(connection, "SELECT max(n) FROM (SELECT count(*) n FROM organization_users GROUP BY user_id) x") <= 3)
            #expect(try count(connection, "SELECT count(*) FROM (SELECT 1 FROM organization_users GROUP BY user_id HAVING count(*) >= 2) x") > 0)
            // Prices with cents.
            #expect(try count(connection, "SELECT count(*) FROM products WHERE price <> trunc(price)") > 0)

            // Progress: every table reported from 0 to its total, never backwards.
            var seen: [String: Int] = [:]
            for step in progress {
                #expect(step.done <= step.total)
                #expect(step.done >= seen[step.table, default: 0], "\(step.table) went backwards")
                seen[step.table] = step.done
            }
            for table in Seeder.dataTables { #expect(seen[table] != nil, "no progress for \(table)") }
            #expect(progress.last == SeedProgress(table: "analyze", done: 1, total: 1))
        }
    }

    @Test func theSameSeedGivesTheSameRowsAndAnotherSeedOthers() throws {
        let first = try withMigratedDatabase { _, connection in
            try Seeder(connection).seed(scale: .tiny, seed: 7)
            return try tableChecksums(connection)
        }
        let again = try withMigratedDatabase { _, connection in
            try Seeder(connection).seed(scale: .tiny, seed: 7)
            return try tableChecksums(connection)
        }
        let other = try withMigratedDatabase { _, connection in
            try Seeder(connection).seed(scale: .tiny, seed: 8)
            return try tableChecksums(connection)
        }
        #expect(first == again)
        #expect(!first.values.contains(""))
        for table in ["users", "organizations", "organization_users", "products", "product_variants", "orders",
                      "order_items", "balance_transactions", "payouts"] {
            #expect(first[table] != other[table], "\(table) did not change with the seed")
        }
        // The category tree and attribute definitions are the same world whatever the seed.
        #expect(first["categories"] == other["categories"])
    }

    @Test func ledgerBalancesAgreeWithOrdersRefundsAndPayouts() throws {
        try withMigratedDatabase { _, connection in
            try Seeder(connection).seed(scale: .tiny, seed: 3)

            // Each vendor's ledger (available + pending) is what its sales earned, less what
            // completed refunds took back and what non-failed payouts paid out.
            let mismatched = try connection.query("""
                WITH ledger AS (
                    SELECT organization_id, sum(amount) AS total FROM balance_transactions GROUP BY 1),
                earned AS (
                    SELECT oi.organization_id, sum(oi.vendor_amount) AS amount
                    FROM order_items oi JOIN orders o ON o.id = oi.order_id
                    WHERE o.status NOT IN ('pending', 'cancelled') GROUP BY 1),
                refunded AS (
                    SELECT r.organization_id,
                           sum(r.amount - round(oi.commission_amount * r.amount / (oi.quantity * oi.unit_price), 2)) AS amount
                    FROM refunds r JOIN order_items oi ON oi.id = r.order_item_id
                    WHERE r.status = 'completed' GROUP BY 1),
                paid AS (
                    SELECT organization_id, sum(amount) AS amount FROM payouts WHERE status <> 'failed' GROUP BY 1)
                SELECT o.id FROM organizations o
                LEFT JOIN ledger l ON l.organization_id = o.id
                LEFT JOIN earned e ON e.organization_id = o.id
                LEFT JOIN refunded r ON r.organization_id = o.id
                LEFT JOIN paid p ON p.organization_id = o.id
                WHERE coalesce(l.total, 0) <> coalesce(e.amount, 0) - coalesce(r.amount, 0) - coalesce(p.amount, 0)
                """)
            #expect(mismatched.isEmpty, "vendors whose ledger disagrees: \(mismatched.compactMap { $0.int(0) })")

            // available + pending is the whole ledger, and most selling vendors hold money.
            let balances = try connection.query("""
                SELECT o.id, o.status,
                       coalesce(sum(b.amount) FILTER (WHERE b.status = 'settled'), 0) AS available,
                       coalesce(sum(b.amount) FILTER (WHERE b.status = 'pending'), 0) AS pending,
                       coalesce(sum(b.amount), 0) AS total
                FROM organizations o LEFT JOIN balance_transactions b ON b.organization_id = o.id
                GROUP BY o.id, o.status
                """)
            var positive = 0
            var active = 0
            for row in balances {
                let available = try row.requiredDecimal("available")
                let pending = try row.requiredDecimal("pending")
                #expect(available + pending == (try row.requiredDecimal("total")))
                if row.string("status") == "active" { active += 1 }
                if available > .zero { positive += 1 }
            }
            #expect(positive * 2 > active, "only \(positive) of \(active) active vendors have money available")

            // Sale and commission entries carry exactly the item's vendor amount.
            #expect(try count(connection, """
                SELECT count(*) FROM order_items oi
                JOIN (SELECT order_item_id, sum(amount) AS net FROM balance_transactions
                      WHERE type IN ('sale', 'commission') AND refund_id IS NULL GROUP BY 1) b ON b.order_item_id = oi.id
                WHERE b.net <> oi.vendor_amount
                """) == 0)
            // Every payout debited the ledger; every failed one was reversed.
            #expect(try count(connection, """
                SELECT count(*) FROM payouts p WHERE
                    (SELECT coalesce(sum(amount), 0) FROM balance_transactions WHERE payout_id = p.id AND type = 'payout') <> -p.amount
                    OR (p.status = 'failed') <> EXISTS (SELECT 1 FROM balance_transactions
                                                       WHERE payout_id = p.id AND type = 'payout_reversal')
                """) == 0)
        }
    }

    @Test func commissionsFollowTheCommissionRules() throws {
        try withMigratedDatabase { _, connection in
            try Seeder(connection).seed(scale: .tiny, seed: 11)
            #expect(try count(connection, """
                SELECT count(*) FROM order_items
                WHERE commission_amount <> round(quantity * unit_price * effective_commission_rate(product_id), 2)
                """) == 0)
            // More than one rate is in play (org rates, category and organization rules).
            #expect(try count(connection, "SELECT count(DISTINCT effective_commission_rate(id)) FROM products") > 2)
            // Vendors stop selling when suspended; draft products are never sold.
            #expect(try count(connection, """
                SELECT count(*) FROM order_items oi JOIN orders o ON o.id = oi.order_id
                JOIN organizations org ON org.id = oi.organization_id WHERE org.suspended_at < o.created_at
                """) == 0)
            #expect(try count(connection, """
                SELECT count(*) FROM order_items oi JOIN products p ON p.id = oi.product_id WHERE p.status = 'draft'
                """) == 0)
        }
    }

    @Test func refusesADatabaseWithDataUnlessForced() throws {
        try withMigratedDatabase { _, connection in
            let seeder = Seeder(connection)
            try seeder.seed(scale: .tiny, seed: 2)
            let seeded = try tableChecksums(connection)
            try connection.execute("INSERT INTO audit_log (actor, command) VALUES ('test', 'poke')")

            #expect {
                try seeder.seed(scale: .tiny, seed: 2)
            } throws: { error in
                guard let error = error as? WWError else { return false }
                return error.category == .dataError && error.category.exitCode == 65
                    && error.message.contains("users") && error.message.contains("audit_log")
                    && error.message.contains("--force")
            }
            #expect(try seeder.tablesWithRows() == Seeder.dataTables)

            try seeder.seed(scale: .tiny, seed: 2, force: true)
            // Emptied first, identities restarted: the same rows as the first seed.
            #expect(try tableChecksums(connection) == seeded)
            // The reference data of the migrations is untouched.
            #expect(try count(connection, "SELECT count(*) FROM roles") == 5)
            #expect(try count(connection, "SELECT count(*) FROM role_permissions") > 0)
            #expect(try count(connection, "SELECT count(*) FROM schema_migrations") == Migrations.all.count)
        }
    }

    @Test func onlyOneTableNeedsDataToRefuse() throws {
        try withMigratedDatabase { _, connection in
            try connection.execute("INSERT INTO categories (name, slug) VALUES ('Lonely', 'lonely')")
            #expect(try Seeder(connection).tablesWithRows() == ["categories"])
            #expect(throws: WWError.self) { try Seeder(connection).seed(scale: .tiny) }
            #expect(try count(connection, "SELECT count(*) FROM users") == 0)
        }
    }

    @Test func refusesAnUnmigratedDatabase() throws {
        try withDatabase { (_, connection) throws in
            #expect {
                try Seeder(connection).seed(scale: .tiny)
            } throws: { error in
                (error as? WWError)?.category == .dataError && "\(error)".contains("wwctl db migrate")
            }
            #expect(try count(connection, "SELECT count(*) FROM pg_tables WHERE tablename = 'users'") == 0)
        }
    }

    @Test func identitySequencesContinueAfterTheSeededIds() throws {
        try withMigratedDatabase { _, connection in
            let report = try Seeder(connection).seed(scale: .tiny, seed: 1)
            let id = try connection.query(
                "INSERT INTO users (email, name) VALUES ('new@example.com', 'New') RETURNING id").first?.int("id")
            #expect(id == report.rows(in: "users") + 1)
            let ledgerID = try connection.query("""
                INSERT INTO balance_transactions (organization_id, type, amount, status) VALUES (1, 'adjustment', 1, 'pending')
                RETURNING id
                """).first?.int("id")
            #expect(ledgerID == report.rows(in: "balance_transactions") + 1)
        }
    }

    // The larger scales take from seconds (small) to minutes (large): each runs when
    // `WWCTL_TEST_SEED_SCALES` names it (e.g. `small,large`), prints time and size, and is
    // reported as skipped otherwise.

    @Test(.enabled(if: Self.requested(.small), "WWCTL_TEST_SEED_SCALES does not name small"))
    func smallScaleMeetsItsSizes() throws { try meetsItsSizes(.small) }

    @Test(.enabled(if: Self.requested(.medium), "WWCTL_TEST_SEED_SCALES does not name medium"))
    func mediumScaleMeetsItsSizes() throws { try meetsItsSizes(.medium) }

    @Test(.enabled(if: Self.requested(.large), "WWCTL_TEST_SEED_SCALES does not name large"))
    func largeScaleMeetsItsSizes() throws { try meetsItsSizes(.large) }

    static func requested(_ scale: SeedScale) -> Bool {
        let wanted = ProcessInfo.processInfo.environment["WWCTL_TEST_SEED_SCALES"]?.split(separator: ",") ?? []
        return wanted.contains(Substring(scale.rawValue))
    }

    func meetsItsSizes(_ scale: SeedScale) throws {
        try withMigratedDatabase { database, connection in
            let report = try Seeder(connection).seed(scale: scale, seed: 1)
            let sizes = scale.sizes
            #expect(report.rows(in: "organizations") == sizes.organizations)
            #expect(report.rows(in: "users") == sizes.users)
            #expect(report.rows(in: "organization_users") == sizes.memberships)
            #expect(report.rows(in: "products") == sizes.products)
            #expect(abs(report.rows(in: "product_variants") - 2 * sizes.products) < sizes.products / 50)
            #expect(abs(report.rows(in: "order_items") - sizes.orderItems) < sizes.orderItems / 20)
            let size = try connection.query("SELECT pg_size_pretty(pg_database_size(current_database())) AS s")
                .first?.string("s") ?? "?"
            print("seed \(scale.rawValue): \(report.totalRows) rows in \(report.elapsed), database \(database.name) \(size)")
            for table in report.tables { print("  \(table.table): \(table.rows)") }
        }
    }
}
