/// The registry bound to one key prefix, for a whole command: the one place a family's
/// key, a SCAN pattern or one of wwctl's own keys becomes the bytes sent to Redis, and
/// where keys read back from Redis are taken apart again. Callers get keys from here and
/// never put a prefix in front of anything themselves.
///
/// The command context makes it once from the settings and hands it to every service.
public struct BoundKeyspace: Sendable {
    public let registry: KeyspaceRegistry
    public let prefix: KeyPrefix

    public init(registry: KeyspaceRegistry, prefix: KeyPrefix) {
        self.registry = registry
        self.prefix = prefix
    }

    // MARK: keys on the wire

    /// The key of `family` for `params`, prefix included. Throws `KeyspaceError` for a
    /// missing, unknown or invalid parameter.
    public func key(_ family: KeyFamily, _ params: [String: String]) throws -> [UInt8] {
        wire(try family.template.render(params))
    }

    /// The canonical key of a family or legacy key (`user:7:orgs` → `user:orgs:7`), prefix
    /// included; nil for other keys.
    public func canonicalKey(of parsed: ParsedKey) -> [UInt8]? {
        guard let family = parsed.family else { return nil }
        return try? key(family, parsed.paramDictionary)
    }

    /// The key of a legacy form, prefix included (what invalidation deletes besides the
    /// canonical key).
    func key(_ form: LegacyForm, _ params: [String: String]) throws -> [UInt8] {
        wire(try form.template.render(params))
    }

    /// The hash slot of `key` (bytes on the wire, prefix included): the bucket of the
    /// invalidation epochs that guard writes of the key, and its node on a cluster.
    public func slot(of key: [UInt8]) -> Int {
        HashSlot.of(key)
    }

    /// The hash of the invalidation epochs of hash slot `slot` (0 ..< 16384), whose hash
    /// tag puts it in that slot under this prefix (see `InternalKeys`, `SlotEpochTags`).
    public func epochKey(slot: Int) -> [UInt8] {
        wire(InternalKeys.epochsBody(tag: SlotEpochTags.tags(for: prefix)[slot]))
    }

    /// The change log of wwctl's invalidations (see `InternalKeys`).
    public var changeLogKey: [UInt8] {
        wire(InternalKeys.changeLogBody)
    }

    /// The lock of a `cache warm` run for `scope` (see `InternalKeys`).
    public func lockKey(scope: String) -> [UInt8] {
        wire(InternalKeys.lockBody(scope: scope))
    }

    /// What every one of wwctl's own keys under the prefix starts with: `{prefix}wwctl:`.
    public var internalKeysHead: [UInt8] {
        wire(InternalKeys.namespace + ":")
    }

    /// A key body (a rendered template, an internal key) as the bytes sent to Redis: every
    /// key this type hands out is made here.
    private func wire(_ body: String) -> [UInt8] {
        prefix.bytes + Array(body.utf8)
    }

    // MARK: reading keys back

    /// What `key` is. Keys that do not start with the prefix are unknown. Family forms are
    /// tried first, then legacy forms, then the financial policy.
    public func parse(_ key: String) -> ParsedKey {
        registry.parse(utf8: Array(key.utf8), under: prefix)
    }

    /// `parse` for a binary key from SCAN: keys that are not valid UTF-8 are unknown (the
    /// app writes JS strings, which are always UTF-8 on the wire).
    public func parse(_ key: [UInt8]) -> ParsedKey {
        guard KeyBytes.isValidUTF8(key) else { return .unknown }
        return registry.parse(utf8: key, under: prefix)
    }

    /// The parameters of `key` if it is a key of `family` (prefix included), else nil.
    public func params(of key: [UInt8], in family: KeyFamily) -> [KeyParam]? {
        guard prefix.isPrefix(of: key) else { return nil }
        return family.template.match(bytes: key, parts: KeyBytes.split(key, from: prefix.bytes.count))
    }

    /// A classifier for keys under the prefix, built once for a walk (`KeyClassifier`).
    public func classifier() -> KeyClassifier {
        KeyClassifier(registry: registry, prefix: prefix)
    }

    /// What `key` is, as `parse` would say, without building its parameters. For many
    /// keys, build a `classifier()` once.
    public func classify(_ key: [UInt8]) -> KeyClass {
        let classifier = classifier()
        return key.withUnsafeBytes { classifier.classify($0) }
    }

    // MARK: patterns

    /// The selector of `family`'s keys with `params` fixed (none: every key of the
    /// family): a SCAN pattern and the exact test for what SCAN returns (see `KeySelector`).
    public func selector(_ family: KeyFamily, params: [String: String] = [:]) throws -> KeySelector {
        try KeySelector(family: family, params: params, prefix: prefix)
    }

    /// The SCAN pattern of every key under the prefix (`cache invalidate --all`).
    public var everyKeyPattern: [UInt8] { prefix.pattern(forKeysStartingWith: []) }

    /// Whether a pattern has no literal text of its own beyond the prefix: everything it
    /// may match is not narrowed further. `*`, `*:x`, `?abc` and, with prefix `myapp:`,
    /// `myapp:*` are match-all; `perm:*` and `myapp:perm:*` are not. `cache invalidate`
    /// refuses such patterns without `--all`.
    public func isMatchAll(_ pattern: [UInt8]) -> Bool {
        let literal = Glob.literalPrefix(of: pattern)
        return literal.count <= prefix.bytes.count && prefix.bytes[..<literal.count].elementsEqual(literal)
    }

    /// The families whose keys a SCAN pattern could reach: those whose template's leading
    /// literal text (after the prefix) and the pattern's literal prefix are compatible (one
    /// starts with the other). Conservative: it may name a family the pattern never
    /// actually matches.
    public func families(reachableBy pattern: [UInt8]) -> [String] {
        let literal = Glob.literalPrefix(of: pattern)
        return registry.families.filter { family in
            let lead = prefix.bytes + Array(family.template.leadingLiterals.map { $0 + ":" }.joined().utf8)
            return lead.starts(with: literal) || literal.starts(with: lead)
        }.map(\.name)
    }

    // MARK: invalidation (single changes: InvalidationPlan.swift, SweepPlan.swift)

    /// The union of the plans of `changes`, in order.
    public func plan(for changes: [DataChange]) throws -> InvalidationPlan {
        try changes.reduce(into: InvalidationPlan()) { $0.merge(try plan(for: $1)) }
    }

    /// The union of the sweep plans of `changes`.
    public func sweepPlan(for changes: [DataChange]) throws -> InvalidationPlan {
        try changes.reduce(into: InvalidationPlan()) { $0.merge(try sweepPlan(for: $1)) }
    }
}
