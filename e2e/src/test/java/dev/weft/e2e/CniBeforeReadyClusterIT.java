package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.CniRuntime;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Ns;
import dev.weft.net.IpPrefix;
import dev.weft.testing.KernelTest;
import org.junit.jupiter.api.Test;

/** Scenario 10: a pod created before the agent wrote subnet.env gets CNI error 11, and succeeds on retry once ready. */
@KernelTest
class CniBeforeReadyClusterIT {

    @Test
    void tryAgainLaterThenSuccess() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(1, 0))) {
            Node n2 = c.addNode(2);
            Ns podNs = Ns.create(c.spec().nsName("early-pod"));
            try {
                CniRuntime.Outcome early = n2.cni().add("e2e-early", podNs.path(), "eth0");
                assertThat(early.ok()).isFalse();
                assertThat(early.plugin()).isEqualTo("weft");
                assertThat(early.errorCode()).as("CNI error JSON: %s", early.stdout()).isEqualTo(11);

                n2.startAgent();
                n2.awaitReady(Cluster.READY_TIMEOUT);
                CniRuntime.Outcome retry = n2.cni().add("e2e-early", podNs.path(), "eth0");
                assertThat(retry.ok()).as("retry after ready: %s %s", retry.stdout(), retry.stderr()).isTrue();
                String ip = CniRuntime.firstIpv4(retry.result());
                String subnet = c.client().nodes().withName(n2.name()).get().getSpec().getPodCIDR();
                assertThat(IpPrefix.parseCidr(subnet).contains(java.net.InetAddress.getByName(ip))).isTrue();
            } finally {
                podNs.delete();
            }
        }
    }
}
