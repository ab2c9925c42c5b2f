package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Pod;
import dev.weft.testing.Cmd;
import dev.weft.testing.KernelTest;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

/**
 * The host-gw backend on real agents: no device, one route per peer via its underlay address,
 * pods reach each other unencapsulated at the underlay's MTU, and a peer that is not on the link
 * is reported and skipped, never routed.
 */
@KernelTest
class HostGwClusterIT {
    private static final String FAR_IP = "198.51.100.7"; // reached through the underlay's gateway, not on the link

    @Test
    void podsReachEachOtherThroughPlainRoutesAndAFarPeerIsSkipped() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(3, 1), "{\"Type\":\"host-gw\"}")) {
            for (Node n : c.nodes()) {
                assertThat(n.ns().exec(Duration.ofSeconds(5), "ip", "link", "show", DataPlane.DEVICE).ok()).as("%s has no VXLAN device", n).isFalse();
                Map<String, String> ann = c.client().nodes().withName(n.name()).get().getMetadata().getAnnotations();
                assertThat(ann).containsEntry(DataPlane.PREFIX + "backend-type", "host-gw")
                        .containsEntry(DataPlane.PREFIX + "backend-data", "null");
                assertThat(java.nio.file.Files.readString(n.subnetEnv())).contains("FLANNEL_MTU=1500");
            }
            Node n1 = c.node(1);
            for (Node peer : c.nodes()) {
                if (peer != n1) {
                    String subnet = c.client().nodes().withName(peer.name()).get().getSpec().getPodCIDR();
                    assertThat(DataPlane.await(Duration.ofSeconds(10), () -> n1.ns().ip("route", "show", "proto", "87")
                            .contains(subnet + " via " + peer.underlayIp() + " dev eth0")))
                            .as("%s routes %s via %s", n1, subnet, peer.underlayIp()).isNotNull();
                }
            }
            boolean[][] ok = Connectivity.pingMatrix(c.pods());
            assertThat(Connectivity.render(c.pods(), ok)).doesNotContain("FAIL");
            Pod a = c.podsOn(n1).getFirst();
            Pod b = c.podsOn(c.node(2)).getFirst();
            Cmd.Result big = a.ns().exec(Duration.ofSeconds(10), "ping", "-n", "-c", "2", "-M", "do", "-s", "1472", b.ip());
            assertThat(big.ok()).as("a 1500-byte packet crosses unfragmented (no encapsulation): %s", big.stdout()).isTrue();

            String farNet = GarbageAnnotationsClusterIT.freeSubnets(c, 1).getFirst(); // no node's own subnet
            String far = farNet + "/24";
            c.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("far").withAnnotations(Map.of(
                    DataPlane.PREFIX + "kube-subnet-manager", "true", DataPlane.PREFIX + "backend-type", "host-gw",
                    DataPlane.PREFIX + "backend-data", "null", DataPlane.PREFIX + "public-ip", FAR_IP)).endMetadata()
                    .withNewSpec().withPodCIDR(far).withPodCIDRs(far).endSpec().build()).create();
            for (Node n : c.nodes()) {
                assertThat(DataPlane.await(Duration.ofSeconds(10), () -> GarbageAnnotationsClusterIT.invalidPeers(n) >= 1))
                        .as("%s counts the unroutable peer in /metrics", n).isNotNull();
                assertThat(n.ns().ip("route", "show")).doesNotContain(far);
            }
            Cmd.Result status = n1.weft("status");
            assertThat(status.stdout()).as(status.stderr()).contains("far").contains("skipped").contains("not on this node's link")
                    .contains("host-gw: routes via eth0");
            assertThat(status.exitCode()).as("a skipped peer is not drift: %s", status.stdout()).isZero();
            Cmd.Result doctor = n1.weft("doctor", n1.doctorArgs().toArray(String[]::new));
            assertThat(doctor.stdout()).contains("not programmed").contains("host-gw: no VXLAN device").contains("route present");
            assertThat(Connectivity.ping(a.ns(), b.ip(), 3)).as("the others still reach each other").isTrue();

            n1.stopAgent(Duration.ofSeconds(5));
            Cmd.Result cleanup = n1.weft("cleanup");
            assertThat(cleanup.exitCode()).as("cleanup: %s%s", cleanup.stdout(), cleanup.stderr()).isZero();
            assertThat(n1.ns().ip("route", "show", "proto", "87")).as("cleanup removes the host-gw routes").isBlank();
        }
    }

    @Test
    void dualStackHostGwRoutesBothFamiliesViaTheUnderlay() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(2, 1), "{\"Type\":\"host-gw\"}",
                java.util.Optional.of(DualStackClusterIT.V6_NETWORK))) {
            Node n1 = c.node(1);
            Node n2 = c.node(2);
            Map<String, String> ann = c.client().nodes().withName(n2.name()).get().getMetadata().getAnnotations();
            assertThat(ann).containsEntry(DataPlane.PREFIX + "backend-v6-data", "null")
                    .containsEntry(DataPlane.PREFIX + "public-ipv6", n2.underlayIpV6());
            String v6subnet = c.client().nodes().withName(n2.name()).get().getSpec().getPodCIDRs().get(1);
            assertThat(DataPlane.await(Duration.ofSeconds(10), () -> n1.ns().ip("-6", "route", "show", "proto", "87")
                    .contains(v6subnet + " via " + n2.underlayIpV6() + " dev eth0")))
                    .as("%s routes %s via %s", n1, v6subnet, n2.underlayIpV6()).isNotNull();
            Pod a = c.podsOn(n1).getFirst();
            Pod b = c.podsOn(n2).getFirst();
            String v6 = dev.weft.e2e.cluster.CniRuntime.firstIpv6(b.cniResult());
            assertThat(Connectivity.ping(a.ns(), b.ip(), 3)).as("IPv4 pod to pod").isTrue();
            assertThat(DataPlane.await(Duration.ofSeconds(10), () -> a.ns().exec(Duration.ofSeconds(5), "ping", "-6", "-n", "-c", "1",
                    "-W", "2", v6).ok())).as("IPv6 pod to pod %s over host-gw", v6).isNotNull();
            Cmd.Result status = n1.weft("status");
            assertThat(status.exitCode()).as("status: %s%s", status.stdout(), status.stderr()).isZero();
            assertThat(status.stdout()).contains(v6subnet).contains(n2.underlayIpV6());
        }
    }
}
