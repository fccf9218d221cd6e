import Glibc
import Keyspace
import Support

/// Whose requests a rate-limit counter counts: a user id or the client's IP address.
public enum RateLimitSubject: Sendable, Equatable, CustomStringConvertible {
    case user(Int64)
    /// In the form the app writes: IPv4 dotted quad, IPv6 compressed lower case (RFC 5952,
    /// what Node reports for `req.ip`).
    case ip(String)

    /// A user id as the app prints it; anything else is a usage error (exit 64).
    public init(user text: String) throws {
        self = .user(try Self.userId(parsing: text))
    }

    /// A user id typed by an operator (`--user`): decimal digits as the app prints ids;
    /// anything else is a usage error (exit 64).
    public static func userId(parsing text: String) throws -> Int64 {
        guard ParameterKind.integer.accepts(text), let id = Int64(text) else {
            throw WWError.usage("--user '\(text)' is not a user id (an integer)")
        }
        return id
    }

    /// An IPv4 or IPv6 address (an IPv6 zone `%eth0` is kept as typed). IPv6 is rewritten
    /// in the app's compressed form: `2001:DB8:0:0::1` → `2001:db8::1`. Anything else is a
    /// usage error (exit 64).
    public init(ip text: String) throws {
        guard ParameterKind.subject.accepts(text), !ParameterKind.integer.accepts(text) else {
            throw WWError.usage("--ip '\(text)' is not an IPv4 or IPv6 address")
        }
        self = .ip(text.contains(":") ? Self.compressedIPv6(text) ?? text : text)
    }

    /// The subject as it appears in keys.
    public var text: String {
        switch self {
        case .user(let id): String(id)
        case .ip(let address): address
        }
    }

    /// `user` or `ip`.
    public var kind: String {
        switch self {
        case .user: "user"
        case .ip: "ip"
        }
    }

    public var description: String { "\(kind) \(text)" }

    /// inet_ntop's form of an IPv6 address; nil when inet_pton refuses it (a zone).
    private static func compressedIPv6(_ text: String) -> String? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
