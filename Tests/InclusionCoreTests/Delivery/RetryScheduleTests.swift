import InclusionCore
import Testing

@Suite("Retry schedule")
struct RetryScheduleTests {
    @Test(arguments: [(1, 5), (2, 300), (3, 1800), (4, 7200), (5, 18_000), (6, 36_000), (7, 36_000)])
    func theStandardScheduleWithoutJitter(failed: Int, seconds: Int64) {
        // jitter 0.5 is the middle of 80%-120%: the schedule's own wait.
        #expect(RetrySchedule.standard.delay(afterFailedAttempts: failed, jitter: 0.5) == .seconds(seconds))
    }

    @Test func theScheduleIsUsedUpAfterItsLastWait() {
        #expect(RetrySchedule.standard.attempts == 8)
        #expect(RetrySchedule.standard.delay(afterFailedAttempts: 8, jitter: 0.5) == nil)
        #expect(RetrySchedule.standard.delay(afterFailedAttempts: 0, jitter: 0.5) == nil)
        #expect(RetrySchedule(delays: []).delay(afterFailedAttempts: 1, jitter: 0.5) == nil)
    }

    @Test func jitterSpreadsEachWaitOverEightyToOneHundredAndTwentyPercent() {
        let schedule = RetrySchedule(delays: [.seconds(100)])
        #expect(schedule.delay(afterFailedAttempts: 1, jitter: 0) == .seconds(80))
        #expect(schedule.delay(afterFailedAttempts: 1, jitter: 1) == .seconds(120))
        #expect(schedule.delay(afterFailedAttempts: 1, jitter: 7) == .seconds(120))
    }

    @Test func aLongerRetryAfterWinsUpToADay() {
        let schedule = RetrySchedule(delays: [.seconds(5)])
        #expect(schedule.delay(afterFailedAttempts: 1, retryAfter: .seconds(60), jitter: 0.5) == .seconds(60))
        #expect(schedule.delay(afterFailedAttempts: 1, retryAfter: .seconds(1), jitter: 0.5) == .seconds(5))
        #expect(
            schedule.delay(afterFailedAttempts: 1, retryAfter: .seconds(10 * 86_400), jitter: 0.5) == .seconds(86_400)
        )
    }
}
