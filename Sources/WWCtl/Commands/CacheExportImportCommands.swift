import ArgumentParser
import CacheOps
import Glibc
import Support

struct CacheExportCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Save the keys matching a pattern as NDJSON (DUMP payloads), for cache import.",
        discussion: """
            Example:
              wwctl cache export 'product:*' > products.ndjson

            PATTERN is a SCAN MATCH glob over keys as stored (--key-prefix is not added; a \
            PATTERN in double quotes is read with redis-cli's escapes). One line per key: \
            {key, keyBase64, type, ttlMs, expiresAtMs, value, valueBase64, dump}. key is for \
            people (redis-cli's quoted form when not UTF-8) and keyBase64 the exact bytes; \
            ttlMs is the PTTL at export (-1: no TTL) and expiresAtMs the moment the key \
            expires (Unix milliseconds, null without TTL); for a string, value is the JSON it \
            holds, else null and valueBase64 its bytes; dump is the DUMP payload (base64), \
            which cache import restores exactly, any type. -o json writes the same objects as \
            one JSON array. The count goes to stderr.

            Reads only: with --read-from replica, from the replica. Keys are read in batches \
            of one SCAN (TYPE, PTTL, DUMP and GET pipelined), so memory stays flat.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("A SCAN MATCH glob over keys as stored.", valueName: "pattern"))
    var pattern: String

    func execute(_ context: CommandContext) throws {
        let reader = try context.redisForReading()
        let list = context.output.beginList()
        let asList = context.output.format == .json
        let count = try KeyExport(redis: reader.connection).run(
            pattern: RedisCLIText.bytes(fromArgument: pattern), nowMs: WallClock.unixMilliseconds,
            onKey: { record in
                let json = record.json(displayKey: RedisCLIText.jsonString(record.key))
                if asList { list.append(json, text: "") } else { list.append(json, text: json.compactText) }
            })
        list.finish()
        context.output.note("exported \(grouped(count)) key\(count == 1 ? "" : "s")")
    }
}

struct CacheImportCommand: WWCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Restore keys saved by cache export (RESTORE with their expiry).",
        discussion: """
            Example:
              wwctl cache export 'product:*' > products.ndjson
              wwctl cache invalidate 'product:*' --yes
              wwctl cache import products.ndjson

            FILE is what cache export wrote (one JSON object per line; blank lines are \
            skipped; a JSON array as -o json writes it is not read). The whole file is read \
            and checked first: a line that is not an export record is a data error (exit 65) \
            naming its line, and nothing is restored.

            Each key is restored from its DUMP payload with its absolute expiry (RESTORE … \
            ABSTTL expiresAtMs): the time since the export counts, so a key exported with 60 s \
            left and imported 50 s later lives 10 s more; a key whose expiry has passed is \
            skipped. Keys without TTL are restored without one. Keys that exist are left \
            alone, unless --replace, which overwrites them: like cache invalidate, it asks \
            first, --yes answers, and without a terminal it refuses unless --yes (exit 64, \
            nothing changed). On a production profile, as cache invalidate --all, the \
            profile's name must be typed (without a terminal: --yes --confirm-production NAME).

            JSON: restored, replaced, skippedExisting, skippedExpired, records.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Argument(help: ArgumentHelp("The NDJSON file cache export wrote.", valueName: "file"))
    var file: String

    @Flag(help: "Overwrite keys that exist (asks first).")
    var replace = false

    @OptionGroup var production: ProductionConfirmation

    func execute(_ context: CommandContext) throws {
        // First pass: every line must be a record before anything is written.
        var records = 0
        try ExportFile.forEachRecord(path: file) { _ in records += 1 }
        let server = context.settings.redisURL.value.masked
        if replace {
            let action = "replace existing keys with the \(records) keys of \(file) on \(server)"
            if context.settings.production {
                try context.confirmProduction(action, typed: production.name)
            } else {
                try context.confirm(action)
            }
        }
        let importer = KeyImport(redis: try context.redis(), replace: replace)
        var report = ImportReport()
        var batch: [ExportedKey] = []
        try ExportFile.forEachRecord(path: file) { record in
            batch.append(record)
            if batch.count >= 1000 {
                try importer.restore(batch, nowMs: WallClock.unixMilliseconds(), into: &report)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try importer.restore(batch, nowMs: WallClock.unixMilliseconds(), into: &report)
        try context.output.emit(CacheImportResult(report: report, records: records))
    }
}

/// Reading an export file line by line, without holding it in memory.
enum ExportFile {
    static func forEachRecord(path: String, _ body: (ExportedKey) throws -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WWError.dataError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var lineNumber = 0
        func take(_ line: ArraySlice<UInt8>) throws {
            lineNumber += 1
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }) else { return }
            do {
                let json = try JSONParser.parse(Array(line))
                try body(try ExportedKey(json: json))
            } catch let error as JSONParser.Error {
                throw WWError.dataError("\(path) line \(lineNumber): \(error.description)")
            } catch let error as WWError where error.category == .dataError {
                throw WWError.dataError("\(path) line \(lineNumber): \(error.message)")
            }
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw WWError.dataError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                if pending.isEmpty {
                    try take(buffer[start..<index])
                } else {
                    pending += buffer[start..<index]
                    try take(pending[...])
                    pending.removeAll(keepingCapacity: true)
                }
                start = index + 1
            }
            pending += buffer[start..<count]
        }
        if !pending.isEmpty { try take(pending[...]) }
    }
}
