package dev.weft.e2e.bench;

import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.netns.Netns;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.Link;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.NeighbourState;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.RouteFilter;
import dev.weft.rtnl.RtnlClient;
import dev.weft.rtnl.RtnlEvent;
import dev.weft.rtnl.RtnlGroup;
import dev.weft.rtnl.RtnlMonitor;
import dev.weft.vtep.Vtep;

/**
 * weft's entries in one node namespace's kernel as an outsider sees them: an rtnetlink monitor
 * records when each route (protocol 87), permanent neighbour and FDB entry with a remote appears,
 * and counts every change to them (the agent's netlink writes, as far as the kernel announces
 * them). Counts are verified with dumps, which also cover a monitor that overflowed. Open one per
 * agent run: routes that go with a deleted device are not announced.
 */
final class KernelWatch implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(20);

    private final String ns;
    private final String device;
    private final Map<IpPrefix, Long> routes = new ConcurrentHashMap<>();
    private final Map<InetAddress, Long> neighbours = new ConcurrentHashMap<>();
    private final Map<MacAddress, Long> fdb = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private final Object signal = new Object();
    private final RtnlMonitor monitor;
    private volatile boolean overflowed;

    private KernelWatch(String ns, String device) throws NetlinkException {
        this.ns = ns;
        this.device = device;
        this.monitor = RtnlMonitor.open(Netns.named(ns), EnumSet.of(RtnlGroup.NEIGHBOUR, RtnlGroup.IPV4_ROUTE),
                this::onEvent);
    }

    /** Starts watching {@code device}'s entries in namespace {@code ns}. */
    static KernelWatch open(String ns, String device) throws NetlinkException {
        return new KernelWatch(ns, device);
    }

    private void onEvent(RtnlEvent e) {
        long now = System.nanoTime();
        boolean mine = switch (e) {
            case RtnlEvent.RouteEvent r when r.route().protocol() == Vtep.ROUTE_PROTOCOL ->
                    track(routes, r.route().destination(), r.action(), now);
            case RtnlEvent.NeighbourEvent n when n.neighbour().state() == NeighbourState.PERMANENT ->
                    track(neighbours, n.neighbour().address(), n.action(), now);
            case RtnlEvent.FdbEvent f when f.entry().destination().isPresent() ->
                    track(fdb, f.entry().mac(), f.action(), now);
            case RtnlEvent.Overflow o -> {
                overflowed = true;
                yield true;
            }
            default -> false;
        };
        if (mine) {
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    private <K> boolean track(Map<K, Long> seen, K key, RtnlEvent.Action action, long now) {
        changes.incrementAndGet();
        if (action == RtnlEvent.Action.NEW) {
            seen.putIfAbsent(key, now);
        } else {
            seen.remove(key);
        }
        return true;
    }

    /** Changes to weft's entries announced so far (additions, replacements that changed something, deletions). */
    long changes() {
        return changes.get();
    }

    /** Whether the kernel dropped notifications: {@link #changes()} is then a lower bound. */
    boolean overflowed() {
        return overflowed;
    }

    /**
     * Waits until at least {@code n} routes, neighbours and FDB entries are on the device; returns
     * the {@link System#nanoTime()} when the last of them arrived (routes come last in weft's
     * batches), as announced, or as found by a dump when notifications were lost. Gives up when
     * {@code writer} exits.
     */
    long awaitAll(int n, Process writer, Duration timeout) throws InterruptedException, NetlinkException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!writer.isAlive()) {
                throw new IllegalStateException("the agent exited with " + writer.exitValue() + " before programming "
                        + n + " peers");
            }
            if (!overflowed && routes.size() >= n && neighbours.size() >= n && fdb.size() >= n) {
                if (dumpCounts() >= n) {
                    return Math.max(latest(routes), Math.max(latest(neighbours), latest(fdb)));
                }
            } else if (overflowed && dumpCounts() >= n) {
                return System.nanoTime();
            }
            synchronized (signal) {
                signal.wait(POLL.toMillis());
            }
        }
        throw new IllegalStateException(device + " in " + ns + " did not get " + n + " peers within " + timeout
                + " (seen: " + routes.size() + " routes, " + neighbours.size() + " neighbours, " + fdb.size() + " fdb)");
    }

    /** Waits for one peer's three entries; returns the arrival time of the last one. */
    long awaitPeer(IpPrefix subnet, InetAddress gateway, MacAddress mac, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Long r = routes.get(subnet);
            Long nb = neighbours.get(gateway);
            Long f = fdb.get(mac);
            if (r != null && nb != null && f != null) {
                return Math.max(r, Math.max(nb, f));
            }
            synchronized (signal) {
                signal.wait(POLL.toMillis());
            }
        }
        throw new IllegalStateException("peer " + subnet + " did not reach " + device + " in " + ns + " within " + timeout);
    }

    private static long latest(Map<?, Long> seen) {
        return seen.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** The smallest of the three counts on the device, from dumps. */
    int dumpCounts() throws NetlinkException {
        try (RtnlClient rtnl = RtnlClient.open(Netns.named(ns))) {
            Optional<Link> link = rtnl.link(device);
            if (link.isEmpty()) {
                return 0;
            }
            int index = link.get().index();
            int r = rtnl.routes(RouteFilter.main(IpFamily.V4).withProtocol(Vtep.ROUTE_PROTOCOL).onDevice(index)).size();
            int nb = (int) rtnl.neighbours(index).stream().filter(x -> x.state() == NeighbourState.PERMANENT).count();
            int f = (int) rtnl.fdb(index).stream().map(FdbEntry::destination).filter(Optional::isPresent).count();
            return Math.min(r, Math.min(nb, f));
        }
    }

    @Override
    public void close() {
        monitor.close();
    }
}
