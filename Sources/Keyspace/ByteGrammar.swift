/// The value grammars of `ParameterKind` and the byte tests of `BoundKeyspace.parse`,
/// over borrowed bytes and without allocating, for `KeyClassifier`. Each function accepts
/// exactly what its counterpart accepts (the tests compare them on many values).
enum ByteGrammar {
    static let colon = UInt8(ascii: ":")

    /// The offset of the first `:` at or after `start`.
    @inline(__always)
    static func colon(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == colon { return index }
            index += 1
        }
        return nil
    }

    /// Whether `a[aStart..<aStart + count]` and `b[bStart..<bStart + count]` hold the same bytes.
    @inline(__always)
    static func equal(
        _ a: UnsafeRawBufferPointer, _ aStart: Int, _ b: UnsafeRawBufferPointer, _ bStart: Int, count: Int
    ) -> Bool {
        var offset = 0
        while offset < count {
            if a[aStart + offset] != b[bStart + offset] { return false }
            offset += 1
        }
        return true
    }

    /// `KeyBytes.isValidUTF8`.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        // Eight bytes at a time while they are ASCII.
        while index + 8 <= count {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count && bytes[index] < 0x80 { index += 1 }
        if index == count { return true }
        var iterator = UnsafeRawBufferPointer(rebasing: bytes[index...]).makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// `HTTPMethod.startsEndpoint`.
    static func startsEndpoint(_ segment: UnsafeRawBufferPointer) -> Bool {
        guard let first = segment.first else { return false }
        if first == UInt8(ascii: "/") { return true }
        guard segment.count <= 7, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else { return false }
        for name in methods where name.count == segment.count {
            if name.withUnsafeBytes({ equal($0, 0, segment, 0, count: segment.count) }) { return true }
        }
        return false
    }

    private static let methods: [[UInt8]] = HTTPMethod.names.sorted().map { Array($0.utf8) }

    /// `ParameterKind.isMonth`: `YYYY-MM` with a month 01-12.
    static func isMonth(_ value: UnsafeRawBufferPointer) -> Bool {
        guard value.count == 7, value[4] == UInt8(ascii: "-"),
              isDigit(value[0]), isDigit(value[1]), isDigit(value[2]), isDigit(value[3]),
              isDigit(value[5]), isDigit(value[6])
        else { return false }
        let month = Int(value[5] - 48) * 10 + Int(value[6] - 48)
        return month >= 1 && month <= 12
    }

    /// `JSNumberForm.isCanonical`: what JS's `String(number)` prints for a price with at
    /// most 15 significant digits: `0`, `20`, `1000`, `19.99`, `0.05`; never a leading
    /// zero before other digits, a trailing fractional zero, a bare point, or more than
    /// 21 integer digits or 5 zeros after `0.`.
    static func isJSDecimal(_ value: UnsafeRawBufferPointer) -> Bool {
        guard let first = value.first, isDigit(first) else { return false }
        var point: Int?
        for index in 0..<value.count {
            let byte = value[index]
            if byte == UInt8(ascii: ".") {
                guard point == nil else { return false }
                point = index
            } else if !isDigit(byte) {
                return false
            }
        }
        guard let point else {
            // An integer: "0", or no leading zero, at most 21 digits of which at most 15
            // are left once trailing zeros are dropped.
            if first == UInt8(ascii: "0") { return value.count == 1 }
            guard value.count <= 21 else { return false }
            var significant = value.count
            while value[significant - 1] == UInt8(ascii: "0") { significant -= 1 }
            return significant <= 15
        }
        let fraction = value.count - point - 1
        guard fraction > 0, value[value.count - 1] != UInt8(ascii: "0") else { return false }
        if first == UInt8(ascii: "0") {
            // "0.000ddd": at most five zeros after the point, at most 15 digits after them.
            guard point == 1 else { return false }
            var zeros = 0
            while value[point + 1 + zeros] == UInt8(ascii: "0") { zeros += 1 }
            return zeros <= 5 && fraction - zeros <= 15
        }
        return point + fraction <= 15
    }

    /// `ParameterKind.isIPv4`: a dotted quad, parts 0-255 without leading zeros.
    static func isIPv4(_ value: UnsafeRawBufferPointer) -> Bool {
        var parts = 0
        var start = 0
        while true {
            var end = start
            while end < value.count && value[end] != UInt8(ascii: ".") { end += 1 }
            parts += 1
            guard parts <= 4 else { return false }
            let length = end - start
            guard length > 0, length <= 3 else { return false }
            var number = 0
            for index in start..<end {
                guard isDigit(value[index]) else { return false }
                number = number * 10 + Int(value[index] - 48)
            }
            if length > 1 && value[start] == UInt8(ascii: "0") { return false }
            guard number <= 255 else { return false }
            if end == value.count { return parts == 4 }
            start = end + 1
        }
    }

    /// `ParameterKind.isIPv6`: RFC 4291 text with at most one `::`, an optional trailing
    /// IPv4 address and an optional zone.
    static func isIPv6(_ value: UnsafeRawBufferPointer) -> Bool {
        var count = value.count
        if let percent = value.firstIndex(of: UInt8(ascii: "%")) {
            let zone = UnsafeRawBufferPointer(rebasing: value[(percent + 1)...])
            guard !zone.isEmpty, !zone.contains(colon) else { return false }
            count = percent
        }
        let address = UnsafeRawBufferPointer(rebasing: value[..<count])
        guard address.contains(colon) else { return false }
        var groups = 0
        var sawDoubleColon = false
        var index = 0
        if count >= 2 && address[0] == colon && address[1] == colon {
            sawDoubleColon = true
            index = 2
            if index == count { return true }
        } else if address[0] == colon {
            return false
        }
        while index < count {
            var end = index
            while end < count && address[end] != colon { end += 1 }
            let group = UnsafeRawBufferPointer(rebasing: address[index..<end])
            if group.isEmpty { return false }
            if end == count && group.contains(UInt8(ascii: ".")) {
                guard isIPv4(group) else { return false }
                groups += 2
            } else {
                guard group.count <= 4, group.allSatisfy(ParameterKind.isHexDigit) else { return false }
                groups += 1
            }
            if end == count { break }
            if end + 1 < count && address[end + 1] == colon {
                if sawDoubleColon { return false }
                sawDoubleColon = true
                index = end + 2
                if index == count { break }
            } else {
                index = end + 1
                if index == count { return false }
            }
        }
        return sawDoubleColon ? groups <= 7 : groups == 8
    }
}
