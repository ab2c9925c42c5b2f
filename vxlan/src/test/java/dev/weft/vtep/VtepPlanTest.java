package dev.weft.vtep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.net.IpPrefix;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.Neighbour;
import dev.weft.rtnl.Route;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** plan(): peers to entries, per DESIGN.md, without touching a kernel. */
class VtepPlanTest {
    static final VtepDevice DEV = new VtepDevice(7, "flannel.1", MacAddress.parse("0a:58:0a:2a:01:00"), 1450,
            EnsureOutcome.ADOPTED);
    static final int UNDERLAY = 2;
    private final Vtep vtep = new Vtep(null); // plan never talks to the kernel

    @Test
    void tunnelledPeerGetsNeighbourFdbAndOnlinkRoute() {
        DesiredEntries d = vtep.plan(DEV, List.of(peer("10.42.2.0/24", "198.18.0.2", "0a:58:0a:2a:02:00", false)), UNDERLAY);
        InetAddress gw = InetAddress.ofLiteral("10.42.2.0");
        MacAddress mac = MacAddress.parse("0a:58:0a:2a:02:00");
        assertThat(d.neighbours()).containsExactly(Neighbour.permanent(7, gw, mac));
        assertThat(d.fdb()).containsExactly(FdbEntry.permanent(7, mac, InetAddress.ofLiteral("198.18.0.2")));
        assertThat(d.routes()).containsExactly(Route.via(IpPrefix.parse("10.42.2.0/24"), gw, 7, Vtep.ROUTE_PROTOCOL)
                .withOnlink(true));
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.skipped()).isEmpty();
    }

    @Test
    void directPeerGetsOnlyAPlainRouteOnTheUnderlay() {
        DesiredEntries d = vtep.plan(DEV, List.of(peer("10.42.2.0/24", "198.18.0.2", "0a:58:0a:2a:02:00", true)), UNDERLAY);
        assertThat(d.neighbours()).isEmpty();
        assertThat(d.fdb()).isEmpty();
        assertThat(d.routes()).singleElement().satisfies(r -> {
            assertThat(r.gateway()).contains(InetAddress.ofLiteral("198.18.0.2"));
            assertThat(r.device()).isEqualTo(OptionalInt.of(UNDERLAY));
            assertThat(r.onlink()).isFalse();
            assertThat(r.protocol()).isEqualTo(Vtep.ROUTE_PROTOCOL);
        });
    }

    @Test
    void ipv6PeersWorkTheSameWay() {
        DesiredEntries d = vtep.plan(DEV, List.of(peer("fd00:42:2::/64", "fd00:198:18::2", "0a:58:0a:2a:02:00", false)),
                UNDERLAY);
        assertThat(d.routes()).singleElement().satisfies(r -> assertThat(r.gateway()).contains(InetAddress.ofLiteral("fd00:42:2::")));
        assertThat(d.fdb()).singleElement().satisfies(e -> assertThat(e.destination())
                .contains(InetAddress.ofLiteral("fd00:198:18::2")));
    }

    @Test
    void conflictingPeersAreSkippedWithAReasonNotFatal() {
        DesiredEntries d = vtep.plan(DEV, List.of(
                peer("10.42.3.0/24", "198.18.0.3", "0a:58:0a:2a:02:00", false), // same MAC as the 10.42.2.0 peer
                peer("10.42.2.0/24", "198.18.0.9", "0a:58:0a:2a:09:00", false), // same subnet, later public IP
                peer("10.42.2.0/24", "198.18.0.2", "0a:58:0a:2a:02:00", false),
                peer("10.42.4.0/24", "fd00:198:18::4", "0a:58:0a:2a:04:00", true)), UNDERLAY);
        assertThat(d.routes()).extracting(r -> r.destination().toString()).containsExactly("10.42.2.0/24");
        assertThat(d.skipped()).extracting(DesiredEntries.SkippedPeer::reason).containsExactly(
                "subnet 10.42.2.0/24 is already claimed by peer 198.18.0.2",
                "VtepMAC 0a:58:0a:2a:02:00 is already used by peer 10.42.2.0/24",
                "direct routing needs a public IP of the subnet's family");
    }

    @Test
    void planIsIndependentOfPeerOrder() {
        List<PeerSpec> peers = List.of(peer("10.42.9.0/24", "198.18.0.9", "0a:58:0a:2a:09:00", false),
                peer("10.42.2.0/24", "198.18.0.2", "0a:58:0a:2a:02:00", true),
                peer("10.42.5.0/24", "198.18.0.5", "0a:58:0a:2a:05:00", false));
        assertThat(vtep.plan(DEV, peers, UNDERLAY)).isEqualTo(vtep.plan(DEV, peers.reversed(), UNDERLAY));
    }

    @Test
    void specsRejectBadInputNamingTheValue() {
        assertThatThrownBy(() -> peer("10.42.2.1/24", "198.18.0.2", "0a:58:0a:2a:02:00", false))
                .hasMessageContaining("10.42.2.1/24").hasMessageContaining("10.42.2.0/24");
        assertThatThrownBy(() -> peer("10.42.2.0/24", "198.18.0.2", "ff:ff:ff:ff:ff:ff", false))
                .hasMessageContaining("ff:ff:ff:ff:ff:ff");
        assertThatThrownBy(() -> peer("10.42.2.0/24", "0.0.0.0", "0a:58:0a:2a:02:00", false)).hasMessageContaining("0.0.0.0");
        InetAddress local = InetAddress.ofLiteral("198.18.0.1");
        assertThatThrownBy(() -> new VtepSpec("flannel.1", 1, local, 2, 8472, false, false, OptionalInt.empty(),
                Optional.empty(), IpPrefix.parse("10.42.1.0/24"))).hasMessageContaining("10.42.1.0/24 must be a host prefix");
        assertThatThrownBy(() -> new VtepSpec("flannel/1", 1, local, 2, 8472, false, false, OptionalInt.empty(),
                Optional.empty(), IpPrefix.parse("10.42.1.0/32"))).hasMessageContaining("flannel/1");
        assertThatThrownBy(() -> new VtepSpec("flannel.1", -1, local, 2, 8472, false, false, OptionalInt.empty(),
                Optional.empty(), IpPrefix.parse("10.42.1.0/32"))).hasMessageContaining("VNI -1");
        assertThatThrownBy(() -> new VtepSpec("flannel.1", 1, InetAddress.ofLiteral("0.0.0.0"), 2, 8472, false, false,
                OptionalInt.empty(), Optional.empty(), IpPrefix.parse("10.42.1.0/32"))).hasMessageContaining("0.0.0.0");
    }

    static PeerSpec peer(String subnet, String publicIp, String mac, boolean direct) {
        return new PeerSpec(IpPrefix.parse(subnet), InetAddress.ofLiteral(publicIp), MacAddress.parse(mac), direct);
    }
}
