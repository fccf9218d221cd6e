/// Many commands encoded as RESP into one byte buffer, for `RedisConnection.pipeline(_:into:)`.
///
/// Unlike `[[any RedisArgument]]`, appending a command allocates nothing once the buffer
/// has grown to its working size: arguments are copied straight from the caller's bytes
/// (a key inside a larger buffer, a `StaticString`, an integer's digits). Reuse one buffer
/// across batches with `removeAll()`.
///
/// A command is appended whole (`append(_:)`, `append(_:key:)`) or argument by argument:
/// `beginCommand(arguments:)` and then exactly that many `appendArgument` calls. A buffer
/// left with a command short of arguments, or given an argument no command asked for, is
/// refused when sent (`RedisError.Kind.invalidRequest`); nothing traps.
public struct RedisCommandBuffer: Sendable {
    /// Complete and incomplete commands so far.
    public private(set) var count = 0
    private var storage: Storage
    /// Arguments the last command still expects.
    private var missingArguments = 0
    /// The first misuse, reported when the buffer is sent.
    private var misuse: String?

    public init(reservingBytes capacity: Int = 0) {
        storage = Storage(capacity: max(capacity, 256))
    }

    public var isEmpty: Bool { count == 0 }

    /// The RESP bytes of every command so far.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Lends the RESP bytes of every command so far.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage.base, count: storage.count))
    }

    /// Forgets every command, keeping the memory for the next batch.
    public mutating func removeAll() {
        unique().count = 0
        count = 0
        missingArguments = 0
        misuse = nil
    }

    // MARK: whole commands

    /// One command from an argument vector, as `RedisConnection.command` takes it.
    public mutating func append(_ arguments: [any RedisArgument]) {
        beginCommand(arguments: arguments.count)
        for argument in arguments { appendArgument(argument.redisBytes) }
    }

    /// A command of one word and one key: `PTTL key`, `TYPE key`, `UNLINK key`.
    public mutating func append(_ command: StaticString, key: UnsafeRawBufferPointer) {
        finishPending()
        let name = UnsafeRawBufferPointer(start: command.utf8Start, count: command.utf8CodeUnitCount)
        let writer = unique()
        writer.reserve(4 + Self.argumentSize(name.count) + Self.argumentSize(key.count))
        writer.write(header: UInt8(ascii: "*"), 2)
        writer.write(argument: name)
        writer.write(argument: key)
        count += 1
    }

    /// A command of two words and one key: `MEMORY USAGE key`, `OBJECT ENCODING key`.
    public mutating func append(_ command: StaticString, _ subcommand: StaticString, key: UnsafeRawBufferPointer) {
        finishPending()
        let name = UnsafeRawBufferPointer(start: command.utf8Start, count: command.utf8CodeUnitCount)
        let sub = UnsafeRawBufferPointer(start: subcommand.utf8Start, count: subcommand.utf8CodeUnitCount)
        let writer = unique()
        writer.reserve(4 + Self.argumentSize(name.count) + Self.argumentSize(sub.count) + Self.argumentSize(key.count))
        writer.write(header: UInt8(ascii: "*"), 3)
        writer.write(argument: name)
        writer.write(argument: sub)
        writer.write(argument: key)
        count += 1
    }

    // MARK: argument by argument

    /// Starts a command of `arguments` arguments (the name included).
    public mutating func beginCommand(arguments: Int) {
        finishPending()
        guard arguments > 0 else {
            note("command \(count + 1) is empty")
            missingArguments = 0
            return
        }
        count += 1
        missingArguments = arguments
        let writer = unique()
        writer.reserve(23)
        writer.write(header: UInt8(ascii: "*"), arguments)
    }

    public mutating func appendArgument(_ argument: UnsafeRawBufferPointer) {
        guard missingArguments > 0 else {
            note(count == 0 ? "an argument comes before any command" : "command \(count) has more arguments than it declared")
            return
        }
        missingArguments -= 1
        let writer = unique()
        writer.reserve(Self.argumentSize(argument.count))
        writer.write(argument: argument)
    }

    public mutating func appendArgument(_ argument: StaticString) {
        appendArgument(UnsafeRawBufferPointer(start: argument.utf8Start, count: argument.utf8CodeUnitCount))
    }

    public mutating func appendArgument(_ argument: [UInt8]) {
        argument.withUnsafeBytes { appendArgument($0) }
    }

    public mutating func appendArgument(_ argument: String) {
        var argument = argument
        argument.withUTF8 { appendArgument(UnsafeRawBufferPointer($0)) }
    }

    /// An integer in decimal (`COUNT 1000`, a cursor).
    public mutating func appendArgument(_ argument: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let length = Swift.withUnsafeMutableBytes(of: &digits) { Storage.writeDecimal(argument, to: $0.baseAddress!) }
        Swift.withUnsafeBytes(of: &digits) { appendArgument(UnsafeRawBufferPointer(start: $0.baseAddress, count: length)) }
    }

    // MARK: sending

    /// Nil when every command is complete; otherwise what is wrong, for the error.
    var problem: String? {
        if let misuse { return misuse }
        if missingArguments > 0 { return "command \(count) is missing \(missingArguments) of its arguments" }
        return nil
    }

    // MARK: storage

    /// A command still short of arguments when the next one starts is a misuse.
    private mutating func finishPending() {
        if missingArguments > 0 {
            note("command \(count) is missing \(missingArguments) of its arguments")
            missingArguments = 0
        }
    }

    private mutating func note(_ text: String) {
        if misuse == nil { misuse = text }
    }

    /// The storage, copied first if another buffer shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// `$<length>\r\n<bytes>\r\n` at most.
    private static func argumentSize(_ length: Int) -> Int { length + 25 }

    /// Grown by doubling; written through a pointer, so a command costs no per-byte checks.
    private final class Storage: @unchecked Sendable {
        private(set) var base: UnsafeMutableRawPointer
        private var capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(byteCount: capacity, alignment: 8)
        }

        deinit { base.deallocate() }

        func copy() -> Storage {
            let copy = Storage(capacity: capacity)
            copy.base.copyMemory(from: base, byteCount: count)
            copy.count = count
            return copy
        }

        /// Room for `bytes` more.
        func reserve(_ bytes: Int) {
            guard capacity - count < bytes else { return }
            var grown = capacity * 2
            while grown - count < bytes { grown *= 2 }
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 8)
            bigger.copyMemory(from: base, byteCount: count)
            base.deallocate()
            base = bigger
            capacity = grown
        }

        /// `*<n>\r\n` or `$<n>\r\n`; room reserved by the caller.
        func write(header marker: UInt8, _ value: Int) {
            let at = base + count
            at.storeBytes(of: marker, as: UInt8.self)
            let length = Self.writeDecimal(value, to: at + 1)
            (at + 1 + length).storeBytes(of: 13, as: UInt8.self)
            (at + 2 + length).storeBytes(of: 10, as: UInt8.self)
            count += length + 3
        }

        /// One bulk-string argument; room reserved by the caller.
        func write(argument: UnsafeRawBufferPointer) {
            write(header: UInt8(ascii: "$"), argument.count)
            if let source = argument.baseAddress, argument.count > 0 {
                (base + count).copyMemory(from: source, byteCount: argument.count)
            }
            count += argument.count
            (base + count).storeBytes(of: 13, as: UInt8.self)
            (base + count + 1).storeBytes(of: 10, as: UInt8.self)
            count += 2
        }

        /// Writes `value` in decimal at `target` (room for 20 bytes); returns the length.
        static func writeDecimal(_ value: Int, to target: UnsafeMutableRawPointer) -> Int {
            var magnitude = value.magnitude
            var length = 0
            repeat {
                length += 1
                magnitude /= 10
            } while magnitude > 0
            var end = length
            if value < 0 {
                target.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self)
                end += 1
            }
            magnitude = value.magnitude
            var index = end
            repeat {
                index -= 1
                (target + index).storeBytes(of: UInt8(truncatingIfNeeded: magnitude % 10) + 48, as: UInt8.self)
                magnitude /= 10
            } while magnitude > 0
            return end
        }
    }
}
