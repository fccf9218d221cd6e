import Glibc

/// What the process is attached to: decides tables vs. plain, colour and progress.
public struct Terminal: Sendable {
    public var stdinIsTTY: Bool
    public var stdoutIsTTY: Bool
    public var stderrIsTTY: Bool
    /// Colour only on a terminal, never with NO_COLOR (https://no-color.org) or TERM=dumb.
    public var colorEnabled: Bool
    public var columns: Int
    /// NO_COLOR or TERM=dumb: no colour and no self-overwriting progress line on any stream.
    public var plain: Bool

    public init(stdinIsTTY: Bool, stdoutIsTTY: Bool, stderrIsTTY: Bool, colorEnabled: Bool, columns: Int, plain: Bool = false) {
        self.stdinIsTTY = stdinIsTTY
        self.stdoutIsTTY = stdoutIsTTY
        self.stderrIsTTY = stderrIsTTY
        self.colorEnabled = colorEnabled
        self.columns = columns
        self.plain = plain
    }

    public static func current(environment: [String: String]) -> Terminal {
        let stdoutTTY = isatty(1) == 1
        let stderrTTY = isatty(2) == 1
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        return Terminal(
            stdinIsTTY: isatty(0) == 1,
            stdoutIsTTY: stdoutTTY,
            stderrIsTTY: stderrTTY,
            colorEnabled: stdoutTTY && !noColor && !dumb,
            columns: Self.width(environment: environment),
            plain: noColor || dumb)
    }

    private static func width(environment: [String: String]) -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 100
    }

    /// The progress line (`\r`, then erase to the end of the line: cursor control) goes to
    /// stderr, only when a person watches it and never with NO_COLOR or TERM=dumb, which
    /// ask for plain output. Without it the command still prints its summary when done.
    public var showsProgress: Bool { stderrIsTTY && !plain }
}

/// ANSI styles, applied only when colour is enabled.
public struct Style: Sendable {
    public let enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    private func wrap(_ code: String, _ text: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func bold(_ text: String) -> String { wrap("1", text) }
    public func dim(_ text: String) -> String { wrap("2", text) }
    public func red(_ text: String) -> String { wrap("31", text) }
    public func green(_ text: String) -> String { wrap("32", text) }
    public func yellow(_ text: String) -> String { wrap("33", text) }
    public func cyan(_ text: String) -> String { wrap("36", text) }
    public func inverse(_ text: String) -> String { wrap("7", text) }
}
