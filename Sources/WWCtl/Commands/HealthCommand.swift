import ArgumentParser
import CacheOps
import Postgres
import Redis
import Schema
import Glibc
import Support
import Synchronization

struct HealthCommand: WWAsyncCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check Redis and PostgreSQL for monitoring: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
        discussion: """
            Checks, one line each on a terminal (`OK redis-hit-rate 0.93 >= 0.8`), and in JSON \
            `status` (ok, warning, critical, unknown) and `checks` (name, status, value, \
            threshold, message):
              redis-reachable       CRITICAL when Redis cannot be reached within --timeout
              redis-hit-rate        keyspace hit rate since start or CONFIG RESETSTAT; not judged before the first lookup
              redis-memory-ratio    used_memory / maxmemory; not judged without a maxmemory limit
              redis-evictions       evictions per second between two INFO samples --window seconds apart;
                                    only with --max-evictions-per-sec or --critical-evictions-per-sec
              postgres-reachable    CRITICAL when PostgreSQL cannot be reached (PostgreSQL is the truth)
              schema-migrations     WARNING when migrations are pending, changed or unknown to this binary

            Crossing a --max/--min limit is WARNING, crossing a --critical limit CRITICAL. The \
            overall status is the worst check (OK < WARNING < UNKNOWN < CRITICAL) and is the exit \
            code. Server failures never give the usual 69: they are verdicts. Bad options exit 64. \
            Redis and PostgreSQL are checked at the same time; --no-postgres checks Redis only \
            (and does not load libpq).

            Examples:
              wwctl health --min-hit-rate 0.9 --max-memory-ratio 0.85
              wwctl health --max-evictions-per-sec 50 --critical-evictions-per-sec 500 --window 2 -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("WARNING below this hit rate, 0..1 (default 0.8).", valueName: "ratio"))
    var minHitRate: Double = 0.8

    @Option(help: ArgumentHelp("CRITICAL below this hit rate, 0..1.", valueName: "ratio"))
    var criticalHitRate: Double?

    @Option(help: ArgumentHelp("WARNING above this used/maxmemory ratio, 0..1 (default 0.9).", valueName: "ratio"))
    var maxMemoryRatio: Double = 0.9

    @Option(help: ArgumentHelp("CRITICAL above this used/maxmemory ratio, 0..1.", valueName: "ratio"))
    var criticalMemoryRatio: Double?

    @Option(help: ArgumentHelp("WARNING above this many evictions per second over --window.", valueName: "n"))
    var maxEvictionsPerSec: Double?

    @Option(help: ArgumentHelp("CRITICAL above this many evictions per second over --window.", valueName: "n"))
    var criticalEvictionsPerSec: Double?

    @Option(help: ArgumentHelp("Seconds between the two samples of the eviction check (default 1).", valueName: "seconds"))
    var window: Double = 1

    @Flag(help: "Check Redis only.")
    var noPostgres = false

    func validate() throws {
        for (name, value) in [("--min-hit-rate", minHitRate), ("--max-memory-ratio", maxMemoryRatio)]
            + [("--critical-hit-rate", criticalHitRate), ("--critical-memory-ratio", criticalMemoryRatio)].compactMap({ name, value in value.map { (name, $0) } })
        where !(value >= 0 && value <= 1) {
            throw ValidationError("\(name) must be between 0 and 1, got \(value)")
        }
        for (name, value) in [("--max-evictions-per-sec", maxEvictionsPerSec), ("--critical-evictions-per-sec", criticalEvictionsPerSec)] {
            if let value, !(value >= 0 && value.isFinite) {
                throw ValidationError("\(name) must be 0 or more, got \(value)")
            }
        }
        guard window > 0, window <= 3600 else {
            throw ValidationError("--window must be between 0 and 3600 seconds, got \(window)")
        }
    }

    var thresholds: HealthThresholds {
        HealthThresholds(
            minHitRate: minHitRate, criticalHitRate: criticalHitRate,
            maxMemoryRatio: maxMemoryRatio, criticalMemoryRatio: criticalMemoryRatio,
            maxEvictionsPerSec: maxEvictionsPerSec, criticalEvictionsPerSec: criticalEvictionsPerSec,
            window: window)
    }

    func execute(_ context: CommandContext) async throws {
        let settings = context.settings
        let timeout = context.timeout
        let thresholds = self.thresholds
        let redisURL = settings.redisURL.value

        // hiredis bounds each step by the timeout; the deadline is a second line of defence
        // so that health answers even if a step blocks beyond it.
        let redisSteps = thresholds.checksEvictions ? 3.0 : 2.0
        async let redisChecks = Deadline.run(
            seconds: redisSteps * timeout + (thresholds.checksEvictions ? thresholds.window : 0) + 1,
            onTimeout: [HealthCheck(name: RedisHealth.reachable, status: .critical,
                                    message: "redis \(redisURL.address): no answer within \(shortDecimal(redisSteps * timeout)) s")]
        ) {
            RedisHealth.checks(thresholds: thresholds) {
                try settings.redis.topology(timeout: timeout).openPrimary()
            }
        }
        let conninfo = settings.databaseURL.value
        let target = settings.postgresTarget
        // libpq waits at least 2 s per connection attempt.
        let pgSeconds = max(2, timeout.rounded(.up))
        async let postgresChecks = noPostgres ? [] : Deadline.run(
            seconds: 3 * pgSeconds + 1,
            onTimeout: [HealthCheck(name: PostgresHealth.reachable, status: .critical,
                                    message: "postgres \(target.masked): no answer within \(shortDecimal(3 * pgSeconds)) s")]
        ) {
            PostgresHealth.checks(conninfo: conninfo, target: target, timeout: timeout)
        }
        let checks = await redisChecks + postgresChecks
        let report = HealthReport(checks: checks)
        try context.output.emit(HealthResult(report: report))
        if report.status != .ok { throw ExitCode(report.status.exitCode) }
    }
}

/// PostgreSQL reachable, schema current. Here rather than in CacheOps, which does not
/// depend on Schema.
enum PostgresHealth {
    static let reachable = "postgres-reachable"
    static let migrations = "schema-migrations"

    static func checks(conninfo: String?, target: PostgresTarget, timeout: Double) -> [HealthCheck] {
        let connection: PostgresConnection
        var checks: [HealthCheck] = []
        do {
            let started = Monotonic.now()
            connection = try PostgresConnection(
                conninfo: conninfo, connectTimeout: max(1, Int(timeout.rounded(.up))),
                applicationName: "wwctl health", deadline: PostgresDeadline(seconds: timeout))
            _ = try connection.ping()
            let ms = (Monotonic.now() - started) * 1000
            checks.append(HealthCheck(
                name: reachable, status: .ok, value: (ms * 1000).rounded() / 1000,
                message: "postgres \(connection.serverVersion) at \(target.masked) answered in \(shortDecimal(ms)) ms"))
        } catch {
            let category = (error as? any CategorizedError)?.category
            let status: HealthStatus = category == .unavailable || category == .temporaryFailure ? .critical : .unknown
            return [HealthCheck(name: reachable, status: status, message: oneLineMessage(error))]
        }
        defer { connection.close() }
        do {
            let statuses = try Migrator(connection).status()
            let pending = statuses.filter(\.isPending)
            let changed = statuses.filter { !$0.checksumMatches }
            let unknown = statuses.filter { !$0.isKnown }
            let applied = statuses.filter { !$0.isPending }.map(\.version).max()
            if !pending.isEmpty {
                checks.append(HealthCheck(
                    name: migrations, status: .warning, value: Double(pending.count), threshold: 0,
                    message: "\(pending.count) pending (\(pending.map { String($0.version) }.joined(separator: ", "))); run: wwctl db migrate"))
            } else if let first = changed.first {
                checks.append(HealthCheck(
                    name: migrations, status: .warning, value: Double(changed.count), threshold: 0,
                    message: "migration \(first.version) \(first.name) changed since it was applied"))
            } else if let first = unknown.first {
                checks.append(HealthCheck(
                    name: migrations, status: .warning, value: Double(unknown.count), threshold: 0,
                    message: "the database has migration \(first.version), which this wwctl does not carry (a newer wwctl applied it?)"))
            } else {
                checks.append(HealthCheck(
                    name: migrations, status: .ok, value: 0, threshold: 0,
                    message: "schema current at version \(applied.map(String.init) ?? "0")"))
            }
        } catch {
            checks.append(HealthCheck(name: migrations, status: .unknown, message: oneLineMessage(error)))
        }
        return checks
    }
}

/// Runs blocking work on a thread of its own and waits at most `seconds` for it: the
/// result, or `onTimeout` if the work has not finished (it is then abandoned; the
/// process ends without it).
enum Deadline {
    static func run<T: Sendable>(
        seconds: Double, onTimeout: T, _ body: @escaping @Sendable () -> T
    ) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let once = Once(continuation)
            DedicatedThread.start { once.resume(body()) }
            DedicatedThread.start {
                var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
                var remaining = timespec()
                while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
                once.resume(onTimeout)
            }
        }
    }

    /// Resumes its continuation with the first value it is given and ignores the rest.
    private final class Once<T: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<T, Never>?>

        init(_ continuation: CheckedContinuation<T, Never>) {
            self.continuation = Mutex(continuation)
        }

        func resume(_ value: T) {
            continuation.withLock { pending in
                pending?.resume(returning: value)
                pending = nil
            }
        }
    }
}
