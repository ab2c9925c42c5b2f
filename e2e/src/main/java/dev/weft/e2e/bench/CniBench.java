package dev.weft.e2e.bench;

import java.io.PrintStream;
import java.util.List;

import dev.weft.cni.bench.ShimBench;
import dev.weft.e2e.cluster.Artifacts;

/** B6: a pod's ADD+DEL through the installed weft shim vs the same delegate config given to bridge directly. */
public final class CniBench implements BenchPart {
    @Override
    public String id() {
        return "B6";
    }

    @Override
    public String title() {
        return "CNI ADD+DEL";
    }

    @Override
    public List<Row> run(Scale scale, PrintStream log) throws Exception {
        log.println("B6: " + scale.pods() + " pods, shim (with and without AOT cache) and bridge alternating");
        ShimBench.Report r = ShimBench.run(Artifacts.locate().shimBundle(), scale.pods(), log);
        String bridge = p50p95(r.bridge());
        return List.of(
                Row.checked(id(), "ADD+DEL, shim with AOT cache, " + r.pods() + " pods", p50p95(r.shimAot()),
                        "bridge " + bridge, ratios(r.ratioP50WithCache(), r.ratioP95WithCache()), "p50 ≤ 3.0",
                        r.ratioP50WithCache() <= 3.0),
                Row.info(id(), "ADD+DEL, shim without AOT cache", p50p95(r.shimNoAot()), "bridge " + bridge,
                        ratios(r.ratioP50NoCache(), r.ratioP95NoCache())),
                Row.info(id(), "floor: one JVM start (shim VERSION, AOT cache)", p50p95(r.versionAot()),
                        "nsenter /bin/true " + p50p95(r.wrapper()), ""));
    }

    private static String p50p95(ShimBench.Row row) {
        return Stats.fmt("p50 %.1f", row.p50()) + Stats.fmt(" / p95 %.1f ms", row.p95());
    }

    private static String ratios(double p50, double p95) {
        return Stats.fmt("%.2f", p50) + Stats.fmt(" / %.2f", p95);
    }
}
