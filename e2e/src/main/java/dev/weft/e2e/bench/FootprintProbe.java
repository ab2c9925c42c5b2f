package dev.weft.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.weft.testing.Cmd;

/**
 * Where a running agent JVM's memory goes, read from outside: {@code /proc/<pid>} (resident
 * memory split into anonymous and file-backed, and file-backed resident memory per mapped file)
 * and {@code jcmd} (Native Memory Tracking categories when the JVM runs with
 * {@code -XX:NativeMemoryTracking=summary}, loaded classes per library, thread names).
 *
 * @param status   VmRSS, RssAnon, RssFile, RssShmem and VmHWM in MiB, and Threads as a count
 * @param files    resident MiB per mapped file (basename), largest first
 * @param nmt      committed MiB per NMT category (empty without NMT), plus "Total"
 * @param classes  loaded classes per library (package prefix), largest first
 * @param threads  threads per name with trailing numbers folded ({@code pool-1-thread-3} → {@code pool-#-thread-#})
 */
record FootprintProbe(Map<String, Double> status, Map<String, Double> files, Map<String, Double> nmt,
                      Map<String, Integer> classes, Map<String, Integer> threads) {
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern NMT_LINE = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern MAPPING = Pattern.compile("^[0-9a-f]+-[0-9a-f]+\\s+[rwxsp-]{4}\\s");
    private static final Pattern THREAD = Pattern.compile("^\"(.*)\" #\\d+");
    /** Package prefixes reported as one library each; anything else is grouped by its first two segments. */
    private static final List<String> LIBRARIES = List.of("dev.weft.", "io.fabric8.kubernetes.api.model.",
            "io.fabric8.kubernetes.client.", "io.fabric8.", "io.vertx.", "io.netty.", "com.fasterxml.jackson.",
            "io.micrometer.", "ch.qos.logback.", "org.slf4j.", "picocli.", "org.snakeyaml.", "org.yaml.",
            "java.lang.invoke.", "java.", "javax.", "jdk.internal.", "jdk.", "sun.", "com.sun.");

    /** Reads everything about {@code pid}; NMT and classes need {@code jcmd} to attach. */
    static FootprintProbe of(long pid) throws IOException {
        return new FootprintProbe(status(pid), residentFiles(pid), nmt(pid), classes(pid), threads(pid));
    }

    static Map<String, Double> status(long pid) throws IOException {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            String[] kv = line.split(":\\s+", 2);
            switch (kv[0]) {
                case "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM" ->
                        m.put(kv[0], Long.parseLong(kv[1].replace("kB", "").strip()) / 1024.0);
                case "Threads" -> m.put(kv[0], Double.parseDouble(kv[1].strip()));
                default -> {
                }
            }
        }
        return m;
    }

    /** Resident MiB of each mapped file, from {@code smaps}: the jars, the JDK's modules and CDS/AOT archives, libraries. */
    static Map<String, Double> residentFiles(long pid) throws IOException {
        Map<String, Double> kib = new TreeMap<>();
        String file = null;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps"))) {
            if (MAPPING.matcher(line).find()) {
                String[] f = line.split("\\s+", 6);
                file = f.length == 6 && f[5].startsWith("/") ? Path.of(f[5].strip()).getFileName().toString() : null;
            } else if (file != null && line.startsWith("Rss:")) {
                kib.merge(file, Double.parseDouble(line.substring(4).replace("kB", "").strip()), Double::sum);
            }
        }
        Map<String, Double> mib = new TreeMap<>();
        kib.forEach((name, k) -> {
            if (k >= 256) {
                mib.put(name, k / 1024.0);
            }
        });
        return sortedDesc(mib);
    }

    /** Forces a full GC in {@code pid}, gives the heap two seconds to shrink, and returns VmRSS in MiB. */
    static double rssAfterFullGc(long pid) throws IOException {
        jcmd(pid, "GC.run").orThrow();
        AgentRig.sleep(2000);
        return status(pid).get("VmRSS");
    }

    /** {@code jcmd GC.heap_info}: each generation's capacity and use, as the JVM prints them. */
    static String heapInfo(long pid) {
        Cmd.Result r = jcmd(pid, "GC.heap_info");
        return r.ok() ? r.stdout().lines().skip(1).map(String::strip).filter(l -> l.contains("total"))
                .reduce((a, b) -> a + "; " + b).orElse("") : "(GC.heap_info failed: " + r.stderr().strip() + ")";
    }

    static Map<String, Double> nmt(long pid) {
        Cmd.Result r = jcmd(pid, "VM.native_memory", "summary");
        Map<String, Double> m = new LinkedHashMap<>();
        if (!r.ok() || !r.stdout().contains("Native Memory Tracking")) {
            return m;
        }
        for (String line : r.stdout().lines().map(String::strip).toList()) {
            Matcher t = NMT_TOTAL.matcher(line);
            Matcher c = NMT_LINE.matcher(line);
            if (t.find()) {
                m.put("Total", Long.parseLong(t.group(2)) / 1024.0);
            } else if (c.find()) {
                m.put(c.group(1).strip(), Long.parseLong(c.group(3)) / 1024.0);
            }
        }
        return sortedDesc(m);
    }

    static Map<String, Integer> classes(long pid) {
        Cmd.Result r = jcmd(pid, "VM.classes");
        Map<String, Integer> m = new TreeMap<>();
        if (!r.ok()) {
            return m;
        }
        r.stdout().lines().skip(2).forEach(line -> {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4 && f[0].startsWith("0x")) {
                m.merge(library(f[f.length - 1]), 1, Integer::sum);
            }
        });
        return sortedDesc(m);
    }

    static String library(String className) {
        for (String prefix : LIBRARIES) {
            if (className.startsWith(prefix)) {
                return prefix + "*";
            }
        }
        String[] parts = className.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] + ".*" : className.replaceAll("\\$.*", "");
    }

    static Map<String, Integer> threads(long pid) {
        Cmd.Result r = jcmd(pid, "Thread.print");
        Map<String, Integer> m = new TreeMap<>();
        if (r.ok()) {
            r.stdout().lines().map(THREAD::matcher).filter(Matcher::find)
                    .forEach(t -> m.merge(t.group(1).replaceAll("\\d+", "#"), 1, Integer::sum));
        }
        return sortedDesc(m);
    }

    private static Cmd.Result jcmd(long pid, String... command) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        List<String> cmd = Stream.concat(Stream.of(jcmd, String.valueOf(pid)), Stream.of(command)).toList();
        return Cmd.exec(JCMD_TIMEOUT, null, cmd);
    }

    private static <V extends Comparable<V>> Map<String, V> sortedDesc(Map<String, V> m) {
        Map<String, V> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.<String, V>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    int classCount() {
        return classes.values().stream().mapToInt(Integer::intValue).sum();
    }

    int threadCount() {
        return threads.values().stream().mapToInt(Integer::intValue).sum();
    }
}
