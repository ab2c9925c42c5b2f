package dev.weft.vtep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.IpPrefix;
import dev.weft.netns.Netns;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.RtnlClient;
import dev.weft.testing.Cmd;
import dev.weft.testing.KernelTest;
import dev.weft.testing.NetnsFactory;
import dev.weft.testing.TestNetns;
import dev.weft.testing.Veth;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/**
 * Two "nodes" (namespaces) joined by a veth on 198.18.0.0/24, each with a VTEP and peer entries
 * programmed only by weft: traffic crosses the overlay, and a second sync writes nothing. These
 * run with routes in flannel's {@link RouteForm#GATEWAY} form (what a kernel without nexthop
 * objects gets); {@link NexthopKernelIT} covers the default form.
 */
@KernelTest
class OverlayKernelIT {
    private static final MacAddress MAC_A = MacAddress.parse("0a:58:0a:2a:01:00");
    private static final MacAddress MAC_B = MacAddress.parse("0a:58:0a:2a:02:00");

    record Node(TestNetns ns, RtnlClient rtnl, Vtep vtep, VtepDevice dev, int underlay) implements AutoCloseable {
        @Override
        public void close() {
            rtnl.close();
        }

        Cmd.Result ping(String target) {
            return ns.execResult(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", target);
        }
    }

    @Test
    void pingCrossesTheTunnelAndSecondSyncIsANoop(NetnsFactory factory) throws Exception {
        TestNetns a = factory.create("a");
        TestNetns b = factory.create("b");
        Veth.connect(a, "u0", "198.18.0.1/24", b, "u0", "198.18.0.2/24");
        try (Node na = node(a, "198.18.0.1", "10.42.1.0", MAC_A); Node nb = node(b, "198.18.0.2", "10.42.2.0", MAC_B)) {
            SyncResult first = sync(na, peer("10.42.2.0/24", "198.18.0.2", MAC_B, false));
            sync(nb, peer("10.42.1.0/24", "198.18.0.1", MAC_A, false));
            assertThat(first.added()).isEqualTo(3);
            assertThat(first.failures()).isEmpty();

            assertThat(na.ping("10.42.2.0").ok()).as("ping over VXLAN").isTrue();
            assertThat(rxPackets(b, "flannel.1")).as("the echo request arrived through the tunnel").isPositive();
            assertThat(a.ip("neigh", "show", "dev", "flannel.1")).contains("10.42.2.0 lladdr " + MAC_B + " PERMANENT");
            assertThat(a.bridge("fdb", "show", "dev", "flannel.1")).contains(MAC_B + " dst 198.18.0.2 self permanent");
            assertThat(a.ip("route", "show", "proto", "87")).contains("10.42.2.0/24 via 10.42.2.0 dev flannel.1 onlink");

            SyncResult second = sync(na, peer("10.42.2.0/24", "198.18.0.2", MAC_B, false));
            assertThat(second.isNoop()).as("second sync writes nothing: %s", second).isTrue();
            assertThat(second.unchanged()).isEqualTo(3);
        }
    }

    @Test
    void repairsTamperingRemovesGonePeersAndLeavesOthersAlone(NetnsFactory factory) throws Exception {
        TestNetns a = factory.create("a");
        TestNetns b = factory.create("b");
        Veth.connect(a, "u0", "198.18.0.1/24", b, "u0", "198.18.0.2/24");
        try (Node na = node(a, "198.18.0.1", "10.42.1.0", MAC_A)) {
            PeerSpec live = peer("10.42.2.0/24", "198.18.0.2", MAC_B, false);
            PeerSpec gone = peer("10.42.9.0/24", "198.18.0.9", MacAddress.parse("0a:58:0a:2a:09:00"), false);
            sync(na, live, gone);
            a.ip("route", "add", "10.99.0.0/16", "dev", "flannel.1"); // someone else's route on our device
            a.ip("neigh", "add", "10.42.2.77", "lladdr", "0a:00:00:00:00:77", "dev", "flannel.1", "nud", "stale");
            a.ip("route", "del", "10.42.2.0/24", "dev", "flannel.1");
            a.ip("neigh", "replace", "10.42.2.0", "lladdr", "0a:00:00:00:00:66", "dev", "flannel.1", "nud", "permanent");

            DesiredEntries desired = na.vtep().plan(na.dev(), List.of(live), na.underlay());
            DriftReport drift = na.vtep().inspect(na.dev(), desired);
            assertThat(drift.drifts()).extracting(DriftReport.Drift::kind, DriftReport.Drift::change).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(DriftReport.Kind.ROUTE, DriftReport.Change.MISSING),
                    org.assertj.core.groups.Tuple.tuple(DriftReport.Kind.NEIGHBOUR, DriftReport.Change.WRONG),
                    org.assertj.core.groups.Tuple.tuple(DriftReport.Kind.ROUTE, DriftReport.Change.UNEXPECTED),
                    org.assertj.core.groups.Tuple.tuple(DriftReport.Kind.NEIGHBOUR, DriftReport.Change.UNEXPECTED),
                    org.assertj.core.groups.Tuple.tuple(DriftReport.Kind.FDB, DriftReport.Change.UNEXPECTED));
            assertThat(drift.inSync()).isEqualTo(1); // the live peer's FDB entry

            SyncResult r = na.vtep().sync(na.dev(), desired);
            assertThat(r.added()).isEqualTo(1);
            assertThat(r.updated()).isEqualTo(1);
            assertThat(r.removed()).isEqualTo(3);
            assertThat(na.vtep().inspect(na.dev(), desired).isClean()).isTrue();
            assertThat(a.ip("route", "show", "dev", "flannel.1")).contains("10.99.0.0/16").doesNotContain("10.42.9.0");
            assertThat(a.ip("neigh", "show", "dev", "flannel.1")).contains("10.42.2.77").contains("10.42.2.0 lladdr " + MAC_B)
                    .doesNotContain("10.42.9.0");
        }
    }

    @Test
    void directRoutingUsesThePlainUnderlayRouteAndSwitchesBack(NetnsFactory factory) throws Exception {
        TestNetns a = factory.create("a");
        TestNetns b = factory.create("b");
        Veth.connect(a, "u0", "198.18.0.1/24", b, "u0", "198.18.0.2/24");
        try (Node na = node(a, "198.18.0.1", "10.42.1.0", MAC_A); Node nb = node(b, "198.18.0.2", "10.42.2.0", MAC_B)) {
            assertThat(na.vtep().isDirectlyReachable(InetAddress.ofLiteral("198.18.0.2"), na.underlay())).isTrue();
            assertThat(na.vtep().isDirectlyReachable(InetAddress.ofLiteral("198.51.100.9"), na.underlay())).isFalse();
            sync(na, peer("10.42.2.0/24", "198.18.0.2", MAC_B, false));
            sync(nb, peer("10.42.1.0/24", "198.18.0.1", MAC_A, true));

            SyncResult toDirect = sync(na, peer("10.42.2.0/24", "198.18.0.2", MAC_B, true));
            assertThat(toDirect.removed()).isEqualTo(3); // neighbour, FDB entry, tunnel route
            assertThat(toDirect.added()).isEqualTo(1); // the direct route
            assertThat(a.ip("route", "show", "proto", "87")).contains("10.42.2.0/24 via 198.18.0.2 dev u0")
                    .doesNotContain("flannel.1");
            assertThat(na.ping("10.42.2.0").ok()).as("ping over the direct route").isTrue();
            assertThat(sync(na, peer("10.42.2.0/24", "198.18.0.2", MAC_B, true)).isNoop()).isTrue();

            SyncResult back = sync(na, peer("10.42.2.0/24", "198.18.0.2", MAC_B, false));
            assertThat(back.added()).isEqualTo(3);
            assertThat(back.removed()).isEqualTo(1);
            assertThat(a.ip("route", "show", "dev", "u0", "proto", "87")).isBlank();

            na.vtep().remove("flannel.1");
            assertThat(a.ipResult("link", "show", "flannel.1").ok()).isFalse();
            sync(nb, peer("10.42.1.0/24", "198.18.0.1", MAC_A, true));
            nb.vtep().remove("flannel.1");
            assertThat(b.ip("route", "show", "proto", "87")).isBlank();
            assertThat(b.ip("route", "show")).contains("198.18.0.0/24 dev u0");
        }
    }

    @Test
    void syncOnAVanishedDeviceSaysNotFound(NetnsFactory factory) throws Exception {
        TestNetns a = factory.create("a");
        Veth.loop(a, "u0", "198.18.0.1/24", "u1");
        try (Node na = node(a, "198.18.0.1", "10.42.1.0", MAC_A)) {
            a.ip("link", "del", "flannel.1");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> sync(na, peer("10.42.2.0/24", "198.18.0.2", MAC_B, false)))
                    .isInstanceOfSatisfying(dev.weft.rtnl.NetlinkException.class, e -> assertThat(e.isNotFound()).isTrue());
            VtepDevice again = na.vtep().ensure(new VtepSpec("flannel.1", 1, InetAddress.ofLiteral("198.18.0.1"), na.underlay(),
                    8472, false, false, OptionalInt.empty(), Optional.of(MAC_A), IpPrefix.parse("10.42.1.0/32")));
            assertThat(again.outcome()).isEqualTo(EnsureOutcome.CREATED);
            assertThat(na.vtep().sync(again, na.vtep().plan(again, List.of(peer("10.42.2.0/24", "198.18.0.2", MAC_B, false)),
                    na.underlay())).added()).isEqualTo(3);
        }
    }

    @SuppressWarnings("unchecked")
    static long rxPackets(TestNetns ns, String device) {
        java.util.Map<String, Object> link = dev.weft.testing.Json.parseArray(ns.ip("-s", "-j", "link", "show", device)).getFirst();
        java.util.Map<String, Object> stats = (java.util.Map<String, Object>) link.get("stats64");
        return ((Number) ((java.util.Map<String, Object>) stats.get("rx")).get("packets")).longValue();
    }

    static Node node(TestNetns ns, String publicIp, String subnetAddress, MacAddress mac) throws Exception {
        return node(ns, publicIp, subnetAddress, mac, RouteForm.GATEWAY);
    }

    static Node node(TestNetns ns, String publicIp, String subnetAddress, MacAddress mac, RouteForm form) throws Exception {
        RtnlClient rtnl = RtnlClient.open(Netns.named(ns.name()));
        int u0 = rtnl.link("u0").orElseThrow().index();
        Vtep vtep = new Vtep(rtnl, form);
        VtepDevice dev = vtep.ensure(new VtepSpec("flannel.1", 1, InetAddress.ofLiteral(publicIp), u0, 8472, false, false,
                OptionalInt.empty(), Optional.of(mac), IpPrefix.parse(subnetAddress + "/32")));
        return new Node(ns, rtnl, vtep, dev, u0);
    }

    static PeerSpec peer(String subnet, String publicIp, MacAddress mac, boolean direct) {
        return new PeerSpec(IpPrefix.parse(subnet), InetAddress.ofLiteral(publicIp), mac, direct);
    }

    static SyncResult sync(Node n, PeerSpec... peers) throws Exception {
        return n.vtep().sync(n.dev(), n.vtep().plan(n.dev(), List.of(peers), n.underlay()));
    }
}
