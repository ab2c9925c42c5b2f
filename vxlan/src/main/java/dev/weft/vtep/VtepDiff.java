package dev.weft.vtep;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.rtnl.BatchResult;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.Neighbour;
import dev.weft.rtnl.NeighbourState;
import dev.weft.rtnl.Nexthop;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.Route;
import dev.weft.rtnl.RtnlRequest;
import dev.weft.vtep.DriftReport.Change;
import dev.weft.vtep.DriftReport.Kind;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The difference between the kernel's state and the wanted entries, as an ordered list of
 * writes. Order matters: removals start with routes (so no route points at a neighbour that is
 * going away), additions put the neighbour and FDB entry first (or the kernel ARPs for the
 * gateway of a route that arrived early), then nexthop objects, then the routes using them; stale
 * nexthops go last, once no route of ours uses them. Only entries weft owns are ever removed:
 * permanent neighbours and unicast permanent FDB entries on the VTEP, routes carrying weft's
 * protocol, and nexthops carrying it on the VTEP or the underlay.
 *
 * <p>A route in the other {@link RouteForm} is wrong and is rewritten with one replace on the
 * same destination, table and protocol, which the kernel swaps atomically: switching forms never
 * leaves a moment without the route. For {@code weft status} ({@code acceptEitherForm}) a route
 * in either form that forwards to the right gateway counts as right.
 */
final class VtepDiff {
    /** One write, and what it fixes. */
    record Fix(Kind kind, Change change, RtnlRequest request) {
        int phase() {
            if (kind == Kind.NEXTHOP) {
                return change == Change.UNEXPECTED ? 4 : 2;
            }
            if (change == Change.UNEXPECTED) {
                return kind == Kind.ROUTE ? 0 : 1;
            }
            return kind == Kind.ROUTE ? 3 : 2;
        }
    }

    /** Routes are told apart by device and destination; a second route there is a variant to clear. */
    record RouteKey(OptionalInt device, IpPrefix destination) {
    }

    private final List<Fix> fixes = new ArrayList<>();
    private final Map<Kind, Integer> unchanged = new EnumMap<>(Kind.class);
    private final RouteForm form;
    private final boolean acceptEitherForm;

    private VtepDiff(RouteForm form, boolean acceptEitherForm) {
        this.form = form;
        this.acceptEitherForm = acceptEitherForm;
        for (Kind k : Kind.values()) {
            unchanged.put(k, 0);
        }
    }

    /** The diff for routes in {@link RouteForm#GATEWAY} form. */
    static VtepDiff compute(KernelState state, DesiredEntries desired) {
        return compute(state, desired, RouteForm.GATEWAY, false);
    }

    /**
     * @param form             the form routes should have
     * @param acceptEitherForm count a route in the other form as right when it forwards the same way
     *                         (reports only: a sync with it would never convert a node)
     */
    static VtepDiff compute(KernelState state, DesiredEntries desired, RouteForm form, boolean acceptEitherForm) {
        VtepDiff d = new VtepDiff(form, acceptEitherForm);
        d.neighbours(state, desired);
        d.fdb(state, desired);
        d.routes(state, desired);
        d.fixes.sort(Comparator.comparingInt(Fix::phase));
        return d;
    }

    static RouteKey key(Route r) {
        return new RouteKey(r.device(), r.destination());
    }

    /** The same writes without the removals. */
    VtepDiff withoutRemovals() {
        VtepDiff d = new VtepDiff(form, acceptEitherForm);
        d.unchanged.putAll(unchanged);
        fixes.stream().filter(f -> f.change() != Change.UNEXPECTED).forEach(d.fixes::add);
        return d;
    }

    List<Fix> fixes() {
        return List.copyOf(fixes);
    }

    List<RtnlRequest> requests() {
        return fixes.stream().map(Fix::request).toList();
    }

    DriftReport report() {
        List<DriftReport.Drift> drifts = fixes.stream()
                .map(f -> new DriftReport.Drift(f.kind(), f.change(), f.request().summary())).toList();
        return new DriftReport(drifts, unchanged.values().stream().mapToInt(Integer::intValue).sum());
    }

    /** Folds the batch outcome in: a removal that found nothing to remove still counts as removed. */
    SyncResult result(BatchResult batch, Duration elapsed) {
        Map<Integer, NetlinkException> failed = new HashMap<>();
        for (BatchResult.Failure f : batch.failures()) {
            failed.put(f.index(), f.error());
        }
        Map<Kind, int[]> counts = new EnumMap<>(Kind.class); // added, removed, unchanged, updated
        for (Kind k : Kind.values()) {
            counts.put(k, new int[] {0, 0, unchanged.get(k), 0});
        }
        List<NetlinkException> failures = new ArrayList<>();
        for (int i = 0; i < fixes.size(); i++) {
            Fix fix = fixes.get(i);
            NetlinkException e = failed.get(i);
            if (e != null && !(fix.change() == Change.UNEXPECTED && e.isNotFound())) {
                failures.add(e);
                continue;
            }
            counts.get(fix.kind())[switch (fix.change()) {
                case MISSING -> 0;
                case UNEXPECTED -> 1;
                case WRONG -> 3;
            }]++;
        }
        SyncResult.KindCounts n = kindCounts(counts.get(Kind.NEIGHBOUR));
        SyncResult.KindCounts f = kindCounts(counts.get(Kind.FDB));
        SyncResult.KindCounts r = kindCounts(counts.get(Kind.ROUTE));
        SyncResult.KindCounts h = kindCounts(counts.get(Kind.NEXTHOP));
        SyncResult.KindCounts all = n.plus(f).plus(r).plus(h);
        return new SyncResult(all.added(), all.removed(), all.unchanged(), all.updated(), n, f, r, h, failures, elapsed);
    }

    private static SyncResult.KindCounts kindCounts(int[] c) {
        return new SyncResult.KindCounts(c[0], c[1], c[2], c[3]);
    }

    private void neighbours(KernelState state, DesiredEntries desired) {
        Map<InetAddress, Neighbour> have = new LinkedHashMap<>();
        for (Neighbour n : state.neighbours()) {
            if (n.index() == desired.deviceIndex() && n.state() == NeighbourState.PERMANENT
                    && state.families().contains(IpFamily.of(n.address()))) {
                have.put(n.address(), n);
            }
        }
        for (Neighbour want : desired.neighbours()) {
            Neighbour h = have.remove(want.address());
            if (h != null && h.mac().equals(want.mac())) {
                unchanged.merge(Kind.NEIGHBOUR, 1, Integer::sum);
            } else {
                RtnlRequest req = RtnlRequest.replaceNeighbour(want.index(), want.address(), want.mac().orElseThrow());
                fixes.add(new Fix(Kind.NEIGHBOUR, h == null ? Change.MISSING : Change.WRONG, req));
            }
        }
        for (Neighbour extra : have.values()) {
            fixes.add(new Fix(Kind.NEIGHBOUR, Change.UNEXPECTED, RtnlRequest.deleteNeighbour(extra.index(), extra.address())));
        }
    }

    private void fdb(KernelState state, DesiredEntries desired) {
        Map<MacAddress, List<FdbEntry>> have = new LinkedHashMap<>();
        for (FdbEntry e : state.fdb()) {
            if (e.index() == desired.deviceIndex() && e.self() && e.state() == NeighbourState.PERMANENT
                    && !e.mac().isZero() && !e.mac().isMulticast()) {
                have.computeIfAbsent(e.mac(), k -> new ArrayList<>()).add(e);
            }
        }
        for (FdbEntry want : desired.fdb()) {
            List<FdbEntry> h = have.remove(want.mac());
            Optional<FdbEntry> same = h == null ? Optional.empty()
                    : h.stream().filter(e -> e.destination().equals(want.destination())).findFirst();
            if (same.isPresent()) {
                unchanged.merge(Kind.FDB, 1, Integer::sum);
                h.remove(same.get());
            } else {
                InetAddress dst = want.destination().orElseThrow();
                fixes.add(new Fix(Kind.FDB, h == null ? Change.MISSING : Change.WRONG,
                        RtnlRequest.replaceFdb(want.index(), want.mac(), dst)));
                if (h != null && !h.isEmpty()) {
                    h.removeFirst(); // the replace rewrites this one in place
                }
            }
            if (h != null) {
                h.forEach(this::unexpectedFdb);
            }
        }
        have.values().forEach(l -> l.forEach(this::unexpectedFdb));
    }

    private void unexpectedFdb(FdbEntry e) {
        fixes.add(new Fix(Kind.FDB, Change.UNEXPECTED, RtnlRequest.deleteFdb(e.index(), e.mac(), e.destination())));
    }

    private void routes(KernelState state, DesiredEntries desired) {
        Map<RouteKey, List<Route>> have = new LinkedHashMap<>();
        for (Route r : state.routes()) {
            have.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
        }
        Map<Integer, Nexthop> nexthops = new HashMap<>();
        state.nexthops().forEach(n -> nexthops.put(n.id(), n));
        Predicate<Nexthop> owned = n -> n.protocol() == Vtep.ROUTE_PROTOCOL && n.device().isPresent()
                && (n.device().getAsInt() == desired.deviceIndex() || n.device().getAsInt() == desired.underlayIndex())
                && n.family().filter(state.families()::contains).isPresent();
        NexthopPlan ids = form == RouteForm.NEXTHOP
                ? NexthopPlan.assign(desired.routes(), state.routes(), state.nexthops(), owned) : null;
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < desired.routes().size(); i++) {
            Route plain = desired.routes().get(i);
            Route want = ids == null ? plain : plain.withNexthop(ids.id(i));
            List<Route> h = have.remove(key(plain));
            Optional<Route> same = h == null ? Optional.empty() : h.stream().filter(r -> sameTarget(r, want)).findFirst();
            Optional<Route> accepted = same.isPresent() || !acceptEitherForm || h == null ? Optional.empty()
                    : h.stream().filter(r -> forwardsLike(r, plain, nexthops)).findFirst();
            if (accepted.isPresent()) {
                accepted.get().nexthopId().ifPresent(used::add); // the other form, right as it is
                same = accepted;
            } else if (ids != null) {
                used.add(ids.id(i));
                nexthop(want, plain, nexthops);
            }
            if (h == null) {
                fixes.add(new Fix(Kind.ROUTE, Change.MISSING, RtnlRequest.replaceRoute(want)));
            } else if (same.isPresent()) {
                unchanged.merge(Kind.ROUTE, 1, Integer::sum);
                h.remove(same.get());
                h.forEach(this::unexpectedRoute);
            } else if (h.size() == 1) {
                fixes.add(new Fix(Kind.ROUTE, Change.WRONG, RtnlRequest.replaceRoute(want))); // rewritten in place
            } else {
                h.forEach(this::unexpectedRoute); // several variants: clear them, then write the right one
                fixes.add(new Fix(Kind.ROUTE, Change.WRONG, RtnlRequest.replaceRoute(want)));
            }
        }
        have.values().forEach(l -> l.forEach(this::unexpectedRoute));
        for (Nexthop n : state.nexthops()) {
            if (owned.test(n) && !used.contains(n.id())) {
                fixes.add(new Fix(Kind.NEXTHOP, Change.UNEXPECTED, RtnlRequest.deleteNexthop(n.id())));
            }
        }
    }

    /** The object {@code want} refers to: written when missing, rewritten in place when its hop drifted. */
    private void nexthop(Route want, Route plain, Map<Integer, Nexthop> nexthops) {
        int id = want.nexthopId().orElseThrow();
        Nexthop wanted = Nexthop.via(id, plain.gateway().orElseThrow(), plain.device().orElseThrow(), plain.protocol())
                .withOnlink(plain.onlink());
        Nexthop present = nexthops.get(id);
        if (present != null && present.protocol() == wanted.protocol() && present.sameHop(wanted)) {
            unchanged.merge(Kind.NEXTHOP, 1, Integer::sum);
        } else {
            fixes.add(new Fix(Kind.NEXTHOP, present == null ? Change.MISSING : Change.WRONG,
                    RtnlRequest.replaceNexthop(wanted)));
        }
    }

    private void unexpectedRoute(Route r) {
        fixes.add(new Fix(Kind.ROUTE, Change.UNEXPECTED, RtnlRequest.deleteRoute(r)));
    }

    /** Same form, same target: a nexthop route by its id, a gateway route by its own gateway. */
    private static boolean sameTarget(Route have, Route want) {
        if (have.protocol() != want.protocol() || have.table() != want.table()
                || have.nexthopId().isPresent() != want.nexthopId().isPresent()) {
            return false;
        }
        return want.nexthopId().isPresent() ? have.nexthopId().equals(want.nexthopId())
                : have.gateway().equals(want.gateway()) && have.onlink() == want.onlink();
    }

    /** Either form, sending to {@code plain}'s gateway on its device. */
    private static boolean forwardsLike(Route have, Route plain, Map<Integer, Nexthop> nexthops) {
        if (have.protocol() != plain.protocol() || have.table() != plain.table()) {
            return false;
        }
        if (have.nexthopId().isEmpty()) {
            return have.gateway().equals(plain.gateway()) && have.onlink() == plain.onlink();
        }
        Nexthop n = nexthops.get(have.nexthopId().getAsInt());
        return n != null && n.isGatewayHop() && n.gateway().equals(plain.gateway()) && n.device().equals(plain.device())
                && n.onlink() == plain.onlink();
    }
}
