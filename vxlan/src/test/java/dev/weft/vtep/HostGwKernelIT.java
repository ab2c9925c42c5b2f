package dev.weft.vtep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.netns.Netns;
import dev.weft.rtnl.RtnlClient;
import dev.weft.testing.KernelTest;
import dev.weft.testing.NetnsFactory;
import dev.weft.testing.TestNetns;
import dev.weft.testing.Veth;
import dev.weft.vtep.HostGw.GatewayPeer;

import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * host-gw between two "nodes" on one link (198.18.0.0/24): a route per peer via its public IP
 * carries traffic, a peer behind a gateway is skipped rather than routed wrong, and sync only ever
 * touches weft's own routes.
 */
@KernelTest
class HostGwKernelIT {
    private static final EnumSet<IpFamily> V4 = EnumSet.of(IpFamily.V4);

    @Test
    void routesViaOnLinkPeersAndSkipsTheOthers(NetnsFactory factory) throws Exception {
        TestNetns a = factory.create("a");
        TestNetns b = factory.create("b");
        Veth.connect(a, "u0", "198.18.0.1/24", b, "u0", "198.18.0.2/24");
        b.ip("link", "add", "pod0", "type", "veth", "peer", "name", "pod1"); // a pod address on node b
        b.ip("addr", "add", "10.42.2.1/24", "dev", "pod0");
        b.ip("link", "set", "pod0", "up");
        b.ip("link", "set", "pod1", "up");
        a.ip("route", "add", "198.51.100.0/24", "via", "198.18.0.2", "dev", "u0"); // a peer reached through a router
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(a.name()))) {
            HostGw hostGw = new HostGw(rtnl);
            int u0 = rtnl.link("u0").orElseThrow().index();
            GatewayPeer near = peer("10.42.2.0/24", "198.18.0.2");
            GatewayPeer far = peer("10.42.3.0/24", "198.51.100.7");
            assertThat(hostGw.isOnLink(near.gateway(), u0)).isTrue();
            assertThat(hostGw.isOnLink(far.gateway(), u0)).isFalse();
            assertThat(hostGw.isOnLink(InetAddress.ofLiteral("198.19.9.9"), u0)).as("no route at all").isFalse();
            a.ip("addr", "add", "fd98:18::1/64", "dev", "u0", "nodad");
            a.ip("-6", "route", "add", "fd98:99::/64", "via", "fd98:18::2", "dev", "u0");
            assertThat(hostGw.isOnLink(InetAddress.ofLiteral("fd98:18::2"), u0)).as("IPv6 on the link").isTrue();
            assertThat(hostGw.isOnLink(InetAddress.ofLiteral("fd98:99::7"), u0)).as("IPv6 through a router").isFalse();

            DesiredEntries desired = plan(hostGw, u0, near, far);
            assertThat(desired.routes()).hasSize(1);
            assertThat(desired.skipped()).singleElement().satisfies(s -> {
                assertThat(s.subnet()).hasToString("10.42.3.0/24");
                assertThat(s.reason()).contains("198.51.100.7").contains("not on this node's link");
            });
            SyncResult first = hostGw.sync(desired, V4, false);
            assertThat(first.added()).isEqualTo(1);
            assertThat(first.failures()).isEmpty();
            assertThat(a.ip("route", "show", "proto", "87")).contains("10.42.2.0/24 via 198.18.0.2 dev u0")
                    .doesNotContain("10.42.3.0");
            assertThat(a.execResult(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "10.42.2.1").ok())
                    .as("ping over the host-gw route").isTrue();
            assertThat(hostGw.sync(plan(hostGw, u0, near, far), V4, false).isNoop()).as("second sync writes nothing").isTrue();
        }
    }

    @Test
    void repairsRemovesGonePeersAndLeavesOtherRoutesAlone(NetnsFactory factory) throws Exception {
        TestNetns a = factory.create("a");
        Veth.loop(a, "u0", "198.18.0.1/24", "u1");
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(a.name()))) {
            HostGw hostGw = new HostGw(rtnl);
            int u0 = rtnl.link("u0").orElseThrow().index();
            GatewayPeer live = peer("10.42.2.0/24", "198.18.0.2");
            GatewayPeer gone = peer("10.42.9.0/24", "198.18.0.9");
            hostGw.sync(plan(hostGw, u0, live, gone), V4, false);
            a.ip("route", "add", "10.99.0.0/16", "via", "198.18.0.5", "dev", "u0"); // someone else's, proto boot
            a.ip("route", "del", "10.42.2.0/24", "dev", "u0");

            DesiredEntries desired = plan(hostGw, u0, live);
            assertThat(hostGw.inspect(desired, V4).drifts()).extracting(DriftReport.Drift::change)
                    .containsExactlyInAnyOrder(DriftReport.Change.MISSING, DriftReport.Change.UNEXPECTED);
            SyncResult partial = hostGw.sync(desired, V4, true);
            assertThat(partial.added()).isEqualTo(1);
            assertThat(partial.removed()).as("a partial view removes nothing").isZero();
            SyncResult full = hostGw.sync(desired, V4, false);
            assertThat(full.removed()).isEqualTo(1);
            assertThat(hostGw.inspect(desired, V4).isClean()).isTrue();
            assertThat(a.ip("route", "show", "dev", "u0")).contains("10.99.0.0/16 via 198.18.0.5")
                    .contains("10.42.2.0/24 via 198.18.0.2").doesNotContain("10.42.9.0");

            new Vtep(rtnl).remove("flannel.1"); // weft cleanup: no device, and the host-gw routes go too
            assertThat(a.ip("route", "show", "proto", "87")).isBlank();
            assertThat(a.ip("route", "show")).contains("10.99.0.0/16");
        }
    }

    private static DesiredEntries plan(HostGw hostGw, int underlay, GatewayPeer... peers) {
        return HostGw.plan(List.of(peers), underlay, p -> {
            try {
                return hostGw.isOnLink(p.gateway(), underlay);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private static GatewayPeer peer(String subnet, String gateway) {
        return new GatewayPeer(IpPrefix.parseCidr(subnet), InetAddress.ofLiteral(gateway));
    }
}
