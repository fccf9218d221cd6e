import Postgres
import Redis
import Testing
@testable import WWCtl

@Suite struct PromptTests {
    @Test func namesTheProfileAndBothTargetsWithoutPasswords() throws {
        let text = Prompt.text(
            format: nil, profile: "prod", production: true,
            redis: try RedisTarget(parsing: "redis://ops:s3cret@10.0.0.5:6379/0"),
            postgres: PostgresTarget(urlOrConninfo: "host=db1 dbname=waywise password=hunter2"),
            style: Style(enabled: false))
        #expect(text == "wwctl prod redis@10.0.0.5/0 pg@waywise> ")
    }

    @Test func aProductionProfileIsHighlightedOnlyWithColour() throws {
        let redis = try RedisTarget(parsing: "redis://10.0.0.5:6379/0")
        let postgres = PostgresTarget(urlOrConninfo: "postgresql://db1:5433/waywise")
        let production = Prompt.text(
            format: nil, profile: "prod", production: true, redis: redis, postgres: postgres, style: Style(enabled: true))
        #expect(production.contains("\u{1B}[7m\u{1B}[31mprod"))
        let staging = Prompt.text(
            format: nil, profile: "staging", production: false, redis: redis, postgres: postgres, style: Style(enabled: true))
        #expect(!staging.contains("[31m"))
        #expect(staging.hasSuffix(" pg@waywise> "))
        #expect(Prompt.text(format: nil, profile: "prod", production: false, redis: redis, postgres: postgres, style: Style(enabled: false))
            == "wwctl prod redis@10.0.0.5/0 pg@waywise> ")
    }

    @Test func withoutAProfileThePromptStartsWithTheTargets() throws {
        let text = Prompt.text(
            format: nil, profile: nil, production: false, redis: try RedisTarget(parsing: "redis://127.0.0.1:6391/11"),
            postgres: PostgresTarget(urlOrConninfo: "postgresql://u:p@127.0.0.1:5491/waywise"), style: Style(enabled: true))
        #expect(text.count <= Prompt.maxWidth)
        #expect(text.hasPrefix("wwctl redis@127.0.0.1:"))
        #expect(text.hasSuffix("… pg@waywise> "))
    }

    /// Long host and database names are cut so the default prompt leaves an 80-column
    /// terminal room to type.
    @Test func theDefaultKeepsTo40Columns() throws {
        let text = Prompt.text(
            format: nil, profile: "production-eu", production: false,
            redis: try RedisTarget(parsing: "redis://cache-primary.eu-west-1.internal.example.com:6380/3"),
            postgres: PostgresTarget(urlOrConninfo: "postgresql://db.example.com/waywise_marketplace_production"),
            style: Style(enabled: false))
        #expect(text.count <= Prompt.maxWidth)
        #expect(text.hasPrefix("wwctl production-eu redis@ca"))
        #expect(text.contains("…"))
        #expect(text.hasSuffix("> "))
    }

    @Test func aProfileSetsItsOwnForm() throws {
        let redis = try RedisTarget(parsing: "redis://10.0.0.5:6379/0")
        let postgres = PostgresTarget(urlOrConninfo: "postgresql://db1/waywise")
        #expect(Prompt.text(format: "[%p] %d 100%% $ ", profile: "prod", production: false, redis: redis, postgres: postgres,
                            style: Style(enabled: false)) == "[prod] waywise 100% $ ")
        #expect(Prompt.text(format: "%p %r> ", profile: nil, production: false, redis: redis, postgres: postgres,
                            style: Style(enabled: false)) == "10.0.0.5/0> ")
    }

    @Test func onlyTheDefaultPortsAreDropped() {
        #expect(Prompt.redisHost("10.0.0.5:6379/0") == "10.0.0.5/0")
        #expect(Prompt.redisHost("10.0.0.5:63790/0") == "10.0.0.5:63790/0")
        #expect(Prompt.databaseName("db1:5432/waywise") == "waywise")
        #expect(Prompt.databaseName("libpq defaults") == "libpq defaults")
    }
}
