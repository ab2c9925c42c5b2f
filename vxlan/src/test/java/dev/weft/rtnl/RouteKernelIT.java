package dev.weft.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;
import dev.weft.testing.Json;
import dev.weft.testing.KernelTest;
import dev.weft.testing.TestNetns;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** Route replace/delete/list/get against a real kernel, cross-checked with {@code ip -j -d route show}. */
@KernelTest
class RouteKernelIT {
    private static final int PROTO = 87;

    @Test
    void replacesListsAndDeletesOnlinkRoutes(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            Route v4 = Route.via(IpPrefix.parse("10.42.2.0/24"), InetAddress.ofLiteral("10.42.2.0"), f.dev(), PROTO)
                    .withOnlink(true);
            Route v6 = Route.via(IpPrefix.parse("fd00:42:2::/64"), InetAddress.ofLiteral("fd00:42:2::"), f.dev(), PROTO)
                    .withOnlink(true);
            f.rtnl().replaceRoute(v4);
            f.rtnl().replaceRoute(v4); // replace is idempotent
            f.rtnl().replaceRoute(v6);

            assertThat(Json.parseArray(ns.ip("-j", "-d", "route", "show", "dev", "flannel.1")))
                    .contains(Map.of("type", "unicast", "dst", "10.42.2.0/24", "gateway", "10.42.2.0",
                            "protocol", "87", "scope", "global", "flags", List.of("onlink")));
            List<Route> mine = f.rtnl().routes(RouteFilter.main(IpFamily.V4).onDevice(f.dev()).withProtocol(PROTO));
            assertThat(mine).singleElement().satisfies(r -> {
                assertThat(r.destination()).isEqualTo(v4.destination());
                assertThat(r.gateway()).isEqualTo(v4.gateway());
                assertThat(r.device()).isEqualTo(OptionalInt.of(f.dev()));
                assertThat(r.onlink()).isTrue();
                assertThat(r.protocol()).isEqualTo(PROTO);
                assertThat(r.table()).isEqualTo(Route.MAIN_TABLE);
                assertThat(r.type()).isEqualTo(RouteType.UNICAST);
            });
            assertThat(f.rtnl().routes(RouteFilter.main(IpFamily.V6).onDevice(f.dev()).withProtocol(PROTO)))
                    .singleElement().satisfies(r -> assertThat(r.metric()).isPresent()); // IPv6 routes always carry one
            assertThat(Json.parseArray(ns.ip("-6", "-j", "route", "show", "dev", "flannel.1", "proto", "87")))
                    .extracting(m -> m.get("dst"), m -> m.get("gateway")).containsExactly(
                            org.assertj.core.groups.Tuple.tuple("fd00:42:2::/64", "fd00:42:2::"));

            f.rtnl().deleteRoute(v4);
            assertThat(ns.ip("route", "show", "dev", "flannel.1", "proto", "87")).isBlank();
            assertThatThrownBy(() -> f.rtnl().deleteRoute(v4))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isNotFound()).isTrue());
        }
    }

    @Test
    void filtersByDeviceProtocolAndTable(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            ns.ip("route", "add", "10.99.0.0/16", "via", "198.18.0.2", "dev", "u0"); // someone else's (proto boot)
            Route direct = Route.via(IpPrefix.parse("10.42.7.0/24"), InetAddress.ofLiteral("198.18.0.7"), f.underlay(),
                    PROTO);
            f.rtnl().replaceRoute(direct);
            f.rtnl().replaceRoute(direct.withTable(100));
            f.rtnl().replaceRoute(direct.withTable(1000)); // above 255: travels in RTA_TABLE

            RouteFilter underlay = RouteFilter.main(IpFamily.V4).onDevice(f.underlay());
            assertThat(f.rtnl().routes(underlay.withProtocol(PROTO))).extracting(r -> r.destination().toString())
                    .containsExactly("10.42.7.0/24");
            assertThat(f.rtnl().routes(underlay)).extracting(r -> r.destination().toString())
                    .contains("10.99.0.0/16", "10.42.7.0/24", "198.18.0.0/24");
            assertThat(f.rtnl().routes(underlay.withProtocol(PROTO).anyTable())).extracting(Route::table)
                    .containsExactlyInAnyOrder(Route.MAIN_TABLE, 100, 1000);
            assertThat(ns.ip("route", "show", "table", "1000")).contains("10.42.7.0/24 via 198.18.0.7 dev u0 proto 87");

            f.rtnl().deleteRoute(direct.withTable(1000));
            assertThat(ns.ip("route", "show", "table", "1000")).isBlank();
        }
    }

    @Test
    void routeGetTellsDirectFromGatewayedAndUnreachable(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            ns.ip("route", "add", "198.51.100.0/24", "via", "198.18.0.254", "dev", "u0");

            Route direct = f.rtnl().routeGet(InetAddress.ofLiteral("198.18.0.2"));
            assertThat(Json.parseArray(ns.ip("-j", "route", "get", "198.18.0.2")).getFirst())
                    .containsEntry("dev", "u0").containsEntry("prefsrc", "198.18.0.1").doesNotContainKey("gateway");
            assertThat(direct.gateway()).isEmpty();
            assertThat(direct.device()).hasValue(f.underlay());
            assertThat(direct.preferredSource()).contains(KernelFixtures.LOCAL);

            Route routed = f.rtnl().routeGet(InetAddress.ofLiteral("198.51.100.7"));
            assertThat(Json.parseArray(ns.ip("-j", "route", "get", "198.51.100.7")).getFirst())
                    .containsEntry("gateway", "198.18.0.254");
            assertThat(routed.gateway()).contains(InetAddress.ofLiteral("198.18.0.254"));

            assertThatThrownBy(() -> f.rtnl().routeGet(InetAddress.ofLiteral("203.0.113.1")))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isUnreachable()).isTrue());
        }
    }

    @Test
    void kernelRejectionCarriesExtendedAck(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            Route notOnlink = Route.via(IpPrefix.parse("10.42.3.0/24"), InetAddress.ofLiteral("10.42.3.0"), f.dev(), PROTO);
            assertThatThrownBy(() -> f.rtnl().replaceRoute(notOnlink)).isInstanceOfSatisfying(NetlinkException.class, e -> {
                assertThat(e.errnoName()).isEqualTo("ENETUNREACH");
                assertThat(e.extAck()).contains("Nexthop has invalid gateway");
                assertThat(e.messageTypeName()).isEqualTo("RTM_NEWROUTE");
                assertThat(e.request()).isEqualTo("route replace 10.42.3.0/24 via 10.42.3.0 dev #" + f.dev() + " proto 87");
                assertThat(e.getMessage()).isEqualTo(e.request()
                        + ": ENETUNREACH (Network is unreachable): Nexthop has invalid gateway [RTM_NEWROUTE]");
            });
        }
    }
}
