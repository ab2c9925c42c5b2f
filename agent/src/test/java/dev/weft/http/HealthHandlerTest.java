package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler without sockets: requests in, responses out of an {@link EmbeddedChannel}. */
class HealthHandlerTest {
    final AtomicReference<HealthCheck> live = new AtomicReference<>(new HealthCheck(true, "ok: loop alive"));
    final AtomicReference<HealthCheck> ready = new AtomicReference<>(new HealthCheck(false, "not ready: lease: API unreachable"));
    final AtomicReference<String> metrics = new AtomicReference<>("weft_ready 0.0\n");
    final HealthSource source = new HealthSource() {
        @Override
        public HealthCheck liveness() {
            return live.get();
        }

        @Override
        public HealthCheck readiness() {
            return ready.get();
        }
    };
    final EmbeddedChannel ch = new EmbeddedChannel(new HealthHandler(source, () -> {
        String m = metrics.get();
        if (m == null) {
            throw new IllegalStateException("registry closed");
        }
        return m;
    }));

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    FullHttpResponse request(HttpMethod method, String uri) {
        assertThat(ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri))).isFalse();
        FullHttpResponse r = ch.readOutbound();
        assertThat(r).as("a response to %s %s", method, uri).isNotNull();
        return r;
    }

    static String body(FullHttpResponse r) {
        try {
            return r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Test
    void healthzIs200WhileAliveAnd503Otherwise() {
        FullHttpResponse ok = request(HttpMethod.GET, "/healthz");
        assertThat(ok.status().code()).isEqualTo(200);
        assertThat(ok.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/plain");
        assertThat(body(ok)).isEqualTo("ok: loop alive\n");
        live.set(new HealthCheck(false, "loop weft-reconcile has not reported within 30000ms"));
        FullHttpResponse bad = request(HttpMethod.GET, "/healthz");
        assertThat(bad.status().code()).isEqualTo(503);
        assertThat(body(bad)).contains("has not reported");
    }

    @Test
    void readyzIs503WithTheReasonUntilReady() {
        FullHttpResponse not = request(HttpMethod.GET, "/readyz");
        assertThat(not.status().code()).isEqualTo(503);
        assertThat(body(not)).isEqualTo("not ready: lease: API unreachable\n");
        ready.set(new HealthCheck(true, "ready: lease 10.42.3.0/24"));
        FullHttpResponse ok = request(HttpMethod.GET, "/readyz?verbose=1");
        assertThat(ok.status().code()).isEqualTo(200);
        assertThat(body(ok)).startsWith("ready:");
    }

    @Test
    void metricsArePrometheusText() {
        FullHttpResponse r = request(HttpMethod.GET, "/metrics");
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo(HealthHandler.METRICS_CONTENT_TYPE);
        assertThat(body(r)).isEqualTo("weft_ready 0.0\n");
    }

    @Test
    void metricsFailureIs500NotACrash() {
        metrics.set(null);
        FullHttpResponse r = request(HttpMethod.GET, "/metrics");
        assertThat(r.status().code()).isEqualTo(500);
        assertThat(body(r)).contains("registry closed");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void unknownPathIs404() {
        FullHttpResponse r = request(HttpMethod.GET, "/");
        assertThat(r.status().code()).isEqualTo(404);
        assertThat(body(r)).contains("/healthz");
        assertThat(request(HttpMethod.GET, "/healthz/extra").status().code()).isEqualTo(404);
    }

    @Test
    void otherMethodsAre405WithAllow() {
        FullHttpResponse r = request(HttpMethod.POST, "/healthz");
        assertThat(r.status().code()).isEqualTo(405);
        assertThat(r.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
        r.release();
    }

    @Test
    void headHasLengthButNoBody() {
        FullHttpResponse r = request(HttpMethod.HEAD, "/readyz");
        assertThat(r.status().code()).isEqualTo(503);
        assertThat(r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("not ready: lease: API unreachable\n".length());
        assertThat(body(r)).isEmpty();
    }

    @Test
    void keepAliveIsHonouredAndHttp10ClosesTheConnection() {
        FullHttpResponse r = request(HttpMethod.GET, "/healthz");
        assertThat(ch.isOpen()).isTrue();
        r.release();
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/healthz"));
        FullHttpResponse closing = ch.readOutbound();
        assertThat(closing.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        closing.release();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void fullPipelineAnswersRawHttpAndRejectsGarbage() {
        EmbeddedChannel full = new EmbeddedChannel(new HealthServerInitializer(new HealthHandler(source, metrics::get)));
        try {
            full.writeInbound(Unpooled.copiedBuffer("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
            String raw = drain(full);
            assertThat(raw).startsWith("HTTP/1.1 200 OK").contains("ok: loop alive");
            full.writeInbound(Unpooled.copiedBuffer("GET /" + "a".repeat(HealthServerInitializer.MAX_INITIAL_LINE + 10)
                    + " HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
            assertThat(drain(full)).startsWith("HTTP/1.1 400");
        } finally {
            full.finishAndReleaseAll();
        }
    }

    private static String drain(EmbeddedChannel ch) {
        StringBuilder s = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            s.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return s.toString();
    }
}
