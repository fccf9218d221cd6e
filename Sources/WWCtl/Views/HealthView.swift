import CacheOps
import Support

struct HealthResult: Renderable {
    struct Check: Encodable {
        var name: String
        var status: HealthStatus
        var value: Double?
        var threshold: Double?
        var message: String
    }

    var status: HealthStatus
    var checks: [Check]

    init(report: HealthReport) {
        status = report.status
        checks = report.checks.map {
            Check(name: $0.name, status: $0.status, value: $0.value, threshold: $0.threshold, message: $0.message)
        }
    }

    func renderText(_ context: RenderContext) -> String {
        checks.map { check in
            let label: String
            switch check.status {
            case .ok: label = context.style.green(check.status.label)
            case .warning: label = context.style.yellow(check.status.label)
            case .critical: label = context.style.red(check.status.label)
            case .unknown: label = context.style.cyan(check.status.label)
            }
            return "\(label) \(check.name) \(TerminalText.escaped(check.message))\n"
        }.joined()
    }
}
