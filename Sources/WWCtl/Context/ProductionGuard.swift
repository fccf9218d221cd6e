import ArgumentParser
import Support

/// What stands between a production profile (`"production": true` in the config file) and
/// the commands that wipe or empty it wholesale: `db seed` is refused outright; `cache
/// invalidate --all` and the bulk session commands need the profile's name typed at a
/// terminal (as `terraform destroy` asks), and without a terminal both `--yes` and
/// `--confirm-production NAME`. A y/N answer or `--yes` alone is one habit away from a
/// wiped production cache.
extension CommandContext {
    /// Refuses `action` on a production target (usage error, nothing done).
    func refuseOnProduction(_ action: String) throws {
        guard settings.production else { return }
        throw WWError.usage("refusing to \(action): profile '\(productionName)' is marked production")
    }

    /// On a production target, asks for the profile's name before `action` (see the type).
    /// `typed` is `--confirm-production`.
    func confirmProduction(_ action: String, typed: String?) throws {
        guard settings.production else { return }
        let name = productionName
        if global.yes, typed == name { return }
        if let typed, typed != name {
            throw WWError.usage("--confirm-production '\(TerminalText.echoed(typed))' is not the profile's name ('\(name)'); nothing was done")
        }
        guard output.terminal.stdinIsTTY else {
            throw WWError.usage(
                "refusing to \(action) on production profile '\(name)' without --yes --confirm-production \(name): "
                    + "standard input is not a terminal")
        }
        guard Confirmation.askForName(name, action: "\(action) on production profile '\(name)'", style: output.errorStyle) else {
            throw WWError.negative("cancelled: the name typed was not '\(name)'; nothing was changed")
        }
    }

    private var productionName: String { settings.profile.value ?? "production" }
}

/// `--confirm-production NAME`, for the commands that `confirmProduction` guards.
struct ProductionConfirmation: ParsableArguments {
    @Option(name: .customLong("confirm-production"), help: ArgumentHelp(
        "On a production profile: its name, which confirms without a terminal (with --yes).", valueName: "name"))
    var name: String?
}
