import Redis
import Support
import TestSupport
import Testing

/// Against a server of our own with `requirepass` (port 6400), so ACL users can be added.
@Suite(.serialized) struct RedisAuthTests {
    static let password = "Adm1n:p@ss/w0rd"
    static let aliceSecret = "Al1ce@home:x"

    let server: RedisTestServer

    init() throws {
        server = try RedisTestServer(port: RedisTestPorts.auth, arguments: ["--requirepass", Self.password])
    }

    private func url(user: String? = nil, password: String?, database: Int = 0) throws -> RedisURL {
        var url = try RedisURL(parsing: server.url(database: database))
        url.username = user
        url.password = password
        return url
    }

    @Test func rightPasswordRawAndPercentEncoded() throws {
        let raw = try RedisConnection("redis://:\(Self.password)@127.0.0.1:\(server.port)/1")
        #expect(try raw.command("PING") == .status("PONG"))
        let encoded = try RedisConnection("redis://:Adm1n%3Ap%40ss%2Fw0rd@127.0.0.1:\(server.port)/1")
        #expect(try encoded.command("CLIENT", "INFO").string?.contains(" db=1 ") == true)
    }

    @Test func wrongPasswordFailsAtConnectWithoutShowingIt() throws {
        let error = try #require(throws: RedisError.self) {
            try RedisConnection(url: url(password: "Wr0ngPassw0rd"))
        }
        #expect(error.kind == .authentication)
        #expect(error.category == .unavailable)
        #expect(error.message.hasPrefix("redis 127.0.0.1:\(server.port)/0: authentication failed: "))
        #expect(!error.message.contains("Wr0ngPassw0rd"))
        #expect(!error.message.contains(Self.password))
        #expect(!error.message.contains("\n"))
    }

    @Test func missingPasswordIsNoauthAndUnavailable() throws {
        // No AUTH and database 0: nothing is sent until the first command.
        let redis = try RedisConnection(url: url(password: nil))
        let error = try #require(throws: RedisError.self) { try redis.command("GET", "k") }
        #expect(error.serverErrorCode == "NOAUTH")
        #expect(error.category == .unavailable)
        // With a database to select, the failure comes at connect.
        let atConnect = try #require(throws: RedisError.self) { try RedisConnection(url: url(password: nil, database: 2)) }
        #expect(atConnect.serverErrorCode == "NOAUTH")
        #expect(atConnect.command == "SELECT")
    }

    @Test func aclUser() throws {
        let admin = try RedisConnection(url: url(password: Self.password))
        try admin.command("ACL", "SETUSER", "alice", "reset", "on", ">" + Self.aliceSecret, "~*", "+@all")

        let alice = try RedisConnection("redis://alice:\(Self.aliceSecret)@127.0.0.1:\(server.port)/3")
        #expect(try alice.command("ACL", "WHOAMI") == .bulk(Array("alice".utf8)))
        let client = try #require(try alice.command("CLIENT", "INFO").string)
        #expect(client.contains(" db=3 ") && client.contains(" user=alice "))

        let error = try #require(throws: RedisError.self) {
            try RedisConnection(url: url(user: "alice", password: "n0t-her-secret"))
        }
        #expect(error.kind == .authentication)
        #expect(error.category == .unavailable)
        #expect(error.message.contains("authentication failed for user 'alice'"))
        #expect(!error.message.contains("n0t-her-secret"))

        try admin.command("ACL", "SETUSER", "alice", "off")
        let disabled = try #require(throws: RedisError.self) { try RedisConnection(url: url(user: "alice", password: Self.aliceSecret)) }
        #expect(disabled.kind == .authentication)
        #expect(!disabled.message.contains(Self.aliceSecret))
    }

    /// Redis echoes arguments of unknown commands; the password must not come back through.
    @Test func passwordEchoedByTheServerIsMasked() throws {
        let redis = try RedisConnection(url: url(password: Self.password))
        let error = try #require(throws: RedisError.self) { try redis.command("NOSUCHCOMMAND", Self.password) }
        #expect(error.serverErrorCode == "ERR")
        #expect(!error.message.contains(Self.password))
        #expect(error.serverMessage?.contains("***") == true)
    }

    @Test func unixSocketWithAuthAndDatabase() throws {
        var url = try RedisURL(parsing: server.unixURL(database: 4))
        url.password = Self.password
        let redis = try RedisConnection(url: url)
        #expect(redis.address == "\(server.socketPath)?db=4")
        #expect(try redis.command("CLIENT", "INFO").string?.contains(" db=4 ") == true)
        try redis.command("SET", "unix-key", "via-socket")
        #expect(try redis.command("GET", "unix-key").string == "via-socket")
    }
}
