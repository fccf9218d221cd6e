// swift-tools-version: 6.2
//
// wwctl: the operations tool for the WayWise marketplace backend.
// Layers (each imports only those below it; see docs/ARCHITECTURE.md):
//
//   wwctl (main) → WWCtl (commands, output, REPL)
//     → Marketplace (domain services) → CacheOps (warm, invalidate, metrics, lint)
//       → Keyspace (pure registry) · Schema (migrations, seed)
//         → Redis · Postgres · LineEditor (safe wrappers; the only modules that touch C)
//           → CHiredis · COpenSSL · CLibpq · CLibedit (system libraries)
//   Support (errors, exact decimals, JSON) sits under everything.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "wwctl",
    products: [
        .executable(name: "wwctl", targets: ["wwctl"]),
    ],
    dependencies: [
        // Exactly this version: the REPL and the usage errors read the command tree through
        // `_dumpHelp()` and complete through the `---completion` protocol, which are not public
        // API and may change in any release (see Sources/WWCtl/CommandCatalog.swift).
        // ArgumentParserContractTests says what broke when a new version is tried.
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // C libraries
        .systemLibrary(
            name: "CHiredis", pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]),
        // No pkgConfig: `pkg-config --libs libpq` is `-lpq`, which SwiftPM would pass to
        // the linker and so make every process load libpq (see Sources/CLibpq/shim.h).
        .systemLibrary(
            name: "CLibpq",
            providers: [.apt(["libpq-dev"])]),
        // No pkgConfig either (`-ledit`): libedit is loaded with dlopen by the REPL only
        // (see Sources/CLibedit/module.modulemap).
        .systemLibrary(
            name: "CLibedit",
            providers: [.apt(["libedit-dev"])]),
        // No pkgConfig either (`-lssl -lcrypto`): the Redis module loads OpenSSL with dlopen
        // when it opens its first TLS connection (see Sources/COpenSSL/module.modulemap).
        .systemLibrary(
            name: "COpenSSL",
            providers: [.apt(["libssl-dev"])]),

        // Shared vocabulary
        .target(name: "Support", swiftSettings: swiftSettings),

        // The key-family registry: pure, no I/O
        .target(name: "Keyspace", dependencies: ["Support"], swiftSettings: swiftSettings),

        // Safe wrappers over the C libraries
        .target(name: "Redis", dependencies: ["CHiredis", "COpenSSL", "Support"], swiftSettings: swiftSettings),
        .target(name: "Postgres", dependencies: ["CLibpq", "Support"], swiftSettings: swiftSettings),
        .target(name: "LineEditor", dependencies: ["CLibedit", "Support"], swiftSettings: swiftSettings),

        // Cache operations: invalidation, warming, metrics, lint
        .target(name: "CacheOps", dependencies: ["Redis", "Postgres", "Keyspace", "Support"], swiftSettings: swiftSettings),

        // Domain services: orgs, permissions, products, payouts, sessions, tokens, rate limits
        .target(name: "Marketplace", dependencies: ["CacheOps", "Keyspace", "Postgres", "Redis", "Support"], swiftSettings: swiftSettings),

        // Migrations (carried in the binary) and the seed generator
        .target(name: "Schema", dependencies: ["Postgres", "Support"], swiftSettings: swiftSettings),

        // Command line
        .target(
            name: "WWCtl",
            dependencies: [
                "Support", "Redis", "Postgres", "LineEditor", "Schema", "Keyspace", "CacheOps", "Marketplace",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(name: "wwctl", dependencies: ["WWCtl"], swiftSettings: swiftSettings),

        // Tests
        .target(name: "TestSupport", dependencies: ["Postgres", "Support"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "SupportTests", dependencies: ["Support"], swiftSettings: swiftSettings),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "Support", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "RedisTests", dependencies: ["Redis", "CHiredis", "Support", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "LineEditorTests", dependencies: ["LineEditor"], swiftSettings: swiftSettings),
        .testTarget(name: "KeyspaceTests", dependencies: ["Keyspace", "Redis", "Support", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CacheOpsTests", dependencies: ["CacheOps", "Keyspace", "Redis", "Postgres", "Schema", "Support", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "MarketplaceTests", dependencies: ["Marketplace", "CacheOps", "Keyspace", "Schema", "Postgres", "Redis", "Support", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SchemaTests", dependencies: ["Schema", "Postgres", "Support", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "WWCtlTests", dependencies: ["WWCtl", "CacheOps", "Marketplace", "Redis", "Support", "TestSupport"], swiftSettings: swiftSettings),
    ]
)
