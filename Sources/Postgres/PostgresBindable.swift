import FoundationEssentials
import Support

/// A query parameter as it crosses to the server: text format, with the type OID the
/// server should read it as (0 lets the server infer the type from the statement,
/// which is what strings want: they may be meant as text, jsonb, an enum or a numeric).
public enum PostgresValue: Sendable, Hashable, PostgresBindable {
    case null
    case text(String, oid: UInt32 = 0)

    public var postgresValue: PostgresValue { self }
}

/// Type OIDs of the built-in types wwctl binds.
public enum PostgresOID {
    public static let bool: UInt32 = 16
    public static let int8: UInt32 = 20
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let int4Array: UInt32 = 1007
    public static let textArray: UInt32 = 1009
    public static let int8Array: UInt32 = 1016
    public static let timestamptz: UInt32 = 1184
    public static let numeric: UInt32 = 1700
    public static let uuid: UInt32 = 2950
}

/// Anything that can be a query parameter. Values always travel as parameters
/// (`$1`, `$2`, …), never inside the SQL text.
public protocol PostgresBindable {
    var postgresValue: PostgresValue { get }
}

extension String: PostgresBindable {
    public var postgresValue: PostgresValue { .text(self) }
}

extension Substring: PostgresBindable {
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Int: PostgresBindable {
    public var postgresValue: PostgresValue { .text(String(self), oid: PostgresOID.int8) }
}

extension Int64: PostgresBindable {
    public var postgresValue: PostgresValue { .text(String(self), oid: PostgresOID.int8) }
}

extension Int32: PostgresBindable {
    public var postgresValue: PostgresValue { .text(String(self), oid: PostgresOID.int4) }
}

extension Bool: PostgresBindable {
    public var postgresValue: PostgresValue { .text(self ? "t" : "f", oid: PostgresOID.bool) }
}

extension ExactDecimal: PostgresBindable {
    public var postgresValue: PostgresValue { .text(description, oid: PostgresOID.numeric) }
}

extension Date: PostgresBindable {
    /// A `timestamptz` at microsecond precision, written in UTC.
    public var postgresValue: PostgresValue {
        let micros = Int64((timeIntervalSince1970 * 1_000_000).rounded())
        return .text(Timestamp.postgresText(micros: micros), oid: PostgresOID.timestamptz)
    }
}

extension UUID: PostgresBindable {
    public var postgresValue: PostgresValue { .text(uuidString.lowercased(), oid: PostgresOID.uuid) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresValue: PostgresValue { self?.postgresValue ?? .null }
}

/// Element types that can make up an array parameter (`= any($1)`).
public protocol PostgresArrayElement {
    static var arrayOID: UInt32 { get }
    /// The element inside an array literal, quoted as needed.
    var arrayLiteralElement: String { get }
}

extension Int64: PostgresArrayElement {
    public static var arrayOID: UInt32 { PostgresOID.int8Array }
    public var arrayLiteralElement: String { String(self) }
}

extension Int: PostgresArrayElement {
    public static var arrayOID: UInt32 { PostgresOID.int8Array }
    public var arrayLiteralElement: String { String(self) }
}

extension Int32: PostgresArrayElement {
    public static var arrayOID: UInt32 { PostgresOID.int4Array }
    public var arrayLiteralElement: String { String(self) }
}

extension String: PostgresArrayElement {
    public static var arrayOID: UInt32 { PostgresOID.textArray }
    /// Always double-quoted, so that `NULL`, braces, commas and spaces stay text.
    public var arrayLiteralElement: String {
        var quoted = "\""
        for scalar in unicodeScalars {
            if scalar == "\"" || scalar == "\\" { quoted.unicodeScalars.append("\\") }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public static var arrayOID: UInt32 { Wrapped.arrayOID }
    public var arrayLiteralElement: String { self?.arrayLiteralElement ?? "NULL" }
}

extension Array: PostgresBindable where Element: PostgresArrayElement {
    public var postgresValue: PostgresValue {
        let elements = map(\.arrayLiteralElement)
        return .text("{" + elements.joined(separator: ",") + "}", oid: Element.arrayOID)
    }
}
