// swift-tools-version: 6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "inclusiond",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "inclusionctl", targets: ["inclusionctl"]),
        .executable(name: "inclusiond", targets: ["inclusiond"]),
        .library(name: "Postgres", targets: ["Postgres"]),
        .library(name: "InclusionCore", targets: ["InclusionCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "InclusionCore"),
        .target(
            name: "InclusionStore",
            dependencies: ["Postgres", "InclusionCore", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "InclusionCLI",
            dependencies: [
                "InclusionStore", "InclusionCore", "Postgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "inclusionctl", dependencies: ["InclusionCLI"]),
        .target(
            name: "InclusionDaemon",
            dependencies: [
                "InclusionStore", "InclusionCore", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "inclusiond",
            dependencies: [
                "InclusionDaemon", "InclusionCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Per-suite throwaway databases on the cluster `make test` starts; used by every database test target.
        .target(
            name: "InclusionTestSupport",
            dependencies: ["InclusionStore", "Postgres", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "InclusionTestSupport"]),
        .testTarget(name: "InclusionCoreTests", dependencies: ["InclusionCore"]),
        .testTarget(
            name: "InclusionStoreTests",
            dependencies: ["InclusionStore", "InclusionCore", "Postgres", "InclusionTestSupport"]
        ),
        .testTarget(
            name: "InclusionDaemonTests",
            dependencies: [
                "InclusionDaemon", "InclusionStore", "Postgres", "InclusionTestSupport",
                .product(name: "Logging", package: "swift-log"),
                // The webhook tests' loopback receiver and their independent signature check.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "InclusionCLITests",
            dependencies: ["InclusionStore", "Postgres", "InclusionTestSupport"]
        ),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
