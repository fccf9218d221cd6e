import Glibc
import Support

/// Routes commands to the primaries of a Redis Cluster: the slot map, one connection per
/// primary opened on first use, and the redirections.
///
/// - A key's slot is `HashSlot.of` (CRC16 of the key or its `{hash tag}`), the map names
///   its primary.
/// - `MOVED slot host:port`: the slot has a new owner for good. The map is read again
///   (`CLUSTER SHARDS`, patched with the answer should the node not list it yet) and the
///   command sent once more, to the new owner.
/// - `ASK slot host:port`: the slot is migrating and this key is already on the importing
///   node. `ASKING` then the command go there, pipelined; the map is left as it is.
/// - `TRYAGAIN` (a multi-key command during a migration) and `CLUSTERDOWN`: sent again
///   after a backoff (10 ms doubling to 200 ms) until `commandTimeout` has passed since
///   the first try, then `ClusterError` (exit 69) says what the cluster answered.
///
/// A command that failed on the way (connection lost) is not re-sent: it may have run.
/// Single owner, like `RedisConnection`; `forEachPrimary` hands each primary's connection
/// to a thread of its own.
public final class RedisClusterRouter: @unchecked Sendable {
    /// The nodes given (any node of the cluster is a seed); the first one's credentials,
    /// TLS and database go to every node.
    public let seeds: [RedisURL]
    public let connectTimeout: Double
    public let commandTimeout: Double
    public private(set) var map: ClusterSlotMap
    /// How many MOVED and ASK answers were followed.
    public private(set) var redirections = 0
    private var connections: [ClusterNode: RedisConnection] = [:]

    /// Reads the slot map from the first seed that answers. `seedConnection` is one already
    /// open to `seeds[0]` (from cluster detection): kept when that node is a primary.
    public init(seeds: [RedisURL], connectTimeout: Double = 5, commandTimeout: Double = 5, seedConnection: RedisConnection? = nil) throws {
        guard let first = seeds.first else { throw WWError.usage("a Redis Cluster needs at least one node to start from") }
        self.seeds = seeds
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        var failures: [String] = []
        var found: (ClusterSlotMap, RedisConnection)?
        for (index, seed) in seeds.enumerated() {
            do {
                let connection = try (index == 0 ? seedConnection : nil)
                    ?? RedisConnection(url: seed, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
                found = (try Self.readMap(from: connection), connection)
                break
            } catch let error as ClusterError {
                throw error
            } catch {
                failures.append(oneLineMessage(error))
            }
        }
        guard let (map, connection) = found else {
            throw ClusterError(address: Self.describe(seeds), detail: "no seed node answered: \(failures.joined(separator: "; "))")
        }
        _ = first
        self.map = map
        if let node = ClusterNode(url: connection.url), map.primaries.contains(node) {
            connections[node] = connection
        } else {
            connection.close()
        }
    }

    private init(seeds: [RedisURL], map: ClusterSlotMap, connectTimeout: Double, commandTimeout: Double) {
        self.seeds = seeds
        self.map = map
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    /// A router over the same cluster, starting from this one's map, with connections of
    /// its own (opened on first use): for another thread.
    public func sibling() -> RedisClusterRouter {
        RedisClusterRouter(seeds: seeds, map: map, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
    }

    /// `cluster 127.0.0.1:6381,127.0.0.1:6382`: for messages, never with credentials.
    public var address: String { Self.describe(seeds) }

    /// The URL of `node`: the first seed's, at that address.
    public func url(of node: ClusterNode) -> RedisURL {
        var url = seeds[0]
        url.endpoint = .tcp(host: node.host, port: node.port)
        return url
    }

    /// The connection to `node`, opened on first use and kept.
    public func connection(to node: ClusterNode) throws -> RedisConnection {
        if let open = connections[node] { return open }
        let opened = try RedisConnection(url: url(of: node), connectTimeout: connectTimeout, commandTimeout: commandTimeout)
        connections[node] = opened
        return opened
    }

    /// The primary serving `key`'s slot.
    public func primary(forKey key: some Collection<UInt8>) throws -> ClusterNode {
        let slot = HashSlot.of(key)
        guard let node = map.primary(ofSlot: slot) else {
            throw ClusterError(address: address, detail: "slot \(slot) is served by no node (CLUSTERDOWN: the cluster is not ok)")
        }
        return node
    }

    /// Reads the slot map again, from a primary that answers.
    public func refresh() throws {
        var failures: [String] = []
        for node in map.primaries + seeds.compactMap(ClusterNode.init(url:)) {
            do {
                map = try Self.readMap(from: try connection(to: node))
                // Connections to nodes that are no longer primaries are dropped.
                for (node, connection) in connections where !map.primaries.contains(node) {
                    connection.close()
                    connections[node] = nil
                }
                return
            } catch {
                failures.append(oneLineMessage(error))
            }
        }
        throw ClusterError(address: address, detail: "could not read the slot map again: \(failures.joined(separator: "; "))")
    }

    /// Closes every connection.
    public func close() {
        for connection in connections.values { connection.close() }
        connections = [:]
    }

    // MARK: commands by key

    /// Sends `args` to the primary of `key`'s slot, following redirections (see the type).
    /// An error reply other than a redirection is thrown as `RedisError`.
    @discardableResult
    public func command(key: some Collection<UInt8>, _ args: [any RedisArgument]) throws -> RedisReply {
        let reply = try routed(key: key, args)
        if case .error(let message) = reply {
            throw RedisError(kind: .server, address: try primary(forKey: key).description, detail: message, serverMessage: message,
                             command: (args.first?.redisBytes).map { String(decoding: $0, as: UTF8.self).uppercased() })
        }
        return reply
    }

    /// Sends each command to the primary of its key, pipelined per node (the nodes one
    /// after another), and returns the replies in the order given. A command answered
    /// with a redirection is sent again alone (`command(key:_:)`); other error replies
    /// come back inline, as from `RedisConnection.pipeline`.
    public func pipeline(keyed commands: [(key: [UInt8], command: [any RedisArgument])]) throws -> [RedisReply] {
        var replies = [RedisReply](repeating: .null, count: commands.count)
        var byNode: [ClusterNode: [Int]] = [:]
        for (index, entry) in commands.enumerated() { byNode[try primary(forKey: entry.key), default: []].append(index) }
        var redo: [Int] = []
        for (node, indices) in byNode.sorted(by: { $0.key < $1.key }) {
            let answered = try connection(to: node).pipeline(indices.map { commands[$0].command })
            for (index, reply) in zip(indices, answered) {
                if Redirection(reply) != nil { redo.append(index) } else { replies[index] = reply }
            }
        }
        for index in redo.sorted() { replies[index] = try routed(key: commands[index].key, commands[index].command) }
        return replies
    }

    /// One command by key: the reply, an error reply inline, redirections followed.
    private func routed(key: some Collection<UInt8>, _ args: [any RedisArgument]) throws -> RedisReply {
        let slot = HashSlot.of(key)
        let clock = ContinuousClock()
        let giveUp = clock.now + .milliseconds(Int64(commandTimeout * 1000))
        var backoff = Duration.milliseconds(10)
        var asking: ClusterNode?
        var hops = 0
        while true {
            let node: ClusterNode
            if let asking {
                node = asking
            } else {
                node = try primary(forKey: key)
            }
            let connection = try connection(to: node)
            let reply = asking == nil ? try connection.pipeline([args])[0] : try connection.pipeline([["ASKING"], args])[1]
            asking = nil
            guard let redirection = Redirection(reply) else { return reply }
            switch redirection {
            case .moved(let movedSlot, let target):
                hops += 1
                guard hops <= 5 else { return reply }
                redirections += 1
                try? refresh()
                if map.primary(ofSlot: movedSlot) != target { map.move(slot: movedSlot, to: target) }
            case .ask(_, let target):
                hops += 1
                guard hops <= 5 else { return reply }
                redirections += 1
                asking = target
            case .retry(let code):
                guard clock.now + backoff < giveUp else {
                    throw ClusterError(
                        address: node.description,
                        detail: "slot \(slot): the cluster still answers \(code) after \(RedisConnection.seconds(commandTimeout)) (\(reply.errorMessage ?? code))")
                }
                usleep(UInt32(backoff.components.attoseconds / 1_000_000_000_000) + UInt32(backoff.components.seconds) * 1_000_000)
                backoff = min(backoff * 2, .milliseconds(200))
                if code == "CLUSTERDOWN" { try? refresh() }
            }
        }
    }

    // MARK: every primary

    /// Runs `body` once per primary, all at once (a thread each, each with that primary's
    /// connection), and returns each primary's outcome in address order.
    public func forEachPrimary<T>(_ body: @escaping (ClusterNode, RedisConnection) throws -> T) -> [(node: ClusterNode, outcome: Result<T, any Error>)] {
        let nodes = map.primaries
        let known = nodes.map { connections[$0] }
        let outcomes = ParallelThreads.map(nodes.count) { index -> (RedisConnection?, Result<T, any Error>) in
            let connection: RedisConnection
            do {
                connection = try known[index]
                    ?? RedisConnection(url: self.url(of: nodes[index]), connectTimeout: self.connectTimeout, commandTimeout: self.commandTimeout)
            } catch {
                return (nil, .failure(error))
            }
            return (connection, Result { try body(nodes[index], connection) })
        }
        for (node, (connection, _)) in zip(nodes, outcomes) where connections[node] == nil {
            connections[node] = connection
        }
        return zip(nodes, outcomes).map { ($0, $1.1) }
    }

    // MARK: helpers

    static func describe(_ seeds: [RedisURL]) -> String {
        "cluster " + seeds.map(\.address).joined(separator: ",")
    }

    /// `CLUSTER SHARDS`, or `CLUSTER SLOTS` from a server older than 7.0.
    static func readMap(from connection: RedisConnection) throws -> ClusterSlotMap {
        let reply = try connection.pipeline([["CLUSTER", "SHARDS"]])[0]
        if let message = reply.errorMessage {
            if message.contains("cluster support disabled") {
                throw ClusterError(address: connection.address, detail: "not a cluster node (cluster_enabled:0); leave out --cluster")
            }
            let slots = try connection.command(["CLUSTER", "SLOTS"])
            return try ClusterSlotMap.parse(slots: slots, address: connection.address)
        }
        return try ClusterSlotMap.parse(shards: reply, tls: connection.url.tls != nil, address: connection.address)
    }
}

/// A cluster's answer that sends a command elsewhere or asks for it again later.
enum Redirection: Equatable {
    case moved(slot: Int, to: ClusterNode)
    case ask(slot: Int, to: ClusterNode)
    /// `TRYAGAIN` or `CLUSTERDOWN`.
    case retry(String)

    init?(_ reply: RedisReply) {
        guard let message = reply.errorMessage else { return nil }
        self.init(message: message)
    }

    init?(message: String) {
        let words = message.split(separator: " ")
        guard let code = words.first else { return nil }
        switch code {
        case "MOVED", "ASK":
            guard words.count == 3, let slot = Int(words[1]), (0..<HashSlot.count).contains(slot),
                  let node = ClusterNode(parsing: words[2])
            else { return nil }
            self = code == "MOVED" ? .moved(slot: slot, to: node) : .ask(slot: slot, to: node)
        case "TRYAGAIN", "CLUSTERDOWN":
            self = .retry(String(code))
        default:
            return nil
        }
    }
}

/// The cluster cannot serve the request now: no seed answers, a slot has no node, or it
/// kept answering `TRYAGAIN`/`CLUSTERDOWN` for the whole timeout. Exit 69.
public struct ClusterError: CategorizedError, Equatable {
    public let address: String
    public let detail: String

    public init(address: String, detail: String) {
        self.address = address
        self.detail = detail
    }

    public var category: ErrorCategory { .unavailable }
    public var message: String { "redis \(address): \(detail)" }
    public var description: String { message }
}

extension ClusterNode {
    /// The TCP address of `url`; nil for a unix socket.
    public init?(url: RedisURL) {
        guard case .tcp(let host, let port) = url.endpoint else { return nil }
        self.init(host: host, port: port)
    }
}

extension ClusterError {
    /// A command without a cluster path, on a cluster: it would act on one node's share of
    /// the keys, so it does nothing.
    static func singleNode(_ address: String) -> ClusterError {
        ClusterError(
            address: address,
            detail: "this command does not route by hash slot yet, so it would act on one node's keys only; "
                + "nothing was done (--no-cluster addresses the one node given)")
    }
}

extension RedisClusterRouter {
    /// Slots a primary is migrating or importing now, as each primary's own line of
    /// `CLUSTER NODES` says (`[93->-id]`, `[93-<-id]`). Primaries that do not answer are
    /// skipped.
    public func slotsInMigration() -> Set<Int> {
        var slots = Set<Int>()
        for (_, outcome) in forEachPrimary({ _, connection in try connection.command(["CLUSTER", "NODES"]).string ?? "" }) {
            guard let text = try? outcome.get() else { continue }
            for line in text.split(separator: "\n") where line.split(separator: " ").count > 2 && line.split(separator: " ")[2].contains("myself") {
                for field in line.split(separator: " ").dropFirst(8) where field.hasPrefix("[") {
                    if let slot = Int(field.dropFirst().prefix { $0.isNumber }) { slots.insert(slot) }
                }
            }
        }
        return slots
    }
}
