import Support

/// A failure talking to one Redis server. The message is one line of the form
/// `redis <address>: <what failed>`, where the address is `RedisURL.address` and never
/// carries credentials.
public struct RedisError: CategorizedError, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The connection could not be opened (refused, no such socket, unknown host).
        case connect
        /// Connecting, or waiting for a reply, took longer than the timeout.
        case timeout
        /// The TLS handshake failed (an untrusted, mismatched or expired certificate, a
        /// refused handshake) or a TLS record was bad.
        case tls
        /// AUTH was refused: wrong password, unknown or disabled ACL user.
        case authentication
        /// The server answered with an error reply; `serverMessage` holds it.
        case server
        /// The connection broke while a command was in flight.
        case io
        /// The bytes from the server were not RESP.
        case protocolError
        /// A well-formed reply of the wrong shape for the request (e.g. SCAN without a cursor).
        case unexpectedReply
        /// The caller asked for something that cannot be sent (an empty command, a bad batch size).
        case invalidRequest
    }

    public let kind: Kind
    /// The server's address as `RedisURL.address` shows it.
    public let address: String
    /// What failed, without the address prefix.
    public let detail: String
    /// The error reply exactly as the server sent it (`WRONGTYPE Operation against…`),
    /// with any occurrence of the connection's password masked.
    public let serverMessage: String?
    /// The command name when the failure belongs to one (`GET`, `AUTH`).
    public let command: String?

    public init(kind: Kind, address: String, detail: String, serverMessage: String? = nil, command: String? = nil) {
        self.kind = kind
        self.address = address
        self.detail = Self.oneLine(detail)
        self.serverMessage = serverMessage.map(Self.oneLine)
        self.command = command
    }

    /// The first word of the server's error reply (`ERR`, `WRONGTYPE`, `MOVED`, `ASK`,
    /// `NOAUTH`): what a caller or a cluster router branches on.
    public var serverErrorCode: String? {
        guard let serverMessage, let word = serverMessage.split(separator: " ", maxSplits: 1).first else { return nil }
        return String(word)
    }

    public var category: ErrorCategory {
        switch kind {
        case .connect, .timeout, .tls, .authentication, .io:
            return .unavailable
        case .server:
            switch serverErrorCode {
            case "NOAUTH", "WRONGPASS": return .unavailable
            // An ACL forbids the command, a key or a channel: not an outage, and retrying
            // will not help (exit 77, so cron can tell it from 69).
            case "NOPERM": return .permissionDenied
            // A replica (a primary demoted by a failover) refuses writes: the primary is elsewhere.
            case "READONLY": return .unavailable
            // The server asks us to come back later: loading its dataset, busy with a script,
            // a multi-key operation during resharding, a replica without its primary.
            case "LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN": return .temporaryFailure
            default: return .internalError
            }
        case .protocolError, .unexpectedReply, .invalidRequest:
            return .internalError
        }
    }

    public var message: String {
        if let command, kind == .server {
            let hint = serverErrorCode == "NOPERM" ? RedisACL.hint(command: command, serverMessage: serverMessage ?? "") : nil
            return "redis \(address): \(command): \(detail)\(hint.map { " (\($0))" } ?? "")"
        }
        return "redis \(address): \(detail)"
    }

    /// The same error with `note` after its detail (`…; the sentinels now name …`).
    func adding(_ note: String?) -> RedisError {
        guard let note, !note.isEmpty else { return self }
        return RedisError(kind: kind, address: address, detail: "\(detail); \(note)", serverMessage: serverMessage, command: command)
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}
