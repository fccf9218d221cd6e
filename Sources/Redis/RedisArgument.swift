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
/// ready to lend hiredis `argv`/`argvlen` arrays for the duration of one call.
struct CommandVector {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    init(_ arguments: [any RedisArgument]) {
        ends.reserveCapacity(arguments.count)
        for argument in arguments {
            argument.appendRedisBytes(to: &bytes)
            ends.append(bytes.count)
        }
        // A spare byte keeps the base address non-nil when every argument is empty.
        bytes.append(0)
    }

    var count: Int { ends.count }

    /// The command name (first argument) for messages, when it is short printable ASCII.
    var name: String? {
        guard let end = ends.first, end > 0, end <= 32,
              bytes[..<end].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        return String(decoding: bytes[..<end], as: UTF8.self).uppercased()
    }

    func withArgv<Result>(
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Result
    ) -> Result {
        bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var pointers: [UnsafePointer<CChar>?] = []
            var lengths: [Int] = []
            pointers.reserveCapacity(ends.count + 1)
            lengths.reserveCapacity(ends.count + 1)
            var start = 0
            for end in ends {
                pointers.append(base + start)
                lengths.append(end - start)
                start = end
            }
            // A trailing slot keeps both arrays non-empty, so their base addresses exist.
            pointers.append(nil)
            lengths.append(0)
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { argvlen in
                    body(Int32(ends.count), argv.baseAddress!, argvlen.baseAddress!)
                }
            }
        }
    }
}
