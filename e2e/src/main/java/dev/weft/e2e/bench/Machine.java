package dev.weft.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.weft.testing.Cmd;

/** One line describing the machine a bench ran on: CPU, cores, memory, kernel, Java, iproute2, load. */
public final class Machine {
    private Machine() {
    }

    public static String describe() {
        return String.join(", ",
                cpuModel() + " × " + Runtime.getRuntime().availableProcessors(),
                memTotal(),
                "Linux " + System.getProperty("os.version"),
                "Java " + Runtime.version(),
                firstLine("ip", "-V"),
                firstLine("iperf3", "--version"),
                "load " + loadAverage());
    }

    static String cpuModel() {
        return field(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU");
    }

    static String memTotal() {
        return field(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> Stats.fmt("%.1f GiB RAM", Long.parseLong(v.replace("kB", "").strip()) / 1024.0 / 1024.0))
                .orElse("unknown RAM");
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static java.util.Optional<String> field(Path file, String key) {
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> l.toLowerCase(Locale.ROOT).startsWith(key.toLowerCase(Locale.ROOT)))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip().replaceAll("\\s+", " ")).findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static String firstLine(String... cmd) {
        Cmd.Result r;
        try {
            r = Cmd.exec(java.time.Duration.ofSeconds(10), "", java.util.List.of(cmd));
        } catch (RuntimeException e) {
            return cmd[0] + " not found";
        }
        String out = (r.stdout() + r.stderr()).strip();
        return out.isEmpty() ? cmd[0] + " unknown" : out.lines().findFirst().orElse("").replace("|", "/");
    }
}
