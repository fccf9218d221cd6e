import CacheOps
import Keyspace
import Support

/// A missing key with the fields of docs/CLI.md all present: Redis' own answers for a missing
/// key (type `none`, PTTL -2), the family its name belongs to, and a null value.
struct MissingKeyResult: Renderable {
    var key: String
    var parsed: ParsedKey

    enum CodingKeys: String, CodingKey { case key, type, ttlMs, family, params, value, exists }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode("none", forKey: .type)
        try container.encode(-2, forKey: .ttlMs)
        try container.encode(parsed.family?.name, forKey: .family)
        try container.encode(JSONValue.object(parsed.params.map { ($0.name, .string($0.value)) }), forKey: .params)
        try container.encode(JSONValue.null, forKey: .value)
        try container.encode(false, forKey: .exists)
    }

    func renderText(_ context: RenderContext) -> String { "" }
}

struct InspectResult: Renderable {
    let inspection: KeyInspection

    init(_ inspection: KeyInspection) { self.inspection = inspection }

    enum CodingKeys: String, CodingKey {
        case key, type, ttlMs, family, params, value, exists, kind, length, memoryBytes, valueEncoding, truncated
    }

    /// How a string value reads: JSON text, other UTF-8 text, or bytes.
    enum StringForm {
        case json(JSONValue)
        case text(String)
        case binary([UInt8])

        init(_ bytes: [UInt8], complete: Bool) {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                self = .binary(bytes)
                return
            }
            if complete, let json = try? JSONParser.parse(bytes) {
                self = .json(json)
            } else {
                self = .text(text)
            }
        }

        var encoding: String {
            switch self {
            case .json: "json"
            case .text: "text"
            case .binary: "binary"
            }
        }
    }

    var kind: String {
        switch inspection.parsed {
        case .family: "family"
        case .legacy: "legacy"
        case .forbidden: "forbidden"
        case .internal: "internal"
        case .unknown: "unknown"
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(RedisCLIText.jsonString(inspection.key), forKey: .key)
        try container.encode(inspection.type, forKey: .type)
        try container.encode(inspection.ttlMs, forKey: .ttlMs)
        try container.encode(inspection.parsed.family?.name, forKey: .family)
        try container.encode(JSONValue.object(inspection.parsed.params.map { ($0.name, .string($0.value)) }), forKey: .params)
        var encoding: String?
        let value: JSONValue
        switch inspection.value {
        case .string(let bytes):
            let form = StringForm(bytes, complete: !inspection.truncated)
            encoding = form.encoding
            switch form {
            case .json(let json): value = json
            case .text(let text): value = .string(text)
            case .binary(let bytes): value = .string(RedisCLIText.quoted(bytes))
            }
        case .hash(let pairs):
            value = .object(pairs.map { (RedisCLIText.jsonString($0.field), Self.json($0.value)) })
        case .list(let items), .set(let items):
            value = .array(items.map(Self.json))
        case .zset(let members):
            value = .array(members.map { .object([("member", Self.json($0.member)), ("score", Self.score($0.score))]) })
        case .stream(let entries):
            value = .array(entries.map { entry in
                .object([("id", .string(entry.id)), ("fields", .object(entry.fields.map { (RedisCLIText.jsonString($0.field), Self.json($0.value)) }))])
            })
        case .unreadable:
            value = .null
        }
        try container.encode(value, forKey: .value)
        try container.encode(true, forKey: .exists)
        try container.encode(kind, forKey: .kind)
        try container.encode(inspection.length, forKey: .length)
        try container.encode(inspection.memoryBytes, forKey: .memoryBytes)
        try container.encode(encoding, forKey: .valueEncoding)
        try container.encode(inspection.truncated, forKey: .truncated)
    }

    private static func json(_ bytes: [UInt8]) -> JSONValue { .string(RedisCLIText.jsonString(bytes)) }

    /// Scores as JSON numbers; `inf`, `-inf` and `nan` are not JSON numbers, so they stay strings.
    private static func score(_ text: String) -> JSONValue {
        if case .number(let number)? = try? JSONParser.parse(text) { return .number(number) }
        return .string(text)
    }

    func renderText(_ context: RenderContext) -> String {
        let style = context.style
        var lines: [(String, String)] = []
        lines.append(("key", RedisCLIText.line(inspection.key, terminal: false)))
        lines.append(("type", inspection.type))
        lines.append(("ttl", Self.ttlText(inspection.ttlMs)))
        switch inspection.parsed {
        case .family(let family, let params), .legacy(let family, let params, _):
            let canonical = inspection.canonicalKey.map { RedisCLIText.line($0, terminal: false) } ?? "?"
            let legacy = inspection.parsed.isLegacy ? " (legacy form; canonical \(canonical))" : ""
            let values = TerminalText.escaped(params.map { "\($0.name)=\($0.value)" }.joined(separator: " "))
            lines.append(("family", "\(family.name)\(legacy)" + (values.isEmpty ? "" : "  " + values)))
            lines.append(("policy", "TTL \(family.ttl), tier \(family.tier)"))
        case .forbidden(let rule):
            lines.append(("family", style.red("none: \(rule.title) must never be cached")))
        case .internal(let kind):
            lines.append(("family", "none: wwctl's own \(kind) key"))
        case .unknown:
            lines.append(("family", "none"))
        }
        if let length = inspection.length {
            let unit = inspection.type == "string" ? "bytes" : "elements"
            lines.append(("length", "\(grouped(length)) \(unit)"))
        }
        if let memory = inspection.memoryBytes {
            lines.append(("memory", "\(grouped(memory)) bytes"))
        }
        var text = ""
        let width = lines.map { $0.0.count }.max() ?? 0
        for (label, value) in lines {
            text += style.bold(label) + String(repeating: " ", count: width - label.count + 2) + value + "\n"
        }
        text += style.bold("value") + "\n" + valueText(context)
        if inspection.truncated {
            let shown: String
            switch inspection.value {
            case .string(let bytes): shown = "first \(grouped(bytes.count)) of \(grouped(inspection.length ?? 0)) bytes"
            default: shown = "\(grouped(elementCount)) of \(grouped(inspection.length ?? 0)) elements"
            }
            text += style.dim("(showing \(shown))") + "\n"
        }
        return text
    }

    private var elementCount: Int {
        switch inspection.value {
        case .string: 1
        case .hash(let pairs): pairs.count
        case .list(let items), .set(let items): items.count
        case .zset(let members): members.count
        case .stream(let entries): entries.count
        case .unreadable: 0
        }
    }

    private func valueText(_ context: RenderContext) -> String {
        let show = { (bytes: [UInt8]) in RedisCLIText.line(bytes, terminal: false) }
        switch inspection.value {
        case .string(let bytes):
            switch StringForm(bytes, complete: !inspection.truncated) {
            case .json(let json):
                return (context.stdoutIsTTY ? json.prettyText : String(decoding: bytes, as: UTF8.self)) + "\n"
            case .text(let text):
                return text + "\n"
            case .binary(let bytes):
                return RedisCLIText.quoted(bytes) + "\n"
            }
        case .hash(let pairs):
            var table = TextTable([.init("FIELD"), .init("VALUE")])
            for pair in pairs { table.append(show(pair.field), show(pair.value)) }
            return table.render(width: context.width)
        case .list(let items):
            var table = TextTable([.init("INDEX", .right), .init("VALUE")])
            for (index, item) in items.enumerated() { table.append(String(index), show(item)) }
            return table.render(width: context.width)
        case .set(let items):
            var table = TextTable([.init("MEMBER")])
            for item in items { table.append(show(item)) }
            return table.render(width: context.width)
        case .zset(let members):
            var table = TextTable([.init("MEMBER"), .init("SCORE", .right)])
            for member in members { table.append(show(member.member), member.score) }
            return table.render(width: context.width)
        case .stream(let entries):
            var table = TextTable([.init("ID"), .init("FIELD"), .init("VALUE")])
            for entry in entries {
                for (index, pair) in entry.fields.enumerated() {
                    table.append(index == 0 ? entry.id : "", show(pair.field), show(pair.value))
                }
            }
            return table.render(width: context.width)
        case .unreadable:
            return "(a \(inspection.type) value: wwctl cannot read this type)\n"
        }
    }

    /// `-1` → "no TTL"; else seconds with the milliseconds.
    static func ttlText(_ ms: Int64) -> String {
        if ms < 0 { return "no TTL" }
        let seconds = Double(ms) / 1000
        let rounded = (seconds * 10).rounded() / 10
        return "\(rounded) s (\(grouped(Int(ms))) ms)"
    }
}
