package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.netns.Netns;
import dev.weft.testing.Json;
import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;
import dev.weft.testing.Veth;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** Every link operation against a real kernel, cross-checked with {@code ip -d -j link show}. */
@KernelTest
class LinkKernelIT {
    private static final MacAddress MAC = MacAddress.parse("0a:00:00:00:00:01");

    @Test
    void createsVxlanExactlyAsIpShowsIt(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            int u0 = rtnl.link("u0").orElseThrow().index();
            Link link = rtnl.createVxlan(new VxlanLinkSpec("flannel.1", 1, InetAddress.ofLiteral("198.18.0.1"), u0, 8472,
                    false, true, OptionalInt.of(1450), Optional.of(MAC)));

            assertThat(link.name()).isEqualTo("flannel.1");
            assertThat(link.isVxlan()).isTrue();
            assertThat(link.mtu()).isEqualTo(1450);
            assertThat(link.mac()).contains(MAC);
            assertThat(link.up()).isFalse();
            assertThat(link.vxlan()).contains(new VxlanInfo(1, Optional.of(InetAddress.ofLiteral("198.18.0.1")),
                    OptionalInt.of(u0), 8472, false, true));

            Map<String, Object> ip = show(ns, "flannel.1");
            assertThat(ip).containsEntry("ifindex", (long) link.index()).containsEntry("mtu", 1450L)
                    .containsEntry("address", "0a:00:00:00:00:01");
            Map<String, Object> data = infoData(ip);
            assertThat(data).containsEntry("id", 1L).containsEntry("local", "198.18.0.1").containsEntry("link", "u0")
                    .containsEntry("port", 8472L).containsEntry("learning", false).containsEntry("gbp", true);
        }
    }

    @Test
    void createsVxlanOverIpv6WithLearningAndKernelChosenMac(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "fd00:198:18::1/64", "u1");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            int u0 = rtnl.link("u0").orElseThrow().index();
            Link link = rtnl.createVxlan(new VxlanLinkSpec("vx6", 4096, InetAddress.ofLiteral("fd00:198:18::1"), u0, 4789,
                    true, false, OptionalInt.empty(), Optional.empty()));

            Map<String, Object> ip = show(ns, "vx6");
            assertThat(link.mac().map(MacAddress::toString)).contains((String) ip.get("address"));
            assertThat(link.mtu()).isEqualTo(((Number) ip.get("mtu")).intValue());
            assertThat(infoData(ip)).containsEntry("id", 4096L).containsEntry("local6", "fd00:198:18::1")
                    .containsEntry("port", 4789L).containsEntry("learning", true).doesNotContainKey("gbp");
            assertThat(link.vxlan().orElseThrow().local()).contains(InetAddress.ofLiteral("fd00:198:18::1"));
            assertThat(link.vxlan().orElseThrow().learning()).isTrue();
        }
    }

    @Test
    void setsUpDownMtuAndMac(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            int index = rtnl.link("u1").orElseThrow().index();
            rtnl.setDown(index);
            assertThat(flags(ns, "u1")).doesNotContain("UP");
            assertThat(rtnl.link(index).orElseThrow().up()).isFalse();
            rtnl.setUp(index);
            assertThat(flags(ns, "u1")).contains("UP");
            assertThat(rtnl.link(index).orElseThrow().up()).isTrue();

            rtnl.setMtu(index, 1400);
            assertThat(show(ns, "u1")).containsEntry("mtu", 1400L);
            rtnl.setMac(index, MacAddress.parse("0a:00:00:00:00:42"));
            assertThat(show(ns, "u1")).containsEntry("address", "0a:00:00:00:00:42");
            assertThat(rtnl.link("u1").orElseThrow().mac()).contains(MacAddress.parse("0a:00:00:00:00:42"));
        }
    }

    @Test
    void looksUpByNameAndIndexAndLists(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            Link u0 = rtnl.link("u0").orElseThrow();
            assertThat(rtnl.link(u0.index())).contains(u0);
            assertThat(u0.kind()).contains("veth");
            assertThat(u0.link()).isPresent(); // the veth peer
            assertThat(rtnl.link("nosuchlink")).isEmpty();
            assertThat(rtnl.link(999_999)).isEmpty();

            List<Map<String, Object>> ip = Json.parseArray(ns.ip("-d", "-j", "link", "show"));
            assertThat(rtnl.links()).extracting(Link::name)
                    .containsExactlyInAnyOrderElementsOf(ip.stream().map(m -> (String) m.get("ifname")).toList());
            Link lo = rtnl.link("lo").orElseThrow();
            assertThat(lo.kind()).isEmpty();
            assertThat(lo.vxlan()).isEmpty();
        }
    }

    @Test
    void deletesAndReportsMissingAndExisting(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            int u0 = rtnl.link("u0").orElseThrow().index();
            VxlanLinkSpec spec = new VxlanLinkSpec("flannel.1", 1, InetAddress.ofLiteral("198.18.0.1"), u0, 8472, false,
                    false, OptionalInt.empty(), Optional.empty());
            Link link = rtnl.createVxlan(spec);
            assertThatThrownBy(() -> rtnl.createVxlan(spec)).isInstanceOfSatisfying(NetlinkException.class, e -> {
                assertThat(e.isExists()).isTrue();
                assertThat(e.errnoName()).isEqualTo("EEXIST");
                assertThat(e.messageTypeName()).isEqualTo("RTM_NEWLINK");
                assertThat(e.request()).startsWith("link add flannel.1 type vxlan id 1");
            });
            rtnl.deleteLink(link.index());
            assertThat(ns.ipResult("link", "show", "flannel.1").ok()).isFalse();
            assertThatThrownBy(() -> rtnl.deleteLink(link.index()))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isNotFound()).isTrue());
        }
    }

    @Test
    void rejectsMissingUnderlayWithTheKernelsReason(TestNetns ns) throws Exception {
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            VxlanLinkSpec spec = new VxlanLinkSpec("flannel.1", 1, InetAddress.ofLiteral("198.18.0.1"), 4242, 8472, false,
                    false, OptionalInt.empty(), Optional.empty());
            assertThatThrownBy(() -> rtnl.createVxlan(spec)).isInstanceOfSatisfying(NetlinkException.class, e -> {
                assertThat(e.isNotFound()).isTrue();
                assertThat(e.getMessage()).contains("ENODEV").contains("link add flannel.1");
            });
        }
    }

    @Test
    void turnsTxChecksumOffloadOff(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()))) {
            int u0 = rtnl.link("u0").orElseThrow().index();
            Link link = rtnl.createVxlan(new VxlanLinkSpec("flannel.1", 1, InetAddress.ofLiteral("198.18.0.1"), u0, 8472,
                    false, false, OptionalInt.empty(), Optional.empty()));
            assertThat(ns.exec("ethtool", "-k", "flannel.1")).contains("tx-checksum-ip-generic: on");
            assertThat(rtnl.txChecksumEnabled(link.index())).isTrue();

            rtnl.disableTxChecksum(link.index());

            assertThat(ns.exec("ethtool", "-k", "flannel.1")).contains("tx-checksum-ip-generic: off");
            assertThat(rtnl.txChecksumEnabled(link.index())).isFalse();
        }
    }

    static Map<String, Object> show(TestNetns ns, String name) {
        return Json.parseArray(ns.ip("-d", "-j", "link", "show", name)).getFirst();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> infoData(Map<String, Object> ipLink) {
        return (Map<String, Object>) ((Map<String, Object>) ipLink.get("linkinfo")).get("info_data");
    }

    @SuppressWarnings("unchecked")
    private static List<String> flags(TestNetns ns, String name) {
        return (List<String>) show(ns, name).get("flags");
    }
}
