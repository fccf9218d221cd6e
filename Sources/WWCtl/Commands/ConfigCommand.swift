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

    @OptionGroup(title: "Global options") var global: GlobalOptions
}

struct ConfigShowCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "The resolved configuration and where each value came from (passwords masked).",
        discussion: """
            Example:
              wwctl config show --profile prod

            Precedence: flags; then a profile named by --profile (or `use` in the REPL); then \
            the environment (REDIS_URL, DATABASE_URL, WWCTL_KEY_PREFIX, WWCTL_TIMEOUT; for \
            Redis also REDISCLI_AUTH, WWCTL_REDIS_USER, WWCTL_REDIS_TLS, WWCTL_REDIS_CACERT, \
            WWCTL_REDIS_CACERTDIR, WWCTL_REDIS_CERT, WWCTL_REDIS_KEY, WWCTL_REDIS_SNI, \
            WWCTL_REDIS_INSECURE, WWCTL_REDIS_SENTINELS, WWCTL_REDIS_MASTER, WWCTL_READ_FROM, \
            WWCTL_REPLICA_URL); then a profile chosen by default ($WWCTL_PROFILE, else the \
            file's defaultProfile) in the config file ($XDG_CONFIG_HOME/wwctl/config.json, or \
            $WWCTL_CONFIG); then defaults. The Redis password is never shown, only where it \
            came from.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    func execute(_ context: CommandContext) throws {
        let s = context.settings
        let redis = s.redis
        var redisRows: [ConfigShowResult.Setting] = []
        if let user = redis.target.value.username, let source = redis.userSource {
            redisRows.append(.init(name: "redisUser", value: user, source: source.description))
        }
        if redis.target.value.password != nil, let source = redis.passwordSource {
            redisRows.append(.init(name: "redisPassword", value: "***", source: source.description))
        }
        if let tls = redis.target.value.tls, let source = redis.tlsSource {
            var parts = [tls.verifyPeer ? "on, verified" : "on, NOT verified (--insecure)"]
            if let file = tls.caFile { parts.append("cacert \(file)") }
            if let folder = tls.caDirectory { parts.append("cacertdir \(folder)") }
            if let file = tls.certificateFile { parts.append("cert \(file)") }
            if let file = tls.keyFile { parts.append("key \(file)") }
            if let name = tls.serverName { parts.append("sni \(name)") }
            redisRows.append(.init(name: "redisTls", value: parts.joined(separator: ", "), source: source.description))
        }
        redisRows.append(.init(name: "readFrom", value: redis.readFrom.value.rawValue, source: redis.readFrom.source.description))
        if let replica = redis.replicaURL {
            redisRows.append(.init(name: "replicaUrl", value: replica.value.masked, source: replica.source.description))
        }
        let result = ConfigShowResult(
            configFile: s.configPath,
            settings: [
                .init(name: "profile", value: s.profile.value ?? "", source: s.profile.source.description),
                .init(name: "redisUrl", value: s.redisURL.value.masked, source: s.redisURL.source.description),
            ] + redisRows + [
                .init(name: "databaseUrl", value: s.postgresTarget.masked, source: s.databaseURL.source.description),
                .init(name: "keyPrefix", value: s.keyPrefix.value, source: s.keyPrefix.source.description),
                .init(name: "timeout", value: formatSeconds(s.timeout.value), source: s.timeout.source.description),
                .init(name: "production", value: s.production ? "true" : "false",
                      source: s.profile.value == nil ? SettingSource.defaultValue.description : "profile \(s.profile.value!)"),
            ])
        try context.output.emit(result)
    }
}
