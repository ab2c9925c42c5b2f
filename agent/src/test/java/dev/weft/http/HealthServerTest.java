package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.weft.metrics.WeftMetrics;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

/** One real server on 127.0.0.1 with an ephemeral port, spoken to over a real socket. */
class HealthServerTest {
    static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void servesProbesAndMetricsOverEpollOnLoopback() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        HealthSource source = new HealthSource() {
            @Override
            public HealthCheck liveness() {
                return new HealthCheck(true, "ok");
            }

            @Override
            public HealthCheck readiness() {
                return ready.get() ? new HealthCheck(true, "ready") : new HealthCheck(false, "not ready: lease: none yet");
            }
        };
        try (WeftMetrics metrics = new WeftMetrics();
             HealthServer server = HealthServer.start(LOOPBACK_ANY_PORT, new HealthHandler(source, metrics::scrape))) {
            assertThat(server.transport()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
            assertThat(server.localAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(server.localAddress().getPort()).isPositive();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + server.localAddress().getPort();
            assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(http, base + "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("lease: none yet");
            ready.set(true);
            assertThat(get(http, base + "/readyz").statusCode()).isEqualTo(200);
            HttpResponse<String> m = get(http, base + "/metrics");
            assertThat(m.statusCode()).isEqualTo(200);
            assertThat(m.body()).contains("weft_peers_desired", "jvm_memory_used_bytes");
            assertThat(get(http, base + "/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        HealthHandler h = new HealthHandler(new HealthSource() {
            @Override
            public HealthCheck liveness() {
                return new HealthCheck(true, "ok");
            }

            @Override
            public HealthCheck readiness() {
                return new HealthCheck(true, "ok");
            }
        }, () -> "");
        try (HealthServer first = HealthServer.start(LOOPBACK_ANY_PORT, h)) {
            InetSocketAddress taken = first.localAddress();
            assertThatThrownBy(() -> HealthServer.start(taken, h).close())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot serve health/metrics on 127.0.0.1:" + taken.getPort());
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
