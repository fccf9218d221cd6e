import Glibc
import Keyspace
import Postgres
import Redis
import Support

/// Everything a command needs: resolved settings, output, and connections opened on
/// first use (a command that never touches PostgreSQL never loads libpq).
public final class CommandContext {
    public let settings: Settings
    public let output: Output
    public let global: GlobalOptions
    /// The key registry under the command's `--key-prefix`, for every service it calls.
    public let keyspace: BoundKeyspace
    let session: Session

    init(settings: Settings, output: Output, global: GlobalOptions, session: Session) {
        self.settings = settings
        self.keyspace = settings.keyspace
        self.output = output
        self.global = global
        self.session = session
    }

    public var timeout: Double { settings.timeout.value }
    public var environment: [String: String] { session.environment }

    /// The Redis connection for this command: the primary (with Sentinel, the one the
    /// sentinels name now).
    public func redis() throws -> RedisConnection {
        try redisTopology.primary()
    }

    /// The connection for a walk that only reads: a replica with `--read-from replica`
    /// (said on stderr, with its lag), else the primary. Never for writes or deletions.
    public func redisForReading() throws -> RedisReadEndpoint {
        let endpoint = try redisTopology.reader()
        if endpoint.source.role == .replica { output.note("reading from \(endpoint.source.summary)") }
        return endpoint
    }

    /// Where this command's Redis connections come from.
    public var redisTopology: RedisTopology {
        session.redisTopology(settings.redis, timeout: timeout)
    }

    /// The PostgreSQL connection for this command.
    public func postgres() throws -> PostgresConnection {
        try session.postgres(settings.databaseURL.value, timeout: timeout)
    }

    /// Who is acting, for audit rows: `$WWCTL_ACTOR`, else the OS user.
    public var actor: String {
        if let actor = environment["WWCTL_ACTOR"], !actor.isEmpty { return actor }
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "unknown"
    }

    /// Asks before a destructive step. `--yes` answers for the operator; without a
    /// terminal and without `--yes` the command refuses (a cron job must say so explicitly).
    /// A "no" ends the command with exit 1 and nothing changed.
    public func confirm(_ question: String) throws {
        if global.yes { return }
        guard output.terminal.stdinIsTTY else {
            throw WWError.usage("refusing to \(question) without --yes: standard input is not a terminal")
        }
        guard Confirmation.ask(question, style: output.errorStyle) else {
            throw WWError.negative("cancelled; nothing was changed")
        }
    }
}
