import Support

struct ConfigShowResult: Renderable {
    struct Setting: Encodable {
        var name: String
        var value: String
        var source: String
    }

    var configFile: String?
    var settings: [Setting]

    func renderText(_ context: RenderContext) -> String {
        var table = TextTable([.init("SETTING"), .init("VALUE"), .init("SOURCE")])
        for setting in settings { table.append(setting.name, setting.value.isEmpty ? "-" : setting.value, setting.source) }
        return table.render(width: context.width) + "config file: \(TerminalText.escaped(configFile ?? "none"))\n"
    }
}
