/// The commands that exist only inside the REPL. Everything else typed at the prompt is
/// a CLI command, parsed by the same `RootCommand`.
enum ReplBuiltin: String, CaseIterable, Sendable {
    case help, exit, quit, watch, use, timing, redis

    init?(word: String) {
        self.init(rawValue: word)
    }

    var usage: String {
        switch self {
        case .help: "help [COMMAND [SUBCOMMAND]]"
        case .exit: "exit"
        case .quit: "quit"
        case .watch: "watch SECONDS COMMAND [ARGS...]"
        case .use: "use [PROFILE]"
        case .timing: "timing [on|off]"
        case .redis: "redis COMMAND [ARGS...]"
        }
    }

    var summary: String {
        switch self {
        case .help: "this list, or the help of a command"
        case .exit, .quit: "leave the REPL (so does Ctrl-D)"
        case .watch: "run a command every SECONDS until Ctrl-C"
        case .use: "switch to a profile of the config file (closes the connections); alone: list them"
        case .timing: "show how long each command takes"
        case .redis: "send a raw command to Redis, replies shown as redis-cli shows them"
        }
    }

    /// Redis commands the passthrough refuses, and why: they change the connection in
    /// ways the rest of the session does not expect, or answer with more than one reply.
    static func refusal(_ words: [String]) -> String? {
        guard let name = words.first?.uppercased() else { return nil }
        switch name {
        case "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR", "SYNC", "PSYNC":
            return "\(name) streams replies without end; use redis-cli for it"
        case "SELECT":
            return "SELECT would change the database under the other commands; use a redis URL ending in /N or a profile"
        case "HELLO" where words.count > 1 && words[1] != "2":
            return "HELLO \(words[1]) would switch the protocol; only RESP2 is spoken here"
        case "CLIENT" where words.count > 1 && words[1].uppercased() == "REPLY":
            return "CLIENT REPLY would desynchronise replies from commands"
        default:
            return nil
        }
    }
}
