import Postgres
import Support
import Testing

@Suite struct StreamTests {
    struct Enough: Error {}

    /// 200,000 rows of ~200 bytes (40 MB) are far more than socket buffers hold, so the
    /// server can only still be running the statement when the first row arrives —
    /// which is what single-row mode is for.
    @Test func rowsArriveWhileTheStatementRuns() throws {
        try withDatabase { database, db in
            let watcher = try database.connect()
            defer { watcher.close() }
            let pid = db.processID
            var count = 0
            var sum: Int64 = 0
            var stateAtFirstRow: String?
            try db.stream("select g, repeat('x', 200) as pad from generate_series(1, $1) g", [200_000]) { row in
                if count == 0 {
                    stateAtFirstRow = try watcher.query("select state from pg_stat_activity where pid = $1", [pid]).first?.string(0)
                }
                count += 1
                sum += try row.requiredInt64("g")
                #expect(row.string("pad")?.utf8.count == 200)
            }
            #expect(count == 200_000)
            #expect(sum == 200_000 * 200_001 / 2)
            #expect(stateAtFirstRow == "active")
            #expect(try watcher.query("select state from pg_stat_activity where pid = $1", [pid]).first?.string(0) == "idle")
        }
    }

    @Test func throwingFromTheCallbackStopsTheStream() throws {
        try withDatabase { _, db throws in
            var seen = 0
            #expect(throws: Enough.self) {
                try db.stream("select g from generate_series(1, 10000000) g") { _ in
                    seen += 1
                    if seen == 10 { throw Enough() }
                }
            }
            #expect(seen == 10)
            #expect(try db.query("select 42")[0].int(0) == 42)
            #expect(!db.canceller.wasRequested)
        }
    }

    @Test func errorPartWayThroughIsReportedAfterTheRowsBeforeIt() throws {
        try withDatabase { _, db in
            var seen = 0
            let error = try #require(throws: PostgresError.self) {
                try db.stream("select 1 / (1000 - g) from generate_series(1, 2000) g") { _ in seen += 1 }
            }
            #expect(error.sqlState == "22012")
            #expect(seen == 999)
            #expect(try db.query("select 1").count == 1)
        }
    }
}
