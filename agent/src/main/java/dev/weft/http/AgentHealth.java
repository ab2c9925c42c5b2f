package dev.weft.http;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import dev.weft.reconcile.Readiness;
import dev.weft.reconcile.ReconcileLoop;

/**
 * The agent's {@link HealthSource}: alive while the reconcile loop's heartbeat is younger than
 * {@code livenessBound} (a hung pass stops the heartbeat, so the kubelet restarts the agent);
 * ready per the {@link Readiness} the last pass published.
 */
public final class AgentHealth implements HealthSource {
    private final ReconcileLoop<?> loop;
    private final Duration livenessBound;
    private final Supplier<Readiness> readiness;

    public AgentHealth(ReconcileLoop<?> loop, Duration livenessBound, Supplier<Readiness> readiness) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.livenessBound = Objects.requireNonNull(livenessBound, "livenessBound");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
    }

    @Override
    public HealthCheck liveness() {
        if (loop.alive(livenessBound)) {
            return new HealthCheck(true, "ok: loop " + loop.name() + " alive, " + loop.status().passes() + " passes");
        }
        if (!loop.status().running()) {
            return new HealthCheck(false, "loop " + loop.name() + " has stopped");
        }
        return new HealthCheck(false, "loop " + loop.name() + " has not reported within " + livenessBound.toMillis() + "ms"
                + " (a reconcile pass is stuck)");
    }

    @Override
    public HealthCheck readiness() {
        Readiness r = readiness.get();
        return new HealthCheck(r.ready(), r.summary());
    }
}
