package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Many requests per datagram: every outcome accounted for, failures pinned to their request. */
@KernelTest
class BatchKernelIT {
    private static final int PROTO = 87;

    @Test
    void programsThousandsOfEntriesInOneCall(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            List<RtnlRequest> requests = peers(f.dev(), 2000);
            BatchResult r = f.rtnl().batch(requests);
            assertThat(r.allSucceeded()).isTrue();
            assertThat(r.size()).isEqualTo(6000);
            assertThat(f.rtnl().neighbours(f.dev())).filteredOn(n -> n.state() == NeighbourState.PERMANENT).hasSize(2000);
            assertThat(f.rtnl().fdb(f.dev())).hasSize(2000);
            assertThat(f.rtnl().routes(RouteFilter.main(IpFamily.V4).onDevice(f.dev()).withProtocol(PROTO))).hasSize(2000);
            assertThat(ns.ip("route", "show", "dev", "flannel.1", "proto", "87").lines().count()).isEqualTo(2000);
            assertThat(ns.bridge("fdb", "show", "dev", "flannel.1").lines().count()).isEqualTo(2000);
        }
    }

    @Test
    void reportsEachFailureAtItsPositionAndKeepsGoing(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            List<RtnlRequest> requests = new ArrayList<>(peers(f.dev(), 10));
            RtnlRequest bad = RtnlRequest.replaceRoute(Route.via(IpPrefix.parse("10.43.0.0/24"),
                    InetAddress.ofLiteral("10.43.0.0"), f.dev(), PROTO)); // not onlink: the gateway is unreachable
            RtnlRequest missing = RtnlRequest.deleteNeighbour(f.dev(), InetAddress.ofLiteral("10.44.0.0"));
            requests.add(3, bad);
            requests.add(missing); // the last one fails: it still closes the books
            BatchResult r = f.rtnl().batch(requests);

            assertThat(r.failures()).extracting(BatchResult.Failure::index).containsExactly(3, requests.size() - 1);
            assertThat(r.failures().get(0).error().extAck()).contains("Nexthop has invalid gateway");
            assertThat(r.failures().get(0).request()).isSameAs(bad);
            assertThat(r.failures().get(1).error().isNotFound()).isTrue();
            assertThat(r.failures().get(1).error().request()).isEqualTo("neigh del 10.44.0.0 dev #" + f.dev());
            assertThat(f.rtnl().routes(RouteFilter.main(IpFamily.V4).onDevice(f.dev()).withProtocol(PROTO))).hasSize(10);
        }
    }

    /** Neighbour, FDB entry and onlink route for {@code n} peers 10.42.x.0/24. */
    static List<RtnlRequest> peers(int dev, int n) {
        List<RtnlRequest> out = new ArrayList<>(3 * n);
        for (int i = 0; i < n; i++) {
            InetAddress gw = InetAddress.ofLiteral("10." + (42 + i / 256) + "." + (i % 256) + ".0");
            MacAddress mac = new MacAddress(0x0a0000000000L + i + 16);
            out.add(RtnlRequest.replaceNeighbour(dev, gw, mac));
            out.add(RtnlRequest.replaceFdb(dev, mac, InetAddress.ofLiteral("198.18." + (1 + i / 250) + "." + (1 + i % 250))));
            out.add(RtnlRequest.replaceRoute(Route.via(new IpPrefix(gw, 24), gw, dev, PROTO).withOnlink(true)));
        }
        return out;
    }
}
