package dev.weft.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.weft.testing.Cmd;

/** CPU time and memory of a process, from {@code /proc/<pid>}. */
final class ProcStats {
    private static volatile long clockTicks;

    private ProcStats() {
    }

    /** The process's command name ({@code /proc/<pid>/comm}), e.g. {@code java}. */
    static String comm(long pid) throws IOException {
        return Files.readString(Path.of("/proc", String.valueOf(pid), "comm")).strip();
    }

    /** User + system CPU seconds of the process and of its children it has waited for. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // fields after the parenthesised command name, which may itself contain spaces
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return ticks / (double) clockTicks();
    }

    /** {@code VmRSS} in MiB. */
    static double rssMiB(long pid) throws IOException {
        return statusKiB(pid, "VmRSS:") / 1024.0;
    }

    /** {@code VmHWM} (peak RSS) in MiB. */
    static double peakRssMiB(long pid) throws IOException {
        return statusKiB(pid, "VmHWM:") / 1024.0;
    }

    private static long statusKiB(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
            }
        }
        throw new IOException("no " + field + " in /proc/" + pid + "/status");
    }

    private static long clockTicks() {
        if (clockTicks == 0) {
            Cmd.Result r = Cmd.exec("getconf", "CLK_TCK");
            clockTicks = r.ok() ? Long.parseLong(r.stdout().strip()) : 100;
        }
        return clockTicks;
    }
}
