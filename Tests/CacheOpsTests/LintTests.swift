import CacheOps
import Foundation
import Keyspace
import Redis
import Support
import Testing

@Suite(.serialized) struct LintTests {
    /// Valid keys of several families, each within its policy; `cache warm --ttl-jitter`
    /// writes TTLs below the policy, which is fine.
    private func plantClean(_ redis: RedisConnection) throws {
        for reply in try redis.pipeline([
            ["SET", "perm:1:2:product:read", "true", "EX", 300],
            ["SET", "perm:1:2:order:write", "false", "EX", 270],
            ["SET", "user:orgs:1", "[]", "EX", 900],
            ["SET", "product:10", "{\"id\":10}", "EX", 1800],
            ["SET", "admin:stats:today", "{}", "EX", 300],
            ["SET", "admin:stats:week", "{}", "EX", 3600],
            ["SET", "vendor:3:earnings:2025-04", "{\"total\":\"10.00\"}", "EX", 3600],
            ["SET", "ratelimit:123:POST:/api/orders", "4", "EX", 60],
        ] as [[any RedisArgument]]) {
            #expect(reply.errorMessage == nil)
        }
    }

    @Test func cleanKeyspaceHasNoFindings() throws {
        let (server, redis) = try spawnedRedis(port: CacheOpsPorts.lintClean)
        defer { server.stop() }
        try plantClean(redis)
        let report = try KeyspaceLint.run(connection: redis, keyspace: unprefixed)
        #expect(report.findings == [])
        #expect(report.errors == 0)
        #expect(report.warnings == 0)
        #expect(report.walk.keys == 8)
        #expect(report.walk.complete)
    }

    @Test func plantedViolationsAreFound() throws {
        let (server, redis) = try spawnedRedis(port: CacheOpsPorts.lint)
        defer { server.stop() }
        try plantClean(redis)
        let big = [UInt8](repeating: 0x61, count: 20_000)
        for reply in try redis.pipeline([
            ["SET", "vendor:7:balance", "\"1250.00\""],                     // cached financial data
            ["SET", "payout:9", "{}", "EX", 60],                            // cached financial data
            ["SET", "perm:5:2:product:read", "true"],                       // no TTL
            ["SET", "product:11", "{}", "EX", 9000],                        // above 1800 s
            ["SET", "admin:stats:today", "{}", "EX", 3600],                 // above today's 300 s
            ["SET", "user:5:orgs", "[]", "EX", 600],                        // legacy form
            ["SET", "category:4:products", big, "EX", 900],                 // oversize
            ["SET", "tmp:1", "x"],                                          // no family
            ["SET", [0x00, 0xFF, 0x62] as [UInt8], "x"],                   // binary, no family
        ] as [[any RedisArgument]]) {
            #expect(reply.errorMessage == nil)
        }
        let report = try KeyspaceLint.run(connection: redis, keyspace: unprefixed, maxValueBytes: 10_000)
        func finding(_ key: String) -> [LintFinding] { report.findings.filter { $0.key == key } }

        #expect(report.errors == 5)
        #expect(report.warnings == 4)
        #expect(!report.truncated)
        #expect(finding("vendor:7:balance").map(\.rule) == ["cached-vendor-balance"])
        #expect(finding("vendor:7:balance").first?.severity == .error)
        #expect(finding("payout:9").map(\.rule) == ["cached-payout"])
        #expect(finding("perm:5:2:product:read").map(\.rule) == [LintRule.missingTTL])
        #expect(finding("product:11").map(\.rule) == [LintRule.ttlAbovePolicy])
        #expect(finding("product:11").first?.message == "TTL 9000 s is above the product policy's 1800 s")
        #expect(finding("admin:stats:today").map(\.rule) == [LintRule.ttlAbovePolicy])
        #expect(finding("user:5:orgs").map(\.rule) == [LintRule.legacyKeyForm])
        #expect(finding("user:5:orgs").first?.message.contains("user:orgs:5") == true)
        #expect(finding("category:4:products").map(\.rule) == [LintRule.valueTooLarge])
        #expect(finding("tmp:1").map(\.rule) == [LintRule.unknownKey])
        #expect(finding("\\x00\\xffb").map(\.rule) == [LintRule.unknownKey])
        // The clean keys, jittered TTL and earnings exception included, raise nothing.
        for key in ["perm:1:2:order:write", "vendor:3:earnings:2025-04", "admin:stats:week", "ratelimit:123:POST:/api/orders"] {
            #expect(finding(key).isEmpty, "\(key)")
        }
        // Errors are listed before warnings.
        let severities = report.findings.map(\.severity)
        #expect(severities == severities.sorted { $0 == .error && $1 == .warning })
        #expect(report.byRule[LintRule.unknownKey] == 2)
    }

    @Test func maxFindingsCapsTheListNotTheCounts() throws {
        let (server, redis) = try spawnedRedis(port: CacheOpsPorts.lint)
        defer { server.stop() }
        for reply in try redis.pipeline((0..<30).map { ["SET", "junk:\($0)", "x"] as [any RedisArgument] }
            + [["SET", "perm:1:1:a:b", "true"]]) {
            #expect(reply.errorMessage == nil)
        }
        let report = try KeyspaceLint.run(connection: redis, keyspace: unprefixed, maxFindings: 5)
        #expect(report.findings.count == 5)
        #expect(report.truncated)
        #expect(report.errors == 1)
        #expect(report.warnings == 30)
        #expect(report.findings.first?.rule == LintRule.missingTTL)
        let none = try KeyspaceLint.run(connection: redis, keyspace: unprefixed, maxFindings: 0)
        #expect(none.findings.isEmpty)
        #expect(none.errors == 1 && none.warnings == 30)
    }

    @Test func keysOutsideThePrefixBelongToNoFamily() throws {
        let (server, redis) = try spawnedRedis(port: CacheOpsPorts.lintClean)
        defer { server.stop() }
        for reply in try redis.pipeline([
            ["SET", "app:perm:1:2:product:read", "true", "EX", 300],
            ["SET", "perm:1:2:product:read", "true", "EX", 300],
        ] as [[any RedisArgument]]) {
            #expect(reply.errorMessage == nil)
        }
        let report = try KeyspaceLint.run(connection: redis, keyspace: keyspace("app:"))
        #expect(report.errors == 0)
        #expect(report.findings.map(\.key) == ["perm:1:2:product:read"])
        #expect(report.findings.first?.message.contains("not under the key prefix 'app:'") == true)
    }
}
