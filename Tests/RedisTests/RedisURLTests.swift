import Redis
import Support
import Testing

@Suite struct RedisURLTests {
    @Test func hostPortAndDatabase() throws {
        let url = try RedisURL(parsing: "redis://127.0.0.1:6391/9")
        #expect(url.endpoint == .tcp(host: "127.0.0.1", port: 6391))
        #expect(url.database == 9)
        #expect(url.username == nil && url.password == nil)
        #expect(url.masked == "redis://127.0.0.1:6391/9")
        #expect(url.address == "127.0.0.1:6391/9")
    }

    @Test func defaultsArePort6379AndDatabase0() throws {
        for text in ["redis://cache.internal", "redis://cache.internal/", "REDIS://cache.internal"] {
            let url = try RedisURL(parsing: text)
            #expect(url.endpoint == .tcp(host: "cache.internal", port: 6379), "\(text)")
            #expect(url.database == 0)
            #expect(url.masked == "redis://cache.internal:6379/0")
        }
    }

    @Test func passwordOnly() throws {
        let url = try RedisURL(parsing: "redis://:hunter2@cache:7000/3")
        #expect(url.username == nil)
        #expect(url.password == "hunter2")
        #expect(url.database == 3)
        #expect(url.masked == "redis://:***@cache:7000/3")
        #expect(url.address == "cache:7000/3")
    }

    @Test func userinfoWithoutColonIsAPasswordAsInRedisCli() throws {
        let url = try RedisURL(parsing: "redis://hunter2@cache")
        #expect(url.username == nil)
        #expect(url.password == "hunter2")
    }

    @Test func aclUserAndPasswordWithRawAtColonAndSlash() throws {
        let url = try RedisURL(parsing: "redis://alice:p@ss:w/rd@10.0.0.5:6380/2")
        #expect(url.username == "alice")
        #expect(url.password == "p@ss:w/rd")
        #expect(url.endpoint == .tcp(host: "10.0.0.5", port: 6380))
        #expect(url.database == 2)
        #expect(url.masked == "redis://alice:***@10.0.0.5:6380/2")
    }

    @Test func percentEncodedUserAndPassword() throws {
        let url = try RedisURL(parsing: "redis://al%69ce%2Bops:p%40ss%3Aw0rd%25%2F@cache:6379/1")
        #expect(url.username == "alice+ops")
        #expect(url.password == "p@ss:w0rd%/")
        // The user is re-encoded in the masked form so that it parses back.
        #expect(url.masked == "redis://alice%2Bops:***@cache:6379/1")
        #expect(try RedisURL(parsing: url.masked).username == "alice+ops")
    }

    @Test func emptyPasswordAfterUserIsKept() throws {
        let url = try RedisURL(parsing: "redis://bob:@cache")
        #expect(url.username == "bob")
        #expect(url.password == "")
        #expect(url.masked == "redis://bob:***@cache:6379/0")
    }

    @Test func ipv6() throws {
        let url = try RedisURL(parsing: "redis://[::1]:6380/2")
        #expect(url.endpoint == .tcp(host: "::1", port: 6380))
        #expect(url.masked == "redis://[::1]:6380/2")
        #expect(url.address == "[::1]:6380/2")
        #expect(try RedisURL(parsing: "redis://[::1]").endpoint == .tcp(host: "::1", port: 6379))
    }

    @Test func unixSocket() throws {
        let url = try RedisURL(parsing: "unix:///var/run/redis/redis.sock?db=4")
        #expect(url.endpoint == .unix(path: "/var/run/redis/redis.sock"))
        #expect(url.database == 4)
        #expect(url.address == "/var/run/redis/redis.sock?db=4")
        #expect(url.masked == "unix:///var/run/redis/redis.sock?db=4")
        #expect(try RedisURL(parsing: "unix:///tmp/r.sock").database == 0)
        let withPassword = try RedisURL(parsing: "unix://:s3cret@/tmp/r.sock?db=1")
        #expect(withPassword.password == "s3cret")
        #expect(withPassword.masked == "unix://:***@/tmp/r.sock?db=1")
    }

    @Test func passwordNeverShowsInDescriptionsOrDumps() throws {
        let url = try RedisURL(parsing: "redis://alice:Sup3rSecret@cache:6379/0")
        #expect(url.description == url.masked)
        #expect(!"\(url)".contains("Sup3rSecret"))
        #expect(!String(reflecting: url).contains("Sup3rSecret"))
        var dumped = ""
        dump(url, to: &dumped)
        #expect(!dumped.contains("Sup3rSecret"))
        #expect(dumped.contains("alice"))
    }

    @Test(arguments: [
        ("127.0.0.1:6379", "must start with redis://, rediss:// or unix://"),
        ("http://cache:6379", "unsupported scheme"),
        ("redis+sentinel://s1:26379/mymaster", "names a group"),
        ("rediss://cache:6380/0?ssl_cert_reqs=none", "unexpected query"),
        ("redis://", "host is missing"),
        ("redis://:pw@", "host is missing"),
        ("redis://cache:", "port"),
        ("redis://cache:0", "port"),
        ("redis://cache:65536", "port"),
        ("redis://cache:63x9", "port"),
        ("redis://cache:6379/abc", "database"),
        ("redis://cache:6379/-1", "database"),
        ("redis://cache:6379/99999999999", "database"),
        ("redis://cache:6379/0?timeout=1", "unexpected query"),
        ("redis://[::1:6379", "closing ']'"),
        ("redis://[zz]:6379", "IPv6"),
        ("redis://ca che:6379", "host name"),
        ("unix://relative/redis.sock", "absolute"),
        ("unix:///tmp/r.sock?db=x", "database"),
        ("unix:///tmp/r.sock?timeout=3", "unknown parameter"),
    ])
    func badInputIsAUsageErrorNamingTheProblem(text: String, problem: String) {
        #expect {
            _ = try RedisURL(parsing: text)
        } throws: { error in
            guard let error = error as? any CategorizedError else { return false }
            return error.category == .usage && error.message.contains(problem) && !error.message.contains("\n")
        }
    }

    @Test(arguments: [
        "redis://:bad%zzSecretPw@cache",  // malformed escape in the password
        "redis://:SecretPw",  // no '@': the password lands where the port goes
        "redis://u:SecretPw@cache:port",
        "redis://u:SecretPw@cache/db",
    ])
    func errorsNeverRepeatThePassword(text: String) throws {
        let error = try #require(throws: WWError.self) { try RedisURL(parsing: text) }
        #expect(error.category == .usage)
        #expect(!error.message.contains("SecretPw"))
    }

    @Test func redissIsTheSameServerOverVerifiedTLS() throws {
        let url = try RedisURL(parsing: "rediss://ops:S3cret@cache.example:6380/2")
        #expect(url.endpoint == .tcp(host: "cache.example", port: 6380))
        #expect(url.database == 2)
        #expect(url.username == "ops")
        #expect(url.password == "S3cret")
        #expect(url.tls == RedisTLS())
        #expect(url.tls?.verifyPeer == true)
        #expect(url.masked == "rediss://ops:***@cache.example:6380/2")
        #expect(try RedisURL(parsing: "redis://cache:6380").tls == nil)
        #expect(try RedisURL(parsing: "REDISS://cache").endpoint == .tcp(host: "cache", port: 6379))
    }

    @Test func maskedFormParsesBackToTheSameLocation() throws {
        for text in ["redis://cache", "rediss://cache:6380/1", "redis://[::1]:7000/5", "unix:///tmp/x.sock?db=2", "redis://u%3Ax:pw@h:1/3"] {
            let url = try RedisURL(parsing: text)
            var reparsed = try RedisURL(parsing: url.masked)
            if url.password != nil { reparsed.password = url.password }
            #expect(reparsed == url, "\(text)")
        }
    }
}
