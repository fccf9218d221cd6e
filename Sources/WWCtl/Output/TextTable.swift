import Support

/// A table for people: aligned columns, numbers right-aligned, and on a narrow terminal
/// the widest text columns are shortened with "…" rather than wrapped.
///
/// Every cell is printed with its control characters escaped (`TerminalText`): cells hold
/// what servers and users wrote (user agents, org names, keys), and an ESC or a newline in
/// one must neither drive the terminal nor forge a row. A cell that a view colours says so
/// with `Cell(text, paint:)`: the colour is applied to the escaped text, after it is
/// measured, shortened and padded.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        /// Whether this column may be shortened to fit the terminal.
        public var truncatable: Bool

        public init(_ title: String, _ alignment: Alignment = .left, truncatable: Bool = true) {
            self.title = title
            self.alignment = alignment
            self.truncatable = truncatable
        }
    }

    /// One cell: its text (escaped when stored) and the style a view paints it with.
    public struct Cell: Sendable {
        public let text: String
        public let paint: (@Sendable (String) -> String)?

        public init(_ text: String, paint: (@Sendable (String) -> String)? = nil) {
            self.text = TerminalText.escaped(text)
            self.paint = paint
        }
    }

    public var columns: [Column]
    private var cells: [[Cell]] = []

    public init(_ columns: [Column]) { self.columns = columns }

    public init(_ titles: String...) { self.columns = titles.map { Column($0) } }

    public mutating func append(_ cells: [String]) {
        append(cells: cells.map { Cell($0) })
    }

    public mutating func append(_ cells: String...) { append(cells) }

    public mutating func append(cells row: [Cell]) {
        cells.append(row + Array(repeating: Cell(""), count: max(0, columns.count - row.count)))
    }

    /// The rendered text, one line per row plus a header, each ending in a newline.
    /// `width` is the terminal width (nil: never truncate, as in pipes).
    public func render(width: Int?, style: Style = Style(enabled: false)) -> String {
        guard !columns.isEmpty else { return "" }
        let titles = columns.map { TerminalText.escaped($0.title) }
        var widths = titles.map { displayWidth($0) }
        for row in cells {
            for (i, cell) in row.prefix(columns.count).enumerated() {
                widths[i] = max(widths[i], displayWidth(cell.text))
            }
        }
        if let width { shrink(&widths, toFit: width) }

        var out = ""
        let header = columns.enumerated().map { i, column in
            pad(Cell(titles[i]), widths[i], column.alignment, last: i == columns.count - 1)
        }
        out += style.bold(trimTrailing(header.joined(separator: "  "))) + "\n"
        for row in cells {
            let line = columns.enumerated().map { i, column in
                pad(row[i], widths[i], column.alignment, last: i == columns.count - 1)
            }
            out += trimTrailing(line.joined(separator: "  ")) + "\n"
        }
        return out
    }

    private func shrink(_ widths: inout [Int], toFit total: Int) {
        let separators = 2 * (columns.count - 1)
        var excess = widths.reduce(0, +) + separators - total
        let minimum = 8
        while excess > 0 {
            // Take from the widest truncatable column that is still above the minimum.
            guard let widest = widths.indices
                .filter({ columns[$0].truncatable && widths[$0] > minimum })
                .max(by: { widths[$0] < widths[$1] }) else { return }
            let next = widths.indices.filter { $0 != widest && columns[$0].truncatable }.map { widths[$0] }.max() ?? minimum
            let cut = min(excess, max(1, widths[widest] - max(next, minimum)))
            widths[widest] -= cut
            excess -= cut
        }
    }

    private func pad(_ cell: Cell, _ width: Int, _ alignment: Alignment, last: Bool) -> String {
        let shown = truncate(cell.text, to: width)
        let fill = String(repeating: " ", count: max(0, width - displayWidth(shown)))
        let painted = cell.paint.map { $0(shown) } ?? shown
        switch alignment {
        case .left: return last ? painted : painted + fill
        case .right: return fill + painted
        }
    }

    private func trimTrailing(_ line: String) -> String {
        var line = line
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }
}

/// Columns a string takes on a terminal: wide East Asian characters and emoji count two,
/// combining marks zero. Close enough for alignment without a Unicode database.
public func displayWidth(_ text: String) -> Int {
    var width = 0
    for scalar in text.unicodeScalars {
        let v = scalar.value
        switch v {
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: continue
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            width += 2
        default:
            width += 1
        }
    }
    return width
}

/// `text` shortened to `width` columns, ending in "…" when cut.
public func truncate(_ text: String, to width: Int) -> String {
    guard displayWidth(text) > width else { return text }
    guard width > 1 else { return String(repeating: "…", count: max(0, width)) }
    var out = ""
    var used = 0
    for character in text {
        let w = displayWidth(String(character))
        if used + w > width - 1 { break }
        out.append(character)
        used += w
    }
    return out + "…"
}
