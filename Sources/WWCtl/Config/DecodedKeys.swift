/// The keys a `Decodable` type reads from a keyed container, found by decoding it once from
/// a decoder that holds nothing and writes down every key it is asked about. The config
/// file's validation uses it so that its list of known keys is the decoders' own.
///
/// Only keys asked for at the top level of the type count (a nested type has its own list),
/// and decoding is expected to fail at the first required key: by then the optional ones
/// asked for before it are recorded, and the config types read every key as optional.
enum DecodedKeys {
    static func of<T: Decodable>(_ type: T.Type) -> [String] {
        let recorder = Recorder()
        _ = try? T(from: ProbeDecoder(recorder: recorder))
        return recorder.keys
    }

    private final class Recorder {
        var keys: [String] = []
        func note(_ key: some CodingKey) {
            if !keys.contains(key.stringValue) { keys.append(key.stringValue) }
        }
    }

    private struct Absent: Error {}

    private struct ProbeDecoder: Decoder {
        let recorder: Recorder
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(ProbeContainer<Key>(recorder: recorder))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw Absent() }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { throw Absent() }
    }

    /// Says that no key is present, after noting each one asked about.
    private struct ProbeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let recorder: Recorder
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }

        func contains(_ key: Key) -> Bool {
            recorder.note(key)
            return false
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            recorder.note(key)
            return true
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            recorder.note(key)
            throw Absent()
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            recorder.note(key)
            throw Absent()
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            recorder.note(key)
            throw Absent()
        }

        func superDecoder() throws -> any Decoder { throw Absent() }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            recorder.note(key)
            throw Absent()
        }
    }
}
