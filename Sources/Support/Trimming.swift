extension StringProtocol {
    /// Without leading and trailing whitespace (`Character.isWhitespace`: spaces, tabs,
    /// line breaks, and Unicode spaces such as U+00A0).
    public var trimmingSpaces: SubSequence { trimming(while: \.isWhitespace) }

    /// Without the leading and trailing characters `isTrimmed` accepts.
    public func trimming(while isTrimmed: (Character) -> Bool) -> SubSequence {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }

    /// Without the leading and trailing characters that are in `characters` (`" \t\r"`).
    public func trimming(anyOf characters: String) -> SubSequence {
        let set = Set(characters)
        return trimming(while: set.contains)
    }
}
