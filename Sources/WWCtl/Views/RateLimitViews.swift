import Marketplace
import Support

extension RateLimitReport: Renderable {
    public func renderText(_ context: RenderContext) -> String {
        var text = ""
        if !counters.isEmpty {
            var table = TextTable([.init("ENDPOINT"), .init("COUNT", .right), .init("TTL", .right)])
            for counter in counters {
                table.append(counter.endpoint, counter.count.map { String($0) } ?? "(not an integer)", ttlDisplay(ms: counter.ttlMs))
            }
            text += table.render(width: context.width)
        }
        return text + "\(counters.count) counter\(counters.count == 1 ? "" : "s") for \(subjectType) \(TerminalText.escaped(subject))\n"
    }

    public func ndjsonValues() throws -> [JSONValue] {
        try counters.map { try JSONValueEncoder().encode($0) }
    }
}

extension RateLimitResetReport: Renderable {
    public func renderText(_ context: RenderContext) -> String {
        let count = dryRun ? matched : deleted
        var text = "\(dryRun ? "would delete" : "deleted") \(count) counter\(count == 1 ? "" : "s") of \(subjectType) \(TerminalText.escaped(subject))"
        if !endpoints.isEmpty { text += ": " + TerminalText.escaped(endpoints.joined(separator: ", ")) }
        if interrupted { text += " (interrupted)" }
        return text + "\n"
    }
}
