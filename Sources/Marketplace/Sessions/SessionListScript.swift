import Keyspace
import Redis
import Support

/// Removes ids from a user's session list (`user:{u}:sessions`) in one atomic step on the
/// server, so that an id the app appends at the same moment is never lost.
///
/// The app keeps the list as a JSON array in a string (cache-manager's `JSON.stringify`),
/// not as a Redis set, so "remove an id" is read-decode-filter-encode-write. Done by the
/// client, a write by the app between the read and the write would be overwritten; done by
/// this script, nothing runs in between. That guarantee holds against every writer that is
/// itself atomic (a script, or WATCH/MULTI/EXEC). A writer that does a plain GET and then a
/// SET, as cache-manager does, can still lose an id of its own or resurrect a removed one
/// whatever wwctl does: its read and write are not one step.
///
/// The script keeps the remaining TTL (`SET … KEEPTTL`, Redis ≥ 6.0) and writes the array
/// exactly as `JSON.stringify` would (cjson's encoder is not used for strings: it escapes
/// `/` and writes an empty array as `{}`). A list left empty is deleted, as the app treats
/// a missing list as no sessions. Elements that are not strings are kept as they are.
struct SessionListScript {
    /// What happened to one list.
    enum Outcome: Equatable {
        /// The list does not exist.
        case missing
        /// `removed` were taken out (possibly none); `remaining` ids are left, TTL unchanged.
        case kept(removed: [String], remaining: Int)
        /// `removed` were taken out and the list, now empty, was deleted.
        case emptied(removed: [String])
        /// The value is not a JSON array; it was left alone.
        case notAnArray

        var removed: [String] {
            switch self {
            case .kept(let removed, _), .emptied(let removed): removed
            case .missing, .notAnArray: []
            }
        }
    }

    static let source = #"""
        local raw = redis.call('GET', KEYS[1])
        if not raw then return {0, {}, 0} end
        local ok, list = pcall(cjson.decode, raw)
        if not ok or type(list) ~= 'table' then return {3, {}, 0} end
        local n = #list
        for k in pairs(list) do
          if type(k) ~= 'number' or k < 1 or k > n or k % 1 ~= 0 then return {3, {}, 0} end
        end
        local drop = {}
        for i = 1, #ARGV do drop[ARGV[i]] = true end
        local kept, removed = {}, {}
        for i = 1, n do
          local id = list[i]
          if type(id) == 'string' and drop[id] then
            removed[#removed + 1] = id
          else
            kept[#kept + 1] = id
          end
        end
        if #removed == 0 then return {1, removed, #kept} end
        if #kept == 0 then
          redis.call('DEL', KEYS[1])
          return {2, removed, 0}
        end
        local escapes = {['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
                         ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
        local function escape(c) return escapes[c] or string.format('\\u%04x', string.byte(c)) end
        local parts = {}
        for i, v in ipairs(kept) do
          if type(v) == 'string' then
            parts[i] = '"' .. (string.gsub(v, '[%z\1-\31"\\]', escape)) .. '"'
          else
            parts[i] = cjson.encode(v)
          end
        end
        redis.call('SET', KEYS[1], '[' .. table.concat(parts, ',') .. ']', 'KEEPTTL')
        return {1, removed, #kept}
        """#

    let redis: RedisConnection
    private var sha: String?

    init(redis: RedisConnection) {
        self.redis = redis
    }

    /// Removes `ids` from the list at `key`.
    mutating func remove(_ ids: [String], fromListAt key: [UInt8]) throws -> Outcome {
        try remove([(key, ids)])[0]
    }

    /// Removes ids from several lists, pipelined: one round trip for all of them (two when
    /// the server had lost the script and it is loaded again).
    mutating func remove(_ requests: [(key: [UInt8], ids: [String])]) throws -> [Outcome] {
        guard !requests.isEmpty else { return [] }
        let sha = try loaded()
        var replies = try redis.pipeline(requests.map { Self.command(sha: sha, key: $0.key, ids: $0.ids) })
        // After SCRIPT FLUSH or a restart the server answers NOSCRIPT and ran nothing:
        // load the script again and send just those.
        let lost = replies.indices.filter { replies[$0].errorMessage?.hasPrefix("NOSCRIPT") == true }
        if !lost.isEmpty {
            self.sha = nil
            let again = try loaded()
            let retried = try redis.pipeline(lost.map { Self.command(sha: again, key: requests[$0].key, ids: requests[$0].ids) })
            for (index, reply) in zip(lost, retried) { replies[index] = reply }
        }
        return try zip(requests, replies).map { request, reply in try outcome(of: reply, key: request.key) }
    }

    private mutating func loaded() throws -> String {
        if let sha { return sha }
        guard let loaded = try redis.command(["SCRIPT", "LOAD", Self.source]).string else {
            throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "SCRIPT LOAD did not answer with a SHA1")
        }
        sha = loaded
        return loaded
    }

    private static func command(sha: String, key: [UInt8], ids: [String]) -> [any RedisArgument] {
        ["EVALSHA", sha, 1, key] + ids.map { $0 as any RedisArgument }
    }

    private func outcome(of reply: RedisReply, key: [UInt8]) throws -> Outcome {
        if let message = reply.errorMessage {
            throw RedisError(
                kind: .server, address: redis.address, detail: "updating \(KeyText.escaped(key)): \(message)",
                serverMessage: message, command: "EVALSHA")
        }
        guard let parts = reply.array, parts.count == 3, let state = parts[0].int, let removedReplies = parts[1].array,
              let remaining = parts[2].int
        else {
            throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "the session list script answered oddly for \(KeyText.escaped(key))")
        }
        let removed = removedReplies.compactMap(\.string)
        switch state {
        case 0: return .missing
        case 1: return .kept(removed: removed, remaining: Int(remaining))
        case 2: return .emptied(removed: removed)
        default: return .notAnArray
        }
    }
}
