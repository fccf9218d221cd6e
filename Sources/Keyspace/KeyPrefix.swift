/// The app's cache-manager key prefix (`--key-prefix`): the bytes every key of the app
/// starts with, in front of a family's template. Bytes, not text: Redis keys are binary,
/// and what is compared and sent is exactly these bytes.
///
/// A prefix is bound to the registry once per command (`BoundKeyspace`); keys, patterns
/// and the internal keys are made there, never by putting a prefix in front of text.
public struct KeyPrefix: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The prefix `text` in UTF-8, as given on the command line or in a profile.
    public init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    /// No prefix: keys are the families' templates alone.
    public static let empty = KeyPrefix(bytes: [])

    public var isEmpty: Bool { bytes.isEmpty }

    /// The prefix for people: printable UTF-8 as is, other bytes escaped (see `KeyText`).
    public var description: String { KeyText.escaped(bytes) }

    /// Whether `key` starts with the prefix.
    public func isPrefix(of key: some Collection<UInt8>) -> Bool {
        key.count >= bytes.count && key.prefix(bytes.count).elementsEqual(bytes)
    }

    /// `key` without the prefix, or nil when it does not start with it.
    public func body(of key: [UInt8]) -> ArraySlice<UInt8>? {
        isPrefix(of: key) ? key[bytes.count...] : nil
    }

    /// The SCAN pattern of the keys under the prefix that start with `text`: both escaped,
    /// then `*`. With `text` empty, every key under the prefix (`--all`).
    public func pattern(forKeysStartingWith text: some Collection<UInt8>) -> [UInt8] {
        Glob.escape(bytes: bytes + Array(text)) + [UInt8(ascii: "*")]
    }
}
