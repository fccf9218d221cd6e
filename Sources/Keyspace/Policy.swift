/// One rule of "never cache financial data" (docs/KEYSPACE.md): vendor balances,
/// payments, payouts and balance transactions are always read from PostgreSQL.
public struct FinancialRule: Sendable, Hashable, CustomStringConvertible {
    /// Stable id for lint findings (`cached-vendor-balance`).
    public let id: String
    /// Short title (`cached vendor balance`).
    public let title: String
    /// Key segments (compared case-insensitively) that mark a key as this data.
    public let words: Set<String>
    /// Example keys that break the rule, for documentation and messages.
    public let examples: [String]

    public var description: String { title }
}

/// Recognises cached financial data. A key breaks the policy when it belongs to no family
/// and any of its `:`-separated segments (after the key prefix) is one of the rules'
/// words: `vendor:{orgId}:balance`, `vendor:{orgId}:balance:pending`, `payout:9`,
/// `payments:recent`, `balance:3`, `balance_transactions:3`. Family keys never break it:
/// `vendor:{orgId}:earnings:{month}` is the documented exception (aggregated history), and
/// `attr:entity:payment` is attribute definitions, not a payment.
public enum FinancialPolicy {
    public static let vendorBalance = FinancialRule(
        id: "cached-vendor-balance", title: "cached vendor balance",
        words: ["balance", "balances", "vendor-balance", "vendor_balance", "vendorbalance", "vendor-balances",
                "vendor_balances", "vendorbalances"],
        examples: ["vendor:{orgId}:balance", "vendor:{orgId}:balance:*", "balance:*"])

    public static let payout = FinancialRule(
        id: "cached-payout", title: "cached payout",
        words: ["payout", "payouts"],
        examples: ["payout:*", "payouts:*", "vendor:{orgId}:payouts"])

    public static let payment = FinancialRule(
        id: "cached-payment", title: "cached payment",
        words: ["payment", "payments", "payment-transaction", "payment-transactions", "payment_transaction",
                "payment_transactions", "paymenttransaction", "paymenttransactions"],
        examples: ["payment:*", "payments:*", "order:{orderId}:payment"])

    public static let balanceTransaction = FinancialRule(
        id: "cached-balance-transaction", title: "cached balance transaction",
        words: ["balance-transaction", "balance-transactions", "balance_transaction", "balance_transactions",
                "balancetransaction", "balancetransactions"],
        examples: ["balance-transactions:*", "balance_transactions:*", "vendor:{orgId}:balance-transactions"])

    public static let rules: [FinancialRule] = [vendorBalance, payout, payment, balanceTransaction]

    /// The rule a key body (without prefix) breaks, judged by its segments alone; nil if
    /// none. `BoundKeyspace.parse` applies it only to keys of no family.
    public static func rule(forBody body: some StringProtocol) -> FinancialRule? {
        rule(forBody: Array(body.utf8))
    }

    public static func rule(forBody bytes: [UInt8]) -> FinancialRule? {
        for range in KeyBytes.split(bytes) {
            let segment = bytes[range]
            guard segment.count >= 6, segment.count <= 24 else { continue }
            let lowered = String(decoding: segment.map(lowercased), as: UTF8.self)
            for rule in rules where rule.words.contains(lowered) {
                return rule
            }
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}

/// A key form the source also names but the app's code does not write. Recognised so
/// lint can report it and invalidation can remove stale copies; the canonical family's
/// template renders the same parameters in the right form.
public struct LegacyForm: Sendable, Hashable, CustomStringConvertible {
    public let template: KeyTemplate
    /// The name of the canonical family.
    public let canonicalFamily: String
    /// Where the form comes from.
    public let note: String

    /// The display form: `user:{userId}:orgs`.
    public var form: String { template.pattern }
    public var description: String { form }

    /// `user:{userId}:orgs`, from the plan's naming-convention list; the code writes
    /// `user:orgs:{userId}`.
    public static let userOrgsReversed = LegacyForm(
        template: KeyTemplate(.literal("user"), .param("userId", .integer), .literal("orgs")),
        canonicalFamily: "user-orgs",
        note: "the naming-convention list's form; the code writes user:orgs:{userId}")

    public static let all: [LegacyForm] = [userOrgsReversed]
}
