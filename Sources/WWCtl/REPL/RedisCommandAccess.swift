import Redis

/// Which raw `redis …` commands the REPL runs without asking. The guard is an allow-list:
/// a command runs freely only when it cannot write or administer (the server says so in
/// `COMMAND INFO`, or it is on a built-in list of reads); anything else asks on a terminal
/// and is refused in a script without `--yes`. A deny-list misses what it does not name
/// (REPLICAOF replaced a whole dataset, FLUSHDB ran inside EVAL), and a renamed or new
/// command must not slip through: a command the server does not know, every script, and
/// every command when the server will not describe its commands count as writes.
struct RedisCommandAccess: Sendable, Equatable {
    /// What the server says about one command, from `COMMAND INFO name`.
    struct Info: Sendable, Equatable {
        var flags: Set<String>
        /// Subcommands (`config|set` → `set`) and their flags, from Redis 7 on.
        var subcommands: [String: Set<String>] = [:]

        /// The entry of a `COMMAND INFO` reply; nil for the null entry of an unknown command.
        init?(reply: RedisReply) {
            guard let fields = reply.array, fields.count >= 3 else { return nil }
            flags = Self.flags(fields[2])
            if fields.count > 9, let subs = fields[9].array {
                for sub in subs {
                    guard let subFields = sub.array, subFields.count >= 3, let name = subFields[0].string else { continue }
                    let short = name.split(separator: "|", maxSplits: 1).last.map(String.init) ?? name
                    subcommands[short.lowercased()] = Self.flags(subFields[2])
                }
            }
        }

        init(flags: Set<String>, subcommands: [String: Set<String>] = [:]) {
            self.flags = flags
            self.subcommands = subcommands
        }

        private static func flags(_ reply: RedisReply) -> Set<String> {
            Set((reply.array ?? []).compactMap { $0.string?.lowercased() })
        }
    }

    /// What the server could say about a command name.
    enum Lookup: Sendable, Equatable {
        case described(Info)
        /// `COMMAND INFO` answered null: the server has no such command.
        case unknownToServer
        /// `COMMAND` is renamed, refused by an ACL, or the server did not answer.
        case unavailable
    }

    enum Verdict: Sendable, Equatable {
        case runs
        /// Asks first; the reason names what the command may do.
        case asks(String)
    }

    /// The verdict on `words` (the command name first) given what the server said.
    static func verdict(_ words: [[UInt8]], lookup: Lookup) -> Verdict {
        guard let first = words.first else { return .runs }
        let name = String(decoding: first, as: UTF8.self).lowercased()
        let sub = words.count > 1 ? String(decoding: words[1], as: UTF8.self).lowercased() : nil
        if scripts.contains(name) { return .asks("a script may write or administer anything") }
        if name == "keys" { return .asks("KEYS blocks the server while it walks every key") }
        switch lookup {
        case .unavailable:
            return isBuiltinRead(name, sub) ? .runs : .asks("the server does not describe its commands (COMMAND is unavailable)")
        case .unknownToServer:
            return .asks("the server does not know this command")
        case .described(let info):
            var flags = info.flags
            if !info.subcommands.isEmpty {
                guard let sub, let subFlags = info.subcommands[sub] else {
                    return .asks("the server does not know this subcommand")
                }
                flags = subFlags
            }
            if let effect = effects.first(where: { flags.contains($0.flag) }) { return .asks(effect.reason) }
            if flags.contains("readonly") || isBuiltinRead(name, sub) { return .runs }
            return .asks("the server does not mark it read-only")
        }
    }

    private static let scripts: Set<String> = ["eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro"]

    /// Flags that mean a command changes something, with what to tell the operator.
    private static let effects: [(flag: String, reason: String)] = [
        ("write", "it writes"),
        ("admin", "it administers the server"),
        ("may_replicate", "it may change data"),
        ("may-replicate", "it may change data"),
        ("pubsub", "it publishes or subscribes"),
    ]

    /// Commands known not to write or administer: those the server marks with no flag that
    /// says so (PING, INFO, CLIENT GETNAME) and, when `COMMAND` cannot be asked, the common
    /// reads. `name` alone, or `name|sub` for a subcommand.
    private static let builtinReads: Set<String> = [
        // connection and server state
        "ping", "echo", "info", "time", "lastsave", "role", "dbsize", "command", "lolwut",
        "client|getname", "client|id", "client|info", "client|setname", "client|no-evict", "client|no-touch",
        "multi", "exec", "discard", "watch", "unwatch", "asking", "readonly", "readwrite",
        "memory|usage", "memory|stats", "memory|doctor", "object|encoding", "object|freq", "object|idletime",
        "object|refcount", "script|exists", "function|list", "function|dump", "function|stats",
        // keys and values
        "get", "mget", "getrange", "substr", "strlen", "exists", "type", "ttl", "pttl", "expiretime",
        "pexpiretime", "scan", "randomkey", "dump", "lcs",
        "hget", "hmget", "hgetall", "hkeys", "hvals", "hlen", "hexists", "hstrlen", "hscan", "hrandfield",
        "lrange", "llen", "lindex", "lpos", "smembers", "sismember", "smismember", "scard", "srandmember",
        "sscan", "sinter", "sintercard", "sunion", "sdiff", "zrange", "zrangebyscore", "zrangebylex",
        "zrevrange", "zrevrangebyscore", "zrevrangebylex", "zscore", "zmscore", "zcard", "zcount",
        "zlexcount", "zrank", "zrevrank", "zscan", "zrandmember", "zinter", "zunion", "zdiff",
        "zintercard", "xrange", "xrevrange", "xlen", "xread", "xinfo|stream", "xinfo|groups",
        "xinfo|consumers", "xpending", "getbit", "bitcount", "bitpos", "bitfield_ro", "pfcount", "geopos",
        "geodist", "geohash", "geosearch", "georadius_ro", "georadiusbymember_ro", "sort_ro",
    ]

    private static func isBuiltinRead(_ name: String, _ sub: String?) -> Bool {
        if builtinReads.contains(name) { return true }
        guard let sub else { return false }
        return builtinReads.contains(name + "|" + sub)
    }
}
