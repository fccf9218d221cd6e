import Foundation
import Redis
import Support
import TestSupport
import Testing

/// TLS against the prodlike servers (`scripts/servers.sh start prodlike`): a test CA, a
/// server certificate for localhost and 127.0.0.1, and servers whose certificates are for
/// the wrong host, expired, or that require a client certificate.
@Suite struct RedisTLSTests {
    static let database = 5

    func url(port: Int = ProdlikeServers.tlsPort, host: String = "localhost", tls: RedisTLS = RedisTLS(caFile: ProdlikeServers.caFile),
             user: String? = "ops", password: String? = ProdlikeServers.opsPassword) -> RedisURL {
        RedisURL(endpoint: .tcp(host: host, port: port), database: Self.database, username: user, password: password, tls: tls)
    }

    @Test func verifiedConnectionCarriesEveryKindOfExchange() throws {
        let redis = try RedisConnection(url: url())
        let status = try #require(redis.tlsStatus)
        #expect(status.protocolVersion.hasPrefix("TLSv1."))
        #expect(!status.cipher.isEmpty)
        let prefix = "tls-tests:\(UUID().uuidString.prefix(8)):"
        defer { _ = try? redis.command(["UNLINK", prefix + "big"] + (0..<2000).map { prefix + String($0) as any RedisArgument }) }

        // Large enough for many TLS records and partial writes either way.
        let big = [UInt8]((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try redis.command("SET", prefix + "big", big)
        #expect(try redis.command("GET", prefix + "big") == .bulk(big))

        let sets = (0..<2000).map { ["SET", prefix + String($0), String($0)] as [any RedisArgument] }
        #expect(try redis.pipeline(sets).allSatisfy { $0 == .status("OK") })

        var commands = RedisCommandBuffer()
        for index in 0..<2000 { commands.append(["GET", prefix + String(index)]) }
        let replies = RedisReplyBuffer()
        try redis.pipeline(commands, into: replies)
        #expect(replies.count == 2000)
        #expect(replies.string(of: replies.reply(1999)) == "1999")

        var stream = RedisStream(redis)
        try stream.send([["GET", prefix + "7"], ["PING"]])
        #expect(try stream.receive() == .bulk(Array("7".utf8)))
        #expect(try stream.receive() == .status("PONG"))

        var scanner = redis.scan(match: Array((prefix + "*").utf8), count: 500)
        var seen = Set<[UInt8]>()
        try scanner.forEachKey { seen.insert($0) }
        #expect(seen.count == 2001)
        #expect(redis.connectionsOpened == 1)
    }

    /// An address is checked against the certificate's IP entries.
    @Test func anIPAddressIsVerifiedAgainstTheCertificate() throws {
        let redis = try RedisConnection(url: url(host: "127.0.0.1"))
        #expect(try redis.command(["PING"]) == .status("PONG"))
    }

    @Test func aCertificateFromAnUnknownCAIsRefused() throws {
        // No CA given: the system store, which does not hold the test CA.
        let error = try #require(throws: RedisError.self) { try RedisConnection(url: url(tls: RedisTLS())) }
        #expect(error.kind == .tls)
        #expect(error.category == .unavailable)
        #expect(error.message.contains("not signed by a trusted CA"))
        #expect(error.message.contains("--cacert"))
        #expect(!error.message.contains(ProdlikeServers.opsPassword))
    }

    @Test func aCertificateForAnotherHostIsRefused() throws {
        let error = try #require(throws: RedisError.self) { try RedisConnection(url: url(port: ProdlikeServers.wrongHostPort)) }
        #expect(error.kind == .tls)
        #expect(error.message == "redis localhost:\(ProdlikeServers.wrongHostPort)/\(Self.database): TLS: server certificate does not match 'localhost' (hostname mismatch)")
    }

    /// `--sni` names the host the certificate must match (and is sent as SNI).
    @Test func serverNameReplacesTheHostInTheCheck() throws {
        let tls = RedisTLS(caFile: ProdlikeServers.caFile, serverName: "wrong.example")
        let redis = try RedisConnection(url: url(port: ProdlikeServers.wrongHostPort, host: "127.0.0.1", tls: tls, user: nil, password: nil))
        #expect(try redis.command(["PING"]) == .status("PONG"))
    }

    @Test func anExpiredCertificateIsRefused() throws {
        let error = try #require(throws: RedisError.self) { try RedisConnection(url: url(port: ProdlikeServers.expiredPort)) }
        #expect(error.kind == .tls)
        #expect(error.message.contains("TLS: server certificate has expired"))
    }

    @Test func insecureSkipsVerification() throws {
        let tls = RedisTLS(verifyPeer: false)
        let redis = try RedisConnection(url: url(port: ProdlikeServers.expiredPort, tls: tls, user: nil, password: nil))
        #expect(try redis.command(["PING"]) == .status("PONG"))
    }

    @Test func aServerRequiringAClientCertificate() throws {
        let without = try #require(throws: RedisError.self) {
            let redis = try RedisConnection(url: url(port: ProdlikeServers.clientCertificatePort, user: nil, password: nil))
            try redis.command(["PING"])
        }
        #expect(without.category == .unavailable)
        #expect(without.message.contains("client certificate"))

        let tls = RedisTLS(
            caFile: ProdlikeServers.caFile, certificateFile: ProdlikeServers.clientCertificate, keyFile: ProdlikeServers.clientKey)
        let redis = try RedisConnection(url: url(port: ProdlikeServers.clientCertificatePort, tls: tls, user: nil, password: nil))
        #expect(try redis.command(["PING"]) == .status("PONG"))
    }

    @Test func aPlainClientOnATLSPortIsToldSo() throws {
        let error = try #require(throws: RedisError.self) {
            let redis = try RedisConnection(url: url(tls: RedisTLS(), user: nil, password: nil).withoutTLS)
            try redis.command(["PING"])
        }
        #expect(error.category == .unavailable)
        #expect(error.message.contains("a TLS port? (use rediss:// or --tls)"))
    }

    @Test func unusableFilesAreUsageErrorsNamingThem() throws {
        let missing = try #require(throws: WWError.self) {
            try RedisConnection(url: url(tls: RedisTLS(caFile: "/nonexistent/ca.pem")))
        }
        #expect(missing.category == .usage)
        #expect(missing.message.contains("/nonexistent/ca.pem"))

        let mismatched = try #require(throws: WWError.self) {
            try RedisConnection(url: url(tls: RedisTLS(
                caFile: ProdlikeServers.caFile, certificateFile: ProdlikeServers.clientCertificate,
                keyFile: ProdlikeServers.tlsDirectory + "/server.key")))
        }
        #expect(mismatched.category == .usage)
        #expect(mismatched.message.contains("private key \(ProdlikeServers.tlsDirectory)/server.key"))
        #expect(mismatched.message.contains("mismatch"))
    }
}

extension RedisURL {
    var withoutTLS: RedisURL {
        var url = self
        url.tls = nil
        return url
    }
}
