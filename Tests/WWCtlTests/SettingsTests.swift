import Foundation
import Testing
@testable import WWCtl
import Support

@Suite struct SettingsTests {
    /// Writes a config file in a temp dir and returns an environment pointing at it.
    func environment(config: String?, _ extra: [String: String] = [:]) throws -> [String: String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wwctl-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("config.json").path
        // No file: the default place (an empty folder), since a missing $WWCTL_CONFIG is an error.
        guard let config else { return ["XDG_CONFIG_HOME": dir.path].merging(extra) { $1 } }
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        return ["WWCTL_CONFIG": path].merging(extra) { $1 }
    }

    func options(_ arguments: [String]) throws -> GlobalOptions {
        try GlobalOptions.parse(arguments)
    }

    let file = """
        {"defaultProfile": "local",
         "profiles": {
           "local": {"redisUrl": "redis://127.0.0.1:6390/0", "databaseUrl": "postgresql://u:pw@h/db"},
           "prod": {"redisUrl": "redis://ops:s3cr%40t@10.0.0.5:6379/2", "keyPrefix": "app:", "timeout": 3, "production": true}
         }}
        """

    @Test func defaultsWithoutAnything() async throws {
        let settings = try Settings.resolve(options([]), environment: environment(config: nil))
        #expect(settings.redisURL.value.masked == "redis://127.0.0.1:6379/0")
        #expect(settings.redisURL.source == .defaultValue)
        #expect(settings.databaseURL.value == nil)
        #expect(settings.databaseURL.source == .libpqEnvironment)
        #expect(settings.timeout.value == 5)
        #expect(settings.keyPrefix.value == "")
        #expect(settings.profile.value == nil)
    }

    @Test func profileFromFileDefault() async throws {
        let env = try environment(config: file)
        let settings = try Settings.resolve(options([]), environment: env)
        #expect(settings.profile.value == "local")
        #expect(settings.redisURL.value.masked == "redis://127.0.0.1:6390/0")
        if case .profile(let name, _) = settings.redisURL.source { #expect(name == "local") } else { Issue.record("wrong source") }
    }

    @Test func environmentBeatsProfileAndFlagsBeatEnvironment() async throws {
        let env = try environment(config: file, ["WWCTL_PROFILE": "prod", "REDIS_URL": "redis://127.0.0.1:7000/1"])
        let fromEnv = try Settings.resolve(options([]), environment: env)
        #expect(fromEnv.profile.value == "prod")
        #expect(fromEnv.profile.source == .environment("WWCTL_PROFILE"))
        #expect(fromEnv.redisURL.value.masked == "redis://127.0.0.1:7000/1")
        #expect(fromEnv.redisURL.source == .environment("REDIS_URL"))
        #expect(fromEnv.keyPrefix.value == "app:")
        #expect(fromEnv.timeout.value == 3)
        #expect(fromEnv.production)

        let fromFlags = try Settings.resolve(
            options(["--redis-url", "redis://127.0.0.1:7001/3", "--key-prefix", "x:", "--timeout", "1.5"]), environment: env)
        #expect(fromFlags.redisURL.value.masked == "redis://127.0.0.1:7001/3")
        #expect(fromFlags.redisURL.source == .flag("--redis-url"))
        #expect(fromFlags.keyPrefix.value == "x:")
        #expect(fromFlags.timeout.value == 1.5)
    }

    @Test func passwordsAreMaskedInProfileValues() async throws {
        let env = try environment(config: file)
        let settings = try Settings.resolve(options(["--profile", "prod"]), environment: env)
        #expect(settings.redisURL.value.password == "s3cr@t")
        #expect(!settings.redisURL.value.masked.contains("s3cr"))
        #expect(!settings.postgresTarget.masked.contains("pw@"))
    }

    @Test func unknownProfileIsAUsageErrorListingTheKnownOnes() async throws {
        let env = try environment(config: file)
        do {
            _ = try Settings.resolve(options(["--profile", "staging"]), environment: env)
            Issue.record("expected an error")
        } catch let error as WWError {
            #expect(error.category == .usage)
            #expect(error.message.contains("unknown profile 'staging'"))
            #expect(error.message.contains("local, prod"))
        }
    }

    @Test func malformedFileAndURLAreUsageErrors() async throws {
        #expect(throws: WWError.self) {
            _ = try Settings.resolve(options([]), environment: environment(config: "{not json"))
        }
        let env = try environment(config: nil, ["REDIS_URL": "http://nope"])
        do {
            _ = try Settings.resolve(options([]), environment: env)
            Issue.record("expected an error")
        } catch let error as WWError {
            #expect(error.category == .usage)
            #expect(error.message.contains("REDIS_URL"))
        }
    }

    @Test func badTimeoutFromEnvironmentIsRejected() async throws {
        let env = try environment(config: nil, ["WWCTL_TIMEOUT": "soon"])
        #expect(throws: WWError.self) { _ = try Settings.resolve(options([]), environment: env) }
    }

    @Test func unknownKeysAreUsageErrorsWithTheNearestKnownKey() throws {
        let env = try environment(config: #"{"profiles": {"prod": {"redisURL": "redis://10.0.0.5:6379/0"}}}"#)
        let error = try #require(throws: WWError.self) { try Settings.resolve(options([]), environment: env) }
        #expect(error.category == .usage)
        #expect(error.message.contains(env["WWCTL_CONFIG"]!))
        #expect(error.message.contains("unknown key 'redisURL' in profiles.prod; did you mean 'redisUrl'?"))

        let top = try environment(config: #"{"defaultProfle": "x", "profiles": {}}"#)
        let topError = try #require(throws: WWError.self) { try Settings.resolve(options([]), environment: top) }
        #expect(topError.message.contains("unknown key 'defaultProfle'; did you mean 'defaultProfile'?"))

        let far = try environment(config: #"{"profiles": {"p": {"colour": "blue"}}}"#)
        let farError = try #require(throws: WWError.self) { try Settings.resolve(options([]), environment: far) }
        #expect(farError.message.contains("unknown key 'colour' in profiles.p (known: "))
        #expect(farError.message.contains("redisUrl"))
    }

    @Test func everyKeyTheDecodersReadIsKnown() {
        let profile = DecodedKeys.of(ConfigFile.Profile.self)
        for key in ["redisUrl", "databaseUrl", "keyPrefix", "timeout", "production"] { #expect(profile.contains(key)) }
        #expect(DecodedKeys.of(ConfigFile.self) == ["defaultProfile", "profiles"])
    }

    @Test func duplicateKeysAreUsageErrors() throws {
        let env = try environment(config: #"{"profiles": {"p": {"redisUrl": "redis://a:1/0", "redisUrl": "redis://b:2/0"}}}"#)
        let error = try #require(throws: WWError.self) { try Settings.resolve(options(["--profile", "p"]), environment: env) }
        #expect(error.category == .usage)
        #expect(error.message.contains("key 'redisUrl' appears twice in profiles.p"))

        let profiles = try environment(config: #"{"profiles": {"p": {}, "p": {}}}"#)
        let twice = try #require(throws: WWError.self) { try Settings.resolve(options([]), environment: profiles) }
        #expect(twice.message.contains("key 'p' appears twice in profiles"))
    }

    @Test func aMissingFileNamedByTheEnvironmentIsAUsageError() throws {
        let env = ["WWCTL_CONFIG": "/nonexistent/wwctl-\(UUID().uuidString).json"]
        let error = try #require(throws: WWError.self) { try Settings.resolve(options([]), environment: env) }
        #expect(error.category == .usage)
        #expect(error.message.contains("WWCTL_CONFIG"))
        #expect(error.message.contains("does not exist"))
    }
}
