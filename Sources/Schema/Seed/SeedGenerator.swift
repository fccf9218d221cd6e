import Support

/// One row for COPY: a text field per column, nil for NULL.
typealias SeedRow = [String?]

/// A table to load: its COPY column list, how many rows to expect and the rows themselves.
struct SeedTable {
    let name: String
    let columns: [String]
    /// Asked when the table starts: some counts are only known after an earlier table.
    let expectedRows: () -> Int
    let generate: (_ emit: (SeedRow) throws -> Void) throws -> Void

    var copySQL: String { "COPY \(name) (\(columns.joined(separator: ", "))) FROM STDIN" }
}

/// Turns a `SeedWorld` into the ordered list of tables to COPY.
///
/// Orders are regenerated from their ids in each pass (orders, order items, refunds,
/// ledger), so every pass sees identical orders without holding them. The ledger pass also
/// adds up, per organization and month, the entries that settled, from which the monthly
/// payout runs are computed: a payout takes the whole available balance of the month, a
/// failed one gives it back, and the latest month is not paid out yet, so vendors hold an
/// available balance at the anchor.
final class SeedGenerator {
    let world: SeedWorld
    private let roleIDs: [Int]
    private var refundCount = 0
    private var itemLedgerCount = 0
    private let firstMonth: Int
    private let monthCount: Int
    private var settledByMonth: [Int64]
    private var payoutPlans: [SeedPayout]?

    private static let categoryEpoch = SeedCalendar.anchor - 4 * 365 * SeedCalendar.day - 30 * SeedCalendar.day

    /// `roleIDs`: the database id of each of `SeedWorld.roleNames`, in that order.
    init(world: SeedWorld, roleIDs: [Int]) {
        self.world = world
        self.roleIDs = roleIDs
        firstMonth = SeedCalendar.monthNumber(SeedCalendar.orderWindowStart)
        monthCount = SeedCalendar.monthNumber(SeedCalendar.anchor) - firstMonth + 1
        settledByMonth = [Int64](repeating: 0, count: world.organizations.count * monthCount)
    }

    /// Data tables in load order (parents before children).
    static let tableNames = [
        "categories", "attributes", "users", "organizations", "commission_rules", "organization_users",
        "products", "product_variants", "carts", "cart_items", "orders", "order_items", "refunds",
        "payouts", "balance_transactions", "audit_log",
    ]

    func tables() -> [SeedTable] {
        [
            categories(), attributes(), users(), organizations(), commissionRules(), memberships(),
            products(), variants(), carts(), cartItems(), orders(), orderItems(), refunds(),
            saleLedger(), payouts(), payoutLedger(), auditLog(),
        ]
    }

    // MARK: reference-like tables

    private func categories() -> SeedTable {
        let catalog = world.catalog
        return SeedTable(
            name: "categories", columns: ["id", "parent_id", "name", "slug", "position", "created_at", "updated_at"],
            expectedRows: { catalog.categories.count }
        ) { emit in
            for category in catalog.categories {
                let at = SeedCalendar.timestamp(Self.categoryEpoch + Int64(category.id) * 60)
                try emit([
                    String(category.id), category.parentID.map(String.init), category.name, category.slug,
                    String(category.position), at, at,
                ])
            }
        }
    }

    private func attributes() -> SeedTable {
        SeedTable(
            name: "attributes",
            columns: ["id", "entity_type", "code", "label", "data_type", "options", "is_required", "created_at", "updated_at"],
            expectedRows: { SeedCatalog.attributes.count }
        ) { emit in
            for (index, attribute) in SeedCatalog.attributes.enumerated() {
                let at = SeedCalendar.timestamp(Self.categoryEpoch + Int64(index) * 3_600)
                try emit([
                    String(index + 1), attribute.0, attribute.1, attribute.2, attribute.3, attribute.4,
                    attribute.5 ? "t" : "f", at, at,
                ])
            }
        }
    }

    private func commissionRules() -> SeedTable {
        let world = world
        let rules = world.catalog.categoryRules
        let organizationRules = world.organizationRules
        return SeedTable(
            name: "commission_rules",
            columns: ["id", "scope", "category_id", "organization_id", "rate", "created_at", "updated_at"],
            expectedRows: { 1 + rules.count + organizationRules.count }
        ) { emit in
            let at = SeedCalendar.timestamp(Self.categoryEpoch)
            try emit(["1", "global", nil, nil, SeedText.rate(1_000), at, at])
            var id = 1
            for rule in rules {
                id += 1
                try emit([String(id), "category", String(rule.categoryID), nil, SeedText.rate(rule.basisPoints), at, at])
            }
            for rule in organizationRules {
                id += 1
                let created = SeedCalendar.timestamp(world.organizations[rule.organizationID - 1].createdAt + SeedCalendar.day)
                try emit([
                    String(id), "organization", String(rule.categoryID), String(rule.organizationID),
                    SeedText.rate(rule.basisPoints), created, created,
                ])
            }
        }
    }

    // MARK: people and organizations

    private func users() -> SeedTable {
        let world = world
        return SeedTable(
            name: "users", columns: ["id", "email", "name", "created_at", "updated_at"],
            expectedRows: { world.sizes.users }
        ) { emit in
            for id in 1...world.sizes.users {
                var rng = SplitMix64(seed: world.seed, stream: .userText, index: id)
                let first = rng.pick(SeedText.firstNames)
                let last = rng.pick(SeedText.lastNames)
                let domain = SeedText.emailDomains[rng.weighted([55, 20, 15, 10])]
                let created = world.userCreatedAt(id)
                let updated = rng.between(created, SeedCalendar.anchor - SeedCalendar.hour)
                try emit([
                    String(id), "\(first).\(last)\(id)@\(domain)".lowercased(), "\(first) \(last)",
                    SeedCalendar.timestamp(created), SeedCalendar.timestamp(updated),
                ])
            }
        }
    }

    private func organizations() -> SeedTable {
        let world = world
        return SeedTable(
            name: "organizations",
            columns: [
                "id", "name", "slug", "status", "commission_rate", "suspended_reason", "suspended_at",
                "created_at", "updated_at",
            ],
            expectedRows: { world.organizations.count }
        ) { emit in
            for org in world.organizations {
                try emit([
                    String(org.id), org.name, org.slug, org.status, SeedText.rate(org.basisPoints), org.suspendedReason,
                    org.suspendedAt.map(SeedCalendar.timestamp), SeedCalendar.timestamp(org.createdAt),
                    SeedCalendar.timestamp(org.updatedAt),
                ])
            }
        }
    }

    private func memberships() -> SeedTable {
        let world = world
        let roleIDs = roleIDs
        return SeedTable(
            name: "organization_users",
            columns: ["id", "user_id", "organization_id", "role_id", "created_at", "updated_at"],
            expectedRows: { world.membershipUsers.count }
        ) { emit in
            for index in world.membershipUsers.indices {
                let user = Int(world.membershipUsers[index])
                let org = world.organizations[Int(world.membershipOrganizations[index]) - 1]
                var rng = SplitMix64(seed: world.seed, stream: .membership, index: index + 1)
                let joined = min(
                    SeedCalendar.anchor - SeedCalendar.hour,
                    max(org.createdAt, world.userCreatedAt(user)) + rng.between(0, 30 * SeedCalendar.day))
                let at = SeedCalendar.timestamp(joined)
                try emit([
                    String(index + 1), String(user), String(org.id), String(roleIDs[Int(world.membershipRoles[index])]),
                    at, at,
                ])
            }
        }
    }

    // MARK: catalogue

    private func products() -> SeedTable {
        let world = world
        return SeedTable(
            name: "products",
            columns: [
                "id", "organization_id", "category_id", "name", "slug", "description", "status", "price", "currency",
                "created_at", "updated_at",
            ],
            expectedRows: { world.sizes.products }
        ) { emit in
            for org in world.organizations {
                for id in org.firstProduct..<(org.firstProduct + org.productCount) {
                    let product = world.product(id, of: org)
                    var rng = SplitMix64(seed: world.seed, stream: .productText, index: id)
                    let noun = world.catalog.category(product.categoryID).noun ?? "Item"
                    let adjective = rng.pick(SeedText.productAdjectives)
                    let model = String(UnicodeScalar(UInt8(65 + rng.below(26)))) + String(rng.between(100, 999))
                    let name = "\(adjective) \(noun) \(model)"
                    let description = "\(adjective) \(noun.lowercased()) by \(org.name). \(rng.pick(SeedText.productFeatures))"
                    try emit([
                        String(id), String(org.id), String(product.categoryID), name,
                        SeedText.slug(name) + "-" + SeedText.base36(id).lowercased(), description, product.status,
                        SeedText.money(product.priceCents), "USD", SeedCalendar.timestamp(product.createdAt),
                        SeedCalendar.timestamp(product.updatedAt),
                    ])
                }
            }
        }
    }

    private func variants() -> SeedTable {
        let world = world
        let fashion = world.catalog.topIDs.first { world.catalog.category($0).name == "Fashion" }
        return SeedTable(
            name: "product_variants",
            columns: ["id", "product_id", "sku", "name", "price", "stock", "created_at", "updated_at"],
            expectedRows: { world.variantCount }
        ) { emit in
            for org in world.organizations {
                for id in org.firstProduct..<(org.firstProduct + org.productCount) {
                    let product = world.product(id, of: org)
                    let created = SeedCalendar.timestamp(product.createdAt)
                    let updated = SeedCalendar.timestamp(product.updatedAt)
                    for index in 0..<product.variantCount {
                        let variantID = product.firstVariant + index
                        var rng = SplitMix64(seed: world.seed, stream: .variant, index: variantID)
                        let pricing = world.variantPricing(product, index: index)
                        let (color, code) = SeedText.colors[pricing.color]
                        var name = color
                        if product.topCategoryID == fashion {
                            name += " / " + SeedText.sizes[(rng.below(SeedText.sizes.count) + index) % SeedText.sizes.count]
                        }
                        let stock: Int
                        if product.status == "archived" || rng.chance(perMille: 80) {
                            stock = 0
                        } else {
                            stock = rng.chance(perMille: 650) ? rng.between(1, 50) : rng.between(51, 500)
                        }
                        try emit([
                            String(variantID), String(id), "P\(SeedText.base36(id))-\(index + 1)-\(code)", name,
                            SeedText.money(pricing.cents), String(stock), created, updated,
                        ])
                    }
                }
            }
        }
    }

    private func carts() -> SeedTable {
        let world = world
        return SeedTable(
            name: "carts", columns: ["id", "user_id", "created_at", "updated_at"],
            expectedRows: { world.sizes.carts }
        ) { emit in
            for id in 1...world.sizes.carts {
                let cart = world.cart(id)
                try emit([
                    String(id), String(cart.userID), SeedCalendar.timestamp(cart.createdAt),
                    SeedCalendar.timestamp(cart.updatedAt),
                ])
            }
        }
    }

    private func cartItems() -> SeedTable {
        let world = world
        var lineCount = 0
        return SeedTable(
            name: "cart_items", columns: ["id", "cart_id", "variant_id", "quantity", "added_at"],
            expectedRows: {
                if lineCount == 0 { lineCount = (1...world.sizes.carts).reduce(0) { $0 + world.cart($1).lines.count } }
                return lineCount
            }
        ) { emit in
            var id = 0
            for cartID in 1...world.sizes.carts {
                for line in world.cart(cartID).lines {
                    id += 1
                    try emit([
                        String(id), String(cartID), String(line.variantID), String(line.quantity),
                        SeedCalendar.timestamp(line.addedAt),
                    ])
                }
            }
        }
    }

    // MARK: orders

    private func orders() -> SeedTable {
        let world = world
        return SeedTable(
            name: "orders", columns: ["id", "user_id", "status", "total", "currency", "created_at", "updated_at"],
            expectedRows: { world.sizes.orders }
        ) { [self] emit in
            var refunds = 0
            var ledger = 0
            for id in 1...world.sizes.orders {
                let order = world.order(id)
                for item in order.items {
                    if order.postsToLedger { ledger += item.commissionCents > 0 ? 2 : 1 }
                    guard let refund = item.refund else { continue }
                    refunds += 1
                    if refund.status == "completed" { ledger += refund.commissionReturnCents > 0 ? 2 : 1 }
                }
                try emit([
                    String(id), String(order.userID), order.status, SeedText.money(order.totalCents), "USD",
                    SeedCalendar.timestamp(order.createdAt), SeedCalendar.timestamp(order.updatedAt),
                ])
            }
            refundCount = refunds
            itemLedgerCount = ledger
        }
    }

    private func orderItems() -> SeedTable {
        let world = world
        return SeedTable(
            name: "order_items",
            columns: [
                "id", "order_id", "product_id", "variant_id", "organization_id", "quantity", "unit_price",
                "commission_amount", "vendor_amount", "status", "created_at", "updated_at",
            ],
            expectedRows: { world.itemsInOrders }
        ) { emit in
            var itemID = 0
            for id in 1...world.sizes.orders {
                let order = world.order(id)
                let created = SeedCalendar.timestamp(order.createdAt)
                let updated = SeedCalendar.timestamp(order.updatedAt)
                for item in order.items {
                    itemID += 1
                    try emit([
                        String(itemID), String(id), String(item.productID), String(item.variantID),
                        String(item.organizationID), String(item.quantity), SeedText.money(item.unitCents),
                        SeedText.money(item.commissionCents), SeedText.money(item.vendorCents), item.status, created, updated,
                    ])
                }
            }
        }
    }

    private func refunds() -> SeedTable {
        let world = world
        return SeedTable(
            name: "refunds",
            columns: ["id", "order_item_id", "organization_id", "amount", "reason", "status", "created_at", "updated_at"],
            expectedRows: { [self] in refundCount }
        ) { emit in
            var itemID = 0
            var refundID = 0
            for id in 1...world.sizes.orders {
                for item in world.order(id).items {
                    itemID += 1
                    guard let refund = item.refund else { continue }
                    refundID += 1
                    try emit([
                        String(refundID), String(itemID), String(item.organizationID), SeedText.money(refund.amountCents),
                        refund.reason, refund.status, SeedCalendar.timestamp(refund.createdAt),
                        SeedCalendar.timestamp(refund.updatedAt),
                    ])
                }
            }
        }
    }

    // MARK: ledger and payouts

    static let ledgerColumns = [
        "id", "organization_id", "type", "amount", "status", "order_item_id", "payout_id", "refund_id", "description",
        "created_at", "settled_at",
    ]

    private func entry(
        _ id: Int, organization: Int, type: String, cents: Int64, settledAt: Int64?, item: Int? = nil,
        payout: Int? = nil, refund: Int? = nil, description: String, createdAt: Int64
    ) -> SeedRow {
        if let settledAt {
            settledByMonth[(organization - 1) * monthCount + SeedCalendar.monthNumber(settledAt) - firstMonth] += cents
        }
        return [
            String(id), String(organization), type, SeedText.money(cents), settledAt == nil ? "pending" : "settled",
            item.map(String.init), payout.map(String.init), refund.map(String.init), description,
            SeedCalendar.timestamp(createdAt), settledAt.map(SeedCalendar.timestamp),
        ]
    }

    private func saleLedger() -> SeedTable {
        let world = world
        return SeedTable(
            name: "balance_transactions", columns: Self.ledgerColumns,
            expectedRows: { [self] in itemLedgerCount }
        ) { [self] emit in
            var entryID = 0
            var itemID = 0
            var refundID = 0
            for id in 1...world.sizes.orders {
                let order = world.order(id)
                for item in order.items {
                    itemID += 1
                    let org = item.organizationID
                    if let paidAt = order.paidAt {
                        entryID += 1
                        try emit(entry(
                            entryID, organization: org, type: "sale", cents: item.lineCents, settledAt: order.saleSettledAt,
                            item: itemID, description: "sale, order #\(id)", createdAt: paidAt))
                        if item.commissionCents > 0 {
                            entryID += 1
                            try emit(entry(
                                entryID, organization: org, type: "commission", cents: -item.commissionCents,
                                settledAt: order.saleSettledAt, item: itemID,
                                description: "commission \(Self.percent(item.basisPoints)), order #\(id)", createdAt: paidAt))
                        }
                    }
                    guard let refund = item.refund else { continue }
                    refundID += 1
                    guard refund.status == "completed" else { continue }
                    entryID += 1
                    try emit(entry(
                        entryID, organization: org, type: "refund", cents: -refund.amountCents, settledAt: refund.settledAt,
                        item: itemID, refund: refundID, description: "refund #\(refundID), order #\(id)",
                        createdAt: refund.createdAt))
                    if refund.commissionReturnCents > 0 {
                        entryID += 1
                        try emit(entry(
                            entryID, organization: org, type: "commission", cents: refund.commissionReturnCents,
                            settledAt: refund.settledAt, item: itemID, refund: refundID,
                            description: "commission returned, refund #\(refundID)", createdAt: refund.createdAt))
                    }
                }
            }
        }
    }

    /// Monthly payout runs over the settled sums of the sale ledger pass (so this must be
    /// asked only after that table has been generated).
    private func plannedPayouts() -> [SeedPayout] {
        if let payoutPlans { return payoutPlans }
        var plans: [SeedPayout] = []
        var balances = [Int64](repeating: 0, count: world.organizations.count)
        let lastMonth = firstMonth + monthCount - 1
        for month in firstMonth..<lastMonth {
            let runAt = SeedCalendar.start(ofMonth: month + 1) + 6 * SeedCalendar.hour
            for org in world.organizations where org.status != "pending" {
                balances[org.id - 1] += settledByMonth[(org.id - 1) * monthCount + month - firstMonth]
                let amount = balances[org.id - 1]
                guard amount >= SeedWorld.minimumPayoutCents else { continue }
                let id = plans.count + 1
                var rng = SplitMix64(seed: world.seed, stream: .payout, index: id)
                var status = "paid"
                var failure: String?
                if let suspendedAt = org.suspendedAt, suspendedAt < runAt {
                    status = "failed"
                    failure = "organization suspended"
                } else if month + 1 == lastMonth && rng.chance(perMille: 400) {
                    status = "pending"
                } else if rng.chance(perMille: 30) {
                    status = "failed"
                    failure = rng.pick(SeedText.payoutFailures)
                }
                let settledAt = runAt + rng.between(SeedCalendar.day, 4 * SeedCalendar.day)
                let reference = "TRF-" + SeedCalendar.period(ofMonth: month).replacing("-", with: "") + "-" + SeedText.base36(Int(rng.next() % 1_000_000_000)).leftPadded(6)
                plans.append(SeedPayout(
                    id: id, organizationID: org.id, period: SeedCalendar.period(ofMonth: month), amountCents: amount,
                    status: status, reference: status == "paid" ? reference : nil, failureReason: failure,
                    createdAt: runAt, closedAt: status == "pending" ? nil : settledAt))
                if status != "failed" { balances[org.id - 1] = 0 }
            }
        }
        payoutPlans = plans
        return plans
    }

    private func payouts() -> SeedTable {
        SeedTable(
            name: "payouts",
            columns: [
                "id", "organization_id", "period", "amount", "currency", "status", "reference", "failure_reason",
                "created_at", "updated_at", "paid_at", "failed_at",
            ],
            expectedRows: { [self] in plannedPayouts().count }
        ) { [self] emit in
            for payout in plannedPayouts() {
                let closed = payout.closedAt.map(SeedCalendar.timestamp)
                try emit([
                    String(payout.id), String(payout.organizationID), payout.period, SeedText.money(payout.amountCents),
                    "USD", payout.status, payout.reference, payout.failureReason, SeedCalendar.timestamp(payout.createdAt),
                    closed ?? SeedCalendar.timestamp(payout.createdAt), payout.status == "paid" ? closed : nil,
                    payout.status == "failed" ? closed : nil,
                ])
            }
        }
    }

    /// The ledger id of each payout's debit and, for a failed payout, of its reversal:
    /// the payout entries follow the sale ledger's, a payout's reversal right after its debit.
    private func payoutEntryIDs() -> [(debit: Int, reversal: Int?)] {
        var entryID = itemLedgerCount
        return plannedPayouts().map { payout in
            entryID += 1
            let debit = entryID
            guard payout.status == "failed", payout.closedAt != nil else { return (debit, nil) }
            entryID += 1
            return (debit, entryID)
        }
    }

    private func payoutLedger() -> SeedTable {
        SeedTable(
            name: "balance_transactions", columns: Self.ledgerColumns,
            expectedRows: { [self] in payoutEntryIDs().reduce(0) { $0 + ($1.reversal == nil ? 1 : 2) } }
        ) { [self] emit in
            for (payout, ids) in zip(plannedPayouts(), payoutEntryIDs()) {
                try emit(entry(
                    ids.debit, organization: payout.organizationID, type: "payout", cents: -payout.amountCents,
                    settledAt: payout.createdAt, payout: payout.id, description: "payout \(payout.period)",
                    createdAt: payout.createdAt))
                if let reversal = ids.reversal, let failedAt = payout.closedAt {
                    try emit(entry(
                        reversal, organization: payout.organizationID, type: "payout_reversal", cents: payout.amountCents,
                        settledAt: failedAt, payout: payout.id,
                        description: "payout \(payout.period) failed: \(payout.failureReason ?? "")", createdAt: failedAt))
                }
            }
        }
    }

    /// The audit rows the app's commands would have written for the seeded history, with
    /// their details as those commands write them: `orgs suspend` (the org's audit fields
    /// before and after, see `Organization.auditValue`), and per payout `payouts run` (its
    /// creation), then `payouts mark-paid` or `payouts fail` (`PayoutService.transition`).
    /// Rows are in time order; rows at the same time keep the order above.
    private func auditLog() -> SeedTable {
        typealias Row = (at: Int64, actor: String, command: String, target: String, details: JSONValue)
        var rows: [Row] = []
        let build = { [self] in
            guard rows.isEmpty else { return }
            for org in world.organizations {
                guard let at = org.suspendedAt, let reason = org.suspendedReason else { continue }
                func fields(status: String, reason: String?) -> JSONValue {
                    .object([
                        ("name", .string(org.name)), ("slug", .string(org.slug)), ("status", .string(status)),
                        ("commissionRate", .string(SeedText.rate(org.basisPoints))),
                        ("suspendedReason", reason.map(JSONValue.string) ?? .null),
                    ])
                }
                rows.append((at, SeedText.operators[org.id % 3], "orgs suspend", "org:\(org.id)", .object([
                    ("before", fields(status: "active", reason: nil)), ("after", fields(status: "suspended", reason: reason)),
                ])))
            }
            for (payout, ids) in zip(plannedPayouts(), payoutEntryIDs()) {
                let target = "payout:\(payout.id)"
                let amount = JSONValue.string(SeedText.money(payout.amountCents))
                rows.append((payout.createdAt, "cron:payouts", "payouts run", target, .object([
                    ("organizationId", .number(payout.organizationID)), ("period", .string(payout.period)), ("amount", amount),
                ])))
                guard let closedAt = payout.closedAt else { continue }
                let command: String
                let details: JSONValue
                if payout.status == "paid", let reference = payout.reference {
                    command = "payouts mark-paid"
                    details = .object([("reference", .string(reference))])
                } else if let reason = payout.failureReason, let reversal = ids.reversal {
                    command = "payouts fail"
                    details = .object([("reason", .string(reason)), ("reversal", amount), ("reversalEntryId", .number(reversal))])
                } else {
                    continue
                }
                rows.append((closedAt, SeedText.operators[payout.id % 3], command, target, .object([
                    ("before", .object([("status", .string("pending"))])),
                    ("after", .object([("status", .string(payout.status))])),
                    ("organizationId", .number(payout.organizationID)), ("amount", amount), ("details", details),
                ])))
            }
            rows = rows.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        }
        return SeedTable(
            name: "audit_log", columns: ["id", "at", "actor", "command", "target", "details"],
            expectedRows: { build(); return rows.count }
        ) { emit in
            build()
            for (index, row) in rows.enumerated() {
                try emit([
                    String(index + 1), SeedCalendar.timestamp(row.at), row.actor, row.command, row.target,
                    row.details.compactText,
                ])
            }
        }
    }

    private static func percent(_ basisPoints: Int) -> String {
        let fraction = basisPoints % 100
        return "\(basisPoints / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}

struct SeedPayout {
    let id: Int
    let organizationID: Int
    let period: String
    let amountCents: Int64
    let status: String
    let reference: String?
    let failureReason: String?
    let createdAt: Int64
    /// When it was paid or failed; nil while pending.
    let closedAt: Int64?
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
