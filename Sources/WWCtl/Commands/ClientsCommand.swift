import ArgumentParser
import CacheOps

extension ClientGrouping: ExpressibleByArgument {}

struct ClientsCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients",
        abstract: "Redis connections summarised: per app instance, idle times, blocked clients, buffers.",
        discussion: """
            Example:
              wwctl clients --group-by addr

            Reads CLIENT LIST and groups the connections by --group-by: name (the client name \
            an app instance sets; empty when it sets none), addr (the host, without the port) \
            or cmd (the last command). Each group shows its connections, how many are blocked \
            (BLPOP, BRPOP and XREAD BLOCK workers), idle seconds (min, median, max) and buffer \
            memory (query buffer, output memory, total). The oldest idle connection is named \
            below the table.

            --kill-idle SECONDS closes the connections idle that long or longer, except this \
            one, replication links, blocked clients and subscribers (they wait by design). It \
            lists them and asks first (--yes answers).

            JSON: connections, blocked, groupBy, groups (array of {key, connections, blocked, \
            idleMinSeconds, idleMedianSeconds, idleMaxSeconds, queryBufferBytes, \
            outputMemoryBytes, totalMemoryBytes}), oldestIdle ({id, addr, name, idleSeconds, \
            ageSeconds, cmd}, null when there is no other connection), killed (null without \
            --kill-idle). NDJSON: one group per line.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(name: .customLong("group-by"), help: ArgumentHelp("Group connections by name, addr or cmd.", valueName: "name|addr|cmd"))
    var groupBy: ClientGrouping = .name

    @Option(name: .customLong("kill-idle"), help: ArgumentHelp("Close connections idle at least SECONDS (asks first).", valueName: "seconds"))
    var killIdle: Int?

    func validate() throws {
        if let killIdle, killIdle < 1 { throw ValidationError("--kill-idle must be at least 1 second, got \(killIdle)") }
    }

    func execute(_ context: CommandContext) throws {
        let roster = ClientRoster(redis: try context.redis())
        let (clients, ownId) = try roster.list()
        var result = ClientsResult(clients: clients, ownId: ownId, groupBy: groupBy)
        if let killIdle {
            let idle = ClientRoster.idle(clients, atLeast: Int64(killIdle), ownId: ownId)
            if idle.isEmpty {
                result.killed = 0
            } else {
                // Listed for an operator about to answer; a refusal stays one line.
                let asking = !context.global.yes && context.output.terminal.stdinIsTTY
                for client in idle.prefix(asking ? 20 : 0) {
                    context.output.note("idle \(client.idleSeconds)s: id \(client.id) \(client.addr) \(client.name.isEmpty ? "(no name)" : client.name)")
                }
                if asking && idle.count > 20 { context.output.note("… and \(idle.count - 20) more") }
                try context.confirm("close \(idle.count) connection\(idle.count == 1 ? "" : "s") idle \(killIdle) s or longer")
                result.killed = try roster.kill(idle)
            }
        }
        try context.output.emit(result)
    }
}
