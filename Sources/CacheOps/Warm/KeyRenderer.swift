import Keyspace
import Support

/// Renders a family's keys into a byte buffer, from the registry's template: the literal
/// segments are taken from `KeyFamily.template` once, and each key only appends its
/// parameter values between them. Values are checked against their parameter kinds as
/// `KeyTemplate.render` checks them (integers canonical, decimals turned into the app's
/// JS number form with `JSNumberForm`), so the keys are exactly `BoundKeyspace.key(family, params)` without
/// building a dictionary and a String per key (the tests compare the two).
struct KeyRenderer {
    enum Piece {
        case literal([UInt8])
        case parameter(index: Int, KeyParameter)
    }

    let family: KeyFamily
    let pieces: [Piece]
    /// Parameters whose values the caller has already checked (a catalog read once).
    let trusted: Set<String>

    init(_ family: KeyFamily, prefix: KeyPrefix, trusted: Set<String> = []) throws {
        self.family = family
        self.trusted = trusted
        var pieces: [Piece] = []
        var pending = prefix.bytes
        var index = 0
        for (position, segment) in family.template.segments.enumerated() {
            if position > 0 { pending.append(UInt8(ascii: ":")) }
            switch segment {
            case .literal(let text):
                pending.append(contentsOf: text.utf8)
            case .parameter(let parameter):
                switch parameter.kind {
                case .rest, .subject:
                    // Their split depends on the whole key; no warmable family has them.
                    throw WWError.internalError("warm: family \(family.name) has a \(parameter.kind.name) parameter, which warming cannot render")
                default:
                    break
                }
                if !pending.isEmpty { pieces.append(.literal(pending)) }
                pending = []
                pieces.append(.parameter(index: index, parameter))
                index += 1
            }
        }
        if !pending.isEmpty { pieces.append(.literal(pending)) }
        self.pieces = pieces
    }

    /// Appends one key to `out`; `value(i, &out)` appends the value of the template's
    /// i-th parameter. Throws `KeyspaceError.invalidParameter` (a data error) for a value
    /// the parameter's kind does not accept.
    @inline(__always)
    func append(to out: inout [UInt8], _ value: (Int, inout [UInt8]) throws -> Void) throws {
        for piece in pieces {
            switch piece {
            case .literal(let bytes):
                out.append(contentsOf: bytes)
            case .parameter(let index, let parameter):
                let start = out.count
                try value(index, &out)
                try check(parameter, &out, from: start)
            }
        }
    }

    @inline(__always)
    private func check(_ parameter: KeyParameter, _ out: inout [UInt8], from start: Int) throws {
        switch parameter.kind {
        case .integer:
            if !Self.isCanonicalInteger(out, from: start) { throw invalid(parameter, out[start...]) }
        case .decimal:
            // The caller appends PostgreSQL's NUMERIC text (`20.00`); the key holds the
            // app's JS number form (`20`).
            let text = String(decoding: out[start...], as: UTF8.self)
            guard let form = JSNumberForm.string(fromDecimalText: text) else { throw invalid(parameter, out[start...]) }
            out.removeSubrange(start...)
            out.append(contentsOf: form.utf8)
        default:
            if trusted.contains(parameter.name) { return }
            if !parameter.kind.accepts(bytes: out[start...]) { throw invalid(parameter, out[start...]) }
        }
    }

    private func invalid(_ parameter: KeyParameter, _ bytes: ArraySlice<UInt8>) -> KeyspaceError {
        .invalidParameter(
            template: family.pattern, name: parameter.name, value: String(decoding: bytes, as: UTF8.self),
            expected: parameter.kind.description)
    }

    /// Digits without a sign or leading zero, at most Int64.max: what the registry's
    /// `.integer` kind accepts.
    @inline(__always)
    static func isCanonicalInteger(_ bytes: [UInt8], from start: Int) -> Bool {
        let count = bytes.count - start
        guard count > 0, count <= 19 else { return false }
        if bytes[start] == UInt8(ascii: "0") { return count == 1 }
        for index in start..<bytes.count where bytes[index] < 0x30 || bytes[index] > 0x39 { return false }
        if count < 19 { return true }
        return bytes[start...].lexicographicallyPrecedes("9223372036854775808".utf8)
    }
}
