import ArgumentParser
import CacheOps
import Glibc
import Keyspace
import Redis
import Support

struct MetricsCommand: WWCommand {
    static let printsPrometheus = true

    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Redis hit rate, memory, evictions and keys; per key family with --by-family.",
        discussion: """
            Without options: one INFO call. The hit rate is keyspace_hits / (hits + misses) since \
            the server started or CONFIG RESETSTAT, null before the first lookup. PostgreSQL is \
            never touched.

            --watch SECONDS prints one line per interval with what happened in it: hit rate, \
            hits, misses, evictions, expirations and commands per second, memory and keys \
            (wwctl's own INFO calls are not counted as commands). It runs until Ctrl-C (exit 130) \
            or for --count intervals (exit 0). With -o json or ndjson each interval is one JSON \
            object on a line of its own.

            -o prometheus prints the text exposition format for node_exporter's textfile \
            collector (metric names start with wwctl_, counters end in _total, per-database key \
            counts carry db="N", per-family figures family="NAME").

            --by-family walks the keyspace of the selected database with SCAN (COUNT 1000) and \
            reports, per key family: keys, keys with a TTL, TTL min/median/max against the \
            family's policy, and memory. Each key costs one PTTL, pipelined with the walk on a \
            second connection; memory comes from MEMORY USAGE on up to --memory-sample keys per family (the first \
            ones SCAN returns, which is hash order) and is extrapolated. Keys of no family are \
            grouped by their first segments. --sample N stops after N keys and extrapolates \
            counts to the database's size. SCAN may return a key twice when the server rehashes \
            during the walk; counts are not deduplicated.

            What Redis 7.0 allows: SCAN and MEMORY USAGE neither count as lookups nor touch a \
            key's LRU/LFU data. PTTL does not touch LRU/LFU either (it looks keys up with \
            LOOKUP_NOTOUCH), but 7.0 has no way to read a TTL without counting the lookup: \
            --by-family adds one keyspace hit per key it reads (a miss for a key that vanished \
            during the walk). The figures above the family table are read before the walk, so \
            they are not affected; the result says how many lookups the walk added \
            (lookupsAdded) so a monitor can discount them.

            Examples:
              wwctl metrics
              wwctl metrics --watch 1 --count 10
              wwctl metrics -o prometheus > /var/lib/node_exporter/wwctl.prom.tmp && \\
                mv /var/lib/node_exporter/wwctl.prom.tmp /var/lib/node_exporter/wwctl.prom
              wwctl metrics --by-family --sample 100000
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Print one line of deltas every SECONDS until Ctrl-C.", valueName: "seconds"))
    var watch: Double?

    @Option(help: ArgumentHelp("With --watch: stop after N intervals.", valueName: "n"))
    var count: Int?

    @Flag(help: "Walk the keyspace and report keys, TTLs and memory per key family.")
    var byFamily = false

    @Option(help: ArgumentHelp("With --by-family: walk only about N keys and extrapolate.", valueName: "n"))
    var sample: Int?

    // Optional rather than `= 1000`: ArgumentParser renders a default value at every start.
    @Option(name: .customLong("memory-sample"), help: ArgumentHelp("With --by-family: MEMORY USAGE on at most N keys per family (default 1000).", valueName: "n"))
    var memorySampleOption: Int?

    var memorySample: Int { memorySampleOption ?? 1000 }

    func validate() throws {
        if let watch, !(watch > 0 && watch <= 86_400) {
            throw ValidationError("--watch must be between 0 and 86400 seconds, got \(watch)")
        }
        if let count {
            guard watch != nil else { throw ValidationError("--count needs --watch") }
            guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
        }
        if watch != nil, byFamily { throw ValidationError("--watch and --by-family cannot be used together") }
        if let sample {
            guard byFamily else { throw ValidationError("--sample needs --by-family") }
            guard sample >= 1 else { throw ValidationError("--sample must be at least 1, got \(sample)") }
        }
        guard memorySample >= 0 else { throw ValidationError("--memory-sample must be 0 or more, got \(memorySample)") }
    }

    func execute(_ context: CommandContext) throws {
        if let watch {
            if context.output.format == .prometheus {
                throw WWError.usage("--watch prints a line per interval; -o prometheus is for a single reading")
            }
            try runWatch(context, interval: watch)
            return
        }
        let redis = try context.redis()
        // Read before the walk, whose PTTL calls count as lookups.
        let metrics = try RedisMetrics.read(from: redis)
        guard byFamily else {
            try context.output.emit(MetricsResult(metrics: metrics))
            return
        }
        // The walk only reads: a replica with --read-from replica (INFO above stays the primary's).
        let reader = try context.redisForReading()
        let progress = context.output.progress("walking the keyspace")
        let families = try FamilyMetrics.collect(
            connection: reader.connection, prefix: context.keyPrefix, sample: sample, memorySample: memorySample
        ) { walked in
            progress.update("\(grouped(walked)) keys")
        }
        progress.finish()
        try context.output.emit(MetricsResult(metrics: metrics, families: families, readFrom: reader.source))
        if families.walk.interrupted {
            context.output.note("interrupted after \(grouped(families.walk.keys)) keys; the figures cover those only")
            throw ExitCode(ErrorCategory.interrupted.exitCode)
        }
    }

    private func runWatch(_ context: CommandContext, interval: Double) throws {
        let redis = try context.redis()
        let output = context.output
        let machine = output.isMachineReadable
        var linesSinceHeader = 0
        if !machine { StandardStreams.writeOut(WatchLine.header(style: output.style) + "\n") }
        let end = try MetricsWatcher.watch(redis, interval: interval, count: count) { delta, _ in
            if machine {
                StandardStreams.writeOut(try JSONValueEncoder().encode(WatchLine(delta)).compactText + "\n")
                return
            }
            // Like redis-cli --stat: the header again every 20 lines on a terminal.
            if linesSinceHeader == 20, output.terminal.stdoutIsTTY {
                StandardStreams.writeOut(WatchLine.header(style: output.style) + "\n")
                linesSinceHeader = 0
            }
            StandardStreams.writeOut(WatchLine(delta).text + "\n")
            linesSinceHeader += 1
        }
        if end == .interrupted { throw ExitCode(ErrorCategory.interrupted.exitCode) }
    }
}

/// `wwctl metrics`, in docs/CLI.md's field order, extras after.
struct MetricsResult: Renderable, PrometheusRenderable {
    struct Database: Encodable {
        var db: Int
        var keys: Int
        var expires: Int
        var avgTtlMs: Int
    }

    let metrics: RedisMetrics
    var families: FamilyMetrics?
    /// With `families`: the server walked and its lag.
    var readFrom: RedisReadSource?

    enum CodingKeys: String, CodingKey {
        case hitRate, keyspaceHits, keyspaceMisses, usedMemory, usedMemoryPeak, maxmemory, evictedKeys, expiredKeys,
             connectedClients, opsPerSec, keys
        case usedMemoryHuman, maxmemoryPolicy, memoryRatio, memFragmentationRatio, totalCommandsProcessed, version,
             uptimeSeconds, role, databases
        case families, otherKeys, walk, readFrom
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let m = metrics
        try c.encodeIfPresent(m.hitRate, forKey: .hitRate)
        try c.encode(m.keyspaceHits, forKey: .keyspaceHits)
        try c.encode(m.keyspaceMisses, forKey: .keyspaceMisses)
        try c.encode(m.usedMemory, forKey: .usedMemory)
        try c.encode(m.usedMemoryPeak, forKey: .usedMemoryPeak)
        try c.encode(m.maxmemory, forKey: .maxmemory)
        try c.encode(m.evictedKeys, forKey: .evictedKeys)
        try c.encode(m.expiredKeys, forKey: .expiredKeys)
        try c.encode(m.connectedClients, forKey: .connectedClients)
        try c.encode(m.opsPerSec, forKey: .opsPerSec)
        try c.encode(m.keys, forKey: .keys)
        try c.encodeIfPresent(m.usedMemoryHuman, forKey: .usedMemoryHuman)
        try c.encodeIfPresent(m.maxmemoryPolicy, forKey: .maxmemoryPolicy)
        try c.encodeIfPresent(m.memoryRatio, forKey: .memoryRatio)
        try c.encodeIfPresent(m.memFragmentationRatio, forKey: .memFragmentationRatio)
        try c.encode(m.totalCommandsProcessed, forKey: .totalCommandsProcessed)
        try c.encodeIfPresent(m.version, forKey: .version)
        try c.encodeIfPresent(m.uptimeSeconds, forKey: .uptimeSeconds)
        try c.encodeIfPresent(m.role, forKey: .role)
        try c.encode(
            m.databases.map { Database(db: $0.index, keys: $0.keys, expires: $0.expires, avgTtlMs: $0.avgTTLMs) },
            forKey: .databases)
        if let families {
            try c.encode(families.families.map(FamilyEntry.init), forKey: .families)
            try c.encode(families.otherGroups.map(OtherEntry.init), forKey: .otherKeys)
            try c.encode(WalkEntry(families), forKey: .walk)
            try c.encodeIfPresent(readFrom, forKey: .readFrom)
        }
    }

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
            table.append(
                name, grouped(stats.keys), grouped(stats.withTTL),
                stats.ttlMinMs.map(seconds) ?? "-", stats.ttlMedianMs.map(seconds) ?? "-", stats.ttlMaxMs.map(seconds) ?? "-",
                stats.family.map { policy($0.ttl) } ?? "-",
                stats.aboveTTLPolicy > 0 ? context.style.red(grouped(stats.aboveTTLPolicy)) : "0",
                humanBytes(stats.memoryBytes))
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

/// One family of `metrics --by-family`: docs/CLI.md's four fields first.
struct FamilyEntry: Encodable {
    var name: String
    var keys: Int
    var withTtl: Int
    var memoryBytes: Int
    var estimatedKeys: Int
    var legacyKeys: Int
    var aboveTtlPolicy: Int
    var ttlMinMs: Int64?
    var ttlMedianMs: Int64?
    var ttlMaxMs: Int64?
    var ttlSampleSize: Int
    var ttlPolicy: String
    var ttlPolicyMaxSeconds: Int?
    var memorySampleSize: Int
    var tier: String

    init(_ stats: KeyGroupStats) {
        name = stats.name
        keys = stats.keys
        withTtl = stats.withTTL
        memoryBytes = stats.memoryBytes
        estimatedKeys = stats.estimatedKeys
        legacyKeys = stats.legacyKeys
        aboveTtlPolicy = stats.aboveTTLPolicy
        ttlMinMs = stats.ttlMinMs
        ttlMedianMs = stats.ttlMedianMs
        ttlMaxMs = stats.ttlMaxMs
        ttlSampleSize = stats.ttlSampleSize
        ttlPolicy = stats.family.map { String(describing: $0.ttl) } ?? "none"
        ttlPolicyMaxSeconds = stats.ttlPolicyMaxSeconds
        memorySampleSize = stats.memorySampleSize
        tier = stats.family.map { $0.tier.rawValue } ?? ""
    }
}

/// A group of keys of no family.
struct OtherEntry: Encodable {
    var group: String
    var keys: Int
    var withTtl: Int
    var memoryBytes: Int
    var estimatedKeys: Int
    var ttlMinMs: Int64?
    var ttlMedianMs: Int64?
    var ttlMaxMs: Int64?
    var memorySampleSize: Int

    init(_ stats: KeyGroupStats) {
        group = stats.name
        keys = stats.keys
        withTtl = stats.withTTL
        memoryBytes = stats.memoryBytes
        estimatedKeys = stats.estimatedKeys
        ttlMinMs = stats.ttlMinMs
        ttlMedianMs = stats.ttlMedianMs
        ttlMaxMs = stats.ttlMaxMs
        memorySampleSize = stats.memorySampleSize
    }
}

/// How the walk went.
struct WalkEntry: Encodable {
    var database: Int
    var databaseKeys: Int
    var scannedKeys: Int
    var vanishedKeys: Int
    var complete: Bool
    var interrupted: Bool
    var sampleLimit: Int?
    var scanCalls: Int
    var lookupsAdded: Int
    var memoryUsageCalls: Int
    var memorySamplePerFamily: Int

    init(_ metrics: FamilyMetrics) {
        database = metrics.database
        databaseKeys = metrics.databaseKeys
        scannedKeys = metrics.walk.keys
        vanishedKeys = metrics.walk.vanished
        complete = metrics.walk.complete
        interrupted = metrics.walk.interrupted
        sampleLimit = metrics.sampleLimit
        scanCalls = metrics.walk.scanCalls
        lookupsAdded = metrics.walk.lookups
        memoryUsageCalls = metrics.walk.memoryCalls
        memorySamplePerFamily = metrics.memorySamplePerGroup
    }
}

/// One interval of `metrics --watch`.
struct WatchLine: Encodable {
    var time: String
    var seconds: Double
    var hitRate: Double?
    var hits: Int
    var misses: Int
    var hitsPerSec: Double
    var missesPerSec: Double
    var evictedPerSec: Double
    var expiredPerSec: Double
    var opsPerSec: Double
    var evicted: Int
    var expired: Int
    var usedMemory: Int
    var usedMemoryDelta: Int
    var keys: Int

    init(_ delta: MetricsInterval) {
        time = WallClock.isoUTC()
        seconds = rounded(delta.seconds, 3)
        hitRate = delta.hitRate.map { rounded($0, 4) }
        hits = delta.hits
        misses = delta.misses
        hitsPerSec = rounded(delta.hitsPerSec, 1)
        missesPerSec = rounded(delta.missesPerSec, 1)
        evictedPerSec = rounded(delta.evictedPerSec, 1)
        expiredPerSec = rounded(delta.expiredPerSec, 1)
        opsPerSec = rounded(delta.opsPerSec, 1)
        evicted = delta.evicted
        expired = delta.expired
        usedMemory = delta.usedMemory
        usedMemoryDelta = delta.usedMemoryDelta
        keys = delta.keys
    }

    static let columns: [(String, Int)] = [
        ("TIME", 8), ("HIT RATE", 8), ("HITS/S", 9), ("MISSES/S", 9), ("EVICT/S", 8), ("EXPIRE/S", 8),
        ("OPS/S", 9), ("MEMORY", 8), ("MEM +/-", 8), ("KEYS", 11),
    ]

    static func header(style: Style) -> String {
        style.bold(line(columns.map(\.0)))
    }

    var text: String {
        Self.line([
            WallClock.localTime(),
            hitRate.map(formatPercent) ?? "-",
            compact(hitsPerSec), compact(missesPerSec), compact(evictedPerSec), compact(expiredPerSec),
            compact(opsPerSec),
            humanBytes(usedMemory),
            (usedMemoryDelta >= 0 ? "+" : "-") + humanBytes(abs(usedMemoryDelta)),
            grouped(keys),
        ])
    }

    private static func line(_ cells: [String]) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() {
            let width = columns[i].1
            let pad = String(repeating: " ", count: max(0, width - displayWidth(cell)))
            out += i == 0 ? cell + pad : "  " + pad + cell
        }
        return out
    }

    private func compact(_ value: Double) -> String {
        value >= 100 ? grouped(Int(value.rounded())) : shortDecimal((value * 10).rounded() / 10)
    }
}

/// 0.93333 → "93.33 %".
func formatPercent(_ ratio: Double) -> String {
    let value = (ratio * 10_000).rounded() / 100
    return (value == value.rounded() ? String(Int(value)) : String(value)) + " %"
}

/// 3725 → "1h 2m", 90061 → "1d 1h".
func formatDuration(_ seconds: Int) -> String {
    let days = seconds / 86_400, hours = seconds % 86_400 / 3600, minutes = seconds % 3600 / 60
    if days > 0 { return "\(days)d \(hours)h" }
    if hours > 0 { return "\(hours)h \(minutes)m" }
    if minutes > 0 { return "\(minutes)m \(seconds % 60)s" }
    return "\(seconds)s"
}

private func rounded(_ value: Double, _ digits: Int) -> Double {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    return (value * scale).rounded() / scale
}

/// Wall-clock time for watch lines, without Foundation.
enum WallClock {
    /// `2025-06-01T12:00:03Z`.
    static func isoUTC() -> String {
        format("%Y-%m-%dT%H:%M:%SZ", local: false)
    }

    /// `12:00:03` in the local time zone.
    static func localTime() -> String {
        format("%H:%M:%S", local: true)
    }

    private static func format(_ pattern: String, local: Bool) -> String {
        var now = time(nil)
        var parts = tm()
        if local { localtime_r(&now, &parts) } else { gmtime_r(&now, &parts) }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
