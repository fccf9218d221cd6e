import Foundation
import Testing
import Synchronization
import CacheOps
import Keyspace
import Marketplace
import Postgres
import Redis
import Schema
import Support
import TestSupport

/// Issue 23's proof on real servers: a warm of tens of thousands of keys (the small seed:
/// 55,000 perm keys, 25,000 products, 50,000 variants) while a second process — wwctl's
/// own REPL, fed one change every few milliseconds — sets roles, grants and revokes
/// permissions and changes prices for the whole of the warm's window. Afterwards nothing
/// cached is stale (`perms audit`, and every product, product-with-variants and stock key
/// compared with the database), every key no change touched is there, and the report's
/// count of each family is what Redis holds. Once per guard. Own database and
/// redis-server (port 6451).
@Suite(.serialized) final class WarmUnderChangesTests {
    let server: RedisTestServer
    let redis: RedisConnection

    static let minimumChanges = 10
    static let families = ["perm", "user-orgs", "org-members", "product", "product-variants", "stock"]

    init() throws {
        server = try RedisTestServer(port: 6451)
        redis = try RedisConnection(server.url())
    }

    /// The small seed, made once for the suite and dropped when the process exits.
    private static let seeded: Result<TestDatabase, WarmStreamError> = {
        do {
            let database = try TestDatabase.create(prefix: "warmstream")
            WarmUnderChangesTests.created = database
            atexit { WarmUnderChangesTests.created?.drop() }
            let connection = try database.connect()
            defer { connection.close() }
            try Migrator(connection).migrate()
            try Seeder(connection).seed(scale: .small, seed: 1)
            return .success(database)
        } catch {
            return .failure(WarmStreamError(description: "\(error)"))
        }
    }()

    nonisolated(unsafe) private static var created: TestDatabase?

    @Test(arguments: WarmGuard.allCases)
    func aWarmRacingAStreamOfChangesLeavesNothingStaleAndReportsWhatRedisHolds(_ guardMode: WarmGuard) throws {
        let database = try Self.seeded.get()
        let postgres = try database.connect()
        defer { postgres.close() }
        try redis.command(["FLUSHALL"])
        let start = try ChangeLog(redis: redis, keyspace: unprefixed).position()

        let changer = try ChangeStream(lines: try Self.changes(postgres), databaseURL: database.url, redisURL: server.url())
        var options = WarmOptions(families: Self.families)
        options.guardMode = guardMode
        // The stream starts once the warm has taken its first snapshot, and stops (every
        // change it sent done) just before the warm reads the change log a last time.
        options.afterSnapshot = { _ in changer.start() }
        // On a loaded machine the REPL answers slowly: the warm's last account waits until
        // enough changes were answered, so the race the test proves always happened.
        options.beforeFinalAccount = { changer.finish(afterAnswers: Self.minimumChanges) }
        let warmer = CacheWarmer(postgres: postgres, redis: redis, keyspace: unprefixed)
        let report = try warmer.run(options)

        let outcome = changer.finish()
        #expect(outcome.status == 0, "the REPL stopped at a failing change: \(outcome.errors)")
        #expect(outcome.sent >= Self.minimumChanges, "only \(outcome.sent) changes during the warm: the test proves little")
        #expect(report.refused + report.invalidated > 0, "no change touched a key the warm wrote: the test proves little")

        // Nothing stale.
        let audit = try PermissionService(postgres: postgres, redis: redis, keyspace: unprefixed).audit()
        let staleExamples = audit.stale.prefix(5).map(\.key)
        #expect(audit.staleCount == 0, "stale perm keys, e.g. \(staleExamples)")
        try checkProducts(postgres)

        // Every key no change touched is there.
        let present = try heldKeys()
        let touched = try Self.touched(since: start, redis)
        let missing = try Self.expectedKeys(postgres).subtracting(touched).subtracting(present.keys)
        let examples = Array(missing.prefix(5))
        #expect(missing.count == 0, "untouched keys missing, e.g. \(examples)")

        // The report is what Redis holds, family by family.
        for family in report.families {
            #expect(family.keys == present.values.filter { $0 == family.name }.count, "\(family.name): \(family)")
            #expect(family.keys == family.written - family.invalidated)
        }
    }

    // MARK: the changes

    /// An endless, valid stream of changes: members' roles toggled between their own and
    /// another, a permission granted and revoked, prices set back and forth. Line k of
    /// round r undoes what round r-1 did. Members and products are spread over the id
    /// range, so some changes land on keys the warm has written and some ahead of it.
    static func changes(_ postgres: PostgresConnection) throws -> (Int) -> String {
        let members = try postgres.query("""
            SELECT ou.organization_id, ou.user_id, r.name FROM organization_users ou JOIN roles r ON r.id = ou.role_id
            WHERE r.name IN ('staff', 'viewer', 'manager') ORDER BY md5(ou.id::text) LIMIT 24
            """).map { (try $0.requiredInt(0), try $0.requiredInt(1), try $0.requiredString(2)) }
        let products = try postgres.query("SELECT id, price::text FROM products ORDER BY md5(id::text) LIMIT 12")
            .map { (try $0.requiredInt(0), try $0.requiredString(1)) }
        let grants = try postgres.query("""
            SELECT r.name, p.resource || ':' || p.action FROM roles r CROSS JOIN permissions p
            WHERE r.name = 'viewer' AND NOT EXISTS (
                SELECT 1 FROM role_permissions rp WHERE rp.role_id = r.id AND rp.permission_id = p.id)
            ORDER BY p.id LIMIT 3
            """).map { (try $0.requiredString(0), try $0.requiredString(1)) }
        var kinds: [(Int) -> String] = []
        for (org, user, role) in members {
            let other = role == "viewer" ? "staff" : "viewer"
            kinds.append { round in "orgs set-role \(org) \(user) \(round % 2 == 0 ? other : role)" }
        }
        for (id, price) in products {
            let base = ExactDecimal(price) ?? 10
            kinds.append { round in "products set-price \(id) \(base + ExactDecimal(coefficient: Int128(round % 2 + 1), scale: 2))" }
        }
        for (role, permission) in grants {
            kinds.append { round in "perms \(round % 2 == 0 ? "grant" : "revoke") \(role) \(permission)" }
        }
        // Interleaved: a role, a price, a role, a grant…
        let order = kinds.indices.sorted { ($0 * 7919) % kinds.count < ($1 * 7919) % kinds.count }
        return { index in kinds[order[index % kinds.count]](index / kinds.count) }
    }

    // MARK: what Redis holds

    /// The cache's keys (not wwctl's own) and their family.
    private func heldKeys() throws -> [String: String] {
        var keys: [String: String] = [:]
        var scanner = redis.scan(count: 1000)
        try scanner.forEachKey { key in
            if let family = unprefixed.parse(key).family { keys[String(decoding: key, as: UTF8.self)] = family.name }
        }
        return keys
    }

    /// Every key the change log's records since `start` name (by name, or swept).
    static func touched(since start: ChangeLogPosition, _ redis: RedisConnection) throws -> Set<String> {
        let records = try #require(try ChangeLog(redis: redis, keyspace: unprefixed).records(since: start))
        var keys = Set<String>()
        for (_, record) in records {
            for touch in record.touches {
                switch touch.touch {
                case .keys(let named), .swept(_, let named):
                    for key in named { keys.insert(String(decoding: key, as: UTF8.self)) }
                case .selector, .all:
                    break
                }
            }
        }
        return keys
    }

    /// The keys of the warmed families the database implies now.
    static func expectedKeys(_ postgres: PostgresConnection) throws -> Set<String> {
        var keys = Set<String>()
        for row in try postgres.query("""
            SELECT 'perm:' || ou.user_id || ':' || ou.organization_id || ':' || p.resource || ':' || p.action
            FROM organization_users ou CROSS JOIN permissions p
            UNION ALL SELECT DISTINCT 'user:orgs:' || user_id FROM organization_users
            UNION ALL SELECT 'org:' || id || ':members' FROM organizations
            UNION ALL SELECT 'product:' || id FROM products
            UNION ALL SELECT 'product:' || id || ':with-variants' FROM products
            UNION ALL SELECT 'stock:' || id FROM product_variants
            """) { keys.insert(try row.requiredString(0)) }
        return keys
    }

    /// Every product, product-with-variants and stock key Redis holds agrees with the database.
    private func checkProducts(_ postgres: PostgresConnection) throws {
        var prices: [Int64: String] = [:]
        var statuses: [Int64: String] = [:]
        for row in try postgres.query("SELECT id, price::text, status FROM products") {
            prices[try row.requiredInt64(0)] = try row.requiredString(1)
            statuses[try row.requiredInt64(0)] = try row.requiredString(2)
        }
        var stock: [Int64: Int64] = [:]
        for row in try postgres.query("SELECT id, stock FROM product_variants") {
            stock[try row.requiredInt64(0)] = try row.requiredInt64(1)
        }
        var stale: [String] = []
        var checked = 0
        let keys = try heldKeys().filter { ["product", "product-variants", "stock"].contains($0.value) }.map { ($0.key, $0.value) }
        var values: [String?] = []
        try redis.pipelined(keys.lazy.map { ["GET", $0.0] as [any RedisArgument] }) { _, reply in values.append(reply.string) }
        for ((key, family), stored) in zip(keys, values) {
            guard let text = stored else { continue }
            let id = Int64(key.split(separator: ":")[1]) ?? -1
            checked += 1
            if family == "stock" {
                if Int64(text) != stock[id] { stale.append(key) }
                continue
            }
            let value = try JSONParser.parse(text)
            if value["price"]?.stringValue != prices[id] || value["status"]?.stringValue != statuses[id] { stale.append(key) }
        }
        #expect(checked > 50_000)
        let examples = Array(stale.prefix(5))
        #expect(stale.count == 0, "stale product keys, e.g. \(examples)")
    }
}

struct WarmStreamError: Error, CustomStringConvertible {
    let description: String
}

/// The second process: `wwctl repl` reading one change per line from a pipe, fed by a
/// thread of this process from `start()` until `finish()`, which closes the pipe and waits
/// until the REPL has done every change it was sent. Each change asks for JSON, one line
/// on stdout: the feeder sends the next change once the REPL has answered the last one,
/// so the stream keeps pace with the REPL instead of queueing ahead of it.
final class ChangeStream: @unchecked Sendable {
    struct Outcome {
        var status: Int32
        var sent: Int
        var errors: String
    }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors: URL
    private let lines: (Int) -> String
    private let lock = NSCondition()
    private var started = false
    private var stopping = false
    private var outcome: Outcome?
    private var sent = 0
    /// Lines the REPL has answered.
    private var answered = 0
    /// The feeder has stopped and closed the pipe.
    private var fed = false

    init(lines: @escaping (Int) -> String, databaseURL: String, redisURL: String) throws {
        self.lines = lines
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wwctl")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw WarmStreamError(description: "no wwctl binary next to the tests (\(binary.path)): build it first")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wwctl-stream-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        errors = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = binary
        process.arguments = ["repl"]
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("REDIS_") && !$0.key.hasPrefix("DATABASE_") && !$0.key.hasPrefix("WWCTL_") && !$0.key.hasPrefix("PG")
        }
        environment["REDIS_URL"] = redisURL
        environment["DATABASE_URL"] = databaseURL
        environment["XDG_CONFIG_HOME"] = scratch.path
        environment["XDG_STATE_HOME"] = scratch.path
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Starts feeding (once).
    func start() {
        lock.lock()
        defer { lock.unlock() }
        guard !started, !stopping else { return }
        started = true
        Thread.detachNewThread { self.feed() }
    }

    /// The feeder: a line every few milliseconds until `finish`, then EOF. SIGPIPE is
    /// blocked on this thread, so a REPL that exits early makes a write fail, not the tests.
    private func feed() {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        var answers = LineReader(output.fileHandleForReading.fileDescriptor)
        while true {
            lock.lock()
            let stop = stopping
            let line = stop ? "" : lines(sent) + " -o json\n"
            if !stop { sent += 1 }
            lock.unlock()
            if stop || (try? input.fileHandleForWriting.write(contentsOf: Data(line.utf8))) == nil { break }
            // The REPL's answer (one line of JSON); EOF: it stopped.
            guard answers.next() else { break }
            lock.lock()
            answered += 1
            lock.broadcast()
            lock.unlock()
            usleep(2_000)
        }
        try? input.fileHandleForWriting.close()
        lock.lock()
        fed = true
        lock.broadcast()
        lock.unlock()
    }

    /// Stops feeding, once at least `minimum` lines were answered (or the feeder stopped),
    /// lets the REPL finish what it was sent, and returns how it ended.
    @discardableResult
    func finish(afterAnswers minimum: Int = 0) -> Outcome {
        lock.lock()
        if let outcome {
            lock.unlock()
            return outcome
        }
        if started {
            while answered < minimum && !fed { lock.wait() }
        }
        stopping = true
        if started {
            while !fed { lock.wait() }
        } else {
            try? input.fileHandleForWriting.close()
        }
        lock.unlock()
        process.waitUntilExit()
        lock.lock()
        defer { lock.unlock() }
        let result = Outcome(
            status: process.terminationStatus, sent: sent,
            errors: (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
        outcome = result
        return result
    }
}

/// Reads a file descriptor line by line, for the REPL's answers.
private struct LineReader {
    let descriptor: Int32
    var buffer: [UInt8] = []

    init(_ descriptor: Int32) { self.descriptor = descriptor }

    /// Consumes one line; false at EOF.
    mutating func next() -> Bool {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                buffer.removeSubrange(...newline)
                return true
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 4096) }
            if count <= 0 { return false }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
