// Keyspace: the key-family registry. Pure (no I/O); imports only Support.
//
// Where to start:
//
// - `KeyspaceRegistry.standard`: the 27 families of docs/KEYSPACE.md in its order
//   (`families`, `familyNames`, `family(named:)`, `requireFamily(named:)` with a
//   "did you mean" error, `nearestFamilyName(to:)`), and `markdownTable()` for the README.
// - `KeyFamily` (`KeyFamily.perm`, `.productVariants`, …): name, `template`, `ttl`,
//   `tier`, `valueShape`/`valueKind`, `warmability`, `staleOn`, `summary`;
//   `key(_:prefix:)` renders a key, validating every parameter.
// - `KeyspaceRegistry.parse(_:prefix:)` (String or binary key) → `ParsedKey`:
//   `.family`, `.legacy` (lint warning), `.forbidden` (cached financial data, lint
//   error), `.unknown`.
// - Patterns: `family.scanPattern(params:prefix:)` for SCAN MATCH, and
//   `family.selector(params:prefix:)`, whose `matches(_:)` is the exact test to apply to
//   every key SCAN returns before deleting it (a family's pattern over-matches other
//   families: `org:*` also matches `org:42:members`). `Glob` has `escape`, `match`
//   (Redis `stringmatchlen`, byte for byte), `scanMatches` (plus SCAN's `*` shortcut),
//   `literalPrefix(of:)` and `isMatchAll(_:prefix:)` for the `--all` guard.
// - Invalidation: domain code describes a `DataChange` with facts it read from
//   PostgreSQL; `KeyspaceRegistry.plan(for:prefix:)` answers an `InvalidationPlan`:
//   exact `keys` to UNLINK by name and `selectors`/`sweeps` for what cannot be enumerated.
//   `sweepPlan(for:prefix:)` is what an operator's `--sweep` adds: the change's family
//   patterns (`perm:{u}:{o}:*`), for keys the database no longer names. `KeySelectorSet`
//   tests a key against many selectors at once, so one walk can serve many sweeps.
// - Policy: `FinancialPolicy` (never-cached financial data), `LegacyForm.all`,
//   `TTLPolicy.seconds(for:)` and `maxSeconds` for "TTL above policy".
// - `cache families` JSON: `name`, `pattern`, `ttlSeconds` = `ttl.maxSeconds` (null for
//   jwt-blacklist, whose TTL is the token's own), `tier.rawValue`, `warmability.isWarmable`.
//
// Errors are `KeyspaceError` (a `CategorizedError`): unknown family or parameter names
// are usage errors, values a kind does not accept are data errors.
