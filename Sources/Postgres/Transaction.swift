import CLibpq
import Glibc
import Support

extension PostgresConnection {
    public enum IsolationLevel: Sendable, CaseIterable {
        case readCommitted, repeatableRead, serializable
    }

    /// Runs `body` between `BEGIN` and `COMMIT`; any error thrown inside rolls the
    /// transaction back and is rethrown. A COMMIT the server turns into a rollback
    /// (because a statement failed and `body` swallowed the error) is an error too.
    ///
    /// Called inside another transaction, `body` runs under a savepoint instead (the
    /// isolation level and read-only flag of the outer transaction apply).
    @discardableResult
    public func transaction<T>(
        isolation: IsolationLevel = .readCommitted, readOnly: Bool = false,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        if transactionDepth > 0 { return try savepoint(body) }
        try execute(Self.begin(isolation, readOnly: readOnly))
        // Held through COMMIT: a connection that breaks meanwhile must fail the
        // transaction, not reconnect and report a commit that never happened.
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        let result: PostgresResult
        do {
            result = try query("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        if result.commandTag == "ROLLBACK" {
            throw PostgresError(
                sqlState: "25P02", primary: "transaction was rolled back: a statement in it failed",
                address: address, category: .internalError)
        }
        return value
    }

    /// Runs `body` again while it fails with a serialization failure or deadlock
    /// (`PostgresError.isRetryable`), up to `maxAttempts` runs in all, pausing a few
    /// milliseconds (growing, with jitter) between runs. `body` should be a whole
    /// transaction; inside an enclosing transaction nothing is retried, since the
    /// enclosing one has failed already.
    public func withRetry<T>(maxAttempts: Int = 5, _ body: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch let error as PostgresError where error.isRetryable && attempt < maxAttempts && transactionDepth == 0 {
                let base = min(200, 5 << attempt)
                usleep(UInt32(base + Int.random(in: 0...base)) * 1000)
                attempt += 1
            }
        }
    }

    private func savepoint<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        // PostgreSQL lets a savepoint name be reused; each RELEASE or ROLLBACK TO
        // refers to the innermost one, which is what nesting needs.
        try execute("SAVEPOINT wwctl_nested")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let value = try body(self)
            try execute("RELEASE SAVEPOINT wwctl_nested")
            return value
        } catch {
            if let conn, pq.status(conn) == CONNECTION_OK {
                _ = try? run(conn, "ROLLBACK TO SAVEPOINT wwctl_nested", [])
                _ = try? run(conn, "RELEASE SAVEPOINT wwctl_nested", [])
            }
            throw error
        }
    }

    /// Best effort: the transaction is rolled back by the server anyway when the
    /// connection is gone.
    private func rollbackQuietly() {
        guard let conn, pq.status(conn) == CONNECTION_OK else { return }
        let state = pq.transactionStatus(conn)
        guard state == PQTRANS_INTRANS || state == PQTRANS_INERROR else { return }
        _ = try? run(conn, "ROLLBACK", [])
    }

    static func begin(_ isolation: IsolationLevel, readOnly: Bool) -> String {
        switch (isolation, readOnly) {
        case (.readCommitted, false): "BEGIN ISOLATION LEVEL READ COMMITTED"
        case (.readCommitted, true): "BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY"
        case (.repeatableRead, false): "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case (.repeatableRead, true): "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        case (.serializable, false): "BEGIN ISOLATION LEVEL SERIALIZABLE"
        case (.serializable, true): "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY"
        }
    }
}
