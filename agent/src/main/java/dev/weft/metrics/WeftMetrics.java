package dev.weft.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import dev.weft.reconcile.PassObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * weft's meters, all named {@code weft_*} in Prometheus, plus Micrometer's standard JVM binders
 * (memory, threads, GC, class loading, uptime, CPU) under their usual {@code jvm_*}/{@code process_*}
 * names so stock JVM dashboards work. Label values are kept to small fixed sets (operation and
 * result names, repair kinds) so the series count stays bounded.
 * <ul>
 * <li>{@code weft_peers_desired}, {@code weft_peers_programmed}, {@code weft_peers_invalid}</li>
 * <li>{@code weft_netlink_operations_total{op,result}}</li>
 * <li>{@code weft_reconcile_duration_seconds{result}} (a few SLO buckets)</li>
 * <li>{@code weft_repairs_total{kind}}</li>
 * <li>{@code weft_lease_state{state}} (1 for the current state, 0 for the others)</li>
 * <li>{@code weft_watch_restarts_total{resource}}</li>
 * <li>{@code weft_ready} (1 when /readyz would answer 200)</li>
 * </ul>
 */
public final class WeftMetrics implements AutoCloseable {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]{1,40}");

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final AtomicInteger desired = new AtomicInteger();
    private final AtomicInteger programmed = new AtomicInteger();
    private final AtomicInteger invalid = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger();
    private final Map<LeaseState, AtomicInteger> lease = new EnumMap<>(LeaseState.class);

    /** Metrics on a fresh Prometheus registry. */
    public WeftMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Metrics on {@code registry}, which {@link #scrape()} renders. */
    public WeftMetrics(PrometheusMeterRegistry registry) {
        this.prometheus = Objects.requireNonNull(registry, "registry");
        this.registry = registry;
        Gauge.builder("weft.peers.desired", desired, AtomicInteger::get)
                .description("Peers with valid annotations that should be programmed").register(registry);
        Gauge.builder("weft.peers.programmed", programmed, AtomicInteger::get)
                .description("Peers whose neighbour, FDB and route entries are in the kernel").register(registry);
        Gauge.builder("weft.peers.invalid", invalid, AtomicInteger::get)
                .description("Nodes skipped because their annotations are missing or malformed").register(registry);
        Gauge.builder("weft.ready", ready, AtomicInteger::get)
                .description("1 when lease, device and subnet.env are all in place").register(registry);
        for (LeaseState s : LeaseState.values()) {
            AtomicInteger v = new AtomicInteger(s == LeaseState.ACQUIRING ? 1 : 0);
            lease.put(s, v);
            Gauge.builder("weft.lease.state", v, AtomicInteger::get).tag("state", s.label())
                    .description("The node's subnet lease state; the current one is 1").register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** Sets the three peer gauges after a pass. */
    public void peers(int desiredCount, int programmedCount, int invalidCount) {
        desired.set(desiredCount);
        programmed.set(programmedCount);
        invalid.set(invalidCount);
    }

    /**
     * Counts one netlink request.
     *
     * @param op     operation, e.g. {@code neigh_replace}, {@code route_del}, {@code link_dump}
     * @param result {@code ok}, or the errno name in lower case ({@code eexist})
     */
    public void netlinkOperation(String op, String result) {
        netlinkOperations(op, result, 1);
    }

    /** Counts {@code count} netlink requests of one operation and result (nothing when 0). */
    public void netlinkOperations(String op, String result, int count) {
        if (count > 0) {
            Counter.builder("weft.netlink.operations").tag("op", label(op)).tag("result", label(result))
                    .description("Netlink requests by operation and result").register(registry).increment(count);
        }
    }

    /** Records one reconcile pass. */
    public void reconcile(Duration duration, boolean ok) {
        Timer.builder("weft.reconcile.duration").tag("result", ok ? "ok" : "error")
                .description("Time taken by one reconcile pass")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100),
                        Duration.ofSeconds(1), Duration.ofSeconds(10))
                .register(registry).record(duration);
    }

    /** An observer that records every reconcile pass of a loop. */
    public PassObserver reconcileObserver() {
        return report -> reconcile(report.duration(), report.ok());
    }

    /** Counts {@code count} entries restored after someone removed or changed them. */
    public void repairs(RepairKind kind, int count) {
        if (count > 0) {
            Counter.builder("weft.repairs").tag("kind", kind.label())
                    .description("Managed state restored after drift").register(registry).increment(count);
        }
    }

    /** Sets the lease state gauge. */
    public void leaseState(LeaseState state) {
        lease.forEach((s, v) -> v.set(s == state ? 1 : 0));
    }

    /** Counts one restart of a Kubernetes watch ({@code resource}: {@code nodes}, {@code leases}). */
    public void watchRestarted(String resource) {
        Counter.builder("weft.watch.restarts").tag("resource", label(resource))
                .description("Kubernetes watches re-established after closing or failing").register(registry).increment();
    }

    /** Sets {@code weft_ready}. */
    public void ready(boolean isReady) {
        ready.set(isReady ? 1 : 0);
    }

    /** The registry, for code that registers its own meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Everything in Prometheus text format 0.0.4. */
    public String scrape() {
        return prometheus.scrape();
    }

    @Override
    public void close() {
        gc.close();
        prometheus.close();
    }

    // Label values come from weft's own code; a value outside the safe set is a bug, and is
    // folded to "other" instead of creating an unbounded series.
    private static String label(String v) {
        return v != null && LABEL.matcher(v).matches() ? v : "other";
    }
}
