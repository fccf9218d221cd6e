import CHiredis
import Glibc
import Support

/// A blocking connection to one Redis server, owning its hiredis context.
///
/// - Connecting happens in `init`: TCP or unix socket within `connectTimeout`, then
///   `AUTH` (with the ACL user when the URL names one) and `SELECT` of the URL's database.
/// - Every read and write is bounded by `commandTimeout`.
/// - After any I/O or protocol failure hiredis' context is dead: it is freed at once and
///   the failure thrown. The next call connects afresh (AUTH and SELECT again); the failed
///   command is never re-sent, since it may have run.
/// - Before each command, an idle connection the server has closed (CLIENT KILL, idle
///   `timeout`, restart) is noticed and replaced, so that command goes out on a new
///   connection instead of failing.
///
/// Single owner: one thread or task uses a connection at a time. It is `Sendable` only
/// so that it can be handed to a worker thread (producer/consumer warming); sharing one
/// between threads that use it concurrently is a bug.
public final class RedisConnection: RedisCommandRunner, @unchecked Sendable {
    public let url: RedisURL
    public let connectTimeout: Double
    public let commandTimeout: Double
    /// How many connections have been opened so far: 1 after `init`, one more per reconnect.
    public private(set) var connectionsOpened = 0

    private var context: HiredisContext?
    /// Replies of commands a `RedisStream` sent ahead and has not received yet. While any
    /// are pending every other use of the connection is refused: it would read them.
    var streamedRepliesPending = 0

    /// Timeouts are in seconds, more than 0 and at most a day.
    public init(url: RedisURL, connectTimeout: Double = 5, commandTimeout: Double = 5) throws {
        for (name, value) in [("connect", connectTimeout), ("command", commandTimeout)] {
            guard value.isFinite, value > 0, value <= 86_400 else {
                throw WWError.usage("redis \(url.address): \(name) timeout must be more than 0 and at most 86400 seconds")
            }
        }
        self.url = url
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        _ = try liveContext()
    }

    public convenience init(_ text: String, connectTimeout: Double = 5, commandTimeout: Double = 5) throws {
        try self.init(url: RedisURL(parsing: text), connectTimeout: connectTimeout, commandTimeout: commandTimeout)
    }

    public var address: String { url.address }

    /// Whether a context is open now (false after `close()` or a failure, until the next call).
    public var isConnected: Bool { context != nil }

    /// Releases the socket now. A later call opens a new connection.
    public func close() {
        context = nil
        streamedRepliesPending = 0
    }

    @discardableResult
    public func command(_ args: [any RedisArgument]) throws -> RedisReply {
        let command = try validated(args)
        let context = try liveContext()
        let reply = try exchange(command, on: context)
        if case .error(let message) = reply { throw serverError(message, command: command.name) }
        return reply
    }

    public func pipeline(_ commands: [[any RedisArgument]]) throws -> [RedisReply] {
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        try pipelined(commands) { _, reply in replies.append(reply) }
        return replies
    }

    // MARK: connection life cycle

    /// The open context, opening one if there is none or the server closed the idle one.
    func liveContext() throws -> HiredisContext {
        guard streamedRepliesPending == 0 else {
            throw RedisError(
                kind: .invalidRequest, address: url.address,
                detail: "\(streamedRepliesPending) replies of commands sent ahead are still pending on this connection")
        }
        if let context {
            if !context.isClosedWhileIdle { return context }
            self.context = nil
        }
        let opened = try open()
        context = opened
        connectionsOpened += 1
        return opened
    }

    /// Whether `context` is still the one this connection uses (not closed or replaced).
    func isCurrent(_ context: HiredisContext) -> Bool { self.context === context }

    /// Forgets `failed` if it is still the current context, so it is freed and never reused.
    func discard(_ failed: HiredisContext) {
        if context === failed {
            context = nil
            streamedRepliesPending = 0
        }
    }

    private func open() throws -> HiredisContext {
        let opened: HiredisContext
        switch HiredisContext.connect(to: url.endpoint, timeout: Self.timeval(connectTimeout)) {
        case .success(let context): opened = context
        case .failure(let failure): throw connectError(failure)
        }
        if let failure = opened.setTimeout(Self.timeval(commandTimeout)) {
            throw ioError(failure, command: nil)
        }
        if let password = url.password {
            var auth: [any RedisArgument] = ["AUTH"]
            if let username = url.username { auth.append(username) }
            auth.append(password)
            if case .error(let message) = try exchange(CommandVector(auth), on: opened) {
                let who = url.username.map { " for user '\($0)'" } ?? ""
                throw RedisError(
                    kind: .authentication, address: url.address,
                    detail: "authentication failed\(who): \(scrubbed(message))",
                    serverMessage: scrubbed(message), command: "AUTH")
            }
        }
        if url.database != 0 {
            let select = CommandVector(["SELECT", url.database])
            if case .error(let message) = try exchange(select, on: opened) {
                throw serverError(message, command: select.name)
            }
        }
        return opened
    }

    // MARK: exchanging commands

    func validated(_ args: [any RedisArgument]) throws -> CommandVector {
        guard !args.isEmpty else {
            throw RedisError(kind: .invalidRequest, address: url.address, detail: "empty command")
        }
        return CommandVector(args)
    }

    private func exchange(_ command: CommandVector, on context: HiredisContext) throws -> RedisReply {
        try decode(context.roundTrip(command), on: context, command: command.name)
    }

    /// One reply as hiredis read it on `context`, as a `RedisReply`. A read failure, or a
    /// reply of a type RESP2 does not define, drops the context and is thrown; in a
    /// pipeline, `position` (the replies before this one) goes into the message.
    func decode(
        _ read: consuming Result<HiredisReply, HiredisFailure>, on context: HiredisContext, command: String? = nil, position: Int? = nil
    ) throws -> RedisReply {
        switch read {
        case .success(let owned):
            if let reply = owned.value { return reply }
            discard(context)
            let which = position.map { "pipeline reply \($0) has" } ?? "reply of"
            throw RedisError(kind: .protocolError, address: url.address, detail: "\(which) a type RESP2 does not define")
        case .failure(let failure):
            discard(context)
            let error = ioError(failure, command: command)
            guard let position else { throw error }
            throw RedisError(kind: error.kind, address: url.address, detail: "\(error.detail) (pipeline, after \(position) replies)")
        }
    }

    // MARK: errors

    func serverError(_ message: String, command: String?) -> RedisError {
        let clean = scrubbed(message)
        return RedisError(kind: .server, address: url.address, detail: clean, serverMessage: clean, command: command)
    }

    func unexpectedReply(_ what: String) -> RedisError {
        RedisError(kind: .unexpectedReply, address: url.address, detail: what)
    }

    private func connectError(_ failure: HiredisFailure) -> RedisError {
        if failure.isTimeout {
            return RedisError(kind: .timeout, address: url.address, detail: "connect timed out after \(Self.seconds(connectTimeout))")
        }
        let detail: String
        if failure.isErrno(ECONNREFUSED) {
            detail = "connection refused"
        } else if failure.isErrno(ENOENT) {
            detail = "no such socket"
        } else {
            detail = "cannot connect: \(Self.lowercasedFirst(failure.text))"
        }
        return RedisError(kind: .connect, address: url.address, detail: detail)
    }

    func ioError(_ failure: HiredisFailure, command: String?) -> RedisError {
        if failure.isTimeout {
            return RedisError(
                kind: .timeout, address: url.address,
                detail: "no reply within \(Self.seconds(commandTimeout))", command: command)
        }
        switch failure.code {
        case REDIS_ERR_PROTOCOL:
            return RedisError(kind: .protocolError, address: url.address, detail: "protocol error: \(failure.text)", command: command)
        case REDIS_ERR_EOF:
            return RedisError(kind: .io, address: url.address, detail: "server closed the connection", command: command)
        default:
            return RedisError(
                kind: .io, address: url.address,
                detail: "connection lost: \(Self.lowercasedFirst(failure.text))", command: command)
        }
    }

    /// Servers echo arguments in some errors (`unknown command …, with args beginning
    /// with: …`); whatever they echo, the password does not reach a message.
    private func scrubbed(_ message: String) -> String {
        guard let password = url.password, !password.isEmpty else { return message }
        return message.replacing(password, with: "***")
    }

    // MARK: helpers

    private static func timeval(_ seconds: Double) -> Glibc.timeval {
        let whole = seconds.rounded(.down)
        return Glibc.timeval(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1_000_000))
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first, first.isUppercase,
              text.dropFirst().first.map({ !$0.isUppercase }) ?? true
        else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
