import Foundation
import Postgres
import Support
import Testing
import TestSupport
@testable import Schema

@Suite struct MigratorTests {
    @Test func migratesAnEmptyDatabaseThenHasNothingToDo() throws {
        try withDatabase { _, connection in
            let first = try Migrator(connection).migrate()
            #expect(!first.alreadyCurrent)
            #expect(first.applied.map(\.version) == Migrations.all.map(\.version))
            #expect(first.currentVersion == Migrations.latestVersion)

            let second = try Migrator(connection).migrate()
            #expect(second.alreadyCurrent)
            #expect(second.applied.isEmpty)
            #expect(second.currentVersion == Migrations.latestVersion)

            let recorded = try connection.query("SELECT version, checksum FROM schema_migrations ORDER BY version")
            #expect(recorded.map { $0.int("version") } == Migrations.all.map(\.version))
            #expect(recorded.map { $0.string("checksum") } == Migrations.all.map(\.checksum))
            // The schema is there: the catalog of migration 2 and a table of migration 1.
            #expect(try count(connection, "SELECT count(*) FROM permissions") >= 40)
            #expect(try count(connection, "SELECT count(*) FROM roles") == 5)
            #expect(try count(connection, "SELECT count(*) FROM balance_transactions") == 0)
            // The catalog the binary completes from is the one the migration inserts.
            let rows = try connection.query("SELECT resource || ':' || action AS p FROM permissions ORDER BY id")
            #expect(rows.map { $0.string("p") ?? "" }
                == PermissionCatalog.resources.flatMap { r in PermissionCatalog.actions.map { r + ":" + $0 } })
        }
    }

    @Test func statusListsPendingThenApplied() throws {
        try withDatabase { _, connection in
            let migrator = Migrator(connection)
            let before = try migrator.status()
            #expect(before.map(\.version) == Migrations.all.map(\.version))
            #expect(before.allSatisfy { $0.isPending && $0.appliedAt == nil && $0.isKnown })
            #expect(try !migrator.isCurrent())

            try migrator.migrate()
            let after = try migrator.status()
            #expect(after.map(\.version) == Migrations.all.map(\.version))
            #expect(after.allSatisfy { !$0.isPending && $0.appliedAt != nil && $0.checksumMatches })
            #expect(after.first?.name == "initial schema")
            #expect(try migrator.isCurrent())
        }
    }

    @Test func twoConcurrentRunsApplyEachMigrationOnce() throws {
        try withDatabase { database, _ in
            let barrier = Barrier(parties: 2)
            let results = NSLock()
            nonisolated(unsafe) var reports: [MigrationReport] = []
            nonisolated(unsafe) var failures: [String] = []
            let threads = (0..<2).map { _ in
                Thread {
                    do {
                        let connection = try database.connect()
                        defer { connection.close() }
                        barrier.arriveAndWait()
                        let report = try Migrator(connection).migrate()
                        results.lock(); reports.append(report); results.unlock()
                    } catch {
                        results.lock(); failures.append("\(error)"); results.unlock()
                    }
                }
            }
            threads.forEach { $0.start() }
            let deadline = Date(timeIntervalSinceNow: 120)
            while Date() < deadline {
                results.lock()
                let done = reports.count + failures.count
                results.unlock()
                if done == 2 { break }
                Thread.sleep(forTimeInterval: 0.01)
            }
            results.lock()
            defer { results.unlock() }
            #expect(failures.isEmpty, "\(failures)")
            #expect(reports.count == 2)
            // Between them, each migration was applied exactly once; one run found nothing to do.
            #expect(reports.flatMap(\.applied).map(\.version).sorted() == Migrations.all.map(\.version))
            #expect(reports.filter(\.alreadyCurrent).count == 1)
            let check = try database.connect()
            defer { check.close() }
            #expect(try count(check, "SELECT count(*) FROM schema_migrations") == Migrations.all.count)
        }
    }

    @Test func appliesOnlyWhatIsNew() throws {
        let one = Migration(version: 1, name: "one", sql: "CREATE TABLE one (id int)")
        let two = Migration(version: 2, name: "two", sql: "CREATE TABLE two (id int); INSERT INTO two VALUES (2)")
        try withDatabase { _, connection in
            try Migrator(connection, migrations: [one]).migrate()
            let status = try Migrator(connection, migrations: [one, two]).status()
            #expect(status.map(\.isPending) == [false, true])
            let report = try Migrator(connection, migrations: [one, two]).migrate()
            #expect(report.applied.map(\.version) == [2])
            #expect(try count(connection, "SELECT id FROM two") == 2)
        }
    }

    @Test func aFailingMigrationIsRolledBackEntirely() throws {
        let good = Migration(version: 1, name: "good", sql: "CREATE TABLE good (id int)")
        let bad = Migration(version: 2, name: "bad", sql: "CREATE TABLE half (id int);\nSELECT 1 / 0;")
        try withDatabase { (_, connection) throws in
            let migrator = Migrator(connection, migrations: [good, bad])
            #expect {
                try migrator.migrate()
            } throws: { error in
                guard case .failed(let migration, let reason, _) = error as? MigrationError else { return false }
                return migration.version == 2 && reason.contains("division by zero")
            }
            #expect(try migrator.status().map(\.isPending) == [false, true])
            #expect(try count(connection, "SELECT count(*) FROM pg_tables WHERE tablename = 'half'") == 0)
            #expect(try count(connection, "SELECT count(*) FROM pg_tables WHERE tablename = 'good'") == 1)
            // The lock was released: another run can start (and fails the same way).
            #expect(throws: MigrationError.self) { try Migrator(connection, migrations: [good, bad]).migrate() }
        }
    }

    @Test func anEditedAppliedMigrationIsAnError() throws {
        let original = Migration(version: 1, name: "t", sql: "CREATE TABLE t (id int)")
        let edited = Migration(version: 1, name: "t", sql: "CREATE TABLE t (id bigint)")
        try withDatabase { _, connection in
            try Migrator(connection, migrations: [original]).migrate()
            #expect(throws: MigrationError.checksumMismatch(edited)) {
                try Migrator(connection, migrations: [edited]).migrate()
            }
            #expect(MigrationError.checksumMismatch(edited).category == .dataError)
            let status = try Migrator(connection, migrations: [edited]).status()
            #expect(status.map(\.checksumMatches) == [false])
            #expect(try !Migrator(connection, migrations: [edited]).isCurrent())
        }
    }

    @Test func aDatabaseAheadOfTheBinaryIsReported() throws {
        let one = Migration(version: 1, name: "one", sql: "CREATE TABLE one (id int)")
        let two = Migration(version: 2, name: "two", sql: "CREATE TABLE two (id int)")
        try withDatabase { _, connection in
            try Migrator(connection, migrations: [one, two]).migrate()
            #expect(throws: MigrationError.databaseIsNewer(version: 2, binaryLatest: 1)) {
                try Migrator(connection, migrations: [one]).migrate()
            }
            let status = try Migrator(connection, migrations: [one]).status()
            #expect(status.map(\.version) == [1, 2])
            #expect(status.map(\.isKnown) == [true, false])
        }
    }
}

/// The schema's constraints, on a migrated database.
@Suite struct SchemaConstraintTests {
    private func violation(_ connection: PostgresConnection, _ sql: String) -> PostgresError? {
        do {
            try connection.execute(sql)
            return nil
        } catch let error as PostgresError {
            return error
        } catch {
            return nil
        }
    }

    private func prepare(_ connection: PostgresConnection) throws {
        try connection.execute("INSERT INTO users (id, email, name) VALUES (1, 'a@example.com', 'A'), (2, 'b@example.com', 'B')")
        try connection.execute("INSERT INTO organizations (id, name, slug, status) VALUES (1, 'Acme', 'acme', 'active')")
        try connection.execute("INSERT INTO categories (id, name, slug) VALUES (1, 'Things', 'things')")
        try connection.execute(
            "INSERT INTO products (id, organization_id, category_id, name, slug, price) VALUES (1, 1, 1, 'P', 'p', 9.99)")
    }

    @Test func pricesMustBePositiveAndNumbers() throws {
        try withMigratedDatabase { _, connection in
            try prepare(connection)
            for price in ["-1", "0", "'NaN'"] {
                let error = violation(connection,
                    "INSERT INTO products (organization_id, category_id, name, slug, price) VALUES (1, 1, 'Q', 'q', \(price))")
                #expect(error?.isCheckViolation == true, "product price \(price) accepted")
            }
            for price in ["-0.01", "'NaN'"] {
                let error = violation(connection,
                    "INSERT INTO product_variants (product_id, sku, name, price) VALUES (1, 'SKU-1', 'v', \(price))")
                #expect(error?.isCheckViolation == true, "variant price \(price) accepted")
            }
            #expect(violation(connection,
                "INSERT INTO product_variants (product_id, sku, name, price, stock) VALUES (1, 'SKU-1', 'v', 1, -1)")?
                .isCheckViolation == true)
            #expect(violation(connection, "UPDATE organizations SET commission_rate = 1.5")?.isCheckViolation == true)
            #expect(violation(connection, "UPDATE organizations SET commission_rate = 'NaN'")?.isCheckViolation == true)
            #expect(violation(connection,
                "INSERT INTO product_variants (product_id, sku, name, price, stock) VALUES (1, 'SKU-1', 'v', 0, 3)") == nil)
        }
    }

    @Test func aUserHasOneMembershipPerOrganization() throws {
        try withMigratedDatabase { _, connection in
            try prepare(connection)
            try connection.execute("INSERT INTO organization_users (user_id, organization_id, role_id) VALUES (1, 1, 1)")
            let duplicate = violation(connection,
                "INSERT INTO organization_users (user_id, organization_id, role_id) VALUES (1, 1, 5)")
            #expect(duplicate?.isUniqueViolation == true)
            #expect(duplicate?.constraint == "organization_users_user_org_key")
            #expect(violation(connection,
                "INSERT INTO organization_users (user_id, organization_id, role_id) VALUES (2, 1, 5)") == nil)
        }
    }

    @Test func payoutPeriodsAreMonthsAndUniquePerOrganization() throws {
        try withMigratedDatabase { _, connection in
            try prepare(connection)
            for period in ["2026-13", "2026-00", "2026-1", "26-01", "2026-01-01"] {
                #expect(violation(connection,
                    "INSERT INTO payouts (organization_id, period, amount) VALUES (1, '\(period)', 10)")?
                    .isCheckViolation == true, "period \(period) accepted")
            }
            #expect(violation(connection, "INSERT INTO payouts (organization_id, period, amount) VALUES (1, '2026-10', 0)")?
                .isCheckViolation == true)
            try connection.execute("INSERT INTO payouts (organization_id, period, amount) VALUES (1, '2026-10', 10)")
            #expect(violation(connection, "INSERT INTO payouts (organization_id, period, amount) VALUES (1, '2026-10', 5)")?
                .isUniqueViolation == true)
            // Paid needs a reference.
            #expect(violation(connection, "UPDATE payouts SET status = 'paid', paid_at = now()")?.isCheckViolation == true)
        }
    }

    @Test func theLedgerIsAppendOnlyButPendingEntriesSettle() throws {
        try withMigratedDatabase { _, connection in
            try prepare(connection)
            try connection.execute(
                "INSERT INTO balance_transactions (id, organization_id, type, amount, status) VALUES (1, 1, 'adjustment', 5, 'pending')")
            #expect(violation(connection, "UPDATE balance_transactions SET amount = 6") != nil)
            #expect(violation(connection, "DELETE FROM balance_transactions") != nil)
            try connection.execute("UPDATE balance_transactions SET status = 'settled', settled_at = now()")
            #expect(violation(connection, "UPDATE balance_transactions SET status = 'pending', settled_at = NULL") != nil)
            // Signs follow the type.
            #expect(violation(connection,
                "INSERT INTO balance_transactions (organization_id, type, amount, status, settled_at) VALUES (1, 'adjustment', 0, 'settled', now())")?
                .isCheckViolation == true)
            try connection.execute("INSERT INTO payouts (id, organization_id, period, amount) VALUES (1, 1, '2026-10', 10)")
            #expect(violation(connection,
                "INSERT INTO balance_transactions (organization_id, type, amount, status, payout_id, settled_at) VALUES (1, 'payout', 10, 'settled', 1, now())")?
                .isCheckViolation == true)
            #expect(try count(connection, "SELECT count(*) FROM balance_transactions") == 1)
        }
    }

    @Test func commissionRulesResolveMostSpecificFirst() throws {
        try withMigratedDatabase { _, connection in
            try prepare(connection)
            try connection.execute("INSERT INTO categories (id, parent_id, name, slug) VALUES (2, 1, 'Gadgets', 'gadgets')")
            try connection.execute("UPDATE products SET category_id = 2")
            func rate() throws -> String? {
                try connection.query("SELECT effective_commission_rate(1) AS r").first?.string("r")
            }
            #expect(try rate() == "0.1000")  // the organization's own (default) rate
            try connection.execute("INSERT INTO commission_rules (scope, category_id, rate) VALUES ('category', 1, 0.05)")
            #expect(try rate() == "0.0500")  // a rule on an ancestor category
            try connection.execute(
                "INSERT INTO commission_rules (scope, category_id, organization_id, rate) VALUES ('organization', 1, 1, 0.04)")
            #expect(try rate() == "0.0400")  // this vendor's rule beats the category's at the same level
            try connection.execute("INSERT INTO commission_rules (scope, category_id, rate) VALUES ('category', 2, 0.07)")
            #expect(try rate() == "0.0700")  // the nearer category wins
            // The global rule is the default rate of new organizations.
            try connection.execute("INSERT INTO commission_rules (scope, rate) VALUES ('global', 0.0850)")
            try connection.execute("INSERT INTO organizations (id, name, slug) VALUES (2, 'Beta', 'beta')")
            #expect(try connection.query("SELECT commission_rate FROM organizations WHERE id = 2").first?.string(0) == "0.0850")
            #expect(violation(connection, "INSERT INTO commission_rules (scope, rate) VALUES ('global', 0.09)")?
                .isUniqueViolation == true)
        }
    }

    @Test func commissionRateLookupEndsOnACategoryParentCycle() throws {
        try withMigratedDatabase { _, connection in
            try prepare(connection)
            // The schema refuses only a category that is its own parent; two that are each
            // other's parent are accepted.
            try connection.execute("INSERT INTO categories (id, parent_id, name, slug) VALUES (2, 1, 'Gadgets', 'gadgets')")
            try connection.execute("UPDATE categories SET parent_id = 2 WHERE id = 1")
            try connection.execute("UPDATE products SET category_id = 2")
            // An unbounded walk never ends: fail (57014) instead of hanging the suite.
            try connection.execute("SET statement_timeout = '10s'")
            func rate() throws -> String? {
                try connection.query("SELECT effective_commission_rate(1) AS r").first?.string("r")
            }
            #expect(try rate() == "0.1000")  // no rule anywhere on the cycle: the organization's rate
            try connection.execute("INSERT INTO commission_rules (scope, category_id, rate) VALUES ('category', 1, 0.05)")
            #expect(try rate() == "0.0500")  // the parent's rule, found once round the cycle
            try connection.execute(
                "INSERT INTO commission_rules (scope, category_id, organization_id, rate) VALUES ('organization', 2, 1, 0.04)")
            #expect(try rate() == "0.0400")  // the nearer level still wins
        }
    }

    @Test func theRoleMatrixIsOrdered() throws {
        try withMigratedDatabase { _, connection in
            let result = try connection.query("""
                SELECT r.name, count(rp.permission_id) AS n
                FROM roles r LEFT JOIN role_permissions rp ON rp.role_id = r.id
                GROUP BY r.name, r.rank ORDER BY r.rank DESC
                """)
            #expect(result.map { $0.string("name") } == ["owner", "admin", "manager", "staff", "viewer"])
            let sizes = result.compactMap { $0.int("n") }
            let catalog = try count(connection, "SELECT count(*) FROM permissions")
            #expect(catalog >= 40)
            #expect(sizes.first == catalog)  // owner does everything
            #expect(sizes == sizes.sorted(by: >))
            // Every role below owner holds a subset of the role above it.
            let notInherited = try count(connection, """
                SELECT count(*) FROM role_permissions lower_rp
                JOIN roles lower_r ON lower_r.id = lower_rp.role_id
                JOIN roles upper_r ON upper_r.rank = (SELECT min(rank) FROM roles WHERE rank > lower_r.rank)
                WHERE NOT EXISTS (SELECT 1 FROM role_permissions u
                                  WHERE u.role_id = upper_r.id AND u.permission_id = lower_rp.permission_id)
                """)
            #expect(notInherited == 0)
            let viewerWrites = try count(connection, """
                SELECT count(*) FROM role_permissions rp JOIN roles r ON r.id = rp.role_id
                JOIN permissions p ON p.id = rp.permission_id WHERE r.name = 'viewer' AND p.action <> 'read'
                """)
            #expect(viewerWrites == 0)
        }
    }
}
