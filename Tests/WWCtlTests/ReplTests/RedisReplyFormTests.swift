import Redis
import Support
import Testing
@testable import WWCtl

@Suite struct RedisReplyFormTests {
    @Test func reportsAreTheCommandsRedisCliPrintsRaw() {
        for words in [["INFO"], ["info", "server"], ["CLIENT", "LIST"], ["client", "info"], ["LATENCY", "DOCTOR"],
                      ["MEMORY", "DOCTOR"], ["memory", "malloc-stats"], ["CLUSTER", "NODES"], ["LOLWUT"]] {
            #expect(RedisReplyForm.printsReport(words), "\(words)")
        }
        for words in [["GET", "info"], ["CLIENT", "GETNAME"], ["MEMORY", "USAGE", "k"], ["CLUSTER", "NODES", "x"], []] {
            #expect(!RedisReplyForm.printsReport(words), "\(words)")
        }
    }

    @Test func aReportPrintsAsItsLines() {
        let info = Array("# Server\r\nredis_version:7.0.15\r\n\r\n# Clients\r\nconnected_clients:1\r\n".utf8)
        #expect(RedisReplyForm.lines.render(.bulk(info)) == "# Server\nredis_version:7.0.15\n\n# Clients\nconnected_clients:1\n")
        // Control characters a client put in its name do not reach the terminal.
        #expect(RedisReplyForm.lines.render(.bulk(Array("name=\u{1B}]0;x\u{07}\n".utf8))) == "name=\\x1b]0;x\\x07\n")
        // Anything but a bulk string prints as redis-cli prints it.
        #expect(RedisReplyForm.lines.render(.error("ERR x")) == "(error) ERR x\n")
        #expect(RedisReplyForm.quoted.render(.bulk(info)).hasPrefix("\"# Server\\r\\nredis_version"))
    }

    @Test func jsonKeepsTheStringWhole() {
        let reply = RedisReply.array([.bulk(Array("a\r\nb".utf8)), .integer(3), .null, .status("OK"), .bulk([0xFF])])
        #expect(RedisReplyForm.json(compact: true).render(reply) == #"["a\r\nb",3,null,"OK","\"\\xff\""]"# + "\n")
        #expect(RedisReplyForm.json(compact: true).render(.error("ERR x")) == #"{"error":"ERR x"}"# + "\n")
    }
}
