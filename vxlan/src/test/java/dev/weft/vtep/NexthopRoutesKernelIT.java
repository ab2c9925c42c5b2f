package dev.weft.vtep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.IpPrefix;
import dev.weft.netns.Netns;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.RtnlClient;
import dev.weft.rtnl.RtnlEvent;
import dev.weft.rtnl.RtnlGroup;
import dev.weft.rtnl.RtnlMonitor;
import dev.weft.testing.KernelTest;
import dev.weft.testing.NetnsFactory;
import dev.weft.testing.TestNetns;
import dev.weft.testing.Veth;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The default {@link RouteForm#NEXTHOP} form against a real kernel: one nexthop object per peer,
 * the route by {@code nhid}; programming, no-op resync, drift repair, removal, cleanup, and
 * converting a node from flannel's form (and back) by replacing each route in place.
 */
@KernelTest
class NexthopRoutesKernelIT {
    private static final MacAddress MAC_A = MacAddress.parse("0a:58:0a:2a:01:00");
    private static final MacAddress MAC_B = MacAddress.parse("0a:58:0a:2a:02:00");
    private static final int ID_B = 0x570A2A02; // preferred id of 10.42.2.0/24
    private static final PeerSpec B = OverlayKernelIT.peer("10.42.2.0/24", "198.18.0.2", MAC_B, false);

    @Test
    void programsPingsAndASecondSyncWritesNothing(NetnsFactory factory) throws Exception {
        TestNetns a = factory.create("a");
        TestNetns b = factory.create("b");
        Veth.connect(a, "u0", "198.18.0.1/24", b, "u0", "198.18.0.2/24");
        try (OverlayKernelIT.Node na = node(a, "198.18.0.1", "10.42.1.0", MAC_A);
             OverlayKernelIT.Node nb = node(b, "198.18.0.2", "10.42.2.0", MAC_B)) {
            SyncResult first = OverlayKernelIT.sync(na, B);
            OverlayKernelIT.sync(nb, OverlayKernelIT.peer("10.42.1.0/24", "198.18.0.1", MAC_A, false));
            assertThat(first.failures()).isEmpty();
            assertThat(first.added()).isEqualTo(4); // neighbour, FDB entry, nexthop, route
            assertThat(first.nexthops().added()).isEqualTo(1);
            assertThat(na.vtep().routeForm()).isEqualTo(RouteForm.NEXTHOP);

            assertThat(a.ip("nexthop", "show", "proto", "87"))
                    .contains("id " + ID_B + " via 10.42.2.0 dev flannel.1 scope link proto 87 onlink");
            assertThat(a.ip("route", "show", "proto", "87")).contains("10.42.2.0/24 nhid " + ID_B + " via 10.42.2.0 dev flannel.1");
            assertThat(na.ping("10.42.2.0").ok()).as("ping over VXLAN through a nexthop object").isTrue();

            SyncResult second = OverlayKernelIT.sync(na, B);
            assertThat(second.isNoop()).as("second sync writes nothing: %s", second).isTrue();
            assertThat(second.unchanged()).isEqualTo(4);
        }
    }

    @Test
    void repairsDriftInPlaceAndStepsOverOthersNexthops(TestNetns a) throws Exception {
        Veth.loop(a, "u0", "198.18.0.1/24", "u1");
        PeerSpec c = OverlayKernelIT.peer("10.42.3.0/24", "198.18.0.3", MacAddress.parse("0a:58:0a:2a:03:00"), false);
        a.ip("nexthop", "add", "id", Integer.toString(ID_B + 1), "via", "198.18.0.254", "dev", "u0"); // 10.42.3.0's id, not ours
        try (OverlayKernelIT.Node na = node(a, "198.18.0.1", "10.42.1.0", MAC_A)) {
            assertThat(OverlayKernelIT.sync(na, B, c).failures()).isEmpty();
            assertThat(a.ip("route", "show", "10.42.3.0/24")).contains("nhid " + (ID_B + 2));
            DesiredEntries desired = na.vtep().plan(na.dev(), List.of(B, c), na.underlay());

            a.ip("nexthop", "replace", "id", Integer.toString(ID_B), "via", "10.42.9.0", "dev", "flannel.1", "onlink", "proto", "87");
            SyncResult fixHop = na.vtep().sync(na.dev(), desired);
            assertThat(fixHop.nexthops().updated()).isEqualTo(1);
            assertThat(fixHop.writes()).as("only the nexthop is rewritten: %s", fixHop).isEqualTo(1);
            assertThat(a.ip("route", "get", "10.42.2.5")).contains("via 10.42.2.0");

            a.ip("nexthop", "del", "id", Integer.toString(ID_B)); // the kernel takes the route with it
            assertThat(na.vtep().inspect(na.dev(), desired).drifts()).extracting(DriftReport.Drift::kind)
                    .containsExactlyInAnyOrder(DriftReport.Kind.NEXTHOP, DriftReport.Kind.ROUTE);
            SyncResult back = na.vtep().sync(na.dev(), desired);
            assertThat(back.added()).isEqualTo(2);

            a.ip("route", "del", "10.42.2.0/24"); // the nexthop stays behind, and is used again
            SyncResult route = na.vtep().sync(na.dev(), desired);
            assertThat(route.routes().added()).isEqualTo(1);
            assertThat(route.nexthops().unchanged()).isEqualTo(2);
            assertThat(a.ip("route", "show", "10.42.2.0/24")).contains("nhid " + ID_B);

            assertThat(na.vtep().inspect(na.dev(), desired).isClean()).isTrue();
            assertThat(a.ip("nexthop", "show", "id", Integer.toString(ID_B + 1))).contains("via 198.18.0.254 dev u0");
        }
    }

    @Test
    void removesGonePeersNexthopsAndCleanupTakesTheRest(TestNetns a) throws Exception {
        Veth.loop(a, "u0", "198.18.0.1/24", "u1");
        PeerSpec direct = OverlayKernelIT.peer("10.42.4.0/24", "198.18.0.4", MacAddress.parse("0a:58:0a:2a:04:00"), true);
        a.ip("nexthop", "add", "id", "7", "via", "198.18.0.254", "dev", "u0");
        try (OverlayKernelIT.Node na = node(a, "198.18.0.1", "10.42.1.0", MAC_A)) {
            assertThat(OverlayKernelIT.sync(na, B, direct).failures()).isEmpty();
            assertThat(a.ip("nexthop", "show", "proto", "87")).contains("via 198.18.0.4 dev u0").contains("via 10.42.2.0");

            SyncResult gone = OverlayKernelIT.sync(na, direct);
            assertThat(gone.removed()).isEqualTo(4);
            assertThat(gone.nexthops().removed()).isEqualTo(1);
            assertThat(a.ip("nexthop", "show", "proto", "87")).doesNotContain("10.42.2.0").contains("198.18.0.4");

            na.vtep().remove("flannel.1");
            assertThat(a.ip("nexthop", "show", "proto", "87")).isBlank();
            assertThat(a.ip("route", "show", "proto", "87")).isBlank();
            assertThat(a.ip("nexthop", "show")).contains("id 7 via 198.18.0.254 dev u0");
        }
    }

    /**
     * A node flannel's way (an older weft) converts route by route with a replace: the route is never
     * absent. A second client asks the kernel for each peer's route throughout, and the route
     * monitor must see no deletion.
     */
    @Test
    void convertsFromTheGatewayFormAndBackWithoutARouteGoingAway(TestNetns a) throws Exception {
        Veth.loop(a, "u0", "198.18.0.1/16", "u1");
        List<PeerSpec> peers = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            peers.add(new PeerSpec(IpPrefix.parse("10.43." + i + ".0/24"), InetAddress.ofLiteral("198.18.1." + (1 + i % 250)),
                    new MacAddress(0x0a5800000100L + i), false));
        }
        ConcurrentLinkedQueue<RtnlEvent> events = new ConcurrentLinkedQueue<>();
        try (OverlayKernelIT.Node old = OverlayKernelIT.node(a, "198.18.0.1", "10.42.1.0", MAC_A, RouteForm.GATEWAY);
             RtnlClient probe = RtnlClient.open(Netns.named(a.name()));
             RtnlMonitor monitor = RtnlMonitor.open(Netns.named(a.name()), EnumSet.of(RtnlGroup.IPV4_ROUTE, RtnlGroup.NEXTHOP),
                     events::add)) {
            DesiredEntries desired = old.vtep().plan(old.dev(), peers, old.underlay());
            assertThat(old.vtep().sync(old.dev(), desired).failures()).isEmpty();
            assertThat(a.ip("route", "show", "10.43.7.0/24")).contains("via 10.43.7.0 dev flannel.1 proto 87 onlink");
            Vtep current = new Vtep(old.rtnl());
            assertThat(current.inspect(old.dev(), desired).isClean()).as("status: either form is programmed").isTrue();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger asked = new AtomicInteger();
            List<String> absent = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread asker = Thread.ofPlatform().start(() -> ask(probe, peers, stop, asked, absent));
            SyncResult up;
            SyncResult down;
            try {
                up = current.sync(old.dev(), desired);
                down = old.vtep().sync(old.dev(), desired);
            } finally {
                stop.set(true);
                asker.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertThat(up.failures()).isEmpty();
            assertThat(up.routes().updated()).isEqualTo(250);
            assertThat(up.nexthops().added()).isEqualTo(250);
            assertThat(up.removed()).isZero();
            assertThat(down.routes().updated()).isEqualTo(250);
            assertThat(down.nexthops().removed()).isEqualTo(250);
            assertThat(down.routes().removed()).isZero();
            assertThat(asked.get()).as("route lookups made during the conversion").isPositive();
            assertThat(absent).as("lookups that found no route").isEmpty();

            a.ip("route", "add", "10.99.0.0/16", "dev", "u0", "proto", "88"); // a marker: once it is seen, all before it were
            a.ip("route", "del", "10.99.0.0/16", "dev", "u0", "proto", "88");
            awaitMarker(events);
            assertThat(events).filteredOn(e -> e instanceof RtnlEvent.RouteEvent r && r.action() == RtnlEvent.Action.DELETED
                    && r.route().protocol() == Vtep.ROUTE_PROTOCOL).as("weft route deletions").isEmpty();
            assertThat(events).filteredOn(e -> e instanceof RtnlEvent.NexthopEvent n && n.action() == RtnlEvent.Action.DELETED)
                    .as("the nexthops went once no route used them").hasSize(250);
        }
    }

    /** Looks up every peer's route in turn until told to stop (at most 60 s). */
    private static void ask(RtnlClient probe, List<PeerSpec> peers, AtomicBoolean stop, AtomicInteger asked, List<String> absent) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; !stop.get() && System.nanoTime() < deadline; i = (i + 1) % peers.size()) {
            InetAddress inside = InetAddress.ofLiteral(IpPrefix.format(peers.get(i).subnet().address()).replaceAll("0$", "9"));
            try {
                probe.routeGet(inside);
            } catch (NetlinkException e) {
                absent.add(IpPrefix.format(inside) + ": " + e.getMessage());
            }
            asked.incrementAndGet();
        }
    }

    private static void awaitMarker(ConcurrentLinkedQueue<RtnlEvent> events) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (events.stream().anyMatch(e -> e instanceof RtnlEvent.RouteEvent r && r.action() == RtnlEvent.Action.DELETED
                    && r.route().protocol() == 88)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the monitor never saw the marker route go");
    }

    private static OverlayKernelIT.Node node(TestNetns ns, String publicIp, String subnet, MacAddress mac) throws Exception {
        return OverlayKernelIT.node(ns, publicIp, subnet, mac, RouteForm.NEXTHOP);
    }
}
