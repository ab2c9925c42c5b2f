package dev.weft.e2e.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import dev.weft.net.IpPrefix;
import dev.weft.rtnl.MacAddress;

/**
 * B3: with N peers programmed, Nodes that a kubelet registered get flanneld's annotations one at a
 * time (one JSON merge patch each, as a new node's flanneld publishes itself); each is timed from
 * the patch to its neighbour, FDB entry and route in the agent's kernel. Then status-only updates
 * (every condition's lastHeartbeatTime, as a kubelet writes them) go to those Nodes, and the kernel's
 * announcements of changes to weft's entries are counted, which must stay at zero; one last
 * annotation afterwards proves, by arriving, that the agent's watch delivered every update before it.
 * Same-run reference: the same events seen by a plain watch of the harness. The first events warm
 * up the freshly started API server and agent and are not counted.
 */
public final class EventBench implements BenchPart {
    static final double TARGET_P99_MS = 100;
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public String id() {
        return "B3";
    }

    @Override
    public String title() {
        return "event latency";
    }

    @Override
    public List<Row> run(Scale scale, PrintStream log) throws Exception {
        int n = scale.eventPeers();
        log.println("B3: " + n + " peers, " + scale.events() + " annotation events, " + scale.statusOnly()
                + " status-only updates");
        int warmup = warmup(scale);
        int joining = warmup + scale.events() + 1;
        try (AgentRig rig = AgentRig.start(n, joining, log);
             KernelWatch kernel = KernelWatch.open(rig.node().name(), AgentRig.DEVICE)) {
            rig.removeDevice();
            kernel.awaitAll(n, rig.startAgent(), AgentRuns.CONVERGE_TIMEOUT);
            KubernetesClient client = rig.client();
            Map<String, Long> seen = new ConcurrentHashMap<>();
            AtomicLong statusEvents = new AtomicLong();
            try (Watch ignored = client.nodes().watch(recorder(seen, statusEvents))) {
                List<Double> weft = new ArrayList<>();
                List<Double> watch = new ArrayList<>();
                for (int k = 0; k < warmup + scale.events(); k++) {
                    double[] t = annotate(client, kernel, seen, n + k);
                    if (k >= warmup) {
                        weft.add(t[0]);
                        watch.add(t[1]);
                    }
                }
                long before = kernel.changes();
                long[] agentBefore = agentCounts(rig);
                long t0 = System.nanoTime();
                heartbeats(client, n, warmup + scale.events(), scale.statusOnly());
                log.printf(Locale.ROOT, "  %d status-only updates sent in %.1f s%n", scale.statusOnly(),
                        (System.nanoTime() - t0) / 1e9);
                annotate(client, kernel, seen, n + joining - 1); // the marker: everything before it was delivered
                // the marker's own pass and its writes are not the status updates': neighbour, FDB entry and route
                // (which the kernel watch sees), and with nexthop objects the peer's nexthop too
                long changes = kernel.changes() - before - 3;
                long[] agentAfter = agentCounts(rig);
                long passes = agentAfter[0] - agentBefore[0] - 1;
                long markerNexthops = Math.min(1, agentAfter[2] - agentBefore[2]);
                long writes = agentAfter[1] - agentBefore[1] - 3 - markerNexthops;
                log.printf(Locale.ROOT, "  annotation → kernel p50 %.1f ms, p99 %.1f ms; watch p50 %.1f ms, p99 %.1f ms;"
                                + " status-only: %d kernel changes, %d netlink writes and %d passes by the agent's count,"
                                + " %d updates seen by the plain watch%n",
                        Stats.percentile(weft, 50), Stats.percentile(weft, 99), Stats.percentile(watch, 50),
                        Stats.percentile(watch, 99), changes, writes, passes, statusEvents.get());
                return rows(scale, n, weft, watch, new StatusOnly(changes, kernel.overflowed(), writes, passes,
                        statusEvents.get()));
            }
        }
    }

    /** What the status-only updates did: kernel changes seen from outside, the agent's own counts, updates delivered. */
    private record StatusOnly(long kernelChanges, boolean overflowed, long agentWrites, long agentPasses, long delivered) {
        boolean none() {
            return kernelChanges == 0 && !overflowed && agentWrites == 0;
        }
    }

    private List<Row> rows(Scale scale, int n, List<Double> weft, List<Double> watch, StatusOnly s) {
        double p99 = Stats.percentile(weft, 99);
        return List.of(
                Row.checked(id(), "annotation → entries in the kernel, " + n + " peers, " + weft.size() + " events (after "
                                + warmup(scale) + " not counted)",
                        p50p99(weft), "API write → plain watch " + p50p99(watch),
                        Stats.fmt("%.2f", p99 / Stats.percentile(watch, 99)) + " (p99)",
                        Stats.fmt("p99 ≤ %.0f ms", TARGET_P99_MS), p99 <= TARGET_P99_MS),
                Row.checked(id(), scale.statusOnly() + " status-only Node updates → netlink writes",
                        s.agentWrites() + " (kernel saw " + s.kernelChanges() + (s.overflowed() ? "+, monitor overflowed" : "")
                                + " changes; " + s.agentPasses() + " reconcile passes)",
                        s.delivered() + " updates seen by a plain watch", "", "0 writes", s.none()));
    }

    private static String p50p99(List<Double> ms) {
        return Stats.fmt("p50 %.1f", Stats.percentile(ms, 50)) + Stats.fmt(" / p99 %.1f ms", Stats.percentile(ms, 99));
    }

    /** Publishes flanneld's annotations on Node {@code i}; returns {weft ms, plain watch ms}. */
    private static double[] annotate(KubernetesClient client, KernelWatch kernel, Map<String, Long> seen, int i)
            throws InterruptedException {
        String name = SimulatedNodes.name(i);
        String patch = "{\"metadata\":{\"annotations\":{" + SimulatedNodes.flannelAnnotations(i) + "}}}";
        long t0 = System.nanoTime();
        client.nodes().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        long inKernel = kernel.awaitPeer(IpPrefix.parse(SimulatedNodes.subnet(i)),
                IpPrefix.parseAddress(SimulatedNodes.gateway(i), "gateway"), MacAddress.parse(SimulatedNodes.vtepMac(i)),
                EVENT_TIMEOUT);
        long deadline = System.nanoTime() + EVENT_TIMEOUT.toNanos();
        while (!seen.containsKey(name) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Long watched = seen.get(name);
        if (watched == null) {
            throw new IllegalStateException("the plain watch never saw " + name + "'s annotations");
        }
        return new double[] {(inKernel - t0) / 1e6, (watched - t0) / 1e6};
    }

    /**
     * Events not counted: the first writes through a freshly started API server and agent run
     * cold code (the very first one takes a second on both sides), which is start-up, not event
     * latency.
     */
    static int warmup(Scale scale) {
        return Math.max(1, scale.events() / 10);
    }

    /** {@code count} status updates spread over Nodes {@code first..first+nodes-1}, a few in flight at a time. */
    private static void heartbeats(KubernetesClient client, int first, int nodes, int count) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int m = 0; m < count; m++) {
                int i = first + m % nodes;
                int seq = m;
                sent.add(pool.submit(() -> heartbeat(client, i, seq)));
            }
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A kubelet's status update: every condition's lastHeartbeatTime moves on. */
    private static void heartbeat(KubernetesClient client, int i, int m) {
        String time = String.format(Locale.ROOT, "2025-03-01T10:%02d:%02dZ", m / 60 % 60, m % 60);
        client.nodes().withName(SimulatedNodes.name(i)).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"conditions\":" + SimulatedNodes.conditions(time) + "}}");
    }

    /**
     * The agent's own counts: reconcile passes ({@code weft_reconcile_duration_seconds_count}),
     * netlink writes ({@code weft_netlink_operations_total}, every label summed) and, of those, the
     * nexthop writes.
     */
    private static long[] agentCounts(AgentRig rig) throws java.io.IOException {
        long[] total = new long[3];
        for (String line : rig.agentHttp("/metrics").body().lines().toList()) {
            int i = line.startsWith("weft_reconcile_duration_seconds_count") ? 0
                    : line.startsWith("weft_netlink_operations_total") ? 1 : -1;
            if (i >= 0) {
                long v = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                total[i] += v;
                if (i == 1 && line.contains("op=\"nexthop")) {
                    total[2] += v;
                }
            }
        }
        return total;
    }

    private static Watcher<Node> recorder(Map<String, Long> seen, AtomicLong statusEvents) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Node node) {
                long now = System.nanoTime();
                var annotations = node.getMetadata().getAnnotations();
                if (action == Action.MODIFIED && annotations != null
                        && annotations.containsKey(SimulatedNodes.PREFIX + "kube-subnet-manager")) {
                    if (seen.putIfAbsent(node.getMetadata().getName(), now) != null) {
                        statusEvents.incrementAndGet();
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the run ends with the watch; a broken watch shows as events never seen
            }
        };
    }
}
