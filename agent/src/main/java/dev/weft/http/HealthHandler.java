package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET}/{@code HEAD} on {@code /healthz}, {@code /readyz} and {@code /metrics};
 * 404 for other paths, 405 for other methods, 400 for requests Netty could not decode. Probe
 * bodies are one line of plain text saying why; {@code /metrics} is the Prometheus text format.
 * Stateless and {@link io.netty.channel.ChannelHandler.Sharable}.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class HealthHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);

    private final HealthSource health;
    private final Supplier<String> metrics;

    /**
     * @param health  liveness and readiness answers
     * @param metrics renders the current metrics in Prometheus text format
     */
    public HealthHandler(HealthSource health, Supplier<String> metrics) {
        this.health = Objects.requireNonNull(health, "health");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            send(ctx, req, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n", false);
            return;
        }
        HttpMethod m = req.method();
        if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD)) {
            FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "method not allowed\n", false);
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            write(ctx, req, r);
            return;
        }
        boolean head = m.equals(HttpMethod.HEAD);
        String path = new QueryStringDecoder(req.uri()).path();
        switch (path) {
            case "/healthz" -> probe(ctx, req, health.liveness(), head);
            case "/readyz" -> probe(ctx, req, health.readiness(), head);
            case "/metrics" -> metrics(ctx, req, head);
            default -> send(ctx, req, HttpResponseStatus.NOT_FOUND, TEXT,
                    "not found; try /healthz, /readyz or /metrics\n", head);
        }
    }

    private void probe(ChannelHandlerContext ctx, FullHttpRequest req, HealthCheck check, boolean head) {
        HttpResponseStatus status = check.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        send(ctx, req, status, TEXT, check.detail() + "\n", head);
    }

    private void metrics(ChannelHandlerContext ctx, FullHttpRequest req, boolean head) {
        String body;
        try {
            body = metrics.get();
        } catch (RuntimeException e) {
            LOG.warn("rendering /metrics failed", e);
            send(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, "metrics unavailable: " + e + "\n", head);
            return;
        }
        send(ctx, req, HttpResponseStatus.OK, METRICS_CONTENT_TYPE, body, head);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
                             String contentType, String body, boolean head) {
        write(ctx, req, response(status, contentType, body, head));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        FullHttpResponse r = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        // HEAD reports the length the GET body would have, as RFC 9110 asks.
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r) {
        boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
        if (keepAlive) {
            if (!req.protocolVersion().isKeepAliveDefault()) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(r);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Read timeouts and clients hanging up are routine for a probe endpoint.
        LOG.debug("health connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
