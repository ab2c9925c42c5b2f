package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Pod;
import dev.weft.testing.Cmd;
import dev.weft.testing.KernelTest;
import org.junit.jupiter.api.Test;

/** The data plane settings B7 chose, on real agents: offloads on the device, DirectRouting on a shared subnet. */
@KernelTest
class DataPlaneSettingsClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deviceKeepsTxChecksumOffloadUnlessTheFlagTurnsItOff() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(2, 1))) {
            for (Node n : c.nodes()) {
                assertThat(features(n)).as("%s: offloads as the kernel makes them", n)
                        .contains("tx-checksum-ip-generic: on").contains("tx-tcp-segmentation: on");
            }
            Node n2 = c.node(2);
            n2.stopAgent(Duration.ofSeconds(5));
            n2.withAgentArgs("--disable-tx-checksum-offload");
            n2.startAgent();
            n2.awaitReady(Cluster.READY_TIMEOUT);
            assertThat(DataPlane.await(Duration.ofSeconds(10), () -> features(n2).contains("tx-checksum-ip-generic: off")))
                    .as("--disable-tx-checksum-offload turns it off").isNotNull();
            assertThat(features(n2)).contains("tx-tcp-segmentation: off");
            Pod a = c.podsOn(c.node(1)).getFirst();
            Pod b = c.podsOn(n2).getFirst();
            assertThat(Connectivity.ping(a.ns(), b.ip(), 3)).isTrue();
            assertThat(Connectivity.ping(b.ns(), a.ip(), 3)).isTrue();
        }
    }

    @Test
    void directRoutingSendsPodTrafficOnTheUnderlay() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(2, 1), "{\"Type\":\"vxlan\",\"DirectRouting\":true}")) {
            Node n1 = c.node(1);
            Pod a = c.podsOn(n1).getFirst();
            Pod b = c.podsOn(c.node(2)).getFirst();
            String want = "via " + c.node(2).underlayIp() + " dev eth0";
            assertThat(DataPlane.await(Duration.ofSeconds(10), () -> n1.ns().ip("route", "get", b.ip()).contains(want)))
                    .as("route to %s %s", b, want).isNotNull();
            assertThat(Connectivity.ping(a.ns(), b.ip(), 5)).isTrue();

            long before = txBytes(n1);
            Cmd.Result ping = a.ns().exec(Duration.ofSeconds(10), "ping", "-n", "-q", "-c", "20", "-i", "0.01", "-s", "1000",
                    b.ip());
            assertThat(ping.ok()).as(ping.stdout()).isTrue();
            assertThat(txBytes(n1) - before).as("bytes through %s while 20 kB of pings went out", DataPlane.DEVICE)
                    .isLessThan(2000);
        }
    }

    private static String features(Node n) {
        return n.ns().exec(Duration.ofSeconds(10), "ethtool", "-k", DataPlane.DEVICE).orThrow();
    }

    private static long txBytes(Node n) throws Exception {
        return JSON.readTree(n.ns().ip("-s", "-j", "link", "show", DataPlane.DEVICE)).path(0).path("stats64").path("tx")
                .path("bytes").asLong();
    }
}
