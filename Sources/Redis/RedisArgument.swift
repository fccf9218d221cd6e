import Support

/// A value that can be one element of a command's argument vector. Arguments travel as
/// exact bytes with explicit lengths, so keys and values may hold any byte.
///
/// There is deliberately no conformance for `Double`: its text form is not exact, and
/// money goes through `ExactDecimal`.
public protocol RedisArgument {
    var redisBytes: [UInt8] { get }
    /// Appends `redisBytes` to `buffer`; conformers override it to skip a temporary array.
    func appendRedisBytes(to buffer: inout [UInt8])
}

extension RedisArgument {
    public func appendRedisBytes(to buffer: inout [UInt8]) { buffer += redisBytes }
}

extension String: RedisArgument {
    public var redisBytes: [UInt8] { Array(utf8) }
    public func appendRedisBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: utf8) }
}

extension Substring: RedisArgument {
    public var redisBytes: [UInt8] { Array(utf8) }
    public func appendRedisBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: utf8) }
}

extension Array: RedisArgument where Element == UInt8 {
    public var redisBytes: [UInt8] { self }
    public func appendRedisBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
}

extension ArraySlice: RedisArgument where Element == UInt8 {
    public var redisBytes: [UInt8] { Array(self) }
    public func appendRedisBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
}

extension Int: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension Int64: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension UInt64: RedisArgument {
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension ExactDecimal: RedisArgument {
    /// The scale-preserving text (`"19.90"`), the form the app caches.
    public var redisBytes: [UInt8] { Array(description.utf8) }
}

/// One command flattened into a single byte buffer plus the end offset of each argument,
/// encoded as RESP (an array of bulk strings, each with its explicit length) when it is
/// queued on a connection.
struct CommandVector {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    init(_ arguments: [any RedisArgument]) {
        ends.reserveCapacity(arguments.count)
        for argument in arguments {
            argument.appendRedisBytes(to: &bytes)
            ends.append(bytes.count)
        }
    }

    var count: Int { ends.count }

    /// The command name (first argument) for messages, when it is short printable ASCII.
    var name: String? {
        guard let end = ends.first, end > 0, end <= 32,
              bytes[..<end].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        return String(decoding: bytes[..<end], as: UTF8.self).uppercased()
    }

    /// Appends `*<count>\r\n` and `$<length>\r\n<bytes>\r\n` per argument to `output`.
    func appendRESP(to output: inout [UInt8]) {
        output.reserveCapacity(output.count + bytes.count + 16 * (ends.count + 1))
        Self.appendHeader(UInt8(ascii: "*"), ends.count, to: &output)
        var start = 0
        for end in ends {
            Self.appendHeader(UInt8(ascii: "$"), end - start, to: &output)
            output.append(contentsOf: bytes[start..<end])
            output.append(13)
            output.append(10)
            start = end
        }
    }

    private static func appendHeader(_ marker: UInt8, _ value: Int, to output: inout [UInt8]) {
        output.append(marker)
        // The decimal text of a count fits a small string: no allocation.
        output.append(contentsOf: String(value).utf8)
        output.append(13)
        output.append(10)
    }
}
