package dev.weft.vtep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.IpPrefix;
import dev.weft.netns.Netns;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.RtnlEvent;
import dev.weft.rtnl.RtnlGroup;
import dev.weft.rtnl.RtnlMonitor;
import dev.weft.testing.KernelTest;
import dev.weft.testing.NetnsFactory;
import dev.weft.testing.TestNetns;
import dev.weft.testing.Veth;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/** Tampering: entries deleted behind weft's back with ip/bridge show up on the monitor, one by one. */
@KernelTest
class MonitorKernelIT {
    private static final MacAddress MAC_B = MacAddress.parse("0a:58:0a:2a:02:00");

    @Test
    @SuppressWarnings("try") // the monitor only needs to be open
    void reportsDeletedRouteNeighbourFdbEntryAndDevice(NetnsFactory factory) throws Exception {
        TestNetns a = factory.create("a");
        TestNetns b = factory.create("b");
        Veth.connect(a, "u0", "198.18.0.1/24", b, "u0", "198.18.0.2/24");
        BlockingQueue<RtnlEvent> events = new LinkedBlockingQueue<>();
        try (OverlayKernelIT.Node na = OverlayKernelIT.node(a, "198.18.0.1", "10.42.1.0", MacAddress.parse("0a:58:0a:2a:01:00"));
             RtnlMonitor monitor = RtnlMonitor.open(Netns.named(a.name()),
                     EnumSet.of(RtnlGroup.LINK, RtnlGroup.NEIGHBOUR, RtnlGroup.IPV4_ROUTE, RtnlGroup.IPV4_ADDRESS),
                     events::add)) {
            OverlayKernelIT.sync(na, OverlayKernelIT.peer("10.42.2.0/24", "198.18.0.2", MAC_B, false));
            int dev = na.dev().index();
            await(events, e -> e instanceof RtnlEvent.RouteEvent r && r.action() == RtnlEvent.Action.NEW
                    && r.route().destination().equals(IpPrefix.parse("10.42.2.0/24")));

            a.ip("route", "del", "10.42.2.0/24", "dev", "flannel.1");
            RtnlEvent route = await(events, e -> e instanceof RtnlEvent.RouteEvent r && r.action() == RtnlEvent.Action.DELETED);
            assertThat(((RtnlEvent.RouteEvent) route).route().protocol()).isEqualTo(Vtep.ROUTE_PROTOCOL);
            assertThat(((RtnlEvent.RouteEvent) route).route().device()).hasValue(dev);

            a.ip("neigh", "del", "10.42.2.0", "dev", "flannel.1");
            RtnlEvent neigh = await(events, e -> e instanceof RtnlEvent.NeighbourEvent n && n.action() == RtnlEvent.Action.DELETED);
            assertThat(((RtnlEvent.NeighbourEvent) neigh).neighbour().address()).isEqualTo(InetAddress.ofLiteral("10.42.2.0"));

            a.bridge("fdb", "del", MAC_B.toString(), "dev", "flannel.1", "dst", "198.18.0.2", "self");
            RtnlEvent fdb = await(events, e -> e instanceof RtnlEvent.FdbEvent f && f.action() == RtnlEvent.Action.DELETED);
            assertThat(((RtnlEvent.FdbEvent) fdb).entry().mac()).isEqualTo(MAC_B);
            assertThat(((RtnlEvent.FdbEvent) fdb).entry().destination()).contains(InetAddress.ofLiteral("198.18.0.2"));

            a.ip("link", "del", "flannel.1");
            RtnlEvent link = await(events, e -> e instanceof RtnlEvent.LinkEvent l && l.action() == RtnlEvent.Action.DELETED);
            assertThat(((RtnlEvent.LinkEvent) link).link().name()).isEqualTo("flannel.1");
            assertThat(((RtnlEvent.LinkEvent) link).link().index()).isEqualTo(dev);
        }
    }

    /** A listener that falls behind makes the kernel drop notifications: the monitor must say so. */
    @Test
    @SuppressWarnings("try")
    void reportsOverflowWhenNotificationsAreLost(TestNetns ns) throws Exception {
        Veth.loop(ns, "u0", "198.18.0.1/16", "u1");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        BlockingQueue<RtnlEvent> events = new LinkedBlockingQueue<>();
        try (dev.weft.rtnl.RtnlClient rtnl = dev.weft.rtnl.RtnlClient.open(Netns.named(ns.name()));
             RtnlMonitor monitor = RtnlMonitor.open(Netns.named(ns.name()), EnumSet.of(RtnlGroup.NEIGHBOUR), e -> {
                 events.add(e);
                 awaitQuietly(release);
             })) {
            int u0 = rtnl.link("u0").orElseThrow().index();
            java.util.List<dev.weft.rtnl.RtnlRequest> flood = new java.util.ArrayList<>();
            for (int i = 0; i < 30_000; i++) {
                InetAddress ip = InetAddress.ofLiteral("198.18." + (1 + i / 250) + "." + (1 + i % 250));
                flood.add(dev.weft.rtnl.RtnlRequest.replaceNeighbour(u0, ip, new MacAddress(0x0a0000000000L + i)));
            }
            assertThat(rtnl.batch(flood).allSucceeded()).isTrue();
            release.countDown();
            RtnlEvent overflow = await(events, e -> e instanceof RtnlEvent.Overflow);
            assertThat(((RtnlEvent.Overflow) overflow).reason()).contains("dropped");
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closeStopsDeliveringPromptly(TestNetns ns) throws Exception {
        BlockingQueue<RtnlEvent> events = new LinkedBlockingQueue<>();
        RtnlMonitor monitor = RtnlMonitor.open(Netns.named(ns.name()), EnumSet.of(RtnlGroup.LINK), events::add);
        long start = System.nanoTime();
        monitor.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
        Veth.loop(ns, "u0", "198.18.0.1/24", "u1");
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    /** The first event matching {@code p} within 5 s; earlier, unrelated events are passed over. */
    private static RtnlEvent await(BlockingQueue<RtnlEvent> q, Predicate<RtnlEvent> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            RtnlEvent e = q.poll(left, TimeUnit.NANOSECONDS);
            if (e != null && p.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no matching event within 5 s");
    }
}
