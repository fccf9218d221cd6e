import ArgumentParser

struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wwctl",
        abstract: "Operate the WayWise marketplace backend: PostgreSQL truth, Redis caches.",
        discussion: """
            Exit codes: 0 success, 1 negative answer (denied, findings), 64 usage, 65 bad input \
            data, 69 server unavailable, 70 internal error, 75 temporary failure (lock held), \
            130 interrupted. `health` uses 0/1/2/3 (OK/WARNING/CRITICAL/UNKNOWN).

            With no arguments on a terminal, wwctl starts its REPL.

            Example:
              wwctl ping && wwctl cache warm --org 7 && wwctl metrics -o prometheus
            """,
        version: BuildInfo.version,
        subcommands: [
            PingCommand.self,
            ConfigCommand.self,
            DBCommand.self,
            OrgsCommand.self,
            PermsCommand.self,
            ProductsCommand.self,
            PayoutsCommand.self,
            SessionsCommand.self,
            TokensCommand.self,
            RateLimitCommand.self,
            CacheCommand.self,
            MetricsCommand.self,
            HealthCommand.self,
            SlowlogCommand.self,
            ClientsCommand.self,
            LatencyCommand.self,
            TopCommand.self,
            ReplCommand.self,
        ])
}
