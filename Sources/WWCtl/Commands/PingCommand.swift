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
                let latency = roundedMillis(try connection.ping())
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
                let connection = try PostgresConnection(conninfo: conninfo, connectTimeout: max(1, Int(timeout.rounded(.up))))
                defer { connection.close() }
                let latency = roundedMillis(try connection.ping())
                return PingResult.Server(ok: true, address: target.masked, version: connection.serverVersion, latencyMs: latency, error: nil)
            }
        } catch {
            return PingResult.Server(ok: false, address: target.masked, version: nil, latencyMs: nil, error: oneLineMessage(error))
        }
    }
}

struct PingResult: Renderable {
    struct Server: Encodable, Sendable {
        var ok: Bool
        var address: String
        var version: String?
        var latencyMs: Double?
        var error: String?
    }

    var redis: Server
    var postgres: Server

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([
            .init("SERVER"), .init("STATUS"), .init("ADDRESS"), .init("VERSION"), .init("ROUND TRIP", .right),
        ])
        for (name, server) in [("redis", redis), ("postgres", postgres)] {
            table.append(
                name,
                server.ok ? context.style.green("ok") : context.style.red("unavailable"),
                server.address,
                server.version ?? "-",
                server.latencyMs.map { formatMillis($0) } ?? "-")
        }
        var text = table.render(width: context.width)
        // The clients' messages already name the server.
        for server in [redis, postgres] {
            if let error = server.error { text += error + "\n" }
        }
        return text
    }
}

/// Round trips to the microsecond: more digits would be noise.
func roundedMillis(_ ms: Double) -> Double { (ms * 1000).rounded() / 1000 }

/// 0.2134 → "0.21 ms", 12.5 → "12.5 ms", 11008.2 → "11.01 s".
func formatMillis(_ ms: Double) -> String {
    if ms >= 1000 {
        let seconds = (ms / 10).rounded() / 100
        return "\(seconds) s"
    }
    let digits = ms < 10 ? 100.0 : 10.0
    let rounded = (ms * digits).rounded() / digits
    return "\(rounded) ms"
}
