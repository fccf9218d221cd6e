@testable import Redis
import Support
import Testing

@Suite struct ClusterSlotMapTests {
    private func node(_ ip: String, _ port: Int64, role: String, health: String = "online", tlsPort: Int64? = nil) -> RedisReply {
        var fields: [RedisReply] = [
            .bulk(Array("id".utf8)), .bulk(Array("abc".utf8)), .bulk(Array("port".utf8)), .integer(port),
            .bulk(Array("ip".utf8)), .bulk(Array(ip.utf8)), .bulk(Array("endpoint".utf8)), .bulk(Array(ip.utf8)),
            .bulk(Array("role".utf8)), .bulk(Array(role.utf8)), .bulk(Array("health".utf8)), .bulk(Array(health.utf8)),
        ]
        if let tlsPort { fields += [.bulk(Array("tls-port".utf8)), .integer(tlsPort)] }
        return .array(fields)
    }

    private func shard(_ slots: [Int64], _ nodes: [RedisReply]) -> RedisReply {
        .array([.bulk(Array("slots".utf8)), .array(slots.map { .integer($0) }), .bulk(Array("nodes".utf8)), .array(nodes)])
    }

    @Test func shardsGiveEachSlotItsPrimaryAndTheReplicas() throws {
        let reply = RedisReply.array([
            shard([0, 5460, 16000, 16383], [node("10.0.0.1", 7000, role: "master"), node("10.0.0.4", 7003, role: "replica")]),
            shard([5461, 15999], [node("10.0.0.2", 7001, role: "master")]),
            shard([], [node("10.0.0.9", 7009, role: "master")]),
        ])
        let map = try ClusterSlotMap.parse(shards: reply, tls: false, address: "seed")
        #expect(map.primaries == [ClusterNode(host: "10.0.0.1", port: 7000), ClusterNode(host: "10.0.0.2", port: 7001)])
        #expect(map.primary(ofSlot: 0) == ClusterNode(host: "10.0.0.1", port: 7000))
        #expect(map.primary(ofSlot: 5461) == ClusterNode(host: "10.0.0.2", port: 7001))
        #expect(map.primary(ofSlot: 16383) == ClusterNode(host: "10.0.0.1", port: 7000))
        #expect(map.shards[0].replicas == [ClusterNode(host: "10.0.0.4", port: 7003)])
        #expect(map.shards[0].slotCount == 5461 + 384)
        #expect(map.unassignedSlots == 0)
    }

    @Test func aFailedNodeIsLeftOutAndTLSUsesTheTLSPort() throws {
        let reply = RedisReply.array([
            shard([0, 16383], [
                node("10.0.0.1", 7000, role: "replica", health: "failed"),
                node("10.0.0.4", 7003, role: "master", tlsPort: 8003),
            ])
        ])
        let plain = try ClusterSlotMap.parse(shards: reply, tls: false, address: "seed")
        #expect(plain.primaries == [ClusterNode(host: "10.0.0.4", port: 7003)])
        #expect(plain.shards[0].replicas.isEmpty)
        let tls = try ClusterSlotMap.parse(shards: reply, tls: true, address: "seed")
        #expect(tls.primaries == [ClusterNode(host: "10.0.0.4", port: 8003)])
    }

    @Test func unservedSlotsAreCounted() throws {
        let reply = RedisReply.array([shard([0, 99], [node("10.0.0.1", 7000, role: "master")])])
        let map = try ClusterSlotMap.parse(shards: reply, tls: false, address: "seed")
        #expect(map.unassignedSlots == 16384 - 100)
        #expect(map.primary(ofSlot: 100) == nil)
    }

    @Test func slotsOfOlderServersGroupRangesByPrimary() throws {
        func entry(_ start: Int64, _ end: Int64, _ nodes: [(String, Int64)]) -> RedisReply {
            .array([.integer(start), .integer(end)] + nodes.map { .array([.bulk(Array($0.0.utf8)), .integer($0.1), .bulk(Array("id".utf8))]) })
        }
        let reply = RedisReply.array([
            entry(0, 100, [("10.0.0.1", 7000), ("10.0.0.4", 7003)]),
            entry(101, 16283, [("10.0.0.2", 7001)]),
            entry(16284, 16383, [("10.0.0.1", 7000)]),
        ])
        let map = try ClusterSlotMap.parse(slots: reply, address: "seed")
        #expect(map.primaries.count == 2)
        #expect(map.primary(ofSlot: 16383) == ClusterNode(host: "10.0.0.1", port: 7000))
        #expect(map.shards.first { $0.primary.port == 7000 }?.slotCount == 201)
        #expect(map.unassignedSlots == 0)
    }

    @Test func malformedRepliesAreRefused() {
        #expect(throws: RedisError.self) { try ClusterSlotMap.parse(shards: .integer(1), tls: false, address: "seed") }
        #expect(throws: RedisError.self) { try ClusterSlotMap.parse(shards: .array([.array([.bulk(Array("slots".utf8))])]), tls: false, address: "seed") }
        #expect(throws: RedisError.self) { try ClusterSlotMap.parse(slots: .array([.array([.integer(5), .integer(1)])]), address: "seed") }
        #expect(throws: RedisError.self) {
            try ClusterSlotMap.parse(slots: .array([.array([.integer(0), .integer(20000), .array([.bulk(Array("h".utf8)), .integer(1)])])]), address: "seed")
        }
    }

    @Test func redirectionsAreReadFromErrorReplies() {
        #expect(Redirection(message: "MOVED 3999 127.0.0.1:6381") == .moved(slot: 3999, to: ClusterNode(host: "127.0.0.1", port: 6381)))
        #expect(Redirection(message: "ASK 12 [::1]:7000") == .ask(slot: 12, to: ClusterNode(host: "::1", port: 7000)))
        #expect(Redirection(message: "TRYAGAIN Multiple keys request during rehashing of slot") == .retry("TRYAGAIN"))
        #expect(Redirection(message: "CLUSTERDOWN The cluster is down") == .retry("CLUSTERDOWN"))
        #expect(Redirection(message: "MOVED 99999 127.0.0.1:6381") == nil)
        #expect(Redirection(message: "MOVED 1 nohost") == nil)
        #expect(Redirection(message: "ERR unknown command") == nil)
        #expect(Redirection(.status("OK")) == nil)
    }

    @Test func seedListsAreClusterTargets() throws {
        let target = try RedisTarget(parsing: "redis://ops:s3cr%2Ct@10.0.0.1:7000,10.0.0.2,[::1]:7002/0")
        guard case .cluster(let seeds) = target else {
            Issue.record("not a cluster target: \(target)")
            return
        }
        #expect(seeds.urls.map(\.endpoint) == [.tcp(host: "10.0.0.1", port: 7000), .tcp(host: "10.0.0.2", port: 6379), .tcp(host: "::1", port: 7002)])
        #expect(seeds.urls.allSatisfy { $0.username == "ops" && $0.password == "s3cr,t" })
        #expect(target.masked == "redis://ops:***@10.0.0.1:7000,10.0.0.2:6379,[::1]:7002/0")
        #expect(try RedisTarget(parsing: "rediss://10.0.0.1:7000,10.0.0.2:7001").tls != nil)
        if case .standalone = try RedisTarget(parsing: "redis://a,b@10.0.0.1:7000") {} else {
            Issue.record("a comma in the password is not a list")
        }
        #expect(throws: WWError.self) { try RedisTarget(parsing: "redis://10.0.0.1:7000,/0") }
        #expect(throws: WWError.self) { try RedisTarget(parsing: "redis://10.0.0.1:7000,10.0.0.2:x") }
    }
}
