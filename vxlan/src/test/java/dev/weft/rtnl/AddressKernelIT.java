package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.net.IpPrefix;
import dev.weft.testing.Json;
import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Address add/replace/delete/list against a real kernel, cross-checked with {@code ip -j addr show}. */
@KernelTest
class AddressKernelIT {
    @Test
    void addsListsReplacesAndDeletesBothFamilies(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            IpPrefix v4 = IpPrefix.parse("10.42.1.0/32");
            IpPrefix v6 = IpPrefix.parse("fd00:42:1::/128");
            f.rtnl().addAddress(f.dev(), v4);
            f.rtnl().addAddress(f.dev(), v6);

            List<Address> listed = f.rtnl().addresses(f.dev());
            assertThat(listed).extracting(Address::prefix).contains(v4, v6);
            assertThat(listed).filteredOn(a -> a.prefix().equals(v4)).singleElement()
                    .satisfies(a -> {
                        assertThat(a.scope()).isEqualTo(Scope.UNIVERSE);
                        assertThat(a.label()).contains("flannel.1");
                        assertThat(a.index()).isEqualTo(f.dev());
                    });
            assertThat(listed).extracting(a -> a.prefix().toString())
                    .containsExactlyInAnyOrderElementsOf(ipAddresses(ns));

            f.rtnl().replaceAddress(f.dev(), v4); // converges: no error, no duplicate
            assertThat(f.rtnl().addresses(f.dev())).filteredOn(a -> a.prefix().equals(v4)).hasSize(1);
            assertThatThrownBy(() -> f.rtnl().addAddress(f.dev(), v4))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isExists()).isTrue());

            f.rtnl().deleteAddress(f.dev(), v4);
            assertThat(ipAddresses(ns)).doesNotContain("10.42.1.0/32").contains("fd00:42:1::/128");
            assertThatThrownBy(() -> f.rtnl().deleteAddress(f.dev(), v4))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isNotFound()).isTrue());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> ipAddresses(TestNetns ns) {
        Map<String, Object> link = Json.parseArray(ns.ip("-j", "addr", "show", "dev", "flannel.1")).getFirst();
        return ((List<Map<String, Object>>) link.get("addr_info")).stream()
                .map(a -> a.get("local") + "/" + a.get("prefixlen")).toList();
    }
}
