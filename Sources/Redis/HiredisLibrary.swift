import CHiredis
import Support

/// Which hiredis this process runs with, for `wwctl --version`.
///
/// hiredis 0.14 has no function that reports its version: HIREDIS_MAJOR/MINOR/PATCH are
/// macros, fixed when wwctl was compiled. What the dynamic linker picked at run time shows
/// only in the loaded file's name, whose suffix is the soname's version (`0.14`), not the
/// patch level.
public enum HiredisLibrary {
    /// The version of the headers wwctl was compiled against: `0.14.1`.
    public static let compiledVersion = "\(HIREDIS_MAJOR).\(HIREDIS_MINOR).\(HIREDIS_PATCH)"

    /// The loaded libhiredis file (symbolic links resolved), nil if none is mapped.
    public static func loadedFile() -> String? {
        DynamicLibrary.loadedFile(named: "libhiredis.so")
    }

    /// What the loaded file's name says of its version: `0.14` for `libhiredis.so.0.14`.
    public static func version(ofFile path: String) -> String? {
        guard let name = path.split(separator: "/").last, let range = name.firstRange(of: ".so.") else { return nil }
        let suffix = name[range.upperBound...]
        return suffix.isEmpty ? nil : String(suffix)
    }
}
