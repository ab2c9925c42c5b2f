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

/** Scenario 6: entries and the device deleted by hand come back within a second, and traffic resumes. */
@KernelTest
class SelfRepairClusterIT {
    private static final Duration REPAIR = Duration.ofSeconds(1);

    @Test
    void routeNeighbourFdbAndDeviceAreRepaired() throws Exception {
        try (Cluster c = Cluster.start(ClusterSpec.forTest(2, 1))) {
            Node n1 = c.node(1);
            PeerRef peer = DataPlane.peer(c.client(), "node2");
            Pod from = c.podsOn(n1).getFirst();
            Pod to = c.podsOn(c.node(2)).getFirst();
            assertThat(DataPlane.await(Duration.ofSeconds(10), () -> DataPlane.entriesQuietly(n1, peer).all())).isNotNull();

            n1.ns().ip("route", "del", peer.subnet()); // by destination: a route through a nexthop object matches no "dev"
            report("route", DataPlane.await(REPAIR, () -> DataPlane.entriesQuietly(n1, peer).route()));

            n1.ns().ip("nexthop", "flush", "proto", "87"); // weft's nexthop objects: the kernel drops their routes too
            report("route after its nexthop went", DataPlane.await(REPAIR, () -> DataPlane.entriesQuietly(n1, peer).route()));

            n1.ns().ip("neigh", "del", peer.gateway(), "dev", DataPlane.DEVICE);
            report("neighbour", DataPlane.await(REPAIR, () -> DataPlane.entriesQuietly(n1, peer).neigh()));

            n1.ns().exec(Duration.ofSeconds(5), "bridge", "fdb", "del", peer.mac(), "dev", DataPlane.DEVICE, "dst",
                    peer.publicIp());
            report("fdb", DataPlane.await(REPAIR, () -> DataPlane.entriesQuietly(n1, peer).fdb()));

            n1.ns().ip("link", "del", DataPlane.DEVICE);
            report("device and all entries", DataPlane.await(REPAIR, () -> DataPlane.entriesQuietly(n1, peer).all()));

            assertThat(Connectivity.ping(from.ns(), to.ip(), 5)).as("traffic resumes").isTrue();
            assertThat(Connectivity.ping(to.ns(), from.ip(), 5)).as("traffic resumes both ways").isTrue();
        }
    }

    private static void report(String what, Duration took) {
        System.out.printf("repair of %s: %s%n", what, took == null ? "NOT within " + REPAIR : took.toMillis() + " ms");
        assertThat(took).as("%s repaired within %s", what, REPAIR).isNotNull();
    }
}
