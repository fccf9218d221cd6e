import CacheOps
import Redis
import Support

/// `-v`: every key deleted (or, in a dry run, matched) on stderr, one per line as
/// `cache keys` prints them, written a batch at a time.
final class KeyListing {
    private let enabled: Bool
    private let clearsProgress: Bool
    private var buffer = ""

    init(enabled: Bool, clearsProgress: Bool) {
        self.enabled = enabled
        self.clearsProgress = clearsProgress
    }

    func add(_ key: [UInt8]) {
        guard enabled else { return }
        buffer += RedisCLIText.line(key, terminal: false) + "\n"
        if buffer.utf8.count >= 64 * 1024 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        StandardStreams.writeErr((clearsProgress ? "\r\u{1B}[K" : "") + buffer)
        buffer = ""
    }
}

struct InvalidateResult: Renderable {
    struct Walk: Encodable {
        var pattern: String
        var scanned: Int
        var matched: Int
        var deleted: Int
    }

    var matched: Int
    var deleted: Int
    var dryRun: Bool
    var patterns: [String]
    var scanned: Int
    var elapsedMs: Double
    var interrupted: Bool
    var keysNamed: Int
    var skippedInternal: Int
    var families: [String]
    var databaseKeys: Int?
    var walks: [Walk]
    /// The server walked (a replica for a dry run with --read-from replica) and its lag.
    var readFrom: RedisReadSource
    /// What stopped the run part-way, as `{"error": …}` documents say it; null when it ran to its end.
    var error: Failure?

    struct Failure: Encodable {
        var code: Int32
        var kind: String
        var message: String
    }

    init(report: InvalidationReport, patterns: [String], readFrom: RedisReadSource, failure: (any CategorizedError)? = nil) {
        self.readFrom = readFrom
        error = failure.map { Failure(code: $0.category.exitCode, kind: $0.category.code, message: $0.message) }
        matched = report.matched
        deleted = report.deleted
        dryRun = report.dryRun
        self.patterns = patterns
        scanned = report.scanned
        elapsedMs = report.elapsed.roundedMilliseconds
        interrupted = report.interrupted
        keysNamed = report.keysNamed
        skippedInternal = report.skippedInternal
        families = report.families
        databaseKeys = report.databaseKeys
        walks = report.walks.map {
            .init(pattern: RedisCLIText.jsonString($0.pattern), scanned: $0.scanned, matched: $0.matched, deleted: $0.deleted)
        }
    }

    func renderText(_ context: RenderContext) -> String {
        let shown = patterns.prefix(3).map { TerminalText.echoed($0) }
        let what = patterns.isEmpty ? "" : " (" + shown.joined(separator: ", ") + (patterns.count > 3 ? ", …" : "") + ")"
        var work: [String] = []
        if keysNamed > 0 { work.append("\(grouped(keysNamed)) named") }
        if !walks.isEmpty {
            let size = databaseKeys.map { " of \(grouped($0)) keys" } ?? ""
            work.append("\(walks.count) SCAN walk\(walks.count == 1 ? "" : "s")\(size)")
        }
        let detail = (work + [formatMillis(elapsedMs)]).joined(separator: ", ")
        var text: String
        if dryRun {
            text = "would delete \(grouped(matched)) keys\(what); dry run, nothing deleted (\(detail))\n"
        } else {
            text = "deleted \(grouped(deleted)) keys\(what) (\(detail))\n"
            if matched > deleted, error != nil {
                text += context.style.dim("matched \(grouped(matched)): keys of an UNLINK the server never answered may or may not be gone") + "\n"
            } else if matched > deleted {
                text += context.style.dim("matched \(grouped(matched)): SCAN returned some keys twice or they were gone before UNLINK") + "\n"
            }
        }
        if skippedInternal > 0 {
            text += context.style.dim("left \(grouped(skippedInternal)) of wwctl's own keys alone") + "\n"
        }
        if interrupted { text += context.style.yellow("interrupted before the end") + "\n" }
        if error != nil { text += context.style.yellow("stopped by an error before the end (below); the counts are what the server confirmed") + "\n" }
        return text
    }
}

extension InvalidationTarget {
    /// How a target reads in the report and before confirming: patterns and keys as
    /// `cache keys` prints them, a family's selector as its pattern.
    var displayText: String {
        switch self {
        case .pattern(let pattern): RedisCLIText.jsonString(pattern)
        case .key(let name): RedisCLIText.jsonString(name)
        case .selector(let selector): selector.patternText
        }
    }
}

extension InvalidationProgress {
    /// `walk 1/2 · scanned ~900,000 of 2,000,000 keys · deleted 450,000`.
    func text(dryRun: Bool, keysNamed: Int) -> String {
        let verb = dryRun ? "matched" : "deleted"
        let count = dryRun ? matched : deleted
        if walk == 0 {
            return "keys by name \(grouped(namesDone))/\(grouped(keysNamed)) · \(verb) \(grouped(count))"
        }
        let walkText = walks > 1 ? "walk \(walk)/\(walks) · " : ""
        let examined = Int((walkedFraction * Double(databaseKeys)).rounded())
        return "\(walkText)scanned ~\(grouped(examined)) of \(grouped(databaseKeys)) keys · \(verb) \(grouped(count))"
    }
}

/// What a person sees before confirming an invalidation: the server, the targets, an
/// estimate of what the walks will match.
struct InvalidationPreview {
    var server: String
    var production: Bool
    var patterns: [String]
    var streamedKeys: Int
    var estimate: InvalidationEstimate

    func text(style: Style) -> String {
        var text = style.bold("server    ") + TerminalText.escaped(server)
        if production { text += " " + style.red("(production)") }
        text += "\n"
        for (index, pattern) in patterns.prefix(10).enumerated() {
            text += style.bold(index == 0 ? "targets   " : "          ") + TerminalText.echoed(pattern) + "\n"
        }
        if patterns.count > 10 { text += "          … and \(patterns.count - 10) more\n" }
        if streamedKeys > 0 { text += style.bold("stdin     ") + "\(grouped(streamedKeys)) key names\n" }
        text += style.bold("database  ") + "\(grouped(estimate.databaseKeys)) keys\n"
        if let walkMatches = estimate.estimatedWalkMatches {
            let share = estimate.sampleMatches == 0
                ? "none of \(grouped(estimate.sampled)) random keys matched: probably fewer than \(grouped(max(1, 3 * estimate.databaseKeys / max(1, estimate.sampled))))"
                : "about \(grouped(walkMatches)) (\(estimate.sampleMatches) of \(grouped(estimate.sampled)) random keys matched)"
            text += style.bold("estimate  ") + share + "; the walk reads every key\n"
        }
        return text
    }
}
