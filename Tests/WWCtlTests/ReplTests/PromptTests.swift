import Postgres
import Redis
import Testing
@testable import WWCtl

@Suite struct PromptTests {
    @Test func namesTheProfileAndBothTargetsWithoutPasswords() throws {
        let text = Prompt.text(
            profile: "prod", production: true,
            redis: try RedisTarget(parsing: "redis://ops:s3cret@10.0.0.5:6379/0"),
            postgres: PostgresTarget(urlOrConninfo: "host=db1 dbname=waywise password=hunter2"),
            style: Style(enabled: false))
        #expect(text == "wwctl prod redis@10.0.0.5:6379/0 pg@db1/waywise> ")
    }

    @Test func aProductionProfileIsHighlightedOnlyWithColour() throws {
        let redis = try RedisTarget(parsing: "redis://10.0.0.5:6379/0")
        let postgres = PostgresTarget(urlOrConninfo: "postgresql://db1:5433/waywise")
        let production = Prompt.text(profile: "prod", production: true, redis: redis, postgres: postgres, style: Style(enabled: true))
        #expect(production.contains("\u{1B}[7m\u{1B}[31mprod"))
        let staging = Prompt.text(profile: "staging", production: false, redis: redis, postgres: postgres, style: Style(enabled: true))
        #expect(!staging.contains("[31m"))
        #expect(staging.hasSuffix(" redis@10.0.0.5:6379/0 pg@db1:5433/waywise> "))
    }

    @Test func withoutAProfileThePromptStartsWithTheTargets() throws {
        let text = Prompt.text(
            profile: nil, production: false, redis: try RedisTarget(parsing: "redis://127.0.0.1:6391/11"),
            postgres: PostgresTarget(urlOrConninfo: "postgresql://u:p@127.0.0.1:5491/waywise"), style: Style(enabled: true))
        #expect(text == "wwctl redis@127.0.0.1:6391/11 pg@127.0.0.1:5491/waywise> ")
    }

    @Test func onlyTheDefaultPostgresPortIsDropped() {
        #expect(Prompt.postgresAddress("db1:5432/waywise") == "db1/waywise")
        #expect(Prompt.postgresAddress("db1:54321/waywise") == "db1:54321/waywise")
        #expect(Prompt.postgresAddress("h1:5432,h2:5433/waywise") == "h1:5432,h2:5433/waywise")
    }
}
