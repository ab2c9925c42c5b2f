package dev.weft.e2e.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Ns;
import dev.weft.e2e.cluster.Pod;
import dev.weft.net.IpPrefix;

/**
 * B7: iperf3 TCP and ping between namespaces of three 2-node clusters built side by side: one with the
 * default VXLAN backend, dual-stack (its IPv6 rows run over {@code flannel-v6.1} and the IPv6
 * underlay), one with DirectRouting and one with host-gw. Every path and every setting variant is measured
 * once per repetition, in an order rotated each repetition so that drift (this machine is shared)
 * falls on all of them alike; ratios are paired per repetition.
 *
 * <p>The underlay is veth pairs into a bridge: they pass GSO packets whole, so with TX checksum
 * offload on, a 64 KB TCP burst crosses VXLAN and underlay alike as one packet, as a NIC with
 * VXLAN TSO and GRO would carry it. The variants show what the settings weft controls change.
 */
public final class DataPlaneBench implements BenchPart {
    static final String ID = "B7";
    static final String DIRECT_ROUTING = "{\"Type\":\"vxlan\",\"DirectRouting\":true}";
    static final String HOST_GW = "{\"Type\":\"host-gw\"}";
    static final String IPV6_NETWORK = "fd42:42::/48";
    private static final String DEVICE = "flannel.1";
    private static final String DEVICE_V6 = "flannel-v6.1";
    /** The pods' MTU in the small-MTU variant (the default is the device's, underlay − 50). */
    private static final int SMALL_MTU = 1000;
    private static final Duration PROGRAMMED_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "data plane";
    }

    @Override
    public List<Row> run(Scale scale, PrintStream log) throws Exception {
        log.println("B7: starting three 2-node clusters (VXLAN dual-stack, VXLAN + DirectRouting, host-gw)");
        long t0 = System.nanoTime();
        List<Cluster> clusters = startAll();
        log.printf("B7: clusters up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        try {
            Paths vx = Paths.of(clusters.get(0));
            Paths dr = Paths.of(clusters.get(1));
            Paths hg = Paths.of(clusters.get(2));
            checkRouting(vx, dr, hg);
            List<Probe> probes = probes(vx, dr, hg);
            Map<String, List<Double>> gbits = new LinkedHashMap<>();
            Map<String, List<CpuTimes.Share>> cpu = new LinkedHashMap<>();
            int reps = scale.reps();
            log.printf("B7: %d probes × %d repetitions × %d s of iperf3%n", probes.size(), reps, scale.iperfSeconds());
            for (int r = 0; r < reps; r++) {
                for (int i = 0; i < probes.size(); i++) {
                    Probe p = probes.get((i + r) % probes.size());
                    CpuTimes before = CpuTimes.read();
                    double g = p.measure(scale.iperfSeconds());
                    cpu.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(CpuTimes.read().since(before));
                    gbits.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(g);
                    log.printf("B7: rep %d %-12s %6.2f Gbit/s%n", r + 1, p.key(), g);
                }
            }
            Rtts rtts = Rtts.measure(vx, dr, scale.smoke() ? 20 : 200, scale.smoke() ? 2 : 4);
            return rows(scale, gbits, cpu, rtts);
        } finally {
            for (Cluster c : clusters) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    log.println("B7: closing " + c.spec().prefix() + ": " + e);
                }
            }
        }
    }

    /** Starts the clusters at once; when one fails, closes the others and rethrows. */
    private static List<Cluster> startAll() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<Cluster>> starting = List.of(
                    pool.submit(() -> Cluster.start(ClusterSpec.forTest(2, 2), Cluster.VXLAN_BACKEND, Optional.of(IPV6_NETWORK))),
                    pool.submit(() -> Cluster.start(ClusterSpec.forTest(2, 1), DIRECT_ROUTING)),
                    pool.submit(() -> Cluster.start(ClusterSpec.forTest(2, 1), HOST_GW)));
            List<Cluster> up = new ArrayList<>();
            Exception failed = null;
            for (Future<Cluster> f : starting) {
                try {
                    up.add(f.get());
                } catch (ExecutionException e) {
                    failed = e.getCause() instanceof Exception ex ? ex : e;
                }
            }
            if (failed != null) {
                up.forEach(Cluster::close);
                throw failed;
            }
            return up;
        }
    }

    /** The namespaces and addresses of one 2-node cluster's paths ({@code sameNode} only when node1 has two pods). */
    record Paths(Cluster cluster, Node n1, Node n2, Pod local, Pod sameNode, Pod remote) {
        static Paths of(Cluster c) {
            Node n1 = c.node(1);
            Node n2 = c.node(2);
            List<Pod> local = c.podsOn(n1);
            return new Paths(c, n1, n2, local.get(0), local.size() > 1 ? local.get(1) : null, c.podsOn(n2).get(0));
        }

        List<Ns> nodeNs() {
            return List.of(n1.ns(), n2.ns());
        }
    }

    /**
     * Waits until each cluster routes pod→pod across nodes the way it should (VXLAN through the
     * device, DirectRouting via the peer's underlay address), and checks the agent left TX
     * checksum offload on (the default these numbers chose).
     */
    private static void checkRouting(Paths vx, Paths dr, Paths hg) throws IOException {
        awaitRoute(vx, "dev " + DEVICE);
        awaitRoute(dr, "via " + dr.n2().underlayIp() + " dev eth0");
        awaitRoute(hg, "via " + hg.n2().underlayIp() + " dev eth0");
        for (Ns n : vx.nodeNs()) {
            String features = n.exec(Duration.ofSeconds(10), "ethtool", "-k", DEVICE).orThrow();
            if (!features.contains("tx-checksum-ip-generic: on")) {
                throw new IllegalStateException(n.name() + ": the agent turned TX checksum offload off on " + DEVICE);
            }
        }
    }

    private static void awaitRoute(Paths p, String want) throws IOException {
        long deadline = System.nanoTime() + PROGRAMMED_TIMEOUT.toNanos();
        String got = "";
        while (System.nanoTime() < deadline) {
            got = p.n1().ns().ip("route", "get", p.remote().ip()).strip();
            if (got.contains(want) && Connectivity.ping(p.local().ns(), p.remote().ip(), 1)) {
                return;
            }
            sleep(100);
        }
        throw new IOException(p.n1() + ": route to " + p.remote() + " is not '" + want + "' within "
                + PROGRAMMED_TIMEOUT + ": " + got);
    }

    private static List<Probe> probes(Paths vx, Paths dr, Paths hg) throws IOException {
        List<String> nodes = List.of(vx.n1().ns().name(), vx.n2().ns().name());
        String ul = vx.cluster().underlay().ns().name();
        Tweak txOff = Tweak.ethtool(nodes, List.of(DEVICE, DEVICE), "tx", "off", "on");
        Tweak groOn = Tweak.ethtool(nodes, List.of("eth0", "eth0"), "gro", "on", "off")
                .and(Tweak.ethtool(List.of(ul, ul), List.of("u-node1", "u-node2"), "gro", "on", "off"));
        Tweak smallMtu = Tweak.mtu(List.of(vx.local().ns().name(), vx.remote().ns().name()), "eth0", SMALL_MTU,
                mtu(vx.local().ns(), "eth0"));
        return List.of(
                new Probe("underlay", vx.n2().ns(), vx.n1().ns(), vx.n2().underlayIp(), Tweak.NONE, null, Via.ANY),
                vxlan(vx, "vxlan", Tweak.NONE),
                new Probe("underlay-v6", vx.n2().ns(), vx.n1().ns(), vx.n2().underlayIpV6(), Tweak.NONE, null, Via.ANY),
                new Probe("vxlan-v6", vx.n2().ns(), vx.n1().ns(), v6DeviceAddress(vx.cluster(), vx.n2()), Tweak.NONE, vx.n1().ns(),
                        Via.DEVICE_V6),
                new Probe("host-gw", hg.remote().ns(), hg.local().ns(), hg.remote().ip(), Tweak.NONE, null, Via.ANY),
                new Probe("same-node", vx.sameNode().ns(), vx.local().ns(), vx.sameNode().ip(), Tweak.NONE, null, Via.ANY),
                new Probe("direct", dr.remote().ns(), dr.local().ns(), dr.remote().ip(), Tweak.NONE, dr.n1().ns(), Via.UNDERLAY),
                vxlan(vx, "vxlan-tx-off", txOff),
                vxlan(vx, "vxlan-mtu", smallMtu),
                new Probe("underlay-gro", vx.n2().ns(), vx.n1().ns(), vx.n2().underlayIp(), groOn, null, Via.ANY),
                vxlan(vx, "vxlan-gro", groOn));
    }

    private static Probe vxlan(Paths vx, String key, Tweak tweak) {
        return new Probe(key, vx.remote().ns(), vx.local().ns(), vx.remote().ip(), tweak, vx.n1().ns(), Via.DEVICE);
    }

    /** The network address of {@code node}'s IPv6 subnet: the address of its {@code flannel-v6.1}. */
    private static String v6DeviceAddress(Cluster c, Node node) throws IOException {
        String cidr = c.client().nodes().withName(node.name()).get().getSpec().getPodCIDRs().get(1);
        return IpPrefix.format(IpPrefix.parseCidr(cidr).networkAddress());
    }

    private static int mtu(Ns ns, String dev) throws IOException {
        return JSON.readTree(ns.ip("-j", "link", "show", dev)).path(0).path("mtu").asInt();
    }

    /** Which way a probe's bytes must have gone, checked on the client node's VXLAN device counters. */
    enum Via { ANY, DEVICE, DEVICE_V6, UNDERLAY }

    /** One iperf3 path with its setting variant; {@code node} is where {@code via} is checked. */
    record Probe(String key, Ns server, Ns client, String dst, Tweak tweak, Ns node, Via via) {
        double measure(int seconds) throws IOException, InterruptedException {
            try {
                tweak.applyAll();
                String dev = via == Via.DEVICE_V6 ? DEVICE_V6 : DEVICE;
                long before = via == Via.ANY ? 0 : deviceTxBytes(node, dev);
                Iperf.Result r = Iperf.run(server, client, dst, seconds, 1);
                if (via != Via.ANY) {
                    long carried = deviceTxBytes(node, dev) - before;
                    boolean all = via != Via.UNDERLAY;
                    boolean ok = all ? carried >= r.bytesSent() * 9 / 10 : carried <= r.bytesSent() / 100;
                    if (!ok) {
                        throw new IllegalStateException(key + ": " + dev + " on " + node.name() + " carried " + carried
                                + " of " + r.bytesSent() + " bytes; expected " + (all ? "all" : "none"));
                    }
                }
                return r.gbits();
            } finally {
                tweak.revertAll();
            }
        }
    }

    static long deviceTxBytes(Ns ns) throws IOException {
        return deviceTxBytes(ns, DEVICE);
    }

    static long deviceTxBytes(Ns ns, String device) throws IOException {
        return JSON.readTree(ns.ip("-s", "-j", "link", "show", device)).path(0).path("stats64").path("tx").path("bytes")
                .asLong();
    }

    private static List<Row> rows(Scale scale, Map<String, List<Double>> g, Map<String, List<CpuTimes.Share>> cpu, Rtts rtts) {
        String size = ", " + scale.iperfSeconds() + " s × " + scale.reps();
        List<Row> rows = new ArrayList<>();
        rows.add(ratioRow("iperf3 TCP pod→pod across nodes, VXLAN" + size, g, "vxlan", "underlay", "node→node", "≥ 0.70", 0.70));
        rows.add(ratioRow("iperf3 TCP pod→pod across nodes, DirectRouting (route via the peer's underlay IP)" + size,
                g, "direct", "underlay", "node→node", "≥ 0.90", 0.90));
        rows.add(ratioRow("iperf3 TCP pod→pod across nodes, host-gw (no encapsulation)" + size, g, "host-gw", "underlay",
                "node→node", "≥ 0.90", 0.90));
        rows.add(ratioRow("iperf3 TCP node→node over " + DEVICE_V6 + " (VXLAN in IPv6, to the peer's IPv6 subnet)" + size, g,
                "vxlan-v6", "underlay-v6", "node→node IPv6", "≥ 0.70", 0.70));
        rows.add(ratioRow("iperf3 TCP pod→pod on one node" + size, g, "same-node", "underlay", "node→node", "", 0));
        rows.add(ratioRow("VXLAN with TX checksum offload off on " + DEVICE + " (--disable-tx-checksum-offload)",
                g, "vxlan-tx-off", "vxlan", "VXLAN default (on)", "", 0));
        rows.add(ratioRow("VXLAN with the pods' MTU at " + SMALL_MTU, g, "vxlan-mtu", "vxlan", "VXLAN default MTU", "", 0));
        rows.add(ratioRow("node→node with GRO on the underlay veths", g, "underlay-gro", "underlay", "GRO off (veth default)", "", 0));
        rows.add(ratioRow("VXLAN with GRO on the underlay veths", g, "vxlan-gro", "underlay-gro", "node→node, GRO on", "", 0));
        rows.add(Row.info(ID, "CPU busy, all cores (/proc/stat, whole machine) during VXLAN runs", cpuText(cpu.get("vxlan")),
                "node→node " + cpuText(cpu.get("underlay")), ""));
        rows.addAll(rtts.rows(ID));
        return rows;
    }

    private static Row ratioRow(String what, Map<String, List<Double>> g, String key, String refKey, String refName,
                                String target, double min) {
        List<Double> v = g.get(key);
        List<Double> ref = g.get(refKey);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            ratios.add(v.get(i) / ref.get(i));
        }
        String weft = Stats.medianSpread(v, "%.2f", " Gbit/s");
        String reference = refName + " " + Stats.medianSpread(ref, "%.2f", " Gbit/s");
        String ratio = ratios.size() == 1 ? Stats.fmt("%.2f", ratios.getFirst())
                : Stats.fmt("%.2f", Stats.median(ratios)) + Stats.fmt(" (%.2f", Stats.min(ratios)) + Stats.fmt("–%.2f)", Stats.max(ratios));
        return target.isEmpty() ? Row.info(ID, what, weft, reference, ratio)
                : Row.checked(ID, what, weft, reference, ratio, target, Stats.median(ratios) >= min);
    }

    private static String cpuText(List<CpuTimes.Share> s) {
        return Stats.fmt("%.0f%%", Stats.median(s.stream().map(CpuTimes.Share::busyPercent).toList()))
                + Stats.fmt(" (busiest core %.0f%%", Stats.median(s.stream().map(CpuTimes.Share::busiestCorePercent).toList()))
                + Stats.fmt(", softirq %.0f%%)", Stats.median(s.stream().map(CpuTimes.Share::softirqPercent).toList()));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
