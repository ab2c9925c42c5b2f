package dev.weft.e2e.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.NsSockets;
import dev.weft.testing.Cmd;

/**
 * B5: start-to-ready of an agent whose node already holds its lease (podCIDR, annotations and
 * device left by an earlier run), with and without the AOT cache. A two-node cluster: node1 is
 * stopped (SIGTERM) and started again, timed from the spawn of the launcher until {@code /readyz}
 * answers 200 inside the node; node2 stays up as its peer. The two variants alternate, each
 * restart's order flipped, so background load hits both alike. The floor is one JVM start of the
 * same launcher in the same namespace, {@code weft --version}, with and without the cache.
 */
public final class StartBench implements BenchPart {
    private static final Duration READY_BOUND = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 5;
    private static final Map<String, String> WITH_CACHE = Map.of("WEFT_AOT", "on");
    private static final Map<String, String> NO_CACHE = Map.of("WEFT_AOT", "off");

    @Override
    public String id() {
        return "B5";
    }

    @Override
    public String title() {
        return "agent start to ready";
    }

    @Override
    public List<Row> run(Scale scale, PrintStream log) throws Exception {
        int n = scale.restarts();
        log.println("B5: 2-node cluster; " + n + " restarts of node1 with and without the AOT cache, alternating");
        try (Cluster cluster = Cluster.start(ClusterSpec.forTest(2, 0))) {
            Node node = cluster.node(1);
            requireCache(node);
            node.stopAgent(STOP_GRACE);
            List<Double> aot = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            startToReady(node, WITH_CACHE, log); // warm-up: page cache and the first pass after the harness's start
            for (int i = 0; i < n; i++) {
                boolean cacheFirst = i % 2 == 0;
                (cacheFirst ? aot : plain).add(startToReady(node, cacheFirst ? WITH_CACHE : NO_CACHE, log));
                (cacheFirst ? plain : aot).add(startToReady(node, cacheFirst ? NO_CACHE : WITH_CACHE, log));
            }
            List<Double> versionAot = new ArrayList<>();
            List<Double> versionPlain = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                versionAot.add(version(node, WITH_CACHE));
                versionPlain.add(version(node, NO_CACHE));
            }
            double p50 = Stats.median(aot);
            double ratio = p50 / Stats.median(plain);
            return List.of(
                    Row.checked(id(), "start → /readyz 200, existing lease, AOT cache, " + n + " restarts",
                            ms(aot), "no cache " + ms(plain), Stats.fmt("%.2f", ratio), "p50 ≤ 0.5 s", p50 <= 500),
                    Row.info(id(), "start → /readyz 200, existing lease, without AOT cache", ms(plain), "", ""),
                    Row.info(id(), "floor: one JVM start, weft --version in the node, AOT cache", ms(versionAot),
                            "no cache " + ms(versionPlain),
                            Stats.fmt("%.2f", Stats.median(versionAot) / Stats.median(versionPlain))));
        }
    }

    private static void requireCache(Node node) {
        Path cache = node.agentCommand().stream().findFirst().map(Path::of).orElseThrow()
                .getParent().resolveSibling("lib/weft.aot");
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("no AOT cache at " + cache + ": build the agent with ./mvnw -DskipTests package");
        }
    }

    /** Starts node's agent with {@code env}, returns milliseconds until /readyz said 200, then stops it. */
    private static double startToReady(Node node, Map<String, String> env, PrintStream log) throws Exception {
        Files.writeString(node.agentLog(), "---- B5 start " + env + "\n", java.nio.file.StandardOpenOption.APPEND);
        long t0 = System.nanoTime();
        Process p = node.ns().spawn(node.agentCommand(), env, node.agentLog());
        try {
            long deadline = t0 + READY_BOUND.toNanos();
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IOException(node + ": agent exited with " + p.exitValue() + " before it was ready; see "
                            + node.agentLog());
                }
                if (ready(node)) {
                    double ms = (System.nanoTime() - t0) / 1e6;
                    log.printf(java.util.Locale.ROOT, "B5: %s ready in %.0f ms%n", env, ms);
                    return ms;
                }
                Thread.sleep(POLL_MILLIS);
            }
            throw new IOException(node + ": not ready within " + READY_BOUND + "; see " + node.agentLog());
        } finally {
            stop(p);
        }
    }

    private static boolean ready(Node node) {
        try {
            return NsSockets.get(node.ns().name(), "127.0.0.1", Node.HEALTH_PORT, "/readyz", Duration.ofSeconds(1))
                    .status() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static double version(Node node, Map<String, String> env) {
        long t0 = System.nanoTime();
        Cmd.Result r = node.ns().exec(Duration.ofSeconds(30), null, env, List.of(node.agentCommand().getFirst(), "--version"));
        double ms = (System.nanoTime() - t0) / 1e6;
        if (r.exitCode() != 0) {
            throw new IllegalStateException("weft --version failed: " + r.stderr());
        }
        return ms;
    }

    private static String ms(List<Double> samples) {
        return Stats.medianSpread(samples, "%.0f", " ms");
    }
}
