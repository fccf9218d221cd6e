import ArgumentParser
import CacheOps
import Keyspace
import Redis
import Support

struct CacheInvalidateCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "invalidate",
        abstract: "Delete cache keys by pattern, by name, or by family and parameters.",
        discussion: """
            A PATTERN is a Redis glob taken literally (--key-prefix is not added to it); one \
            with an unescaped `*`, `?` or `[` is found by walking the keyspace with SCAN \
            MATCH, and every key is checked again before it is deleted. A PATTERN without \
            them names one key, deleted by name without a walk (`product:\\[1\\]` is the key \
            `product:[1]`). With --exact every PATTERN names a key. A PATTERN in double quotes \
            is read with redis-cli's escapes ("bin:\\xff*").

            --family F [--param NAME=VALUE]… selects one family's keys, with --key-prefix: \
            values are checked against the parameter's kind (a bad value exits 65), glob \
            characters in them are escaped, and every key found must have the family's exact \
            shape (`--family org` deletes org:7 but not org:7:members). With every parameter \
            given it names one key.

            `-` reads patterns and keys from standard input, one per line: blank lines and \
            lines starting with # are skipped, and the rule above decides pattern or key. All \
            of it is read before anything is deleted.

            Guards: a pattern with no literal prefix (`*`, `*:x`, `?…`, `[ab]…`, or with \
            --key-prefix P just `P*`) is refused unless --all, even with --yes; --all alone \
            means every key under the prefix. On a terminal the target server (password \
            masked), the patterns and an estimate are shown and confirmation asked; without a \
            terminal, --yes is required (exit 64, nothing deleted). With --all on a production \
            profile, the profile's name must be typed (without a terminal: --yes \
            --confirm-production NAME). --dry-run counts what would be deleted (with -v lists \
            it on stderr) and needs no confirmation.

            Before deleting, the invalidation epoch of every family the targets can reach is \
            bumped, so a concurrent `cache warm` does not write back a value read before the \
            invalidation; the epochs are those of --key-prefix, so give it when the app uses \
            one, patterns included. wwctl's own keys ({prefix}wwctl:…, and any key holding \
            wwctl:epoch: or wwctl:lock:) are never deleted.

            Each pattern or family walks the keyspace once (SCAN reads every key whatever the \
            pattern: about a second per two million keys); three or more share one walk over \
            their common literal prefix. COUNT adapts: large for a selective pattern, small \
            batches of about 500 keys for one that matches much (--scan-count fixes it). \
            Deletion is UNLINK (DEL on servers without it), each batch sent with the next SCAN; \
            the deleted count is the server's, exact even when SCAN returns a key twice. \
            Progress (keys scanned of the database size) is shown on a terminal. Ctrl-C stops \
            between batches, reports what was deleted so far and exits 130.

            JSON: matched, deleted, dryRun, patterns (the patterns and keys given as \
            arguments or read as patterns; keys read from stdin are counted in keysNamed), \
            scanned (keys SCAN returned, i.e. that passed the server's MATCH; every walk reads \
            the whole database), elapsedMs, interrupted, keysNamed, skippedInternal, families \
            (epochs bumped), databaseKeys (DBSIZE at the start), walks ({pattern, scanned, \
            matched, deleted} per SCAN walk). matched can exceed deleted: SCAN may return a \
            key twice, and a key may expire or be deleted by someone else before UNLINK.

            Example:
              wwctl cache invalidate 'perm:42:*' --dry-run -v
              wwctl cache invalidate --family product --param productId=42 --yes
              printf 'org:search:*\\nproduct:7\\n' | wwctl cache invalidate - --yes
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("Glob patterns or keys, taken literally; - reads them from stdin.", valueName: "pattern"))
    var patterns: [String] = []

    @Option(help: ArgumentHelp("Invalidate one family's keys (with --key-prefix).", valueName: "family"), completion: ShellCompletions.families)
    var family: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("With --family: fix a parameter (repeatable).", valueName: "name=value"))
    var params: [String] = []

    @Flag(help: "Count (with -v list) what would be deleted; delete nothing.")
    var dryRun = false

    @Flag(help: "Allow patterns that match every key; alone, invalidate every key under the key prefix.")
    var all = false

    @Flag(help: "Every PATTERN (and stdin line) is a key name, even with glob characters.")
    var exact = false

    @Option(name: .customLong("scan-count"), help: ArgumentHelp(
        "A fixed SCAN COUNT (default: adapted to the pattern, 500 to 10000, for batches of about 500 keys).", valueName: "n"))
    var scanCount: Int?

    @OptionGroup var production: ProductionConfirmation

    func validate() throws {
        if family == nil && !params.isEmpty { throw ValidationError("--param needs --family") }
        if patterns.filter({ $0 == "-" }).count > 1 { throw ValidationError("- (standard input) may be given once") }
        if let scanCount, scanCount < 1 || scanCount > 1_000_000 {
            throw ValidationError("--scan-count must be between 1 and 1000000, got \(scanCount)")
        }
    }

    func execute(_ context: CommandContext) throws {
        let output = context.output

        var targets: [InvalidationTarget] = []
        var stdin: StdinTargets?
        for argument in patterns {
            if argument == "-" {
                stdin = try StdinTargets.read(exact: exact)
                continue
            }
            targets.append(.classify(RedisCLIText.bytes(fromArgument: argument), exact: exact))
        }
        if let family {
            targets.append(try .family(family, params: params, in: context.keyspace))
        }
        if let stdin { targets += stdin.patterns }
        if all && targets.isEmpty && (stdin?.keys.count ?? 0) == 0 {
            targets.append(.pattern(context.keyspace.everyKeyPattern))
        }
        let request = InvalidationRequest(
            targets: targets, streamed: stdin?.keys, streamedCount: stdin?.keys.count ?? 0,
            keyspace: context.keyspace, allowMatchAll: all)
        try request.validate()

        // A dry run only reads: a replica with --read-from replica. Deletions: the primary.
        let reader = dryRun ? try context.redisForReading() : nil
        let redis = try reader?.connection ?? context.redis()
        var service = PatternInvalidation(redis: redis)
        service.scanCount = scanCount
        let shownPatterns = targets.map(\.displayText)
        if !dryRun {
            if !global.yes && output.terminal.stdinIsTTY {
                let preview = InvalidationPreview(
                    server: context.settings.redisURL.value.masked, production: context.settings.production,
                    patterns: shownPatterns, streamedKeys: request.streamedCount, estimate: try service.estimate(request))
                StandardStreams.writeErr(preview.text(style: output.errorStyle))
            }
            let what = shownPatterns.first.map { shownPatterns.count > 1 ? "\($0) and \(shownPatterns.count - 1) more" : $0 } ?? "\(request.keysNamed) keys"
            let action = "invalidate \(what) on \(context.settings.redisURL.value.masked)"
            if all && context.settings.production {
                try context.confirmProduction(action, typed: production.name)
            } else {
                try context.confirm(action)
            }
        }

        let progress = output.progress(dryRun ? "dry run" : "invalidating")
        let listing = KeyListing(enabled: output.verbose, clearsProgress: output.terminal.showsProgress && !output.quiet)
        let readFrom = reader?.source ?? RedisReadSource(role: .primary, address: redis.address)
        let report: InvalidationReport
        do {
            report = try service.run(
                request, dryRun: dryRun,
                onProgress: { step in
                    listing.flush()
                    progress.update(step.text(dryRun: dryRun, keysNamed: request.keysNamed))
                },
                onKey: { listing.add($0) })
        } catch let failure as InvalidationFailure {
            // Stopped part-way (a server lost, a failover): what was deleted, then the error.
            listing.flush()
            progress.finish()
            try output.emit(InvalidateResult(report: failure.report, patterns: shownPatterns, readFrom: readFrom, failure: failure))
            StandardStreams.writeErr(output.errorStyle.red("wwctl: ") + failure.message + "\n")
            throw ExitCode(failure.category.exitCode)
        }
        listing.flush()
        progress.finish()
        try output.emit(InvalidateResult(report: report, patterns: shownPatterns, readFrom: readFrom))
        if report.interrupted {
            output.note("interrupted: \(dryRun ? "counted" : "deleted") \(grouped(dryRun ? report.matched : report.deleted)) keys before stopping")
            throw ExitCode(ErrorCategory.interrupted.exitCode)
        }
    }
}
