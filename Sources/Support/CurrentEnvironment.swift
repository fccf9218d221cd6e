#if canImport(Glibc)
import Glibc
#endif

/// The process environment as a dictionary, read straight from `environ`.
///
/// Foundation's `ProcessInfo.processInfo.environment` costs several percent of a short
/// command's start-up (it sets up ProcessInfo first); this is a loop over C strings.
/// `environ` is reached through dlsym because Swift 6 refuses the C global itself.
public enum CurrentEnvironment {
    public static func read() -> [String: String] {
        var result: [String: String] = [:]
        guard let symbol = dlsym(nil, "environ") else { return result }
        var entry = symbol.assumingMemoryBound(to: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?.self).pointee
        while let pointer = entry?.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals])
                // The first definition wins, as getenv(3) does.
                if result[name] == nil { result[name] = String(text[text.index(after: equals)...]) }
            }
            entry = entry?.advanced(by: 1)
        }
        return result
    }

    /// The variables whose values are not valid UTF-8 (`read` holds them repaired, each
    /// bad byte turned into U+FFFD), in the order of the environment.
    public static func namesNotUTF8() -> [String] {
        var names: [String] = []
        guard let symbol = dlsym(nil, "environ") else { return names }
        var entry = symbol.assumingMemoryBound(to: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?.self).pointee
        while let pointer = entry?.pointee {
            let bytes = UnsafeBufferPointer(start: pointer, count: strlen(pointer)).map { UInt8(bitPattern: $0) }
            if String(validating: bytes, as: UTF8.self) == nil, let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
                names.append(String(decoding: bytes[..<equals], as: UTF8.self))
            }
            entry = entry?.advanced(by: 1)
        }
        return names
    }
}
