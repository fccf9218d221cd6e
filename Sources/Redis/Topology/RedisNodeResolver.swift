import Support

/// Where a `RedisConnection` finds its server each time it connects. Without one a
/// connection keeps the URL it was made with; with one (a Sentinel-managed primary) it
/// follows the primary across failovers, reconnecting wherever the resolver says.
protocol RedisNodeResolver: AnyObject, Sendable {
    /// Whether the server found must answer `ROLE` with `master`.
    var requiresPrimary: Bool { get }

    /// The server to connect to now.
    func resolve(connectTimeout: Double, commandTimeout: Double) throws -> RedisURL

    /// After a command failed on `node` (connection lost, `READONLY`): asks once more and
    /// says whether the primary has moved, for the error's message. Never throws.
    func noteAfterFailure(of node: RedisURL) -> String

    /// Where `node` came from: `primary of 'mymaster' per sentinel 127.0.0.1:26379`.
    func describe(_ node: RedisURL) -> String
}

/// The primary of a Sentinel group, asked of the sentinels at every connect.
final class SentinelPrimaryResolver: RedisNodeResolver, @unchecked Sendable {
    let group: RedisSentinelGroup
    private let connectTimeout: Double
    private let commandTimeout: Double
    /// The sentinel that answered last.
    private var answeredBy: RedisURL.Endpoint?

    init(group: RedisSentinelGroup, connectTimeout: Double, commandTimeout: Double) {
        self.group = group
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    var requiresPrimary: Bool { true }

    func resolve(connectTimeout: Double, commandTimeout: Double) throws -> RedisURL {
        let found = try group.primary(connectTimeout: connectTimeout, commandTimeout: commandTimeout)
        answeredBy = found.sentinel
        return found.node
    }

    func noteAfterFailure(of node: RedisURL) -> String {
        guard let found = try? group.primary(connectTimeout: connectTimeout, commandTimeout: commandTimeout) else {
            return "no sentinel answered when asked again for the primary of '\(group.masterName)'"
        }
        answeredBy = found.sentinel
        if found.node.endpoint != node.endpoint {
            return "failover: the sentinels now name \(found.node.address) the primary of '\(group.masterName)'; "
                + "the command was not re-sent, the next one goes there"
        }
        return "the sentinels still name it the primary of '\(group.masterName)' (a failover may be under way)"
    }

    func describe(_ node: RedisURL) -> String {
        "primary of '\(group.masterName)' per sentinel \(answeredBy.map(RedisSentinelGroup.hostPort) ?? "?")"
    }
}
