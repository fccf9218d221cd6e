import Foundation
@testable import Postgres
import Support
import Testing
import TestSupport

/// `--timeout` as a deadline on every round trip, and well-formed targets (see
/// `PostgresDeadline`, `PostgresTarget.validate`).
@Suite struct DeadlineTests {
    @Test func malformedTargetsAreUsageErrorsBeforeAnyConnection() throws {
        let malformed = [
            "garbage",
            "postgresql://wwctl:s3cret@127.0.0.1:99999/waywise",
            "postgresql://wwctl@127.0.0.1:5491/waywise?sslmode=bogus",
            "host=127.0.0.1 port=5491 sslmode=bogus",
            "host='127.0.0.1 port=5491",
            "host=127.0.0.1 nonsense=1",
            "host=127.0.0.1 port=abc",
            "host=127.0.0.1 connect_timeout=soon",
        ]
        for target in malformed {
            let error = try #require(throws: PostgresError.self, "\(target)") { try PostgresConnection(conninfo: target) }
            #expect(error.category == .usage, "\(target): \(error.message)")
            #expect(error.message.contains("malformed database URL"), "\(target): \(error.message)")
            #expect(!error.message.contains("s3cret"))
        }
        #expect(PostgresTarget.problem(with: "5432,5433", of: "port") == nil)
        #expect(PostgresTarget.problem(with: "verify-full", of: "sslmode") == nil)
    }

    /// A row lock held longer than the timeout ends the wait with a temporary failure that
    /// names the lock.
    @Test func aLockWaitPastTheTimeoutNamesTheLock() throws {
        try withDatabase { database, holder in
            try holder.execute("CREATE TABLE organization_members (id int PRIMARY KEY, role text)")
            try holder.execute("INSERT INTO organization_members VALUES (1, 'staff')")
            try holder.execute("BEGIN")
            try holder.execute("UPDATE organization_members SET role = 'admin' WHERE id = 1")
            defer { _ = try? holder.execute("ROLLBACK") }

            let waiter = try PostgresConnection(conninfo: database.url, deadline: PostgresDeadline(seconds: 1))
            defer { waiter.close() }
            let error = try #require(throws: PostgresError.self) {
                try waiter.execute("UPDATE organization_members SET role = 'owner' WHERE id = 1")
            }
            #expect(error.sqlState == "55P03")
            #expect(error.category == .temporaryFailure)
            #expect(error.message.contains("row lock on organization_members held by another transaction"), "\(error.message)")
            // The connection is still good.
            #expect(try waiter.query("select 1")[0].requiredInt(0) == 1)
        }
    }

    /// A server that does not answer at all (its process stopped: no statement timeout,
    /// no cancel, TCP still acknowledged) is abandoned after the deadline, and the next
    /// statement connects again.
    @Test func aFrozenServerIsAbandonedAndTheNextStatementReconnects() throws {
        let db = try PostgresConnection(conninfo: TestServers.databaseURL, deadline: PostgresDeadline(seconds: 1))
        defer { db.close() }
        let backend = db.processID
        #expect(kill(backend, SIGSTOP) == 0)
        var resumed = false
        defer { if !resumed { kill(backend, SIGCONT) } }
        let error = try #require(throws: PostgresError.self) { try db.query("select 1") }
        kill(backend, SIGCONT)
        resumed = true
        #expect(error.category == .unavailable)
        #expect(error.message.contains("no answer within 3 s"), "\(error.message)")
        #expect(try db.query("select 1")[0].requiredInt(0) == 1)
        #expect(db.processID != backend)
    }

    @Test func aStatementPastTheTimeoutIsCancelledByTheServer() throws {
        let db = try PostgresConnection(conninfo: TestServers.databaseURL, deadline: PostgresDeadline(seconds: 1))
        defer { db.close() }
        let error = try #require(throws: PostgresError.self) { try db.query("select pg_sleep(30)") }
        #expect(error.sqlState == "57014")
        #expect(error.category == .unavailable)
        // In bulk, the statement timeout is lifted (and put back after).
        try db.bulk { _ = try db.query("select pg_sleep(2.1)") }
        #expect(try db.query("select current_setting('statement_timeout')")[0].string(0) == "2s")
        #expect(try db.query("select current_setting('lock_timeout')")[0].string(0) == "1s")
    }
}
