package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Pod;
import dev.weft.net.IpPrefix;
import dev.weft.testing.KernelTest;
import org.junit.jupiter.api.Test;

/** Scenario 1: all pairs of pods across three nodes reach each other, from their own subnets, without NAT. */
@KernelTest
class PodConnectivityClusterIT {

    @Test
    void allPairsAcrossThreeNodesWithoutNat() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(3, 2))) {
            List<Pod> pods = c.pods();
            assertThat(pods).hasSize(6);
            for (Pod p : pods) {
                String podCidr = c.client().nodes().withName(p.node().name()).get().getSpec().getPodCIDR();
                assertThat(IpPrefix.parseCidr(podCidr).contains(java.net.InetAddress.getByName(p.ip())))
                        .as("%s inside its node's subnet %s", p, podCidr).isTrue();
            }
            boolean[][] ok = Connectivity.pingMatrix(pods);
            String table = Connectivity.render(pods, ok);
            System.out.println(table);
            for (int i = 0; i < pods.size(); i++) {
                for (int j = 0; j < pods.size(); j++) {
                    assertThat(ok[i][j]).as("ping %s -> %s%n%s", pods.get(i), pods.get(j), table).isTrue();
                }
            }
            Pod server = c.podsOn(c.node(1)).getFirst();
            Pod client = c.podsOn(c.node(3)).getFirst();
            assertThat(Connectivity.tcpPeerSeenBy(server.ns(), server.ip(), client.ns(), 7001))
                    .as("source address seen by the receiving pod").isEqualTo(client.ip());
        }
    }
}
