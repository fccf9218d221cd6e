import ArgumentParser

/// The entry point: parses the command line, runs the command, maps errors to exit codes.
public enum WWCtlMain {
    public static func run() async {
        await RootCommand.main()
    }
}

struct RootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wwctl",
        abstract: "Operate the WayWise marketplace backend: PostgreSQL truth, Redis caches.",
        version: "0.1.0",
        subcommands: [])
}
