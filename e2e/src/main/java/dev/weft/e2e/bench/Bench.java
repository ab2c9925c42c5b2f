package dev.weft.e2e.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.weft.testing.NetnsSweeper;
import dev.weft.testing.Privileges;

/**
 * weft's one bench command ({@code ./dev bench}): B1..B7 side by side with their references,
 * printed as one markdown table headed by the machine and the date. Progress goes to stderr, the
 * table to stdout (and to {@code --out FILE}). {@code --smoke} runs every bench with small sizes
 * (CI); {@code --only B2,B4} picks benches. A bench that throws is reported as failed in the
 * table and makes the exit code 1; a missed target is reported, never an error: the bench
 * measures, it does not assert.
 */
public final class Bench {
    private Bench() {
    }

    /** Every bench, in the table's order. */
    public static List<BenchPart> parts() {
        return List.of(new NetlinkBench(), new ConvergenceBench(), new EventBench(), new MemoryBench(), new StartBench(),
                new CniBench(), new DataPlaneBench());
    }

    /** The outcome of a run: the table and whether every bench ran to the end. */
    public record Result(String markdown, List<Row> rows, boolean allRan) {
    }

    public static void main(String[] args) throws IOException {
        Scale scale = Scale.FULL;
        Set<String> only = new LinkedHashSet<>();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> scale = Scale.SMOKE;
                case "--only" -> only.addAll(Arrays.asList(value(args, ++i, "--only").toUpperCase(Locale.ROOT).split(",")));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                default -> {
                    System.err.println("usage: bench [--smoke] [--only B1,B2,...] [--out FILE]");
                    System.exit(2);
                }
            }
        }
        Privileges.kernelTierUnavailable().ifPresent(why -> {
            System.err.println("weft bench: " + why);
            System.exit(2);
        });
        Result r = run(scale, only, System.err);
        System.out.print(r.markdown());
        if (out != null) {
            Files.writeString(out, r.markdown());
        }
        System.exit(r.allRan() ? 0 : 1);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /** Runs the selected benches ({@code only} empty = all) and renders the table. */
    public static Result run(Scale scale, Set<String> only, PrintStream log) {
        for (String id : only) {
            if (parts().stream().noneMatch(p -> p.id().equals(id))) {
                throw new IllegalArgumentException("no bench " + id + "; there are "
                        + parts().stream().map(BenchPart::id).toList());
            }
        }
        NetnsSweeper.sweepOnce();
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        String machine = Machine.describe();
        long t0 = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        boolean allRan = true;
        for (BenchPart part : parts()) {
            if (!only.isEmpty() && !only.contains(part.id())) {
                continue;
            }
            long p0 = System.nanoTime();
            try {
                rows.addAll(part.run(scale, log));
            } catch (Exception | AssertionError e) {
                allRan = false;
                e.printStackTrace(log);
                String msg = String.valueOf(e.getMessage()).replace('|', '/').lines().findFirst().orElse("");
                rows.add(new Row(part.id(), part.title(), "failed: " + e.getClass().getSimpleName() + ": "
                        + msg.substring(0, Math.min(160, msg.length())), "", "", "", Row.Verdict.FAILED));
            }
            log.printf(Locale.ROOT, "%s %s: %.1f s%n", part.id(), part.title(), (System.nanoTime() - p0) / 1e9);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new Result(render(scale, started, machine, took, rows), List.copyOf(rows), allRan);
    }

    static String render(Scale scale, ZonedDateTime started, String machine, Duration took, List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("weft bench").append(scale.smoke() ? " (smoke sizes)" : "").append(", ")
                .append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append(", ")
                .append(took.toSeconds()).append(" s\n\n");
        b.append("Machine: ").append(machine).append("\n\n");
        b.append("| bench | measure | weft | reference (same run) | ratio | target | |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(String.join(" | ", r.id(), r.what(), r.weft(), r.reference(), r.ratio(), r.target(),
                    r.verdict().text())).append(" |\n");
        }
        b.append("\nFigures are median (min–max, n) unless marked p50/p95/p99; every reference was measured in this run.\n");
        return b.toString();
    }
}
