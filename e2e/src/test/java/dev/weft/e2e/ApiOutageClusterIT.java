package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.e2e.DataPlane.PeerRef;
import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Pod;
import dev.weft.testing.KernelTest;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: the API server is down for 30 s. Pod traffic goes on untouched, agents stay up, and
 * when the server returns they pick up a node that joined meanwhile (written to the server's
 * state while it was down, as another API server replica would have accepted it).
 */
@KernelTest
class ApiOutageClusterIT {

    @Test
    void outageLeavesTrafficAloneAndAgentsCatchUp() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(3, 1))) {
            Pod p1 = c.podsOn(c.node(1)).getFirst();
            Pod p2 = c.podsOn(c.node(2)).getFirst();
            String lateSubnet = GarbageAnnotationsClusterIT.freeSubnets(c, 1).getFirst() + "/24"; // no node's own
            // 1750 pings at 20 ms ≈ 35 s: the whole outage.
            try (Pinger ping = Pinger.start(p1, p2, 1750)) {
                c.api().stop();
                addFlannelNodeToState(c, lateSubnet);
                Thread.sleep(30_000);
                for (Node n : c.nodes()) {
                    assertThat(n.agent().isAlive()).as("%s agent survives the outage", n).isTrue();
                }
                c.api().start();
                long[] r = ping.finish(60);
                assertThat(r[1]).as("pod traffic during the outage: %d sent", r[0]).isEqualTo(r[0]);
            }
            PeerRef late = new PeerRef("node9", lateSubnet, "0a:58:c6:12:00:09", "198.18.0.99");
            for (Node n : c.nodes()) {
                assertThat(DataPlane.await(Duration.ofSeconds(30), () -> DataPlane.entriesQuietly(n, late).all()))
                        .as("%s programs the node added during the outage", n).isNotNull();
            }
        }
    }

    /** A node as flanneld publishes it, added to the stopped server's persisted state. */
    private static void addFlannelNodeToState(Cluster c, String podCidr) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode state = (ObjectNode) json.readTree(Files.readString(c.api().stateFile()));
        ObjectNode node = json.createObjectNode();
        node.put("apiVersion", "v1").put("kind", "Node");
        ObjectNode meta = node.putObject("metadata");
        meta.put("name", "node9");
        ObjectNode ann = meta.putObject("annotations");
        ann.put(DataPlane.PREFIX + "backend-type", "vxlan");
        ann.put(DataPlane.PREFIX + "backend-data", "{\"VNI\":1,\"VtepMAC\":\"0a:58:c6:12:00:09\"}");
        ann.put(DataPlane.PREFIX + "public-ip", "198.18.0.99");
        ann.put(DataPlane.PREFIX + "kube-subnet-manager", "true");
        node.putObject("spec").put("podCIDR", podCidr).putArray("podCIDRs").add(podCidr);
        ((ArrayNode) state.withArray("nodes")).add(node);
        Files.writeString(c.api().stateFile(), json.writeValueAsString(state));
    }
}
