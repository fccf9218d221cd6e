import CLibpq
import Glibc
import Support

/// What `--timeout` means for PostgreSQL: each round trip with the server is bounded.
///
/// - A lock wait ends after `seconds` (`lock_timeout`): exit 75, naming the lock.
/// - The server cancels a statement after `seconds` + 1 (`statement_timeout`; the extra
///   second lets a lock wait be reported as one, since the earlier of the two timeouts is
///   the one PostgreSQL reports).
/// - wwctl itself stops waiting for an answer after `seconds` + 2 without one and closes
///   the connection: a server that is frozen (SIGSTOP, a hung VM) or cut off by the
///   network answers no cancel and enforces no timeout of its own, and TCP keepalives do
///   not help either (the server's kernel keeps acknowledging). libpq reads in
///   non-blocking mode while wwctl polls its socket with that deadline.
/// - Connecting is bounded by libpq's `connect_timeout` (at least 2 s, libpq's floor).
///
/// Bulk statements (COPY, migrations, seeding) may run long on purpose: inside `bulk`,
/// `statement_timeout` is lifted, and a silence longer than the deadline is allowed as long
/// as the server still answers a ping (`PQpingParams`, a connection attempt of its own
/// bounded by `connect_timeout`); a frozen server answers none and is abandoned.
public struct PostgresDeadline: Sendable, Equatable {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    var lockTimeoutMilliseconds: Int { PostgresConnection.milliseconds(seconds) }
    var statementTimeoutMilliseconds: Int { PostgresConnection.milliseconds(seconds + 1) }
    /// How long wwctl waits for the next bytes of an answer.
    var silence: Double { seconds + 2 }
}

extension PostgresConnection {
    /// Runs `body` with `statement_timeout` lifted (COPY, DDL, seeding), the lock timeout and
    /// the liveness check kept. Nested calls lift it once.
    public func bulk<T>(_ body: () throws -> T) throws -> T {
        guard let deadline, bulkDepth == 0 else { return try body() }
        try setSessionTimeout("statement_timeout", milliseconds: 0)
        bulkDepth += 1
        defer {
            bulkDepth -= 1
            // Inside a transaction that failed, the rollback puts the old value back.
            try? setSessionTimeout("statement_timeout", milliseconds: deadline.statementTimeoutMilliseconds)
        }
        return try body()
    }

    func setSessionTimeout(_ name: String, milliseconds: Int) throws {
        let conn = try ready()
        _ = try run(conn, "select set_config($1, $2, false)", [name, String(milliseconds)])
    }

    /// The next result of the statement in flight, waiting for it within the deadline; nil
    /// when the statement has no more.
    func nextResult(_ conn: OpaquePointer) throws(PostgresError) -> OpaquePointer? {
        while pq.isBusy(conn) == 1 {
            try awaitInput(conn)
        }
        return pq.getResult(conn)
    }

    /// Waits until the server has sent something and libpq has read it. Without a
    /// deadline it waits as libpq would.
    func awaitInput(_ conn: OpaquePointer) throws(PostgresError) {
        let fd = pq.socket(conn)
        guard fd >= 0 else { throw connectionError(conn) }
        var waitedSince = Monotonic.now()
        while true {
            let limit = deadline.map { waitedSince + $0.silence - Monotonic.now() }
            if let limit, limit <= 0 {
                // A bulk statement may be silent for long; a server that answers a ping is at work.
                if bulkDepth > 0, serverAnswersPing() {
                    waitedSince = Monotonic.now()
                    continue
                }
                throw abandon(conn, afterSilenceOf: deadline!.silence)
            }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, limit.map { Int32(min(($0 * 1000).rounded(.up), 60_000)) } ?? -1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw connectionError(conn)
            }
            if ready == 0 { continue }
            guard pq.consumeInput(conn) == 1 else { throw connectionError(conn) }
            return
        }
    }

    /// Whether the server accepts a new connection within the connect timeout.
    private func serverAnswersPing() -> Bool {
        var keywords = ["connect_timeout"]
        var values = [String(connectTimeout)]
        if let conninfo = target.urlOrConninfo {
            keywords.insert("dbname", at: 0)
            values.insert(conninfo, at: 0)
        }
        let answer = withCStringArray(keywords) { keys in
            withCStringArray(values) { values in pq.pingParams(keys, values, 1) }
        }
        return answer == PQPING_OK
    }

    /// Gives up on a server that did not answer: the socket is shut down, so libpq marks
    /// the connection broken (the server rolls back whatever was in flight when it
    /// notices) and the next statement outside a transaction connects again.
    private func abandon(_ conn: OpaquePointer, afterSilenceOf seconds: Double) -> PostgresError {
        let inTransaction = transactionDepth > 0
        Glibc.shutdown(pq.socket(conn), Int32(SHUT_RDWR))
        _ = pq.consumeInput(conn)
        return PostgresError(
            sqlState: nil,
            primary: "no answer within \(Self.secondsText(seconds)) s (--timeout \(Self.secondsText(deadline?.seconds ?? 0)) + 2); "
                + "gave up on the connection" + (inTransaction ? ", its transaction uncommitted" : "")
                + " (is the server stopped, frozen or unreachable?)",
            address: address, category: .unavailable)
    }

    static func secondsText(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
