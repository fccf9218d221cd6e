import CHiredis
import Glibc
import Support

/// A blocking connection to one Redis server, owning its transport (`RedisWire`).
///
/// - Connecting happens in `init`: TCP or unix socket, the TLS handshake when the URL asks
///   for TLS, then `AUTH` (with the ACL user when the URL names one) and `SELECT` of the
///   URL's database, all within one deadline of `connectTimeout`.
/// - Each round trip has a deadline of `commandTimeout` as a whole: a command from its
///   first byte written to the last byte of its reply, a pipelined batch from its first
///   command to its last reply. A server trickling bytes cannot stretch it.
/// - After any I/O or protocol failure the transport is dropped at once and the failure
///   thrown. The next call connects afresh (AUTH and SELECT again); the failed command is
///   never re-sent, since it may have run.
/// - Before each command, an idle connection the server has closed (CLIENT KILL, idle
///   `timeout`, restart) is noticed and replaced, so that command goes out on a new
///   connection instead of failing.
/// - With a resolver (a Sentinel-managed primary, see `RedisTopology`), every connect asks
///   it where the server is now, and a failure mid-command asks once more and says in the
///   error whether a failover moved the primary.
///
/// Single owner: one thread or task uses a connection at a time. It is `Sendable` only
/// so that it can be handed to a worker thread (producer/consumer warming); sharing one
/// between threads that use it concurrently is a bug.
public final class RedisConnection: RedisCommandRunner, @unchecked Sendable {
    /// The server connected to (with a resolver: the one found at the last connect).
    public private(set) var url: RedisURL
    public let connectTimeout: Double
    public let commandTimeout: Double
    /// How many connections have been opened so far: 1 after `init`, one more per reconnect.
    public private(set) var connectionsOpened = 0

    let resolver: (any RedisNodeResolver)?
    private var wire: RedisWire?
    /// Replies of commands a `RedisStream` sent ahead and has not received yet. While any
    /// are pending every other use of the connection is refused: it would read them.
    var streamedRepliesPending = 0

    /// Timeouts are in seconds, more than 0 and at most a day.
    public convenience init(url: RedisURL, connectTimeout: Double = 5, commandTimeout: Double = 5) throws {
        try self.init(url: url, resolver: nil, connectTimeout: connectTimeout, commandTimeout: commandTimeout)
    }

    public convenience init(_ text: String, connectTimeout: Double = 5, commandTimeout: Double = 5) throws {
        try self.init(url: RedisURL(parsing: text), connectTimeout: connectTimeout, commandTimeout: commandTimeout)
    }

    init(url: RedisURL, resolver: (any RedisNodeResolver)?, connectTimeout: Double, commandTimeout: Double) throws {
        for (name, value) in [("connect", connectTimeout), ("command", commandTimeout)] {
            guard value.isFinite, value > 0, value <= 86_400 else {
                throw WWError.usage("redis \(url.address): \(name) timeout must be more than 0 and at most 86400 seconds")
            }
        }
        self.url = url
        self.resolver = resolver
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        _ = try liveWire()
    }

    public var address: String { url.address }

    /// Whether a connection is open now (false after `close()` or a failure, until the next call).
    public var isConnected: Bool { wire != nil }

    /// The TLS protocol and cipher of the open connection; nil when it is plain or closed.
    public var tlsStatus: RedisTLSStatus? {
        guard let session = wire?.transport.tls else { return nil }
        return RedisTLSStatus(protocolVersion: session.protocolVersion ?? "?", cipher: session.cipher ?? "?")
    }

    /// Releases the socket now. A later call opens a new connection.
    public func close() {
        wire = nil
        streamedRepliesPending = 0
    }

    @discardableResult
    public func command(_ args: [any RedisArgument]) throws -> RedisReply {
        try command(args, deadline: Deadline(after: commandTimeout))
    }

    /// `command`, abandoned at once on Ctrl-C (`Interrupt`) while it waits: the connection,
    /// out of step with a reply still to come, is closed, the next command opens another,
    /// and `WWError.interrupted` is thrown. For a command an operator typed, which may
    /// block on the server (`BLPOP x 0`, `WAIT`, `XREAD BLOCK`).
    @discardableResult
    public func interruptibleCommand(_ args: [any RedisArgument]) throws -> RedisReply {
        try command(args, deadline: Deadline(after: commandTimeout, interruptible: true))
    }

    private func command(_ args: [any RedisArgument], deadline: Deadline) throws -> RedisReply {
        let command = try validated(args)
        let wire = try liveWire()
        let reply = try exchange(command, on: wire, deadline: deadline)
        if case .error(let message) = reply {
            var error = serverError(message, command: command.name)
            if error.serverErrorCode == "READONLY", let resolver {
                // A primary demoted by a failover: the next command must find the new one.
                discard(wire)
                error = error.adding(resolver.noteAfterFailure(of: url))
            }
            throw error
        }
        return reply
    }

    public func pipeline(_ commands: [[any RedisArgument]]) throws -> [RedisReply] {
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        try pipelined(commands) { _, reply in replies.append(reply) }
        return replies
    }

    // MARK: connection life cycle

    /// The open wire, opening one if there is none or the server closed the idle one.
    func liveWire() throws -> RedisWire {
        guard streamedRepliesPending == 0 else {
            throw RedisError(
                kind: .invalidRequest, address: url.address,
                detail: "\(streamedRepliesPending) replies of commands sent ahead are still pending on this connection")
        }
        if let wire {
            if !wire.isClosedWhileIdle { return wire }
            self.wire = nil
        }
        let opened = try open()
        wire = opened
        connectionsOpened += 1
        return opened
    }

    /// Whether `wire` is still the one this connection uses (not closed or replaced).
    func isCurrent(_ wire: RedisWire) -> Bool { self.wire === wire }

    /// Forgets `failed` if it is still the current wire, so it is freed and never reused.
    func discard(_ failed: RedisWire) {
        if wire === failed {
            wire = nil
            streamedRepliesPending = 0
        }
    }

    private func open() throws -> RedisWire {
        let deadline = Deadline(after: connectTimeout)
        if let resolver { url = try resolver.resolve(connectTimeout: connectTimeout, commandTimeout: commandTimeout) }
        let opened: RedisWire
        do {
            let tls = try url.tls.map { options throws(WWError) in try TLSContext.shared(for: options) }
            opened = try RedisWire(transport: RedisTransport.open(url.endpoint, tls: tls, deadline: deadline))
        } catch let failure as TransportFailure {
            throw connectError(failure)
        }
        if let password = url.password {
            var auth: [any RedisArgument] = ["AUTH"]
            if let username = url.username { auth.append(username) }
            auth.append(password)
            if case .error(let message) = try exchange(CommandVector(auth), on: opened, deadline: deadline, connecting: true) {
                let who = url.username.map { " for user '\($0)'" } ?? ""
                throw RedisError(
                    kind: .authentication, address: url.address,
                    detail: "authentication failed\(who): \(scrubbed(message))",
                    serverMessage: scrubbed(message), command: "AUTH")
            }
        }
        if url.database != 0 {
            let select = CommandVector(["SELECT", url.database])
            if case .error(let message) = try exchange(select, on: opened, deadline: deadline, connecting: true) {
                throw serverError(message, command: select.name)
            }
        }
        if let resolver, resolver.requiresPrimary {
            try requirePrimary(on: opened, deadline: deadline, resolver: resolver)
        }
        return opened
    }

    /// A Sentinel-resolved server must say it is the primary: right after a failover the
    /// sentinels may still name a server that has just been demoted.
    private func requirePrimary(on wire: RedisWire, deadline: Deadline, resolver: any RedisNodeResolver) throws {
        let reply = try exchange(CommandVector(["ROLE"]), on: wire, deadline: deadline, connecting: true)
        // A user without ROLE (an @admin command) cannot check; the sentinels' word stands.
        if case .error = reply { return }
        guard case .array(let parts) = reply, let role = parts.first?.string else {
            throw unexpectedReply("ROLE did not answer with a role")
        }
        guard role == "master" else {
            throw RedisError(
                kind: .connect, address: url.address,
                detail: "not the primary (ROLE says \(role)); \(resolver.noteAfterFailure(of: url))")
        }
    }

    // MARK: exchanging commands

    func validated(_ args: [any RedisArgument]) throws -> CommandVector {
        guard !args.isEmpty else {
            throw RedisError(kind: .invalidRequest, address: url.address, detail: "empty command")
        }
        return CommandVector(args)
    }

    private func exchange(_ command: CommandVector, on wire: RedisWire, deadline: Deadline, connecting: Bool = false) throws -> RedisReply {
        do {
            return try decode(wire.roundTrip(command, deadline: deadline), on: wire)
        } catch let failure as TransportFailure {
            discard(wire)
            if deadline.wasInterrupted { throw WWError.interrupted }
            if connecting { throw connectError(failure, during: command.name).adding(tlsPortHint(failure, on: wire)) }
            throw failed(failure, command: command.name, on: wire)
        }
    }

    /// One reply as hiredis read it on `wire`, as a `RedisReply`. A reply of a type RESP2
    /// does not define drops the wire and is thrown; in a pipeline, `position` (the
    /// replies before this one) goes into the message.
    func decode(_ owned: consuming HiredisReply, on wire: RedisWire, position: Int? = nil) throws -> RedisReply {
        if let reply = owned.value { return reply }
        discard(wire)
        let which = position.map { "pipeline reply \($0) has" } ?? "reply of"
        throw RedisError(kind: .protocolError, address: url.address, detail: "\(which) a type RESP2 does not define")
    }

    /// Reads the next reply on `wire` within `deadline`; a failure drops the wire and is
    /// thrown with `position` (replies delivered before) in its message.
    func nextReply(on wire: RedisWire, deadline: Deadline, command: String? = nil, position: Int? = nil) throws -> RedisReply {
        let owned: HiredisReply
        do {
            owned = try wire.nextReply(deadline: deadline)
        } catch {
            discard(wire)
            throw failed(error, command: command, position: position, on: wire)
        }
        return try decode(owned, on: wire, position: position)
    }

    /// The error for a transport failure on an open connection (the wire is already
    /// dropped), with where a pipeline stopped and, behind Sentinel, where the primary is now.
    func failed(_ failure: TransportFailure, command: String?, position: Int? = nil, on wire: RedisWire? = nil) -> RedisError {
        var error = ioError(failure, command: command)
        if let position {
            error = RedisError(kind: error.kind, address: url.address, detail: "\(error.detail) (pipeline, after \(position) replies)")
        }
        if let wire { error = error.adding(tlsPortHint(failure, on: wire)) }
        if let resolver { error = error.adding(resolver.noteAfterFailure(of: url)) }
        return error
    }

    /// A connection dropped before its first reply: a TLS port drops a plain client at its
    /// first command, and (TLS 1.3) a server that requires client certificates drops a
    /// client without one just after the handshake, its alert often lost to the reset.
    private func tlsPortHint(_ failure: TransportFailure, on wire: RedisWire) -> String? {
        guard !wire.hasReceived else { return nil }
        switch failure {
        case .closedByServer, .system: break
        default: return nil
        }
        if wire.transport.tls == nil { return "no reply yet: a TLS port? (use rediss:// or --tls)" }
        if url.tls?.certificateFile == nil {
            return "no reply yet: does the server require a client certificate? (--cert and --key)"
        }
        return nil
    }

    // MARK: errors

    func serverError(_ message: String, command: String?) -> RedisError {
        let clean = scrubbed(message)
        return RedisError(kind: .server, address: url.address, detail: clean, serverMessage: clean, command: command)
    }

    func unexpectedReply(_ what: String) -> RedisError {
        RedisError(kind: .unexpectedReply, address: url.address, detail: what)
    }

    /// The error for a failure while opening the connection. `command` is the step of the
    /// connect that was under way (AUTH, SELECT, ROLE), if it was past the handshake.
    private func connectError(_ failure: TransportFailure, during command: String? = nil) -> RedisError {
        let detail: String
        switch failure {
        case .timedOut(let phase):
            let step = command.map { " (waiting for \($0))" }
                ?? (phase == .handshake ? " during the TLS handshake (is it a TLS port?)" : "")
            return RedisError(
                kind: .timeout, address: url.address,
                detail: "connect timed out after \(Self.seconds(connectTimeout))\(step)\(resolverContext)")
        case .refused: detail = "connection refused"
        case .noSuchSocket: detail = "no such socket"
        case .unresolved(let text): detail = "cannot connect: \(Self.lowercasedFirst(text))"
        case .cannotConnect(let text): detail = "cannot connect: \(Self.lowercasedFirst(text))"
        case .tls(let tls):
            return RedisError(kind: .tls, address: url.address, detail: tls.message + resolverContext)
        case .closedByServer, .system, .protocolError, .outOfMemory:
            return ioError(failure, command: command)
        }
        return RedisError(kind: .connect, address: url.address, detail: detail + resolverContext)
    }

    /// `(primary of 'mymaster' per sentinel 127.0.0.1:26379)`: where a resolved address came from.
    private var resolverContext: String {
        resolver.map { " (\($0.describe(url)))" } ?? ""
    }

    func ioError(_ failure: TransportFailure, command: String?) -> RedisError {
        switch failure {
        case .timedOut(.connecting), .timedOut(.handshake):
            return RedisError(kind: .timeout, address: url.address, detail: "connect timed out after \(Self.seconds(connectTimeout))", command: command)
        case .timedOut:
            return RedisError(
                kind: .timeout, address: url.address,
                detail: "no reply within \(Self.seconds(commandTimeout))", command: command)
        case .protocolError(let text):
            return RedisError(kind: .protocolError, address: url.address, detail: "protocol error: \(text)", command: command)
        case .closedByServer:
            return RedisError(kind: .io, address: url.address, detail: "server closed the connection", command: command)
        case .system(let text):
            return RedisError(kind: .io, address: url.address, detail: "connection lost: \(Self.lowercasedFirst(text))", command: command)
        case .tls(let tls):
            return RedisError(kind: .tls, address: url.address, detail: tls.message, command: command)
        case .outOfMemory:
            return RedisError(kind: .io, address: url.address, detail: "out of memory", command: command)
        case .refused, .noSuchSocket, .unresolved, .cannotConnect:
            return connectError(failure)
        }
    }

    /// Servers echo arguments in some errors (`unknown command …, with args beginning
    /// with: …`); whatever they echo, the password does not reach a message.
    private func scrubbed(_ message: String) -> String {
        guard let password = url.password, !password.isEmpty else { return message }
        return message.replacing(password, with: "***")
    }

    // MARK: helpers

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first, first.isUppercase,
              text.dropFirst().first.map({ !$0.isUppercase }) ?? true
        else { return text }
        return first.lowercased() + text.dropFirst()
    }
}

/// What a TLS connection negotiated, for `ping`.
public struct RedisTLSStatus: Sendable, Equatable, Encodable {
    /// `TLSv1.3`.
    public let protocolVersion: String
    /// `TLS_AES_256_GCM_SHA384`.
    public let cipher: String

    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol"
        case cipher
    }
}
