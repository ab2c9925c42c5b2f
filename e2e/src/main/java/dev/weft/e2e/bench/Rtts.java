package dev.weft.e2e.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * B7's ping figures: round-trip times node→node on the underlay, pod→pod across nodes over VXLAN
 * and with DirectRouting, taken in alternating batches so drift falls on all three alike.
 */
record Rtts(List<Double> underlay, List<Double> vxlan, List<Double> direct) {
    static Rtts measure(DataPlaneBench.Paths vx, DataPlaneBench.Paths dr, int count, int batches) throws IOException {
        List<Double> ul = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        List<Double> d = new ArrayList<>();
        int each = Math.max(1, count / batches);
        for (int b = 0; b < batches; b++) {
            ul.addAll(Iperf.pingRtts(vx.n1().ns(), vx.n2().underlayIp(), each));
            v.addAll(Iperf.pingRtts(vx.local().ns(), vx.remote().ip(), each));
            d.addAll(Iperf.pingRtts(dr.local().ns(), dr.remote().ip(), each));
        }
        return new Rtts(ul, v, d);
    }

    List<Row> rows(String id) {
        String ref = "node→node " + p50p99(underlay);
        return List.of(
                Row.info(id, "ping RTT pod→pod across nodes, VXLAN (" + vxlan.size() + " pings, 10 ms apart)", p50p99(vxlan), ref,
                        overhead(vxlan)),
                Row.info(id, "ping RTT pod→pod across nodes, DirectRouting", p50p99(direct), ref, overhead(direct)));
    }

    private String overhead(List<Double> path) {
        return Stats.fmt("%+.0f µs p50", Stats.median(path) - Stats.median(underlay))
                + Stats.fmt(" / %+.0f µs p99", Stats.percentile(path, 99) - Stats.percentile(underlay, 99));
    }

    private static String p50p99(List<Double> rtts) {
        return Stats.fmt("p50 %.0f", Stats.median(rtts)) + Stats.fmt(" / p99 %.0f µs", Stats.percentile(rtts, 99));
    }
}
