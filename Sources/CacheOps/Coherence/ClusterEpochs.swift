import Keyspace
import Redis
import Support

/// The invalidation epochs on a Redis Cluster: the same two records as
/// `InvalidationEpochs`, each written on the node that owns it.
///
/// - The epoch hash of slot s is in slot s (`BoundKeyspace.epochKey(slot:)`), so it lives on
///   the primary serving s, beside the keys it guards. The bumps are grouped by that
///   primary and sent as one script per 1,024 slots (`EpochScripts.bumpSlotsOnNode`: one
///   hash declared, the others named, `allow-cross-slot-keys`, Redis ≥ 7.0). A node that
///   answers a bump with a redirection or a non-local key (a slot moved or migrating since
///   the map was read) gets that bump again slot by slot, each routed with MOVED/ASK
///   followed, so every epoch hash is bumped where it is (some twice: an epoch only has
///   to change).
/// - The change log is one key: it lives on the node of its slot and is appended there.
///
/// A warm on a cluster checks, atomically with each write, the epoch of the key's slot on
/// the key's node (`EpochScripts.writeIfSlotsUnchanged`): the bump and the check meet on
/// the one node that owns the slot, so the guarantee of a single server holds per slot.
public struct ClusterEpochs {
    public let cluster: RedisClusterRouter
    public let keyspace: BoundKeyspace
    /// The change log's bounds, as `InvalidationEpochs` keeps them.
    public var maxLogBytes = 8 << 20
    public var maxLogRecords = 10_000

    public init(cluster: RedisClusterRouter, keyspace: BoundKeyspace) {
        self.cluster = cluster
        self.keyspace = keyspace
    }

    /// Bumps the epochs of what `record` touches on every node that holds them, then
    /// appends the record to the change log. Returns the log position, nil for an empty record.
    @discardableResult
    public func bump(_ record: ChangeRecord) throws -> ChangeLogPosition? {
        guard !record.isEmpty else { return nil }
        for bump in InvalidationEpochs.slotBumps(record, in: keyspace) {
            var byNode: [ClusterNode: [Int]] = [:]
            for slot in bump.slots {
                guard let node = cluster.map.primary(ofSlot: slot) else {
                    throw ClusterError(address: cluster.address, detail: "slot \(slot) is served by no node: its invalidation epoch cannot be bumped")
                }
                byNode[node, default: []].append(slot)
            }
            for (node, slots) in byNode.sorted(by: { $0.key < $1.key }) {
                let commands = stride(from: 0, to: slots.count, by: InvalidationEpochs.slotsPerScript).map { start in
                    bumpOnNode(slots[start..<min(slots.count, start + InvalidationEpochs.slotsPerScript)], families: bump.families)
                }
                let replies = try cluster.connection(to: node).pipeline(commands)
                var again: [Int] = []
                for (index, reply) in replies.enumerated() {
                    guard let message = reply.errorMessage else { continue }
                    guard Self.isMisplaced(message) else { throw Self.failure(message, node: node) }
                    let start = index * InvalidationEpochs.slotsPerScript
                    again += slots[start..<min(slots.count, start + InvalidationEpochs.slotsPerScript)]
                }
                for slot in again {
                    let key = keyspace.epochKey(slot: slot)
                    try cluster.command(key: key, ["EVAL", EpochScripts.bumpSlots, 1, key] + bump.families.map { $0 as any RedisArgument })
                }
            }
        }
        let append = InvalidationEpochs.appendCommand(record, in: keyspace, maxLogBytes: maxLogBytes, maxLogRecords: maxLogRecords)
        let reply = try cluster.command(key: keyspace.changeLogKey, append)
        guard let text = reply.string, let position = ChangeLogPosition(text) else {
            throw RedisError(kind: .unexpectedReply, address: cluster.address, detail: "the change log answered no position")
        }
        return position
    }

    /// `EVAL bumpSlotsOnNode` over the epoch hashes of `slots`, all served by one node.
    private func bumpOnNode(_ slots: ArraySlice<Int>, families: [String]) -> [any RedisArgument] {
        var command: [any RedisArgument] = ["EVAL", EpochScripts.bumpSlotsOnNode, 1]
        for (index, slot) in slots.enumerated() {
            command.append(keyspace.epochKey(slot: slot))
            if index == 0 { command.append(slots.count) }
        }
        for family in families { command.append(family) }
        return command
    }

    /// A cluster's answer that the command belongs elsewhere (or later).
    static func isRedirection(_ message: String) -> Bool {
        ["MOVED", "ASK", "TRYAGAIN", "CLUSTERDOWN"].contains { message.hasPrefix($0 + " ") || message == $0 }
    }

    /// A redirection, or a script that named a key its node does not hold now.
    static func isMisplaced(_ message: String) -> Bool {
        isRedirection(message) || message.contains("non local key")
    }

    private static func failure(_ message: String, node: ClusterNode) -> RedisError {
        RedisError(kind: .server, address: node.description, detail: "invalidation epochs: \(message)", serverMessage: message, command: "EVAL")
    }
}
