import Support

/// `payouts.status`: pending (created, money not yet sent), paid (sent, with the bank's
/// reference), failed (not sent; its amount was returned to the vendor's balance).
public enum PayoutStatus: String, Sendable, CaseIterable, Encodable {
    case pending, paid, failed
}

/// A vendor's balances from the ledger: available = settled entries, pending = pending
/// entries. Decimal strings in JSON.
public struct VendorBalance: Sendable, Encodable, Equatable {
    public var organizationId: Int
    public var name: String
    public var status: String
    public var available: ExactDecimal
    public var pending: ExactDecimal
}

public struct Payout: Sendable, Encodable, Equatable {
    public var id: Int
    public var organizationId: Int
    public var period: String
    public var amount: ExactDecimal
    public var currency: String
    public var status: String
    public var reference: String?
    public var failureReason: String?
    public var createdAt: String
    public var updatedAt: String
    public var paidAt: String?
    public var failedAt: String?
}

/// One entry of a vendor's ledger with the balances after it, in entry order (created_at,
/// then id). `available` adds up the settled entries so far, `balance` all entries (settled
/// and pending): after the last entry they are the vendor's available balance and its
/// available + pending.
public struct LedgerEntry: Sendable, Encodable, Equatable {
    public var id: Int
    public var createdAt: String
    public var type: String
    public var status: String
    public var amount: ExactDecimal
    public var available: ExactDecimal
    public var balance: ExactDecimal
    public var settledAt: String?
    public var orderItemId: Int?
    public var refundId: Int?
    public var payoutId: Int?
    public var description: String
}

public struct Ledger: Sendable, Encodable {
    public var organizationId: Int
    public var available: ExactDecimal
    public var pending: ExactDecimal
    public var entries: [LedgerEntry]
}

/// A payout with the ledger entries that refer to it (its debit, and its reversal if it
/// failed).
public struct PayoutDetail: Sendable, Encodable {
    public var payout: Payout
    public var entries: [LedgerEntry]
}

/// What `payouts run` did (or, in a dry run, would do).
public struct PayoutRunReport: Sendable, Encodable {
    public struct Created: Sendable, Encodable, Equatable {
        /// nil in a dry run.
        public var id: Int?
        public var organizationId: Int
        public var amount: ExactDecimal
    }

    /// Why a vendor was not paid. `reason` is a stable code:
    /// - `payout-exists`: the vendor has a payout for the period already (`payoutId`,
    ///   `payoutStatus`); a failed one is not retried in the same period, its amount is back
    ///   in the balance and goes out with the next period's run;
    /// - `below-minimum`: available balance positive but under `--min-amount`;
    /// - `nothing-available`: available balance zero or negative;
    /// - `not-active`: the organization is pending approval or suspended.
    public struct Skipped: Sendable, Encodable, Equatable {
        public var organizationId: Int
        public var reason: String
        public var available: ExactDecimal
        public var payoutId: Int?
        public var payoutStatus: String?
    }

    public var period: String
    public var minAmount: ExactDecimal
    public var created: [Created]
    public var skipped: [Skipped]
    /// Sum of `created` amounts.
    public var total: ExactDecimal
    public var dryRun: Bool
    /// Ctrl-C stopped the run between two vendors; the vendors not reached are in neither list.
    public var interrupted: Bool = false
}

/// The result of `payouts mark-paid` / `payouts fail`.
public struct PayoutTransition: Sendable, Encodable {
    public var command: String
    public var target: String
    public var change: JSONValue
    public var auditId: Int64
    public var payout: Payout
    /// The `payout_reversal` entry a failure posted; nil for mark-paid.
    public var reversalEntryId: Int?
}
