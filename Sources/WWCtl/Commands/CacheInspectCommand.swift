import ArgumentParser
import CacheOps
import Keyspace
import Redis
import Support

struct CacheInspectCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "One key: type, TTL, family and parameters, size, and its value.",
        discussion: """
            KEY is the whole key as stored (as `cache keys` prints it); a KEY in double quotes \
            is read with redis-cli's escapes ("bin:\\xff"). The family and parameters come \
            from the registry, with --key-prefix taken off first.

            A string holding JSON (what the app caches) is pretty-printed on a terminal and \
            shown as stored in a pipe; text that is not valid UTF-8 is shown escaped as \
            redis-cli does. Hashes, lists, sets, sorted sets and streams show at most \
            --max-elements elements, strings at most --max-bytes bytes.

            JSON: key, type, ttlMs (-1: no TTL), family (null if none), params (an object, \
            empty if none), value, plus exists, kind (family, legacy, forbidden, internal, \
            unknown), length, memoryBytes, valueEncoding (json, text or binary, for strings) \
            and truncated. value is the parsed JSON for a string holding JSON, else the \
            string; an object of fields for a hash; an array for a list or set; an array of \
            {member, score} for a sorted set; an array of {id, fields} for a stream. Binary \
            strings appear in redis-cli's quoted form.

            A missing key is a negative answer: "no key …" on stderr, exit 1, and with -o json \
            {"key": …, "type": "none", "ttlMs": -2, "family": …, "params": …, "value": null, \
            "exists": false}.

            Example:
              wwctl cache inspect 'product:42'
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The key, as stored.", valueName: "key"))
    var key: String

    @Option(name: .customLong("max-elements"), help: ArgumentHelp("Elements shown of a hash, list, set, sorted set or stream (default 100).", valueName: "n"))
    var maxElements: Int = 100

    @Option(name: .customLong("max-bytes"), help: ArgumentHelp("Bytes shown of a string (default 1048576).", valueName: "n"))
    var maxBytes: Int = 1 << 20

    func validate() throws {
        if maxElements < 1 { throw ValidationError("--max-elements must be at least 1, got \(maxElements)") }
        if maxBytes < 1 { throw ValidationError("--max-bytes must be at least 1, got \(maxBytes)") }
    }

    func execute(_ context: CommandContext) throws {
        let name = RedisCLIText.bytes(fromArgument: key)
        let inspector = KeyInspector(redis: try context.redis(), prefix: context.keyPrefix, maxElements: maxElements, maxBytes: maxBytes)
        guard let inspection = try inspector.inspect(name) else {
            let shown = RedisCLIText.jsonString(name)
            StandardStreams.writeErr("no key \(RedisCLIText.line(name, terminal: false)) in \(context.settings.redisURL.value.masked)\n")
            if context.output.isMachineReadable {
                try context.output.emit(MissingKeyResult(
                    key: shown, parsed: KeyspaceRegistry.standard.parse(name, prefix: context.keyPrefix)))
            }
            throw ExitCode(ErrorCategory.negative.exitCode)
        }
        try context.output.emit(InspectResult(inspection))
    }
}

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
            let legacy = inspection.parsed.isLegacy ? " (legacy form; canonical \(inspection.parsed.canonicalKey() ?? "?"))" : ""
            let values = params.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
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
