import Keyspace

/// The standard registry under the key prefix `prefix`, as a command binds it.
func keyspace(_ prefix: String) -> BoundKeyspace { KeyspaceRegistry.standard.bound(to: KeyPrefix(prefix)) }
let unprefixed = keyspace("")
