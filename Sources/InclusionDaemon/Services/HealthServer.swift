import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// `/healthz` and Prometheus `/metrics` on a loopback address.
struct HealthServer: Service, CustomStringConvertible {
    let host: String
    let port: Int
    let state: DaemonState
    let metrics: DaemonMetrics
    let logger: Logger
    var description: String { "health-server" }

    func run() async throws {
        let state = self.state
        let metrics = self.metrics
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                // On the channel's event loop, so the handler need not be Sendable.
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(HealthHandler(state: state, metrics: metrics))
                }
            }
            .bind(host: host, port: port)
            .get()
        logger.info("health and metrics listening", metadata: ["http.address": "\(host):\(port)"])
        try? await gracefulShutdown()
        try await channel.close()
    }
}

final class HealthHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let state: DaemonState
    let metrics: DaemonMetrics
    var path = ""

    init(state: DaemonState, metrics: DaemonMetrics) {
        self.state = state
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = head.uri
        case .body:
            break
        case .end:
            let (status, body, type): (HTTPResponseStatus, String, String)
            switch path.split(separator: "?").first.map(String.init) ?? "" {
            case "/healthz":
                let healthy = state.schedulerIsLooping(within: .seconds(10))
                (status, body, type) =
                    healthy ? (.ok, "ok\n", "text/plain") : (.serviceUnavailable, "scheduler stalled\n", "text/plain")
            case "/metrics":
                (status, body, type) = (.ok, metrics.render(), "text/plain; version=0.0.4")
            default:
                (status, body, type) = (.notFound, "not found\n", "text/plain")
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: type)
            headers.add(name: "Content-Length", value: "\(body.utf8.count)")
            headers.add(name: "Connection", value: "close")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil
            )
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}
