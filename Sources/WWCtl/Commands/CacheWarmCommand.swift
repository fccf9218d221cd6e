import ArgumentParser
import CacheOps
import Glibc
import Support
import Synchronization

struct CacheWarmCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "warm",
        abstract: "Fill the cache from PostgreSQL with exactly what the app would cache.",
        discussion: """
            Example:
              wwctl cache warm
              wwctl cache warm perm user-orgs --org 7 --ttl-jitter 0.1 -o json

            Warms every warmable family (see `wwctl cache families`), or the families named. \
            Each family is one streamed query; values are the app's JSON, written with SET … PX \
            in pipelined batches while PostgreSQL is still being read.

            Scopes (one at a time) narrow each family to what concerns one entity: --user U \
            (U's perm keys, user:orgs, cart), --org O (O's profile, members, stats, products and \
            their keys, open order items, closed-month earnings, and the perm/user:orgs keys of \
            O's members), --product P (its product keys, commission, variants' stock). Naming a \
            family the scope does not reach is a usage error.

            A concurrent change is never undone: a key a wwctl command invalidates while the \
            warm runs is not written from data read before the change. Only the keys the change \
            touched are refused; they (and keys a change deleted after the warm wrote them) are \
            read again from a newer snapshot, a few times at most. If refused keys remain, the \
            report says how many and the warm exits 75 (run it again). The counts equal what \
            Redis holds: KEYS is what the warm wrote minus what changes deleted since.

            Interrupted (Ctrl-C) or stopped by a failure, it prints what it wrote per family \
            before exiting 130 (or 69, 70, 75 with the error).

            One run per scope at a time: a second run exits 75 naming the holder of the lock \
            (host, pid, since when). --dry-run counts keys and bytes (key + value) per family, \
            writes nothing and takes no lock; with --only-missing it does not look at which \
            keys exist.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(
        help: ArgumentHelp("Families to warm (default: every warmable family the scope reaches).", valueName: "family"),
        completion: ShellCompletions.warmableFamilies)
    var families: [String] = []

    @Option(help: ArgumentHelp("Only what concerns this org.", valueName: "org"))
    var org: Int64?

    @Option(help: ArgumentHelp("Only what concerns this user.", valueName: "user"))
    var user: Int64?

    @Option(help: ArgumentHelp("Only what concerns this product.", valueName: "product"))
    var product: Int64?

    @Flag(help: "Count keys and bytes per family; write nothing.")
    var dryRun = false

    @Flag(help: "Write only keys that do not exist (SET NX).")
    var onlyMissing = false

    @Option(name: .customLong("ttl-jitter"), help: ArgumentHelp(
        "Spread each TTL uniformly over [TTL·(1−F), TTL], 0 ≤ F < 1.", valueName: "fraction"))
    var ttlJitter: Double = 0

    func validate() throws {
        if [org, user, product].compactMap({ $0 }).count > 1 {
            throw ValidationError("--org, --user and --product narrow to one entity: give one of them")
        }
    }

    var scope: WarmScope {
        if let org { return .org(org) }
        if let user { return .user(user) }
        if let product { return .product(product) }
        return .all
    }

    func execute(_ context: CommandContext) throws {
        var options = WarmOptions(
            families: families, scope: scope, dryRun: dryRun, onlyMissing: onlyMissing, ttlJitter: ttlJitter)
        // Usage errors first, before any server is contacted.
        try options.validate()
        MallocTuning.fixMmapThreshold()
        let progress = ProgressBox(context.output.progress(dryRun ? "counting" : "warming"))
        options.progress = { step in
            progress.update("\(step.family) · \(grouped(step.keys)) keys · \(step.familiesDone)/\(step.familyCount) families")
        }
        let warmer = CacheWarmer(postgres: try context.postgres(), redis: try context.redis(), keyspace: context.keyspace)
        let report: WarmReport
        do {
            report = try warmer.run(options)
        } catch let failure as WarmFailure {
            // Stopped part-way: what it wrote, then the error.
            progress.finish()
            try context.output.emit(WarmResult(failure.report, failure: failure.cause))
            if failure.category == .interrupted {
                context.output.note("interrupted: wrote \(grouped(failure.report.written)) keys before stopping")
            }
            StandardStreams.writeErr(context.output.errorStyle.red("wwctl: ") + failure.message + "\n")
            throw ExitCode(failure.category.exitCode)
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        if !report.outOfScope.isEmpty {
            context.output.detail("not reached by \(report.scope.option): \(report.outOfScope.joined(separator: ", "))")
        }
        try context.output.emit(WarmResult(report))
        if report.incomplete {
            let names = report.families.filter(\.incomplete).map(\.name).joined(separator: ", ")
            context.output.warning(
                "\(grouped(report.unwarmed)) keys of \(names) were refused after concurrent changes and are not in the cache; run again")
            throw ExitCode(ErrorCategory.temporaryFailure.exitCode)
        }
    }
}

/// List values run to megabytes (a category's products) and pass through several threads'
/// buffers. glibc raises its mmap threshold each time such a buffer is freed, after which
/// they come from the heap and fragment it; a fixed threshold keeps them mmapped and given
/// back when freed, so peak RSS stays near what is in flight. (`mallopt` is looked up at
/// run time: Swift's Glibc module does not carry malloc.h.)
enum MallocTuning {
    static func fixMmapThreshold(bytes: Int32 = 256 << 10) {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, bytes)
    }
}

/// The progress line, drawn from the writer's thread.
private final class ProgressBox: Sendable {
    private let line: Mutex<ProgressLine>

    init(_ line: sending ProgressLine) { self.line = Mutex(line) }

    func update(_ text: String) { line.withLock { $0.update(text) } }
    func finish() { line.withLock { $0.finish() } }
}
