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

    private var redisTopologies: [TopologyKey: RedisTopology] = [:]
    private var postgresConnections: [String: PostgresConnection] = [:]

    /// The environment the settings are resolved in (the REPL's `use PROFILE` changes it).
    public var environment: [String: String]

    public init(environment: [String: String] = CurrentEnvironment.read()) {
        self.environment = environment
    }

    /// Keyed by everything that decides where connections go, password included, so a
    /// different credential is a different connection.
    private struct TopologyKey: Hashable {
        let target: RedisTarget
        let readFrom: RedisReadPreference
        let replicaURL: RedisURL?
        let timeout: Double
    }

    /// The topology for `settings`, kept for the session: its connections stay open between
    /// the REPL's commands.
    func redisTopology(_ settings: RedisSettings, timeout: Double) -> RedisTopology {
        let key = TopologyKey(
            target: settings.target.value, readFrom: settings.readFrom.value, replicaURL: settings.replicaURL?.value, timeout: timeout)
        if let open = redisTopologies[key] { return open }
        let topology = settings.topology(timeout: timeout)
        redisTopologies[key] = topology
        return topology
    }

    func postgres(_ conninfo: String?, timeout: Double) throws -> PostgresConnection {
        let key = conninfo ?? ""
        if let open = postgresConnections[key] { return open }
        let connection = try PostgresConnection(
            conninfo: conninfo, connectTimeout: max(1, Int(timeout.rounded(.up))), deadline: PostgresDeadline(seconds: timeout))
        postgresConnections[key] = connection
        return connection
    }

    /// Closes every connection (REPL `use`, end of session).
    public func closeAll() {
        for topology in redisTopologies.values { topology.close() }
        for connection in postgresConnections.values { connection.close() }
        redisTopologies.removeAll()
        postgresConnections.removeAll()
    }
}
