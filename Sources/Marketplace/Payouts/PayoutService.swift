import Postgres
import Support

/// Vendor balances and payouts, from and into the ledger in PostgreSQL. Nothing here takes
/// a Redis connection: balances, payouts and ledger entries are never cached (see
/// docs/KEYSPACE.md), so these operations work with Redis unreachable.
///
/// Money moves only in transactions that keep the ledger whole:
/// - a payout is created together with its `payout` entry (− amount, settled) and its
///   audit row, one transaction per vendor: a run killed at any instant leaves each payout
///   whole with its debit, or absent;
/// - a failed payout gets its `payout_reversal` entry (+ amount, settled) in the same
///   transaction as the status change, so the amount is available again.
///
/// At most one payout per vendor and period, whoever runs at the same moment: every
/// transaction that moves a vendor's money first locks the vendor's `organizations` row
/// (`SELECT … FOR UPDATE`) and only then reads the period's payout and the balance, so a
/// second run waits for the first to commit and then finds the payout (READ COMMITTED
/// takes a fresh snapshot per statement). The unique constraint on (organization_id,
/// period) backs this up: an insert that meets it creates nothing. Vendors are taken in id
/// order and each transaction locks one vendor, so runs cannot deadlock.
///
/// Policy for a failed payout: its row keeps the period (unique), so `payouts run` for the
/// same period skips the vendor (`payout-exists`, status failed); the reversal put the
/// amount back in the available balance, which the next period's run pays.
public struct PayoutService {
    public let connection: PostgresConnection

    public init(_ connection: PostgresConnection) {
        self.connection = connection
    }

    // MARK: balances and ledger

    /// Every organization's balances (or one's), by id.
    public func balances(organizationId: Int? = nil) throws -> [VendorBalance] {
        if let organizationId { try AccessLookup.requireOrg(organizationId, connection) }
        let rows = try connection.query("""
            SELECT o.id, o.name, o.status,
                   coalesce(b.available, 0) AS available, coalesce(b.pending, 0) AS pending
            FROM organizations o
            LEFT JOIN (
                SELECT organization_id,
                       sum(amount) FILTER (WHERE status = 'settled') AS available,
                       sum(amount) FILTER (WHERE status = 'pending') AS pending
                FROM balance_transactions
                WHERE ($1::bigint IS NULL OR organization_id = $1)
                GROUP BY organization_id
            ) b ON b.organization_id = o.id
            WHERE ($1::bigint IS NULL OR o.id = $1)
            ORDER BY o.id
            """, [organizationId])
        return try rows.map { row in
            VendorBalance(
                organizationId: try row.requiredInt("id"), name: try row.requiredString("name"),
                status: try row.requiredString("status"),
                available: try row.requiredDecimal("available").rounded(scale: 2),
                pending: try row.requiredDecimal("pending").rounded(scale: 2))
        }
    }

    /// A vendor's ledger in entry order, with running balances (see `LedgerEntry`).
    public func ledger(organizationId: Int) throws -> Ledger {
        try AccessLookup.requireOrg(organizationId, connection)
        var entries: [LedgerEntry] = []
        var available = ExactDecimal(coefficient: 0, scale: 2)
        var balance = available
        try connection.stream("""
            SELECT id, created_at, type, status, amount, settled_at, order_item_id, refund_id, payout_id, description
            FROM balance_transactions
            WHERE organization_id = $1
            ORDER BY created_at, id
            """, [organizationId]) { row in
            let amount = try row.requiredDecimal("amount")
            let status = try row.requiredString("status")
            balance += amount
            if status == "settled" { available += amount }
            entries.append(try Self.entry(row, amount: amount, status: status, available: available, balance: balance))
        }
        return Ledger(organizationId: organizationId, available: available, pending: balance - available, entries: entries)
    }

    // MARK: payouts

    public func list(status: PayoutStatus? = nil, organizationId: Int? = nil, period: String? = nil, limit: Int = 100) throws -> [Payout] {
        guard limit >= 1 else { throw WWError.usage("--limit must be at least 1, got \(limit)") }
        if let organizationId { try AccessLookup.requireOrg(organizationId, connection) }
        if let period { _ = try PayoutPeriod.parse(period) }
        return try connection.query("""
            SELECT \(Self.payoutColumns) FROM payouts
            WHERE ($1::text IS NULL OR status = $1)
              AND ($2::bigint IS NULL OR organization_id = $2)
              AND ($3::text IS NULL OR period = $3)
            ORDER BY id DESC
            LIMIT $4
            """, [status?.rawValue, organizationId, period, limit]).map(Self.payout)
    }

    public func show(_ payoutId: Int) throws -> PayoutDetail {
        guard let row = try connection.query("SELECT \(Self.payoutColumns) FROM payouts WHERE id = $1", [payoutId]).first else {
            throw WWError.dataError("no payout \(payoutId)")
        }
        let payout = try Self.payout(row)
        // Running balances here are over this payout's own entries.
        var running = ExactDecimal(coefficient: 0, scale: 2)
        let entries = try connection.query("""
            SELECT id, created_at, type, status, amount, settled_at, order_item_id, refund_id, payout_id, description
            FROM balance_transactions WHERE payout_id = $1 ORDER BY created_at, id
            """, [payoutId]).map { row in
            let amount = try row.requiredDecimal("amount")
            running += amount
            return try Self.entry(row, amount: amount, status: try row.requiredString("status"), available: running, balance: running)
        }
        return PayoutDetail(payout: payout, entries: entries)
    }

    /// `payouts run`: pays every vendor whose available balance is at least `minAmount`
    /// (and more than 0) once for `period`. See the type's documentation for the
    /// guarantees. With `dryRun`, reads only and reports what it would create.
    /// A period more than a year old or before any ledger activity is refused unless
    /// `allowOldPeriod` (`PayoutPeriod.requireRecent`).
    public func run(
        period text: String, minAmount: ExactDecimal = .zero, organizationId: Int? = nil, dryRun: Bool = false,
        allowOldPeriod: Bool = false, actor: String
    ) throws -> PayoutRunReport {
        let period = try PayoutPeriod.parse(text)
        guard !minAmount.isNegative else { throw WWError.dataError("--min-amount must not be negative, got \(minAmount)") }
        try PayoutPeriod.requireEnded(period, on: connection)
        if !allowOldPeriod { try PayoutPeriod.requireRecent(period, on: connection) }
        if let organizationId { try AccessLookup.requireOrg(organizationId, connection) }

        var report = PayoutRunReport(
            period: period, minAmount: minAmount.rounded(scale: 2), created: [], skipped: [],
            total: ExactDecimal(coefficient: 0, scale: 2), dryRun: dryRun)
        for candidate in try candidates(period: period, organizationId: organizationId) {
            // Between vendors every payout is whole: Ctrl-C stops here and reports what was done.
            if Interrupt.isRequested {
                report.interrupted = true
                break
            }
            if let skip = Self.skipReason(candidate, minAmount: minAmount) {
                report.skipped.append(skip)
                continue
            }
            if dryRun {
                report.created.append(.init(id: nil, organizationId: candidate.organizationId, amount: candidate.available))
                report.total += candidate.available
                continue
            }
            switch try pay(candidate.organizationId, period: period, minAmount: minAmount, actor: actor) {
            case .created(let created):
                report.created.append(created)
                report.total += created.amount
            case .skipped(let skipped):
                report.skipped.append(skipped)
            }
        }
        return report
    }

    /// `payouts mark-paid`: pending → paid with the bank's reference.
    public func markPaid(_ payoutId: Int, reference: String, actor: String) throws -> PayoutTransition {
        let reference = String(reference.trimmingSpaces)
        guard !reference.isEmpty else { throw WWError.usage("--reference must not be empty") }
        return try transition(payoutId, command: "payouts mark-paid", actor: actor) { tx, before in
            try tx.execute("""
                UPDATE payouts SET status = 'paid', reference = $2, paid_at = now(), updated_at = now() WHERE id = $1
                """, [payoutId, reference])
            return (.object([("reference", .string(reference))]), nil)
        }
    }

    /// `payouts fail`: pending → failed with a reason, and a `payout_reversal` entry that
    /// returns the amount to the vendor's available balance.
    public func fail(_ payoutId: Int, reason: String, actor: String) throws -> PayoutTransition {
        let reason = String(reason.trimmingSpaces)
        guard !reason.isEmpty else { throw WWError.usage("--reason must not be empty") }
        return try transition(payoutId, command: "payouts fail", actor: actor) { tx, before in
            try tx.execute("""
                UPDATE payouts SET status = 'failed', failure_reason = $2, failed_at = now(), updated_at = now() WHERE id = $1
                """, [payoutId, reason])
            let entry = try tx.query("""
                INSERT INTO balance_transactions (organization_id, type, amount, status, payout_id, description, settled_at)
                VALUES ($1, 'payout_reversal', $2, 'settled', $3, $4, now())
                RETURNING id
                """, [before.organizationId, before.amount, payoutId, "payout \(before.period) failed: \(reason)"])
            let entryId = try entry[0].requiredInt("id")
            return (.object([("reason", .string(reason)), ("reversal", .string(before.amount.description)),
                             ("reversalEntryId", .number(entryId))]), entryId)
        }
    }

    // MARK: internals

    struct Candidate {
        var organizationId: Int
        var status: String
        var available: ExactDecimal
        var payoutId: Int?
        var payoutStatus: String?
    }

    enum PayResult {
        case created(PayoutRunReport.Created)
        case skipped(PayoutRunReport.Skipped)
    }

    /// Vendors with ledger entries or a payout for the period (or the one asked for), with
    /// their available balance and the period's payout, read without locks: `pay`
    /// decides again under the lock.
    private func candidates(period: String, organizationId: Int?) throws -> [Candidate] {
        try connection.query("""
            WITH settled AS (
                SELECT organization_id, sum(amount) FILTER (WHERE status = 'settled') AS available
                FROM balance_transactions
                WHERE ($2::bigint IS NULL OR organization_id = $2)
                GROUP BY organization_id
            )
            SELECT o.id, o.status, coalesce(s.available, 0) AS available, p.id AS payout_id, p.status AS payout_status
            FROM organizations o
            LEFT JOIN settled s ON s.organization_id = o.id
            LEFT JOIN payouts p ON p.organization_id = o.id AND p.period = $1
            WHERE ($2::bigint IS NULL OR o.id = $2)
              AND (s.organization_id IS NOT NULL OR p.id IS NOT NULL OR $2::bigint IS NOT NULL)
            ORDER BY o.id
            """, [period, organizationId]).map { row in
            Candidate(
                organizationId: try row.requiredInt("id"), status: try row.requiredString("status"),
                available: try row.requiredDecimal("available").rounded(scale: 2),
                payoutId: row.int("payout_id"), payoutStatus: row.string("payout_status"))
        }
    }

    static func skipReason(_ candidate: Candidate, minAmount: ExactDecimal) -> PayoutRunReport.Skipped? {
        let reason: String
        if candidate.payoutId != nil {
            reason = "payout-exists"
        } else if candidate.status != "active" {
            reason = "not-active"
        } else if candidate.available <= .zero {
            reason = "nothing-available"
        } else if candidate.available < minAmount {
            reason = "below-minimum"
        } else {
            return nil
        }
        return .init(
            organizationId: candidate.organizationId, reason: reason, available: candidate.available,
            payoutId: candidate.payoutId, payoutStatus: candidate.payoutStatus)
    }

    /// One vendor's payout: lock, decide again, insert the payout, its debit and its audit
    /// row, all in one transaction.
    private func pay(_ organizationId: Int, period: String, minAmount: ExactDecimal, actor: String) throws -> PayResult {
        try connection.withRetry {
            try connection.transaction { tx -> PayResult in
                guard let org = try tx.query("SELECT status FROM organizations WHERE id = $1 FOR UPDATE", [organizationId]).first else {
                    throw WWError.dataError("no org \(organizationId)")
                }
                let existing = try tx.query(
                    "SELECT id, status FROM payouts WHERE organization_id = $1 AND period = $2", [organizationId, period])
                // An aggregate without GROUP BY: always one row.
                let balance = try tx.query("""
                    SELECT coalesce(sum(amount), 0) AS available FROM balance_transactions
                    WHERE organization_id = $1 AND status = 'settled'
                    """, [organizationId])
                guard let available = try balance.first?.requiredDecimal("available") else {
                    throw WWError.internalError("no balance row for org \(organizationId)")
                }
                let candidate = Candidate(
                    organizationId: organizationId, status: try org.requiredString("status"),
                    available: available.rounded(scale: 2),
                    payoutId: existing.first?.int("id"), payoutStatus: existing.first?.string("status"))
                if let skip = Self.skipReason(candidate, minAmount: minAmount) { return .skipped(skip) }
                let amount = candidate.available
                let inserted = try tx.query("""
                    INSERT INTO payouts (organization_id, period, amount) VALUES ($1, $2, $3)
                    ON CONFLICT (organization_id, period) DO NOTHING
                    RETURNING id
                    """, [organizationId, period, amount])
                guard let payoutId = inserted.first?.int("id") else {
                    // Someone inserted without taking the lock; theirs stands.
                    let row = try tx.query(
                        "SELECT id, status FROM payouts WHERE organization_id = $1 AND period = $2", [organizationId, period])
                    return .skipped(.init(
                        organizationId: organizationId, reason: "payout-exists", available: amount,
                        payoutId: row.first?.int("id"), payoutStatus: row.first?.string("status")))
                }
                try tx.execute("""
                    INSERT INTO balance_transactions (organization_id, type, amount, status, payout_id, description, settled_at)
                    VALUES ($1, 'payout', $2, 'settled', $3, $4, now())
                    """, [organizationId, -amount, payoutId, "payout \(period)"])
                try AuditLog.append(AuditEntry(
                    actor: actor, command: "payouts run", target: .payout(payoutId),
                    details: .object([
                        ("organizationId", .number(organizationId)), ("period", .string(period)),
                        ("amount", .string(amount.description)),
                    ])), on: tx)
                return .created(.init(id: payoutId, organizationId: organizationId, amount: amount))
            }
        }
    }

    /// A status change of a pending payout: the vendor's row is locked first (the order
    /// `payouts run` uses), then the payout's, then its status checked again. Any status
    /// but pending is refused (65) with nothing changed.
    private func transition(
        _ payoutId: Int, command: String, actor: String,
        _ change: (PostgresConnection, Payout) throws -> (JSONValue, Int?)
    ) throws -> PayoutTransition {
        guard let first = try connection.query("SELECT organization_id FROM payouts WHERE id = $1", [payoutId]).first else {
            throw WWError.dataError("no payout \(payoutId)")
        }
        let organizationId = try first.requiredInt("organization_id")
        return try connection.withRetry {
            try connection.transaction { tx -> PayoutTransition in
                _ = try tx.query("SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE", [organizationId])
                guard let row = try tx.query("SELECT \(Self.payoutColumns) FROM payouts WHERE id = $1 FOR UPDATE", [payoutId]).first else {
                    // Deleted between the first read and the lock.
                    throw WWError.dataError("no payout \(payoutId)")
                }
                let before = try Self.payout(row)
                guard before.status == PayoutStatus.pending.rawValue else {
                    throw WWError.dataError(
                        "payout \(payoutId) is \(before.status); only a pending payout can be \(command == "payouts fail" ? "failed" : "marked paid")")
                }
                let (details, entryId) = try change(tx, before)
                guard let afterRow = try tx.query("SELECT \(Self.payoutColumns) FROM payouts WHERE id = $1", [payoutId]).first else {
                    throw WWError.dataError("no payout \(payoutId)")
                }
                let after = try Self.payout(afterRow)
                let changeJSON = JSONValue.object([
                    ("before", .object([("status", .string(before.status))])),
                    ("after", .object([("status", .string(after.status))])),
                    ("organizationId", .number(organizationId)), ("amount", .string(before.amount.description)),
                    ("details", details),
                ])
                let auditId = try AuditLog.append(
                    AuditEntry(actor: actor, command: command, target: .payout(payoutId), details: changeJSON), on: tx)
                return PayoutTransition(
                    command: command, target: AuditTarget.payout(payoutId).description, change: changeJSON, auditId: auditId, payout: after,
                    reversalEntryId: entryId)
            }
        }
    }

    static let payoutColumns = """
        id, organization_id, period, amount, currency, status, reference, failure_reason, created_at, updated_at, paid_at, failed_at
        """

    static func payout(_ row: PostgresRow) throws -> Payout {
        Payout(
            id: try row.requiredInt("id"), organizationId: try row.requiredInt("organization_id"),
            period: try row.requiredString("period"), amount: try row.requiredDecimal("amount"),
            currency: try row.requiredString("currency"), status: try row.requiredString("status"),
            reference: row.string("reference"), failureReason: row.string("failure_reason"),
            createdAt: try row.requiredIsoTimestamp("created_at"), updatedAt: try row.requiredIsoTimestamp("updated_at"),
            paidAt: row.isoTimestamp("paid_at"), failedAt: row.isoTimestamp("failed_at"))
    }

    static func entry(_ row: PostgresRow, amount: ExactDecimal, status: String, available: ExactDecimal, balance: ExactDecimal) throws -> LedgerEntry {
        LedgerEntry(
            id: try row.requiredInt("id"), createdAt: try row.requiredIsoTimestamp("created_at"),
            type: try row.requiredString("type"), status: status, amount: amount, available: available, balance: balance,
            settledAt: row.isoTimestamp("settled_at"), orderItemId: row.int("order_item_id"), refundId: row.int("refund_id"),
            payoutId: row.int("payout_id"), description: try row.requiredString("description"))
    }
}

/// A payout period, `YYYY-MM`.
public enum PayoutPeriod {
    /// Checks the form (`2026-10`; not `2026-13`, `26-01`, `2026-1`). An invalid period is
    /// bad input data (65).
    public static func parse(_ text: String) throws(WWError) -> String {
        let bytes = Array(text.utf8)
        func digit(_ i: Int) -> Int? {
            bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") ? Int(bytes[i] - UInt8(ascii: "0")) : nil
        }
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              [0, 1, 2, 3, 5, 6].allSatisfy({ digit($0) != nil }),
              let tens = digit(5), let ones = digit(6), (1...12).contains(tens * 10 + ones)
        else {
            throw .dataError("period '\(AmountInput.shown(text))' is not a month: use YYYY-MM with a month from 01 to 12, e.g. 2026-10")
        }
        return text
    }

    /// Refuses (65) a period that has not ended by the database's clock (UTC): a payout
    /// taken during its month would leave the rest of the month's earnings for a period that
    /// already has its one payout.
    public static func requireEnded(_ period: String, on connection: PostgresConnection) throws {
        let current = try connection.query("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM') AS month")[0].requiredString("month")
        guard period < current else {
            throw WWError.dataError("period \(period) has not ended (it is \(current) now, UTC); pay a month once it is over")
        }
    }

    /// How far back a run may pay without `--allow-old-period`, in months.
    public static let recentMonths = 12

    /// Refuses (65) a period that is more than `recentMonths` old or before the first entry
    /// of the ledger: a run pays every vendor's whole available balance, whatever month it
    /// is labelled with, so `--period 0000-01` or a typo'd year would pay everyone under a
    /// meaningless label, and block that label's real run. `--allow-old-period` is for the
    /// deliberate catch-up.
    public static func requireRecent(_ period: String, on connection: PostgresConnection) throws {
        let row = try connection.query("""
            SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
                   (SELECT to_char(min(created_at) AT TIME ZONE 'UTC', 'YYYY-MM') FROM balance_transactions) AS first
            """)[0]
        let current = try row.requiredString("month")
        let first = row.string("first")
        let age = monthNumber(current) - monthNumber(period)
        let advice = "; give --allow-old-period if paying it is meant"
        if let first, period < first {
            throw WWError.dataError(
                "period \(period) is before the first ledger entry (\(first)): a run would pay every vendor's balance under a month "
                    + "with no activity\(advice)")
        }
        if first == nil {
            throw WWError.dataError("the ledger is empty: no period has activity to pay\(advice)")
        }
        if age > recentMonths {
            throw WWError.dataError("period \(period) is \(age) months old (more than \(recentMonths))\(advice)")
        }
    }

    /// `2026-10` → 2026 × 12 + 9.
    static func monthNumber(_ period: String) -> Int {
        let parts = period.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]) else { return 0 }
        return year * 12 + month - 1
    }
}
