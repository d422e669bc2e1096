import Foundation
import InclusionTestSupport
import Testing

/// `make install`'s script, run into a temporary DESTDIR with the binaries under test, as Debian packaging runs it.
@Suite("make install")
struct InstallTests {
    @Test("installs the binaries, unit, example configuration, completions and man pages under DESTDIR/PREFIX")
    func installsIntoDestdir() throws {
        let cli = try CommandRunner.inclusionctl()
        let bin = cli.executable.deletingLastPathComponent()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let destdir = FileManager.default.temporaryDirectory.appendingPathComponent("install-\(getpid())")
        defer { try? FileManager.default.removeItem(at: destdir) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("scripts/install.sh").path, bin.path]
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "DESTDIR": destdir.path, "PREFIX": "/usr"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        func contents(_ path: String) -> String? {
            FileManager.default.contents(atPath: destdir.path + path).map { String(decoding: $0, as: UTF8.self) }
        }
        for path in ["/usr/bin/inclusionctl", "/usr/bin/inclusiond"] {
            #expect(FileManager.default.isExecutableFile(atPath: destdir.path + path), "\(path)")
        }
        let unit = try #require(contents("/usr/lib/systemd/system/inclusiond.service"))
        #expect(unit.contains("ExecStart=/usr/bin/inclusiond "))
        #expect(contents("/usr/lib/sysusers.d/inclusiond.conf")?.contains("u inclusiond") == true)
        #expect(contents("/usr/share/doc/inclusiond/examples/inclusiond.yaml")?.isEmpty == false)
        #expect(
            contents("/usr/share/doc/inclusiond/examples/outbound.conf")?.contains("INCLUSIOND_OUTBOUND=allowed")
                == true
        )
        for path in [
            "/usr/share/bash-completion/completions/inclusionctl", "/usr/share/zsh/vendor-completions/_inclusionctl",
            "/usr/share/fish/vendor_completions.d/inclusionctl.fish",
        ] {
            let script = contents(path)
            #expect(script?.contains("intervention") == true, "\(path) is missing or empty")
        }
        let pages = try FileManager.default.contentsOfDirectory(atPath: destdir.path + "/usr/share/man/man1")
        #expect(pages.contains("inclusionctl.1"))
        #expect(pages.contains("inclusionctl-intervention-session.1"))
        #expect(pages.count > 40)
        let page = try #require(contents("/usr/share/man/man1/inclusionctl-case-note.1"))
        #expect(page.hasPrefix(".TH \"INCLUSIONCTL-CASE-NOTE\" \"1\""))
        #expect(page.contains(".SH SYNOPSIS"))
    }
}
