import Support

/// The one place results and diagnostics are written: data on stdout in the chosen
/// format, diagnostics and progress on stderr.
public final class Output: @unchecked Sendable {
    public let format: OutputFormat
    public let terminal: Terminal
    public let quiet: Bool
    public let verbose: Bool
    public let style: Style
    /// Style for stderr, which may be a terminal when stdout is not.
    public let errorStyle: Style

    public init(format: OutputFormat, terminal: Terminal, quiet: Bool, verbose: Bool, noColor: Bool) {
        self.format = format
        self.terminal = terminal
        self.quiet = quiet
        self.verbose = verbose
        self.style = Style(enabled: terminal.colorEnabled)
        self.errorStyle = Style(enabled: terminal.stderrIsTTY && !noColor)
    }

    public var renderContext: RenderContext {
        RenderContext(
            width: terminal.stdoutIsTTY ? terminal.columns : nil, style: style,
            verbose: verbose, stdoutIsTTY: terminal.stdoutIsTTY)
    }

    /// Whether machine-readable output was asked for.
    public var isMachineReadable: Bool { format != .table }

    /// Prints a result on stdout in the chosen format.
    public func emit(_ value: some Renderable) throws {
        switch format {
        case .table:
            // Views escape the values they show; this catches what one might miss.
            StandardStreams.writeOut(TerminalText.escapedKeepingLines(value.renderText(renderContext), keepingStyles: style.enabled))
        case .json:
            StandardStreams.writeOut(jsonText(try JSONValueEncoder().encode(value)) + "\n")
        case .ndjson:
            var text = ""
            for item in try value.ndjsonValues() { text += item.compactText + "\n" }
            StandardStreams.writeOut(text)
        case .prometheus:
            guard let metrics = value as? any PrometheusRenderable else {
                throw WWError.usage("-o prometheus is only for metrics; use table, json or ndjson")
            }
            StandardStreams.writeOut(metrics.renderPrometheus())
        }
    }

    func jsonText(_ value: JSONValue) -> String {
        terminal.stdoutIsTTY ? value.prettyText : value.compactText
    }

    /// Starts a list printed as it is produced (keys of a SCAN): lines for people,
    /// a JSON array written incrementally, or one JSON value per line.
    public func beginList() -> ListWriter { ListWriter(output: self) }

    // MARK: diagnostics (stderr)

    /// Something the operator should know (suppressed by --quiet).
    public func note(_ text: String) {
        guard !quiet else { return }
        StandardStreams.writeErr(diagnostic(text) + "\n")
    }

    /// Detail for --verbose.
    public func detail(_ text: String) {
        guard verbose else { return }
        StandardStreams.writeErr(errorStyle.dim(diagnostic(text)) + "\n")
    }

    /// A warning: shown unless --quiet.
    public func warning(_ text: String) {
        guard !quiet else { return }
        StandardStreams.writeErr(errorStyle.yellow("warning: ") + diagnostic(text) + "\n")
    }

    /// Reports a failure: one line on stderr, and with -o json/ndjson the error object on
    /// stdout (where JSON escaping keeps the message exact).
    public func report(_ error: any CategorizedError) {
        let message = TerminalText.shortened(error.message)
        StandardStreams.writeErr(errorStyle.red("wwctl: ") + TerminalText.escaped(message) + "\n")
        if format == .json || format == .ndjson {
            let body = JSONValue.object([
                ("error", .object([
                    ("code", .number(Int(error.category.exitCode))),
                    ("kind", .string(error.category.code)),
                    ("message", .string(message)),
                ])),
            ])
            StandardStreams.writeOut((format == .json ? jsonText(body) : body.compactText) + "\n")
        }
    }

    /// Diagnostic text with control characters escaped (wwctl's own styles kept on a terminal).
    private func diagnostic(_ text: String) -> String {
        TerminalText.escapedKeepingLines(text, keepingStyles: errorStyle.enabled)
    }

    /// A progress line on stderr, drawn only when a person is watching.
    public func progress(_ label: String) -> ProgressLine {
        ProgressLine(label: label, enabled: terminal.showsProgress && !quiet)
    }
}

/// Incremental list output; see `Output.beginList()`.
public final class ListWriter {
    private let output: Output
    private var count = 0
    private var buffer = ""

    init(output: Output) { self.output = output }

    public func append(_ item: JSONValue, text: String) {
        switch output.format {
        case .table, .prometheus:
            buffer += TerminalText.escaped(text) + "\n"
        case .json:
            buffer += (count == 0 ? "[" : ",") + item.compactText
        case .ndjson:
            buffer += item.compactText + "\n"
        }
        count += 1
        if buffer.utf8.count >= 64 * 1024 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        StandardStreams.writeOut(buffer)
        buffer = ""
    }

    /// Ends the list (closes the JSON array) and flushes.
    public func finish() {
        if output.format == .json { buffer += count == 0 ? "[]\n" : "]\n" }
        flush()
    }

    public var itemCount: Int { count }
}
