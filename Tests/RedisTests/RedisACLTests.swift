import Foundation
import Redis
import Support
import TestSupport
import Testing

/// ACL users over TLS on the prodlike server: `ops` may do everything, `reader` may read
/// (+@read +@connection +info) and nothing else.
@Suite struct RedisACLTests {
    func connect(_ user: String, _ password: String) throws -> RedisConnection {
        try RedisConnection(url: RedisURL(
            endpoint: .tcp(host: "localhost", port: ProdlikeServers.tlsPort), database: 6, username: user, password: password,
            tls: RedisTLS(caFile: ProdlikeServers.caFile)))
    }

    @Test func aReadOnlyUserReadsAndIsRefusedWritesWithExit77() throws {
        let ops = try connect("ops", ProdlikeServers.opsPassword)
        let key = "acl-tests:\(UUID().uuidString.prefix(8))"
        try ops.command("SET", key, "v")
        defer { _ = try? ops.command("UNLINK", key) }

        let reader = try connect("reader", ProdlikeServers.readerPassword)
        #expect(try reader.command("GET", key) == .bulk(Array("v".utf8)))
        #expect(try reader.info("memory").usedMemory != nil)

        let refused = try #require(throws: RedisError.self) { try reader.command("UNLINK", key) }
        #expect(refused.kind == .server)
        #expect(refused.serverErrorCode == "NOPERM")
        #expect(refused.category == .permissionDenied)
        #expect(refused.category.exitCode == 77)
        #expect(refused.message.hasPrefix("redis localhost:\(ProdlikeServers.tlsPort)/6: UNLINK: NOPERM"))
        #expect(refused.message.hasSuffix("(needs +unlink or one of its ACL categories: @keyspace @write @fast)"))
        #expect(!refused.message.contains("\n"))
        #expect(try ops.command("EXISTS", key) == .integer(1))

        // The connection stays usable after a refusal.
        #expect(try reader.command("EXISTS", key) == .integer(1))
    }

    @Test func aRefusalInsideAPipelineStaysInline() throws {
        let reader = try connect("reader", ProdlikeServers.readerPassword)
        let replies = try reader.pipeline([["PING"], ["SET", "acl-tests:never", "x"], ["PING"]])
        #expect(replies[0] == .status("PONG"))
        #expect(replies[1].errorMessage?.hasPrefix("NOPERM") == true)
        #expect(replies[2] == .status("PONG"))
    }

    @Test func aWrongPasswordIsAnAuthenticationFailureWithoutThePassword() throws {
        let error = try #require(throws: RedisError.self) { try connect("reader", "Wr0ngPassw0rd") }
        #expect(error.kind == .authentication)
        #expect(error.category == .unavailable)
        #expect(error.message.contains("authentication failed for user 'reader'"))
        #expect(!error.message.contains("Wr0ngPassw0rd"))
    }

    @Test(arguments: [
        ("UNLINK", "NOPERM this user has no permissions to run the 'unlink' command", "needs +unlink or one of its ACL categories: @keyspace @write @fast"),
        ("INFO", "NOPERM this user has no permissions to run the 'info' command", "needs +info or one of its ACL categories: @slow @dangerous"),
        ("XADD", "NOPERM this user has no permissions to run the 'xadd' command", "needs +xadd in the user's ACL"),
        ("GET", "NOPERM this user has no permissions to access one of the keys used as arguments", "the user's key patterns (~…) do not cover a key GET names"),
    ])
    func noPermissionMessagesSayWhatIsMissing(command: String, server: String, hint: String) {
        let error = RedisError(kind: .server, address: "h:1/0", detail: server, serverMessage: server, command: command)
        #expect(error.message == "redis h:1/0: \(command): \(server) (\(hint))")
        #expect(error.category == .permissionDenied)
    }
}
