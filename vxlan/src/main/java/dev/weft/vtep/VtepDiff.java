package dev.weft.vtep;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.rtnl.BatchResult;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.Neighbour;
import dev.weft.rtnl.NeighbourState;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The difference between the kernel's state and the wanted entries, as an ordered list of
 * writes. Order matters: removals start with routes (so no route points at a neighbour that is
 * going away), additions put the neighbour and FDB entry first (or the kernel ARPs for the
 * gateway of a route that arrived early). Only entries weft owns are ever removed: permanent
 * neighbours and unicast permanent FDB entries on the VTEP, and routes carrying weft's protocol.
 */
final class VtepDiff {
    /** One write, and what it fixes. */
    record Fix(Kind kind, Change change, RtnlRequest request) {
        int phase() {
            if (change == Change.UNEXPECTED) {
                return kind == Kind.ROUTE ? 0 : 1;
            }
            return kind == Kind.ROUTE ? 3 : 2;
        }
    }

    private record RouteKey(OptionalInt device, IpPrefix destination) {
    }

    private final List<Fix> fixes = new ArrayList<>();
    private final Map<Kind, Integer> unchanged = new EnumMap<>(Kind.class);

    private VtepDiff() {
        for (Kind k : Kind.values()) {
            unchanged.put(k, 0);
        }
    }

    static VtepDiff compute(KernelState state, DesiredEntries desired) {
        VtepDiff d = new VtepDiff();
        d.neighbours(state, desired);
        d.fdb(state, desired);
        d.routes(state, desired);
        d.fixes.sort(Comparator.comparingInt(Fix::phase));
        return d;
    }

    /** The same writes without the removals. */
    VtepDiff withoutRemovals() {
        VtepDiff d = new VtepDiff();
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
        SyncResult.KindCounts all = n.plus(f).plus(r);
        return new SyncResult(all.added(), all.removed(), all.unchanged(), all.updated(), n, f, r, failures, elapsed);
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
            have.computeIfAbsent(new RouteKey(r.device(), r.destination()), k -> new ArrayList<>()).add(r);
        }
        for (Route want : desired.routes()) {
            List<Route> h = have.remove(new RouteKey(want.device(), want.destination()));
            if (h == null) {
                fixes.add(new Fix(Kind.ROUTE, Change.MISSING, RtnlRequest.replaceRoute(want)));
                continue;
            }
            Optional<Route> same = h.stream().filter(r -> sameTarget(r, want)).findFirst();
            if (same.isPresent()) {
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
    }

    private void unexpectedRoute(Route r) {
        fixes.add(new Fix(Kind.ROUTE, Change.UNEXPECTED, RtnlRequest.deleteRoute(r)));
    }

    private static boolean sameTarget(Route have, Route want) {
        return have.gateway().equals(want.gateway()) && have.onlink() == want.onlink()
                && have.protocol() == want.protocol() && have.table() == want.table();
    }
}
