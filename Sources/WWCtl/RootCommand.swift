import ArgumentParser

struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wwctl",
        abstract: "Operate the WayWise marketplace backend: PostgreSQL truth, Redis caches.",
        discussion: """
            Examples:
              wwctl ping
              wwctl --profile prod cache warm --org 7
              wwctl metrics -o prometheus
              wwctl repl

            With no arguments on a terminal, wwctl starts its REPL. Global options go before \
            the command or after it, with the same meaning. wwctl --version [-v] prints the \
            version (and with -v the libraries').

            Exit codes: 0 success, 1 negative answer, 64 usage, 65 bad input data, 69 server \
            unavailable, 70 internal error, 75 temporary failure, 77 permission denied by the \
            server, 130 interrupted; health: 0/1/2/3 (OK/WARNING/CRITICAL/UNKNOWN). See man \
            wwctl for the details.
            """,
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

    // The same group as every command's: argument-parser parses it wherever it stands on
    // the line, and the command's own group takes the value decoded here
    // (`wwctl --profile prod cache warm` = `wwctl cache warm --profile prod`).
    @OptionGroup(title: "Global options") var global: GlobalOptions
}
