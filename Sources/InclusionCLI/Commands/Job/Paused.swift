import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

struct Paused: Encodable {
    let version = 1
    let job: String
    let paused: Bool
}
