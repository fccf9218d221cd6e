import Redis
import Support

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
        func status(_ ok: Bool) -> TextTable.Cell {
            ok ? .init("ok", paint: context.style.green) : .init("unavailable", paint: context.style.red)
        }
        func millis(_ value: Double?) -> TextTable.Cell { .init(value.map { formatMillis($0) } ?? "-") }
        table.append(cells: [.init("redis"), status(redis.server.ok), .init(redis.server.address), .init(redis.server.version ?? "-"),
                             .init(redis.server.ssl?.text ?? "-"), millis(redis.server.latencyMs)])
        for sentinel in redis.sentinels {
            table.append(cells: [.init("sentinel"), status(sentinel.ok), .init(sentinel.address), .init("-"), .init("-"), millis(sentinel.latencyMs)])
        }
        if let replica = redis.replica?.server {
            table.append(cells: [.init("replica"), status(replica.ok), .init(replica.address), .init(replica.version ?? "-"),
                                 .init(replica.ssl?.text ?? "-"), millis(replica.latencyMs)])
        }
        table.append(cells: [.init("postgres"), status(postgres.ok), .init(postgres.address), .init(postgres.version ?? "-"),
                             .init(postgres.ssl?.text ?? "-"), millis(postgres.latencyMs)])
        var text = table.render(width: context.width)
        if !redis.sentinels.isEmpty, let reached = redis.server.ok ? redis.reached : nil {
            let agreeing = redis.sentinels.filter { $0.primary != nil && reached.hasPrefix($0.primary! + "/") }.count
            text += "primary \(TerminalText.escaped(reached)), named by \(agreeing) of \(redis.sentinels.count) sentinels\n"
        }
        for sentinel in redis.sentinels where sentinel.ok && !(redis.reached ?? "").hasPrefix((sentinel.primary ?? "") + "/") {
            text += "sentinel \(TerminalText.escaped(sentinel.address)) names \(TerminalText.escaped(sentinel.primary ?? "no primary"))\n"
        }
        if let replica = redis.replica, replica.ok {
            text += "replica \(TerminalText.escaped(replica.server.address)): "
                + (replica.lagBytes.map { "\($0) bytes behind the primary" } ?? "lag unknown (INFO not allowed)")
                + (replica.linkStatus.map { ", link \(TerminalText.escaped($0))" } ?? "") + "\n"
        }
        // The clients' messages already name the server.
        for error in [redis.server.error] + redis.sentinels.map(\.error) + [redis.replica?.server.error, postgres.error] {
            if let error { text += TerminalText.escaped(error) + "\n" }
        }
        return text
    }
}
