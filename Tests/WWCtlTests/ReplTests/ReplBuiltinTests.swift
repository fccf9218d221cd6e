import Redis
import TestSupport
import Testing
@testable import WWCtl

/// The raw `redis` guard: what runs freely and what asks, from the real server's
/// `COMMAND INFO` (the shared test server), and from the built-in list when COMMAND is
/// renamed away (a server of its own, port 6456).
@Suite struct RedisCommandAccessTests {
    func words(_ text: String) -> [[UInt8]] { RedisCLIText.splitArguments(text.utf8)! }

    func verdict(_ text: String, lookup: RedisLookup, url: RedisTarget) -> RedisCommandAccess.Verdict {
        let arguments = words(text)
        return RedisCommandAccess.verdict(arguments, lookup: lookup.commandInfo(arguments[0], target: url, timeout: 5))
    }

    /// Everything the old deny-list let through, and what it named.
    static let destructive = [
        "REPLICAOF 127.0.0.1 1", "SLAVEOF 127.0.0.1 1", "SWAPDB 0 1", "FLUSHDB", "FLUSHALL ASYNC",
        #"EVAL "redis.call('flushdb')" 0"#, "EVALSHA abc 0", "EVAL_RO \"return 1\" 0", "FCALL f 0", "FCALL_RO f 0",
        "FUNCTION FLUSH", "FUNCTION DELETE lib", "FUNCTION RESTORE x", "SCRIPT FLUSH", "CLIENT KILL ID 1",
        "CLIENT PAUSE 1000", "ACL SETUSER u on", "ACL DELUSER u", "CONFIG SET maxmemory 1", "CONFIG REWRITE",
        "CONFIG RESETSTAT", "MIGRATE h 1 k 0 1", "RESTORE k 0 x REPLACE", "DEBUG SLEEP 1", "SHUTDOWN NOSAVE",
        "CLUSTER ADDSLOTS 1", "CLUSTER RESET", "CLUSTER SETSLOT 1 NODE x", "FAILOVER", "MODULE LOAD /x.so",
        "SAVE", "BGSAVE", "BGREWRITEAOF", "SET k v", "DEL k", "UNLINK k", "EXPIRE k 1", "KEYS *", "PUBLISH ch m",
        "NOSUCHCOMMAND x", "CONFIG NOSUCHSUB", "RESET", "QUIT",
    ]

    static let reads = [
        "GET k", "MGET a b", "SCAN 0 MATCH perm:*", "TTL k", "PTTL k", "TYPE k", "EXISTS k", "DBSIZE", "PING",
        "INFO memory", "HGETALL h", "LRANGE l 0 -1", "ZRANGE z 0 -1", "SMEMBERS s", "MEMORY USAGE k",
        "OBJECT ENCODING k", "CLIENT GETNAME", "CLIENT SETNAME me", "STRLEN k", "XLEN s", "TIME", "ECHO x",
    ]

    @Test func theServersFlagsDecide() throws {
        let url = try RedisTarget(parsing: TestServers.redisURL)
        let lookup = RedisLookup()
        defer { lookup.close() }
        for text in Self.destructive {
            if case .runs = verdict(text, lookup: lookup, url: url) { Issue.record("\(text) runs without asking") }
        }
        for text in Self.reads {
            #expect(verdict(text, lookup: lookup, url: url) == .runs, "\(text)")
        }
    }

    @Test func withoutCOMMANDOnlyTheBuiltInReadsRunFreely() throws {
        let server = try RedisTestServer(port: 6456, arguments: ["--rename-command", "COMMAND", ""])
        defer { server.stop() }
        let url = try RedisTarget(parsing: "redis://127.0.0.1:6456/0")
        let lookup = RedisLookup()
        defer { lookup.close() }
        #expect(lookup.commandInfo(Array("GET".utf8), target: url, timeout: 5) == .unavailable)
        for text in Self.destructive {
            if case .runs = verdict(text, lookup: lookup, url: url) { Issue.record("\(text) runs without asking") }
        }
        for text in ["GET k", "SCAN 0", "TTL k", "PING", "HGETALL h"] {
            #expect(verdict(text, lookup: lookup, url: url) == .runs, "\(text)")
        }
    }

    @Test func flagsOfASubcommandWinOverItsContainer() {
        let info = RedisCommandAccess.Info(flags: [], subcommands: ["get": ["admin"], "help": ["loading", "stale"]])
        #expect(RedisCommandAccess.verdict(words("CONFIG GET x"), lookup: .described(info)) == .asks("it administers the server"))
        #expect(RedisCommandAccess.verdict(words("CONFIG NOPE"), lookup: .described(info)) != .runs)
        #expect(RedisCommandAccess.verdict(words("CONFIG"), lookup: .described(info)) != .runs)
        // A flagless command runs only when the built-in list knows it as a read.
        let flagless = RedisCommandAccess.Info(flags: ["loading", "stale"])
        #expect(RedisCommandAccess.verdict(words("INFO"), lookup: .described(flagless)) == .runs)
        #expect(RedisCommandAccess.verdict(words("SCRIPT FLUSH"), lookup: .described(flagless)) != .runs)
    }
}

@Suite struct ReplBuiltinTests {
    @Test func commandsThatBreakTheConnectionAreRefused() {
        #expect(ReplBuiltin.refusal(["subscribe", "ch"]) != nil)
        #expect(ReplBuiltin.refusal(["MONITOR"]) != nil)
        #expect(ReplBuiltin.refusal(["SELECT", "2"]) != nil)
        #expect(ReplBuiltin.refusal(["HELLO", "3"]) != nil)
        #expect(ReplBuiltin.refusal(["client", "reply", "off"]) != nil)
        #expect(ReplBuiltin.refusal(["HELLO", "2"]) == nil)
        #expect(ReplBuiltin.refusal(["CLIENT", "LIST"]) == nil)
        #expect(ReplBuiltin.refusal(["GET", "k"]) == nil)
    }

    @Test func redisLinesAreSplitAsRedisCLISplitsThem() {
        #expect(Repl.redisArguments("redis GET k") == " GET k")
        #expect(Repl.redisArguments("  redis") == "")
        #expect(Repl.redisArguments("redisx GET") == nil)
        #expect(Repl.redisArguments("cache keys x") == nil)
        #expect(RedisCLIText.splitArguments(#"GET "perm:\xff" 'it\'s' a"b c"d"#.utf8) == nil)  // closing quote mid-argument
        #expect(RedisCLIText.splitArguments(#"GET "perm:\xff" 'it\'s'  "a\nb""#.utf8)
            == [Array("GET".utf8), Array("perm:".utf8) + [0xFF], Array("it's".utf8), [0x61, 0x0A, 0x62]])
        #expect(RedisCLIText.splitArguments(#"GET "open"#.utf8) == nil)
        #expect(RedisCLIText.splitArguments("   ".utf8) == [])
    }
}
@Suite struct DefaultFlagTests {
    let output = DefaultFlag(spellings: ["-o", "--output"], tokens: ["--output", "json"])
    var ping: CommandSpec { CommandCatalog.root.subcommand("ping")! }

    @Test func isAddedWhenTheCommandTakesItAndItIsMissing() {
        #expect(output.apply(to: ["ping"], command: ping) == ["ping", "--output", "json"])
        #expect(output.apply(to: ["ping", "--", "x"], command: ping) == ["ping", "--output", "json", "--", "x"])
    }

    @Test func isNotAddedWhenGivenInAnySpelling() {
        for words in [["ping", "-o", "table"], ["ping", "--output", "table"], ["ping", "--output=table"], ["ping", "-otable"]] {
            #expect(output.apply(to: words, command: ping) == words)
        }
    }

    @Test func isNotAddedToACommandWithoutIt() {
        let config = CommandCatalog.root.subcommand("config")!
        #expect(output.apply(to: ["config"], command: config) == ["config"])
    }
}
