import Marketplace
import Support

extension TokenRevocationResult: Renderable {
    public func renderText(_ context: RenderContext) -> String {
        // The token and its claims are whatever the client presented.
        let user = TerminalText.escaped(userId.map { $0.stringValue ?? $0.compactText } ?? "-")
        let token = TerminalText.escaped(token)
        guard blacklisted else {
            return "token \(token) of user \(user) expired at \(expiresAt); nothing written\n"
        }
        let again = alreadyBlacklisted ? " (it already was)" : ""
        return "blacklisted token \(token) of user \(user) for \(ttlDisplay(ms: ttlMs)), until \(expiresAt)\(again)\n"
    }
}

extension TokenCheckResult: Renderable {
    public func renderText(_ context: RenderContext) -> String {
        let user = TerminalText.escaped(userId.map { $0.stringValue ?? $0.compactText } ?? "-")
        let token = TerminalText.escaped(token)
        let state: String
        switch reason {
        case "ok": state = context.style.green("valid")
        case "revoked": state = context.style.red("revoked") + " (blacklisted for \(ttlDisplay(ms: blacklistTtlMs)) more)"
        default: state = context.style.red("expired")
        }
        let verified = signatureVerified ? ", signature verified" : ""
        return "\(state): token \(token) of user \(user), expires \(expiresAt)\(verified)\n"
    }
}
