import Foundation
import Synchronization
import Testing
@testable import Marketplace
import Redis
import Support
import TestSupport

/// Writes sessions the way the app does: `session:{id}` = JSON.stringify({userId, …}) and
/// `user:{userId}:sessions` = JSON.stringify([ids]), both PX 86400000.
struct SessionFixture {
    let redis: RedisConnection
    var prefix = ""

    static let day: Int64 = 86_400_000

    func addSession(_ id: String, user: Int64, ip: String = "203.0.113.9") throws {
        try redis.command(["SET", prefix + "session:" + id, #"{"userId":\#(user),"ip":"\#(ip)","userAgent":"Mozilla/5.0","createdAt":"2025-01-01T00:00:00.000Z"}"#, "PX", Self.day])
    }

    func setList(_ user: Int64, _ text: String, ttl: Int64 = day) throws {
        try redis.command(["SET", prefix + "user:\(user):sessions", text, "PX", ttl])
    }

    /// Sessions `ids` of `user`, listed in that order.
    func seed(user: Int64, ids: [String]) throws {
        for id in ids { try addSession(id, user: user) }
        try setList(user, JSONValue.array(ids.map { .string($0) }).compactText)
    }

    func list(_ user: Int64) throws -> String? { try redis.command(["GET", prefix + "user:\(user):sessions"]).string }
    func listTTL(_ user: Int64) throws -> Int64 { try redis.command(["PTTL", prefix + "user:\(user):sessions"]).int ?? -3 }
    func exists(_ id: String) throws -> Bool { try redis.command(["EXISTS", prefix + "session:" + id]).int == 1 }
}

/// Revoking by name, on the shared test server's database 15: every test uses users and
/// session ids of its own.
@Suite struct SessionRevokeTests {
    let redis: RedisConnection
    let fixture: SessionFixture

    init() throws {
        redis = try sharedTestRedis(database: 15)
        fixture = SessionFixture(redis: redis)
    }

    func user() -> Int64 { Int64.random(in: 1_000_000_000...9_000_000_000_000) }
    func ids(_ count: Int) -> [String] { (0..<count).map { _ in UUID().uuidString.lowercased() } }

    @Test func revokingOneOfSeveralKeepsTheOthersAndTheTTL() throws {
        let user = user()
        let ids = ids(3)
        try fixture.seed(user: user, ids: ids)
        let ttlBefore = try fixture.listTTL(user)
        var service = SessionService(redis: redis, keyspace: unprefixed)
        let result = try service.revoke(sessionId: ids[1])
        #expect(result.revoked == 1 && result.ids == [ids[1]])
        #expect(result.userId == user)
        #expect(result.removedFromList == [ids[1]])
        #expect(result.listRemaining == 2 && !result.listDeleted)
        #expect(try fixture.list(user) == #"["\#(ids[0])","\#(ids[2])"]"#)
        #expect(abs(try fixture.listTTL(user) - ttlBefore) <= 1000)
        #expect(try !fixture.exists(ids[1]))
        #expect(try fixture.exists(ids[0]) && fixture.exists(ids[2]))

        // The last two: the list, once empty, is deleted rather than left as `[]` or `{}`.
        _ = try service.revoke(sessionId: ids[0])
        let last = try service.revoke(sessionId: ids[2])
        #expect(last.listDeleted && last.listRemaining == 0)
        #expect(try fixture.list(user) == nil)
    }

    @Test func aDryRunChangesNothing() throws {
        let user = user()
        let ids = ids(2)
        try fixture.seed(user: user, ids: ids)
        var service = SessionService(redis: redis, keyspace: unprefixed)
        let result = try service.revoke(sessionId: ids[0], dryRun: true)
        #expect(result.dryRun && result.revoked == 1 && result.removedFromList == [ids[0]] && result.listRemaining == 1)
        #expect(try fixture.exists(ids[0]))
        #expect(try fixture.list(user) == JSONValue.array(ids.map { .string($0) }).compactText)
        let all = try service.revokeAll(try service.planRevokeAll(userId: user), dryRun: true)
        #expect(all.revoked == 2 && all.listDeleted)
        #expect(try fixture.exists(ids[0]) && fixture.exists(ids[1]))
        try redis.command(["DEL", "session:" + ids[0], "session:" + ids[1], "user:\(user):sessions"])
    }

    @Test func aGoneSessionIsCleanedFromTheListNamedByUser() throws {
        let user = user()
        let ids = ids(2)
        try fixture.seed(user: user, ids: ids)
        try redis.command(["DEL", "session:" + ids[0]])
        var service = SessionService(redis: redis, keyspace: unprefixed)
        // Without --user there is nothing to find the list by.
        let nothing = try service.revoke(sessionId: ids[0])
        #expect(nothing.revoked == 0 && nothing.removedFromList.isEmpty && nothing.userId == nil)
        let cleaned = try service.revoke(sessionId: ids[0], user: user)
        #expect(cleaned.revoked == 0 && cleaned.removedFromList == [ids[0]])
        #expect(try fixture.list(user) == #"["\#(ids[1])"]"#)
        try redis.command(["DEL", "session:" + ids[1], "user:\(user):sessions"])
    }

    @Test func aUserThatDisagreesWithTheSessionIsRefused() throws {
        let user = user()
        let ids = ids(1)
        try fixture.seed(user: user, ids: ids)
        var service = SessionService(redis: redis, keyspace: unprefixed)
        #expect(performing: { try service.revoke(sessionId: ids[0], user: user + 1) },
                throws: { ($0 as? WWError)?.category == .dataError })
        #expect(try fixture.exists(ids[0]))
        _ = try service.revoke(sessionId: ids[0], user: user)
        #expect(try !fixture.exists(ids[0]))
        #expect(try fixture.list(user) == nil)
    }

    @Test func revokeAllLeavesOtherUsersUntouched() throws {
        let (victim, bystander) = (user(), user())
        let victimIds = ids(4)
        let bystanderIds = ids(3)
        try fixture.seed(user: victim, ids: victimIds)
        try fixture.seed(user: bystander, ids: bystanderIds)
        try redis.command(["DEL", "session:" + victimIds[3]])  // one dangling
        let bystanderList = try fixture.list(bystander)
        let bystanderTTL = try fixture.listTTL(bystander)
        var service = SessionService(redis: redis, keyspace: unprefixed)
        let plan = try service.planRevokeAll(userId: victim)
        #expect(plan.listed == victimIds)
        #expect(plan.existing == Array(victimIds.prefix(3)))
        #expect(plan.sessionCount == 3)
        let result = try service.revokeAll(plan)
        #expect(result.revoked == 3 && Set(result.ids) == Set(victimIds.prefix(3)))
        #expect(result.removedFromList == victimIds && result.listDeleted)
        for id in victimIds { #expect(try !fixture.exists(id)) }
        #expect(try fixture.list(victim) == nil)
        for id in bystanderIds { #expect(try fixture.exists(id)) }
        #expect(try fixture.list(bystander) == bystanderList)
        #expect(abs(try fixture.listTTL(bystander) - bystanderTTL) <= 1000)
        try redis.command(["DEL", "user:\(bystander):sessions"] + bystanderIds.map { "session:" + $0 })
    }

    @Test func revokeAllSkipsAListedSessionOfAnotherUser() throws {
        let (victim, bystander) = (user(), user())
        let victimIds = ids(2)
        let theirs = ids(1)[0]
        try fixture.seed(user: bystander, ids: [theirs])
        for id in victimIds { try fixture.addSession(id, user: victim) }
        // The victim's list also names the bystander's session (a corrupt or forged list).
        try fixture.setList(victim, JSONValue.array([victimIds[0], theirs, victimIds[1]].map { .string($0) }).compactText)
        let bystanderList = try fixture.list(bystander)
        var service = SessionService(redis: redis, keyspace: unprefixed)
        let plan = try service.planRevokeAll(userId: victim)
        #expect(plan.existing == victimIds)
        #expect(plan.foreign == [theirs])
        #expect(plan.sessionCount == 2)

        let dry = try service.revokeAll(plan, dryRun: true)
        #expect(dry.revoked == 2 && dry.ids == victimIds && dry.skipped == [theirs])
        #expect(dry.removedFromList == victimIds && !dry.listDeleted && dry.listRemaining == 1)

        let result = try service.revokeAll(plan)
        #expect(result.revoked == 2 && Set(result.ids) == Set(victimIds))
        #expect(result.skipped == [theirs])
        #expect(result.removedFromList == victimIds && !result.listDeleted && result.listRemaining == 1)
        for id in victimIds { #expect(try !fixture.exists(id)) }
        // The bystander's session survives, and so does their list.
        #expect(try fixture.exists(theirs))
        #expect(try fixture.list(bystander) == bystanderList)
        #expect(try fixture.list(victim) == #"["\#(theirs)"]"#)
        try redis.command(["DEL", "session:" + theirs, "user:\(bystander):sessions", "user:\(victim):sessions"])
    }

    @Test func theListKeepsTheFormJSONStringifyWrites() throws {
        let user = user()
        let odd = ["a/b", #"q"uote"#, "back\\slash", "tab\there", "\u{1}ctl", "caf\u{e9}", "日本", "x\u{7f}"]
        let victim = UUID().uuidString
        try fixture.addSession(victim, user: user)
        try fixture.setList(user, JSONValue.array(([victim] + odd).map { .string($0) }).compactText)
        var service = SessionService(redis: redis, keyspace: unprefixed)
        _ = try service.revoke(sessionId: victim)
        // JSON.stringify(["a/b", …]) in Node: '/' and non-ASCII as is, DEL as is,
        // control characters as \t or \u0001.
        #expect(try fixture.list(user) == #"["a/b","q\"uote","back\\slash","tab\there","\u0001ctl","café","日本","x\#u{7f}"]"#)
        #expect(try fixture.list(user) == JSONValue.array(odd.map { .string($0) }).compactText)
        try redis.command(["DEL", "user:\(user):sessions"])
    }

    @Test func elementsThatAreNotStringsAreKept() throws {
        let user = user()
        let victim = UUID().uuidString
        try fixture.addSession(victim, user: user)
        try fixture.setList(user, #"["\#(victim)",12,null,true,"b"]"#)
        var service = SessionService(redis: redis, keyspace: unprefixed)
        let result = try service.revoke(sessionId: victim)
        #expect(result.listRemaining == 4)
        #expect(try fixture.list(user) == #"[12,null,true,"b"]"#)
        try redis.command(["DEL", "user:\(user):sessions"])
    }

    @Test func aListThatIsNotAnArrayIsLeftAlone() throws {
        let user = user()
        let victim = UUID().uuidString
        try fixture.addSession(victim, user: user)
        for text in [#"{"a":1}"#, #""\#(victim)""#, "not json", "12"] {
            try fixture.setList(user, text)
            var script = SessionListScript(redis: redis)
            #expect(try script.remove([victim], fromListAt: Array("user:\(user):sessions".utf8)) == .notAnArray)
            #expect(try fixture.list(user) == text)
        }
        var service = SessionService(redis: redis, keyspace: unprefixed)
        #expect(throws: WWError.self) { try service.list(userId: user) }
        #expect(performing: { try service.revoke(sessionId: victim) }, throws: { ($0 as? WWError)?.category == .dataError })
        try redis.command(["DEL", "user:\(user):sessions"])
    }

    @Test func listShowsMetadataAndMarksDanglingIds() throws {
        let user = user()
        let ids = ids(3)
        try fixture.seed(user: user, ids: ids)
        try redis.command(["SET", "session:" + ids[1], #"{"userId":"\#(user)"}"#, "PX", 5_000])
        try redis.command(["DEL", "session:" + ids[2]])
        let service = SessionService(redis: redis, keyspace: unprefixed)
        let report = try service.list(userId: user)
        #expect(report.listExists && report.active == 2 && report.dangling == 1)
        #expect(report.sessions.map(\.id) == ids)
        #expect(report.sessions[0].ip == "203.0.113.9" && report.sessions[0].userAgent == "Mozilla/5.0")
        #expect(report.sessions[0].createdAt == .string("2025-01-01T00:00:00.000Z"))
        #expect(report.sessions[0].userId == .number(user))
        #expect((report.sessions[0].ttlMs ?? 0) > 86_000_000)
        #expect((report.sessions[1].ttlMs ?? 0) <= 5_000 && report.sessions[1].ip == nil)
        #expect(report.sessions[2].dangling && !report.sessions[2].exists && report.sessions[2].ttlMs == nil)
        let shown = try service.show(sessionId: ids[1])
        #expect(shown.listed == true && shown.userId == .string("\(user)"))
        #expect(performing: { try service.show(sessionId: ids[2]) }, throws: { ($0 as? WWError)?.category == .negative })
        let nobody = try service.list(userId: self.user())
        #expect(!nobody.listExists && nobody.sessions.isEmpty)
        try redis.command(["DEL", "user:\(user):sessions", "session:" + ids[0], "session:" + ids[1]])
    }

    /// A writer appending to the list with WATCH/MULTI/EXEC (an atomic writer) while
    /// sessions are revoked one by one: no appended id is lost, no revoked id survives.
    /// A plain GET-then-SET writer (cache-manager) gets no such guarantee from anyone.
    @Test func aConcurrentAtomicWriterLosesNothing() async throws {
        let user = user()
        let initial = ids(40)
        try fixture.seed(user: user, ids: initial)
        let listKey = "user:\(user):sessions"
        let revoking = Atomic<Bool>(true)
        let started = Atomic<Int>(0)
        var writerURL = try RedisURL(parsing: TestServers.redisURL)
        writerURL.database = 15
        let url = writerURL

        async let appended: [String] = DedicatedThread.run {
            let writer = try RedisConnection(url: url)
            var added: [String] = []
            var extra = 0
            // Keep appending while the revokes run, then a few more.
            while revoking.load(ordering: .acquiring) || extra < 5 {
                if !revoking.load(ordering: .acquiring) { extra += 1 }
                let id = "w\(added.count)-" + UUID().uuidString
                try writer.command(["SET", "session:" + id, #"{"userId":\#(user)}"#, "PX", SessionFixture.day])
                while true {
                    try writer.command(["WATCH", listKey])
                    let current = try writer.command(["GET", listKey]).bytes.flatMap { SessionValues.ids(inList: $0) } ?? []
                    let next = JSONValue.array((current + [id]).map { .string($0) }).compactText
                    let replies = try writer.pipeline([["MULTI"], ["SET", listKey, next, "KEEPTTL"], ["EXEC"]])
                    if replies[2] != .null { break }
                }
                added.append(id)
                started.store(added.count, ordering: .releasing)
            }
            return added
        }

        while started.load(ordering: .acquiring) == 0 { usleep(1000) }
        var service = SessionService(redis: redis, keyspace: unprefixed)
        for id in initial {
            let result = try service.revoke(sessionId: id)
            #expect(result.revoked == 1)
        }
        revoking.store(false, ordering: .releasing)
        let added = try await appended

        #expect(added.count >= 6)
        let final = try #require(try fixture.list(user).flatMap { SessionValues.ids(inList: Array($0.utf8)) })
        #expect(final == added, "the list lost or kept ids: \(Set(added).symmetricDifference(final).count) differ")
        for id in initial { #expect(try !fixture.exists(id)) }
        try redis.command(["DEL", listKey] + added.map { "session:" + $0 })
    }
}

/// Prune and `revoke-all --scan` walk the keyspace: a redis-server of their own (port 6500).
@Suite(.serialized) final class SessionScanTests {
    let server: RedisTestServer
    let redis: RedisConnection
    let fixture: SessionFixture

    init() throws {
        server = try RedisTestServer(port: 6500)
        redis = try RedisConnection(server.url(database: 0))
        fixture = SessionFixture(redis: redis)
    }

    deinit { server.stop() }

    @Test func pruneRemovesDanglingIdsAndCountsThem() throws {
        try redis.command(["FLUSHDB"])
        try fixture.seed(user: 1, ids: ["a", "b"])
        try fixture.seed(user: 2, ids: ["c", "d"])
        try fixture.seed(user: 3, ids: ["e"])
        try redis.command(["DEL", "session:b", "session:c", "session:d"])
        try fixture.setList(4, #"{"x":1}"#)
        // Keys that look alike but are not user session lists.
        try redis.command(["SET", "user:orgs:5", "[]"])
        try redis.command(["SET", "user:5:orgs", #"["zz"]"#])
        try redis.command(["SET", "user:6:sessions:extra", #"["zz"]"#])
        try redis.command(["SET", "user:x:sessions", #"["zz"]"#])
        let ttlBefore = try fixture.listTTL(1)

        var service = SessionService(redis: redis, keyspace: unprefixed)
        let dry = try service.prune(dryRun: true)
        #expect(dry.dryRun && dry.listsScanned == 4 && dry.idsChecked == 5)
        #expect(dry.idsRemoved == 3 && dry.listsEmptied == 1 && dry.listsMalformed == 1)
        #expect(try fixture.list(1) == #"["a","b"]"# && fixture.list(2) == #"["c","d"]"#)

        let report = try service.prune()
        #expect(!report.dryRun && report.listsScanned == 4 && report.idsChecked == 5)
        #expect(report.idsRemoved == 3 && report.listsEmptied == 1 && report.listsMalformed == 1)
        #expect(Set(report.lists) == [
            PrunedList(userId: "1", removed: ["b"], emptied: false), PrunedList(userId: "2", removed: ["c", "d"], emptied: true),
        ])
        #expect(try fixture.list(1) == #"["a"]"#)
        #expect(abs(try fixture.listTTL(1) - ttlBefore) <= 1000)
        #expect(try fixture.list(2) == nil)
        #expect(try fixture.list(3) == #"["e"]"#)
        #expect(try fixture.list(4) == #"{"x":1}"#)
        for key in ["user:5:orgs", "user:6:sessions:extra", "user:x:sessions"] {
            #expect(try redis.command(["GET", key]).string == #"["zz"]"#)
        }
        let again = try service.prune()
        #expect(again.idsRemoved == 0 && again.listsEmptied == 0 && again.listsScanned == 3)
    }

    @Test func pruneWalksManyListsInBatches() throws {
        try redis.command(["FLUSHDB"])
        var commands: [[any RedisArgument]] = []
        for user in 1...600 {
            commands.append(["SET", "user:\(user):sessions", #"["live\#(user)","dead\#(user)"]"#, "PX", SessionFixture.day])
            commands.append(["SET", "session:live\(user)", #"{"userId":\#(user)}"#, "PX", SessionFixture.day])
        }
        _ = try redis.pipeline(commands)
        var service = SessionService(redis: redis, keyspace: unprefixed)
        service.scanCount = 50
        service.batchSize = 64
        var batches = 0
        let report = try service.prune { _ in batches += 1 }
        #expect(report.listsScanned == 600 && report.idsChecked == 1200 && report.idsRemoved == 600 && report.listsEmptied == 0)
        #expect(batches > 1)
        #expect(try fixture.list(321) == #"["live321"]"#)
    }

    @Test func pruneHonoursTheKeyPrefix() throws {
        try redis.command(["FLUSHDB"])
        let prefixed = SessionFixture(redis: redis, prefix: "app:")
        try prefixed.seed(user: 1, ids: ["a"])
        try prefixed.setList(1, #"["a","gone"]"#)
        try fixture.setList(1, #"["a","gone"]"#)  // unprefixed: not the app's, not touched
        var service = SessionService(redis: redis, keyspace: keyspace("app:"))
        let report = try service.prune()
        #expect(report.listsScanned == 1 && report.idsRemoved == 1)
        #expect(try prefixed.list(1) == #"["a"]"#)
        #expect(try fixture.list(1) == #"["a","gone"]"#)
    }

    @Test func revokeAllWithScanFindsUnlistedSessionsOfThatUserOnly() throws {
        try redis.command(["FLUSHDB"])
        try fixture.seed(user: 7, ids: ["listed"])
        try fixture.addSession("orphan", user: 7)
        try redis.command(["SET", "session:orphan-str", #"{"userId":"7"}"#])
        try fixture.addSession("other", user: 70)
        try redis.command(["SET", "session:junk", "not json"])
        var service = SessionService(redis: redis, keyspace: unprefixed)
        service.scanCount = 2
        let plain = try service.planRevokeAll(userId: 7)
        #expect(plain.unlisted.isEmpty && plain.sessionCount == 1)
        let plan = try service.planRevokeAll(userId: 7, scan: true)
        #expect(Set(plan.unlisted) == ["orphan", "orphan-str"] && plan.sessionCount == 3)
        let result = try service.revokeAll(plan)
        #expect(result.revoked == 3 && Set(result.unlisted) == ["orphan", "orphan-str"])
        #expect(try !fixture.exists("listed") && !fixture.exists("orphan") && !fixture.exists("orphan-str"))
        #expect(try fixture.exists("other") && fixture.exists("junk"))
    }

    @Test func theScriptIsLoadedAgainAfterAFlush() throws {
        try redis.command(["FLUSHDB"])
        try fixture.seed(user: 1, ids: ["a", "b", "c"])
        var service = SessionService(redis: redis, keyspace: unprefixed)
        _ = try service.revoke(sessionId: "a")
        try redis.command(["SCRIPT", "FLUSH"])
        let result = try service.revoke(sessionId: "b")
        #expect(result.removedFromList == ["b"])
        #expect(try fixture.list(1) == #"["c"]"#)
    }
}
