import CLibPQ
import Foundation

/// Checks a connection string before connecting, so that a mistyped `--database` or `DATABASE_URL` is a
/// configuration error (exit 78) naming what is wrong, not "cannot reach PostgreSQL" (exit 69), which sends the
/// user looking at a server that is fine.
///
/// libpq's `PQconninfoParse` reads the string exactly as a connection would (key=value pairs or a `postgresql://`
/// URI) without connecting. It does not check values, which libpq checks only when it connects, so the numeric
/// options and `sslmode` are checked here. libpq's own message is kept for debug output only: it can quote the
/// string, password and all.
///
/// Uses libpq directly (the Postgres module has no wrapper for `PQconninfoParse`); it belongs there if a second
/// caller appears.
enum ConnectionString {
    /// Options whose value libpq reads as a whole number (`port` as a comma-separated list, one per host).
    static let numericOptions: Set<String> = [
        "port", "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
        "tcp_user_timeout",
    ]
    static let sslModes: Set<String> = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// Refuses a connection string libpq could not use. An empty string (libpq's defaults) passes.
    ///
    /// - Parameter source: where the string came from, named in the error: `database` (the flag) or `DATABASE_URL`.
    static func check(_ conninfo: String, source: String) throws(CLIFailure) {
        guard !conninfo.isEmpty else { return }
        let fix = "write key=value pairs (host=/run/postgresql dbname=inclusion) or a postgresql:// URI"
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            var failure = CLIFailure(
                exit: .configuration,
                field: source,
                message: "is not a libpq connection string (a word without =, an unclosed quote or a malformed "
                    + "URI); \(fix)"
            )
            if let errorMessage {
                failure.debugDetail = String(cString: errorMessage)
                PQfreemem(errorMessage)
            }
            throw failure
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keywordPointer = option.pointee.keyword {
            defer { option += 1 }
            guard let valuePointer = option.pointee.val else { continue }
            let keyword = String(cString: keywordPointer)
            let value = String(cString: valuePointer)
            if numericOptions.contains(keyword), !isNumberList(value, allowsList: keyword == "port") {
                throw CLIFailure(
                    exit: .configuration,
                    field: source,
                    message: keyword == "port"
                        ? "port must be a number (1 to 65535), or one per host separated by commas"
                        : "\(keyword) must be a whole number"
                )
            }
            if keyword == "sslmode", !sslModes.contains(value) {
                throw CLIFailure(
                    exit: .configuration,
                    field: source,
                    message: "sslmode must be one of " + sslModes.sorted().joined(separator: ", ")
                )
            }
        }
    }

    /// A whole number, or for `port` one per host (1 to 65535) separated by commas; an empty entry takes libpq's
    /// default.
    private static func isNumberList(_ text: String, allowsList: Bool) -> Bool {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard allowsList else {
            return entries.count == 1 && Int(entries[0]) != nil
        }
        return entries.allSatisfy { entry in
            entry.isEmpty
                || (entry.allSatisfy { $0.isASCII && $0.isNumber }
                    && Int(entry).map { (1...65535).contains($0) } == true)
        }
    }
}
