package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.weft.e2e.DataPlane.PeerRef;
import dev.weft.e2e.cluster.Cluster;
import dev.weft.e2e.cluster.ClusterSpec;
import dev.weft.e2e.cluster.Connectivity;
import dev.weft.e2e.cluster.Node;
import dev.weft.e2e.cluster.Pod;
import dev.weft.testing.KernelTest;
import org.junit.jupiter.api.Test;

/** Scenarios 2, 3 and 7: nodes joining, leaving, and leaving while an agent is down. */
@KernelTest
class NodeMembershipClusterIT {
    private static final Duration CONVERGE = Duration.ofSeconds(10);

    @Test
    void fourthNodeJoinsAndIsProgrammedEverywhere() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(3, 1))) {
            Node n4 = c.addNode(4);
            n4.startAgent();
            n4.awaitReady(Cluster.READY_TIMEOUT);
            Pod p4 = c.addPod(n4, 1);
            PeerRef ref = DataPlane.peer(c.client(), n4.name());
            for (Node n : c.nodes()) {
                if (n == n4) {
                    continue;
                }
                assertThat(DataPlane.await(CONVERGE, () -> DataPlane.entriesQuietly(n, ref).all()))
                        .as("%s programs node4", n).isNotNull();
                Pod local = c.podsOn(n).getFirst();
                assertThat(Connectivity.ping(local.ns(), p4.ip(), 5)).as("%s -> %s", local, p4).isTrue();
                assertThat(Connectivity.ping(p4.ns(), local.ip(), 5)).as("%s -> %s", p4, local).isTrue();
            }
        }
    }

    @Test
    void deletedNodeObjectIsRemovedByEveryPeer() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(3, 0))) {
            PeerRef gone = DataPlane.peer(c.client(), "node3");
            for (Node n : c.nodes().subList(0, 2)) {
                assertThat(DataPlane.await(CONVERGE, () -> DataPlane.entriesQuietly(n, gone).all())).isNotNull();
            }
            c.node(3).stopAgent(Duration.ofSeconds(5));
            c.client().nodes().withName("node3").delete();
            for (Node n : c.nodes().subList(0, 2)) {
                assertThat(DataPlane.await(CONVERGE, () -> DataPlane.entriesQuietly(n, gone).none()))
                        .as("%s removes node3's route, neighbour and fdb entry", n).isNotNull();
            }
        }
    }

    @Test
    void nodeDeletedWhileAgentDownIsCleanedWhenItReturns() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(3, 0))) {
            Node n1 = c.node(1);
            PeerRef gone = DataPlane.peer(c.client(), "node3");
            assertThat(DataPlane.await(CONVERGE, () -> DataPlane.entriesQuietly(n1, gone).all())).isNotNull();
            assertThat(n1.stopAgent(Duration.ofSeconds(5))).isZero();
            c.node(3).stopAgent(Duration.ofSeconds(5));
            c.client().nodes().withName("node3").delete();
            assertThat(DataPlane.entries(n1, gone).all()).as("stale entries stay while the agent is down").isTrue();
            n1.startAgent();
            n1.awaitReady(Cluster.READY_TIMEOUT);
            assertThat(DataPlane.await(CONVERGE, () -> DataPlane.entriesQuietly(n1, gone).none()))
                    .as("restarted agent removes entries of a node deleted during its downtime").isNotNull();
        }
    }
}
