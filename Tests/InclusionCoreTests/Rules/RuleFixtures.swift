import InclusionCore

/// A day from its ISO form, for fixtures.
func d(_ iso: String) -> Day { try! Day(iso: iso) }

/// A school year of three terms with a half-term closure in the autumn (2025/26).
let calendar2025 = SchoolCalendar(
    terms: [
        TermDates(name: "Autumn", first: d("2025-09-03"), last: d("2025-12-19")),
        TermDates(name: "Spring", first: d("2026-01-05"), last: d("2026-03-27")),
        TermDates(name: "Summer", first: d("2026-04-13"), last: d("2026-07-22")),
    ],
    closures: [d("2025-10-27")...d("2025-10-31"), d("2026-05-04")...d("2026-05-04")]
)

func pupil(_ id: Int64 = 1, born: String = "2014-05-01", sen: SENStatus = .ehcPlan, since: String? = nil) -> PupilFacts
{
    PupilFacts(id: id, dateOfBirth: d(born), senStatus: sen, senStatusSince: since.map(d))
}

func ehcp(issued: String, lastReviewed: String? = nil, born: String = "2014-05-01") -> PlanFacts {
    var plan = PlanFacts(
        id: 7,
        pupil: pupil(born: born),
        kind: .ehcp,
        starts: d(issued),
        nextReviewDue: d(issued).adding(months: 12).adding(days: -1)
    )
    plan.issuedOn = d(issued)
    plan.lastReviewed = lastReviewed.map(d)
    return plan
}
