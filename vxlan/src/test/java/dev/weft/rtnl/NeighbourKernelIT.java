package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Json;
import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Neighbour replace/delete/list against a real kernel, cross-checked with {@code ip -j neigh show}. */
@KernelTest
class NeighbourKernelIT {
    private static final MacAddress MAC2 = MacAddress.parse("0a:00:00:00:00:02");
    private static final MacAddress MAC3 = MacAddress.parse("0a:00:00:00:00:03");

    @Test
    void replacesListsAndDeletesPermanentEntries(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            InetAddress v4 = InetAddress.ofLiteral("10.42.2.0");
            InetAddress v6 = InetAddress.ofLiteral("fd00:42:2::");
            f.rtnl().replaceNeighbour(f.dev(), v4, MAC2);
            f.rtnl().replaceNeighbour(f.dev(), v6, MAC3);

            assertThat(f.rtnl().neighbours(f.dev())).contains(
                    Neighbour.permanent(f.dev(), v4, MAC2), Neighbour.permanent(f.dev(), v6, MAC3));
            assertThat(ipNeigh(ns)).contains(
                    Map.of("dst", "10.42.2.0", "lladdr", "0a:00:00:00:00:02", "state", List.of("PERMANENT")),
                    Map.of("dst", "fd00:42:2::", "lladdr", "0a:00:00:00:00:03", "state", List.of("PERMANENT")));

            f.rtnl().replaceNeighbour(f.dev(), v4, MAC3); // a replace converges on the new MAC
            assertThat(f.rtnl().neighbours(f.dev())).contains(Neighbour.permanent(f.dev(), v4, MAC3))
                    .doesNotContain(Neighbour.permanent(f.dev(), v4, MAC2));

            f.rtnl().deleteNeighbour(f.dev(), v4);
            assertThat(ipNeigh(ns)).extracting(m -> m.get("dst")).doesNotContain("10.42.2.0").contains("fd00:42:2::");
            assertThatThrownBy(() -> f.rtnl().deleteNeighbour(f.dev(), v4))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isNotFound()).isTrue());
        }
    }

    @Test
    void listsOnlyTheAskedDevice(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            ns.ip("neigh", "replace", "198.18.0.9", "lladdr", "0a:00:00:00:00:09", "dev", "u0", "nud", "permanent");
            f.rtnl().replaceNeighbour(f.dev(), InetAddress.ofLiteral("10.42.2.0"), MAC2);
            assertThat(f.rtnl().neighbours(f.dev())).allMatch(n -> n.index() == f.dev())
                    .extracting(Neighbour::address).doesNotContain(InetAddress.ofLiteral("198.18.0.9"));
            assertThat(f.rtnl().neighbours(f.underlay())).extracting(Neighbour::address)
                    .contains(InetAddress.ofLiteral("198.18.0.9"));
        }
    }

    private static List<Map<String, Object>> ipNeigh(TestNetns ns) {
        return Json.parseArray(ns.ip("-j", "neigh", "show", "dev", "flannel.1"));
    }
}
