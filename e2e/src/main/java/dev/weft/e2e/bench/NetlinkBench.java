package dev.weft.e2e.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import dev.weft.bench.VtepBenchmark;

/**
 * B1: programming, re-syncing and removing N peers, weft's netlink vs {@code ip -batch} + {@code bridge -batch},
 * once with routes via their own gateway (flannel's form) and once through nexthop objects (weft's default), the
 * scripts writing the same form as weft.
 */
public final class NetlinkBench implements BenchPart {
    @Override
    public String id() {
        return "B1";
    }

    @Override
    public String title() {
        return "netlink programming";
    }

    @Override
    public List<Row> run(Scale scale, PrintStream log) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int n : scale.peerCounts()) {
            log.println("B1: " + n + " peers, " + scale.reps() + " repetitions");
            for (VtepBenchmark.Row r : VtepBenchmark.measure(n, scale.reps())) {
                double ratio = r.ratio();
                rows.add(Row.checked(id(), r.operation() + ", " + n + " peers (" + r.entries() + " entries), " + r.formLabel(),
                        Stats.medianSpread(millis(r.weftNanos()), "%.1f", " ms"),
                        "ip/bridge -batch " + Stats.medianSpread(millis(r.iproute2Nanos()), "%.1f", " ms"),
                        Stats.fmt("%.2f", ratio), "≤ 1.0", ratio <= 1.0));
            }
        }
        return rows;
    }

    static List<Double> millis(List<Long> nanos) {
        return nanos.stream().map(n -> n / 1e6).toList();
    }
}
