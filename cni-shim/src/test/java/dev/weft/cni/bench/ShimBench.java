package dev.weft.cni.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.testing.Bundle;
import dev.weft.cni.testing.CniExec;
import dev.weft.cni.testing.ShimRig;
import dev.weft.testing.Cmd;
import dev.weft.testing.Privileges;
import dev.weft.testing.TestNetns;

/**
 * ADD+DEL latency of the installed weft launcher against calling bridge directly with the very
 * delegate configuration the shim renders (read back from the shim's saved state), with and
 * without the AOT cache, over N pods. Every process is started the way a runtime would, through
 * {@code nsenter --net} into a namespace that plays the node; the cost of that wrapper alone is
 * measured and printed too. Pods are interleaved across the variants so background load hits
 * them alike. Needs root; touches only namespaces it creates.
 *
 * <pre>./mvnw -B -ntp -pl cni-shim -DskipTests package exec:java@bench [-Dweft.bench.pods=100]</pre>
 */
public final class ShimBench {
    /** One variant's latencies in milliseconds. */
    public record Row(String name, List<Double> add, List<Double> del, List<Double> total) {
        public double p50() {
            return pct(total, 50);
        }

        public double p95() {
            return pct(total, 95);
        }
    }

    /** All results; ratios are shim over bridge on ADD+DEL. */
    public record Report(int pods, Row shimAot, Row shimNoAot, Row bridge, Row wrapper, Row versionAot,
                         Row versionNoAot) {
        public double ratioP50WithCache() {
            return shimAot.p50() / bridge.p50();
        }

        public double ratioP95WithCache() {
            return shimAot.p95() / bridge.p95();
        }

        public double ratioP50NoCache() {
            return shimNoAot.p50() / bridge.p50();
        }

        public double ratioP95NoCache() {
            return shimNoAot.p95() / bridge.p95();
        }
    }

    private ShimBench() {
    }

    public static void main(String[] args) throws Exception {
        if (Privileges.kernelTierUnavailable().isPresent()) {
            System.err.println("ShimBench: " + Privileges.kernelTierUnavailable().get());
            System.exit(2);
        }
        int pods = Integer.getInteger("weft.bench.pods", 100);
        Report r = run(Bundle.archive(), pods, System.out);
        print(r, System.out);
    }

    /** Runs the benchmark with {@code pods} pods; progress goes to {@code log}. */
    public static Report run(Path bundle, int pods, PrintStream log) throws IOException {
        System.setProperty("weft.cni.bundle", bundle.toString());
        Path work = Files.createTempDirectory("weft-shim-bench");
        List<TestNetns> namespaces = new ArrayList<>();
        try {
            Bundle.Installed installed = Bundle.install(work.resolve("install"));
            TestNetns host = TestNetns.create("benchhost");
            namespaces.add(host);
            ShimRig rig = new ShimRig(host, installed, Files.createDirectories(work.resolve("rig")));
            List<TestNetns> podNs = new ArrayList<>();
            for (int i = 0; i < pods; i++) {
                podNs.add(TestNetns.create("bp" + i));
            }
            namespaces.addAll(podNs);
            String shimConf = rig.conf("1.0.0", "");
            String bridgeConf = renderedDelegate(rig, podNs.getFirst(), shimConf);
            log.println("delegate configuration under test: " + bridgeConf);
            return measure(rig, podNs, shimConf, bridgeConf, log);
        } finally {
            for (int i = namespaces.size() - 1; i >= 0; i--) {
                namespaces.get(i).close();
            }
            Cmd.exec("rm", "-rf", work.toString());
        }
    }

    private static Report measure(ShimRig rig, List<TestNetns> pods, String shimConf, String bridgeConf,
                                  PrintStream log) {
        Path launcher = rig.installed.launcher();
        Path bridge = Path.of("/usr/lib/cni/bridge");
        Row aot = row("(a) weft shim, AOT cache");
        Row noAot = row("(a) weft shim, no AOT cache");
        Row direct = row("(b) bridge direct");
        Row wrapper = row("nsenter --net /bin/true");
        Row vAot = row("weft VERSION, AOT cache");
        Row vNoAot = row("weft VERSION, no AOT cache");
        for (int i = 0; i < pods.size(); i++) {
            Path ns = pods.get(i).path();
            addDel(rig, launcher, Map.of(), "a" + i, ns, shimConf, aot);
            addDel(rig, bridge, Map.of(), "b" + i, ns, bridgeConf, direct);
            addDel(rig, launcher, Map.of("WEFT_CNI_AOT", "off"), "n" + i, ns, shimConf, noAot);
            wrapper.total().add(time(rig, Path.of("/bin/true"), Map.of(), ""));
            vAot.total().add(time(rig, launcher, Map.of("CNI_COMMAND", "VERSION"), "{}"));
            vNoAot.total().add(time(rig, launcher, Map.of("CNI_COMMAND", "VERSION", "WEFT_CNI_AOT", "off"), "{}"));
            if ((i + 1) % 10 == 0) {
                log.println("  " + (i + 1) + "/" + pods.size() + " pods");
            }
        }
        return new Report(pods.size(), aot, noAot, direct, wrapper, vAot, vNoAot);
    }

    private static void addDel(ShimRig rig, Path plugin, Map<String, String> extra, String id, Path ns, String conf,
                               Row row) {
        Map<String, String> add = new LinkedHashMap<>(CniExec.env("ADD", id, ns, "eth0", rig.cniPath));
        add.putAll(extra);
        Map<String, String> del = new LinkedHashMap<>(add);
        del.put("CNI_COMMAND", "DEL");
        double a = time(rig, plugin, add, conf);
        double d = time(rig, plugin, del, conf);
        row.add().add(a);
        row.del().add(d);
        row.total().add(a + d);
    }

    /** Milliseconds from starting the process to its exit; throws when it fails. */
    private static double time(ShimRig rig, Path exe, Map<String, String> env, String stdin) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + rig.host.path(), "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
        for (Map.Entry<String, String> e : env.entrySet()) {
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        cmd.add(exe.toString());
        long t0 = System.nanoTime();
        Cmd.Result r = Cmd.exec(Duration.ofSeconds(60), stdin, cmd);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!r.ok()) {
            throw new IllegalStateException(exe + " " + env + " failed: " + r.stdout() + r.stderr());
        }
        return ms;
    }

    /** One shim ADD, then its saved state's delegate configuration: exactly what the shim hands bridge. */
    private static String renderedDelegate(ShimRig rig, TestNetns pod, String shimConf) throws IOException {
        Cmd.Result add = rig.weft("ADD", "probe", pod.path(), "eth0", shimConf);
        if (!add.ok()) {
            throw new IllegalStateException("shim ADD failed: " + add.stdout() + add.stderr());
        }
        JsonObject delegate = ShimRig.json(Files.readString(rig.stateFile("probe"))).optObject("delegate");
        rig.weft("DEL", "probe", pod.path(), "eth0", shimConf).orThrow();
        return delegate.toJson();
    }

    /** Prints the table. */
    public static void print(Report r, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "weft CNI shim vs bridge, %d pods, ADD+DEL each (ms; every process via nsenter --net)%n",
                r.pods());
        out.printf(Locale.ROOT, "%-30s %8s %8s %8s %8s %12s %12s%n", "variant", "ADD p50", "ADD p95", "DEL p50",
                "DEL p95", "ADD+DEL p50", "ADD+DEL p95");
        for (Row row : List.of(r.shimAot(), r.shimNoAot(), r.bridge())) {
            out.printf(Locale.ROOT, "%-30s %8.1f %8.1f %8.1f %8.1f %12.1f %12.1f%n", row.name(), pct(row.add(), 50),
                    pct(row.add(), 95), pct(row.del(), 50), pct(row.del(), 95), row.p50(), row.p95());
        }
        out.printf(Locale.ROOT, "%-30s %58s %5.2f %12.2f%n", "ratio a/b, AOT cache", "", r.ratioP50WithCache(),
                r.ratioP95WithCache());
        out.printf(Locale.ROOT, "%-30s %58s %5.2f %12.2f%n", "ratio a/b, no AOT cache", "", r.ratioP50NoCache(),
                r.ratioP95NoCache());
        out.println("floors (one process each):");
        for (Row row : List.of(r.wrapper(), r.versionAot(), r.versionNoAot())) {
            out.printf(Locale.ROOT, "  %-28s p50 %6.1f  p95 %6.1f%n", row.name(), row.p50(), row.p95());
        }
    }

    private static Row row(String name) {
        return new Row(name, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
