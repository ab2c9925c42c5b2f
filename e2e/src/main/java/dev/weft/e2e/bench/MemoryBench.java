package dev.weft.e2e.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * B4: the agent's resident memory a few seconds after it converged, with no peers and with each
 * of B2's sizes (the same runs as B2 when both are selected), and its peak. flannel's figures are
 * the issue's.
 */
public final class MemoryBench implements BenchPart {
    /** flanneld v0.20.2 RSS in MB with N peers, as the issue reports it. */
    static final Map<Integer, Double> FLANNEL_MB = Map.of(1000, 42.0, 5000, 60.0);
    static final Map<Integer, Double> TARGET_MIB = Map.of(1000, 64.0);

    @Override
    public String id() {
        return "B4";
    }

    @Override
    public String title() {
        return "memory";
    }

    @Override
    public List<Row> run(Scale scale, PrintStream log) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(0);
        sizes.addAll(scale.peerCounts());
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) {
            AgentRuns.Result r = AgentRuns.at(scale, n, log);
            double median = Stats.median(r.rss());
            Double flannel = FLANNEL_MB.get(n);
            Double target = TARGET_MIB.get(n);
            String what = "steady RSS, " + n + " peers (peak " + Stats.fmt("%.1f MiB", Stats.median(r.peak())) + ")";
            String weft = Stats.medianSpread(r.rss(), "%.1f", " MiB");
            String reference = flannel == null ? "" : Stats.fmt("flannel v0.20.2 %.0f MB (issue figure, not this run)", flannel);
            String ratio = flannel == null ? "" : Stats.fmt("%.2f × flannel", median * 1.048576 / flannel);
            rows.add(target == null ? Row.info(id(), what, weft, reference, ratio)
                    : Row.checked(id(), what, weft, reference, ratio, Stats.fmt("≤ %.0f MiB", target), median <= target));
        }
        return rows;
    }
}
