import Foundation
import Postgres

/// A database of its own on the test server, for tests that create tables: created
/// from `template1`, dropped (with any sessions still on it) by `drop()`. Names are `<prefix>_<pid>_<random>`, so concurrent test processes and
/// tests never share one; a prefix names the module (`pgtest`, `schematest`, …).
public struct TestDatabase: Sendable {
    public let name: String
    /// `TestServers.databaseURL` with this database instead of the shared one.
    public let url: String

    public static func create(prefix: String) throws -> TestDatabase {
        precondition(prefix.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") },
                     "a test database prefix is lower-case letters, digits and _")
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let name = "\(prefix)_\(getpid())_\(suffix)"
        let admin = try PostgresConnection(conninfo: TestServers.databaseURL, applicationName: "wwctl-tests")
        defer { admin.close() }
        try admin.execute("CREATE DATABASE " + PostgresIdentifier.quoted(name))
        return TestDatabase(name: name, url: Self.url(replacingDatabaseWith: name))
    }

    /// Drops the database, ending any session still connected to it.
    public func drop() {
        guard let admin = try? PostgresConnection(conninfo: TestServers.databaseURL, applicationName: "wwctl-tests") else { return }
        defer { admin.close() }
        _ = try? admin.execute("DROP DATABASE IF EXISTS " + PostgresIdentifier.quoted(name) + " WITH (FORCE)")
    }

    /// Creates a database, runs `body` with it, and drops it whatever happens.
    public static func with<T>(prefix: String, _ body: (TestDatabase) throws -> T) throws -> T {
        let database = try create(prefix: prefix)
        defer { database.drop() }
        return try body(database)
    }

    /// Creates a database, runs `body` with it and a connection to it, and drops it whatever
    /// happens.
    public static func withConnection<T>(prefix: String, _ body: (TestDatabase, PostgresConnection) throws -> T) throws -> T {
        try with(prefix: prefix) { database in
            let connection = try database.connect()
            defer { connection.close() }
            return try body(database, connection)
        }
    }

    /// Opens a connection to this database.
    public func connect(statementTimeoutSeconds: Double? = nil) throws -> PostgresConnection {
        try PostgresConnection(conninfo: url, applicationName: "wwctl-tests", statementTimeoutSeconds: statementTimeoutSeconds)
    }

    static func url(replacingDatabaseWith name: String) -> String {
        guard var components = URLComponents(string: TestServers.databaseURL) else { return TestServers.databaseURL }
        components.path = "/" + name
        return components.string ?? TestServers.databaseURL
    }
}
