import ArgumentParser
import Support

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the resolved configuration.",
        discussion: """
            Example:
              wwctl config show --profile prod -o json
            """,
        subcommands: [ConfigShowCommand.self])
}

struct ConfigShowCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "The resolved configuration and where each value came from (passwords masked).",
        discussion: """
            Precedence: flags, then environment (REDIS_URL, DATABASE_URL, WWCTL_PROFILE, \
            WWCTL_KEY_PREFIX, WWCTL_TIMEOUT), then the profile in the config file \
            ($XDG_CONFIG_HOME/wwctl/config.json, or $WWCTL_CONFIG), then defaults.

            Example:
              wwctl config show --profile prod
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    func execute(_ context: CommandContext) throws {
        let s = context.settings
        let result = ConfigShowResult(
            configFile: s.configPath,
            settings: [
                .init(name: "profile", value: s.profile.value ?? "", source: s.profile.source.description),
                .init(name: "redisUrl", value: s.redisURL.value.masked, source: s.redisURL.source.description),
                .init(name: "databaseUrl", value: s.postgresTarget.masked, source: s.databaseURL.source.description),
                .init(name: "keyPrefix", value: s.keyPrefix.value, source: s.keyPrefix.source.description),
                .init(name: "timeout", value: formatSeconds(s.timeout.value), source: s.timeout.source.description),
                .init(name: "production", value: s.production ? "true" : "false",
                      source: s.profile.value == nil ? SettingSource.defaultValue.description : "profile \(s.profile.value!)"),
            ])
        try context.output.emit(result)
    }
}
