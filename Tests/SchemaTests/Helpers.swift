import Foundation
import Postgres
import Schema
import TestSupport

/// Runs `body` with a fresh, empty `schematest_*` database and a connection to it; drops it after.
func withDatabase<T>(_ body: (TestDatabase, PostgresConnection) throws -> T) throws -> T {
    try TestDatabase.with(prefix: "schematest") { database in
        let connection = try database.connect()
        defer { connection.close() }
        return try body(database, connection)
    }
}

/// Like `withDatabase`, with the carried migrations applied.
func withMigratedDatabase<T>(_ body: (TestDatabase, PostgresConnection) throws -> T) throws -> T {
    try withDatabase { database, connection in
        try Migrator(connection).migrate()
        return try body(database, connection)
    }
}

/// md5 of every row of each data table, in id order: equal exactly when the rows are.
func tableChecksums(_ connection: PostgresConnection) throws -> [String: String] {
    var checksums: [String: String] = [:]
    for table in Seeder.dataTables {
        let result = try connection.query(
            "SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY t.id)), '') AS sum FROM \(table) t")
        checksums[table] = result.first?.string("sum") ?? ""
    }
    return checksums
}

func count(_ connection: PostgresConnection, _ sql: String) throws -> Int {
    try connection.query(sql).first?.int(0) ?? -1
}

/// Lets `parties` threads wait for each other; gives up after `timeout` seconds so a
/// broken test fails instead of hanging.
final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0

    init(parties: Int) { self.parties = parties }

    @discardableResult
    func arriveAndWait(timeout: TimeInterval = 60) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= parties {
            condition.broadcast()
            return true
        }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while arrived < parties {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }
}
