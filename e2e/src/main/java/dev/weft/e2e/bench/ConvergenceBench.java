package dev.weft.e2e.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * B2: a real agent's cold start against N simulated peer Nodes of about 8 KB each, from the spawn
 * of its process to the last peer's entries in the kernel; with its CPU seconds and the bytes it
 * read from the API. Same-run reference: a plain HTTP client reading the same paginated Node list
 * from the node (the floor of fetching the data); flannel's daemon figure is the issue's.
 */
public final class ConvergenceBench implements BenchPart {
    /** flanneld v0.20.2, start → all peers programmed, seconds, as the issue reports it (N → s). */
    static final Map<Integer, Double> FLANNEL_SECONDS = Map.of(1000, 1.15, 5000, 2.0);
    static final Map<Integer, Double> TARGET_SECONDS = Map.of(1000, 1.0, 5000, 1.5);

    @Override
    public String id() {
        return "B2";
    }

    @Override
    public String title() {
        return "convergence";
    }

    @Override
    public List<Row> run(Scale scale, PrintStream log) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int n : scale.peerCounts()) {
            AgentRuns.Result r = AgentRuns.at(scale, n, log);
            double median = Stats.median(r.seconds());
            String floor = "plain paginated LIST " + Stats.medianSpread(r.listSeconds(), "%.3f", " s");
            Double flannel = FLANNEL_SECONDS.get(n);
            Double target = TARGET_SECONDS.get(n);
            String reference = floor + (flannel == null ? "" : "; flannel v0.20.2 " + Stats.fmt("%.2f s", flannel)
                    + " (issue figure, not this run)");
            String ratio = flannel == null ? "" : Stats.fmt("%.2f × flannel", median / flannel);
            String what = "start → " + n + " peers programmed (" + AgentRig.Setup.POD.text() + ")";
            String weft = Stats.medianSpread(r.seconds(), "%.3f", " s");
            rows.add(target == null ? Row.info(id(), what, weft, reference, ratio)
                    : Row.checked(id(), what, weft, reference, ratio, Stats.fmt("≤ %.1f s", target), median <= target));
            rows.add(Row.info(id(), "CPU seconds to converge, " + n + " peers", Stats.medianSpread(r.cpu(), "%.2f", " s"),
                    "", ""));
            for (var v : r.variants().entrySet()) {
                List<AgentRuns.Run> runs = v.getValue();
                rows.add(Row.info(id(), "start → " + n + " peers programmed, " + v.getKey().text(),
                        Stats.medianSpread(runs.stream().map(AgentRuns.Run::seconds).toList(), "%.3f", " s")
                                + Stats.fmt(", %.2f CPU s", Stats.median(runs.stream().map(AgentRuns.Run::cpu).toList()))
                                + Stats.fmt(", RSS %.1f MiB", Stats.median(runs.stream().map(AgentRuns.Run::rssMiB).toList())),
                        AgentRig.Setup.POD.text() + Stats.fmt(" %.3f s", median), ""));
            }
            rows.add(Row.info(id(), "bytes read from the API, " + n + " peers", Stats.medianSpread(r.rxMiB(), "%.1f", " MiB"),
                    Stats.fmt("Node list bodies %.1f MiB", r.listBytes() / 1048576.0), ""));
        }
        return rows;
    }
}
