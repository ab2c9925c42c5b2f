package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.KernelTest;
import dev.weft.vtep.RouteForm;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The benchmark at a small size, in the normal kernel tier: it must run end to end, and the
 * state checks inside it (each side's result verified against the other's view of the kernel)
 * must hold. Timings are printed by the real benchmark, never asserted.
 */
@KernelTest
class VtepBenchmarkSmokeKernelIT {
    @Test
    void bothSidesProgramResyncAndRemoveTheSameEntries() throws Exception {
        List<VtepBenchmark.Row> rows = VtepBenchmark.measure(20, 1);

        assertThat(rows).extracting(VtepBenchmark.Row::form, VtepBenchmark.Row::operation).containsExactly(
                org.assertj.core.groups.Tuple.tuple(RouteForm.GATEWAY, "program"),
                org.assertj.core.groups.Tuple.tuple(RouteForm.GATEWAY, "no-op resync"),
                org.assertj.core.groups.Tuple.tuple(RouteForm.GATEWAY, "remove"),
                org.assertj.core.groups.Tuple.tuple(RouteForm.NEXTHOP, "program"),
                org.assertj.core.groups.Tuple.tuple(RouteForm.NEXTHOP, "no-op resync"),
                org.assertj.core.groups.Tuple.tuple(RouteForm.NEXTHOP, "remove"));
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.peers()).isEqualTo(20);
            assertThat(r.entries()).isEqualTo(r.form() == RouteForm.NEXTHOP ? 80 : 60);
            assertThat(r.weft()).isPositive();
            assertThat(r.iproute2()).isPositive();
        });
        assertThat(VtepBenchmark.markdown(rows)).startsWith("| peers | entries | routes | operation |")
                .contains("| 20 | 60 | routes via gateway | program |").contains("| 20 | 80 | nexthop objects | program |");
    }

    @Test
    void peersAreDistinctAndStable() {
        List<dev.weft.vtep.PeerSpec> peers = VtepBenchmark.peers(5000);
        assertThat(peers).extracting(p -> p.subnet()).doesNotHaveDuplicates();
        assertThat(peers).extracting(p -> p.vtepMac()).doesNotHaveDuplicates();
        assertThat(peers).extracting(p -> p.publicIp()).doesNotHaveDuplicates();
        assertThat(peers).isEqualTo(VtepBenchmark.peers(5000));
    }
}
