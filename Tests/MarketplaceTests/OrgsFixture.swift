import Foundation
import CacheOps
import Marketplace
import Postgres
import Redis
import Schema
import Support
import TestSupport

/// A scratch database with the tiny seed and a redis-server of its own, for one test;
/// dropped and stopped at the end. Ports: membership suite 6490, org suite 6491, perms
/// suite 6492 (each suite is serialized; suites run in parallel).
final class AccessFixture {
    let database: TestDatabase
    let db: PostgresConnection
    let server: RedisTestServer
    let redis: RedisConnection
    let prefix: String
    /// The seed's own audit rows end here; tests look at what comes after.
    let seededAuditId: Int

    init(port: Int, prefix: String = "") throws {
        database = try TestDatabase.create(prefix: "orgstest")
        do {
            db = try database.connect()
            try Migrator(db).migrate()
            _ = try Seeder(db).seed(scale: .tiny, seed: 1)
            server = try RedisTestServer(port: port)
            redis = try RedisConnection(server.url(database: 0))
            seededAuditId = try db.query("SELECT coalesce(max(id), 0) AS id FROM audit_log")[0].requiredInt("id")
        } catch {
            database.drop()
            throw error
        }
        self.prefix = prefix
    }

    deinit {
        redis.close()
        server.stop()
        db.close()
        database.drop()
    }

    func orgs(actor: String = "tester") -> OrgService {
        OrgService(postgres: db, redis: redis, keyspace: keyspace(prefix), actor: actor)
    }

    func perms(actor: String = "tester") -> PermissionService {
        PermissionService(postgres: db, redis: redis, keyspace: keyspace(prefix), actor: actor)
    }

    // MARK: database facts

    /// The permission catalog as `resource:action`, in id order.
    func catalog() throws -> [String] {
        try db.query("SELECT resource || ':' || action AS p FROM permissions ORDER BY id").map { try $0.requiredString("p") }
    }

    func members(_ orgId: Int) throws -> [Int] {
        try db.query("SELECT user_id FROM organization_users WHERE organization_id = $1 ORDER BY user_id", [orgId])
            .map { try $0.requiredInt("user_id") }
    }

    func role(user: Int, org: Int) throws -> String? {
        try db.query("""
            SELECT r.name FROM organization_users ou JOIN roles r ON r.id = ou.role_id
            WHERE ou.user_id = $1 AND ou.organization_id = $2
            """, [user, org]).first?.string("name")
    }

    /// (user, org) memberships holding `role`.
    func holders(_ role: String) throws -> [(user: Int, org: Int)] {
        try db.query("""
            SELECT ou.user_id, ou.organization_id FROM organization_users ou JOIN roles r ON r.id = ou.role_id
            WHERE r.name = $1 ORDER BY 2, 1
            """, [role]).map { (try $0.requiredInt("user_id"), try $0.requiredInt("organization_id")) }
    }

    /// A user who belongs to at least two orgs, one of them `org`, and another member of `org`.
    func userInTwoOrgs() throws -> (user: Int, org: Int, otherOrg: Int, otherMember: Int) {
        let row = try db.query("""
            SELECT a.user_id, a.organization_id AS org, b.organization_id AS other_org,
                   (SELECT c.user_id FROM organization_users c
                    WHERE c.organization_id = a.organization_id AND c.user_id <> a.user_id ORDER BY c.user_id LIMIT 1) AS other_member
            FROM organization_users a JOIN organization_users b ON b.user_id = a.user_id AND b.organization_id <> a.organization_id
            JOIN roles r ON r.id = a.role_id
            WHERE r.name <> 'owner'
              AND EXISTS (SELECT 1 FROM organization_users c WHERE c.organization_id = a.organization_id AND c.user_id <> a.user_id)
            ORDER BY a.user_id, a.organization_id, b.organization_id LIMIT 1
            """)[0]
        return (try row.requiredInt("user_id"), try row.requiredInt("org"), try row.requiredInt("other_org"),
                try row.requiredInt("other_member"))
    }

    func auditRows(command: String) throws -> [(actor: String, target: String, details: JSONValue)] {
        try db.query("SELECT actor, target, details::text AS details FROM audit_log WHERE command = $1 AND id > $2 ORDER BY id",
            [command, seededAuditId]).map {
            (try $0.requiredString("actor"), try $0.requiredString("target"), try JSONParser.parse(try $0.requiredString("details")))
        }
    }

    func auditCount() throws -> Int {
        try db.query("SELECT count(*) AS n FROM audit_log")[0].requiredInt("n")
    }

    /// A digest of everything orgs and perms commands could write, sequences included.
    func databaseDigest() throws -> String {
        try db.query("""
            SELECT md5(concat_ws('|',
                (SELECT string_agg(o::text, ',' ORDER BY id) FROM organizations o),
                (SELECT string_agg(m::text, ',' ORDER BY id) FROM organization_users m),
                (SELECT string_agg(rp::text, ',' ORDER BY role_id, permission_id) FROM role_permissions rp),
                (SELECT count(*) FROM audit_log),
                (SELECT last_value || ':' || is_called FROM organizations_id_seq),
                (SELECT last_value || ':' || is_called FROM organization_users_id_seq),
                (SELECT last_value || ':' || is_called FROM audit_log_id_seq))) AS digest
            """)[0].requiredString("digest")
    }

    // MARK: cache

    /// Sets every key (with the prefix) to `value`.
    func plant(_ keys: [String], value: String = "true") throws {
        guard !keys.isEmpty else { return }
        for reply in try redis.pipeline(keys.map { ["SET", prefix + $0, value] }) {
            if case .error(let message) = reply { throw WWError.internalError(message) }
        }
    }

    /// Every key in the server but wwctl's own bookkeeping, without the prefix.
    func cachedKeys() throws -> Set<String> {
        var out = Set<String>()
        var scanner = redis.scan(count: 1000)
        try scanner.forEachKey { bytes in
            let key = String(decoding: bytes, as: UTF8.self)
            guard !key.hasPrefix(prefix + "wwctl:") else { return }
            out.insert(key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : key)
        }
        return out
    }

    /// Every key with its value, for "nothing changed" checks.
    func cacheSnapshot() throws -> [String: String] {
        var out: [String: String] = [:]
        for key in try cachedKeys() {
            out[key] = try redis.command(["GET", prefix + key]).string ?? "?"
        }
        return out
    }

    /// Where the change log is now.
    func logPosition() throws -> ChangeLogPosition {
        try ChangeLog(redis: redis, keyspace: keyspace(prefix)).position()
    }

    /// The keys the change log recorded by name since `start`, by family, without the prefix.
    func recorded(since start: ChangeLogPosition) throws -> [String: Set<String>] {
        let records = try ChangeLog(redis: redis, keyspace: keyspace(prefix)).records(since: start) ?? []
        var out: [String: Set<String>] = [:]
        for (_, record) in records {
            for touch in record.touches {
                guard case .keys(let keys) = touch.touch else { continue }
                for key in keys { out[touch.family, default: []].insert(String(decoding: key.dropFirst(prefix.utf8.count), as: UTF8.self)) }
            }
        }
        return out
    }

    /// `perm:{u}:{o}:{p}` for every permission of the catalog.
    func permKeys(user: Int, org: Int) throws -> [String] {
        try catalog().map { "perm:\(user):\(org):\($0)" }
    }
}

/// Keys that no orgs or perms change may touch: other families, look-alikes.
let unrelatedKeys = [
    "product:1", "product:1:with-variants", "cart:1", "stock:1", "session:abc", "user:1:sessions",
    "categories:tree", "admin:stats:today", "ratelimit:1:GET:/api/orgs", "jwt:blacklist:abc",
]
