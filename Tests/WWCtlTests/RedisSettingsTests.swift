import Foundation
import Redis
import Support
import Testing
@testable import WWCtl

/// How the Redis connection settings are layered: flags, environment, profile, defaults.
@Suite struct RedisSettingsTests {
    /// A folder with `config.json` holding `config`, and the environment pointing at it; with
    /// no `config`, an environment whose config folder is that empty folder (a `$WWCTL_CONFIG`
    /// naming no file is a usage error).
    func environment(config: String?, _ extra: [String: String] = [:]) throws -> (env: [String: String], folder: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wwctl-redis-settings-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard let config else { return (["XDG_CONFIG_HOME": folder].merging(extra) { $1 }, folder) }
        try config.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        return (["WWCTL_CONFIG": folder + "/config.json"].merging(extra) { $1 }, folder)
    }

    func resolve(_ arguments: [String], _ env: [String: String]) throws -> Settings {
        try Settings.resolve(GlobalOptions.parse(arguments), environment: env)
    }

    func usageError(_ arguments: [String], _ env: [String: String]) throws -> String {
        do {
            _ = try resolve(arguments, env)
        } catch let error as WWError where error.category == .usage {
            return error.message
        }
        Issue.record("expected a usage error for \(arguments)")
        return ""
    }

    @Test func tlsFlagsMakeAVerifiedTLSTarget() throws {
        let (env, _) = try environment(config: nil)
        let settings = try resolve(
            ["--redis-url", "redis://cache:6380/1", "--tls", "--cacert", "/ca.pem", "--cert", "/c.pem", "--key", "/k.pem", "--sni", "cache.example"], env)
        let tls = try #require(settings.redisURL.value.tls)
        #expect(tls == RedisTLS(caFile: "/ca.pem", certificateFile: "/c.pem", keyFile: "/k.pem", serverName: "cache.example"))
        #expect(settings.redisURL.value.masked == "rediss://cache:6380/1")
        #expect(settings.redis.tlsSource == .flag("--tls"))
        #expect(!settings.redis.isInsecure)
    }

    @Test func redissAloneIsVerifiedAgainstTheSystemStore() throws {
        let (env, _) = try environment(config: nil, ["REDIS_URL": "rediss://cache:6380"])
        let settings = try resolve([], env)
        #expect(settings.redisURL.value.tls == RedisTLS())
        #expect(settings.redis.tlsSource == .environment("REDIS_URL"))
        #expect(try resolve(["--insecure"], env).redis.isInsecure)
    }

    @Test func tlsFilesWithoutTLSAreRefused() throws {
        let (env, _) = try environment(config: nil)
        #expect(try usageError(["--cacert", "/ca.pem"], env).contains("--cacert (from flag --cacert) is for TLS"))
        #expect(try usageError(["--insecure"], env).contains("--insecure"))
        #expect(try usageError(["--redis-url", "unix:///tmp/r.sock", "--tls"], env).contains("not a unix socket"))
        #expect(throws: (any Error).self) { try GlobalOptions.parse(["--tls", "--key", "/k.pem"]) }
    }

    @Test func loginFlagsBeatTheURLWhichBeatsTheEnvironment() throws {
        let (env, _) = try environment(config: nil, ["REDISCLI_AUTH": "fromEnv"])
        let url = try resolve(["--redis-url", "redis://alice:fromUrl@h:1/0"], env)
        #expect(url.redisURL.value.password == "fromUrl")
        #expect(url.redis.passwordSource == .flag("--redis-url"))

        let flags = try resolve(["--redis-url", "redis://alice:fromUrl@h:1/0", "--redis-user", "bob", "--pass", "fromFlag"], env)
        #expect(flags.redisURL.value.username == "bob")
        #expect(flags.redisURL.value.password == "fromFlag")
        #expect(flags.redis.passwordSource == .flag("--pass"))
        #expect(!flags.redisURL.value.masked.contains("fromFlag"))

        // An empty password in the URL (`user:@host`) leaves the password to the environment.
        let emptyInURL = try resolve(["--redis-url", "redis://alice:@h:1/0"], env)
        #expect(emptyInURL.redisURL.value.password == "fromEnv")
        #expect(emptyInURL.redisURL.value.username == "alice")

        let environment = try resolve(["--redis-url", "redis://h:1/0"], env)
        #expect(environment.redisURL.value.password == "fromEnv")
        #expect(environment.redis.passwordSource == .environment("REDISCLI_AUTH"))
        #expect(environment.redisURL.value.masked == "redis://:***@h:1/0")
    }

    @Test func aPasswordFileMustBeReadableByItsOwnerOnly() throws {
        let config = #"{"profiles": {"cron": {"redisUrl": "redis://10.0.0.5:6379/0", "redisUser": "ops", "passwordFile": "redis.pass"}}}"#
        let (env, folder) = try environment(config: config)
        let file = folder + "/redis.pass"
        try "S3cret-from-file\n".write(toFile: file, atomically: true, encoding: .utf8)

        chmod(file, 0o644)
        let refusal = try usageError(["--profile", "cron"], env)
        #expect(refusal.contains("password file \(file) may be read by others (mode 0644)"))
        #expect(!refusal.contains("S3cret"))

        chmod(file, 0o600)
        let settings = try resolve(["--profile", "cron"], env)
        #expect(settings.redisURL.value.password == "S3cret-from-file")
        #expect(settings.redisURL.value.username == "ops")
        #expect(!settings.redisURL.value.masked.contains("S3cret"))
        if case .profile(let name, _) = try #require(settings.redis.passwordSource) { #expect(name == "cron") } else {
            Issue.record("the password should come from the profile")
        }
        // A password given any other way wins over the file.
        #expect(try resolve(["--profile", "cron", "--pass", "flag"], env).redisURL.value.password == "flag")

        try FileManager.default.removeItem(atPath: file)
        #expect(try usageError(["--profile", "cron"], env).contains("password file \(file): no such file"))
    }

    @Test func profileSettingsWithRelativeFiles() throws {
        let config = """
            {"profiles": {"prod": {"redisUrl": "redis://10.0.0.5:6380/0", "tls": true, "cacert": "ca.pem", "sni": "cache.internal",
                                   "readFrom": "replica", "replicaUrl": "redis://10.0.0.6:6380/0"}}}
            """
        let (env, folder) = try environment(config: config)
        let settings = try resolve(["--profile", "prod"], env)
        #expect(settings.redisURL.value.tls?.caFile == folder + "/ca.pem")
        #expect(settings.redisURL.value.tls?.serverName == "cache.internal")
        #expect(settings.redis.readFrom.value == .replica)
        // The replica inherits the target's TLS.
        #expect(settings.redis.replicaURL?.value.tls?.caFile == folder + "/ca.pem")
        #expect(try resolve(["--profile", "prod", "--read-from", "primary"], env).redis.readFrom.value == .primary)
    }

    @Test func sentinelsFromFlagsEnvironmentOrProfile() throws {
        let (env, _) = try environment(
            config: #"{"profiles": {"ha": {"sentinels": ["10.0.0.7:26379", "10.0.0.8"], "master": "waywise"}}}"#)
        let fromFlags = try resolve(["--sentinel", "s1:26390", "--sentinel", "[::1]:26391", "--master", "m", "--pass", "pw"], env)
        #expect(fromFlags.redisURL.value == .sentinel(RedisSentinelGroup(
            sentinels: [.tcp(host: "s1", port: 26390), .tcp(host: "::1", port: 26391)], masterName: "m", password: "pw")))
        #expect(fromFlags.redisURL.source == .flag("--sentinel"))

        let fromProfile = try resolve(["--profile", "ha"], env)
        guard case .sentinel(let group) = fromProfile.redisURL.value else {
            Issue.record("not a sentinel target")
            return
        }
        #expect(group.sentinels == [.tcp(host: "10.0.0.7", port: 26379), .tcp(host: "10.0.0.8", port: 26379)])

        let fromEnvironment = try resolve([], env.merging(["WWCTL_REDIS_SENTINELS": "a:1,b:2", "WWCTL_REDIS_MASTER": "x"]) { $1 })
        #expect(fromEnvironment.redisURL.value.masked == "redis+sentinel://a:1,b:2/x/0")

        #expect(try usageError(["--redis-url", "redis://h", "--sentinel", "s:1", "--master", "m"], env).contains("not both"))
        #expect(try usageError(["--sentinel", "s:1/x", "--master", "m"], env).contains("is not host:port"))
        #expect(throws: (any Error).self) { try GlobalOptions.parse(["--sentinel", "s:1"]) }
    }

    @Test func readFromAndReplicaURL() throws {
        let (env, _) = try environment(config: nil)
        #expect(try resolve([], env).redis.readFrom.value == .primary)
        #expect(try resolve(["--read-from", "replica"], env).redis.readFrom.source == .flag("--read-from"))
        #expect(try usageError(["--replica-url", "redis://r:1"], env).contains("--replica-url is for --read-from replica"))
        #expect(try usageError([], env.merging(["WWCTL_READ_FROM": "nearest"]) { $1 }).contains("must be primary or replica"))
        let named = try resolve(["--read-from", "replica", "--replica-url", "redis://r:1/0", "--redis-url", "redis://u:pw@p:1/0"], env)
        #expect(named.redis.replicaURL?.value.address == "r:1/0")
    }
}
