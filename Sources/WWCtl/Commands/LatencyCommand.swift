import ArgumentParser
import CacheOps
import Postgres
import Redis
import Support

struct LatencyCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Round-trip histogram of Redis (PING) and PostgreSQL (SELECT 1), Redis' latency events and advice.",
        discussion: """
            Example:
              wwctl latency --count 1000 --interval 0.001

            Measures --count round trips to each server, one after another on one connection \
            with --interval seconds between them, as redis-cli --latency does: min, p50, p90, \
            p99 (nearest rank), max and mean, and a histogram in buckets that double from \
            0.125 ms (bars on a terminal, # marks in a pipe). Redis first, then PostgreSQL \
            (SELECT 1), unless --no-postgres. Then Redis' own view: LATENCY LATEST (the \
            events its latency monitor recorded: empty while latency-monitor-threshold is 0) \
            and LATENCY DOCTOR's advice.

            Ctrl-C ends the sampling early: what was measured is reported, then exit 130. A \
            server that cannot be reached is reported as such, and the exit code is 69.

            JSON: redis and postgres (null with --no-postgres), each {address, ok, error, \
            samples, minMs, p50Ms, p90Ms, p99Ms, maxMs, meanMs, histogram: [{upToMs, count}]}; \
            redis also events ([{event, time, latestMs, maxMs}], null when the server refuses \
            LATENCY) and doctor (text, or null); interrupted. NDJSON: one line per server.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Round trips per server.", valueName: "n"))
    var count: Int = 100

    @Option(help: ArgumentHelp("Seconds between round trips.", valueName: "seconds"))
    var interval: Double = 0.01

    @Flag(name: .customLong("no-postgres"), help: "Measure Redis only.")
    var noPostgres = false

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        if !(interval >= 0 && interval <= 60) { throw ValidationError("--interval must be between 0 and 60 seconds, got \(formatSeconds(interval))") }
    }

    func execute(_ context: CommandContext) throws {
        var result = LatencyResult()
        var redisServer = LatencyResult.Server(address: context.settings.redisURL.value.masked)
        redisServer.isRedis = true
        do {
            let redis = try context.redis()
            redisServer.address = redis.address
            let outcome = try LatencyProbe.sample(count: count, interval: interval) { try redis.ping() }
            redisServer.stats = LatencyStats(milliseconds: outcome.milliseconds)
            result.interrupted = outcome.interrupted
            redisServer.events = try? LatencyProbe.latestEvents(redis)
            redisServer.doctor = try? LatencyProbe.doctor(redis)
        } catch {
            redisServer.error = oneLineMessage(error)
        }
        result.redis = redisServer
        if !noPostgres && !result.interrupted {
            var postgres = LatencyResult.Server(address: context.settings.postgresTarget.masked)
            do {
                let connection = try context.postgres()
                let outcome = try LatencyProbe.sample(count: count, interval: interval) { try connection.ping() }
                postgres.stats = LatencyStats(milliseconds: outcome.milliseconds)
                result.interrupted = outcome.interrupted
            } catch {
                postgres.error = oneLineMessage(error)
            }
            result.postgres = postgres
        }
        try context.output.emit(result)
        if result.interrupted { throw ExitCode(ErrorCategory.interrupted.exitCode) }
        if result.redis?.error != nil || result.postgres?.error != nil {
            throw ExitCode(ErrorCategory.unavailable.exitCode)
        }
    }
}
