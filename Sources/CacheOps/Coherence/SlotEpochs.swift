import Keyspace
import Redis
import Support

/// One family's epoch in every hash slot, as a warm guarded per slot reads them before
/// its snapshot and the write script compares them (`EpochScripts.writeIfSlotsUnchanged`).
public struct SlotEpochs: Sendable, Equatable {
    public let family: String
    /// The field's value in each slot's hash, as text; `0` where absent.
    public let values: [String]

    /// Reads them, creating each field that does not exist with 0 first (HSETNX then
    /// HGET per slot, pipelined): from then on every invalidation of the family bumps it
    /// (`EpochScripts.bumpSlots` leaves absent fields alone). With `slots`, only those
    /// (a re-warm pass writes only the keys it knows, in those slots); the others read 0.
    public static func read(
        _ redis: RedisConnection, family: String, in keyspace: BoundKeyspace, slots: [Int]? = nil
    ) throws -> SlotEpochs {
        var values = [String](repeating: "0", count: HashSlot.count)
        let wanted = slots ?? Array(0..<HashSlot.count)
        let commands = wanted.lazy.flatMap { slot -> [[any RedisArgument]] in
            let key = keyspace.epochKey(slot: slot)
            return [["HSETNX", key, family, 0], ["HGET", key, family]]
        }
        try redis.pipelined(commands, batchSize: 4096) { index, reply in
            if let message = reply.errorMessage {
                throw RedisError(kind: .server, address: redis.address, detail: "epochs: \(message)", serverMessage: message, command: index % 2 == 0 ? "HSETNX" : "HGET")
            }
            guard index % 2 == 1 else { return }
            guard let text = reply.string else {
                throw WWError.dataError("redis \(redis.address): the epoch of slot \(wanted[index / 2]) is not text")
            }
            values[wanted[index / 2]] = text
        }
        return SlotEpochs(family: family, values: values)
    }
}

extension InvalidationEpochs {
    /// The epoch of `family` in the slot of `key`: nil when no warm guarded per slot has
    /// read it (then invalidations leave it absent).
    public func epoch(of key: [UInt8], family: String) throws -> Int64? {
        let reply = try redis.command(["HGET", keyspace.epochKey(slot: keyspace.slot(of: key)), family])
        if let message = reply.errorMessage {
            throw RedisError(kind: .server, address: redis.address, detail: "epochs: \(message)", serverMessage: message, command: "HGET")
        }
        return reply.int
    }
}
