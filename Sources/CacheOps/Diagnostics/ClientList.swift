import Redis

/// One connection of `CLIENT LIST`.
public struct ClientInfo: Sendable, Equatable {
    public var id: Int64
    public var addr: String
    public var name: String
    public var ageSeconds: Int64
    public var idleSeconds: Int64
    public var flags: String
    public var db: Int64
    public var command: String
    /// Query buffer and output memory, bytes.
    public var queryBuffer: Int64
    public var outputMemory: Int64
    public var totalMemory: Int64
    public var user: String?

    /// Blocked in BLPOP, BRPOP, XREAD BLOCK and the like.
    public var isBlocked: Bool { flags.contains("b") }
    /// A replica or the primary's link, which `--kill-idle` never touches.
    public var isReplication: Bool { flags.contains("S") || flags.contains("M") }
    /// Subscribed to channels (idle by design).
    public var isSubscriber: Bool { flags.contains("P") }

    /// The host of `addr` (an app instance), without the port.
    public var host: String {
        guard let colon = addr.lastIndex(of: ":") else { return addr }
        return String(addr[..<colon])
    }

    /// One line of `CLIENT LIST`: `key=value` fields separated by spaces (client names
    /// cannot hold spaces). Nil when the line has no `id=`.
    public init?(line: Substring) {
        var fields: [Substring: Substring] = [:]
        for field in line.split(separator: " ") {
            guard let equals = field.firstIndex(of: "=") else { continue }
            fields[field[..<equals]] = field[field.index(after: equals)...]
        }
        func number(_ name: Substring) -> Int64 { fields[name].flatMap { Int64($0) } ?? 0 }
        guard let id = fields["id"].flatMap({ Int64($0) }) else { return nil }
        self.id = id
        addr = fields["addr"].map(String.init) ?? ""
        name = fields["name"].map(String.init) ?? ""
        ageSeconds = number("age")
        idleSeconds = number("idle")
        flags = fields["flags"].map(String.init) ?? ""
        db = number("db")
        command = fields["cmd"].map(String.init) ?? ""
        queryBuffer = number("qbuf")
        outputMemory = number("omem")
        totalMemory = number("tot-mem")
        user = fields["user"].map(String.init)
    }

    /// Every client of a `CLIENT LIST` reply.
    public static func parse(_ text: String) -> [ClientInfo] {
        text.split(whereSeparator: \.isNewline).compactMap { ClientInfo(line: $0) }
    }
}

/// How `clients` groups connections.
public enum ClientGrouping: String, Sendable, CaseIterable {
    case name, addr, cmd

    func key(of client: ClientInfo) -> String {
        switch self {
        case .name: client.name
        case .addr: client.host
        case .cmd: client.command
        }
    }
}

/// The connections sharing one name, host or last command.
public struct ClientGroup: Sendable, Equatable {
    public var key: String
    public var connections: Int
    public var blocked: Int
    public var idleMinSeconds: Int64
    public var idleMedianSeconds: Int64
    public var idleMaxSeconds: Int64
    public var queryBufferBytes: Int64
    public var outputMemoryBytes: Int64
    public var totalMemoryBytes: Int64

    /// Groups in descending number of connections, then by key.
    public static func summarise(_ clients: [ClientInfo], by grouping: ClientGrouping) -> [ClientGroup] {
        Dictionary(grouping: clients, by: grouping.key(of:)).map { key, members in
            let idle = members.map(\.idleSeconds).sorted()
            return ClientGroup(
                key: key, connections: members.count, blocked: members.filter(\.isBlocked).count,
                idleMinSeconds: idle.first ?? 0, idleMedianSeconds: idle[idle.count / 2], idleMaxSeconds: idle.last ?? 0,
                queryBufferBytes: members.reduce(0) { $0 + $1.queryBuffer },
                outputMemoryBytes: members.reduce(0) { $0 + $1.outputMemory },
                totalMemoryBytes: members.reduce(0) { $0 + $1.totalMemory })
        }.sorted { ($0.connections, $1.key) > ($1.connections, $0.key) }
    }
}

/// `CLIENT LIST`, and closing idle connections.
public struct ClientRoster {
    let redis: any RedisCommandRunner

    public init(redis: any RedisCommandRunner) {
        self.redis = redis
    }

    /// Every connection, and the id of this one.
    public func list() throws -> (clients: [ClientInfo], ownId: Int64) {
        let ownId = try redis.command("CLIENT", "ID").int ?? -1
        guard let text = try redis.command("CLIENT", "LIST").string else {
            throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "CLIENT LIST did not answer with text")
        }
        return (ClientInfo.parse(text), ownId)
    }

    /// The connections `--kill-idle` would close: idle at least `seconds`, not this one,
    /// not replication links, not blocked, not subscribers (both wait by design).
    public static func idle(_ clients: [ClientInfo], atLeast seconds: Int64, ownId: Int64) -> [ClientInfo] {
        clients.filter {
            $0.id != ownId && $0.idleSeconds >= seconds && !$0.isReplication && !$0.isBlocked && !$0.isSubscriber
        }
    }

    /// Closes connections by id (one pipelined `CLIENT KILL ID` each); returns how many
    /// the server closed (a connection may have gone meanwhile).
    public func kill(_ clients: [ClientInfo]) throws -> Int {
        guard !clients.isEmpty else { return 0 }
        let replies = try redis.pipeline(clients.map { ["CLIENT", "KILL", "ID", String($0.id)] })
        return replies.reduce(0) { $0 + Int($1.int ?? 0) }
    }
}
