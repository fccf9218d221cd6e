import ArgumentParser
import Postgres
import Redis
import Support

struct PingCommand: WWAsyncCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Reach Redis and PostgreSQL: address (password masked), version, round trip.",
        discussion: """
            Both servers are tried at once, each within --timeout. Exit 0 when both answer, \
            69 when either is unavailable.

            Example:
              wwctl ping --timeout 2 -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    func execute(_ context: CommandContext) async throws {
        let settings = context.settings
        let timeout = context.timeout
        async let redis = Self.pingRedis(settings.redisURL.value, timeout: timeout)
        async let postgres = Self.pingPostgres(settings.databaseURL.value, target: settings.postgresTarget, timeout: timeout)
        let result = PingResult(redis: await redis, postgres: await postgres)
        try context.output.emit(result)
        if !result.redis.ok || !result.postgres.ok {
            throw ExitCode(ErrorCategory.unavailable.exitCode)
        }
    }

    static func pingRedis(_ url: RedisURL, timeout: Double) async -> PingResult.Server {
        do {
            return try await DedicatedThread.run {
                let connection = try RedisConnection(url: url, connectTimeout: timeout, commandTimeout: timeout)
                defer { connection.close() }
                let latency = roundedToMicroseconds(try connection.ping())
                let version = try connection.serverVersion()
                return PingResult.Server(ok: true, address: url.masked, version: version, latencyMs: latency, error: nil)
            }
        } catch {
            return PingResult.Server(ok: false, address: url.masked, version: nil, latencyMs: nil, error: oneLineMessage(error))
        }
    }

    static func pingPostgres(_ conninfo: String?, target: PostgresTarget, timeout: Double) async -> PingResult.Server {
        do {
            return try await DedicatedThread.run {
                let connection = try PostgresConnection(
                    conninfo: conninfo, connectTimeout: max(1, Int(timeout.rounded(.up))), deadline: PostgresDeadline(seconds: timeout))
                defer { connection.close() }
                let latency = roundedToMicroseconds(try connection.ping())
                return PingResult.Server(ok: true, address: target.masked, version: connection.serverVersion, latencyMs: latency, error: nil)
            }
        } catch {
            return PingResult.Server(ok: false, address: target.masked, version: nil, latencyMs: nil, error: oneLineMessage(error))
        }
    }
}
