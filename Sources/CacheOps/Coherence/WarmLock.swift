import Glibc
import Keyspace
import Postgres
import Redis
import Support
import Synchronization

/// The lock that keeps two `cache warm` runs of the same scope from overlapping (cron
/// jobs on two hosts, a slow run still going when the next one starts).
///
/// - Taken with `SET key value NX PX ttl`; the value is the holder's JSON
///   `{"token":…,"host":…,"pid":…,"startedAt":…}`, the token 128 random bits, so the
///   whole value identifies this holder.
/// - Renewed while the run works (`startRenewing`: every third of the TTL, on a thread
///   of its own), by a script that extends the TTL only if the key still holds our value.
/// - Released by a script that deletes the key only if it still holds our value, so a
///   run that lost its lock (it expired while the process was stopped) never deletes the
///   next holder's.
/// - A crashed holder stops renewing: its lock expires after at most one TTL.
public final class WarmLock: @unchecked Sendable {
    /// Who holds a lock, from its value.
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public let host: String?
        public let pid: Int?
        public let startedAt: String?
        /// The raw value, when it is not a holder's JSON.
        public let raw: String?

        /// `host web-2, pid 4242, since 2026-11-25T08:00:00.000Z`.
        public var description: String {
            if host == nil && pid == nil && startedAt == nil {
                return "an unknown holder (value '\(String((raw ?? "").prefix(60)))')"
            }
            return "host \(host ?? "?"), pid \(pid.map(String.init) ?? "?"), since \(startedAt ?? "?")"
        }

        static func parse(_ value: String) -> Holder {
            guard let json = try? JSONParser.parse(value), case .object = json else {
                return Holder(host: nil, pid: nil, startedAt: nil, raw: value)
            }
            return Holder(host: json["host"]?.stringValue, pid: json["pid"]?.intValue, startedAt: json["startedAt"]?.stringValue, raw: nil)
        }
    }

    static let renewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """

    static let releaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """

    public let key: [UInt8]
    public let scope: String
    /// The value written: this holder's JSON.
    public let value: String
    public let ttlMilliseconds: Int
    public let holder: Holder
    private let redis: RedisConnection

    private let state = Mutex(State())
    private struct State {
        var lost: (any CategorizedError)?
        var released = false
    }
    private var renewer: WarmCompletion<Void>?
    private let stopRenewing = WarmCompletion<Void>()

    private init(redis: RedisConnection, key: [UInt8], scope: String, value: String, ttlMilliseconds: Int, holder: Holder) {
        self.redis = redis
        self.key = key
        self.scope = scope
        self.value = value
        self.ttlMilliseconds = ttlMilliseconds
        self.holder = holder
    }

    /// Takes the lock of `scope` (`warm:all`) or throws a temporary failure (exit 75)
    /// naming who holds it. `redis` becomes the lock's own connection (renewals run on
    /// another thread): give it one nothing else uses.
    public static func acquire(
        _ redis: RedisConnection, scope: String, in keyspace: BoundKeyspace, ttlMilliseconds: Int = 30_000
    ) throws -> WarmLock {
        let key = keyspace.lockKey(scope: scope)
        let holder = Holder(host: hostName(), pid: Int(getpid()), startedAt: nowISO(), raw: nil)
        let value = JSONValue.object([
            ("token", .string(token())), ("host", .string(holder.host ?? "")), ("pid", .number(holder.pid ?? 0)),
            ("startedAt", .string(holder.startedAt ?? "")),
        ]).compactText
        let reply = try redis.command(["SET", key, value, "NX", "PX", ttlMilliseconds])
        if reply.isNull {
            throw held(redis: redis, key: key, scope: scope)
        }
        return WarmLock(redis: redis, key: key, scope: scope, value: value, ttlMilliseconds: ttlMilliseconds, holder: holder)
    }

    /// The error for a lock someone else holds: who, since when, and for how much longer.
    private static func held(redis: RedisConnection, key: [UInt8], scope: String) -> WWError {
        let current = (try? redis.command(["GET", key]))?.string
        let remaining = (try? redis.command(["PTTL", key]))?.int ?? -2
        let who = current.map(Holder.parse)?.description ?? "another run"
        let expiry = remaining > 0 ? ", expires in \(max(1, (remaining + 999) / 1000)) s unless renewed" : ""
        return WWError.temporaryFailure("another cache warm holds the lock of \(scope): \(who) (key \(KeyText.escaped(key))\(expiry))")
    }

    /// Extends the TTL if the lock is still ours; false when it is not (expired and
    /// taken by another run, or deleted).
    @discardableResult
    public func renew() throws -> Bool {
        let reply = try redis.command(["EVAL", Self.renewScript, 1, key, value, ttlMilliseconds])
        return reply.int == 1
    }

    /// Deletes the lock if it is still ours. Idempotent.
    public func release() throws {
        stopRenewal()
        let alreadyReleased = state.withLock { state -> Bool in
            defer { state.released = true }
            return state.released
        }
        guard !alreadyReleased else { return }
        _ = try redis.command(["EVAL", Self.releaseScript, 1, key, value])
    }

    /// Why the lock was lost while renewing, if it was: the run must stop, since another
    /// run may now be warming the same scope.
    public var lost: (any CategorizedError)? { state.withLock { $0.lost } }

    /// Renews every `interval` seconds (a third of the TTL by default) on a thread of its
    /// own until `release()`. A renewal that finds the lock gone, or fails twice in a row,
    /// marks it lost.
    public func startRenewing(interval: Double? = nil) {
        guard renewer == nil else { return }
        let every = interval ?? Double(ttlMilliseconds) / 3000
        let done = WarmCompletion<Void>()
        renewer = done
        let stop = stopRenewing
        DedicatedThread.start { [self] in
            var failures = 0
            while !stop.wait(seconds: every) {
                do {
                    if try renew() {
                        failures = 0
                    } else {
                        markLost(WWError.temporaryFailure(
                            "lost the lock of \(scope) (key \(KeyText.escaped(key))): it expired or was taken over; another run may be warming"))
                        break
                    }
                } catch {
                    failures += 1
                    if failures >= 2 {
                        let reason = oneLineMessage(error)
                        markLost(WWError.temporaryFailure("could not renew the lock of \(scope): \(reason)"))
                        break
                    }
                }
            }
            done.finish(.success(()))
        }
    }

    private func markLost(_ error: any CategorizedError) {
        state.withLock { if $0.lost == nil { $0.lost = error } }
    }

    private func stopRenewal() {
        stopRenewing.finish(.success(()))
        if let renewer { _ = try? renewer.wait() }
    }

    // MARK: holder information

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func nowISO() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp.isoString(milliseconds: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }

    private static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for _ in 0..<2 {
            var word = generator.next() as UInt64
            for _ in 0..<16 {
                out.append(hex[Int(word & 0xF)])
                word >>= 4
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
