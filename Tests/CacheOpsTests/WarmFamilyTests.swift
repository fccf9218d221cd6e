import Foundation
import Testing
import CacheOps
import Keyspace
import Postgres
import Redis
import Support
import TestSupport

/// Each family warmed alone into an empty redis-server of its own (port 6471) from the
/// tiny seed: the keys, values and TTLs are exactly the SQL oracle's (every key, every
/// perm value), and the values parse back as the family's JSON shape.
@Suite(.serialized) final class WarmFamilyTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6471)
        redis = try RedisConnection(server.url())
    }

    @Test(arguments: warmableFamilies)
    func familyEqualsTheOracle(_ family: String) throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        let report = try warm(database, redisURL: server.url(), WarmOptions(families: [family]))
        let stored = try storedKeys(redis)

        let connection = try database.connect()
        defer { connection.close() }
        let expected = try WarmOracle.expected(family, connection)
        #expect(!expected.isEmpty, "the oracle has no \(family) keys: the test would prove nothing")
        #expect(Set(stored.keys) == Set(expected.keys), "\(family): keys differ")
        #expect(report.families.map(\.name) == [family])
        #expect(report.keys == expected.count)
        #expect(report.families.first?.refused == 0)
        #expect(report.families.first?.written == expected.count)

        for (key, want) in expected {
            guard let got = stored[key] else { continue }
            if family == "category-tree" {
                try WarmOracle.checkCategoryTree(got.value, connection)
            } else {
                #expect(got.value == want.value, "\(key)")
            }
            // The policy's TTL, give or take the seconds the test has taken since the write.
            let full = Int64(want.ttl) * 1000
            #expect(got.pttl <= full && got.pttl > full - min(60_000, full / 4), "\(key): PTTL \(got.pttl), TTL \(want.ttl) s")
            // Every key reads back as a key of its family.
            if case .family(let parsed, _) = unprefixed.parse(key) {
                #expect(parsed.name == family, "\(key) parses as \(parsed.name)")
            } else {
                Issue.record("\(key) is not a key of any family")
            }
        }
    }

    @Test func permValuesCoverBothAnswersAndSuspendedOrgsDenyEverything() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        try warm(database, redisURL: server.url(), WarmOptions(families: ["perm"]))
        let stored = try storedKeys(redis)
        let connection = try database.connect()
        defer { connection.close() }
        let suspended = Set(try connection.query("SELECT id FROM organizations WHERE status = 'suspended'").map { try $0.requiredInt(0) })
        #expect(!suspended.isEmpty)
        var allowedInSuspended = 0
        var trues = 0
        for (key, value) in stored {
            #expect(value.value == "true" || value.value == "false")
            if value.value == "true" { trues += 1 }
            let org = Int(key.split(separator: ":")[2]) ?? 0
            if suspended.contains(org) && value.value == "true" { allowedInSuspended += 1 }
        }
        #expect(allowedInSuspended == 0)
        #expect(trues > 0 && trues < stored.count)
        // The catalog (44 pairs) for every membership.
        let memberships = try connection.query("SELECT count(*) FROM organization_users").first?.int(0) ?? 0
        #expect(stored.count == memberships * 44)
    }

    /// Values parse back with `JSONParser` as the app's shapes: the family's JSON kind,
    /// camelCase fields, money as decimal strings, ISO timestamps with milliseconds.
    @Test func valuesParseBackAsTheAppsShapes() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        try warm(database, redisURL: server.url(), WarmOptions())
        let stored = try storedKeys(redis)
        var checked: Set<String> = []
        for (key, stored) in stored {
            guard case .family(let family, _) = unprefixed.parse(key) else {
                Issue.record("\(key) belongs to no family")
                continue
            }
            let value = try JSONParser.parse(stored.value)
            switch (family.valueKind, value) {
            case (.boolean, .bool), (.object, .object), (.array, .array): break
            case (.integer, .number(let text)): #expect(Int(text) != nil, "\(key): \(text)")
            default: Issue.record("\(key): \(family.valueKind) expected, got \(stored.value.prefix(40))")
            }
            checkFields(value, key: key)
            checked.insert(family.name)
        }
        #expect(checked == Set(warmableFamilies))
    }

    private static let moneyFields: Set<String> = [
        "price", "commissionRate", "rate", "commission", "vendorAmount", "unitPrice", "commissionAmount",
        "grossSales", "vendorEarnings", "refunded", "revenue", "averageOrderValue", "platformCommission",
    ]
    private static let timeFields: Set<String> = ["createdAt", "updatedAt", "suspendedAt", "addedAt", "from", "to"]

    private func checkFields(_ value: JSONValue, key: String) {
        switch value {
        case .array(let items):
            for item in items { checkFields(item, key: key) }
        case .object(let members):
            for (name, field) in members {
                #expect(!name.contains("_"), "\(key): field \(name) is not camelCase")
                if Self.moneyFields.contains(name), case .string(let text) = field {
                    #expect(text.wholeMatch(of: /-?\d+\.\d{2,4}/) != nil, "\(key).\(name) = \(text)")
                } else if Self.moneyFields.contains(name) {
                    Issue.record("\(key).\(name) is not a decimal string")
                }
                if Self.timeFields.contains(name), case .string(let text) = field {
                    #expect(text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(key).\(name) = \(text)")
                }
                checkFields(field, key: key)
            }
        default:
            break
        }
    }

    @Test func aKeyPrefixGoesOnEveryKeyAndTheEpochGuardReadsTheChangeLogUnderThePrefix() throws {
        let database = try WarmFixture.database()
        try redis.command(["FLUSHALL"])
        // Changes recorded under the prefix before the warm are in its snapshot: it writes.
        let app = keyspace("app:")
        try InvalidationEpochs(redis: redis, keyspace: app).bump(keys: [try app.key(.org, ["orgId": "1"])])
        let report = try warm(database, redisURL: server.url(), WarmOptions(families: ["org"]), prefix: "app:")
        let stored = try storedKeys(redis)
        let orgKeys = stored.keys.filter { $0.hasPrefix("app:org:") }
        #expect(orgKeys.count == report.keys && report.keys == 12)
        #expect(stored.keys.allSatisfy { $0.hasPrefix("app:") })
        #expect(report.families.first?.refused == 0)
        #expect(report.changeLog.count == 1)
    }
}
