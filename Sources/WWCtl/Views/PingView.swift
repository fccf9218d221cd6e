import Support

struct PingResult: Renderable {
    struct Server: Encodable, Sendable {
        var ok: Bool
        var address: String
        var version: String?
        var latencyMs: Double?
        var error: String?
    }

    var redis: Server
    var postgres: Server

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([
            .init("SERVER"), .init("STATUS"), .init("ADDRESS"), .init("VERSION"), .init("ROUND TRIP", .right),
        ])
        for (name, server) in [("redis", redis), ("postgres", postgres)] {
            table.append(cells: [
                .init(name),
                server.ok ? .init("ok", paint: context.style.green) : .init("unavailable", paint: context.style.red),
                .init(server.address),
                .init(server.version ?? "-"),
                .init(server.latencyMs.map { formatMillis($0) } ?? "-"),
            ])
        }
        var text = table.render(width: context.width)
        // The clients' messages already name the server.
        for server in [redis, postgres] {
            if let error = server.error { text += TerminalText.escaped(error) + "\n" }
        }
        return text
    }
}
