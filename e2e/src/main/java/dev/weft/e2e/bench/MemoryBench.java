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
            r.image().ifPresent(img -> rows.addAll(imageRows(n, img, median)));
        }
        return rows;
    }

    /** The shipped image's size, and its agent's steady RSS beside the build tree's in the same rig. */
    private List<Row> imageRows(int n, ImageMemory.Result img, double buildTree) {
        return List.of(
                Row.info(id(), "steady RSS, " + n + " peers, agent of the image (podman, DaemonSet capabilities; converged in "
                                + Stats.fmt("%.2f s", img.seconds()) + ", peak " + Stats.fmt("%.1f MiB", img.peakMiB()) + ")",
                        Stats.fmt("%.1f MiB", img.rssMiB()), Stats.fmt("build-tree agent %.1f MiB", buildTree),
                        Stats.fmt("%.2f", img.rssMiB() / buildTree)),
                Row.info(id(), "image size (deploy/Dockerfile, " + img.image() + ")", Stats.fmt("%.0f MiB", img.imageMiB()), "", ""));
    }
}
