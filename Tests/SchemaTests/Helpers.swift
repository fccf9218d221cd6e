import Foundation
import Postgres
import Schema
import TestSupport

/// Runs `body` with a fresh, empty `schematest_*` database and a connection to it; drops it after.
func withDatabase<T>(_ body: (TestDatabase, PostgresConnection) throws -> T) throws -> T {
    try TestDatabase.withConnection(prefix: "schematest", body)
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

