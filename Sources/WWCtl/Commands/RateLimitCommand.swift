import ArgumentParser
import Marketplace
import Support

struct RateLimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ratelimit",
        abstract: "Show and reset a user's or an IP's rate-limit counters.",
        discussion: """
            Example:
              wwctl ratelimit show --user 42
            """,
        subcommands: [RateLimitShowCommand.self, RateLimitResetCommand.self])

    @OptionGroup(title: "Global options") var global: GlobalOptions
}

/// Whose counters: exactly one of --user and --ip, and optionally one endpoint.
struct RateLimitSubjectOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A user id.", valueName: "user"))
    var user: String?

    @Option(help: ArgumentHelp("An IPv4 or IPv6 address.", valueName: "ip"))
    var ip: String?

    @Option(help: ArgumentHelp(
        "Only the counter of this endpoint, as the key holds it (POST:/api/orders).", valueName: "endpoint"))
    var endpoint: String?

    func validate() throws {
        if (user == nil) == (ip == nil) { throw ValidationError("give exactly one of --user and --ip") }
        if endpoint == "" { throw ValidationError("--endpoint must not be empty") }
        try checkAtParseTime { _ = try subject() }
    }

    func subject() throws -> RateLimitSubject {
        if let user { return try RateLimitSubject(user: user) }
        return try RateLimitSubject(ip: ip ?? "")
    }
}

struct RateLimitShowCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List a subject's counters ratelimit:{subject}:{endpoint} with their TTL.",
        discussion: """
            Example:
              wwctl ratelimit show --ip 203.0.113.9 -o json

            Without --endpoint, finds the counters with SCAN (which walks the whole keyspace); \
            the subject must match exactly, so --user 7 never shows user 70's counters. \
            An IPv6 address is matched in the compressed form Node reports (2001:db8::1).
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup var options: RateLimitSubjectOptions

    func execute(_ context: CommandContext) throws {
        let limits = RateLimits(redis: try context.redis(), keyspace: context.keyspace)
        try context.output.emit(try limits.show(subject: try options.subject(), endpoint: options.endpoint))
    }
}

struct RateLimitResetCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Delete a subject's counters (only that subject's; one endpoint's with --endpoint).",
        discussion: """
            Example:
              wwctl ratelimit reset --user 123 --endpoint POST:/api/orders

            With --endpoint, deletes that one counter by name; otherwise SCANs for the \
            subject's counters and deletes exactly those. --dry-run lists them without \
            deleting anything.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup var options: RateLimitSubjectOptions

    @Flag(help: "List the counters that would be deleted without deleting them.")
    var dryRun = false

    func execute(_ context: CommandContext) throws {
        let limits = RateLimits(redis: try context.redis(), keyspace: context.keyspace)
        let report = try limits.reset(subject: try options.subject(), endpoint: options.endpoint, dryRun: dryRun)
        try context.output.emit(report)
        if report.interrupted { throw ExitCode(ErrorCategory.interrupted.exitCode) }
    }
}
