/// Prompt text as libedit wants it.
public enum PromptText {
    /// `prompt` with every ANSI CSI sequence (`ESC [ … final`) enclosed in
    /// RL_PROMPT_START_IGNORE/END_IGNORE (`\u{1}` … `\u{2}`), so libedit does not count the
    /// invisible bytes as columns and the cursor lands where it is drawn.
    public static func markingInvisible(_ prompt: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(prompt.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\u{1B}", i + 1 < scalars.count, scalars[i + 1] == "[" {
                var j = i + 2
                while j < scalars.count, !(0x40...0x7E).contains(scalars[j].value) { j += 1 }
                let end = min(j, scalars.count - 1)
                out.append("\u{1}")
                out.append(contentsOf: scalars[i...end])
                out.append("\u{2}")
                i = end + 1
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }
}
