package dev.weft.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import dev.weft.logging.LogFormat;
import dev.weft.logging.LogLevel;
import dev.weft.logging.Logging;
import dev.weft.metrics.WeftMetrics;
import dev.weft.reconcile.PassResult;
import dev.weft.reconcile.Readiness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Loop + health + metrics started together, with a pass whose readiness the test controls. */
class AgentRuntimeTest {
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @AfterEach
    void restoreLogging() {
        Logging.configure(LogFormat.TEXT, LogLevel.INFO);
    }

    static void await(BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("waiting for " + what).isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    @Test
    void readinessFollowsThePublishedStateWithOneLogLinePerChange() throws Exception {
        Logging.configure(LogFormat.TEXT, LogLevel.INFO, log);
        AtomicReference<Readiness> next = new AtomicReference<>(new Readiness(Readiness.Part.waiting("API unreachable"),
                Readiness.Part.waiting("after the lease"), Readiness.Part.waiting("after the device")));
        try (WeftMetrics metrics = new WeftMetrics();
             AgentRuntime<Readiness> rt = AgentRuntime.start(ctx -> PassResult.done(next.get()), r -> r,
                     Duration.ofHours(1), Optional.empty(), metrics)) {
            assertThat(rt.healthzBound()).isEmpty();
            await(() -> rt.loop().status().passes() >= 1, "first pass");
            assertThat(rt.health().readiness().ok()).isFalse();
            assertThat(rt.health().readiness().detail()).contains("lease: API unreachable");
            assertThat(rt.health().liveness().ok()).isTrue();
            rt.trigger("again");
            await(() -> rt.loop().status().passes() >= 2, "second pass, same state");
            next.set(new Readiness(Readiness.Part.ok("10.42.3.0/24"), Readiness.Part.ok("flannel.1"),
                    Readiness.Part.ok("/run/flannel/subnet.env")));
            rt.trigger("lease");
            await(() -> rt.health().readiness().ok(), "ready");
            await(() -> metrics.scrape().contains("weft_ready 1.0"), "ready metric");
            assertThat(metrics.scrape()).contains("weft_reconcile_duration_seconds_count{result=\"ok\"}");
        }
        String lines = log.toString(StandardCharsets.UTF_8);
        assertThat(lines.lines().filter(l -> l.contains("node not ready"))).hasSize(1);
        assertThat(lines.lines().filter(l -> l.contains("node ready: lease 10.42.3.0/24"))).hasSize(1);
    }

    @Test
    void healthzAddressFollowsTheConfig() {
        AgentConfig on = new AgentConfig("n", dev.weft.iface.InterfaceSpec.defaults(), java.nio.file.Path.of("/s"),
                java.nio.file.Path.of("/n"), false, java.net.InetAddress.ofLiteral("127.0.0.1"), 9471, "p", Optional.empty(),
                Optional.empty(), Duration.ofSeconds(60), false, "kube-system", LogFormat.TEXT, LogLevel.INFO);
        assertThat(AgentRuntime.healthzAddress(on)).hasValueSatisfying(a -> assertThat(a.getPort()).isEqualTo(9471));
        AgentConfig off = new AgentConfig("n", on.interfaces(), on.subnetFile(), on.netConfPath(), false, on.healthzIp(), 0, "p",
                Optional.empty(), Optional.empty(), on.resyncPeriod(), false, "kube-system", LogFormat.TEXT, LogLevel.INFO);
        assertThat(AgentRuntime.healthzAddress(off)).isEmpty();
    }

    @Test
    void aBindFailureStopsTheLoopAgain() throws Exception {
        try (WeftMetrics metrics = new WeftMetrics();
             java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.net.InetSocketAddress addr = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), taken.getLocalPort());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentRuntime.start(ctx -> PassResult.done(Readiness.starting()),
                    r -> r, Duration.ofHours(1), Optional.of(addr), metrics)).isInstanceOf(java.io.IOException.class);
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("weft-reconcile") && t.isAlive());
        }
    }
}
