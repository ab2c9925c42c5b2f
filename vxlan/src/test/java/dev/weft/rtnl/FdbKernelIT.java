package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.testing.Json;
import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** VXLAN FDB replace/append/delete/list against a real kernel, cross-checked with {@code bridge -j fdb show}. */
@KernelTest
class FdbKernelIT {
    private static final MacAddress MAC2 = MacAddress.parse("0a:00:00:00:00:02");
    private static final MacAddress MAC3 = MacAddress.parse("0a:00:00:00:00:03");
    private static final InetAddress PEER2 = InetAddress.ofLiteral("198.18.0.2");
    private static final InetAddress PEER3 = InetAddress.ofLiteral("198.18.0.3");

    @Test
    void appendsReplacesListsAndDeletes(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            f.rtnl().appendFdb(f.dev(), MAC2, PEER2);
            f.rtnl().replaceFdb(f.dev(), MAC3, PEER2);
            f.rtnl().replaceFdb(f.dev(), MAC3, PEER3); // replace moves a unicast MAC to the new VTEP

            List<FdbEntry> entries = f.rtnl().fdb(f.dev());
            assertThat(entries).contains(FdbEntry.permanent(f.dev(), MAC2, PEER2), FdbEntry.permanent(f.dev(), MAC3, PEER3))
                    .doesNotContain(FdbEntry.permanent(f.dev(), MAC3, PEER2));
            assertThat(bridgeFdb(ns)).contains(
                    Map.of("mac", "0a:00:00:00:00:02", "dst", "198.18.0.2", "flags", List.of("self"), "state", "permanent"),
                    Map.of("mac", "0a:00:00:00:00:03", "dst", "198.18.0.3", "flags", List.of("self"), "state", "permanent"));

            f.rtnl().deleteFdb(f.dev(), MAC2, PEER2);
            assertThat(bridgeFdb(ns)).extracting(m -> m.get("mac")).doesNotContain("0a:00:00:00:00:02");
            assertThatThrownBy(() -> f.rtnl().deleteFdb(f.dev(), MAC2, PEER2))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isNotFound()).isTrue());
            f.rtnl().execute(RtnlRequest.deleteFdb(f.dev(), MAC3, Optional.empty()));
            assertThat(f.rtnl().fdb(f.dev())).isEmpty();
        }
    }

    @Test
    void learnedAndForeignEntriesDecodeToo(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            ns.bridge("fdb", "append", "00:00:00:00:00:00", "dev", "flannel.1", "dst", "198.18.0.7", "self", "permanent");
            assertThat(f.rtnl().fdb(f.dev())).singleElement().satisfies(e -> {
                assertThat(e.mac().isZero()).isTrue();
                assertThat(e.destination()).contains(InetAddress.ofLiteral("198.18.0.7"));
                assertThat(e.self()).isTrue();
            });
        }
    }

    private static List<Map<String, Object>> bridgeFdb(TestNetns ns) {
        return Json.parseArray(ns.bridge("-j", "fdb", "show", "dev", "flannel.1"));
    }
}
