package dev.weft.e2e.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.weft.testing.NetnsSweeper;
import dev.weft.testing.Privileges;

/**
 * {@code ./dev footprint}: where the agent's memory goes, at each peer count, for one or more JVM
 * settings side by side. Each agent is started the way B2/B4 start it (same rig and API server
 * with N simulated Nodes), left to converge and settle, then read from outside by
 * {@link FootprintProbe}. Every {@code --opts} value is one variant: tokens like {@code NAME=value}
 * go into the agent's environment (e.g. {@code WEFT_AOT=off}), the rest into
 * {@code WEFT_JAVA_OPTS}. Native Memory Tracking is on unless {@code --no-nmt} (it costs a few
 * MiB itself, so compare RSS across variants with the same setting). {@code --agent} measures another
 * build's launcher. The breakdown goes to
 * stdout as markdown, progress to stderr.
 */
public final class Footprint {
    private static final int TOP = 14;

    private Footprint() {
    }

    /** One setting: a label, the agent's extra environment and extra JVM options. */
    record Variant(String label, Map<String, String> env, String javaOpts) {
        static Variant parse(String spec, boolean nmt) {
            Map<String, String> env = new LinkedHashMap<>();
            List<String> opts = new ArrayList<>();
            for (String token : spec.strip().split("\\s+")) {
                if (token.matches("[A-Z][A-Z0-9_]*=.*")) {
                    env.put(token.substring(0, token.indexOf('=')), token.substring(token.indexOf('=') + 1));
                } else if (!token.isEmpty()) {
                    opts.add(token);
                }
            }
            if (nmt) {
                opts.add("-XX:NativeMemoryTracking=summary");
            }
            env.put("WEFT_JAVA_OPTS", String.join(" ", opts));
            return new Variant(spec.isBlank() ? "defaults" : spec.strip(), env, String.join(" ", opts));
        }
    }

    /**
     * One variant at one size: RSS of every run, RSS of every run after a full GC forced from
     * outside ({@code jcmd GC.run}: what one {@code System.gc()} after the first sync would leave),
     * and the probe of the last run, taken before that GC.
     */
    record Measured(Variant variant, int peers, List<Double> rss, List<Double> rssAfterGc, FootprintProbe last) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> peers = List.of(0, 1000);
        List<String> specs = new ArrayList<>();
        boolean nmt = true;
        int reps = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--peers" -> peers = Arrays.stream(value(args, ++i).split(",")).map(String::strip).map(Integer::valueOf).toList();
                case "--opts" -> specs.add(value(args, ++i));
                case "--no-nmt" -> nmt = false;
                case "--reps" -> reps = Integer.parseInt(value(args, ++i));
                case "--agent" -> System.setProperty("weft.bench.agent", value(args, ++i));
                default -> usage();
            }
        }
        if (reps < 1 || reps > 10 || peers.stream().anyMatch(n -> n < 0 || n > 20_000)) {
            usage();
        }
        Privileges.kernelTierUnavailable().ifPresent(why -> {
            System.err.println("weft footprint: " + why);
            System.exit(2);
        });
        if (specs.isEmpty()) {
            specs.add("");
        }
        final boolean withNmt = nmt;
        List<Variant> variants = specs.stream().map(s -> Variant.parse(s, withNmt)).toList();
        NetnsSweeper.sweepOnce();
        List<Measured> all = measure(peers, variants, reps, System.err);
        System.out.print(render(all));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage();
        }
        return args[i];
    }

    private static void usage() {
        System.err.println("usage: footprint [--peers 0,1000] [--opts \"JVM options and NAME=value env\"]... [--no-nmt] [--reps 1..10] [--agent bin/weft]");
        System.exit(2);
    }

    static List<Measured> measure(List<Integer> peers, List<Variant> variants, int reps, PrintStream log) throws Exception {
        List<Measured> out = new ArrayList<>();
        for (int n : peers) {
            try (AgentRig rig = AgentRig.start(n, 0, log)) {
                for (Variant v : variants) {
                    List<Double> rss = new ArrayList<>();
                    List<Double> afterGc = new ArrayList<>();
                    FootprintProbe last = null;
                    for (int r = 0; r < reps; r++) {
                        AgentRuns.Run run = AgentRuns.coldStart(rig, AgentRig.Setup.POD, v.env());
                        long pid = rig.agent().pid();
                        last = FootprintProbe.of(pid);
                        rss.add(run.rssMiB());
                        log.println("    heap before the full GC: " + FootprintProbe.heapInfo(pid) + "; RSS then "
                                + FootprintProbe.status(pid).get("VmRSS") + " MiB");
                        afterGc.add(FootprintProbe.rssAfterFullGc(pid));
                        log.println("    heap after the full GC: " + FootprintProbe.heapInfo(pid));
                        log.printf(Locale.ROOT, "  %d peers, %s, run %d: converged in %.3f s, RSS %.1f MiB, %.1f after a full GC%n",
                                n, v.label(), r + 1, run.seconds(), run.rssMiB(), afterGc.getLast());
                    }
                    rig.stopAgent();
                    out.add(new Measured(v, n, rss, afterGc, last));
                }
            }
        }
        return out;
    }

    static String render(List<Measured> all) {
        StringBuilder b = new StringBuilder("# weft agent footprint\n\n");
        b.append("| variant | peers | RSS MiB | after full GC | anon | file | NMT committed | heap | class+metaspace | code | threads | classes | AOT cache mapped |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measured m : all) {
            FootprintProbe p = m.last();
            Map<String, Double> nmt = p.nmt();
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.1f | %.1f | %s | %s | %s | %s | %d | %d | %s |%n",
                    m.variant().label(), m.peers(), Stats.medianSpread(m.rss(), "%.1f", ""),
                    Stats.medianSpread(m.rssAfterGc(), "%.1f", ""),
                    p.status().getOrDefault("RssAnon", 0.0), p.status().getOrDefault("RssFile", 0.0),
                    mib(nmt, "Total"), mib(nmt, "Java Heap"), mib(nmt, "Class"), mib(nmt, "Code"),
                    p.threadCount(), p.classCount(), p.files().containsKey("weft.aot") ? "yes" : "no"));
        }
        for (Measured m : all) {
            b.append("\n## ").append(m.variant().label()).append(", ").append(m.peers()).append(" peers\n\n");
            b.append("WEFT_JAVA_OPTS: `").append(m.variant().javaOpts()).append("`\n\n");
            section(b, "NMT committed (MiB)", m.last().nmt(), "%.1f");
            section(b, "resident file mappings (MiB)", m.last().files(), "%.1f");
            section(b, "loaded classes per library", m.last().classes(), "%d");
            section(b, "threads by name", m.last().threads(), "%d");
        }
        return b.toString();
    }

    private static String mib(Map<String, Double> nmt, String key) {
        Double v = nmt.get(key);
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void section(StringBuilder b, String title, Map<String, ? extends Number> values, String format) {
        if (values.isEmpty()) {
            b.append(title).append(": (not available)\n\n");
            return;
        }
        b.append(title).append(": ");
        List<String> parts = new ArrayList<>();
        int shown = 0;
        double rest = 0;
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            if (shown++ < TOP) {
                parts.add(e.getKey() + " " + String.format(Locale.ROOT, format,
                        format.equals("%d") ? (Object) e.getValue().intValue() : (Object) e.getValue().doubleValue()));
            } else {
                rest += e.getValue().doubleValue();
            }
        }
        if (rest > 0) {
            parts.add("others " + String.format(Locale.ROOT, format.equals("%d") ? "%.0f" : "%.1f", rest));
        }
        b.append(String.join(", ", parts)).append("\n\n");
    }
}
