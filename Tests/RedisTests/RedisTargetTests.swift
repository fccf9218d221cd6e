import Redis
import Support
import Testing

@Suite struct RedisTargetTests {
    @Test func sentinelURLWithCredentialsHostsNameAndDatabase() throws {
        let target = try RedisTarget(parsing: "redis+sentinel://ops:p%40ss@s1.example:26379,[::1]:26380,s3/mymaster/4")
        guard case .sentinel(let group) = target else {
            Issue.record("not a sentinel target: \(target)")
            return
        }
        #expect(group.sentinels == [
            .tcp(host: "s1.example", port: 26379), .tcp(host: "::1", port: 26380), .tcp(host: "s3", port: 26379),
        ])
        #expect(group.masterName == "mymaster")
        #expect(group.database == 4)
        #expect(group.username == "ops")
        #expect(group.password == "p@ss")
        #expect(group.tls == nil)
        #expect(target.masked == "redis+sentinel://ops:***@s1.example:26379,[::1]:26380,s3:26379/mymaster/4")
        #expect(target.address == "s1.example:26379,[::1]:26380,s3:26379/mymaster/4")
        #expect(!target.masked.contains("p@ss") && !"\(target)".contains("p@ss"))
    }

    @Test func sentinelURLDefaultsAndTLS() throws {
        let plain = try RedisTarget(parsing: "redis+sentinel://127.0.0.1/cache")
        #expect(plain.database == 0)
        #expect(plain.masked == "redis+sentinel://127.0.0.1:26379/cache/0")
        let secure = try RedisTarget(parsing: "rediss+sentinel://127.0.0.1:26390/cache/1")
        #expect(secure.tls == RedisTLS())
        #expect(secure.masked.hasPrefix("rediss+sentinel://"))
    }

    @Test func standaloneTargetsKeepTheirURL() throws {
        #expect(try RedisTarget(parsing: "rediss://h:6380/1") == .standalone(RedisURL(parsing: "rediss://h:6380/1")))
        #expect(try RedisTarget(parsing: "unix:///tmp/r.sock").isTCP == false)
    }

    @Test func credentialsAndTLSAppliedToEitherKind() throws {
        var target = try RedisTarget(parsing: "redis+sentinel://s1:26379/m")
        target.username = "ro"
        target.password = "pw"
        target.tls = RedisTLS(caFile: "/ca.pem")
        guard case .sentinel(let group) = target else { return }
        #expect(group.username == "ro" && group.password == "pw" && group.tls?.caFile == "/ca.pem")
    }

    @Test(arguments: [
        ("redis+sentinel://s1:26379", "master name is missing"),
        ("redis+sentinel://s1:26379/", "master name is missing"),
        ("redis+sentinel://s1:26379/my master", "not printable"),
        ("redis+sentinel://s1:26379/m/x", "database"),
        ("redis+sentinel://s1:26379/m/1/2", "unexpected text"),
        ("redis+sentinel://s1:26379/m?db=1", "unexpected query"),
        ("redis+sentinel://s1:0/m", "port"),
        ("redis+sentinel://,s1/m", "host is missing"),
        ("redis+sentinel://u:Secr3tPw@s1:x/m", "port"),
    ])
    func badSentinelURLsAreUsageErrors(text: String, problem: String) {
        #expect {
            _ = try RedisTarget(parsing: text)
        } throws: { error in
            guard let error = error as? WWError else { return false }
            return error.category == .usage && error.message.contains(problem) && !error.message.contains("Secr3tPw")
        }
    }
}
