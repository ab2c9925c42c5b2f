package dev.weft.vtep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.rtnl.BatchResult;
import dev.weft.rtnl.Nexthop;
import dev.weft.rtnl.Route;
import dev.weft.vtep.DriftReport.Change;
import dev.weft.vtep.DriftReport.Kind;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The diff in {@link RouteForm#NEXTHOP} form: id choice, in-place repair, form changes, ownership. */
class NexthopDiffTest {
    private static final int DEV = VtepPlanTest.DEV.index();
    private static final int UNDERLAY = VtepPlanTest.UNDERLAY;
    private static final Set<IpFamily> V4 = Set.of(IpFamily.V4);
    /** Preferred ids: 0x57 followed by the upper 24 bits of the subnet address. */
    private static final int ID2 = 0x570A2A02;
    private static final int ID3 = 0x570A2A03;
    private static final int ID4 = 0x570A2A04;
    private final Vtep vtep = new Vtep(null);
    private final DesiredEntries desired = vtep.plan(VtepPlanTest.DEV, List.of(
            VtepPlanTest.peer("10.42.2.0/24", "198.18.0.2", "0a:58:0a:2a:02:00", false),
            VtepPlanTest.peer("10.42.3.0/24", "198.18.0.3", "0a:58:0a:2a:03:00", false),
            VtepPlanTest.peer("10.42.4.0/24", "198.18.0.4", "0a:58:0a:2a:04:00", true)), UNDERLAY);

    @Test
    void emptyKernelGetsNexthopsBeforeTheRoutesThatUseThem() {
        VtepDiff d = VtepDiff.compute(new KernelState(V4, List.of(), List.of(), List.of(), List.of()), desired,
                RouteForm.NEXTHOP, false);
        assertThat(d.requests()).extracting(r -> r.summary()).containsExactly(
                "neigh replace 10.42.2.0 lladdr 0a:58:0a:2a:02:00 dev #7 nud permanent",
                "neigh replace 10.42.3.0 lladdr 0a:58:0a:2a:03:00 dev #7 nud permanent",
                "fdb replace 0a:58:0a:2a:02:00 dev #7 dst 198.18.0.2 self permanent",
                "fdb replace 0a:58:0a:2a:03:00 dev #7 dst 198.18.0.3 self permanent",
                "nexthop replace id " + ID2 + " via 10.42.2.0 dev #7 onlink proto 87",
                "nexthop replace id " + ID3 + " via 10.42.3.0 dev #7 onlink proto 87",
                "nexthop replace id " + ID4 + " via 198.18.0.4 dev #2 proto 87",
                "route replace 10.42.2.0/24 nhid " + ID2 + " proto 87",
                "route replace 10.42.3.0/24 nhid " + ID3 + " proto 87",
                "route replace 10.42.4.0/24 nhid " + ID4 + " proto 87");
        SyncResult r = d.result(new BatchResult(10, List.of()), Duration.ZERO);
        assertThat(r.added()).isEqualTo(10);
        assertThat(r.nexthops().added()).isEqualTo(3);
        assertThat(r.routes().added()).isEqualTo(3);
    }

    @Test
    void whatItWroteIsLeftAlone() {
        VtepDiff d = diff(nhidRoutes(ID2, ID3, ID4), nexthops(ID2, ID3, ID4));
        assertThat(d.requests()).isEmpty();
        assertThat(d.report().inSync()).isEqualTo(10);
    }

    @Test
    void theOldFormIsReplacedInPlaceNeverDeleted() {
        VtepDiff d = diff(desired.routes(), List.of());
        assertThat(d.fixes()).noneMatch(f -> f.change() == Change.UNEXPECTED);
        assertThat(d.fixes()).filteredOn(f -> f.kind() == Kind.ROUTE).extracting(f -> f.change(), f -> f.request().summary())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Change.WRONG, "route replace 10.42.2.0/24 nhid " + ID2 + " proto 87"),
                        org.assertj.core.groups.Tuple.tuple(Change.WRONG, "route replace 10.42.3.0/24 nhid " + ID3 + " proto 87"),
                        org.assertj.core.groups.Tuple.tuple(Change.WRONG, "route replace 10.42.4.0/24 nhid " + ID4 + " proto 87"));
        assertThat(d.requests().subList(0, 3)).allMatch(r -> r.summary().startsWith("nexthop replace"));
    }

    @Test
    void backToTheGatewayFormAlsoInPlaceThenTheNexthopsGo() {
        KernelState state = new KernelState(V4, desired.neighbours(), desired.fdb(), nhidRoutes(ID2, ID3, ID4),
                nexthops(ID2, ID3, ID4));
        VtepDiff d = VtepDiff.compute(state, desired, RouteForm.GATEWAY, false);
        assertThat(d.requests()).extracting(r -> r.summary()).containsExactly(
                "route replace 10.42.2.0/24 via 10.42.2.0 dev #7 onlink proto 87",
                "route replace 10.42.3.0/24 via 10.42.3.0 dev #7 onlink proto 87",
                "route replace 10.42.4.0/24 via 198.18.0.4 dev #2 proto 87",
                "nexthop del id " + ID2, "nexthop del id " + ID3, "nexthop del id " + ID4);
    }

    @Test
    void aStatusReportAcceptsEitherForm() {
        KernelState old = new KernelState(V4, desired.neighbours(), desired.fdb(), desired.routes(), List.of());
        assertThat(VtepDiff.compute(old, desired, RouteForm.NEXTHOP, true).report().isClean()).isTrue();
        assertThat(VtepDiff.compute(old, desired, RouteForm.NEXTHOP, false).report().isClean()).isFalse();
        KernelState current = new KernelState(V4, desired.neighbours(), desired.fdb(), nhidRoutes(ID2, ID3, ID4),
                nexthops(ID2, ID3, ID4));
        assertThat(VtepDiff.compute(current, desired, RouteForm.GATEWAY, true).report().isClean()).isTrue();
        List<Nexthop> drifted = new ArrayList<>(nexthops(ID2, ID3, ID4));
        drifted.set(0, Nexthop.via(ID2, ip("10.42.9.0"), DEV, 87).withOnlink(true));
        KernelState wrong = new KernelState(V4, desired.neighbours(), desired.fdb(), nhidRoutes(ID2, ID3, ID4), drifted);
        assertThat(VtepDiff.compute(wrong, desired, RouteForm.NEXTHOP, true).report().drifts())
                .extracting(DriftReport.Drift::kind, DriftReport.Drift::change)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.NEXTHOP, Change.WRONG));
    }

    @Test
    void aDriftedNexthopIsRewrittenUnderTheSameIdAndItsRouteKept() {
        List<Nexthop> drifted = new ArrayList<>(nexthops(ID2, ID3, ID4));
        drifted.set(1, Nexthop.via(ID3, ip("10.42.3.0"), DEV, 87)); // lost its onlink flag
        VtepDiff d = diff(nhidRoutes(ID2, ID3, ID4), drifted);
        assertThat(d.requests()).extracting(r -> r.summary())
                .containsExactly("nexthop replace id " + ID3 + " via 10.42.3.0 dev #7 onlink proto 87");
        assertThat(d.fixes()).extracting(VtepDiff.Fix::change).containsExactly(Change.WRONG);
    }

    @Test
    void idsInUseAreKeptEvenWhenTheyAreNotThePreferredOnes() {
        VtepDiff d = diff(nhidRoutes(ID2 + 100, ID3 + 100, ID4 + 100), nexthops(ID2 + 100, ID3 + 100, ID4 + 100));
        assertThat(d.requests()).isEmpty();
    }

    @Test
    void anotherProtocolsNexthopOnThePreferredIdIsStepppedOverAndNeverTouched() {
        Nexthop foreign = Nexthop.via(ID2, ip("198.18.0.200"), UNDERLAY, 0);
        Nexthop foreignNext = Nexthop.via(ID2 + 1000, ip("198.18.0.201"), UNDERLAY, 186);
        VtepDiff d = diff(List.of(), List.of(foreign, foreignNext));
        assertThat(d.requests()).extracting(r -> r.summary())
                .contains("nexthop replace id " + (ID2 + 1) + " via 10.42.2.0 dev #7 onlink proto 87",
                        "route replace 10.42.2.0/24 nhid " + (ID2 + 1) + " proto 87")
                .noneMatch(s -> s.contains("id " + ID2 + " ") || s.endsWith("id " + ID2) || s.contains(" " + (ID2 + 1000)));
        // 10.42.3.0 prefers ID3 = ID2 + 1, now taken by 10.42.2.0: it steps on to ID3 + 1 (10.42.4.0's), and so on.
        assertThat(d.requests()).extracting(r -> r.summary()).contains(
                "route replace 10.42.3.0/24 nhid " + (ID3 + 1) + " proto 87",
                "route replace 10.42.4.0/24 nhid " + (ID4 + 1) + " proto 87");
    }

    @Test
    void aNexthopLeftBehindByADeletedRouteIsReused() {
        List<Route> routes = nhidRoutes(ID2, ID3, ID4).subList(0, 2);
        VtepDiff d = diff(routes, List.of(nexthops(ID2, ID3, ID4).get(0), nexthops(ID2, ID3, ID4).get(1),
                Nexthop.via(ID4 + 555, ip("198.18.0.4"), UNDERLAY, 87)));
        assertThat(d.requests()).extracting(r -> r.summary())
                .containsExactly("route replace 10.42.4.0/24 nhid " + (ID4 + 555) + " proto 87");
    }

    @Test
    void staleNexthopsGoLastAndOnlyOnesWeftOwnsInItsScope() {
        List<Nexthop> all = new ArrayList<>(nexthops(ID2, ID3, ID4));
        all.add(Nexthop.via(0x570A2A09, ip("10.42.9.0"), DEV, 87).withOnlink(true)); // a peer that left
        all.add(Nexthop.via(0x570A2A0A, ip("10.42.10.0"), DEV + 1, 87)); // another device: not this VTEP's
        all.add(Nexthop.via(0x560000AA, ip("fd00:42:9::"), DEV, 87)); // the IPv6 VTEP's job
        all.add(Nexthop.via(12, ip("10.42.12.0"), DEV, 4)); // someone else's, on our device
        List<Route> routes = new ArrayList<>(nhidRoutes(ID2, ID3, ID4));
        routes.add(Route.via(IpPrefix.parse("10.42.9.0/24"), ip("10.42.9.0"), DEV, 87).withOnlink(true).withNexthop(0x570A2A09));
        VtepDiff d = diff(routes, all);
        assertThat(d.requests()).extracting(r -> r.summary()).containsExactly(
                "route del 10.42.9.0/24 nhid " + 0x570A2A09 + " proto 87", "nexthop del id " + 0x570A2A09);
    }

    @Test
    void aPartialViewNeverTakesAnIdARouteStillUses() {
        // 10.42.2.0's route uses ID3 (an id 10.42.3.0 would prefer); a view with only 10.42.3.0 must not take it.
        DesiredEntries only3 = vtep.plan(VtepPlanTest.DEV,
                List.of(VtepPlanTest.peer("10.42.3.0/24", "198.18.0.3", "0a:58:0a:2a:03:00", false)), UNDERLAY);
        Route r2 = Route.via(IpPrefix.parse("10.42.2.0/24"), ip("10.42.2.0"), DEV, 87).withOnlink(true).withNexthop(ID3);
        KernelState state = new KernelState(V4, List.of(), List.of(), List.of(r2),
                List.of(Nexthop.via(ID3, ip("10.42.2.0"), DEV, 87).withOnlink(true)));
        VtepDiff d = VtepDiff.compute(state, only3, RouteForm.NEXTHOP, false).withoutRemovals();
        assertThat(d.requests()).extracting(r -> r.summary())
                .contains("route replace 10.42.3.0/24 nhid " + (ID3 + 1) + " proto 87")
                .noneMatch(s -> s.startsWith("nexthop replace id " + ID3 + " "));
    }

    @Test
    void preferredIdsAreDistinctForSlash24sAndStayInTheirBlock() {
        assertThat(NexthopIds.preferred(IpPrefix.parse("10.42.2.0/24"))).isEqualTo(ID2);
        assertThat(NexthopIds.preferred(IpPrefix.parse("255.255.255.0/24"))).isEqualTo(0x57FFFFFF);
        assertThat(NexthopIds.next(0x57FFFFFF)).isEqualTo(0x57000000);
        int v6 = NexthopIds.preferred(IpPrefix.parse("fd00:42:2::/64"));
        assertThat(v6 >>> 24).isEqualTo(0x56);
        assertThat(NexthopIds.preferred(IpPrefix.parse("fd00:42:3::/64"))).isNotEqualTo(v6);
        assertThat(NexthopIds.next(0x56FFFFFF)).isEqualTo(0x56000000);
    }

    private VtepDiff diff(List<Route> routes, List<Nexthop> nexthops) {
        return VtepDiff.compute(new KernelState(V4, desired.neighbours(), desired.fdb(), routes, nexthops), desired,
                RouteForm.NEXTHOP, false);
    }

    private List<Route> nhidRoutes(int... ids) {
        List<Route> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            out.add(desired.routes().get(i).withNexthop(ids[i]));
        }
        return out;
    }

    private List<Nexthop> nexthops(int... ids) {
        List<Nexthop> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            Route r = desired.routes().get(i);
            out.add(new Nexthop(ids[i], Optional.of(IpFamily.V4), r.gateway(), OptionalInt.of(r.device().getAsInt()),
                    87, r.onlink(), false, false, false));
        }
        return out;
    }

    private static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }
}
