package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Pod;
import dev.weft.testing.KernelTest;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

/** Scenario 8: Nodes with garbage annotations are skipped and counted, and disturb nobody. */
@KernelTest
class GarbageAnnotationsClusterIT {

    @Test
    void garbageNodesChangeNothing() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(3, 1))) {
            String p = DataPlane.PREFIX;
            // Subnets the cluster's own nodes did not get: a junk Node on a live node's subnet would
            // make that node's route expected and so hide what this test looks for.
            List<String> junk = freeSubnets(c, 4);
            createNode(c, "junk-json", junk.get(0) + "/24", Map.of(p + "kube-subnet-manager", "true",
                    p + "backend-type", "vxlan", p + "backend-data", "{not json", p + "public-ip", "198.18.0.240"));
            createNode(c, "junk-ip", junk.get(1) + "/24", Map.of(p + "kube-subnet-manager", "true",
                    p + "backend-type", "vxlan", p + "backend-data", "{\"VNI\":1,\"VtepMAC\":\"0a:58:00:00:00:01\"}",
                    p + "public-ip", "999.18.0.1"));
            createNode(c, "junk-mac", junk.get(2) + "/24", Map.of(p + "kube-subnet-manager", "true",
                    p + "backend-type", "vxlan", p + "backend-data", "{\"VNI\":1,\"VtepMAC\":\"zz:zz\"}",
                    p + "public-ip", "198.18.0.242"));
            createNode(c, "junk-vni", junk.get(3) + "/24", Map.of(p + "kube-subnet-manager", "true",
                    p + "backend-type", "vxlan", p + "backend-data", "{\"VNI\":7,\"VtepMAC\":\"0a:58:00:00:00:03\"}",
                    p + "public-ip", "198.18.0.243"));
            createNode(c, "junk-bare", null, Map.of());

            for (Node n : c.nodes()) {
                assertThat(DataPlane.await(Duration.ofSeconds(10), () -> invalidPeers(n) >= 4))
                        .as("%s counts the malformed peers in /metrics", n).isNotNull();
                String routes = n.ns().ip("route", "show", "dev", DataPlane.DEVICE);
                for (String subnet : junk) {
                    assertThat(routes).doesNotContain(subnet + "/24");
                }
                assertThat(n.agent().isAlive()).isTrue();
            }
            for (Pod a : c.pods()) {
                for (Pod b : c.pods()) {
                    if (a != b) {
                        assertThat(Connectivity.ping(a.ns(), b.ip(), 3)).as("%s -> %s", a, b).isTrue();
                    }
                }
            }
        }
    }

    /** {@code count} network addresses of /24s in 10.42.240.0/20 that no node of {@code c} holds. */
    static List<String> freeSubnets(Cluster c, int count) throws Exception {
        Set<String> taken = new HashSet<>();
        for (Node n : c.nodes()) {
            taken.add(c.client().nodes().withName(n.name()).get().getSpec().getPodCIDR());
        }
        List<String> free = new ArrayList<>();
        for (int third = 240; third < 256 && free.size() < count; third++) {
            String net = "10.42." + third + ".0";
            if (!taken.contains(net + "/24")) {
                free.add(net);
            }
        }
        return free;
    }

    private static void createNode(Cluster c, String name, String podCidr, Map<String, String> annotations)
            throws Exception {
        var b = new NodeBuilder().withNewMetadata().withName(name).withAnnotations(annotations).endMetadata();
        if (podCidr != null) {
            b.withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec();
        }
        c.client().nodes().resource(b.build()).create();
    }

    /** Sum of the agent's invalid-peer gauge, read from /metrics. */
    static double invalidPeers(Node n) {
        try {
            double sum = 0;
            for (String line : n.http("/metrics").body().split("\n")) {
                if (line.startsWith("weft_peers_invalid")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (Exception e) {
            return -1;
        }
    }
}
