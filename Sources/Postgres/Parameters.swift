import CLibpq
import Support

/// Query parameters laid out for `PQexecParams`/`PQsendQueryParams`: one buffer holding
/// every value NUL-terminated, with a pointer, a length and a type OID per parameter.
struct Parameters {
    private var storage: [UInt8] = []
    private var offsets: [Int?] = []
    private(set) var lengths: [Int32] = []
    private(set) var types: [Oid] = []

    init(_ params: [(any PostgresBindable)?]) throws(WWError) {
        for (index, param) in params.enumerated() {
            switch param?.postgresValue ?? .null {
            case .null:
                offsets.append(nil)
                lengths.append(0)
                types.append(0)
            case .text(let text, let oid):
                let bytes = text.utf8
                // Text-format values are C strings: a NUL would silently cut the value.
                if bytes.contains(0) {
                    throw .dataError("postgres: parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot hold")
                }
                offsets.append(storage.count)
                lengths.append(Int32(clamping: bytes.count))
                types.append(oid)
                storage.append(contentsOf: bytes)
                storage.append(0)
            }
        }
    }

    var count: Int32 { Int32(offsets.count) }

    /// Calls `body(nParams, paramTypes, paramValues, paramLengths, paramFormats)`;
    /// the pointers are valid only during the call.
    func withUnsafePointers<T>(
        _ body: (Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) throws -> T
    ) rethrows -> T {
        if offsets.isEmpty { return try body(0, nil, nil, nil, nil) }
        return try storage.withUnsafeBytes { raw in
            // Empty when every parameter is NULL; then no offset refers to it.
            let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset.flatMap { offset in base.map { UnsafePointer($0 + offset) } }
            }
            let formats = [Int32](repeating: 0, count: offsets.count)
            return try values.withUnsafeBufferPointer { valuePointers in
                try types.withUnsafeBufferPointer { typePointers in
                    try lengths.withUnsafeBufferPointer { lengthPointers in
                        try formats.withUnsafeBufferPointer { formatPointers in
                            try body(count, typePointers.baseAddress, valuePointers.baseAddress,
                                     lengthPointers.baseAddress, formatPointers.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
