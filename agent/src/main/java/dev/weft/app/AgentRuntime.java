package dev.weft.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.weft.http.AgentHealth;
import dev.weft.http.HealthHandler;
import dev.weft.http.HealthServer;
import dev.weft.http.HealthSource;
import dev.weft.logging.StateChangeLog;
import dev.weft.metrics.WeftMetrics;
import dev.weft.reconcile.Backoff;
import dev.weft.reconcile.PassObserver;
import dev.weft.reconcile.Readiness;
import dev.weft.reconcile.ReconcileLoop;
import dev.weft.reconcile.ReconcilePass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's moving parts that do not depend on the data plane, started together: the
 * single-writer reconcile loop (thread {@code weft-reconcile}), the health/metrics server reading
 * its snapshots, the reconcile metrics, and one log line per readiness change. The wiring
 * supplies the pass and how to read {@link Readiness} from the state it publishes, then calls
 * {@link #trigger} from informer and netlink-monitor callbacks.
 *
 * @param <S> the state the pass publishes
 */
public final class AgentRuntime<S> implements AutoCloseable {
    /** A pass that has not finished within this long makes {@code /healthz} fail. */
    public static final Duration LIVENESS_BOUND = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);

    private final ReconcileLoop<S> loop;
    private final HealthSource health;
    private final Optional<HealthServer> server;

    private AgentRuntime(ReconcileLoop<S> loop, HealthSource health, Optional<HealthServer> server) {
        this.loop = loop;
        this.health = health;
        this.server = server;
    }

    /**
     * Starts the loop, then the health server when {@code healthz} is present.
     *
     * @param pass        the reconcile pass
     * @param readinessOf reads readiness from a published state
     * @param resync      the full-resync period
     * @param healthz     where to serve /healthz /readyz /metrics; empty for no server
     * @param metrics     where reconcile durations and readiness go, and what /metrics renders
     * @throws IOException when the health server cannot bind; the loop is stopped again
     */
    public static <S> AgentRuntime<S> start(ReconcilePass<S> pass, Function<S, Readiness> readinessOf, Duration resync,
                                            Optional<InetSocketAddress> healthz, WeftMetrics metrics) throws IOException {
        Objects.requireNonNull(readinessOf, "readinessOf");
        StateChangeLog<String> readyLog = new StateChangeLog<>(LOG, line -> "node " + line);
        // The observer runs on the loop thread after the loop has published the pass's state.
        AtomicReference<ReconcileLoop<S>> self = new AtomicReference<>();
        PassObserver reportReadiness = report -> {
            Readiness r = readiness(self.get(), readinessOf);
            metrics.ready(r.ready());
            readyLog.update(r.summary());
        };
        PassObserver metricsObserver = metrics.reconcileObserver();
        ReconcileLoop<S> loop = new ReconcileLoop<>("weft-reconcile", pass, resync, Duration.ofSeconds(1), Backoff.DEFAULT,
                report -> {
                    metricsObserver.passFinished(report);
                    reportReadiness.passFinished(report);
                });
        self.set(loop);
        HealthSource health = new AgentHealth(loop, LIVENESS_BOUND, () -> readiness(loop, readinessOf));
        loop.start();
        try {
            Optional<HealthServer> server = healthz.isPresent()
                    ? Optional.of(HealthServer.start(healthz.get(), new HealthHandler(health, metrics::scrape)))
                    : Optional.empty();
            return new AgentRuntime<>(loop, health, server);
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    /** The health server's bind address from the config; empty when {@code --healthz-port 0}. */
    public static Optional<InetSocketAddress> healthzAddress(AgentConfig config) {
        return config.healthzEnabled()
                ? Optional.of(new InetSocketAddress(config.healthzIp(), config.healthzPort()))
                : Optional.empty();
    }

    /** Asks for a pass; for informer, netlink monitor and timer callbacks. */
    public void trigger(String reason) {
        loop.trigger(reason);
    }

    /** The loop, for its status snapshot. */
    public ReconcileLoop<S> loop() {
        return loop;
    }

    /** What /healthz and /readyz answer. */
    public HealthSource health() {
        return health;
    }

    /** The health server's actual address, when it runs. */
    public Optional<InetSocketAddress> healthzBound() {
        return server.map(HealthServer::localAddress);
    }

    /** Stops the loop (bounded, 5 s) and the server; leaves the data plane as it is. */
    @Override
    public void close() {
        loop.close();
        server.ifPresent(HealthServer::close);
    }

    private static <S> Readiness readiness(ReconcileLoop<S> loop, Function<S, Readiness> readinessOf) {
        return loop.status().state().map(readinessOf).orElse(Readiness.starting());
    }
}
