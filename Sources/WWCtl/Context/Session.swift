import FoundationEssentials
import Postgres
import Redis
import Support

/// What outlives a single command: open connections and REPL state. A one-shot CLI run
/// has one session for the process; the REPL keeps one for its whole life, so
/// connections stay open between commands (and are re-established by the clients after
/// a server restart).
public final class Session: @unchecked Sendable {
    /// The session commands run in; the REPL binds its own with `Session.$current.withValue`.
    @TaskLocal public static var current: Session?

    /// The session of a one-shot run.
    public static let process = Session()

    private var redisConnections: [String: RedisConnection] = [:]
    private var postgresConnections: [String: PostgresConnection] = [:]

    /// The environment the settings are resolved in (the REPL's `use PROFILE` changes it).
    public var environment: [String: String]

    /// Where the command being run was typed (the REPL sets it for each line).
    public var invocation: Invocation = .shell

    public init(environment: [String: String] = CurrentEnvironment.read()) {
        self.environment = environment
    }

    func redis(_ url: RedisURL, timeout: Double) throws -> RedisConnection {
        // Keyed by the full URL, password included, so a different credential is a different connection.
        let key = url.masked + "\u{0}" + (url.password ?? "")
        if let open = redisConnections[key] { return open }
        let connection = try RedisConnection(url: url, connectTimeout: timeout, commandTimeout: timeout)
        redisConnections[key] = connection
        return connection
    }

    func postgres(_ conninfo: String?, timeout: Double) throws -> PostgresConnection {
        let key = conninfo ?? ""
        if let open = postgresConnections[key] { return open }
        let connection = try PostgresConnection(conninfo: conninfo, connectTimeout: max(1, Int(timeout.rounded(.up))))
        postgresConnections[key] = connection
        return connection
    }

    /// Closes every connection (REPL `use`, end of session).
    public func closeAll() {
        for connection in redisConnections.values { connection.close() }
        for connection in postgresConnections.values { connection.close() }
        redisConnections.removeAll()
        postgresConnections.removeAll()
    }
}
