package dev.weft.bench;

import dev.weft.net.IpPrefix;
import dev.weft.netns.Netns;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.RtnlClient;
import dev.weft.testing.TestNetns;
import dev.weft.testing.Veth;
import dev.weft.vtep.DesiredEntries;
import dev.weft.vtep.DriftReport;
import dev.weft.vtep.PeerSpec;
import dev.weft.vtep.RouteForm;
import dev.weft.vtep.SyncResult;
import dev.weft.vtep.Vtep;
import dev.weft.vtep.VtepDevice;
import dev.weft.vtep.VtepSpec;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Data-plane programming, weft against iproute2. In a fresh namespace with a VXLAN device, for N
 * peers (3N entries: neighbour, FDB entry, route each; 4N with {@link RouteForm#NEXTHOP}, which adds
 * a nexthop object per peer), once per route form, iproute2 writing the same form:
 * <ol>
 * <li>program: weft's {@code sync} into an empty device vs. one {@code bridge -batch} plus one
 *     {@code ip -batch} process;</li>
 * <li>no-op resync: weft's {@code sync} when everything is in place (dumps + diff, nothing to
 *     write) vs. dumping with {@code ip}/{@code bridge} and comparing their output;</li>
 * <li>remove: weft's {@code sync} to zero peers vs. batched {@code del} commands.</li>
 * </ol>
 * Each side's result is checked against the other's view of the kernel, so both did the same
 * work. Every figure is the median of {@code repetitions} runs, after one warm-up round of weft
 * (the agent is a long-running JVM); the two sides take turns going first, and each timed step
 * starts after a garbage collection and a short pause, so it pays only for itself. Run it with {@code ./mvnw -B -ntp -pl vxlan -Pbench verify}
 * (root; {@code -Dbench.peers=1000,5000 -Dbench.repetitions=3}); the e2e module's combined
 * benchmark calls {@link #measure}.
 */
public final class VtepBenchmark {
    /** One measured operation. */
    public record Row(int peers, RouteForm form, String operation, List<Long> weftNanos, List<Long> iproute2Nanos) {
        public Row {
            weftNanos = List.copyOf(weftNanos);
            iproute2Nanos = List.copyOf(iproute2Nanos);
        }

        /** weft's median. */
        public Duration weft() {
            return Duration.ofNanos(median(weftNanos));
        }

        /** iproute2's median. */
        public Duration iproute2() {
            return Duration.ofNanos(median(iproute2Nanos));
        }

        public int entries() {
            return (form == RouteForm.NEXTHOP ? 4 : 3) * peers;
        }

        /** How the routes were written, for labels. */
        public String formLabel() {
            return form == RouteForm.NEXTHOP ? "nexthop objects" : "routes via gateway";
        }

        /** weft time / iproute2 time: below 1 means weft is faster. */
        public double ratio() {
            return weft().toNanos() / (double) Math.max(1, iproute2().toNanos());
        }
    }

    private VtepBenchmark() {
    }

    /** Runs the three operations for {@code peers} peers with both route forms (the old one first); needs root. */
    public static List<Row> measure(int peers, int repetitions) throws NetlinkException {
        List<Row> rows = new ArrayList<>(measure(peers, repetitions, RouteForm.GATEWAY));
        rows.addAll(measure(peers, repetitions, RouteForm.NEXTHOP));
        return rows;
    }

    /** Runs the three operations for {@code peers} peers in a namespace of its own, routes in {@code form}; needs root. */
    public static List<Row> measure(int peers, int repetitions, RouteForm form) throws NetlinkException {
        if (peers < 1 || peers > 30_000 || repetitions < 1 || repetitions > 20) {
            throw new IllegalArgumentException("peers must be 1-30000 and repetitions 1-20, got " + peers + ", " + repetitions);
        }
        try (TestNetns ns = TestNetns.create("bench")) {
            Veth.loop(ns, "u0", "198.18.0.1/15", "u1");
            try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
                return new Session(ns, rtnl, peers, repetitions, form).run();
            }
        }
    }

    /** The same peers every time, so runs compare: subnets 10.42.0.0/24 upwards, public IPs in 198.18.0.0/15. */
    public static List<PeerSpec> peers(int n) {
        List<PeerSpec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            InetAddress subnet = InetAddress.ofLiteral("10." + (42 + i / 256) + "." + (i % 256) + ".0");
            InetAddress publicIp = InetAddress.ofLiteral("198." + (18 + i / 60000) + "." + (i % 60000 / 250) + "." + (2 + i % 250));
            out.add(new PeerSpec(new IpPrefix(subnet, 24), publicIp, new MacAddress(0x0a5800000000L | (i + 16)), false));
        }
        return out;
    }

    /** A markdown table of rows. */
    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| peers | entries | routes | operation | weft (ms) | iproute2 (ms) | weft / iproute2 |\n"
                + "|---:|---:|---|---|---:|---:|---:|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %.1f | %.1f | %.2f |%n", r.peers(), r.entries(),
                    r.formLabel(), r.operation(), r.weft().toNanos() / 1e6, r.iproute2().toNanos() / 1e6, r.ratio()));
        }
        return b.toString();
    }

    /** {@code VtepBenchmark [peers,peers,...] [repetitions]}, e.g. {@code 1000,5000 3}. */
    public static void main(String[] args) throws Exception {
        int[] counts = Arrays.stream((args.length > 0 ? args[0] : "1000,5000").split(",")).map(String::strip)
                .mapToInt(Integer::parseInt).toArray();
        int repetitions = args.length > 1 ? Integer.parseInt(args[1].strip()) : 3;
        List<Row> rows = new ArrayList<>();
        for (int n : counts) {
            rows.addAll(measure(n, repetitions));
        }
        System.out.println();
        System.out.println("VTEP programming, weft vs. iproute2 (median of " + repetitions + "; " + conditions() + ")");
        System.out.println();
        System.out.print(markdown(rows));
    }

    /** CPUs and load: a busy machine makes every figure noisier. */
    static String conditions() {
        String load;
        try {
            load = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            load = "unknown";
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs, load average " + load + ", kernel "
                + System.getProperty("os.version");
    }

    /** One namespace, one device, all measurements. */
    private static final class Session {
        private final RtnlClient rtnl;
        private final Vtep vtep;
        private final VtepDevice dev;
        private final DesiredEntries full;
        private final DesiredEntries none;
        private final Iproute2Batch iproute2;
        private final int peers;
        private final int repetitions;
        private final RouteForm form;
        /** Entries weft writes for the full set: the nexthop form adds one object per route. */
        private final int entries;

        Session(TestNetns ns, RtnlClient rtnl, int peers, int repetitions, RouteForm form) throws NetlinkException {
            this.rtnl = rtnl;
            this.form = form;
            this.vtep = new Vtep(rtnl, form);
            int u0 = rtnl.link("u0").orElseThrow().index();
            this.dev = vtep.ensure(new VtepSpec("flannel.1", 1, InetAddress.ofLiteral("198.18.0.1"), u0, 8472, false, false,
                    OptionalInt.empty(), Optional.empty(), IpPrefix.parse("10.41.0.0/32")));
            this.full = vtep.plan(dev, peers(peers), u0);
            this.none = vtep.plan(dev, List.of(), u0);
            this.iproute2 = new Iproute2Batch(ns, "flannel.1", "u0", form);
            this.peers = peers;
            this.repetitions = repetitions;
            this.entries = full.size() + (form == RouteForm.NEXTHOP ? full.routes().size() : 0);
            vtep.inspect(dev, none); // reads the nexthops: a kernel without them makes the Vtep fall back
            check(vtep.routeForm() == form, "this kernel cannot write routes as " + form);
        }

        List<Row> run() throws NetlinkException {
            weftRound(); // warm-up: JIT and kernel caches
            long[][] w = new long[3][repetitions];
            long[][] i = new long[3][repetitions];
            for (int rep = 0; rep < repetitions; rep++) {
                // Alternate who goes first, so neither side always inherits the other's aftermath.
                long[] weft;
                long[] ip;
                if (rep % 2 == 0) {
                    weft = weftRound();
                    ip = iproute2Round();
                } else {
                    ip = iproute2Round();
                    weft = weftRound();
                }
                if (Boolean.getBoolean("bench.verbose")) {
                    System.err.printf(Locale.ROOT, "peers %d %s round %d: weft %s ms, iproute2 %s ms%n", peers, form, rep,
                            Arrays.toString(Arrays.stream(weft).map(x -> x / 1_000_000).toArray()),
                            Arrays.toString(Arrays.stream(ip).map(x -> x / 1_000_000).toArray()));
                }
                for (int op = 0; op < 3; op++) {
                    w[op][rep] = weft[op];
                    i[op][rep] = ip[op];
                }
            }
            String[] names = {"program", "no-op resync", "remove"};
            List<Row> rows = new ArrayList<>();
            for (int op = 0; op < 3; op++) {
                rows.add(new Row(peers, form, names[op], Arrays.stream(w[op]).boxed().toList(),
                        Arrays.stream(i[op]).boxed().toList()));
            }
            return rows;
        }

        private long[] weftRound() throws NetlinkException {
            settle();
            long t0 = System.nanoTime();
            SyncResult program = vtep.sync(dev, full);
            long t1 = System.nanoTime();
            settle();
            long t1b = System.nanoTime();
            SyncResult resync = vtep.sync(dev, full);
            long t2 = System.nanoTime();
            check(program.added() == entries && program.failures().isEmpty(), "weft programmed " + program);
            check(resync.isNoop(), "weft's second sync wrote something: " + resync);
            check(iproute2.resync(full) == 0, "ip/bridge disagree with what weft programmed");
            settle();
            long t3 = System.nanoTime();
            SyncResult remove = vtep.sync(dev, none);
            long t4 = System.nanoTime();
            check(remove.removed() == entries && remove.failures().isEmpty(), "weft removed " + remove);
            return new long[] {t1 - t0, t2 - t1b, t4 - t3};
        }

        private long[] iproute2Round() throws NetlinkException {
            settle();
            long t0 = System.nanoTime();
            iproute2.program(full);
            long t1 = System.nanoTime();
            settle();
            long t1b = System.nanoTime();
            int differences = iproute2.resync(full);
            long t2 = System.nanoTime();
            check(differences == 0, differences + " differences after iproute2 programmed");
            DriftReport drift = vtep.inspect(dev, full);
            check(drift.isClean(), "weft sees drift after iproute2 programmed: " + drift.drifts().stream().limit(3).toList());
            settle();
            long t3 = System.nanoTime();
            iproute2.remove(full);
            long t4 = System.nanoTime();
            check(vtep.inspect(dev, full).drifts().size() == entries, "iproute2 left entries behind");
            check(rtnl.fdb(dev.index()).isEmpty(), "iproute2 left FDB entries behind");
            return new long[] {t1 - t0, t2 - t1b, t4 - t3};
        }

        /**
         * Before each timed step: collect the garbage earlier steps left, and give the kernel a
         * moment for the deferred (RCU) frees of what was just deleted, so a step pays for itself only.
         */
        private static void settle() {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void check(boolean ok, String what) {
            if (!ok) {
                throw new IllegalStateException("benchmark state check failed: " + what);
            }
        }

    }

    private static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
