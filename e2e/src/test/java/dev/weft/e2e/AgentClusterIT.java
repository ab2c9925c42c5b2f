package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.e2e.DataPlane.PeerRef;
import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Node;
import dev.weft.net.IpPrefix;
import dev.weft.testing.Cmd;
import dev.weft.testing.KernelTest;
import org.junit.jupiter.api.Test;

/** The agent's own contract (issue 5) on a real three-node cluster. */
@KernelTest
class AgentClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readyAgentsPublishFlannelShapeAndReachEachOther() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(3, 0))) {
            for (Node n : c.nodes()) {
                var node = c.client().nodes().withName(n.name()).get();
                Map<String, String> ann = node.getMetadata().getAnnotations();
                String p = DataPlane.PREFIX;
                assertThat(ann).containsEntry(p + "backend-type", "vxlan")
                        .containsEntry(p + "kube-subnet-manager", "true")
                        .containsEntry(p + "public-ip", n.underlayIp());
                JsonNode data = JSON.readTree(ann.get(p + "backend-data"));
                assertThat(data.path("VNI").asInt()).isEqualTo(1);
                String mac = n.ns().ip("-j", "link", "show", DataPlane.DEVICE);
                assertThat(JSON.readTree(mac).get(0).path("address").asText()).isEqualTo(data.path("VtepMAC").asText());

                IpPrefix subnet = IpPrefix.parseCidr(node.getSpec().getPodCIDR());
                assertThat(subnet.length()).isEqualTo(24);
                String gw = subnet.address().getHostAddress();
                String expectedGw = gw.substring(0, gw.lastIndexOf('.')) + ".1/24";
                assertThat(Files.readString(n.subnetEnv())).isEqualTo("""
                        FLANNEL_NETWORK=10.42.0.0/16
                        FLANNEL_SUBNET=%s
                        FLANNEL_MTU=1450
                        FLANNEL_IPMASQ=true
                        """.formatted(expectedGw));
                assertThat(node.getStatus().getConditions()).anySatisfy(cond -> {
                    assertThat(cond.getType()).isEqualTo("NetworkUnavailable");
                    assertThat(cond.getStatus()).isEqualTo("False");
                });
            }
            for (Node from : c.nodes()) {
                for (Node to : c.nodes()) {
                    if (from != to) {
                        String overlay = DataPlane.peer(c.client(), to.name()).gateway();
                        assertThat(Connectivity.ping(from.ns(), overlay, 3)).as("%s -> %s overlay %s", from, to, overlay)
                                .isTrue();
                    }
                }
            }
        }
    }

    @Test
    void readyzWaitsForTheLease() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(1, 0))) {
            Node n2 = c.addNode(2);
            c.client().nodes().withName(n2.name()).delete();
            n2.startAgent();
            Duration took = DataPlane.await(Duration.ofSeconds(30), () -> status(n2) == 503);
            assertThat(took).as("/readyz answers 503 while there is no lease").isNotNull();
            assertThat(n2.http("/readyz").body()).isNotBlank();
            c.registerNodeObject(n2);
            n2.awaitReady(Cluster.READY_TIMEOUT);
            assertThat(n2.http("/readyz").status()).isEqualTo(200);
        }
    }

    @Test
    void statusReportsDriftAndSigtermLeavesTheDataPlane() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(2, 0))) {
            Node n1 = c.node(1);
            PeerRef peer = DataPlane.peer(c.client(), "node2");
            assertThat(DataPlane.await(Duration.ofSeconds(10), () -> DataPlane.entriesQuietly(n1, peer).all())).isNotNull();
            Cmd.Result healthy = n1.weft("status");
            System.out.println(healthy.stdout());
            assertThat(healthy.exitCode()).as("status on a healthy node: %s%s", healthy.stdout(), healthy.stderr()).isZero();

            assertThat(n1.stopAgent(Duration.ofSeconds(5))).as("SIGTERM exit code").isZero();
            assertThat(DataPlane.entries(n1, peer).all()).as("SIGTERM leaves routes, neighbours and fdb in place").isTrue();

            n1.ns().ip("route", "del", peer.subnet()); // by destination: a route through a nexthop object matches no "dev"
            Cmd.Result drifted = n1.weft("status");
            System.out.println(drifted.stdout());
            assertThat(drifted.exitCode()).as("status after sabotage").isNotZero();
            assertThat(drifted.stdout()).contains("node2");

            Cmd.Result json = n1.weft("status", "--output", "json");
            assertThat(JSON.readTree(json.stdout()).isObject()).isTrue();
        }
    }

    private static int status(Node n) {
        try {
            return n.http("/readyz").status();
        } catch (Exception e) {
            return -1;
        }
    }
}
