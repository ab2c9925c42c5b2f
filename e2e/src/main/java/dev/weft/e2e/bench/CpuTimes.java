package dev.weft.e2e.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's CPU counters from {@code /proc/stat} (ticks), aggregate and per core, to see
 * whether a run was CPU-bound and whether one core was the limit.
 *
 * @param all   the "cpu" line
 * @param cores the "cpuN" lines
 */
record CpuTimes(Ticks all, List<Ticks> cores) {
    /** Busy (neither idle nor iowait), softirq and total ticks of one line. */
    record Ticks(long busy, long softirq, long total) {
        static Ticks parse(String line) {
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            return new Ticks(total - Long.parseLong(f[4]) - Long.parseLong(f[5]), Long.parseLong(f[7]), total);
        }

        double busyPercent(Ticks before) {
            return 100.0 * (busy - before.busy) / Math.max(1, total - before.total);
        }
    }

    /**
     * Of the CPU time between two readings: the part busy, the busiest core's busy part, and the
     * part in softirq (where the kernel forwards packets).
     */
    record Share(double busyPercent, double busiestCorePercent, double softirqPercent) {
    }

    static CpuTimes read() {
        try {
            Ticks all = null;
            List<Ticks> cores = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    all = Ticks.parse(line);
                } else if (line.startsWith("cpu")) {
                    cores.add(Ticks.parse(line));
                }
            }
            if (all == null) {
                throw new IllegalStateException("/proc/stat has no cpu line");
            }
            return new CpuTimes(all, cores);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Share since(CpuTimes before) {
        double busiest = 0;
        for (int i = 0; i < Math.min(cores.size(), before.cores.size()); i++) {
            busiest = Math.max(busiest, cores.get(i).busyPercent(before.cores.get(i)));
        }
        double softirq = 100.0 * (all.softirq - before.all.softirq) / Math.max(1, all.total - before.all.total);
        return new Share(all.busyPercent(before.all), busiest, softirq);
    }
}
