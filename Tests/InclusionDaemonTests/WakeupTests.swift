import InclusionDaemon
import Testing

@Suite("Wake-up signals")
struct WakeupTests {
    @Test func aWaitWithoutASignalLastsItsTimeoutEveryTime() async {
        let wakeup = Wakeup()
        for _ in 0..<3 {
            let started = ContinuousClock.now
            #expect(await wakeup.wait(upTo: .milliseconds(200)) == false)
            #expect(ContinuousClock.now - started >= .milliseconds(190))
        }
    }

    @Test func aSignalWakesAWaiterAndASignalBeforeTheWaitIsKept() async {
        let wakeup = Wakeup()
        wakeup.signal()
        #expect(await wakeup.wait(upTo: .seconds(5)) == true)
        // A timeout far longer than any test: true can only come from the signal.
        async let woken = wakeup.wait(upTo: .seconds(600))
        try? await Task.sleep(for: .milliseconds(100))
        wakeup.signal()
        #expect(await woken == true)
        // Signals coalesce: two before a wait wake it once.
        wakeup.signal()
        wakeup.signal()
        #expect(await wakeup.wait(upTo: .milliseconds(100)) == true)
        #expect(await wakeup.wait(upTo: .milliseconds(100)) == false)
    }
}
