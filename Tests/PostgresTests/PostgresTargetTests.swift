import Testing
@testable import Postgres

@Suite struct PostgresTargetTests {
    @Test func passwordNeverShowsInDumps() {
        for text in ["postgresql://wwctl:Sup3rSecret@127.0.0.1:5491/waywise", "host=db user=app password='Sup3rSecret'"] {
            let target = PostgresTarget(urlOrConninfo: text)
            var dumped = ""
            dump(target, to: &dumped)
            #expect(!dumped.contains("Sup3rSecret"))
            #expect(!String(reflecting: target).contains("Sup3rSecret"))
            #expect(dumped.contains(target.masked))
        }
    }

    @Test func urlPasswordIsMasked() {
        let target = PostgresTarget(urlOrConninfo: "postgresql://wwctl:wwctl-local@127.0.0.1:5491/waywise")
        #expect(target.masked == "postgresql://wwctl:***@127.0.0.1:5491/waywise")
        #expect(target.address == "127.0.0.1:5491/waywise")
    }

    @Test func percentEncodedPasswordWithAtAndColonIsMasked() {
        let target = PostgresTarget(urlOrConninfo: "postgres://app:p%40ss%3Aw0rd@db.example:6432/shop?sslmode=require")
        #expect(target.masked == "postgres://app:***@db.example:6432/shop?sslmode=require")
        #expect(target.address == "db.example:6432/shop")
        // Both the encoded and the decoded spelling are taken out of messages.
        #expect(target.redact("failed for p@ss:w0rd and p%40ss%3Aw0rd") == "failed for *** and ***")
    }

    @Test func rawAtAndColonInPasswordAreMaskedWhole() {
        let target = PostgresTarget(urlOrConninfo: "postgresql://u:p@ss:w@rd@h:5432/db")
        #expect(target.masked == "postgresql://u:***@h:5432/db")
        #expect(!target.masked.contains("ss:w"))
        #expect(target.address == "h:5432/db")
    }

    @Test func urlWithoutPasswordIsUnchanged() {
        for url in ["postgresql://u@h/db", "postgresql://h:5432/db", "postgresql://", "postgresql:///db?host=/tmp"] {
            #expect(PostgresTarget(urlOrConninfo: url).masked == url)
        }
        #expect(PostgresTarget(urlOrConninfo: "postgresql:///db?host=/tmp&port=5499").address == "/tmp:5499/db")
    }

    @Test func passwordQueryParametersAreMasked() {
        let target = PostgresTarget(urlOrConninfo: "postgresql://h/db?user=u&password=s%26cr&t&sslpassword=k3y&sslmode=disable")
        #expect(target.masked == "postgresql://h/db?user=u&password=***&sslpassword=***&sslmode=disable")
        #expect(target.redact("s&cr&t") == "***")
    }

    @Test func hostListKeepsItsPorts() {
        let target = PostgresTarget(urlOrConninfo: "postgresql://u:pw@h1:5432,h2:5433/db?target_session_attrs=read-write")
        #expect(target.masked == "postgresql://u:***@h1:5432,h2:5433/db?target_session_attrs=read-write")
        #expect(target.address == "h1:5432,h2:5433/db")
    }

    @Test func ipv6HostKeepsItsBrackets() {
        let target = PostgresTarget(urlOrConninfo: "postgresql://u:pw@[::1]:5432/db")
        #expect(target.masked == "postgresql://u:***@[::1]:5432/db")
        #expect(target.address == "[::1]:5432/db")
    }

    @Test func conninfoPasswordIsMasked() {
        let target = PostgresTarget(urlOrConninfo: "host=127.0.0.1 port=5491 user=wwctl password=wwctl-local dbname=waywise")
        #expect(target.masked == "host=127.0.0.1 port=5491 user=wwctl password=*** dbname=waywise")
        #expect(target.address == "127.0.0.1:5491/waywise")
    }

    @Test func quotedConninfoValuesAreMaskedWhole() {
        let target = PostgresTarget(urlOrConninfo: #"host=h password='it\'s a s3cret' dbname='my db'"#)
        #expect(target.masked == "host=h password=*** dbname='my db'")
        #expect(target.address == "h:5432/my db")
        #expect(target.redact("it's a s3cret") == "***")
        let spaced = PostgresTarget(urlOrConninfo: "password = 'x y z' sslpassword=abc host=h")
        #expect(spaced.masked == "password = *** sslpassword=*** host=h")
    }

    @Test func malformedConninfoIsMaskedFromTheErrorOn() {
        let unterminated = PostgresTarget(urlOrConninfo: "host=h password='abc def")
        #expect(unterminated.masked == "host=h password=***")
        let split = PostgresTarget(urlOrConninfo: "host=h password=se cret port=5")
        #expect(split.masked == "host=h password=*** ***")
        // libpq complains `missing "=" after "cret"`: that piece is taken out too.
        #expect(split.redact(#"missing "=" after "cret" in connection info string"#) == #"missing "=" after "***" in connection info string"#)
    }

    @Test func emptyTargetMeansTheEnvironment() {
        #expect(PostgresTarget(urlOrConninfo: "  ").urlOrConninfo == nil)
        #expect(PostgresTarget(urlOrConninfo: nil).urlOrConninfo == nil)
    }

    @Test func bareDatabaseNameIsShownAsIs() {
        #expect(PostgresTarget(urlOrConninfo: "waywise").masked == "waywise")
    }
}
