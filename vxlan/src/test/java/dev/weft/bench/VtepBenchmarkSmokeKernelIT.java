package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.KernelTest;

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

        assertThat(rows).extracting(VtepBenchmark.Row::operation).containsExactly("program", "no-op resync", "remove");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.peers()).isEqualTo(20);
            assertThat(r.entries()).isEqualTo(60);
            assertThat(r.weft()).isPositive();
            assertThat(r.iproute2()).isPositive();
        });
        assertThat(VtepBenchmark.markdown(rows)).startsWith("| peers | entries | operation |").contains("| 20 | 60 | program |");
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
