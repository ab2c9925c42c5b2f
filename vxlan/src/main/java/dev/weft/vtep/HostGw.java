package dev.weft.vtep;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.rtnl.BatchResult;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.Route;
import dev.weft.rtnl.RouteFilter;
import dev.weft.rtnl.RtnlClient;
import dev.weft.rtnl.RtnlRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host-gw data plane (flannel's {@code "Backend": {"Type": "host-gw"}}): no device, one route
 * per peer, {@code <subnet> via <peer's public IP> dev <underlay>}, carrying weft's protocol
 * number ({@link Vtep#ROUTE_PROTOCOL}). It only works when every peer is on the same link; a peer
 * whose public IP the kernel reaches through a gateway is skipped with the reason, never given a
 * route that would send its pods' traffic to the wrong machine.
 */
public final class HostGw {
    private static final Logger LOG = LoggerFactory.getLogger(HostGw.class);
    private static final int MAX_LOGGED_FAILURES = 10;

    /** One peer as host-gw needs it: its pod subnet and the underlay address that is its next hop. */
    public record GatewayPeer(IpPrefix subnet, InetAddress gateway) {
        public GatewayPeer {
            Objects.requireNonNull(subnet, "subnet");
            Objects.requireNonNull(gateway, "gateway");
            if (!subnet.isNetwork()) {
                throw new IllegalArgumentException("peer subnet " + subnet + " has host bits set (expected " + subnet.network() + ")");
            }
            if (gateway.isAnyLocalAddress() || gateway.isMulticastAddress() || gateway.isLoopbackAddress()) {
                throw new IllegalArgumentException("peer public IP " + IpPrefix.format(gateway) + " is not a unicast address");
            }
        }
    }

    private final RtnlClient rtnl;
    private final Vtep probe;

    public HostGw(RtnlClient rtnl) {
        this.rtnl = rtnl;
        this.probe = new Vtep(rtnl);
    }

    /** The on-link test: the kernel reaches {@code gateway} out of the underlay without a gateway of its own. */
    public boolean isOnLink(InetAddress gateway, int underlayIndex) throws NetlinkException {
        return probe.isDirectlyReachable(gateway, underlayIndex);
    }

    /**
     * The routes the peers need, in subnet order. Skipped, with the reason: a subnet already claimed,
     * a public IP of the other family (host-gw cannot route IPv4 via an IPv6 next hop), and a peer
     * {@code onLink} says is not on the underlay's link.
     */
    public static DesiredEntries plan(Collection<GatewayPeer> peers, int underlayIndex, Predicate<GatewayPeer> onLink) {
        List<GatewayPeer> sorted = new ArrayList<>(peers);
        sorted.sort(Comparator.comparing((GatewayPeer p) -> p.subnet().toString()).thenComparing(p -> p.gateway().toString()));
        List<Route> routes = new ArrayList<>();
        List<DesiredEntries.SkippedPeer> skipped = new ArrayList<>();
        Map<IpPrefix, GatewayPeer> subnets = new HashMap<>();
        for (GatewayPeer p : sorted) {
            String why = refusal(p, subnets, onLink);
            if (why != null) {
                skipped.add(new DesiredEntries.SkippedPeer(p.subnet(), p.gateway(), why));
                LOG.warn("not programming peer {} ({}): {}", p.subnet(), IpPrefix.format(p.gateway()), why);
                continue;
            }
            subnets.put(p.subnet(), p);
            routes.add(Route.via(p.subnet(), p.gateway(), underlayIndex, Vtep.ROUTE_PROTOCOL));
        }
        return new DesiredEntries(underlayIndex, underlayIndex, List.of(), List.of(), routes, skipped);
    }

    private static String refusal(GatewayPeer p, Map<IpPrefix, GatewayPeer> subnets, Predicate<GatewayPeer> onLink) {
        GatewayPeer other = subnets.get(p.subnet());
        if (other != null) {
            return "subnet " + p.subnet() + " is already claimed by peer " + IpPrefix.format(other.gateway());
        }
        if (IpFamily.of(p.gateway()) != p.subnet().family()) {
            return "host-gw needs a public IP of the subnet's family";
        }
        if (!onLink.test(p)) {
            return "public IP " + IpPrefix.format(p.gateway()) + " is not on this node's link (host-gw needs every node on one L2 network)";
        }
        return null;
    }

    /**
     * Makes the underlay hold exactly {@code desired} among weft's routes of {@code families}:
     * other protocols' routes and other devices are never touched. With {@code partial}, nothing
     * is removed (the first Node list is still arriving).
     */
    public SyncResult sync(DesiredEntries desired, Set<IpFamily> families, boolean partial) throws NetlinkException {
        long start = System.nanoTime();
        VtepDiff diff = VtepDiff.compute(read(desired, families), desired);
        if (partial) {
            diff = diff.withoutRemovals();
        }
        List<RtnlRequest> requests = diff.requests();
        BatchResult batch = requests.isEmpty() ? new BatchResult(0, List.of()) : rtnl.batch(requests);
        SyncResult result = diff.result(batch, Duration.ofNanos(System.nanoTime() - start));
        if (!result.isNoop()) {
            LOG.atLevel(partial ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log(
                    "host-gw: {} {} routes: {} added, {} updated, {} removed, {} unchanged, {} failed in {} ms",
                    partial ? "added from a partial view of" : "synced", desired.size(), result.added(), result.updated(),
                    result.removed(), result.unchanged(), result.failures().size(), result.elapsed().toMillis());
        }
        result.failures().stream().limit(MAX_LOGGED_FAILURES).forEach(e -> LOG.warn("host-gw: {}", e.getMessage()));
        return result;
    }

    /** The difference {@link #sync} would fix, without writing anything. */
    public DriftReport inspect(DesiredEntries desired, Set<IpFamily> families) throws NetlinkException {
        return VtepDiff.compute(read(desired, families), desired).report();
    }

    private KernelState read(DesiredEntries desired, Set<IpFamily> families) throws NetlinkException {
        List<Route> routes = new ArrayList<>();
        for (IpFamily f : families) {
            routes.addAll(rtnl.routes(RouteFilter.main(f).withProtocol(Vtep.ROUTE_PROTOCOL).onDevice(desired.underlayIndex())));
        }
        return new KernelState(families.isEmpty() ? Set.of() : EnumSet.copyOf(families), List.of(), List.of(), routes);
    }
}
