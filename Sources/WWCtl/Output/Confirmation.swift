import Glibc
import Support

/// The `[y/N]` question asked before a destructive step, by commands and by the REPL.
///
/// The question goes to stderr; the answer is read from stdin a byte at a time, so nothing
/// after its line is consumed (a REPL or a script reads on). `y` or `yes`, in any case and
/// with blanks or a `\r` around it, is yes; anything else, the end of input or Ctrl-C is no.
enum Confirmation {
    static func ask(_ question: String, style: Style) -> Bool {
        StandardStreams.writeErr(style.bold("\(question)?") + " [y/N] ")
        let answer = readAnswer()?.trimming(anyOf: " \t\r").lowercased()
        return (answer == "y" || answer == "yes") && !Interrupt.isRequested
    }

    /// Asks for `name` to be typed in full before `action`; true when it was.
    static func askForName(_ name: String, action: String, style: Style) -> Bool {
        StandardStreams.writeErr(style.bold("To \(action), type the profile's name:") + " ")
        let answer = readAnswer().map { String($0.trimming(anyOf: " \t\r")) }
        return answer == name && !Interrupt.isRequested
    }

    private static func readAnswer() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            // A signal other than Ctrl-C (a resize) does not end the question.
            if n < 0, errno == EINTR, !Interrupt.isRequested { continue }
            guard n == 1 else { break }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
