import ArgumentParser
import CacheOps
import Support

/// `metrics --watch`: a line per interval, until Ctrl-C or `--count`.
extension MetricsCommand {
    func runWatch(_ context: CommandContext, interval: Double) throws {
        let redis = try context.redis()
        let output = context.output
        let machine = output.isMachineReadable
        var linesSinceHeader = 0
        if !machine { StandardStreams.writeOut(WatchLine.header(style: output.style) + "\n") }
        let end = try MetricsWatcher.watch(redis, interval: interval, count: count) { delta, _ in
            if machine {
                StandardStreams.writeOut(try JSONValueEncoder().encode(WatchLine(delta)).compactText + "\n")
                return
            }
            // Like redis-cli --stat: the header again every 20 lines on a terminal.
            if linesSinceHeader == 20, output.terminal.stdoutIsTTY {
                StandardStreams.writeOut(WatchLine.header(style: output.style) + "\n")
                linesSinceHeader = 0
            }
            StandardStreams.writeOut(WatchLine(delta).text + "\n")
            linesSinceHeader += 1
        }
        if end == .interrupted { throw ExitCode(ErrorCategory.interrupted.exitCode) }
    }
}
