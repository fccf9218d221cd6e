import Support

/// One node of a cluster as the slot map names it: where to connect.
public struct ClusterNode: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:6381`, `[::1]:6381`.
    public var description: String { "\(RedisURL.bracketed(host)):\(port)" }

    public static func < (left: ClusterNode, right: ClusterNode) -> Bool {
        (left.host, left.port) < (right.host, right.port)
    }

    /// `host:port` as `redis --node` and MOVED/ASK write it; nil when it is not that.
    public init?(parsing text: some StringProtocol) {
        guard let (host, port, rest) = try? RedisURL.parseHostPort(Substring(text), defaultPort: 0),
              rest.isEmpty, port > 0
        else { return nil }
        self.init(host: host, port: port)
    }
}

/// A primary, its replicas and the slots it serves.
public struct ClusterShard: Sendable, Equatable {
    public var primary: ClusterNode
    public var replicas: [ClusterNode]
    /// Ranges of slots, inclusive at both ends, as the cluster reports them.
    public var slots: [ClosedRange<Int>]

    public init(primary: ClusterNode, replicas: [ClusterNode], slots: [ClosedRange<Int>]) {
        self.primary = primary
        self.replicas = replicas
        self.slots = slots
    }

    public var slotCount: Int { slots.reduce(0) { $0 + $1.count } }
}

/// Which primary serves each of the 16384 hash slots, read from `CLUSTER SHARDS` (Redis
/// 7.0+) or `CLUSTER SLOTS` (older servers).
public struct ClusterSlotMap: Sendable, Equatable {
    /// The shards that serve slots, ordered by primary address.
    public private(set) var shards: [ClusterShard]
    /// The index in `shards` of each slot's owner; -1 when the slot is unassigned.
    private var owners: [Int16]

    public init(shards: [ClusterShard]) throws {
        let serving = shards.filter { !$0.slots.isEmpty }.sorted { $0.primary < $1.primary }
        var owners = [Int16](repeating: -1, count: HashSlot.count)
        for (index, shard) in serving.enumerated() {
            for range in shard.slots {
                guard range.lowerBound >= 0, range.upperBound < HashSlot.count else {
                    throw RedisError(kind: .unexpectedReply, address: shard.primary.description, detail: "the cluster reports slots \(range) outside 0…16383")
                }
                for slot in range { owners[slot] = Int16(index) }
            }
        }
        self.shards = serving
        self.owners = owners
    }

    /// The primary serving `slot`, nil when no node does.
    public func primary(ofSlot slot: Int) -> ClusterNode? {
        let index = owners[slot]
        return index < 0 ? nil : shards[Int(index)].primary
    }

    /// Every primary that serves slots, in address order.
    public var primaries: [ClusterNode] { shards.map(\.primary) }

    /// Slots no node serves.
    public var unassignedSlots: Int { owners.lazy.filter { $0 < 0 }.count }

    /// Records that `slot` is now served by `node` (after `MOVED`), before the map is read again.
    mutating func move(slot: Int, to node: ClusterNode) {
        if let index = shards.firstIndex(where: { $0.primary == node }) {
            owners[slot] = Int16(index)
            return
        }
        shards.append(ClusterShard(primary: node, replicas: [], slots: [slot...slot]))
        owners[slot] = Int16(shards.count - 1)
    }

    // MARK: parsing

    /// A `CLUSTER SHARDS` reply: per shard a map with `slots` (start, end, start, end…) and
    /// `nodes` (maps with `ip`, `endpoint`, `port`, `tls-port`, `role`, `health`). With
    /// `tls`, a node's `tls-port` is used when it has one. Failed nodes are left out.
    public static func parse(shards reply: RedisReply, tls: Bool, address: String) throws -> ClusterSlotMap {
        guard case .array(let entries) = reply else { throw malformed("CLUSTER SHARDS", address) }
        var shards: [ClusterShard] = []
        for entry in entries {
            let fields = try pairs(entry, "CLUSTER SHARDS", address)
            let bounds = (fields["slots"]?.array ?? []).compactMap(\.int).map(Int.init)
            guard bounds.count % 2 == 0 else { throw malformed("CLUSTER SHARDS", address) }
            let slots = stride(from: 0, to: bounds.count, by: 2).map { bounds[$0]...max(bounds[$0], bounds[$0 + 1]) }
            var primary: ClusterNode?
            var replicas: [ClusterNode] = []
            for nodeEntry in fields["nodes"]?.array ?? [] {
                let node = try pairs(nodeEntry, "CLUSTER SHARDS", address)
                guard node["health"]?.string != "failed" else { continue }
                let host = [node["endpoint"]?.string, node["ip"]?.string].compactMap { $0 }.first { !$0.isEmpty && $0 != "?" }
                let port = (tls ? node["tls-port"]?.int : nil) ?? node["port"]?.int
                guard let host, let port, port > 0 else { continue }
                let found = ClusterNode(host: host, port: Int(port))
                if node["role"]?.string == "master" { primary = found } else { replicas.append(found) }
            }
            guard let primary else {
                if slots.isEmpty { continue }
                throw RedisError(kind: .unexpectedReply, address: address, detail: "CLUSTER SHARDS: slots \(slots.first!) have no live primary")
            }
            shards.append(ClusterShard(primary: primary, replicas: replicas.sorted(), slots: slots))
        }
        return try ClusterSlotMap(shards: shards)
    }

    /// A `CLUSTER SLOTS` reply: per range `[start, end, [ip, port, id…], replicas…]`.
    public static func parse(slots reply: RedisReply, address: String) throws -> ClusterSlotMap {
        guard case .array(let entries) = reply else { throw malformed("CLUSTER SLOTS", address) }
        var byPrimary: [ClusterNode: ClusterShard] = [:]
        for entry in entries {
            guard case .array(let parts) = entry, parts.count >= 3, let start = parts[0].int, let end = parts[1].int, start <= end else {
                throw malformed("CLUSTER SLOTS", address)
            }
            let nodes = try parts[2...].map { part -> ClusterNode in
                guard case .array(let fields) = part, fields.count >= 2, let host = fields[0].string, let port = fields[1].int, port > 0 else {
                    throw malformed("CLUSTER SLOTS", address)
                }
                return ClusterNode(host: host, port: Int(port))
            }
            var shard = byPrimary[nodes[0]] ?? ClusterShard(primary: nodes[0], replicas: [], slots: [])
            shard.slots.append(Int(start)...Int(end))
            shard.replicas = Array(Set(shard.replicas + nodes.dropFirst())).sorted()
            byPrimary[nodes[0]] = shard
        }
        return try ClusterSlotMap(shards: Array(byPrimary.values))
    }

    /// A RESP2 map: an array of name, value, name, value….
    private static func pairs(_ reply: RedisReply, _ command: String, _ address: String) throws -> [String: RedisReply] {
        guard case .array(let flat) = reply, flat.count % 2 == 0 else { throw malformed(command, address) }
        var fields: [String: RedisReply] = [:]
        for index in stride(from: 0, to: flat.count, by: 2) {
            guard let name = flat[index].string else { throw malformed(command, address) }
            fields[name] = flat[index + 1]
        }
        return fields
    }

    private static func malformed(_ command: String, _ address: String) -> RedisError {
        RedisError(kind: .unexpectedReply, address: address, detail: "\(command) answered something that is not a slot map")
    }
}
