import CacheOps
import Support

/// `clients`: one row per group, the oldest idle connection below.
struct ClientsResult: Renderable {
    var connections: Int
    var blocked: Int
    var groupBy: ClientGrouping
    var groups: [ClientGroup]
    var oldestIdle: ClientInfo?
    var killed: Int?

    init(clients: [ClientInfo], ownId: Int64, groupBy: ClientGrouping) {
        connections = clients.count
        blocked = clients.filter(\.isBlocked).count
        self.groupBy = groupBy
        groups = ClientGroup.summarise(clients, by: groupBy)
        oldestIdle = clients.filter { $0.id != ownId }.max { ($0.idleSeconds, $1.id) < ($1.idleSeconds, $0.id) }
    }

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([
            .init(groupBy.rawValue.uppercased()), .init("CONNS", .right), .init("BLOCKED", .right),
            .init("IDLE MIN", .right), .init("MEDIAN", .right), .init("MAX", .right),
            .init("QBUF", .right), .init("OMEM", .right), .init("TOTAL MEM", .right),
        ])
        for group in groups {
            table.append(
                group.key.isEmpty ? "(none)" : safe(group.key), grouped(group.connections), grouped(group.blocked),
                formatDuration(Int(group.idleMinSeconds)), formatDuration(Int(group.idleMedianSeconds)),
                formatDuration(Int(group.idleMaxSeconds)), humanBytes(Int(group.queryBufferBytes)),
                humanBytes(Int(group.outputMemoryBytes)), humanBytes(Int(group.totalMemoryBytes)))
        }
        var text = table.render(width: context.width)
        text += "\(grouped(connections)) connections, \(grouped(blocked)) blocked\n"
        if let oldest = oldestIdle {
            text += "oldest idle: id \(oldest.id) \(safe(oldest.addr)) \(oldest.name.isEmpty ? "(no name)" : safe(oldest.name)), "
                + "idle \(formatDuration(Int(oldest.idleSeconds))), connected \(formatDuration(Int(oldest.ageSeconds))), last \(safe(oldest.command))\n"
        }
        if let killed { text += "closed \(killed) idle connection\(killed == 1 ? "" : "s")\n" }
        return text
    }

    private func safe(_ text: String) -> String { RedisCLIText.line(Array(text.utf8), terminal: false) }

    func ndjsonValues() throws -> [JSONValue] {
        try groups.map { try JSONValueEncoder().encode(GroupJSON($0)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(connections, forKey: .connections)
        try c.encode(blocked, forKey: .blocked)
        try c.encode(groupBy.rawValue, forKey: .groupBy)
        try c.encode(groups.map(GroupJSON.init), forKey: .groups)
        try c.encode(oldestIdle.map(ClientJSON.init), forKey: .oldestIdle)
        try c.encode(killed, forKey: .killed)
    }

    enum CodingKeys: String, CodingKey { case connections, blocked, groupBy, groups, oldestIdle, killed }

    struct GroupJSON: Encodable {
        var group: ClientGroup
        init(_ group: ClientGroup) { self.group = group }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(group.key, forKey: .key)
            try c.encode(group.connections, forKey: .connections)
            try c.encode(group.blocked, forKey: .blocked)
            try c.encode(group.idleMinSeconds, forKey: .idleMinSeconds)
            try c.encode(group.idleMedianSeconds, forKey: .idleMedianSeconds)
            try c.encode(group.idleMaxSeconds, forKey: .idleMaxSeconds)
            try c.encode(group.queryBufferBytes, forKey: .queryBufferBytes)
            try c.encode(group.outputMemoryBytes, forKey: .outputMemoryBytes)
            try c.encode(group.totalMemoryBytes, forKey: .totalMemoryBytes)
        }

        enum CodingKeys: String, CodingKey {
            case key, connections, blocked, idleMinSeconds, idleMedianSeconds, idleMaxSeconds
            case queryBufferBytes, outputMemoryBytes, totalMemoryBytes
        }
    }

    struct ClientJSON: Encodable {
        var client: ClientInfo
        init(_ client: ClientInfo) { self.client = client }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(client.id, forKey: .id)
            try c.encode(client.addr, forKey: .addr)
            try c.encode(client.name, forKey: .name)
            try c.encode(client.idleSeconds, forKey: .idleSeconds)
            try c.encode(client.ageSeconds, forKey: .ageSeconds)
            try c.encode(client.command, forKey: .cmd)
        }

        enum CodingKeys: String, CodingKey { case id, addr, name, idleSeconds, ageSeconds, cmd }
    }
}
