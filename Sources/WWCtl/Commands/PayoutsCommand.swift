import ArgumentParser
import Marketplace
import Support

/// Payout commands use PostgreSQL only: none of them connects to Redis, so they work with
/// Redis down, and no balance ever reaches a cache.
struct PayoutsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payouts",
        abstract: "Vendor balances, payout runs and the ledger, always from PostgreSQL (never cached).",
        discussion: """
            Example:
              wwctl payouts run --period 2026-10 --min-amount 50.00 --dry-run
            """,
        subcommands: [
            PayoutsBalancesCommand.self, PayoutsRunCommand.self, PayoutsListCommand.self, PayoutsShowCommand.self,
            PayoutsMarkPaidCommand.self, PayoutsFailCommand.self, PayoutsLedgerCommand.self,
        ])
}

extension PayoutStatus: ExpressibleByArgument {}

struct PayoutsBalancesCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "balances",
        abstract: "Available and pending balance of each vendor, from the ledger.",
        discussion: """
            available = the vendor's settled ledger entries, pending = its pending entries. \
            JSON: an array of {organizationId, name, status, available, pending}, amounts as \
            decimal strings. Never read from or written to Redis.

            Example:
              wwctl payouts balances --org 7 -o json
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("Only this organization.", valueName: "org"))
    var org: Int?

    func execute(_ context: CommandContext) throws {
        try context.output.emit(BalancesView(balances: try PayoutService(try context.postgres()).balances(organizationId: org)))
    }
}

struct PayoutsRunCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Pay every vendor's available balance once for a period.",
        discussion: """
            For each active vendor whose available balance is at least --min-amount (and \
            more than 0), creates one pending payout for the period and debits the ledger \
            by the same amount (a settled `payout` entry), with an audit row, in one \
            transaction per vendor: a run stopped at any moment leaves every payout whole \
            with its debit, or absent. Re-runs create nothing new, and runs started at the \
            same moment (cron on two hosts) pay each vendor once: each vendor's row is \
            locked before its payout and balance are read again, and (organization, period) \
            is unique.

            The period is YYYY-MM and must have ended (UTC, by the database's clock); an \
            invalid or unfinished period is bad input (65). So is a period more than 12 months \
            old or before the ledger's first entry (a run pays whole balances whatever the \
            label), unless --allow-old-period. A vendor whose payout for the \
            period failed is skipped (`payout-exists`): the failure returned the amount to \
            its balance, and the next period's run pays it.

            JSON: `created` (array of {id, organizationId, amount}), `skipped` (array of \
            {organizationId, reason, available, payoutId, payoutStatus}; reason is \
            payout-exists, not-active, nothing-available or below-minimum), `total`, \
            `dryRun`. Never touches Redis.

            Example:
              wwctl payouts run --period 2026-10 --min-amount 25 --dry-run
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("The month paid for, YYYY-MM.", valueName: "period"))
    var period: String

    @Option(help: ArgumentHelp("Pay only balances of at least this amount (default 0: any positive balance).", valueName: "amount"))
    var minAmount: String = "0"

    @Option(help: ArgumentHelp("Only this organization.", valueName: "org"))
    var org: Int?

    @Flag(help: "Show what would be paid, writing nothing.")
    var dryRun = false

    @Flag(help: "Pay a period more than 12 months old or before the ledger's first entry (a deliberate catch-up).")
    var allowOldPeriod = false

    func execute(_ context: CommandContext) throws {
        let minimum = try AmountInput.money(minAmount, what: "--min-amount")
        // A malformed period is bad input (65) whether or not the database answers.
        _ = try PayoutPeriod.parse(period)
        let report = try PayoutService(try context.postgres()).run(
            period: period, minAmount: minimum, organizationId: org, dryRun: dryRun, allowOldPeriod: allowOldPeriod,
            actor: context.actor)
        try context.output.emit(PayoutRunView(report: report))
        if report.interrupted { throw ExitCode(ErrorCategory.interrupted.exitCode) }
    }
}

struct PayoutsListCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List payouts, newest first.",
        discussion: """
            Example:
              wwctl payouts list --status pending --org 7
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: ArgumentHelp("pending, paid or failed.", valueName: "status"))
    var status: PayoutStatus?

    @Option(help: ArgumentHelp("Only this organization.", valueName: "org"))
    var org: Int?

    @Option(help: ArgumentHelp("Only this period, YYYY-MM.", valueName: "period"))
    var period: String?

    @Option(help: ArgumentHelp("At most this many payouts (default 100).", valueName: "n"))
    var limit: Int = 100

    func execute(_ context: CommandContext) throws {
        let payouts = try PayoutService(try context.postgres()).list(status: status, organizationId: org, period: period, limit: limit)
        try context.output.emit(PayoutListView(payouts: payouts))
    }
}

struct PayoutsShowCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a payout and the ledger entries that refer to it.",
        discussion: """
            Example:
              wwctl payouts show 311
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The payout id.", valueName: "payout"))
    var payout: Int

    func execute(_ context: CommandContext) throws {
        try context.output.emit(PayoutDetailView(detail: try PayoutService(try context.postgres()).show(payout)))
    }
}

struct PayoutsMarkPaidCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark-paid",
        abstract: "Record that a pending payout was sent, with the bank's reference.",
        discussion: """
            Only a pending payout can be marked paid; any other status is bad input (65) and \
            nothing changes. Writes an audit row.

            Example:
              wwctl payouts mark-paid 311 --reference TRF-202610-00A1B2
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The payout id.", valueName: "payout"))
    var payout: Int

    @Option(help: ArgumentHelp("The bank transfer's reference.", valueName: "ref"))
    var reference: String

    func validate() throws {
        try requireText(reference, option: "--reference")
    }

    func execute(_ context: CommandContext) throws {
        let result = try PayoutService(try context.postgres()).markPaid(payout, reference: reference, actor: context.actor)
        try context.output.emit(PayoutTransitionView(transition: result))
    }
}

struct PayoutsFailCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "fail",
        abstract: "Record that a pending payout failed; its amount returns to the vendor's balance.",
        discussion: """
            Only a pending payout can fail; any other status is bad input (65) and nothing \
            changes. Posts a settled payout_reversal entry of the payout's amount in the same \
            transaction, so the money is available again; the period keeps its (failed) \
            payout, and the next period's run pays the amount. Writes an audit row.

            Example:
              wwctl payouts fail 311 --reason "account closed"
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The payout id.", valueName: "payout"))
    var payout: Int

    @Option(help: ArgumentHelp("Why it failed.", valueName: "text"))
    var reason: String

    func validate() throws {
        try requireText(reason, option: "--reason")
    }

    func execute(_ context: CommandContext) throws {
        let result = try PayoutService(try context.postgres()).fail(payout, reason: reason, actor: context.actor)
        try context.output.emit(PayoutTransitionView(transition: result))
    }
}

struct PayoutsLedgerCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "A vendor's ledger entries with running balances; --csv for accountants.",
        discussion: """
            Entries in order (created, then id). `available` is the running sum of settled \
            entries, `balance` of all entries: after the last entry they equal the vendor's \
            available balance and available + pending (see payouts balances). --csv prints \
            RFC 4180 CSV (CRLF line ends, quoted where needed) with a header row instead of \
            a table; -o json prints {organizationId, available, pending, entries}, -o ndjson \
            one entry per line.

            Example:
              wwctl payouts ledger 7 --csv > org7-ledger.csv
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The organization id.", valueName: "org"))
    var org: Int

    @Flag(help: "Print CSV (RFC 4180) instead of a table.")
    var csv = false

    func validate() throws {
        if csv, let format = global.output, format != .table {
            throw ValidationError("--csv and -o \(format.rawValue) cannot be used together")
        }
    }

    func execute(_ context: CommandContext) throws {
        let ledger = try PayoutService(try context.postgres()).ledger(organizationId: org)
        if csv {
            StandardStreams.writeOut(LedgerView.csv(ledger))
        } else {
            try context.output.emit(LedgerView(ledger: ledger))
        }
    }
}
