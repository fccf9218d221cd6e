import Support

/// A typed command result. JSON comes from `Encodable` (field order as declared, `nil`
/// as `null`); the human form from `renderText`.
public protocol Renderable: Encodable {
    /// The form for people: a table or a few lines, ending in a newline.
    func renderText(_ context: RenderContext) -> String
    /// What `-o ndjson` prints, one value per line. By default: the elements when the
    /// result encodes as an array, else the result itself.
    func ndjsonValues() throws -> [JSONValue]
}

extension Renderable {
    public func ndjsonValues() throws -> [JSONValue] {
        let value = try JSONValueEncoder().encode(self)
        if case .array(let items) = value { return items }
        return [value]
    }
}

/// Results that `-o prometheus` can print (the text exposition format).
public protocol PrometheusRenderable: Renderable {
    func renderPrometheus() -> String
}

/// What a human rendering may adapt to.
public struct RenderContext: Sendable {
    /// Terminal width, or nil when stdout is not a terminal (never truncate then).
    public var width: Int?
    public var style: Style
    public var verbose: Bool
    public var stdoutIsTTY: Bool

    public init(width: Int?, style: Style, verbose: Bool, stdoutIsTTY: Bool) {
        self.width = width
        self.style = style
        self.verbose = verbose
        self.stdoutIsTTY = stdoutIsTTY
    }
}
