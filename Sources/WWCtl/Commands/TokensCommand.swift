import ArgumentParser
import Glibc
import Marketplace
import Support

struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Revoke JWTs (the app's blacklist) and check whether one is still usable.",
        discussion: """
            Example:
              wwctl tokens check "$JWT" && wwctl tokens revoke "$JWT"
            """,
        subcommands: [TokensRevokeCommand.self, TokensCheckCommand.self])

    @OptionGroup(title: "Global options") var global: GlobalOptions
}

/// What both token commands take: the token (or `-` to read it from standard input, keeping
/// it out of shell history and `ps`) and an optional secret to verify it with.
struct TokenArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The JWT, or - to read it from standard input.", valueName: "jwt"))
    var jwt: String

    @Option(help: ArgumentHelp(
        "Verify the HS256 signature with this secret first (default: $WWCTL_JWT_SECRET).",
        discussion: "Prefer the environment variable: an option is visible to other users in ps.",
        valueName: "secret"))
    var secret: String?

    func token() throws -> JSONWebToken {
        try JSONWebToken(parsing: jwt == "-" ? try Self.readStandardInput() : jwt)
    }

    func secretBytes(_ context: CommandContext) -> [UInt8]? {
        if let secret { return Array(secret.utf8) }
        if let secret = context.environment["WWCTL_JWT_SECRET"], !secret.isEmpty { return Array(secret.utf8) }
        return nil
    }

    private static func readStandardInput() throws -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(0, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[..<count]
            guard bytes.count <= 1 << 20 else { throw WWError.dataError("standard input holds more than 1 MiB; a JWT is far smaller") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

struct TokensRevokeCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Blacklist a JWT until it expires (jwt:blacklist:{token} = its user id).",
        discussion: """
            Example:
              wwctl tokens revoke - -o json < token.txt

            Decodes the token's header and claims (not trusted unless --secret verifies \
            them) and writes jwt:blacklist:{token} = userId with a TTL of the token's \
            remaining life (exp − now), as the app does at logout. The user is the first of \
            the claims sub, userId, id; an integer id is stored as a number, any other \
            string quoted, as cache-manager stores JSON.stringify(userId). --user supplies \
            it for a token that names none.

            An expired token needs no entry: nothing is written, `blacklisted` is false \
            with reason "expired", exit 0. A malformed token (not three base64url parts, \
            header or claims not JSON objects, no numeric exp), a signature that does not \
            verify, or a secret with a token not signed HS256: exit 65. Messages show only \
            the start of a token and a fingerprint, never the whole token.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup var arguments: TokenArguments

    @Option(help: ArgumentHelp("The user id to store, for a token whose claims name none.", valueName: "user"))
    var user: String?

    func execute(_ context: CommandContext) throws {
        let token = try arguments.token()
        let userId = try user.map(RateLimitSubject.userId(parsing:))
        let blacklist = TokenBlacklist(redis: try context.redis(), keyspace: context.keyspace)
        let result = try blacklist.revoke(token, user: userId, secret: arguments.secretBytes(context))
        try context.output.emit(result)
    }
}

struct TokensCheckCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Whether a JWT is usable: exit 0 valid, 1 revoked or expired, 65 malformed.",
        discussion: """
            Example:
              WWCTL_JWT_SECRET=… wwctl tokens check "$TOKEN" -o json

            Valid means: its exp is in the future and jwt:blacklist:{token} does not exist. \
            The signature is checked only with --secret (or $WWCTL_JWT_SECRET); one that \
            does not verify is exit 65.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions
    @OptionGroup var arguments: TokenArguments

    func execute(_ context: CommandContext) throws {
        let token = try arguments.token()
        let blacklist = TokenBlacklist(redis: try context.redis(), keyspace: context.keyspace)
        let result = try blacklist.check(token, secret: arguments.secretBytes(context))
        try context.output.emit(result)
        if !result.valid { throw ExitCode(ErrorCategory.negative.exitCode) }
    }
}
