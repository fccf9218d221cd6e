import Foundation
import Synchronization
import Testing
import Marketplace
import Postgres
import Schema
import Support
import TestSupport

/// Payouts against a scratch database with the tiny seed. The seed paid every month from
/// 2025-11 to 2026-10; `period` below has no payouts yet.
@Suite struct PayoutsTests {
    let period = "2025-06"

    /// Available balances of active vendors, computed here from the ledger rows.
    func eligible(_ db: SeededScratch, minimum: ExactDecimal = .zero) throws -> [Int: ExactDecimal] {
        var sums: [Int: ExactDecimal] = [:]
        for row in try db.connection.query("""
            SELECT bt.organization_id, bt.amount FROM balance_transactions bt JOIN organizations o ON o.id = bt.organization_id
            WHERE bt.status = 'settled' AND o.status = 'active'
            """) {
            sums[try row.requiredInt(0), default: .zero] += try row.requiredDecimal(1)
        }
        return sums.filter { $0.value > .zero && $0.value >= minimum }
    }

    func available(_ db: SeededScratch, _ org: Int) throws -> ExactDecimal {
        try db.decimal("SELECT coalesce(sum(amount), 0) FROM balance_transactions WHERE organization_id = $1 AND status = 'settled'", [org])
    }

    @Test func balancesAreTheLedgersSettledAndPendingSums() throws {
        try SeededScratch.with(prefix: "payouts") { db in
            let balances = try PayoutService(db.connection).balances()
            #expect(balances.count == (try db.int("SELECT count(*) FROM organizations")))
            for b in balances {
                #expect(b.available == (try available(db, b.organizationId)))
                #expect(b.pending == (try db.decimal(
                    "SELECT coalesce(sum(amount), 0) FROM balance_transactions WHERE organization_id = $1 AND status = 'pending'",
                    [b.organizationId])))
                #expect(b.available.scale == 2 && b.pending.scale == 2)
            }
            #expect(balances.contains { $0.available > .zero })
            #expect(try PayoutService(db.connection).balances(organizationId: 2).map(\.organizationId) == [2])
            #expect(throws: WWError.dataError("no org 987654")) { try PayoutService(db.connection).balances(organizationId: 987654) }
        }
    }

    @Test func aRunPaysEachEligibleVendorItsAvailableBalanceOnceAndARepeatCreatesNothing() throws {
        try SeededScratch.with(prefix: "payouts") { db in
            let before = try eligible(db)
            #expect(before.count >= 3)
            let audits = try db.int("SELECT count(*) FROM audit_log WHERE command = 'payouts run'")
            let report = try PayoutService(db.connection).run(period: period, allowOldPeriod: true, actor: "cron")
            #expect(!report.dryRun)
            #expect(Dictionary(uniqueKeysWithValues: report.created.map { ($0.organizationId, $0.amount) }) == before)
            #expect(report.total == before.values.reduce(.zero, +))
            for created in report.created {
                #expect(try available(db, created.organizationId) == .zero)
                let id = try #require(created.id)
                let debit = try db.connection.query(
                    "SELECT amount, status FROM balance_transactions WHERE payout_id = $1 AND type = 'payout'", [id])
                #expect(debit.count == 1)
                #expect(debit.first?.decimal(0) == -created.amount)
                #expect(debit.first?.string(1) == "settled")
                #expect(try db.decimal("SELECT amount FROM payouts WHERE id = $1", [id]) == created.amount)
            }
            #expect(try db.int("SELECT count(*) FROM audit_log WHERE command = 'payouts run'") == audits + before.count)
            // Suspended vendors keep their money.
            for skipped in report.skipped where skipped.reason == "not-active" {
                #expect(try available(db, skipped.organizationId) == skipped.available)
            }

            let again = try PayoutService(db.connection).run(period: period, allowOldPeriod: true, actor: "cron")
            #expect(again.created.isEmpty)
            #expect(Set(again.skipped.filter { $0.reason == "payout-exists" }.map(\.organizationId)) == Set(before.keys))
            #expect(try db.int("SELECT count(*) FROM payouts WHERE period = $1", [period]) == before.count)
        }
    }

    @Test func concurrentRunsOnSeparateConnectionsPayEveryVendorExactlyOnce() async throws {
        let database = try TestDatabase.create(prefix: "payouts")
        defer { database.drop() }
        let setup = try database.connect()
        try Migrator(setup).migrate()
        try Seeder(setup).seed(scale: .tiny, seed: 3)
        let before = try eligible(SeededScratch(database: database, connection: setup))
        let url = database.url
        let period = self.period
        let runners = 6
        let gate = StartGate(parties: runners)
        let reports = try await withThrowingTaskGroup(of: PayoutRunReport.self) { group in
            for _ in 0..<runners {
                group.addTask {
                    try await DedicatedThread.run {
                        let connection = try PostgresConnection(conninfo: url)
                        defer { connection.close() }
                        gate.arriveAndWait()
                        return try PayoutService(connection).run(period: period, allowOldPeriod: true, actor: "cron")
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let created = reports.flatMap(\.created)
        #expect(created.count == before.count)
        #expect(Set(created.map(\.organizationId)).count == created.count)
        #expect(Dictionary(uniqueKeysWithValues: created.map { ($0.organizationId, $0.amount) }) == before)
        #expect(created.reduce(.zero) { $0 + $1.amount } == before.values.reduce(.zero, +))
        let db = SeededScratch(database: database, connection: setup)
        #expect(try db.int("SELECT count(*) FROM payouts WHERE period = $1", [period]) == before.count)
        #expect(try db.int("""
            SELECT count(*) FROM balance_transactions bt JOIN payouts p ON p.id = bt.payout_id
            WHERE p.period = $1 AND bt.type = 'payout'
            """, [period]) == before.count)
        for org in before.keys { #expect(try available(db, org) == .zero) }
        setup.close()
    }

    @Test func failingAPendingPayoutReturnsItsAmountAndOtherTransitionsChangeNothing() throws {
        try SeededScratch.with(prefix: "payouts") { db in
            let service = PayoutService(db.connection)
            let report = try service.run(period: period, allowOldPeriod: true, actor: "cron")
            let paid = try #require(report.created.first)
            let failed = try #require(report.created.dropFirst().first)
            let failedBefore = try available(db, failed.organizationId)

            let failure = try service.fail(try #require(failed.id), reason: "account closed", actor: "ops")
            #expect(failure.payout.status == "failed")
            #expect(failure.payout.failureReason == "account closed")
            #expect(try available(db, failed.organizationId) == failedBefore + failed.amount)
            let reversal = try db.connection.query(
                "SELECT amount, status FROM balance_transactions WHERE id = $1 AND type = 'payout_reversal'", [failure.reversalEntryId])
            #expect(reversal.first?.decimal(0) == failed.amount)
            #expect(reversal.first?.string(1) == "settled")
            #expect(try db.int("SELECT count(*) FROM audit_log WHERE target = $1 AND command = 'payouts fail'", ["payout:\(failed.id!)"]) == 1)

            let marked = try service.markPaid(try #require(paid.id), reference: "TRF-1", actor: "ops")
            #expect(marked.payout.status == "paid" && marked.payout.reference == "TRF-1" && marked.payout.paidAt != nil)

            let ledgerRows = try db.int("SELECT count(*) FROM balance_transactions")
            let audits = try db.int("SELECT count(*) FROM audit_log")
            #expect(throws: WWError.dataError("payout \(failed.id!) is failed; only a pending payout can be failed")) {
                try service.fail(failed.id!, reason: "again", actor: "ops")
            }
            #expect(throws: WWError.dataError("payout \(failed.id!) is failed; only a pending payout can be marked paid")) {
                try service.markPaid(failed.id!, reference: "TRF-2", actor: "ops")
            }
            #expect(throws: WWError.dataError("payout \(paid.id!) is paid; only a pending payout can be failed")) {
                try service.fail(paid.id!, reason: "late bounce", actor: "ops")
            }
            #expect(throws: WWError.dataError("payout \(paid.id!) is paid; only a pending payout can be marked paid")) {
                try service.markPaid(paid.id!, reference: "TRF-3", actor: "ops")
            }
            #expect(throws: WWError.dataError("no payout 987654")) { try service.fail(987654, reason: "x", actor: "ops") }
            #expect(throws: WWError.usage("--reason must not be empty")) { try service.fail(paid.id!, reason: "  ", actor: "ops") }
            #expect(try db.int("SELECT count(*) FROM balance_transactions") == ledgerRows)
            #expect(try db.int("SELECT count(*) FROM audit_log") == audits)
            #expect(try db.connection.query("SELECT reference FROM payouts WHERE id = $1", [paid.id!])[0].string(0) == "TRF-1")

            // The failed payout's period keeps its row; the same period skips the vendor, the
            // next one pays the returned amount.
            let same = try service.run(period: period, organizationId: failed.organizationId, allowOldPeriod: true, actor: "cron")
            #expect(same.created.isEmpty)
            #expect(same.skipped.first?.reason == "payout-exists" && same.skipped.first?.payoutStatus == "failed")
            let next = try service.run(period: "2025-07", organizationId: failed.organizationId, allowOldPeriod: true, actor: "cron")
            #expect(next.created.map(\.amount) == [failed.amount])
        }
    }

    @Test func invalidAndUnfinishedPeriodsAreRefusedAndCreateNothing() throws {
        try SeededScratch.with(prefix: "payouts") { db in
            let service = PayoutService(db.connection)
            let payouts = try db.int("SELECT count(*) FROM payouts")
            for period in ["2026-13", "26-01", "2026-1", "2026-00", "", "2026-10-01", "２０２６-10", "abcd-ef"] {
                do {
                    _ = try service.run(period: period, allowOldPeriod: true, actor: "cron")
                    Issue.record("\(period) accepted")
                } catch let error as WWError {
                    #expect(error.category == .dataError, "\(period)")
                }
            }
            let current = try db.connection.query("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')")[0].requiredString(0)
            let year = Int(current.prefix(4))!
            for period in [current, "\(year + 1)-01", "9999-12"] {
                do {
                    _ = try service.run(period: period, dryRun: true, allowOldPeriod: true, actor: "cron")
                    Issue.record("\(period) accepted")
                } catch let error as WWError {
                    #expect(error.category == .dataError && error.message.contains("has not ended"), "\(period)")
                }
            }
            #expect(try db.int("SELECT count(*) FROM payouts") == payouts)
        }
    }

    @Test func aDryRunAndAMinimumAmount() throws {
        try SeededScratch.with(prefix: "payouts") { db in
            let service = PayoutService(db.connection)
            let all = try eligible(db)
            let minimum = all.values.sorted()[all.count / 2]
            let rows = try db.int("SELECT count(*) FROM payouts") + db.int("SELECT count(*) FROM balance_transactions")
            let dry = try service.run(period: period, minAmount: minimum, dryRun: true, allowOldPeriod: true, actor: "cron")
            #expect(dry.dryRun && dry.created.allSatisfy { $0.id == nil })
            #expect(Set(dry.created.map(\.organizationId)) == Set(try eligible(db, minimum: minimum).keys))
            #expect(dry.skipped.contains { $0.reason == "below-minimum" })
            #expect(try db.int("SELECT count(*) FROM payouts") + db.int("SELECT count(*) FROM balance_transactions") == rows)
            let real = try service.run(period: period, minAmount: minimum, allowOldPeriod: true, actor: "cron")
            #expect(real.created.map(\.organizationId) == dry.created.map(\.organizationId))
            #expect(real.created.map(\.amount) == dry.created.map(\.amount))
        }
    }

    @Test func theLedgersRunningBalanceEndsAtTheBalance() throws {
        try SeededScratch.with(prefix: "payouts") { db in
            let service = PayoutService(db.connection)
            _ = try service.run(period: period, allowOldPeriod: true, actor: "cron")
            for balance in try service.balances() {
                let ledger = try service.ledger(organizationId: balance.organizationId)
                #expect(ledger.available == balance.available)
                #expect(ledger.pending == balance.pending)
                var available = ExactDecimal.zero
                var total = ExactDecimal.zero
                for entry in ledger.entries {
                    total += entry.amount
                    if entry.status == "settled" { available += entry.amount }
                    #expect(entry.available == available && entry.balance == total)
                }
                #expect((ledger.entries.last?.available ?? .zero) == balance.available)
                #expect((ledger.entries.last?.balance ?? .zero) == balance.available + balance.pending)
            }
        }
    }
}

/// Holds threads until all have arrived, so they start at the same moment.
final class StartGate: Sendable {
    private let arrived = Atomic<Int>(0)
    private let parties: Int

    init(parties: Int) { self.parties = parties }

    func arriveAndWait() {
        arrived.add(1, ordering: .sequentiallyConsistent)
        while arrived.load(ordering: .sequentiallyConsistent) < parties { usleep(100) }
    }
}
