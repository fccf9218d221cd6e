import Foundation
import Testing
import CacheOps
import Keyspace
import Redis
import Support
import TestSupport

/// `cache invalidate`'s service on a redis-server of its own (port 6461): walks read the
/// whole database.
@Suite(.serialized) final class PatternInvalidationTests {
    let server: RedisTestServer
    let redis: RedisConnection

    init() throws {
        server = try RedisTestServer(port: 6461)
        redis = try RedisConnection(server.url(database: 0))
    }

    func set(_ keys: [String]) throws {
        _ = try redis.pipeline(keys.map { ["SET", $0, "v"] })
    }

    func set(bytes keys: [[UInt8]]) throws {
        _ = try redis.pipeline(keys.map { ["SET", $0, "v"] as [any RedisArgument] })
    }

    func exists(_ key: String) throws -> Bool { try redis.command(["EXISTS", key]).int == 1 }
    func exists(bytes key: [UInt8]) throws -> Bool { try redis.command(["EXISTS", key]).int == 1 }
    /// Keys other than wwctl's own (invalidations create epoch keys).
    func dbsize() throws -> Int {
        var scanner = redis.scan(count: 1000)
        var count = 0
        try scanner.forEachKey { if !$0.starts(with: Array("wwctl:".utf8)) { count += 1 } }
        return count
    }

    func pattern(_ text: String) -> InvalidationTarget { .pattern(Array(text.utf8)) }

    func run(_ targets: [InvalidationTarget], prefix: String = "", dryRun: Bool = false, all: Bool = false, count: Int = 10_000) throws -> InvalidationReport {
        var service = PatternInvalidation(redis: redis)
        service.scanCount = count
        return try service.run(InvalidationRequest(targets: targets, keyspace: keyspace(prefix), allowMatchAll: all), dryRun: dryRun)
    }

    @Test func patternDeletesExactlyItsKeysAmongDecoysSharingPrefixes() throws {
        try redis.command(["FLUSHDB"])
        let targets = (0..<300).map { "perm:42:\($0):product:read" }
        let decoys = ["perm:420:1:product:read", "perm:4:1:product:read", "perm:4:42:product:read", "perm:42", "xperm:42:1", "Perm:42:1:a:b"]
        try set(targets + decoys)
        let report = try run([pattern("perm:42:*")], count: 37)
        #expect(report.deleted == 300)
        #expect(report.matched == 300)
        #expect(report.walks.count == 1)
        #expect(report.scanned >= 300)
        for decoy in decoys { #expect(try exists(decoy), "\(decoy) was deleted") }
        #expect(try dbsize() == decoys.count)
    }

    @Test func familyTargetChecksEveryKeysShape() throws {
        try redis.command(["FLUSHDB"])
        let perm = ["perm:42:7:product:read", "perm:42:8:order:create"]
        // perm:42:* reaches these too, but none has perm's shape (five segments, integer ids).
        let lookalikes = ["perm:42:7:product", "perm:42:x:product:read", "perm:42:7:product:read:extra", "perm:420:7:product:read"]
        try set(perm + lookalikes)
        let target = try InvalidationTarget.family("perm", params: ["userId=42"], in: unprefixed)
        guard case .selector(let selector) = target else {
            Issue.record("expected a selector, got \(target)")
            return
        }
        #expect(selector.patternText == "perm:42:*:*:*")
        let report = try run([target])
        #expect(report.deleted == 2)
        for key in perm { #expect(try !exists(key)) }
        for key in lookalikes { #expect(try exists(key), "\(key) was deleted") }
    }

    @Test func familyWithEveryParameterNamesOneKeyAndTakesGlobCharactersLiterally() throws {
        try redis.command(["FLUSHDB"])
        try set(["session:a[1]*", "session:a1x", "session:a1", "session:a[1]*x", "session:a\\[1\\]*"])
        let target = try InvalidationTarget.family("session", params: ["sessionId=a[1]*"], in: unprefixed)
        #expect(target == .key(Array("session:a[1]*".utf8)))
        let report = try run([target])
        #expect(report.deleted == 1)
        #expect(report.walks.isEmpty)
        #expect(try !exists("session:a[1]*"))
        #expect(try dbsize() == 4)
    }

    @Test func familySelectorEscapesGlobCharactersInARestParameter() throws {
        try redis.command(["FLUSHDB"])
        let wanted = ["ratelimit:1:GET:/api/[x]*", "ratelimit:10.0.0.1:GET:/api/[x]*", "ratelimit:2001:db8::1:GET:/api/[x]*"]
        let decoys = ["ratelimit:1:GET:/api/x", "ratelimit:1:GET:/api/[x]*/more", "ratelimit:1:GET:/api/xy", "ratelimit:abc:GET:/api/[x]*"]
        try set(wanted + decoys)
        let target = try InvalidationTarget.family("ratelimit", params: ["endpoint=GET:/api/[x]*"], in: unprefixed)
        #expect(target.scanPattern == Array("ratelimit:*:GET:/api/\\[x\\]\\*".utf8))
        let report = try run([target])
        #expect(report.deleted == 3)
        for key in wanted { #expect(try !exists(key), "\(key) survived") }
        for key in decoys { #expect(try exists(key), "\(key) was deleted") }
    }

    @Test func rawPatternWithEscapedMetacharacters() throws {
        try redis.command(["FLUSHDB"])
        try set(["product:[1]", "product:[1]:with-variants", "product:1", "product:1:with-variants", "product:[2]"])
        let report = try run([pattern("product:\\[1\\]*")])
        #expect(report.deleted == 2)
        #expect(try exists("product:1"))
        #expect(try exists("product:1:with-variants"))
        #expect(try exists("product:[2]"))
        // Without a wildcard, escapes resolved, the text names one key: no walk.
        #expect(InvalidationTarget.classify(Array("product:\\[2\\]".utf8)) == .key(Array("product:[2]".utf8)))
        let byName = try run([.classify(Array("product:\\[2\\]".utf8))])
        #expect(byName.deleted == 1)
        #expect(byName.walks.isEmpty)
        #expect(try !exists("product:[2]"))
    }

    @Test func binaryKeysWithNewlinesAndFFBytes() throws {
        try redis.command(["FLUSHDB"])
        let walked: [[UInt8]] = [Array("bin:".utf8) + [0x0A, 0xFF], Array("bin:".utf8) + [0xFF, 0x00, 0x0A]]
        let named: [UInt8] = Array("other:".utf8) + [0x0A, 0xFF]
        let keep: [[UInt8]] = [Array("bim:".utf8) + [0xFF], Array("other:".utf8) + [0x0A]]
        try set(bytes: walked + [named] + keep)
        let report = try run([.pattern(Array("bin:*".utf8)), .key(named)])
        #expect(report.deleted == 3)
        #expect(report.namedMatched == 1)
        for key in walked + [named] { #expect(try !exists(bytes: key)) }
        for key in keep { #expect(try exists(bytes: key)) }
    }

    @Test func dryRunCountsAndListsButDeletesNothingAndBumpsNoEpoch() throws {
        try redis.command(["FLUSHDB"])
        try set((0..<250).map { "stock:\($0)" } + ["cart:1", "cart:2"])
        let before = try ChangeLog(redis: redis, keyspace: unprefixed).position()
        var listed: [[UInt8]] = []
        let report = try PatternInvalidation(redis: redis, scanCount: 20).run(
            InvalidationRequest(targets: [pattern("stock:*"), .key(Array("cart:1".utf8)), .key(Array("cart:9".utf8))], keyspace: unprefixed),
            dryRun: true, onKey: { listed.append($0) })
        #expect(report.dryRun)
        #expect(report.matched == 251)
        #expect(report.namedMatched == 1)
        #expect(report.deleted == 0)
        #expect(Set(listed) == Set(((0..<250).map { "stock:\($0)" } + ["cart:1"]).map { Array($0.utf8) }))
        #expect(try dbsize() == 252)
        #expect(try ChangeLog(redis: redis, keyspace: unprefixed).position() == before)
        #expect(report.families.isEmpty)
    }

    @Test func matchAllPatternsAreRefusedWithoutAll() throws {
        try redis.command(["FLUSHDB"])
        try set(["perm:1:1:a:b", "app:perm:1:1:a:b", "x"])
        for text in ["*", "*:x", "?erm:*", "[ap]*", "**"] {
            let request = InvalidationRequest(targets: [pattern(text)], keyspace: unprefixed)
            #expect(throws: WWError.self) { try request.validate() }
            #expect(throws: WWError.self) { _ = try PatternInvalidation(redis: redis).run(request, dryRun: false) }
            #expect(pattern(text).isMatchAll(in: unprefixed))
        }
        // With a key prefix, the prefix alone is match-all too; a literal past it is not.
        #expect(pattern("app:*").isMatchAll(in: keyspace("app:")))
        #expect(pattern("ap*").isMatchAll(in: keyspace("app:")))
        #expect(!pattern("app:perm:*").isMatchAll(in: keyspace("app:")))
        #expect(!pattern("perm:*").isMatchAll(in: unprefixed))
        #expect(throws: WWError.self) { try InvalidationRequest(targets: [pattern("app:*")], keyspace: keyspace("app:")).validate() }
        #expect(throws: WWError.self) { try InvalidationRequest(targets: [], keyspace: unprefixed).validate() }
        #expect(try dbsize() == 3)

        let report = try run([pattern("*")], all: true)
        #expect(report.deleted == 3)
        #expect(try dbsize() == 0)
    }

    @Test func wwctlsOwnKeysAreNeverDeleted() throws {
        try redis.command(["FLUSHDB"])
        // Each prefix's change log and the epochs of one slot (a warm guarded per slot
        // creates the fields it reads), another prefix's old per-family epoch, a lock.
        for space in [unprefixed, keyspace("app:")] {
            let key = try space.key(.perm, ["userId": "1", "orgId": "1", "resource": "a", "action": "b"])
            try redis.command(["HSET", space.epochKey(slot: space.slot(of: key)), "perm", 0])
            try InvalidationEpochs(redis: redis, keyspace: space).bump(keys: [key])
        }
        try set(["perm:1:1:a:b", "app:perm:1:1:a:b", "wwctl:lock:warm", "other", "wwctl-not-ours", "x:wwctl:epochs", "old:wwctl:epoch:perm"])
        let report = try run([pattern("*")], all: true)
        // Two logs, two epoch hashes, the lock, the old epoch.
        #expect(report.skippedInternal == 6)
        #expect(report.deleted == 5)
        #expect(try exists("wwctl:epochs:log"))
        #expect(try exists("app:wwctl:epochs:log"))
        #expect(try exists("old:wwctl:epoch:perm"))
        #expect(try exists("wwctl:lock:warm"))
        // The epoch hash of the slot was bumped once by the key, once by `*`; app:'s by its key.
        let key = Array("perm:1:1:a:b".utf8)
        #expect(try InvalidationEpochs(redis: redis, keyspace: unprefixed).epoch(of: key, family: "perm") == 2)
        #expect(try InvalidationEpochs(redis: redis, keyspace: keyspace("app:")).epoch(of: Array("app:".utf8) + key, family: "perm") == 1)
        let byName = try run([.key(Array("wwctl:lock:warm".utf8))])
        #expect(byName.deleted == 0)
        #expect(byName.skippedInternal == 1)
        #expect(try exists("wwctl:lock:warm"))
    }

    @Test func epochsAreBumpedBeforeTheFirstDeletion() throws {
        try redis.command(["FLUSHDB"])
        try set((0..<50).map { "perm:42:\($0):product:read" } + ["product:7", "org:3", "org:3:members", "session:x"])
        let log = ChangeLog(redis: redis, keyspace: unprefixed)
        let before = try log.position()
        let observer = ChangeLog(redis: try RedisConnection(server.url(database: 0)), keyspace: unprefixed)
        var recordedAtFirstMatch: [(Int, ChangeRecord)]?
        let report = try PatternInvalidation(redis: redis).run(
            InvalidationRequest(targets: [pattern("perm:42:*")], keyspace: unprefixed), dryRun: false,
            onKey: { key in
                // Called when the key is matched, before its UNLINK is sent.
                if recordedAtFirstMatch == nil, key.starts(with: Array("perm:".utf8)) {
                    recordedAtFirstMatch = try? observer.records(since: before)
                    #expect((try? self.exists(String(decoding: key, as: UTF8.self))) == true)
                }
            })
        #expect(report.deleted == 50)
        // A pattern touches every family it may reach as a whole, recorded before the walk.
        #expect(recordedAtFirstMatch?.map(\.1) == [ChangeRecord([.init("perm", .all)])])
        #expect(report.families == ["perm"])

        let afterPattern = try log.position()
        let named = try run([.key(Array("product:7".utf8)), .key(Array("session:x".utf8))])
        #expect(named.families == ["product"])
        let org = try run([try InvalidationTarget.family("org", params: [], in: unprefixed)])
        #expect(org.families == ["org"])
        #expect(try exists("org:3:members"))
        // By name: the keys of warmable families (a session is never warmed); a family
        // selector without parameters: the family as a whole.
        let records = try #require(try log.records(since: afterPattern)).map(\.1)
        #expect(records == [
            ChangeRecord([.init("product", .keys([Array("product:7".utf8)]))]),
            ChangeRecord([.init("org", .all)]),
        ])
    }

    @Test func keysDeletedByAnotherClientDuringTheWalkAreNotCounted() throws {
        try redis.command(["FLUSHDB"])
        try set((0..<3000).map { "cart:\($0)" })
        let other = try RedisConnection(server.url(database: 0))
        var otherDeleted = 0
        var step = 0
        var service = PatternInvalidation(redis: redis)
        service.scanCount = 100
        let report = try service.run(InvalidationRequest(targets: [pattern("cart:*")], keyspace: unprefixed), dryRun: false, onProgress: { _ in
            step += 1
            otherDeleted += Int((try? other.command(["DEL"] + (0..<20).map { "cart:\((step * 20 + $0) * 7 % 3000)" as any RedisArgument }).int) ?? 0)
        })
        #expect(otherDeleted > 0)
        #expect(report.deleted + otherDeleted == 3000)
        #expect(try dbsize() == 0)
    }

    @Test func keysPresentThroughoutGoWhileTheKeyspaceGrows() throws {
        try redis.command(["FLUSHDB"])
        let original = (0..<4000).map { "session:s\($0)" }
        try set(original)
        let other = try RedisConnection(server.url(database: 0))
        var added = 0
        var service = PatternInvalidation(redis: redis)
        service.scanCount = 100
        let report = try service.run(InvalidationRequest(targets: [pattern("session:s*")], keyspace: unprefixed), dryRun: false, onProgress: { _ in
            _ = try? other.pipeline((0..<300).map { ["SET", "session:new\(added + $0)", "v"] })
            added += 300
        })
        for key in original { #expect(try !exists(key)) }
        // New keys may or may not have been seen; whatever was deleted is counted exactly.
        #expect(report.deleted == 4000 + added - (try dbsize()))
    }

    @Test func namedKeysCountOnceHoweverOftenNamed() throws {
        try redis.command(["FLUSHDB"])
        try set(["stock:1", "stock:2", "stock:3"])
        let names = ["stock:1", "stock:1", "stock:2", "stock:9", "stock:2"].map { Array($0.utf8) }
        // A dry run counts (and lists) a key named twice in one batch once, as UNLINK does.
        var listed: [[UInt8]] = []
        let dry = try PatternInvalidation(redis: redis).run(
            InvalidationRequest(targets: [], streamed: KeyNames(names), streamedCount: 5, keyspace: unprefixed), dryRun: true, onKey: { listed.append($0) })
        #expect(dry.keysNamed == 5)
        #expect(dry.namedMatched == 2)
        #expect(dry.matched == 2)
        #expect(listed == [names[0], names[2]])
        #expect(try dbsize() == 3)
        var service = PatternInvalidation(redis: redis)
        service.namesPerRoundTrip = 2
        let report = try service.run(
            InvalidationRequest(targets: [.key(names[0])], streamed: KeyNames(Array(names.dropFirst())), streamedCount: 4, keyspace: unprefixed), dryRun: false)
        #expect(report.keysNamed == 5)
        #expect(report.deleted == 2)
        #expect(try exists("stock:3"))
        // Deleting by name bumps the epoch of each named key's family, so a warm that read
        // before cannot write the old values back; a name of no family bumps nothing.
        #expect(report.families == ["stock"])
        let unknown = try PatternInvalidation(redis: redis).run(
            InvalidationRequest(targets: [.key(Array("nofamily:1".utf8))], streamed: KeyNames([]), streamedCount: 0, keyspace: unprefixed), dryRun: false)
        #expect(unknown.families.isEmpty)
    }

    @Test func threeOrMorePatternsShareOneWalk() throws {
        try redis.command(["FLUSHDB"])
        let wanted = ["perm:1:1:a:b", "perm:2:1:a:b", "perm:3:9:a:b", "perm:33:1:a:b"]
        let decoys = ["perm:10:1:a:b", "perm:4:1:a:b", "product:1", "perm"]
        try set(wanted + decoys)
        let report = try run([pattern("perm:1:*"), pattern("perm:2:*"), pattern("perm:3*"), pattern("perm:3:*")])
        #expect(report.walks.count == 1)
        #expect(report.walks[0].pattern == Array("perm:*".utf8))
        #expect(report.deleted == 4)
        for key in decoys { #expect(try exists(key), "\(key) was deleted") }
        #expect(PatternInvalidationTests.shared(["a:x*", "b:*", "a:y"]) == "*")
        #expect(PatternInvalidationTests.shared(["p\\*q:1*", "p\\*q:2*", "p\\*q:3?"]) == "p\\*q:*")
    }

    static func shared(_ patterns: [String]) -> String {
        let targets = patterns.map { InvalidationTarget.pattern(Array($0.utf8)) }
        return String(decoding: PatternInvalidation.sharedPattern(targets), as: UTF8.self)
    }

    @Test func interruptStopsBetweenBatchesAndReportsWhatWasDeleted() throws {
        try withOwnInterrupt { interrupt in
            try redis.command(["FLUSHDB"])
            try set((0..<5000).map { "stock:\($0)" } + (0..<10).map { "cart:\($0)" })
            var batches = 0
            var service = PatternInvalidation(redis: redis)
            service.scanCount = 100
            let report = try service.run(InvalidationRequest(targets: [pattern("stock:*"), pattern("cart:*")], keyspace: unprefixed), dryRun: false, onProgress: { _ in
                batches += 1
                if batches == 5 { interrupt.request() }
            })
            #expect(report.interrupted)
            #expect(report.walks.count == 1)  // the second walk never started
            let remaining = try dbsize()
            #expect(report.deleted == 5010 - remaining)
            #expect(remaining > 10)
            #expect(try exists("cart:0"))
        }
    }

    /// `-v` after Ctrl-C lists only keys that were deleted: the batch being checked when
    /// the interrupt came is counted as matched, but neither listed nor deleted.
    @Test func interruptedWalkListsOnlyKeysItDeleted() throws {
        try withOwnInterrupt { interrupt in
            try redis.command(["FLUSHDB"])
            try set((0..<5000).map { "stock:\($0)" })
            var batches = 0
            var listed: [[UInt8]] = []
            var service = PatternInvalidation(redis: redis)
            service.scanCount = 100
            let report = try service.run(
                InvalidationRequest(targets: [pattern("stock:*")], keyspace: unprefixed), dryRun: false,
                onProgress: { _ in
                    batches += 1
                    if batches == 5 { interrupt.request() }
                },
                onKey: { listed.append($0) })
            // At once: the flag is process-wide, and other suites sweep in parallel.
            interrupt.reset()
            #expect(report.interrupted)
            #expect(!listed.isEmpty)
            let left = try listed.count { try exists(bytes: $0) }
            #expect(left == 0, "keys listed but not deleted")
            #expect(Set(listed).count == report.deleted)
            #expect(report.matched > report.deleted)
        }
    }

    /// Ctrl-C while deleting streamed names stops reading them: the batch after the
    /// interrupt is the last one the source builds, not every batch of the spool.
    @Test func interruptStopsReadingStreamedNames() throws {
        try withOwnInterrupt { interrupt in
            try redis.command(["FLUSHDB"])
            try set((0..<1000).map { "stock:\($0)" })
            let source = CountingNames((0..<10_000).map { Array("stock:\($0)".utf8) })
            var service = PatternInvalidation(redis: redis)
            service.namesPerRoundTrip = 100
            let report = try service.run(
                InvalidationRequest(targets: [], streamed: source, streamedCount: 10_000, keyspace: unprefixed), dryRun: false,
                onProgress: { _ in interrupt.request() })
            interrupt.reset()
            #expect(report.interrupted)
            #expect(report.deleted == 100)
            #expect(source.batches == 2)
            #expect(try dbsize() == 900)
        }
    }

    @Test func estimateSamplesTheDatabase() throws {
        try redis.command(["FLUSHDB"])
        try set((0..<500).map { "stock:\($0)" })
        let service = PatternInvalidation(redis: redis)
        let all = try service.estimate(InvalidationRequest(targets: [pattern("stock:*")], keyspace: unprefixed), sample: 200)
        #expect(all.databaseKeys == 500)
        #expect(all.sampled == 200)
        #expect(all.sampleMatches == 200)
        #expect(all.estimatedWalkMatches == 500)
        let none = try service.estimate(InvalidationRequest(targets: [pattern("cart:*"), .key(Array("x".utf8))], keyspace: unprefixed), sample: 200)
        #expect(none.sampleMatches == 0)
        #expect(none.estimatedWalkMatches == 0)
        #expect(none.keysNamed == 1)
        let names = try service.estimate(InvalidationRequest(targets: [.key(Array("stock:1".utf8))], keyspace: unprefixed))
        #expect(names.estimatedWalkMatches == nil)
        #expect(try dbsize() == 500)
    }

    @Test func familyTargetErrorsAreCategorized() throws {
        func category(_ body: () throws -> Void) -> ErrorCategory? {
            do {
                try body()
                return nil
            } catch let error as any CategorizedError {
                return error.category
            } catch {
                return .internalError
            }
        }
        #expect(category { _ = try InvalidationTarget.family("prodcut", params: [], in: unprefixed) } == .usage)
        do {
            _ = try InvalidationTarget.family("prodcut", params: [], in: unprefixed)
        } catch let error as KeyspaceError {
            #expect(error.message.contains("did you mean 'product'"))
        }
        #expect(category { _ = try InvalidationTarget.family("product", params: ["id=1"], in: unprefixed) } == .usage)
        #expect(category { _ = try InvalidationTarget.family("product", params: ["productId"], in: unprefixed) } == .usage)
        #expect(category { _ = try InvalidationTarget.family("perm", params: ["userId=1", "userId=2"], in: unprefixed) } == .usage)
        #expect(category { _ = try InvalidationTarget.family("product", params: ["productId=abc"], in: unprefixed) } == .dataError)
        #expect(category { _ = try InvalidationTarget.family("product", params: ["productId=[1]"], in: unprefixed) } == .dataError)
        #expect(category { _ = try InvalidationTarget.family("admin-stats", params: ["period=year"], in: unprefixed) } == .dataError)
        // Values are written as the app writes them, with the prefix in front.
        #expect(try InvalidationTarget.family("commission", params: ["productId=5", "price=20.00"], in: keyspace("app:"))
            == .key(Array("app:commission:5:20".utf8)))
        #expect(try InvalidationTarget.family("perm", params: ["userId=5"], in: keyspace("a*b:")).scanPattern
            == Array("a\\*b:perm:5:*:*:*".utf8))
    }

    @Test func adaptiveCountWalksSelectivePatternsInFewRoundTripsAndKeepsBigMatchesInSmallBatches() throws {
        try redis.command(["FLUSHDB"])
        try set((0..<20_000).map { "stock:\($0)" } + (0..<10).map { "cart:\($0)" })
        let fixed = try KeySweeper(redis: redis, count: 500).sweep(pattern: Array("cart:*".utf8), dryRun: true)
        let adaptive = KeySweeper(redis: redis, count: 500, adaptiveCount: KeySweeper.adaptiveRange, batchTarget: 500)
        let selective = try adaptive.sweep(pattern: Array("cart:*".utf8), dryRun: true)
        #expect(fixed.matched == 10)
        #expect(selective.matched == 10)
        #expect(fixed.roundTrips >= 40)
        #expect(selective.roundTrips <= 10)
        let broad = try adaptive.sweep(pattern: Array("stock:*".utf8))
        #expect(broad.deleted == 20_000)
        #expect(broad.roundTrips >= 15)
        #expect(try dbsize() == 10)
    }

    @Test func progressReportsTheShareOfTheKeyspaceWalked() throws {
        try redis.command(["FLUSHDB"])
        try set((0..<5_000).map { "stock:\($0)" })
        var fractions: [Double] = []
        var service = PatternInvalidation(redis: redis)
        service.scanCount = 200
        _ = try service.run(InvalidationRequest(targets: [pattern("stock:1*")], keyspace: unprefixed), dryRun: true, onProgress: { fractions.append($0.walkedFraction) })
        #expect(fractions.count > 5)
        #expect(fractions == fractions.sorted())
        #expect(fractions.last == 1)
        #expect(fractions.first.map { $0 > 0 && $0 < 0.5 } == true)
    }

    @Test func classifyTellsPatternsFromKeys() {
        #expect(InvalidationTarget.classify(Array("perm:*".utf8)) == .pattern(Array("perm:*".utf8)))
        #expect(InvalidationTarget.classify(Array("product:?".utf8)) == .pattern(Array("product:?".utf8)))
        #expect(InvalidationTarget.classify(Array("product:[12]".utf8)) == .pattern(Array("product:[12]".utf8)))
        #expect(InvalidationTarget.classify(Array("product:12".utf8)) == .key(Array("product:12".utf8)))
        #expect(InvalidationTarget.classify(Array("a]b".utf8)) == .key(Array("a]b".utf8)))
        #expect(InvalidationTarget.classify(Array("a\\*b".utf8)) == .key(Array("a*b".utf8)))
        #expect(InvalidationTarget.classify(Array("a\\\\*".utf8)) == .pattern(Array("a\\\\*".utf8)))
        #expect(InvalidationTarget.classify(Array("perm:*".utf8), exact: true) == .key(Array("perm:*".utf8)))
    }
}

/// Names handed out in batches, counting the batches built.
final class CountingNames: KeyNameSource {
    let names: [[UInt8]]
    private(set) var batches = 0

    init(_ names: [[UInt8]]) { self.names = names }

    func forEachBatch(size: Int, _ body: ([[UInt8]]) throws -> Bool) throws {
        var start = 0
        while start < names.count {
            let end = min(names.count, start + size)
            batches += 1
            guard try body(Array(names[start..<end])) else { return }
            start = end
        }
    }
}
