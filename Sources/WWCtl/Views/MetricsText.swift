import CacheOps
import Keyspace
import Support

/// `metrics` for people: a block of figures, the family tables of `--by-family`, and the
/// Prometheus text format.
extension MetricsResult: Renderable, PrometheusRenderable {
    func renderText(_ context: RenderContext) -> String {
        let m = metrics
        var rows: [(String, String)] = []
        var server = "redis \(m.version ?? "?")"
        if let role = m.role { server += " (\(role))" }
        if let uptime = m.uptimeSeconds { server += ", up \(formatDuration(uptime))" }
        rows.append(("server", server))
        rows.append(("hit rate", (m.hitRate.map(formatPercent) ?? "- (no lookups yet)")
            + " (\(grouped(m.keyspaceHits)) hits, \(grouped(m.keyspaceMisses)) misses)"))
        var memory = "\(humanBytes(m.usedMemory)) used, peak \(humanBytes(m.usedMemoryPeak))"
        if m.maxmemory > 0 {
            memory += ", maxmemory \(humanBytes(m.maxmemory))"
            if let ratio = m.memoryRatio { memory += " (\(formatPercent(ratio)))" }
        } else {
            memory += ", no maxmemory"
        }
        if let policy = m.maxmemoryPolicy { memory += ", policy \(policy)" }
        rows.append(("memory", memory))
        if let fragmentation = m.memFragmentationRatio { rows.append(("fragmentation", shortDecimal(fragmentation))) }
        rows.append(("evicted keys", grouped(m.evictedKeys)))
        rows.append(("expired keys", grouped(m.expiredKeys)))
        rows.append(("clients", grouped(m.connectedClients)))
        rows.append(("ops/s", grouped(m.opsPerSec)))
        rows.append(("keys", grouped(m.keys)))
        for db in m.databases {
            rows.append(("  db\(db.index)", "\(grouped(db.keys)) keys, \(grouped(db.expires)) with TTL"))
        }
        let width = rows.map { displayWidth($0.0) }.max() ?? 0
        var text = rows.map { label, value in
            context.style.bold(label) + String(repeating: " ", count: width - displayWidth(label) + 2) + value
        }.joined(separator: "\n") + "\n"
        if let families { text += "\n" + Self.renderFamilies(families, context) }
        return text
    }

    private static func renderFamilies(_ metrics: FamilyMetrics, _ context: RenderContext) -> String {
        let sampled = metrics.walk.complete ? "" : " (in the sample)"
        var table = TextTable([
            .init("FAMILY"), .init("KEYS" + (metrics.walk.complete ? "" : "*"), .right), .init("WITH TTL", .right),
            .init("TTL MIN", .right), .init("MEDIAN", .right), .init("MAX", .right), .init("POLICY", .right),
            .init("ABOVE", .right), .init("MEMORY", .right),
        ])
        let empty = metrics.families.filter { $0.keys == 0 }.count
        for stats in metrics.families where stats.keys > 0 {
            var name = stats.name
            if stats.legacyKeys > 0 { name += " (\(grouped(stats.legacyKeys)) legacy)" }
            let plain = [
                name, grouped(stats.keys), grouped(stats.withTTL),
                stats.ttlMinMs.map(seconds) ?? "-", stats.ttlMedianMs.map(seconds) ?? "-", stats.ttlMaxMs.map(seconds) ?? "-",
                stats.family.map { policy($0.ttl) } ?? "-",
            ].map { TextTable.Cell($0) }
            table.append(cells: plain + [
                .init(grouped(stats.aboveTTLPolicy), paint: stats.aboveTTLPolicy > 0 ? context.style.red : nil),
                .init(humanBytes(stats.memoryBytes)),
            ])
        }
        var text = table.render(width: context.width)
        if !metrics.otherGroups.isEmpty {
            var others = TextTable([
                .init("NO FAMILY"), .init("KEYS", .right), .init("WITH TTL", .right), .init("MEMORY", .right),
            ])
            for stats in metrics.otherGroups {
                others.append(stats.name, grouped(stats.keys), grouped(stats.withTTL), humanBytes(stats.memoryBytes))
            }
            text += "\n" + others.render(width: context.width)
        }
        let walk = metrics.walk
        var notes: [String] = []
        if empty > 0 { notes.append("\(empty) families without keys") }
        notes.append(
            "walked \(grouped(walk.keys)) of \(grouped(metrics.databaseKeys)) keys in db\(metrics.database)\(sampled)"
            + " with \(grouped(walk.scanCalls)) SCAN calls")
        if !walk.complete && !walk.interrupted && walk.keys > 0 {
            notes.append("memory is extrapolated to the whole database; * counts are of the sample")
        }
        notes.append("memory from MEMORY USAGE on up to \(grouped(metrics.memorySamplePerGroup)) keys per family or group (\(grouped(walk.memoryCalls)) calls)")
        notes.append("the walk's \(grouped(walk.lookups)) PTTL calls count in keyspace_hits/misses; LRU/LFU untouched")
        return text + "\n" + notes.joined(separator: "\n") + "\n"
    }

    private static func seconds(_ ms: Int64) -> String {
        "\((ms + 500) / 1000)s"
    }

    private static func policy(_ ttl: TTLPolicy) -> String {
        if let max = ttl.maxSeconds { return "\(max)s" }
        return ttl.requiresTTL ? "exp" : "none"
    }

    func renderPrometheus() -> String {
        var out = PrometheusText()
        metrics.write(to: &out)
        families?.write(to: &out)
        return out.text
    }
}
