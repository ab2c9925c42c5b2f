package dev.weft.e2e.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's aggregate CPU counters ({@code /proc/stat} "cpu" line, in ticks), to see whether a run was CPU-bound. */
record CpuTimes(long busy, long softirq, long total) {
    /** Of the CPU time that passed between two readings, the part busy (not idle or iowait) and the part in softirq. */
    record Share(double busyPercent, double softirqPercent) {
    }

    static CpuTimes read() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new CpuTimes(total - idle, Long.parseLong(f[7]), total);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Share since(CpuTimes before) {
        double dt = Math.max(1, total - before.total);
        return new Share(100.0 * (busy - before.busy) / dt, 100.0 * (softirq - before.softirq) / dt);
    }
}
