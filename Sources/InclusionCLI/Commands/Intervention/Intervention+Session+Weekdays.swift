import ArgumentParser
import InclusionCore

extension Inclusionctl.Intervention.Session {
    /// The weekdays of `--weekdays mon,wed,fri`: three-letter English names, comma-separated, any case.
    struct Weekdays: ExpressibleByArgument {
        static let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        /// Monday to Friday.
        static let schoolWeek = Weekdays(isoDays: Set(1...5))

        /// ISO weekdays: 1 is Monday … 7 is Sunday.
        let isoDays: Set<Int>

        init(isoDays: Set<Int>) { self.isoDays = isoDays }

        init?(argument: String) {
            var days: Set<Int> = []
            for name in argument.split(separator: ",", omittingEmptySubsequences: false) {
                let name = name.filter { !$0.isWhitespace }.lowercased()
                guard let index = Self.names.firstIndex(of: name) else { return nil }
                days.insert(index + 1)
            }
            self.init(isoDays: days)
        }

        static var allValueStrings: [String] { names }
        static var defaultCompletionKind: CompletionKind { .list(names) }

        func contains(_ day: Day) -> Bool { isoDays.contains(day.weekday) }
    }
}
