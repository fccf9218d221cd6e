import Marketplace
import Support

struct BalancesView: Renderable {
    var balances: [VendorBalance]

    func encode(to encoder: any Encoder) throws { try balances.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([.init("ORG", .right), .init("STATUS"), .init("AVAILABLE", .right), .init("PENDING", .right), .init("NAME")])
        for b in balances {
            table.append(String(b.organizationId), b.status, b.available.description, b.pending.description, b.name)
        }
        return table.render(width: context.width)
    }
}

struct PayoutRunView: Renderable {
    var report: PayoutRunReport

    func encode(to encoder: any Encoder) throws { try report.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        let r = report
        var text = ""
        if !r.created.isEmpty {
            var table = TextTable([.init("PAYOUT", .right), .init("ORG", .right), .init("AMOUNT", .right)])
            for c in r.created { table.append(c.id.map(String.init) ?? "-", String(c.organizationId), c.amount.description) }
            text += table.render(width: context.width)
        }
        let verb = r.dryRun ? "dry run: would create" : "created"
        text += "\(verb) \(r.created.count) payout\(r.created.count == 1 ? "" : "s") for \(r.period), total \(r.total)\n"
        var reasons: [String: Int] = [:]
        for s in r.skipped { reasons[s.reason, default: 0] += 1 }
        if !reasons.isEmpty {
            text += "skipped \(r.skipped.count): " + reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + "\n"
        }
        if context.verbose {
            for s in r.skipped {
                text += "  org \(s.organizationId): \(s.reason), available \(s.available)"
                    + (s.payoutId.map { ", payout \($0) \(s.payoutStatus ?? "")" } ?? "") + "\n"
            }
        }
        if r.interrupted { text += "interrupted: vendors after the last one listed were not considered\n" }
        return text
    }
}

struct PayoutListView: Renderable {
    var payouts: [Payout]

    func encode(to encoder: any Encoder) throws { try payouts.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([
            .init("PAYOUT", .right), .init("ORG", .right), .init("PERIOD"), .init("AMOUNT", .right), .init("STATUS"),
            .init("CREATED"), .init("REFERENCE / REASON"),
        ])
        for p in payouts {
            table.append(String(p.id), String(p.organizationId), p.period, "\(p.amount) \(p.currency)", p.status,
                         p.createdAt, p.reference ?? p.failureReason ?? "")
        }
        return table.render(width: context.width)
    }
}

struct PayoutDetailView: Renderable {
    var detail: PayoutDetail

    func encode(to encoder: any Encoder) throws { try detail.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        let p = detail.payout
        let shown = TerminalText.escaped
        var text = "payout \(p.id): \(p.amount) \(shown(p.currency)) to org \(p.organizationId) for \(shown(p.period)), \(p.status)\n"
        text += "  created    \(p.createdAt)\n"
        if let paidAt = p.paidAt { text += "  paid       \(paidAt), reference \(shown(p.reference ?? "-"))\n" }
        if let failedAt = p.failedAt { text += "  failed     \(failedAt): \(shown(p.failureReason ?? "-"))\n" }
        text += "\n" + LedgerView.table(detail.entries, context: context, running: false)
        return text
    }
}

struct PayoutTransitionView: Renderable {
    var transition: PayoutTransition

    func encode(to encoder: any Encoder) throws { try transition.encode(to: encoder) }

    func renderText(_ context: RenderContext) -> String {
        let p = transition.payout
        var text = "payout \(p.id) (org \(p.organizationId), \(p.period), \(p.amount)): pending → \(p.status) (audit row \(transition.auditId))\n"
        if let entry = transition.reversalEntryId {
            text += "returned \(p.amount) to the vendor's available balance (ledger entry \(entry))\n"
        }
        return text
    }
}

struct LedgerView: Renderable {
    var ledger: Ledger

    func encode(to encoder: any Encoder) throws { try ledger.encode(to: encoder) }

    func ndjsonValues() throws -> [JSONValue] {
        try ledger.entries.map { try JSONValueEncoder().encode($0) }
    }

    func renderText(_ context: RenderContext) -> String {
        Self.table(ledger.entries, context: context, running: true)
            + "org \(ledger.organizationId): available \(ledger.available), pending \(ledger.pending)\n"
    }

    static func table(_ entries: [LedgerEntry], context: RenderContext, running: Bool) -> String {
        var columns: [TextTable.Column] = [
            .init("ENTRY", .right), .init("CREATED"), .init("TYPE"), .init("STATUS"), .init("AMOUNT", .right),
        ]
        if running { columns += [.init("AVAILABLE", .right), .init("BALANCE", .right)] }
        columns.append(.init("DESCRIPTION"))
        var table = TextTable(columns)
        for e in entries {
            var cells = [String(e.id), e.createdAt, e.type, e.status, e.amount.description]
            if running { cells += [e.available.description, e.balance.description] }
            cells.append(e.description)
            table.append(cells)
        }
        return table.render(width: context.width)
    }

    static let csvHeader = [
        "id", "created_at", "type", "status", "amount", "available", "balance", "settled_at", "order_item_id",
        "refund_id", "payout_id", "description",
    ]

    /// RFC 4180: CRLF after every record, a field quoted when it holds a comma, a quote,
    /// CR or LF, quotes inside doubled.
    static func csv(_ ledger: Ledger) -> String {
        var out = record(csvHeader)
        for e in ledger.entries {
            out += record([
                String(e.id), e.createdAt, e.type, e.status, e.amount.description, e.available.description,
                e.balance.description, e.settledAt ?? "", e.orderItemId.map(String.init) ?? "",
                e.refundId.map(String.init) ?? "", e.payoutId.map(String.init) ?? "", e.description,
            ])
        }
        return out
    }

    static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
