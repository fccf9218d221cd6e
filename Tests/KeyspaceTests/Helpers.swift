import Keyspace

/// A registry (the standard one unless given) under the key prefix `prefix`, as typed on
/// the command line.
func keyspace(_ prefix: String, of registry: KeyspaceRegistry = .standard) -> BoundKeyspace {
    registry.bound(to: KeyPrefix(prefix))
}

/// The standard registry with no key prefix.
let unprefixed = keyspace("")

/// Keys and patterns as text, to compare with literals.
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

extension InvalidationPlan {
    /// The keys as text, to compare with literals.
    var keyTexts: [String] { keys.map(text) }
}
