import Foundation
import Postgres
import Support
import Testing

@Suite struct QueryTests {
    static let awkwardStrings = [
        "it's", "semi;colon", "'; drop table texts; --", "\"double\" quotes", #"back\slash \\ and \N"#,
        "emoji 👩‍👩‍👧 family", "e\u{301} combining vs \u{e9}", "עברית RTL", "tab\there\nnew line\r\nCRLF",
        "$1 not a placeholder", "", " leading and trailing ", "{a,b}", "NULL",
    ]

    @Test func parametersArriveExactly() throws {
        try withDatabase { _, db in
            try db.execute("create table texts (id int primary key, body text)")
            for (id, text) in Self.awkwardStrings.enumerated() {
                try db.execute("insert into texts (id, body) values ($1, $2)", [id, text])
            }
            let rows = try db.query("select id, body, octet_length(body) as bytes from texts order by id")
            #expect(rows.count == Self.awkwardStrings.count)
            for row in rows {
                let expected = Self.awkwardStrings[try row.requiredInt("id")]
                // Byte comparison: Swift's == would call canonically equivalent strings equal.
                #expect(Array(try row.requiredString("body").utf8) == Array(expected.utf8))
                #expect(row.int("bytes") == expected.utf8.count)
            }
            #expect(try db.query("select count(*) from texts").first?.int(0) == Self.awkwardStrings.count)
        }
    }

    @Test func nulByteInParameterIsRefused() throws {
        try withDatabase { _, db in
            let error = try #require(throws: WWError.self) { try db.query("select $1::text", ["a\u{0}b"]) }
            #expect(error.category == .dataError)
            #expect(error.message.contains("$1"))
            #expect(try db.query("select 1").count == 1)
        }
    }

    @Test func nullsInAndOut() throws {
        try withDatabase { _, db in
            try db.execute("create table maybe (id int, note text, amount numeric(14,2))")
            let none: String? = nil
            let some: String? = "x"
            try db.execute("insert into maybe values ($1, $2, $3)", [1, none, nil])
            try db.execute("insert into maybe values ($1, $2, $3)", [2, some, PostgresValue.null])
            let rows = try db.query("select id, note, amount from maybe order by id")
            #expect(rows[0].isNull("note"))
            #expect(rows[0].string("note") == nil)
            #expect(rows[0].decimal("amount") == nil)
            #expect(rows[1].string(1) == "x")
            #expect(rows[1].isNull(2))
            #expect(!rows[1].isNull("id"))
            let missing = try #require(throws: WWError.self) { try rows[0].requiredString("note") }
            #expect(missing.message.contains("note") && missing.message.contains("NULL"))
            // [String?] as a whole parameter list.
            let values: [String?] = ["3", nil, "1.50"]
            try db.execute("insert into maybe values ($1::int, $2, $3::numeric)", values)
            #expect(try db.query("select amount from maybe where id = 3").first?.decimal(0) == ExactDecimal("1.5"))
        }
    }

    @Test func numericIsExact() throws {
        try withDatabase { _, db in
            let sum = try db.query("select $1::numeric + $2::numeric as total", [ExactDecimal("0.10")!, ExactDecimal("0.20")!])
            #expect(sum[0].string("total") == "0.30")
            #expect(try sum[0].requiredDecimal("total") == ExactDecimal("0.30")!)

            try db.execute("create table money (id int primary key, amount numeric(14,2) not null)")
            let swiftSum = ExactDecimal("0.10")! + ExactDecimal("0.20")!
            try db.execute("insert into money values (1, $1), (2, $2)", [swiftSum, ExactDecimal("9999999999.99")!])
            let rows = try db.query("select amount from money order by id")
            #expect(rows[0].string(0) == "0.30")
            #expect(try rows[0].requiredDecimal(0).description == "0.30")
            #expect(try rows[1].requiredDecimal(0).description == "9999999999.99")

            let tenths = try db.query("select sum(0.1) from generate_series(1, 1000)")
            #expect(tenths[0].decimal(0) == ExactDecimal(100))
            #expect(tenths[0].decimal(0)?.description == "100.0")

            let overflow = try #require(throws: PostgresError.self) {
                // NUMERIC(14,2) holds 12 digits before the point.
                try db.execute("insert into money values (3, $1)", [ExactDecimal("1000000000000.00")!])
            }
            #expect(overflow.sqlState == "22003")
            #expect(overflow.category == .dataError)
        }
    }

    @Test func typedParametersAndAccessors() throws {
        try withDatabase { _, db in
            let row = try db.query(
                "select $1 + 1 as big, $2 + 1 as small, not $3 as flipped, $4 as word, pg_typeof($1)::text as t1, pg_typeof($2)::text as t2",
                [Int(9_000_000_000), Int32(41), true, "w"])[0]
            #expect(row.int64("big") == 9_000_000_001)
            #expect(row.int32("small") == 42)
            #expect(row.bool("flipped") == false)
            #expect(row.string("word") == "w")
            #expect(row.string("t1") == "bigint")
            #expect(row.string("t2") == "integer")
            #expect(row.int32("big") == nil)  // does not fit
            #expect(row.int("word") == nil)
            #expect(row.string("no_such_column") == nil)
            #expect(throws: WWError.self) { try row.requiredInt("word") }
            #expect(throws: WWError.self) { try row.requiredString("no_such_column") }
        }
    }

    @Test func arraysBindAndReadBack() throws {
        try withDatabase { _, db in
            let strings = ["plain", "with space", "quote\"d", #"back\slash"#, "{brace}", "comma,", "NULL", ""]
            let echoed = try db.query("select array_agg(x order by o) as xs from unnest($1::text[]) with ordinality as u(x, o)", [strings])
            #expect(echoed[0].stringArray("xs") == strings)
            let ids: [Int64] = [3, 1, 2]
            let picked = try db.query("select g from generate_series(1, 5) g where g = any($1) order by g", [ids])
            #expect(picked.map { $0.int(0) } == [1, 2, 3])
            let sorted = try db.query("select array(select unnest($1::int8[]) order by 1) as s", [ids])
            #expect(sorted[0].int64Array("s") == [1, 2, 3])
            let withNull = try db.query("select $1::text[] as a", [[Optional("a"), nil]])
            #expect(withNull[0].arrayElements("a") == ["a", nil])
            #expect(withNull[0].stringArray("a") == nil)
            #expect(try db.query("select '{}'::text[]")[0].stringArray(0) == [])
        }
    }

    @Test func timestampsAreUTCAndJavaScriptShaped() throws {
        try withDatabase { database, admin in
            // The database's own default must not leak into the session.
            try admin.execute("alter database " + PostgresIdentifier.quoted(database.name) + " set timezone = 'Asia/Kolkata'")
            let db = try database.connect()
            defer { db.close() }
            #expect(try db.query("show timezone")[0].string(0) == "UTC")
            let row = try db.query("select '2026-01-02 03:04:05.678999+00'::timestamptz as t, 'infinity'::timestamptz as inf, date '2026-03-04' as d")[0]
            #expect(row.string("t") == "2026-01-02 03:04:05.678999+00")
            #expect(row.isoTimestamp("t") == "2026-01-02T03:04:05.678Z")
            #expect(row.microseconds("t") == 1_767_323_045_678_999)
            #expect(row.isoTimestamp("d") == "2026-03-04T00:00:00.000Z")
            #expect(row.isoTimestamp("inf") == nil)
            #expect(throws: WWError.self) { try row.requiredIsoTimestamp("inf") }

            let instant = Date(timeIntervalSince1970: 1_767_323_045.678999)
            let echoed = try db.query("select $1 as t, $1 = '2026-01-02 03:04:05.678999+00'::timestamptz as same", [instant])[0]
            #expect(echoed.bool("same") == true)
            let back = try #require(echoed.date("t"))
            #expect(abs(back.timeIntervalSince(instant)) < 0.000_001)
        }
    }

    @Test func resultDescribesItself() throws {
        try withDatabase { _, db in
            try db.execute("create table items (id int primary key, name text)")
            #expect(try db.execute("insert into items select g, 'n' || g from generate_series(1, 5) g") == 5)
            let updated = try db.query("update items set name = upper(name) where id > $1", [3])
            #expect(updated.affectedRows == 2)
            #expect(updated.commandTag == "UPDATE 2")
            let rows = try db.query("select id, name as \"Display Name\" from items order by id")
            #expect(rows.columns == ["id", "Display Name"])
            #expect(rows.columnTypes == [PostgresOID.int4, PostgresOID.text])
            #expect(rows.count == 5)
            #expect(rows.map { $0.string("Display Name") ?? "" } == ["n1", "n2", "n3", "N4", "N5"])
            #expect(rows.affectedRows == 5)
            #expect(try db.query("select 1 where false").isEmpty)
        }
    }

    @Test func serverErrorsCarrySQLState() throws {
        try withDatabase { database, db in
            try db.execute("create table orgs (id int primary key, slug text unique, rate numeric check (rate between 0 and 1))")
            try db.execute("create table members (org_id int references orgs(id))")
            try db.execute("insert into orgs values (1, 'acme', 0.1)")
            let unique = try #require(throws: PostgresError.self) {
                try db.execute("insert into orgs values ($1, $2, $3)", [2, "acme", ExactDecimal("0.2")!])
            }
            #expect(unique.sqlState == "23505")
            #expect(unique.isUniqueViolation)
            #expect(unique.category == .dataError)
            #expect(unique.constraint == "orgs_slug_key")
            #expect(unique.message.hasPrefix("postgres 127.0.0.1:5491/\(database.name): duplicate key value violates unique constraint"))
            #expect(unique.message.hasSuffix("(SQLSTATE 23505)"))
            #expect(!unique.message.contains("\n"))
            #expect(unique.detail?.contains("acme") == true)

            let check = try #require(throws: PostgresError.self) {
                try db.execute("insert into orgs values ($1, $2, $3)", [3, "beta", ExactDecimal("1.5")!])
            }
            #expect(check.sqlState == "23514")
            #expect(check.isCheckViolation)
            #expect(check.category == .dataError)

            let foreign = try #require(throws: PostgresError.self) {
                try db.execute("insert into members values ($1)", [99])
            }
            #expect(foreign.isForeignKeyViolation)

            let syntax = try #require(throws: PostgresError.self) { try db.execute("selec 1") }
            #expect(syntax.sqlState == "42601")
            #expect(syntax.category == .internalError)

            // Two statements in one string are refused by the extended protocol.
            let two = try #require(throws: PostgresError.self) { try db.execute("select 1; select 2") }
            #expect(two.sqlState == "42601")
            // And the connection is fine afterwards.
            #expect(try db.query("select 1")[0].int(0) == 1)
        }
    }

    @Test func queryRefusesCopy() throws {
        try withDatabase { _, db in
            try db.execute("create table t (x int)")
            #expect(throws: WWError.self) { try db.query("copy t from stdin") }
            #expect(throws: WWError.self) { try db.query("copy (select 1) to stdout") }
            #expect(try db.query("select count(*) from t")[0].int(0) == 0)
        }
    }
}
