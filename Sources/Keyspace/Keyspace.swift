// Keyspace: the key-family registry. Pure (no I/O); imports only Support.
//
// Where to start:
//
// - `KeyspaceRegistry.standard`: the 27 families of docs/KEYSPACE.md in its order
//   (`families`, `familyNames`, `family(named:)`, `requireFamily(named:)` with a
//   "did you mean" error, `nearestFamilyName(to:)`), and `markdownTable()` for the README.
// - `KeyFamily` (`KeyFamily.perm`, `.productVariants`, …): name, `template`, `ttl`,
//   `tier`, `valueShape`/`valueKind`, `warmability`, `staleOn`, `summary`.
// - `BoundKeyspace`: the registry bound to the app's key prefix (`KeyPrefix`, bytes), made
//   once per command. It is the one place keys become bytes on the wire:
//   `key(_:_:)` renders a family's key, validating every parameter; `epochKey`/`lockKey`
//   are wwctl's own keys; `canonicalKey(of:)` the canonical form of a parsed key.
// - `parse(_:)` (String or binary key) → `ParsedKey`: `.family`, `.legacy` (lint
//   warning), `.forbidden` (cached financial data, lint error), `.internal`, `.unknown`;
//   `classifier()` answers the same per key without allocating, for walks.
// - Patterns: `selector(_:params:)`, whose `pattern` is for SCAN MATCH and whose
//   `matches(_:)` is the exact test to apply to every key SCAN returns before deleting
//   it (a family's pattern over-matches other families: `org:*` also matches
//   `org:42:members`). `isMatchAll(_:)` is the `--all` guard. `Glob` has `escape`,
//   `match` (Redis `stringmatchlen`, byte for byte), `scanMatches` (plus SCAN's `*`
//   shortcut) and `literalPrefix(of:)`.
// - Invalidation: domain code describes a `DataChange` with facts it read from
//   PostgreSQL; `plan(for:)` answers an `InvalidationPlan`: exact `keys` to UNLINK by
//   name and `selectors`/`sweeps` for what cannot be enumerated. `sweepPlan(for:)` is
//   what an operator's `--sweep` adds: the change's family patterns (`perm:{u}:{o}:*`),
//   for keys the database no longer names. `KeySelectorSet` tests a key against many
//   selectors at once, so one walk can serve many sweeps.
// - Policy: `FinancialPolicy` (never-cached financial data), `LegacyForm.all`,
//   `TTLPolicy.seconds(for:)` and `maxSeconds` for "TTL above policy".
// - `cache families` JSON: `name`, `pattern`, `ttlSeconds` = `ttl.maxSeconds` (null for
//   jwt-blacklist, whose TTL is the token's own), `tier.rawValue`, `warmability.isWarmable`.
//
// Errors are `KeyspaceError` (a `CategorizedError`): unknown family or parameter names
// are usage errors, values a kind does not accept are data errors.
