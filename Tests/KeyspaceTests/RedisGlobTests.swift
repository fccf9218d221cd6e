import Foundation
import Glibc
import Keyspace
import Testing

/// A redis-server of our own (ports 6420-6429, this module's range), to check `Glob.match`
/// against the server's own `SCAN … MATCH`.
final class SpawnedRedis {
    let process: Process
    let port: Int
    let connection: Int32

    init() throws {
        var failure = "no free port in 6420-6429"
        for port in 6420...6429 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
            process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                 "--daemonize", "no", "--loglevel", "warning"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until it answers, or exits (port taken by someone else).
            for _ in 0..<400 {
                if !process.isRunning { break }
                if let fd = Self.connect(port: port) {
                    // Only our own child counts (another server may hold the port).
                    if case .bulk(let info?)? = try? Self.command(fd, ["INFO", "server"]),
                       String(decoding: info, as: UTF8.self).contains("process_id:\(process.processIdentifier)\r\n") {
                        self.process = process
                        self.port = port
                        self.connection = fd
                        return
                    }
                    close(fd)
                }
                usleep(25_000)
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            failure = "redis-server did not start on port \(port)"
        }
        throw RESPError.message(failure)
    }

    /// SHUTDOWN rather than SIGTERM: the test runner's blocked signals are inherited by
    /// the child, so redis-server would never see the signal. SIGKILL is the fallback.
    deinit {
        _ = try? Self.command(connection, ["SHUTDOWN", "NOSAVE"])
        close(connection)
        for _ in 0..<200 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    func command(_ args: [[UInt8]]) throws -> RESPValue { try Self.command(connection, args) }

    func command(_ args: [String]) throws -> RESPValue { try Self.command(connection, args.map { Array($0.utf8) }) }

    /// Every key `SCAN 0 MATCH pattern` returns, following the cursor to the end.
    func scan(match pattern: [UInt8]) throws -> Set<[UInt8]> {
        var cursor: [UInt8] = Array("0".utf8)
        var keys = Set<[UInt8]>()
        repeat {
            let reply = try command([Array("SCAN".utf8), cursor, Array("MATCH".utf8), pattern,
                                     Array("COUNT".utf8), Array("1000".utf8)])
            guard case .array(let parts) = reply, parts.count == 2, case .bulk(let next?) = parts[0],
                  case .array(let batch) = parts[1] else { throw RESPError.message("bad SCAN reply \(reply)") }
            for item in batch {
                if case .bulk(let key?) = item { keys.insert(key) }
            }
            cursor = next
        } while cursor != Array("0".utf8)
        return keys
    }

    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            close(fd)
            return nil
        }
        return fd
    }

    static func command(_ fd: Int32, _ args: [String]) throws -> RESPValue {
        try command(fd, args.map { Array($0.utf8) })
    }

    static func command(_ fd: Int32, _ args: [[UInt8]]) throws -> RESPValue {
        var out = Array("*\(args.count)\r\n".utf8)
        for arg in args {
            out += Array("$\(arg.count)\r\n".utf8) + arg + Array("\r\n".utf8)
        }
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw RESPError.message("send failed") }
            sent += n
        }
        var reader = RESPReader(fd: fd)
        return try reader.read()
    }
}

enum RESPError: Error { case message(String) }

enum RESPValue: Equatable {
    case simple(String)
    case error(String)
    case integer(Int)
    case bulk([UInt8]?)
    case array([RESPValue])
}

struct RESPReader {
    let fd: Int32
    var buffer: [UInt8] = []
    var position = 0

    init(fd: Int32) { self.fd = fd }

    mutating func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw RESPError.message("connection closed") }
        buffer += chunk[0..<n]
    }

    mutating func line() throws -> [UInt8] {
        while true {
            if let end = buffer[position...].firstIndex(of: 13), end + 1 < buffer.count {
                let text = Array(buffer[position..<end])
                position = end + 2
                return text
            }
            try fill()
        }
    }

    mutating func bytes(_ count: Int) throws -> [UInt8] {
        while buffer.count - position < count + 2 { try fill() }
        let data = Array(buffer[position..<(position + count)])
        position += count + 2
        return data
    }

    mutating func read() throws -> RESPValue {
        let header = try line()
        guard let type = header.first else { throw RESPError.message("empty reply line") }
        let rest = String(decoding: header.dropFirst(), as: UTF8.self)
        switch type {
        case UInt8(ascii: "+"): return .simple(rest)
        case UInt8(ascii: "-"): return .error(rest)
        case UInt8(ascii: ":"): return .integer(Int(rest) ?? 0)
        case UInt8(ascii: "$"):
            let length = Int(rest) ?? -1
            return length < 0 ? .bulk(nil) : .bulk(try bytes(length))
        case UInt8(ascii: "*"):
            let count = Int(rest) ?? -1
            var items: [RESPValue] = []
            for _ in 0..<max(count, 0) { items.append(try read()) }
            return .array(items)
        default:
            throw RESPError.message("unexpected reply type \(type)")
        }
    }
}

/// A deterministic generator for fuzzing (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

@Suite(.serialized) struct RedisGlobTests {
    /// Loads `keys` into a fresh database and checks, for every pattern, that SCAN MATCH
    /// returns exactly the keys `Glob.scanMatches` accepts.
    func compare(keys: Set<[UInt8]>, patterns: [[UInt8]]) throws {
        let redis = try SpawnedRedis()
        #expect(try redis.command(["DBSIZE"]) == .integer(0))
        for key in keys {
            let reply = try redis.command([Array("SET".utf8), key, Array("1".utf8)])
            #expect(reply == .simple("OK"))
        }
        #expect(try redis.command(["DBSIZE"]) == .integer(keys.count))
        for pattern in patterns {
            let server = try redis.scan(match: pattern)
            let ours = Set(keys.filter { Glob.scanMatches(pattern: pattern, key: $0) })
            #expect(server == ours, "pattern \(String(decoding: pattern, as: UTF8.self).debugDescription)")
        }
    }

    @Test func globCaseTableAgreesWithRedis() throws {
        // Each table row's key, plus the empty key to expose SCAN's "*" shortcut.
        let keys = Set(globCases.map { Array($0.1.utf8) } + [[]])
        let patterns = globCases.map { Array($0.0.utf8) }
        try compare(keys: keys, patterns: patterns)
        // And the table's own verdicts are Redis's (stringmatchlen, without the shortcut).
        for (pattern, key, expected) in globCases where !(pattern == "*" && key.isEmpty) {
            #expect(Glob.scanMatches(pattern: pattern, key: key) == expected)
        }
    }

    @Test func familyPatternsAgreeWithRedis() throws {
        var keys = Set<[UInt8]>()
        for (name, samples) in sampleParams {
            guard let family = KeyspaceRegistry.family(named: name) else { continue }
            for params in samples {
                keys.insert(try unprefixed.key(family, params))
                keys.insert(try keyspace("my*app:").key(family, params))
            }
        }
        for decoy in ["perm:420:1:product:read", "perm:4:1:product:read", "product:[1]", "product:1", "product:\\1",
                      "org:42:members", "org:search:x", "commission:9:20.00", "ratelimit:::12:GET:/x"] {
            keys.insert(Array(decoy.utf8))
        }
        keys.insert(Array("session:".utf8) + [0xFF, 0x0A, 0x00])
        var patterns: [[UInt8]] = []
        for family in KeyspaceRegistry.standard.families {
            patterns.append(try unprefixed.selector(family).pattern)
            patterns.append(try keyspace("my*app:").selector(family).pattern)
        }
        patterns.append(try unprefixed.selector(.product, params: ["productId": "[1]"]).pattern)
        patterns.append(try unprefixed.selector(.perm, params: ["userId": "42"]).pattern)
        patterns.append(try unprefixed.selector(.session, params: ["sessionId": "a\\b"]).pattern)
        patterns.append(try unprefixed.selector(.rateLimit, params: ["subject": "::1"]).pattern)
        try compare(keys: keys, patterns: patterns)
    }

    @Test func fuzzedPatternsAgreeWithRedis() throws {
        var random = SplitMix64(state: 0x5EED_0004)
        let alphabet: [UInt8] = Array("ab:*?[]\\^-".utf8) + [0xFF, 0x00]
        func word(_ maxLength: Int, from letters: [UInt8]) -> [UInt8] {
            (0..<random.below(maxLength + 1)).map { _ in letters[random.below(letters.count)] }
        }
        var keys = Set<[UInt8]>()
        while keys.count < 400 { keys.insert(word(7, from: alphabet)) }
        var patterns: [[UInt8]] = []
        for _ in 0..<1500 { patterns.append(word(8, from: alphabet)) }
        // Escaped keys must select exactly themselves.
        for key in keys.prefix(40) { patterns.append(Glob.escape(bytes: key)) }
        try compare(keys: keys, patterns: patterns)
    }
}
