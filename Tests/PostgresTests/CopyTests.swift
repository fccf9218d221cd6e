import Postgres
import Support
import Testing

@Suite struct CopyTests {
    struct Abandon: Error {}

    static let rows: [(Int, String?)] = [
        (1, "plain"), (2, "tab\there"), (3, "new\nline"), (4, "carriage\rreturn\r\n"),
        (5, #"back\slash\\"#), (6, nil), (7, #"\N"#), (8, ""), (9, "\\."), (10, "ünïcødé 🚀"),
        (11, "\u{b}\u{c}\u{8} other controls"),
    ]

    @Test func copyInRoundTripsAwkwardText() throws {
        try withDatabase { _, db in
            try db.execute("create table notes (id int primary key, body text)")
            let stored = try db.copyIn("copy notes (id, body) from stdin") { writer in
                for (id, body) in Self.rows { try writer.write([id, body]) }
                #expect(writer.rows == Self.rows.count)
            }
            #expect(stored == Self.rows.count)
            let back = try db.query("select id, body from notes order by id")
            #expect(back.count == Self.rows.count)
            for (row, (id, body)) in zip(back, Self.rows) {
                #expect(row.int("id") == id)
                #expect(row.string("body").map { Array($0.utf8) } == body.map { Array($0.utf8) }, "row \(id)")
            }
        }
    }

    @Test func copyInSendsManyChunks() throws {
        try withDatabase { _, db in
            try db.execute("create table bulk (id int, body text)")
            let body = String(repeating: "abcdefgh", count: 16)
            let stored = try db.copyIn("copy bulk from stdin") { writer in
                for id in 1...50_000 { try writer.write([id, body]) }  // ~6 MB: several 1 MB chunks
            }
            #expect(stored == 50_000)
            let summary = try db.query("select count(*), sum(id), sum(length(body)) from bulk")[0]
            #expect(summary.int(0) == 50_000)
            #expect(summary.int64(1) == Int64(50_000 * 50_001 / 2))
            #expect(summary.int64(2) == Int64(50_000 * 128))
        }
    }

    @Test func abandonedCopyInStoresNothing() throws {
        try withDatabase { _, db in
            try db.execute("create table t (id int, body text)")
            #expect(throws: Abandon.self) {
                try db.copyIn("copy t from stdin") { writer in
                    for id in 1...30_000 { try writer.write([id, String(repeating: "z", count: 100)]) }
                    throw Abandon()
                }
            }
            #expect(try db.query("select count(*) from t")[0].int(0) == 0)
            let bad = try #require(throws: PostgresError.self) {
                try db.copyIn("copy t from stdin") { writer in try writer.write(["not a number", "x"]) }
            }
            #expect(bad.sqlState == "22P02")
            #expect(bad.category == .dataError)
            #expect(throws: WWError.self) {
                try db.copyIn("copy t from stdin") { writer in try writer.write([1, "nul\u{0}byte"]) }
            }
            #expect(try db.query("select count(*) from t")[0].int(0) == 0)
        }
    }

    @Test func copyOutReturnsTheTextFormat() throws {
        try withDatabase { _, db in
            try db.execute("create table notes (id int primary key, body text)")
            _ = try db.copyIn("copy notes from stdin") { writer in
                for (id, body) in Self.rows { try writer.write([id, body]) }
            }
            var output: [UInt8] = []
            try db.copyOut("copy (select id, body from notes order by id) to stdout") { chunk in
                output.append(contentsOf: chunk)
            }
            let text = String(decoding: output, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == Self.rows.count + 1)
            #expect(lines[1] == "2\ttab\\there")
            #expect(lines[3] == "4\tcarriage\\rreturn\\r\\n")
            #expect(lines[5] == "6\t\\N")
            #expect(lines[6] == "7\t\\\\N")

            // Large output arrives whole, in more than one chunk.
            var chunks = 0
            var bytes = 0
            try db.copyOut("copy (select g, repeat('y', 100) from generate_series(1, 100000) g) to stdout") { chunk in
                chunks += 1
                bytes += chunk.count
            }
            #expect(chunks > 1)
            let expected = (1...100_000).reduce(0) { $0 + String($1).utf8.count + 1 + 100 + 1 }
            #expect(bytes == expected)
        }
    }

    @Test func abandonedCopyOutLeavesAUsableConnection() throws {
        try withDatabase { _, db throws in
            #expect(throws: Abandon.self) {
                try db.copyOut("copy (select g, repeat('y', 100) from generate_series(1, 3000000) g) to stdout") { _ in
                    throw Abandon()
                }
            }
            #expect(try db.query("select 7")[0].int(0) == 7)
        }
    }
}
