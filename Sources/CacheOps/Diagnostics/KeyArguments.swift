import Redis

/// Which arguments of a logged command are keys, as the server itself says: `COMMAND INFO`
/// once per command name (first key, last key, step), and `COMMAND GETKEYS` for commands
/// whose key positions depend on their arguments (movable keys, subcommand containers such
/// as `OBJECT` or `MEMORY`). Answers are kept for the life of one connection.
public final class KeyArguments {
    private enum Positions {
        case fixed(first: Int, last: Int, step: Int)
        case none
        case perCall
    }

    private let redis: any RedisCommandRunner
    private var known: [String: Positions] = [:]

    public init(redis: any RedisCommandRunner) {
        self.redis = redis
    }

    /// The key arguments of `arguments` (the command name first). Arguments the slow log
    /// shortened, and commands the server does not know, give no keys.
    public func keys(of arguments: [[UInt8]]) -> [[UInt8]] {
        guard let name = arguments.first.flatMap({ String(validating: $0, as: UTF8.self) })?.lowercased() else { return [] }
        switch positions(of: name) {
        case .none:
            return []
        case .fixed(let first, let last, let step):
            let end = last < 0 ? arguments.count + last : min(last, arguments.count - 1)
            guard first < arguments.count, first <= end, step > 0 else { return [] }
            return stride(from: first, through: end, by: step).map { arguments[$0] }
        case .perCall:
            guard let reply = try? redis.command(["COMMAND", "GETKEYS"] + arguments), let keys = reply.array else { return [] }
            return keys.compactMap(\.bytes)
        }
    }

    private func positions(of name: String) -> Positions {
        if let positions = known[name] { return positions }
        var positions = Positions.none
        if let info = try? redis.command("COMMAND", "INFO", name).array?.first?.array, info.count >= 6,
           let first = info[3].int, let last = info[4].int, let step = info[5].int {
            let flags = info[2].array?.compactMap(\.string) ?? []
            let hasSubcommands = info.count > 9 && !(info[9].array ?? []).isEmpty
            if flags.contains("movablekeys") || (first == 0 && hasSubcommands) {
                positions = .perCall
            } else if first > 0 {
                positions = .fixed(first: Int(first), last: Int(last), step: Int(step))
            }
        }
        known[name] = positions
        return positions
    }
}
