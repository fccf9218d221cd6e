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

            Shows whether each connection is encrypted (TLS protocol and cipher). With a \
            Sentinel group (redis+sentinel://, --sentinel), every sentinel's answer and the \
            primary found; with --read-from replica, the replica and how far behind the \
            primary it is (replication offsets, in bytes).

            Example:
              wwctl ping --timeout 2 -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    func execute(_ context: CommandContext) async throws {
        let settings = context.settings
        let timeout = context.timeout
        async let redis = Self.pingRedis(settings.redis, timeout: timeout)
        async let postgres = Self.pingPostgres(settings.databaseURL.value, target: settings.postgresTarget, timeout: timeout)
        let result = PingResult(redis: await redis, postgres: await postgres)
        try context.output.emit(result)
        if !result.redis.reachable || !result.postgres.ok {
            throw ExitCode(ErrorCategory.unavailable.exitCode)
        }
    }

    static func pingRedis(_ settings: RedisSettings, timeout: Double) async -> PingResult.RedisServer {
        let address = settings.target.value.masked
        let unreached = PingResult.RedisServer(Server(ok: false, address: address, error: "redis: the ping thread failed"), sentinels: [])
        return (try? await DedicatedThread.run {
            let topology = settings.topology(timeout: timeout)
            defer { topology.close() }
            var server = PingResult.RedisServer(
                Server(ok: false, address: address), sentinels: topology.surveySentinels())
            do {
                let connection = try topology.primary()
                server.server.latencyMs = roundedToMicroseconds(try connection.ping())
                server.server.version = try connection.serverVersion()
                server.server.ssl = connection.tlsStatus.map { PingResult.SSL(protocolVersion: $0.protocolVersion, cipher: $0.cipher) }
                server.server.ok = true
                server.reached = connection.address
            } catch {
                server.server.error = oneLineMessage(error)
                return server
            }
            guard settings.readFrom.value == .replica else { return server }
            var replica = PingResult.Replica(server: Server(ok: false, address: settings.replicaURL?.value.masked ?? "unknown"))
            do {
                let reader = try topology.reader()
                replica.server.address = reader.source.address
                replica.server.latencyMs = roundedToMicroseconds(try reader.connection.ping())
                replica.server.version = try reader.connection.serverVersion()
                replica.server.ssl = reader.connection.tlsStatus.map { PingResult.SSL(protocolVersion: $0.protocolVersion, cipher: $0.cipher) }
                replica.lagBytes = reader.source.lagBytes
                replica.linkStatus = reader.source.linkStatus
                replica.server.ok = true
            } catch {
                replica.server.error = oneLineMessage(error)
            }
            server.replica = replica
            return server
        }) ?? unreached
    }

    static func pingPostgres(_ conninfo: String?, target: PostgresTarget, timeout: Double) async -> Server {
        do {
            return try await DedicatedThread.run {
                let connection = try PostgresConnection(
                    conninfo: conninfo, connectTimeout: max(1, Int(timeout.rounded(.up))), deadline: PostgresDeadline(seconds: timeout))
                defer { connection.close() }
                let latency = roundedToMicroseconds(try connection.ping())
                var server = Server(ok: true, address: target.masked, version: connection.serverVersion, latencyMs: latency)
                server.ssl = connection.tlsStatus.map { PingResult.SSL(protocolVersion: $0.protocolVersion, cipher: $0.cipher) }
                return server
            }
        } catch {
            return Server(ok: false, address: target.masked, error: oneLineMessage(error))
        }
    }

    typealias Server = PingResult.Server
}
