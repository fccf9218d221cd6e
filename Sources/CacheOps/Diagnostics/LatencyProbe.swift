import Postgres
import Redis
import Support

/// Round trips measured one after another: PING to Redis, `SELECT 1` to PostgreSQL,
/// as `redis-cli --latency` does (a pause between them, one connection).
public enum LatencyProbe {
    /// What one server's sampling found; `interrupted` when Ctrl-C ended it early.
    public struct Outcome: Sendable {
        public var milliseconds: [Double] = []
        public var interrupted = false
    }

    /// Up to `count` round trips of `roundTrip`, `interval` seconds apart.
    public static func sample(count: Int, interval: Double, _ roundTrip: () throws -> Double) throws -> Outcome {
        var outcome = Outcome()
        outcome.milliseconds.reserveCapacity(count)
        for index in 0..<count {
            if index > 0, interval > 0, !Pause.sleep(interval) {
                outcome.interrupted = true
                break
            }
            if Interrupt.isRequested {
                outcome.interrupted = true
                break
            }
            outcome.milliseconds.append(try roundTrip())
        }
        return outcome
    }

    /// `LATENCY LATEST`: each event's name, when it last happened (seconds since 1970),
    /// and its latest and highest latency in milliseconds. Empty when latency monitoring
    /// is off (`latency-monitor-threshold` 0).
    public static func latestEvents(_ redis: any RedisCommandRunner) throws -> [LatencyEvent] {
        guard let rows = try redis.command("LATENCY", "LATEST").array else { return [] }
        return rows.compactMap { row in
            guard let fields = row.array, fields.count >= 4, let name = fields[0].string, let time = fields[1].int,
                  let latest = fields[2].int, let highest = fields[3].int else { return nil }
            return LatencyEvent(event: name, time: time, latestMs: latest, maxMs: highest)
        }
    }

    /// `LATENCY DOCTOR`'s report, as the server words it.
    public static func doctor(_ redis: any RedisCommandRunner) throws -> String {
        try redis.command("LATENCY", "DOCTOR").string ?? ""
    }
}

/// One event of `LATENCY LATEST`.
public struct LatencyEvent: Sendable, Equatable, Encodable {
    public var event: String
    public var time: Int64
    public var latestMs: Int64
    public var maxMs: Int64
}
