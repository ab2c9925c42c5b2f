package dev.weft.vtep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ffi.Errno;
import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.rtnl.BatchResult;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.Neighbour;
import dev.weft.rtnl.NeighbourState;
import dev.weft.rtnl.NetlinkException;
import dev.weft.rtnl.Route;
import dev.weft.vtep.DriftReport.Change;
import dev.weft.vtep.DriftReport.Kind;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The diff behind sync and inspect: ownership, ordering, counting, with kernel state made up in memory. */
class VtepDiffTest {
    private static final int DEV = VtepPlanTest.DEV.index();
    private static final Set<IpFamily> V4 = Set.of(IpFamily.V4);
    private final Vtep vtep = new Vtep(null);
    private final DesiredEntries desired = vtep.plan(VtepPlanTest.DEV, List.of(
            VtepPlanTest.peer("10.42.2.0/24", "198.18.0.2", "0a:58:0a:2a:02:00", false),
            VtepPlanTest.peer("10.42.3.0/24", "198.18.0.3", "0a:58:0a:2a:03:00", false),
            VtepPlanTest.peer("10.42.4.0/24", "198.18.0.4", "0a:58:0a:2a:04:00", true)), VtepPlanTest.UNDERLAY);

    @Test
    void emptyKernelNeedsEverythingNeighbourAndFdbBeforeRoutes() {
        VtepDiff d = VtepDiff.compute(new KernelState(V4, List.of(), List.of(), List.of()), desired);
        assertThat(d.requests()).extracting(r -> r.summary().split(" ")[0]).containsExactly(
                "neigh", "neigh", "fdb", "fdb", "route", "route", "route");
        assertThat(d.fixes()).allMatch(f -> f.change() == Change.MISSING);
        SyncResult r = d.result(new BatchResult(7, List.of()), Duration.ZERO);
        assertThat(r.added()).isEqualTo(7);
        assertThat(r.routes().added()).isEqualTo(3);
        assertThat(r.neighbours().added()).isEqualTo(2);
    }

    @Test
    void matchingKernelNeedsNothing() {
        KernelState same = new KernelState(V4, desired.neighbours(), desired.fdb(), desired.routes());
        VtepDiff d = VtepDiff.compute(same, desired);
        assertThat(d.requests()).isEmpty();
        assertThat(d.report().isClean()).isTrue();
        assertThat(d.report().inSync()).isEqualTo(7);
        assertThat(d.result(new BatchResult(0, List.of()), Duration.ZERO).isNoop()).isTrue();
    }

    @Test
    void foreignEntriesAreNeverTouched() {
        List<Neighbour> neighbours = new ArrayList<>(desired.neighbours());
        neighbours.add(new Neighbour(DEV, ip("10.42.2.77"), Optional.of(mac("0a:00:00:00:00:77")), NeighbourState.STALE));
        neighbours.add(new Neighbour(DEV, ip("ff02::16"), Optional.of(mac("33:33:00:00:00:16")), NeighbourState.NOARP));
        neighbours.add(Neighbour.permanent(DEV + 1, ip("10.42.9.0"), mac("0a:00:00:00:00:99"))); // other device
        neighbours.add(Neighbour.permanent(DEV, ip("fd00:42:9::"), mac("0a:00:00:00:00:98"))); // other family's VTEP job
        List<FdbEntry> fdb = new ArrayList<>(desired.fdb());
        fdb.add(FdbEntry.permanent(DEV, new MacAddress(0), ip("198.18.0.99"))); // default destination entry
        fdb.add(FdbEntry.permanent(DEV, mac("01:00:5e:00:00:01"), ip("198.18.0.98"))); // multicast
        fdb.add(new FdbEntry(DEV, mac("0a:00:00:00:00:97"), Optional.of(ip("198.18.0.97")), NeighbourState.REACHABLE, true));
        VtepDiff d = VtepDiff.compute(new KernelState(V4, neighbours, fdb, desired.routes()), desired);
        assertThat(d.requests()).isEmpty();
    }

    @Test
    void wrongEntriesAreRewrittenAndStaleOnesRemovedRoutesFirst() {
        List<Neighbour> neighbours = List.of(Neighbour.permanent(DEV, ip("10.42.2.0"), mac("0a:00:00:00:00:66")),
                Neighbour.permanent(DEV, ip("10.42.9.0"), mac("0a:58:0a:2a:09:00")));
        List<FdbEntry> fdb = List.of(FdbEntry.permanent(DEV, mac("0a:58:0a:2a:02:00"), ip("198.18.0.22")),
                FdbEntry.permanent(DEV, mac("0a:58:0a:2a:09:00"), ip("198.18.0.9")));
        List<Route> routes = List.of(
                Route.via(IpPrefix.parse("10.42.9.0/24"), ip("10.42.9.0"), DEV, Vtep.ROUTE_PROTOCOL).withOnlink(true),
                Route.via(IpPrefix.parse("10.42.3.0/24"), ip("10.42.3.0"), DEV, Vtep.ROUTE_PROTOCOL), // lost its onlink
                Route.via(IpPrefix.parse("10.42.2.0/24"), ip("198.18.0.2"), VtepPlanTest.UNDERLAY, Vtep.ROUTE_PROTOCOL));
        VtepDiff d = VtepDiff.compute(new KernelState(V4, neighbours, fdb, routes), desired);

        assertThat(d.requests()).extracting(r -> r.summary()).containsExactly(
                "route del 10.42.9.0/24 via 10.42.9.0 dev #7 onlink proto 87",
                "route del 10.42.2.0/24 via 198.18.0.2 dev #2 proto 87", // was direct, is tunnelled now
                "neigh del 10.42.9.0 dev #7",
                "fdb del 0a:58:0a:2a:09:00 dev #7 dst 198.18.0.9 self",
                "neigh replace 10.42.2.0 lladdr 0a:58:0a:2a:02:00 dev #7 nud permanent",
                "neigh replace 10.42.3.0 lladdr 0a:58:0a:2a:03:00 dev #7 nud permanent",
                "fdb replace 0a:58:0a:2a:02:00 dev #7 dst 198.18.0.2 self permanent",
                "fdb replace 0a:58:0a:2a:03:00 dev #7 dst 198.18.0.3 self permanent",
                "route replace 10.42.2.0/24 via 10.42.2.0 dev #7 onlink proto 87",
                "route replace 10.42.3.0/24 via 10.42.3.0 dev #7 onlink proto 87",
                "route replace 10.42.4.0/24 via 198.18.0.4 dev #2 proto 87");
        assertThat(d.fixes()).extracting(VtepDiff.Fix::kind, VtepDiff.Fix::change).contains(
                org.assertj.core.groups.Tuple.tuple(Kind.ROUTE, Change.WRONG),
                org.assertj.core.groups.Tuple.tuple(Kind.NEIGHBOUR, Change.WRONG),
                org.assertj.core.groups.Tuple.tuple(Kind.FDB, Change.WRONG));
    }

    @Test
    void aPartialViewWritesWhatIsMissingOrWrongAndRemovesNothing() {
        List<Neighbour> neighbours = List.of(Neighbour.permanent(DEV, ip("10.42.2.0"), mac("0a:00:00:00:00:66")),
                Neighbour.permanent(DEV, ip("10.42.9.0"), mac("0a:58:0a:2a:09:00")));
        List<Route> routes = List.of(
                Route.via(IpPrefix.parse("10.42.9.0/24"), ip("10.42.9.0"), DEV, Vtep.ROUTE_PROTOCOL).withOnlink(true));
        VtepDiff d = VtepDiff.compute(new KernelState(V4, neighbours, List.of(), routes), desired).withoutRemovals();

        assertThat(d.fixes()).noneMatch(f -> f.change() == Change.UNEXPECTED).hasSize(7);
        assertThat(d.requests()).extracting(r -> r.summary().split(" ")[0] + " " + r.summary().split(" ")[1])
                .doesNotContain("neigh del", "route del", "fdb del");
        SyncResult r = d.result(new BatchResult(7, List.of()), Duration.ZERO);
        assertThat(r.removed()).isZero();
        assertThat(r.updated()).isEqualTo(1);
    }

    @Test
    void aRemovalThatFindsNothingCountsAsDoneOtherFailuresAreReported() {
        List<Neighbour> stale = List.of(Neighbour.permanent(DEV, ip("10.42.9.0"), mac("0a:58:0a:2a:09:00")));
        VtepDiff d = VtepDiff.compute(new KernelState(V4, stale, List.of(), List.of()), desired);
        int delete = indexOf(d, "neigh del");
        int route = indexOf(d, "route replace 10.42.4.0/24");
        NetlinkException gone = new NetlinkException(Errno.ENOENT, 29, "neigh del 10.42.9.0 dev #7", null, null);
        NetlinkException refused = new NetlinkException(Errno.ENETUNREACH, 24, "route replace", "Nexthop has invalid gateway", null);
        BatchResult batch = new BatchResult(d.requests().size(), List.of(
                new BatchResult.Failure(delete, d.requests().get(delete), gone),
                new BatchResult.Failure(route, d.requests().get(route), refused)));
        SyncResult r = d.result(batch, Duration.ofMillis(3));
        assertThat(r.removed()).isEqualTo(1);
        assertThat(r.failures()).containsExactly(refused);
        assertThat(r.added()).isEqualTo(6);
        assertThat(r.isNoop()).isFalse();
    }

    private static int indexOf(VtepDiff d, String prefix) {
        for (int i = 0; i < d.requests().size(); i++) {
            if (d.requests().get(i).summary().startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no request starting with " + prefix);
    }

    private static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    private static MacAddress mac(String s) {
        return MacAddress.parse(s);
    }
}
