import Foundation
import Testing
@testable import Marketplace
import Keyspace
import Redis
import Support
import TestSupport

/// Builds compact JWS tokens for the tests: base64url without padding, HS256 over the
/// first two parts when a secret is given.
enum TokenFactory {
    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func make(header: String = #"{"alg":"HS256","typ":"JWT"}"#, claims: String, secret: String = "test-secret") -> String {
        let input = base64url(Array(header.utf8)) + "." + base64url(Array(claims.utf8))
        return input + "." + base64url(HMACSHA256.authenticationCode(for: Array(input.utf8), key: Array(secret.utf8)))
    }

    static func nowSeconds() -> Int64 { UnixTime.nowMilliseconds() / 1000 }
}

/// RFC 7515 appendix A.1: an HS256 JWS with a known key.
enum RFC7515 {
    static let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let key = Base64URL.decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")!
}

@Suite struct JSONWebTokenTests {
    @Test func rfc7515ExampleDecodesAndVerifies() throws {
        let token = try JSONWebToken(parsing: RFC7515.token)
        #expect(token.algorithm == "HS256")
        #expect(token.expiresAtMs == 1_300_819_380_000)
        #expect(token.claims["iss"] == .string("joe"))
        #expect(token.subject == nil)
        try token.verifyHS256(secret: RFC7515.key)
        var wrongKey = RFC7515.key
        wrongKey[0] ^= 1
        #expect(throws: TokenError.self) { try token.verifyHS256(secret: wrongKey) }
        #expect(performing: { try token.verifyHS256(secret: wrongKey) }, throws: { ($0 as? TokenError)?.reason == .badSignature })
    }

    @Test func aChangedPayloadNoLongerVerifies() throws {
        let parts = RFC7515.token.split(separator: ".")
        // Same header and signature, claims re-encoded with another exp.
        let claims = TokenFactory.base64url(Array(#"{"iss":"joe","exp":1300819381,"http://example.com/is_root":true}"#.utf8))
        let forged = try JSONWebToken(parsing: "\(parts[0]).\(claims).\(parts[2])")
        #expect(performing: { try forged.verifyHS256(secret: RFC7515.key) }, throws: { ($0 as? TokenError)?.reason == .badSignature })
    }

    @Test func padding_isOptional() throws {
        let padded = RFC7515.token.split(separator: ".").map { part in
            String(part) + String(repeating: "=", count: (4 - part.count % 4) % 4)
        }.joined(separator: ".")
        #expect(padded != RFC7515.token)
        let token = try JSONWebToken(parsing: padded)
        #expect(token.expiresAtMs == 1_300_819_380_000)
        // The signature covers the parts as sent, so the padded form is a different token.
        #expect(throws: TokenError.self) { try token.verifyHS256(secret: RFC7515.key) }
    }

    @Test func onlyHS256IsVerifiedWithASecret() throws {
        for header in [#"{"alg":"none"}"#, #"{"alg":"RS256"}"#, #"{"typ":"JWT"}"#] {
            let token = try JSONWebToken(parsing: TokenFactory.make(header: header, claims: #"{"exp":2000000000}"#))
            #expect(performing: { try token.verifyHS256(secret: Array("test-secret".utf8)) },
                    throws: { ($0 as? TokenError)?.reason == .unsupportedAlgorithm })
        }
        let good = try JSONWebToken(parsing: TokenFactory.make(claims: #"{"exp":2000000000}"#))
        try good.verifyHS256(secret: Array("test-secret".utf8))
    }

    @Test(arguments: [
        ("abc", TokenError.Reason.malformed),
        ("a.b", .malformed),
        ("a.b.c.d", .malformed),
        (".eyJleHAiOjF9.", .malformed),
        ("eyJhbGciOiJIUzI1NiJ9..sig", .malformed),
        ("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.si$g", .malformed),
        ("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9x.sig", .malformed),  // length 4n+1 is not base64
        ("eyJhbGciOiJIUzI1NiJ9.e=yJleHAiOjF9.sig", .malformed),  // '=' inside a part
        ("bm90IGpzb24.eyJleHAiOjF9.sig", .malformed),  // header "not json"
        ("eyJhbGciOiJIUzI1NiJ9.WzFd.sig", .malformed),  // payload [1]
        ("eyJhbGciOiJIUzI1NiJ9.e30.sig", .noExpiry),  // payload {}
        ("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOiIxIn0.sig", .noExpiry),  // exp "1"
        ("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOm51bGx9.sig", .noExpiry),  // exp null
    ])
    func malformedTokensAreRefused(text: String, reason: TokenError.Reason) {
        #expect(performing: { try JSONWebToken(parsing: text) }, throws: { error in
            guard let error = error as? TokenError else { return false }
            return error.reason == reason && error.category.exitCode == 65
        })
    }

    @Test func anUnsecuredTokenWithoutSignatureIsReadable() throws {
        // RFC 7519 §6.1: alg none, empty signature part.
        let token = try JSONWebToken(parsing: "eyJhbGciOiJub25lIn0.eyJleHAiOjEsInN1YiI6IjcifQ.")
        #expect(token.algorithm == "none")
        #expect(token.expiresAtMs == 1000)
        #expect(token.subject == .id(7))
    }

    @Test func surroundingWhitespaceIsNotPartOfTheToken() throws {
        let text = TokenFactory.make(claims: #"{"exp":2000000000,"sub":"1"}"#)
        let token = try JSONWebToken(parsing: "  \(text)\n")
        #expect(token.text == text)
    }

    @Test func messagesNeverHoldTheWholeToken() throws {
        let text = TokenFactory.make(header: #"{"alg":"RS256"}"#, claims: #"{"sub":"42"}"#)
        do {
            _ = try JSONWebToken(parsing: text)
            Issue.record("a token without exp was accepted")
        } catch {
            #expect(!error.message.contains(text))
            #expect(!error.message.contains(String(text.split(separator: ".")[1])))
            #expect(error.message.contains("sha256:"))
        }
        let short = "secretpassword.x"
        #expect(performing: { try JSONWebToken(parsing: short) }, throws: { error in
            !String(describing: error).contains("secretpassword")
        })
    }

    @Test func numericDatesAreConvertedExactly() {
        #expect(NumericDate.milliseconds(fromNumberText: "1300819380") == 1_300_819_380_000)
        #expect(NumericDate.milliseconds(fromNumberText: "1300819380.5") == 1_300_819_380_500)
        #expect(NumericDate.milliseconds(fromNumberText: "1300819380.12345") == 1_300_819_380_123)
        #expect(NumericDate.milliseconds(fromNumberText: "1.3e9") == 1_300_000_000_000)
        #expect(NumericDate.milliseconds(fromNumberText: "13008193805E-1") == 1_300_819_380_500)
        #expect(NumericDate.milliseconds(fromNumberText: "0.0001") == 0)
        #expect(NumericDate.milliseconds(fromNumberText: "-5") == -5000)
        #expect(NumericDate.milliseconds(fromNumberText: "0") == 0)
        #expect(NumericDate.milliseconds(fromNumberText: "1e30") == nil)
        #expect(NumericDate.milliseconds(fromNumberText: "1e") == nil)
        #expect(NumericDate.milliseconds(fromNumberText: "x") == nil)
    }

    @Test func theSubjectComesFromSubThenUserIdThenId() throws {
        func subject(_ claims: String) throws -> TokenSubject? {
            try JSONWebToken(parsing: TokenFactory.make(claims: claims)).subject
        }
        #expect(try subject(#"{"exp":1,"sub":"42","userId":7}"#) == .id(42))
        #expect(try subject(#"{"exp":1,"sub":42}"#) == .id(42))
        #expect(try subject(#"{"exp":1,"userId":7,"id":8}"#) == .id(7))
        #expect(try subject(#"{"exp":1,"id":"8"}"#) == .id(8))
        #expect(try subject(#"{"exp":1,"sub":"abc"}"#) == .text("abc"))
        #expect(try subject(#"{"exp":1,"sub":"042"}"#) == .text("042"))
        #expect(try subject(#"{"exp":1,"sub":true,"userId":3}"#) == .id(3))
        #expect(try subject(#"{"exp":1,"email":"a@b"}"#) == nil)
        #expect(TokenSubject.id(123).cacheValue == "123")
        #expect(TokenSubject.text("abc").cacheValue == #""abc""#)
        #expect(TokenSubject.text(#"a"b"#).cacheValue == #""a\"b""#)
    }

    @Test func base64urlDecoding() {
        #expect(Base64URL.decode("") == [])
        #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
        #expect(Base64URL.decode("-_8=") == [0xfb, 0xff])
        #expect(Base64URL.decode("-_8==") == nil)
        #expect(Base64URL.decode("+/8") == nil)
        #expect(Base64URL.decode("QQ") == [0x41])
        #expect(Base64URL.decode("QQ==") == [0x41])
        #expect(Base64URL.decode("QQ=") == nil)
        #expect(Base64URL.decode("Q") == nil)
    }

    @Test func isoTimestampsAsJavaScriptWritesThem() {
        #expect(UnixTime.iso8601(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(UnixTime.iso8601(milliseconds: 1_300_819_380_000) == "2011-03-22T18:43:00.000Z")
        #expect(UnixTime.iso8601(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(UnixTime.iso8601(milliseconds: 4_107_542_400_123) == "2100-03-01T00:00:00.123Z")
        #expect(UnixTime.iso8601(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(UnixTime.iso8601(milliseconds: 253_402_300_800_000) == "+010000-01-01T00:00:00.000Z")
    }
}

/// The blacklist on the shared test server, database 15: every key names a fresh token.
@Suite struct TokenBlacklistTests {
    let redis: RedisConnection

    init() throws {
        redis = try sharedTestRedis(database: 15)
    }

    func token(_ claims: String) throws -> JSONWebToken {
        try JSONWebToken(parsing: TokenFactory.make(claims: claims))
    }

    func unique() -> String { "\(UInt64.random(in: 1...UInt64.max))" }

    @Test func revokeWritesTheUserUntilTheTokenExpires() throws {
        let exp = TokenFactory.nowSeconds() + 3600
        let token = try token(#"{"sub":"42","exp":\#(exp),"jti":"\#(unique())"}"#)
        let blacklist = TokenBlacklist(redis: redis, keyspace: unprefixed)
        let key = try blacklist.key(for: token)
        #expect(key == Array(("jwt:blacklist:" + token.text).utf8))
        let result = try blacklist.revoke(token)
        #expect(result.blacklisted)
        #expect(result.userId == .number("42"))
        #expect(try redis.command(["GET", key]).string == "42")
        let pttl = try #require(try redis.command(["PTTL", key]).int)
        let remaining = exp * 1000 - UnixTime.nowMilliseconds()
        #expect(abs(pttl - remaining) <= 1000, "PTTL \(pttl) vs remaining life \(remaining)")
        #expect(abs(result.ttlSeconds - 3600) <= 1)
        #expect(!result.alreadyBlacklisted)
        #expect(try blacklist.revoke(token).alreadyBlacklisted)
        try redis.command(["DEL", key])
    }

    @Test func theTTLIsTheRemainingLifeOnTheGivenClock() throws {
        let exp: Int64 = 2_000_000_000
        let token = try token(#"{"userId":"abc","exp":\#(exp),"jti":"\#(unique())"}"#)
        let blacklist = TokenBlacklist(redis: redis, keyspace: keyspace("wwctl-test:"), now: { exp * 1000 - 90_500 })
        let result = try blacklist.revoke(token)
        #expect(result.ttlMs == 90_500)
        #expect(result.ttlSeconds == 91)
        let key = "wwctl-test:jwt:blacklist:" + token.text
        #expect(try redis.command(["GET", key]).string == #""abc""#)
        let pttl = try #require(try redis.command(["PTTL", key]).int)
        #expect(pttl <= 90_500 && pttl > 89_500)
        #expect(try redis.command(["EXISTS", "jwt:blacklist:" + token.text]).int == 0)
        try redis.command(["DEL", key])
    }

    @Test func anExpiredTokenWritesNothing() throws {
        let token = try token(#"{"sub":"42","exp":\#(TokenFactory.nowSeconds() - 5),"jti":"\#(unique())"}"#)
        let blacklist = TokenBlacklist(redis: redis, keyspace: unprefixed)
        let result = try blacklist.revoke(token)
        #expect(!result.blacklisted)
        #expect(result.reason == "expired")
        #expect(result.ttlSeconds == 0)
        #expect(try redis.command(["EXISTS", try blacklist.key(for: token)]).int == 0)
        // Nothing is written, so a token naming no user is fine too.
        let anonymous = try self.token(#"{"exp":1}"#)
        #expect(try !blacklist.revoke(anonymous).blacklisted)
    }

    @Test func theUserMustBeKnownAndAgree() throws {
        let exp = TokenFactory.nowSeconds() + 600
        let anonymous = try token(#"{"exp":\#(exp),"jti":"\#(unique())"}"#)
        let blacklist = TokenBlacklist(redis: redis, keyspace: unprefixed)
        #expect(performing: { try blacklist.revoke(anonymous) }, throws: { ($0 as? TokenError)?.reason == .noSubject })
        #expect(try redis.command(["EXISTS", try blacklist.key(for: anonymous)]).int == 0)
        let result = try blacklist.revoke(anonymous, user: 9)
        #expect(try redis.command(["GET", try blacklist.key(for: anonymous)]).string == "9")
        #expect(result.userId == .number("9"))
        let named = try token(#"{"sub":"42","exp":\#(exp),"jti":"\#(unique())"}"#)
        #expect(performing: { try blacklist.revoke(named, user: 9) }, throws: { ($0 as? TokenError)?.reason == .noSubject })
        _ = try blacklist.revoke(named, user: 42)
        try redis.command(["DEL", try blacklist.key(for: anonymous), try blacklist.key(for: named)])
    }

    @Test func aBadSignatureWritesNothing() throws {
        let exp = TokenFactory.nowSeconds() + 600
        let text = TokenFactory.make(claims: #"{"sub":"1","exp":\#(exp),"jti":"\#(unique())"}"#, secret: "right")
        let token = try JSONWebToken(parsing: text)
        let blacklist = TokenBlacklist(redis: redis, keyspace: unprefixed)
        #expect(performing: { try blacklist.revoke(token, secret: Array("wrong".utf8)) },
                throws: { ($0 as? TokenError)?.reason == .badSignature })
        #expect(try redis.command(["EXISTS", try blacklist.key(for: token)]).int == 0)
        let result = try blacklist.revoke(token, secret: Array("right".utf8))
        #expect(result.signatureVerified)
        try redis.command(["DEL", try blacklist.key(for: token)])
    }

    @Test func checkSaysValidRevokedOrExpired() throws {
        let exp = TokenFactory.nowSeconds() + 600
        let token = try token(#"{"sub":"5","exp":\#(exp),"jti":"\#(unique())"}"#)
        let blacklist = TokenBlacklist(redis: redis, keyspace: unprefixed)
        let fresh = try blacklist.check(token)
        #expect(fresh.valid && !fresh.revoked && !fresh.expired && fresh.reason == "ok")
        #expect(fresh.blacklistTtlMs == nil)
        _ = try blacklist.revoke(token)
        let revoked = try blacklist.check(token)
        #expect(!revoked.valid && revoked.revoked && !revoked.expired && revoked.reason == "revoked")
        #expect((revoked.blacklistTtlMs ?? 0) > 0)
        let later = TokenBlacklist(redis: redis, keyspace: unprefixed, now: { (exp + 1) * 1000 })
        let expired = try later.check(token)
        #expect(!expired.valid && expired.expired && expired.reason == "expired")
        try redis.command(["DEL", try blacklist.key(for: token)])
    }
}

/// A connection to database `database` of the shared test server.
func sharedTestRedis(database: Int) throws -> RedisConnection {
    var url = try RedisURL(parsing: TestServers.redisURL)
    url.database = database
    return try RedisConnection(url: url)
}
