import Keyspace
import Redis

/// Per-family invalidation epochs, the guard that keeps cache warming from writing a
/// value older than a concurrent change (in the spirit of memcache leases).
///
/// Every wwctl invalidation of a family INCRs `{prefix}wwctl:epoch:{family}` (the keyspace's
/// `epochKey`) *before* deleting
/// the family's keys. A warm reads the epochs of the families it writes *before* it
/// starts reading PostgreSQL, and writes each value with a script that compares the
/// epoch first: if a change committed (and invalidated) after the warm's snapshot was
/// taken, the epoch moved and the stale value is not written. If the warm wrote before
/// the bump, the deletion that follows the bump removes it.
public enum InvalidationEpochs {
    /// INCRs the epochs of `families` (one pipelined round trip).
    public static func bump(_ redis: RedisConnection, families: some Sequence<String>, in keyspace: BoundKeyspace) throws {
        let commands: [[any RedisArgument]] = Set(families).sorted().map {
            ["INCR", keyspace.epochKey(family: $0)]
        }
        guard !commands.isEmpty else { return }
        for reply in try redis.pipeline(commands) {
            if case .error(let message) = reply {
                throw RedisError(kind: .server, address: redis.address, detail: "INCR epoch: \(message)", serverMessage: message, command: "INCR")
            }
        }
    }

    /// The current epochs (0 for a family never invalidated).
    public static func read(_ redis: RedisConnection, families: [String], in keyspace: BoundKeyspace) throws -> [String: Int64] {
        guard !families.isEmpty else { return [:] }
        let reply = try redis.command(["MGET"] + families.map { keyspace.epochKey(family: $0) as any RedisArgument })
        let values = reply.array ?? []
        var out: [String: Int64] = [:]
        for (family, value) in zip(families, values) { out[family] = value.int ?? 0 }
        return out
    }
}
