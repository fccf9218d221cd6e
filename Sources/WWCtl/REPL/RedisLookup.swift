import Keyspace
import Redis
import Support

/// The questions Tab completion asks Redis, on a connection of its own with short
/// timeouts: completion must never hang the prompt, and must not disturb the session's
/// connections (a `MULTI` in progress, say). A failure just means no candidates; the
/// connection is dropped and made again on the next Tab.
///
/// Used from the thread that runs the line editor only, and closed by the REPL between
/// prompts (`use PROFILE`).
final class RedisLookup: @unchecked Sendable {
    struct Limits: Sendable {
        /// SCAN's COUNT hint.
        var count = 1000
        /// At most this many SCAN calls (about `count` keys walked each).
        var calls = 5
        /// And at most this long, in milliseconds.
        var milliseconds = 200.0
        /// Candidates returned at most.
        var keys = 100
    }

    let limits: Limits
    private var connection: RedisConnection?
    private var connectedTarget: RedisTarget?
    private var commandTables: [String: RedisCommandTable] = [:]
    /// `COMMAND INFO` answers of the current connection's server, by lower-case name.
    private var commandInfos: [String: RedisCommandAccess.Lookup] = [:]

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Keys under `prefix` whose text after it starts with `typed`, returned without the
    /// prefix, sorted; keys that are not printable UTF-8 after it are left out.
    func keys(startingWith typed: String, under prefix: KeyPrefix, url: RedisTarget, timeout: Double) -> [String] {
        guard let connection = connect(url, timeout: timeout) else { return [] }
        let pattern = prefix.pattern(forKeysStartingWith: typed.utf8)
        var scanner = connection.scan(match: pattern, count: limits.count)
        let started = Monotonic.now()
        var found = Set<String>()
        do {
            for _ in 0..<limits.calls {
                guard let batch = try scanner.nextBatch() else { break }
                for key in batch {
                    // A key with control characters cannot be typed, and the line editor would
                    // print them raw in its list of candidates.
                    guard let body = prefix.body(of: key), let text = String(validating: body, as: UTF8.self),
                          !text.unicodeScalars.contains(where: TerminalText.needsEscape) else { continue }
                    found.insert(text)
                    if found.count >= limits.keys { break }
                }
                if found.count >= limits.keys || (Monotonic.now() - started) * 1000 >= limits.milliseconds { break }
            }
        } catch {
            drop()
        }
        return found.sorted()
    }

    /// The server's command table (`COMMAND`), fetched once per server.
    func commandTable(url: RedisTarget, timeout: Double) -> RedisCommandTable? {
        if let table = commandTables[url.masked] { return table }
        guard let connection = connect(url, timeout: timeout) else { return nil }
        do {
            let table = RedisCommandTable(reply: try connection.command(["COMMAND"]))
            commandTables[url.masked] = table
            return table
        } catch {
            drop()
            return nil
        }
    }

    /// What the server says about the command `name` (`COMMAND INFO`), asked once per
    /// connection: the raw `redis` passthrough decides from it whether to ask first
    /// (`RedisCommandAccess`). Asked here, not on the session's connection, where it would
    /// be queued inside a `MULTI` the operator opened.
    func commandInfo(_ name: [UInt8], target: RedisTarget, timeout: Double) -> RedisCommandAccess.Lookup {
        let key = String(decoding: name, as: UTF8.self).lowercased()
        if let known = commandInfos[key], connection != nil, connectedTarget == target { return known }
        guard let connection = connect(target, timeout: timeout) else { return .unavailable }
        let lookup: RedisCommandAccess.Lookup
        do {
            let reply = try connection.command(["COMMAND", "INFO", name])
            if let entry = reply.array?.first {
                lookup = RedisCommandAccess.Info(reply: entry).map { .described($0) } ?? .unknownToServer
            } else {
                lookup = .unavailable
            }
        } catch let error as RedisError where error.kind == .server {
            lookup = .unavailable  // COMMAND renamed away, or refused by an ACL
        } catch {
            drop()
            return .unavailable
        }
        commandInfos[key] = lookup
        return lookup
    }

    /// Closes the connection (the REPL switched profile).
    func close() {
        drop()
        commandTables.removeAll()
    }

    private func drop() {
        connection?.close()
        connection = nil
        commandInfos.removeAll()
        connectedTarget = nil
    }

    private func connect(_ target: RedisTarget, timeout: Double) -> RedisConnection? {
        if let connection, connectedTarget == target { return connection }
        drop()
        let topology = RedisTopology(target: target, connectTimeout: min(timeout, 2), commandTimeout: min(timeout, 1))
        connection = try? topology.openPrimary()
        connectedTarget = connection == nil ? nil : target
        return connection
    }
}

/// Command names and where their keys are, from the reply to `COMMAND`: each entry is
/// `[name, arity, flags, first key, last key, step, …]`, and from Redis 7 entry 9 lists
/// the subcommands (`config|set`) in the same form.
struct RedisCommandTable: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var name: String
        var firstKey: Int
        var lastKey: Int
        var step: Int
        var subcommands: [String: Entry] = [:]

        /// Whether argument `position` (the command name is 0) is a key.
        func isKey(at position: Int) -> Bool {
            guard firstKey > 0, step > 0, position >= firstKey else { return false }
            if lastKey >= 0 && position > lastKey { return false }
            return (position - firstKey) % step == 0
        }
    }

    var entries: [String: Entry] = [:]

    init(entries: [String: Entry]) { self.entries = entries }

    init(reply: RedisReply) {
        for item in reply.array ?? [] {
            guard var entry = Self.entry(item) else { continue }
            if let fields = item.array, fields.count > 9, let subs = fields[9].array {
                for sub in subs {
                    guard var subEntry = Self.entry(sub) else { continue }
                    // `config|set` → `set`
                    if let bar = subEntry.name.firstIndex(of: "|") { subEntry.name = String(subEntry.name[subEntry.name.index(after: bar)...]) }
                    entry.subcommands[subEntry.name] = subEntry
                }
            }
            entries[entry.name] = entry
        }
    }

    private static func entry(_ reply: RedisReply) -> Entry? {
        guard let fields = reply.array, fields.count >= 6, let name = fields[0].string,
              let first = fields[3].int, let last = fields[4].int, let step = fields[5].int
        else { return nil }
        return Entry(name: name.lowercased(), firstKey: Int(first), lastKey: Int(last), step: Int(step))
    }

    var names: [String] { entries.keys.sorted() }

    /// Whether the word at `position` of `words` (the command name first) is a key.
    func isKey(words: [String], position: Int) -> Bool {
        guard let name = words.first?.lowercased(), let entry = entries[name] else { return false }
        if !entry.subcommands.isEmpty {
            guard words.count > 1, let sub = entry.subcommands[words[1].lowercased()] else { return false }
            return sub.isKey(at: position)
        }
        return entry.isKey(at: position)
    }
}
