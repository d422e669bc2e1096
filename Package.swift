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
        .library(name: "Postgres", targets: ["Postgres"]),
        .library(name: "InclusionCore", targets: ["InclusionCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
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
            name: "InclusionCLITests",
            dependencies: ["InclusionStore", "Postgres", "InclusionTestSupport"]
        ),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
