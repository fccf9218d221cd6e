import CacheOps
import Postgres
import Support

/// `latency`: per server the figures, a histogram, and Redis' own events and advice.
struct LatencyResult: Renderable {
    struct Server: Encodable {
        var address: String
        var error: String?
        var stats: LatencyStats?
        /// Redis only: LATENCY LATEST and LATENCY DOCTOR (nil when refused or not Redis).
        var events: [LatencyEvent]?
        var doctor: String?
        var isRedis = false

        init(address: String) {
            self.address = address
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(address, forKey: .address)
            try c.encode(error == nil, forKey: .ok)
            try c.encode(error, forKey: .error)
            try c.encode(stats?.samples ?? 0, forKey: .samples)
            try c.encode(stats?.minMs.micro, forKey: .minMs)
            try c.encode(stats?.p50Ms.micro, forKey: .p50Ms)
            try c.encode(stats?.p90Ms.micro, forKey: .p90Ms)
            try c.encode(stats?.p99Ms.micro, forKey: .p99Ms)
            try c.encode(stats?.maxMs.micro, forKey: .maxMs)
            try c.encode(stats?.meanMs.micro, forKey: .meanMs)
            try c.encode((stats?.buckets ?? []).map { BucketJSON(upToMs: $0.upToMs, count: $0.count) }, forKey: .histogram)
            if isRedis {
                try c.encode(events, forKey: .events)
                try c.encode(doctor, forKey: .doctor)
            }
        }

        enum CodingKeys: String, CodingKey {
            case address, ok, error, samples, minMs, p50Ms, p90Ms, p99Ms, maxMs, meanMs, histogram, events, doctor
        }
    }

    struct BucketJSON: Encodable {
        var upToMs: Double
        var count: Int
    }

    var redis: Server?
    var postgres: Server?
    var interrupted = false

    func renderText(_ context: RenderContext) -> String {
        var text = ""
        for (name, server) in [("redis", redis), ("postgres", postgres)] {
            guard let server else { continue }
            text += context.style.bold("\(name) \(server.address)") + "\n"
            if let stats = server.stats {
                text += "  \(grouped(stats.samples)) round trips: min \(formatMillis(stats.minMs)), p50 \(formatMillis(stats.p50Ms)), "
                    + "p90 \(formatMillis(stats.p90Ms)), p99 \(formatMillis(stats.p99Ms)), max \(formatMillis(stats.maxMs)), "
                    + "mean \(formatMillis(stats.meanMs))\n"
                text += histogram(stats, context)
            }
            if let error = server.error { text += "  " + context.style.red(error) + "\n" }
            if let events = server.events {
                if events.isEmpty {
                    text += "  LATENCY LATEST: no events (latency-monitor-threshold is 0, or nothing exceeded it)\n"
                } else {
                    var table = TextTable([.init("EVENT"), .init("LAST", .left), .init("LATEST", .right), .init("MAX", .right)])
                    for event in events {
                        table.append(safe(event.event), Timestamp.isoString(seconds: event.time, millisecond: 0),
                                     "\(event.latestMs) ms", "\(event.maxMs) ms")
                    }
                    text += table.render(width: context.width).split(separator: "\n").map { "  " + $0 + "\n" }.joined()
                }
            }
            if let doctor = server.doctor {
                let lines = doctor.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                text += lines.filter { !$0.isEmpty }.map { "  " + safe($0) + "\n" }.joined()
            }
        }
        if interrupted { text += "interrupted: the figures cover the round trips measured\n" }
        return text
    }

    private func histogram(_ stats: LatencyStats, _ context: RenderContext) -> String {
        let most = Double(stats.buckets.map(\.count).max() ?? 0)
        let width = max(10, min(40, (context.width ?? 80) - 30))
        return stats.buckets.map { bucket in
            let label = "≤ " + formatSeconds(bucket.upToMs) + " ms"
            return "  " + String(repeating: " ", count: max(0, 10 - displayWidth(label))) + label + " "
                + String(repeating: " ", count: max(0, 7 - String(bucket.count).count)) + grouped(bucket.count) + " "
                + bar(Double(bucket.count), of: most, width: width, unicode: context.stdoutIsTTY) + "\n"
        }.joined()
    }

    private func safe(_ text: String) -> String { RedisCLIText.line(Array(text.utf8), terminal: false) }

    func ndjsonValues() throws -> [JSONValue] {
        var values: [JSONValue] = []
        for (name, server) in [("redis", redis), ("postgres", postgres)] {
            guard let server, case .object(let fields) = try JSONValueEncoder().encode(server) else { continue }
            values.append(.object([("server", .string(name))] + fields))
        }
        return values
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(redis, forKey: .redis)
        try c.encode(postgres, forKey: .postgres)
        try c.encode(interrupted, forKey: .interrupted)
    }

    enum CodingKeys: String, CodingKey { case redis, postgres, interrupted }
}

private extension Double {
    /// Milliseconds to the microsecond, for JSON.
    var micro: Double { roundedToMicroseconds(self) }
}
