import Foundation
import Postgres
import Support
import Testing
import TestSupport

@Suite struct TransactionTests {
    struct Abandon: Error {}

    @Test func failedStatementRollsTheTransactionBack() throws {
        try withDatabase { _, db in
            try db.execute("create table orgs (id int primary key, name text)")
            try db.execute("insert into orgs values (1, 'first')")
            let error = try #require(throws: PostgresError.self) {
                try db.transaction { tx in
                    try tx.execute("insert into orgs values ($1, $2)", [2, "second"])
                    try tx.execute("insert into orgs values ($1, $2)", [1, "duplicate"])
                }
            }
            #expect(error.isUniqueViolation)
            #expect(try db.query("select count(*) from orgs where id = 2")[0].int(0) == 0)
            // The connection left the failed transaction behind.
            #expect(try db.execute("insert into orgs values ($1, $2)", [3, "third"]) == 1)
        }
    }

    @Test func swiftErrorRollsBackAndSuccessCommits() throws {
        try withDatabase { _, db in
            try db.execute("create table t (x int)")
            #expect(throws: Abandon.self) {
                try db.transaction { tx in
                    try tx.execute("insert into t values (1)")
                    throw Abandon()
                }
            }
            let inserted = try db.transaction(isolation: .repeatableRead) { tx in
                try tx.execute("insert into t values (2), (3)")
            }
            #expect(inserted == 2)
            #expect(try db.query("select array_agg(x order by x) from t")[0].int64Array(0) == [2, 3])
        }
    }

    @Test func swallowedErrorMakesCommitFail() throws {
        try withDatabase { _, db in
            try db.execute("create table t (x int primary key)")
            let error = try #require(throws: PostgresError.self) {
                try db.transaction { tx in
                    try tx.execute("insert into t values (1)")
                    _ = try? tx.execute("insert into t values (1)")
                }
            }
            #expect(error.sqlState == "25P02")
            #expect(try db.query("select count(*) from t")[0].int(0) == 0)
        }
    }

    @Test func nestedTransactionsAreSavepoints() throws {
        try withDatabase { _, db in
            try db.execute("create table t (x text)")
            try db.transaction { tx in
                try tx.execute("insert into t values ('outer before')")
                #expect(throws: PostgresError.self) {
                    try tx.transaction { inner in
                        try inner.execute("insert into t values ('inner')")
                        try inner.execute("insert into t values (1/0)")
                    }
                }
                try tx.transaction { inner in
                    try inner.execute("insert into t values ('inner kept')")
                }
                try tx.execute("insert into t values ('outer after')")
            }
            let values = try db.query("select x from t order by x").map { $0.string(0) }
            #expect(values == ["inner kept", "outer after", "outer before"])
        }
    }

    @Test func readOnlyTransactionRefusesWrites() throws {
        try withDatabase { _, db in
            try db.execute("create table t (x int)")
            let error = try #require(throws: PostgresError.self) {
                try db.transaction(readOnly: true) { tx in try tx.execute("insert into t values (1)") }
            }
            #expect(error.sqlState == "25006")
        }
    }

    /// Two serializable transactions each read both doctors, then take one off call:
    /// write skew, which PostgreSQL resolves by failing one with 40001. Run again by
    /// withRetry, the loser sees the other's commit and leaves its doctor on call.
    @Test func serializationFailureIsRetried() throws {
        try withDatabase { database, db in
            try db.execute("create table doctors (id int primary key, on_call bool not null)")
            try db.execute("insert into doctors values (1, true), (2, true)")
            let barrier = Barrier(parties: 2)
            let attempts = Locked([Int: Int]())
            let failures = Locked([String]())
            let bodies: [@Sendable () -> Void] = [1, 2].map { doctor in
                {
                    do {
                        let connection = try database.connect()
                        defer { connection.close() }
                        try connection.withRetry {
                            let attempt = attempts.withLock { counts in
                                counts[doctor, default: 0] += 1
                                return counts[doctor]!
                            }
                            try connection.transaction(isolation: .serializable) { tx in
                                let onCall = try tx.query("select count(*) from doctors where on_call")[0].requiredInt(0)
                                if attempt == 1 { barrier.arriveAndWait() }
                                if onCall >= 2 {
                                    try tx.execute("update doctors set on_call = false where id = $1", [doctor])
                                }
                            }
                        }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
            runOnThreads(bodies)
            #expect(failures.current == [])
            let counts = attempts.current
            #expect(counts.values.reduce(0, +) >= 3)
            #expect(counts.values.contains { $0 >= 2 })
            #expect(try db.query("select count(*) from doctors where on_call")[0].int(0) == 1)
        }
    }

    @Test func withRetryGivesUpAfterMaxAttempts() throws {
        try withDatabase { _, db in
            var runs = 0
            let error = try #require(throws: PostgresError.self) {
                try db.withRetry(maxAttempts: 3) {
                    runs += 1
                    // A real 40001 from the server, raised on demand.
                    try db.execute("do $$ begin raise exception using errcode = 'serialization_failure', message = 'conflict'; end $$")
                }
            }
            #expect(runs == 3)
            #expect(error.isRetryable)
            #expect(error.category == .temporaryFailure)
            runs = 0
            #expect(throws: PostgresError.self) {
                try db.withRetry { runs += 1; try db.execute("selec 1") }
            }
            #expect(runs == 1)
        }
    }

    @Test func lostConnectionInsideTransactionIsNotPapered() throws {
        try withDatabase { database, db in
            try db.execute("create table t (x int)")
            let killer = try database.connect()
            defer { killer.close() }
            let error = try #require(throws: PostgresError.self) {
                try db.transaction { tx in
                    try tx.execute("insert into t values (1)")
                    try killer.execute("select pg_terminate_backend($1, 10000)", [tx.processID])
                    do {
                        try tx.execute("insert into t values (2)")
                    } catch {
                        // Carrying on after the loss must not run outside the transaction.
                        try tx.execute("insert into t values (3)")
                    }
                }
            }
            #expect(error.category == .unavailable)
            #expect(try db.query("select count(*) from t")[0].int(0) == 0)
        }
    }
}
