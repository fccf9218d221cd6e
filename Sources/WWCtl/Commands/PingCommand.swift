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
                server.server.latencyMs = roundedMillis(try connection.ping())
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
                replica.server.latencyMs = roundedMillis(try reader.connection.ping())
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
                let connection = try PostgresConnection(conninfo: conninfo, connectTimeout: max(1, Int(timeout.rounded(.up))))
                defer { connection.close() }
                let latency = roundedMillis(try connection.ping())
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

struct PingResult: Renderable {
    /// `{ok, address, version, latencyMs, error}` as the contract fixes it, then `ssl`.
    struct Server: Encodable, Sendable {
        var ok: Bool
        var address: String
        var version: String?
        var latencyMs: Double?
        var error: String?
        /// Null when the connection is not encrypted.
        var ssl: SSL?

        init(ok: Bool, address: String, version: String? = nil, latencyMs: Double? = nil, error: String? = nil) {
            self.ok = ok
            self.address = address
            self.version = version
            self.latencyMs = latencyMs
            self.error = error
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(ok, forKey: .ok)
            try c.encode(address, forKey: .address)
            try c.encode(version, forKey: .version)
            try c.encode(latencyMs, forKey: .latencyMs)
            try c.encode(error, forKey: .error)
            try c.encode(ssl, forKey: .ssl)
        }

        enum CodingKeys: String, CodingKey { case ok, address, version, latencyMs, error, ssl }
    }

    struct SSL: Encodable, Sendable {
        var protocolVersion: String
        var cipher: String

        enum CodingKeys: String, CodingKey {
            case protocolVersion = "protocol"
            case cipher
        }

        var text: String { protocolVersion }
    }

    /// Redis: the server entry, the server actually reached (`server`), and with Sentinel
    /// the sentinels' answers, with `--read-from replica` the replica.
    struct RedisServer: Encodable, Sendable {
        var server: Server
        var sentinels: [RedisSentinelAnswer]
        var reached: String?
        var replica: Replica?

        init(_ server: Server, sentinels: [RedisSentinelAnswer]) {
            self.server = server
            self.sentinels = sentinels
        }

        /// The primary answered, and the replica too when one was asked for.
        var reachable: Bool { server.ok && (replica?.ok ?? true) }

        func encode(to encoder: any Encoder) throws {
            try server.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(reached, forKey: .server)
            // Present as null when they do not apply, as every absent value is.
            try c.encode(sentinels.isEmpty ? nil : sentinels, forKey: .sentinels)
            try c.encode(replica, forKey: .replica)
        }

        enum CodingKeys: String, CodingKey { case server, sentinels, replica }
    }

    /// The replica's server entry, then how far behind the primary it is.
    struct Replica: Encodable, Sendable {
        var server: Server
        /// The primary's replication offset minus the replica's, in bytes.
        var lagBytes: Int64?
        var linkStatus: String?

        var ok: Bool { server.ok }

        func encode(to encoder: any Encoder) throws {
            try server.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(lagBytes, forKey: .lagBytes)
            try c.encode(linkStatus, forKey: .linkStatus)
        }

        enum CodingKeys: String, CodingKey { case lagBytes, linkStatus }
    }

    var redis: RedisServer
    var postgres: Server

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([
            .init("SERVER"), .init("STATUS"), .init("ADDRESS"), .init("VERSION"), .init("TLS"), .init("ROUND TRIP", .right),
        ])
        func status(_ ok: Bool) -> String { ok ? context.style.green("ok") : context.style.red("unavailable") }
        func millis(_ value: Double?) -> String { value.map { formatMillis($0) } ?? "-" }
        table.append("redis", status(redis.server.ok), redis.server.address, redis.server.version ?? "-",
                     redis.server.ssl?.text ?? "-", millis(redis.server.latencyMs))
        for sentinel in redis.sentinels {
            table.append("sentinel", status(sentinel.ok), sentinel.address, "-", "-", millis(sentinel.latencyMs))
        }
        if let replica = redis.replica?.server {
            table.append("replica", status(replica.ok), replica.address, replica.version ?? "-", replica.ssl?.text ?? "-", millis(replica.latencyMs))
        }
        table.append("postgres", status(postgres.ok), postgres.address, postgres.version ?? "-",
                     postgres.ssl?.text ?? "-", millis(postgres.latencyMs))
        var text = table.render(width: context.width)
        if !redis.sentinels.isEmpty, let reached = redis.server.ok ? redis.reached : nil {
            let agreeing = redis.sentinels.filter { $0.primary != nil && reached.hasPrefix($0.primary! + "/") }.count
            text += "primary \(reached), named by \(agreeing) of \(redis.sentinels.count) sentinels\n"
        }
        for sentinel in redis.sentinels where sentinel.ok && !(redis.reached ?? "").hasPrefix((sentinel.primary ?? "") + "/") {
            text += "sentinel \(sentinel.address) names \(sentinel.primary ?? "no primary")\n"
        }
        if let replica = redis.replica, replica.ok {
            text += "replica \(replica.server.address): "
                + (replica.lagBytes.map { "\($0) bytes behind the primary" } ?? "lag unknown (INFO not allowed)")
                + (replica.linkStatus.map { ", link \($0)" } ?? "") + "\n"
        }
        // The clients' messages already name the server.
        for error in [redis.server.error] + redis.sentinels.map(\.error) + [redis.replica?.server.error, postgres.error] {
            if let error { text += error + "\n" }
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
