import CacheOps
import Postgres
import Support

/// `slowlog`: one row per entry, keys with their families.
struct SlowlogResult: Renderable {
    var length: Int64
    var entries: [SlowLogEntry]
    var reset: Bool

    func renderText(_ context: RenderContext) -> String {
        guard !entries.isEmpty else { return "the slow log is empty\n" }
        var table = TextTable([
            .init("TIME"), .init("DURATION", .right), .init("CLIENT"), .init("COMMAND"), .init("FAMILIES"),
        ])
        for entry in entries {
            let families = entry.keys.map { $0.family ?? $0.kind }
            table.append(
                Timestamp.isoString(seconds: entry.time, millisecond: 0), formatMillis(Double(entry.durationMicros) / 1000),
                [entry.client, entry.clientName].compactMap { $0.map { RedisCLIText.line(Array($0.utf8), terminal: false) } }.joined(separator: " "),
                entry.arguments.map { RedisCLIText.line($0, terminal: false) }.joined(separator: " "),
                families.isEmpty ? "-" : Array(Set(families)).sorted().joined(separator: ","))
        }
        return table.render(width: context.width)
            + "\(entries.count) of \(length) entries" + (reset ? "; the slow log was emptied" : "") + "\n"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(length, forKey: .length)
        try c.encode(entries.map(EntryJSON.init), forKey: .entries)
        try c.encode(reset, forKey: .reset)
    }

    func ndjsonValues() throws -> [JSONValue] {
        try entries.map { try JSONValueEncoder().encode(EntryJSON($0)) }
    }

    enum CodingKeys: String, CodingKey { case length, entries, reset }

    struct EntryJSON: Encodable {
        struct Key: Encodable {
            var key: String
            var family: String?
            var kind: String

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(key, forKey: .key)
                try c.encode(family, forKey: .family)
                try c.encode(kind, forKey: .kind)
            }

            enum CodingKeys: String, CodingKey { case key, family, kind }
        }

        var id: Int64
        var time: String
        var timestamp: Int64
        var durationMicros: Int64
        var command: String
        var arguments: [String]
        var client: String?
        var clientName: String?
        var keys: [Key]

        init(_ entry: SlowLogEntry) {
            id = entry.id
            time = Timestamp.isoString(seconds: entry.time, millisecond: 0)
            timestamp = entry.time
            durationMicros = entry.durationMicros
            command = entry.command
            arguments = entry.arguments.map(RedisCLIText.jsonString)
            client = entry.client
            clientName = entry.clientName
            keys = entry.keys.map { Key(key: RedisCLIText.jsonString($0.key), family: $0.family, kind: $0.kind) }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(time, forKey: .time)
            try c.encode(timestamp, forKey: .timestamp)
            try c.encode(durationMicros, forKey: .durationMicros)
            try c.encode(command, forKey: .command)
            try c.encode(arguments, forKey: .arguments)
            try c.encode(client, forKey: .client)
            try c.encode(clientName, forKey: .clientName)
            try c.encode(keys, forKey: .keys)
        }

        enum CodingKeys: String, CodingKey { case id, time, timestamp, durationMicros, command, arguments, client, clientName, keys }
    }
}
