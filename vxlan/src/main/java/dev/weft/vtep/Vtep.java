package dev.weft.vtep;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.rtnl.Address;
import dev.weft.rtnl.BatchResult;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.Link;
import dev.weft.rtnl.Neighbour;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.Nexthop;
import dev.weft.rtnl.Route;
import dev.weft.rtnl.RouteFilter;
import dev.weft.rtnl.RouteType;
import dev.weft.rtnl.RtnlClient;
import dev.weft.rtnl.RtnlRequest;
import dev.weft.rtnl.Scope;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VXLAN data plane of one node, on top of one {@link RtnlClient}: the device, and per peer a
 * neighbour + FDB entry + route (DESIGN.md). Level-triggered: {@link #sync} reads what the kernel
 * has, compares it with what the peers need, and writes only the difference, in one batch.
 *
 * <p>Weft's routes carry protocol number {@value #ROUTE_PROTOCOL} so they can be told apart from
 * everyone else's, in particular DirectRouting routes on the shared underlay device. 87 (ASCII
 * 'W') is not among the well-known numbers of {@code /etc/iproute2/rt_protos} nor the kernel's
 * {@code RTPROT_*} list, and not the 80 that Calico uses; {@code ip route show proto 87} lists
 * exactly weft's routes. The nexthop objects weft writes ({@link RouteForm#NEXTHOP}, the default)
 * carry the same number: {@code ip nexthop show proto 87}.
 */
public final class Vtep {
    /** The {@code proto} number on every route weft writes. */
    public static final int ROUTE_PROTOCOL = 87;

    private static final Logger LOG = LoggerFactory.getLogger(Vtep.class);
    private static final int MAX_LOGGED_FAILURES = 10;

    private final RtnlClient rtnl;
    private volatile RouteForm form;

    /** Routes in {@link RouteForm#NEXTHOP} form, or {@link RouteForm#GATEWAY} on a kernel without nexthop objects. */
    public Vtep(RtnlClient rtnl) {
        this(rtnl, RouteForm.NEXTHOP);
    }

    /** Routes in {@code form}; {@link RouteForm#NEXTHOP} still falls back on a kernel without nexthop objects. */
    public Vtep(RtnlClient rtnl, RouteForm form) {
        this.rtnl = rtnl;
        this.form = java.util.Objects.requireNonNull(form, "form");
    }

    /** The form sync writes routes in now (after any fallback). */
    public RouteForm routeForm() {
        return form;
    }

    /** Creates, adopts or replaces the device so it matches {@code spec}; see {@link EnsureOutcome}. */
    public VtepDevice ensure(VtepSpec spec) throws NetlinkException {
        return new DeviceEnsurer(rtnl).ensure(spec);
    }

    /** The VXLAN device called {@code name}, if there is one. */
    public Optional<VtepDevice> find(String name) throws NetlinkException {
        Optional<Link> link = rtnl.link(name).filter(Link::isVxlan);
        if (link.isEmpty() || link.get().mac().isEmpty()) {
            return Optional.empty();
        }
        Link l = link.get();
        return Optional.of(new VtepDevice(l.index(), l.name(), l.mac().get(), l.mtu(), EnsureOutcome.FOUND));
    }

    /**
     * DirectRouting test: the kernel reaches {@code publicIp} without a gateway, out of the
     * underlay ({@code ip route get} shows no {@code via}).
     */
    public boolean isDirectlyReachable(InetAddress publicIp, int underlayIndex) throws NetlinkException {
        try {
            Route r = rtnl.routeGet(publicIp);
            return r.type() == RouteType.UNICAST && r.gateway().isEmpty() && r.device().orElse(-1) == underlayIndex;
        } catch (NetlinkException e) {
            if (e.isUnreachable()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The entries the peers need. Tunnelled peer: neighbour {@code <subnet .0> lladdr <VtepMAC>},
     * FDB {@code <VtepMAC> dst <publicIp>}, route {@code <subnet> via <subnet .0> onlink} on the
     * VTEP. Direct peer: route {@code <subnet> via <publicIp>} on the underlay. Peers that cannot
     * be programmed (a subnet or VtepMAC already claimed, a family mismatch) are skipped, with the
     * reason, rather than failing the whole set. Deterministic: peers are taken in subnet order.
     */
    public DesiredEntries plan(VtepDevice dev, Collection<PeerSpec> peers, int underlayIndex) {
        List<PeerSpec> sorted = new ArrayList<>(peers);
        sorted.sort(Comparator.comparing((PeerSpec p) -> p.subnet().toString()).thenComparing(p -> p.publicIp().toString()));
        List<Neighbour> neighbours = new ArrayList<>();
        List<FdbEntry> fdb = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        List<DesiredEntries.SkippedPeer> skipped = new ArrayList<>();
        Map<IpPrefix, PeerSpec> subnets = new HashMap<>();
        Map<Object, PeerSpec> macs = new HashMap<>();
        for (PeerSpec p : sorted) {
            String why = refusal(p, subnets, macs);
            if (why != null) {
                skipped.add(new DesiredEntries.SkippedPeer(p.subnet(), p.publicIp(), why));
                LOG.warn("not programming peer {} ({}): {}", p.subnet(), IpPrefix.format(p.publicIp()), why);
                continue;
            }
            subnets.put(p.subnet(), p);
            if (p.direct()) {
                routes.add(Route.via(p.subnet(), p.publicIp(), underlayIndex, ROUTE_PROTOCOL));
                continue;
            }
            macs.put(p.vtepMac(), p);
            InetAddress gw = p.subnet().address();
            neighbours.add(Neighbour.permanent(dev.index(), gw, p.vtepMac()));
            fdb.add(FdbEntry.permanent(dev.index(), p.vtepMac(), p.publicIp()));
            routes.add(Route.via(p.subnet(), gw, dev.index(), ROUTE_PROTOCOL).withOnlink(true));
        }
        return new DesiredEntries(dev.index(), underlayIndex, neighbours, fdb, routes, skipped);
    }

    private static String refusal(PeerSpec p, Map<IpPrefix, PeerSpec> subnets, Map<Object, PeerSpec> macs) {
        PeerSpec other = subnets.get(p.subnet());
        if (other != null) {
            return "subnet " + p.subnet() + " is already claimed by peer " + IpPrefix.format(other.publicIp());
        }
        if (p.direct() && IpFamily.of(p.publicIp()) != p.subnet().family()) {
            return "direct routing needs a public IP of the subnet's family";
        }
        other = p.direct() ? null : macs.get(p.vtepMac());
        if (other != null) {
            return "VtepMAC " + p.vtepMac() + " is already used by peer " + other.subnet();
        }
        return null;
    }

    /**
     * Makes the kernel hold exactly {@code desired} among the entries weft owns: dumps, diffs and
     * writes only the difference in one batch. Entries weft does not own (non-permanent
     * neighbours, other protocols' routes, other devices) are never touched. A write the kernel
     * refuses is reported in {@link SyncResult#failures()}; the rest still go through. When the
     * device itself has vanished the dumps fail with {@link NetlinkException#isNotFound()}: ensure
     * it again, then sync.
     */
    public SyncResult sync(VtepDevice dev, DesiredEntries desired) throws NetlinkException {
        long start = System.nanoTime();
        KernelState state = read(dev, desired);
        return apply(dev, desired, VtepDiff.compute(state, desired, form, false), start, false);
    }

    /**
     * Writes what the kernel lacks of {@code desired} and removes nothing: for a partial view of
     * the peers (the first Node list still arriving), where an entry nobody wants yet may belong
     * to a peer not listed yet. A {@link #sync} with the whole view follows.
     */
    public SyncResult add(VtepDevice dev, DesiredEntries desired) throws NetlinkException {
        long start = System.nanoTime();
        KernelState state = read(dev, desired);
        return apply(dev, desired, VtepDiff.compute(state, desired, form, false).withoutRemovals(), start, true);
    }

    private SyncResult apply(VtepDevice dev, DesiredEntries desired, VtepDiff diff, long start, boolean partial)
            throws NetlinkException {
        List<RtnlRequest> requests = diff.requests();
        BatchResult batch = requests.isEmpty() ? new BatchResult(0, List.of()) : rtnl.batch(requests);
        SyncResult result = diff.result(batch, Duration.ofNanos(System.nanoTime() - start));
        batch.failures().stream().filter(f -> f.request().kind() == RtnlRequest.Kind.NEXTHOP && f.error().isNotSupported())
                .findFirst().ifPresent(f -> fallBack(f.error())); // the next pass writes the routes the other way
        if (!result.isNoop()) {
            LOG.atLevel(partial ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log(
                    "{}: {} {} entries: {} added, {} updated, {} removed, {} unchanged, {} failed in {} ms", dev.name(),
                    partial ? "added from a partial view of" : "synced", desired.size(), result.added(), result.updated(),
                    result.removed(), result.unchanged(), result.failures().size(), result.elapsed().toMillis());
        }
        result.failures().stream().limit(MAX_LOGGED_FAILURES).forEach(e -> LOG.warn("{}: {}", dev.name(), e.getMessage()));
        return result;
    }

    /**
     * The difference sync would fix, without writing anything; a route in either {@link RouteForm}
     * that sends to the right gateway counts as right (a node mid-upgrade is programmed).
     */
    public DriftReport inspect(VtepDevice dev, DesiredEntries desired) throws NetlinkException {
        KernelState state = read(dev, desired);
        return VtepDiff.compute(state, desired, form, true).report();
    }

    /**
     * {@code weft cleanup}: deletes the device (its neighbours, FDB, routes and nexthops go with it),
     * weft's other routes, then weft's other nexthops (protocol {@value #ROUTE_PROTOCOL}).
     */
    public void remove(String name) throws NetlinkException {
        Optional<Link> link = rtnl.link(name);
        if (link.isPresent()) {
            try {
                rtnl.deleteLink(link.get().index());
                LOG.info("deleted VXLAN device {}", name);
            } catch (NetlinkException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        List<RtnlRequest> deletes = new ArrayList<>();
        for (IpFamily f : IpFamily.values()) {
            for (Route r : rtnl.routes(RouteFilter.main(f).withProtocol(ROUTE_PROTOCOL))) {
                deletes.add(RtnlRequest.deleteRoute(r));
            }
        }
        int routes = deletes.size();
        for (Nexthop n : nexthops()) {
            if (n.protocol() == ROUTE_PROTOCOL) {
                deletes.add(RtnlRequest.deleteNexthop(n.id()));
            }
        }
        BatchResult result = rtnl.batch(deletes);
        for (BatchResult.Failure f : result.failures()) {
            if (!f.error().isNotFound()) {
                throw f.error();
            }
        }
        LOG.info("removed {} weft routes and {} weft nexthops", routes, deletes.size() - routes);
    }

    /** Every nexthop in the namespace; none on a kernel without them, which also makes sync fall back. */
    private List<Nexthop> nexthops() throws NetlinkException {
        try {
            return rtnl.nexthops();
        } catch (NetlinkException e) {
            if (!e.isNotSupported()) {
                throw e;
            }
            fallBack(e);
            return List.of();
        }
    }

    private void fallBack(NetlinkException e) {
        if (form == RouteForm.NEXTHOP) {
            form = RouteForm.GATEWAY;
            LOG.warn("this kernel has no nexthop objects ({}): writing peer routes as '<subnet> via <gateway> onlink' "
                    + "instead, which takes quadratic time in the number of peers", e.errnoName());
        }
    }

    /** One dump per kind, filtered in the kernel to the VTEP (and weft's protocol for routes). */
    private KernelState read(VtepDevice dev, DesiredEntries desired) throws NetlinkException {
        if (desired.deviceIndex() != dev.index()) {
            throw new IllegalArgumentException("entries were planned for interface #" + desired.deviceIndex()
                    + ", not " + dev.name() + " (#" + dev.index() + ")");
        }
        Set<IpFamily> families = overlayFamilies(dev, desired);
        List<Route> routes = new ArrayList<>();
        for (IpFamily f : families) {
            RouteFilter mine = RouteFilter.main(f).withProtocol(ROUTE_PROTOCOL);
            routes.addAll(routesOn(mine, dev.index()));
            if (desired.underlayIndex() != dev.index()) {
                routes.addAll(routesOn(mine, desired.underlayIndex()));
            }
        }
        return new KernelState(families, rtnl.neighbours(dev.index()), rtnl.fdb(dev.index()), routes, nexthops());
    }

    /**
     * With {@code net.ipv4.nexthop_compat_mode=0} the kernel reports a nexthop route by its id
     * alone; the device filter it applied still says where the route goes.
     */
    private List<Route> routesOn(RouteFilter filter, int index) throws NetlinkException {
        List<Route> out = new ArrayList<>();
        for (Route r : rtnl.routes(filter.onDevice(index))) {
            out.add(r.device().isEmpty() && r.nexthopId().isPresent() ? r.withDevice(index) : r);
        }
        return out;
    }

    /**
     * The overlay families this VTEP serves: those of its global addresses and of the wanted
     * routes. Scoping by family keeps an IPv4 VTEP's sync away from the IPv6 VTEP's direct
     * routes on the same underlay.
     */
    private Set<IpFamily> overlayFamilies(VtepDevice dev, DesiredEntries desired) throws NetlinkException {
        Set<IpFamily> families = new HashSet<>();
        for (Address a : rtnl.addresses(dev.index())) {
            if (a.scope() == Scope.UNIVERSE) {
                families.add(a.prefix().family());
            }
        }
        desired.routes().forEach(r -> families.add(r.family()));
        return families.isEmpty() ? Set.of() : EnumSet.copyOf(families);
    }
}
