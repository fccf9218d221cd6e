import Testing
import Marketplace
import Postgres
import Schema
import Support
import TestSupport

@Suite struct AuditLogTests {
    @Test func appendsARowWithJSONDetailsStoredAsGiven() throws {
        try TestDatabase.with(prefix: "mkttest_audit") { db in
            let connection = try db.connect()
            try Migrator(connection).migrate()
            let details = JSONValue.object([("name", .string("O'Brien; DROP TABLE users; -- ü")), ("rate", .string("0.1250"))])
            let id = try connection.transaction { tx in
                try AuditLog.append(AuditEntry(actor: "ops", command: "orgs update", target: .org(7), details: details), on: tx)
            }
            let row = try connection.query("SELECT actor, command, target, details::text AS details FROM audit_log WHERE id = $1", [id])[0]
            #expect(row.string("actor") == "ops")
            #expect(row.string("target") == "org:7")
            #expect(try JSONParser.parse(row.string("details")!)["name"] == .string("O'Brien; DROP TABLE users; -- ü"))
        }
    }
}
