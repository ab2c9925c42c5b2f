package dev.weft.http;

/** Where the health server gets its answers; implementations read immutable snapshots and never block. */
public interface HealthSource {
    /** {@code /healthz}: the process is doing its job (the reconcile loop is alive). */
    HealthCheck liveness();

    /** {@code /readyz}: the node's data plane is usable (lease, device, subnet.env). */
    HealthCheck readiness();
}
