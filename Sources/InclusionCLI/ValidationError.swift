import InclusionCore

/// In this module "ValidationError" is the domain's (invalid data, exit 65). ArgumentParser's own (bad usage, exit
/// 64) is spelled `ArgumentParser.ValidationError`.
typealias ValidationError = InclusionCore.ValidationError
