package dev.weft.doctor;

import java.util.List;

/** Renders findings one per line ({@code OK   ip_forward  net.ipv4.ip_forward = 1}) and decides the exit code. */
public final class DoctorReport {
    private DoctorReport() {
    }

    /** One line per finding, hints indented below WARN and FAIL lines, then a summary line. */
    public static String render(List<Finding> findings) {
        int width = findings.stream().mapToInt(f -> f.check().length()).max().orElse(0);
        StringBuilder s = new StringBuilder();
        for (Finding f : findings) {
            s.append(String.format("%-4s  %-" + width + "s  %s%n", f.level(), f.check(), f.detail()));
            f.hint().ifPresent(h -> s.append(" ".repeat(width + 8)).append("fix: ").append(h).append('\n'));
        }
        long warn = findings.stream().filter(f -> f.level() == Finding.Level.WARN).count();
        long fail = findings.stream().filter(f -> f.level() == Finding.Level.FAIL).count();
        s.append(String.format("%d checks: %d ok, %d warn, %d fail%n", findings.size(), findings.size() - warn - fail, warn, fail));
        return s.toString();
    }

    /** 1 when anything failed, else 0: warnings alone do not fail a script. */
    public static int exitCode(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.level() == Finding.Level.FAIL) ? 1 : 0;
    }
}
