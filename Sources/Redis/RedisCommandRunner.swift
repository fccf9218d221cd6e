/// What code above the client talks to: one server today, a cluster router (key slot →
/// primary, following MOVED/ASK) later, behind the same two calls.
public protocol RedisCommandRunner: AnyObject {
    /// Where commands go, for messages: never carries credentials.
    var address: String { get }

    /// Sends one command and returns its reply. An error reply is thrown as a
    /// `RedisError` of kind `.server`.
    func command(_ args: [any RedisArgument]) throws -> RedisReply

    /// Sends all commands before reading any reply. Error replies come back inline as
    /// `.error`, one per failed command; only I/O and protocol failures are thrown.
    func pipeline(_ commands: [[any RedisArgument]]) throws -> [RedisReply]
}

extension RedisCommandRunner {
    /// `try redis.command("SET", key, value)`.
    @discardableResult
    public func command(_ name: any RedisArgument, _ args: any RedisArgument...) throws -> RedisReply {
        try command([name] + args)
    }
}
