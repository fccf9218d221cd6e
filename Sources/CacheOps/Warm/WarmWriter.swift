import Keyspace
import Redis
import Support

/// Writes batches to Redis with the epoch guard (see `InvalidationEpochs`): each batch
/// is one EVALSHA of `script`, which compares the family's invalidation epoch with the
/// value read before the warm's PostgreSQL snapshot and writes nothing if it moved, so
/// a value read before a concurrent change is never written after that change's
/// invalidation. Several batches go out per round trip.
final class WarmWriter {
    /// KEYS[1] the family's epoch key, KEYS[2…n+1] the keys. ARGV[1] the expected epoch
    /// (`0` when the family was never invalidated), ARGV[2] `1` for SET NX, ARGV[3] the
    /// TTL in ms of every key or empty when each has its own; then the n values; then,
    /// with per-key TTLs, the n TTLs. Returns how many keys were set, or -1 when the
    /// epoch moved (nothing written). Without NX each key is a PSETEX (SET … PX without
    /// the option parsing: about a tenth less server time per key).
    static let script = """
        local call = redis.call
        local epoch = call('GET', KEYS[1]) or '0'
        if epoch ~= ARGV[1] then return -1 end
        local n = #KEYS - 1
        local shared = ARGV[3]
        if ARGV[2] == '1' then
          local written = 0
          for i = 1, n do
            local ttl = shared
            if shared == '' then ttl = ARGV[3 + n + i] end
            if call('SET', KEYS[i + 1], ARGV[3 + i], 'PX', ttl, 'NX') then written = written + 1 end
          end
          return written
        end
        if shared ~= '' then
          for i = 1, n do call('PSETEX', KEYS[i + 1], shared, ARGV[3 + i]) end
        else
          for i = 1, n do call('PSETEX', KEYS[i + 1], ARGV[3 + n + i], ARGV[3 + i]) end
        end
        return n
        """

    /// What one family's writes came to.
    struct Tally {
        var written = 0
        /// Keys already present (`--only-missing`).
        var present = 0
        /// Keys refused because the family's epoch moved.
        var skipped = 0
        /// When the family's last batch was answered.
        var finished: ContinuousClock.Instant?
        /// Key and value bytes produced.
        var bytes = 0
    }

    let redis: RedisConnection
    let epochKeys: [[UInt8]]
    let onlyMissing: Bool
    private var sha = ""

    init(redis: RedisConnection, epochKeys: [[UInt8]], onlyMissing: Bool) {
        self.redis = redis
        self.epochKeys = epochKeys
        self.onlyMissing = onlyMissing
    }

    func loadScript() throws {
        guard let text = try redis.command(["SCRIPT", "LOAD", Self.script]).string else {
            throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "SCRIPT LOAD did not answer a digest")
        }
        sha = text
    }

    /// What the server did with one batch.
    enum Outcome: Equatable {
        /// The epoch matched: `count` keys were set (fewer than the batch with `onlyMissing`).
        case written(Int)
        /// The epoch moved: nothing was written.
        case refused
    }

    /// Writes `batches` in one pipelined round trip.
    func write(_ batches: [WarmBatch]) throws -> [Outcome] {
        guard !batches.isEmpty else { return [] }
        var replies = try redis.pipeline(batches.map(command(for:)))
        // A server restarted (or SCRIPT FLUSHed) forgot the script: those batches did not
        // run; load it again and send them once more.
        let forgotten = replies.indices.filter { replies[$0].errorMessage?.hasPrefix("NOSCRIPT") == true }
        if !forgotten.isEmpty {
            try loadScript()
            let again = try redis.pipeline(forgotten.map { command(for: batches[$0]) })
            for (index, reply) in zip(forgotten, again) { replies[index] = reply }
        }
        return try replies.map { reply in
            switch reply {
            case .integer(let written) where written >= 0:
                return .written(Int(written))
            case .integer:
                return .refused
            case .error(let message):
                throw RedisError(kind: .server, address: redis.address, detail: "EVALSHA (warm): \(message)", serverMessage: message, command: "EVALSHA")
            default:
                throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "EVALSHA (warm) answered \(reply)")
            }
        }
    }

    private func command(for batch: WarmBatch) -> [any RedisArgument] {
        let n = batch.count
        var args: [any RedisArgument] = []
        args.reserveCapacity(7 + 2 * n + (batch.uniformTTL ? 0 : n))
        args.append("EVALSHA")
        args.append(sha)
        args.append(n + 1)
        args.append(epochKeys[batch.family])
        var start = 0
        for end in batch.keyEnds {
            args.append(BatchBytes(batch: batch, start: start, end: end, isValue: false))
            start = end
        }
        args.append(batch.expectedEpoch)
        args.append(onlyMissing ? "1" : "0")
        args.append(batch.uniformTTL ? String(batch.ttls.first ?? 0) : "")
        start = 0
        for end in batch.valueEnds {
            args.append(BatchBytes(batch: batch, start: start, end: end, isValue: true))
            start = end
        }
        if !batch.uniformTTL {
            for ttl in batch.ttls { args.append(ttl) }
        }
        return args
    }
}

/// A key or value of a batch, passed to Redis without copying it out of the batch first.
struct BatchBytes: RedisArgument {
    let batch: WarmBatch
    let start: Int32
    let end: Int32
    let isValue: Bool

    init(batch: WarmBatch, start: Int, end: Int, isValue: Bool) {
        self.batch = batch
        self.start = Int32(start)
        self.end = Int32(end)
        self.isValue = isValue
    }

    var redisBytes: [UInt8] {
        Array((isValue ? batch.valueBytes : batch.keyBytes)[Int(start)..<Int(end)])
    }

    func appendRedisBytes(to buffer: inout [UInt8]) {
        let range = Int(start)..<Int(end)
        if isValue {
            batch.valueBytes.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
        } else {
            batch.keyBytes.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
        }
    }
}
