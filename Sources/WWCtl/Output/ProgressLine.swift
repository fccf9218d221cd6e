import Support

/// One self-overwriting status line on stderr ("scanned 1,200,000 / 2,000,000 · deleted 40")
/// redrawn at most ten times a second, and cleared when done. Does nothing when stderr is
/// not a terminal, so cron mail and pipes never see it.
public final class ProgressLine {
    private let label: String
    private let enabled: Bool
    private var lastDraw: UInt64 = 0
    private var drawn = false

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    public func update(_ status: @autoclosure () -> String) {
        guard enabled else { return }
        let now = UInt64(Monotonic.now() * 1000)
        guard now - lastDraw >= 100 else { return }
        lastDraw = now
        drawn = true
        StandardStreams.writeErr("\r\u{1B}[K\(label) \(status())")
    }

    public func finish() {
        guard enabled, drawn else { return }
        StandardStreams.writeErr("\r\u{1B}[K")
        drawn = false
    }
}
