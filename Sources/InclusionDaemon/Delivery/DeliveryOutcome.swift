/// What one delivery attempt through a transport came to; the delivery service decides what to do next.
///
/// Every `reason` is short text that is safe for the journal and the database (an HTTP status, "timeout", an exit
/// status): never a response body, a receiver's message, sendmail's output or an address.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The receiver took it (HTTP 2xx; sendmail exit 0).
    case delivered
    /// Worth trying again later; `after` is the receiver's own wish (`Retry-After`, capped at 24 h), if it gave one.
    case retry(after: Duration?, reason: String)
    /// The receiver says the endpoint no longer exists (HTTP 410): stop sending to it until an admin re-enables it.
    case gone(reason: String)
    /// Refused for a reason that this same attempt cannot get past (a 4xx other than 408/410/429, a sendmail usage
    /// or address error, a message that could not be built).
    case failed(reason: String)
}
