import ArgumentParser
import Foundation
import InclusionStore
import Postgres

func sleepBriefly() throws {
    usleep(100_000)
}
