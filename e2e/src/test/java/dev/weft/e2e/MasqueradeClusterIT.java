package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Ns;
import dev.weft.e2e.cluster.Pod;
import dev.weft.e2e.cluster.Underlay;
import dev.weft.testing.KernelTest;
import org.junit.jupiter.api.Test;

/** Scenario 9: with --ip-masq, traffic leaving the cluster network carries the node's address; pod↔pod does not. */
@KernelTest
class MasqueradeClusterIT {

    @Test
    void outsideSeesNodeAddressPodsSeePodAddress() throws Exception {
        // The harness runs every agent with --ip-masq, as kube-flannel runs flanneld.
        try (Cluster c = Cluster.start(ClusterSpec.forTest(2, 0))) {
            assertThat(c.node(1).agentCommand()).contains("--ip-masq");
            Pod p1 = c.addPod(c.node(1), 1);
            Pod p2 = c.addPod(c.node(2), 1);
            Ns outside = c.addOutsideHost();

            String seenOutside = Connectivity.tcpPeerSeenBy(outside, Underlay.OUTSIDE_IP, p1.ns(), 7002);
            assertThat(seenOutside).as("outside host sees the node's underlay address").isEqualTo(c.node(1).underlayIp());

            String seenByPod = Connectivity.tcpPeerSeenBy(p2.ns(), p2.ip(), p1.ns(), 7003);
            assertThat(seenByPod).as("a pod on another node sees the pod's own address").isEqualTo(p1.ip());
        }
    }
}
