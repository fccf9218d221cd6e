import Support

/// What `ConfigFile`'s decoding would let through silently, refused as usage errors that
/// name the file and the key: a misspelt key (`redisURL` for `redisUrl`) would otherwise
/// leave the setting at its default and send a command to the wrong server, and a key
/// given twice would take one of its values without a word.
///
/// The keys that are known are the ones the decoders ask for (`DecodedKeys`), so a setting
/// added to `ConfigFile` or its `Profile` is accepted here without a second list to keep.
enum ConfigValidation {
    /// Checks the raw text of the file at `path` before it is decoded.
    static func check(_ bytes: [UInt8], path: String) throws {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw WWError.usage("config file \(path): \(error.description)")
        }
        guard case .object(let members) = root else {
            throw WWError.usage("config file \(path): expected a JSON object at the top")
        }
        try checkKeys(members, known: DecodedKeys.of(ConfigFile.self), at: nil, path: path)
        if case .object(let profiles)? = root["profiles"] {
            try checkDuplicates(profiles, at: "profiles", path: path)
            let known = DecodedKeys.of(ConfigFile.Profile.self)
            for (name, profile) in profiles {
                guard case .object(let settings) = profile else { continue }  // the decoder names the wrong type
                try checkKeys(settings, known: known, at: "profiles." + name, path: path)
            }
        }
    }

    /// A missing file named by `$WWCTL_CONFIG`: the operator pointed at it, so running on
    /// defaults instead would be a surprise.
    static func missingExplicitFile(_ path: String) -> WWError {
        WWError.usage("config file \(TerminalText.echoed(path)) (from environment WWCTL_CONFIG) does not exist")
    }

    private static func checkKeys(_ members: [(String, JSONValue)], known: [String], at location: String?, path: String) throws {
        try checkDuplicates(members, at: location, path: path)
        for (key, _) in members where !known.contains(key) {
            let place = location.map { " in \(TerminalText.echoed($0))" } ?? ""
            var message = "config file \(path): unknown key '\(TerminalText.echoed(key))'\(place)"
            if let suggestion = nearest(key, in: known) { message += "; did you mean '\(suggestion)'?" }
            else { message += " (known: \(known.sorted().joined(separator: ", ")))" }
            throw WWError.usage(message)
        }
    }

    private static func checkDuplicates(_ members: [(String, JSONValue)], at location: String?, path: String) throws {
        var seen = Set<String>()
        for (key, _) in members where !seen.insert(key).inserted {
            let place = location.map { " in \(TerminalText.echoed($0))" } ?? ""
            throw WWError.usage("config file \(path): key '\(TerminalText.echoed(key))' appears twice\(place)")
        }
    }

    /// The known key closest to `key`, when it is close enough to be a slip of the keyboard
    /// (or of case: `redisURL`).
    static func nearest(_ key: String, in known: [String]) -> String? {
        let scored = known.map { ($0, EditDistance.ignoringCase(key, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(1, min(3, key.count / 3)) ? best.0 : nil
    }
}
