import Keyspace
import Postgres
import Redis
import Support

/// Ids Tab offers for an argument, looked up on the servers and bounded, for the REPL and
/// for the shells' completion (which runs the binary at each Tab): user and org ids from
/// PostgreSQL, by the typed digits over the primary keys' index (`24` → 24, 240…249,
/// 2400…2499, …, the smallest first), at most `limit`; session ids from Redis by a SCAN of
/// `session:{typed}*` that stops after 150 ms. Where the line already names a user or an
/// org, the other is taken from their memberships (`perms check 2415 <Tab>` offers the
/// orgs of user 2415).
enum ArgumentLookup {
    static let limit = 100

    /// Users whose id starts with `typed`; with `org`, its members.
    static func userIds(startingWith typed: String, memberOf org: Int?, on db: PostgresConnection) throws -> [String] {
        guard let org else { return try ids(startingWith: typed, column: "id", from: "users", on: db) }
        return try ids(startingWith: typed, column: "user_id", from: "organization_users", where: "organization_id", is: org, on: db)
    }

    /// Orgs whose id starts with `typed`; with `user`, the user's.
    static func orgIds(startingWith typed: String, ofUser user: Int?, on db: PostgresConnection) throws -> [String] {
        guard let user else { return try ids(startingWith: typed, column: "id", from: "organizations", on: db) }
        return try ids(startingWith: typed, column: "organization_id", from: "organization_users", where: "user_id", is: user, on: db)
    }

    /// Session ids starting with `typed`, by a SCAN bounded in time.
    static func sessionIds(startingWith typed: String, keyspace: BoundKeyspace, on redis: RedisConnection) throws -> RedisLookup.KeyWalk {
        let sessions = "session:"
        var walk = try RedisLookup.walk(redis, startingWith: sessions + typed, under: keyspace.prefix, limits: .init())
        walk.keys = walk.keys.map { String($0.dropFirst(sessions.count)) }.filter { !$0.contains(":") }
        return walk
    }

    /// `column` values of `table` whose decimal form starts with `typed`. The table and
    /// column names are this file's constants, never input; the values are parameters.
    private static func ids(
        startingWith typed: String, column: String, from table: String, where filter: String? = nil, is value: Int? = nil,
        on db: PostgresConnection
    ) throws -> [String] {
        guard typed.allSatisfy(\.isASCII), typed.allSatisfy(\.isNumber), !typed.hasPrefix("0") || typed == "0" else { return [] }
        var conditions: [String] = []
        var parameters: [(any PostgresBindable)?] = []
        if let filter, let value {
            parameters.append(value)
            conditions.append("\(filter) = $1")
        }
        if !typed.isEmpty {
            guard let start = Int64(typed) else { return [] }
            // 24, 240…249, 2400…2499, …: ranges the index answers.
            var ranges: [String] = []
            var low = start
            var width: Int64 = 1
            while low <= Int64.max / 10 && ranges.count < 12 {
                parameters.append(low)
                parameters.append(low + width - 1)
                ranges.append("\(column) BETWEEN $\(parameters.count - 1) AND $\(parameters.count)")
                low *= 10
                width *= 10
            }
            conditions.append("(" + ranges.joined(separator: " OR ") + ")")
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try db.query("SELECT DISTINCT \(column) AS id FROM \(table)\(whereClause) ORDER BY 1 LIMIT \(limit)", parameters)
        return rows.compactMap { $0.int("id").map(String.init) }
    }
}
