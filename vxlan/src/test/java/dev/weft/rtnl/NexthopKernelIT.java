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

import org.junit.jupiter.api.Test;

/** Nexthop objects and routes through them against a real kernel, cross-checked with {@code ip -j nexthop}. */
@KernelTest
class NexthopKernelIT {
    private static final int PROTO = 87;
    private static final int ID = 0x570A2A02;

    @Test
    void writesListsRewritesAndDeletesNexthops(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            Nexthop v4 = Nexthop.via(ID, ip("10.42.2.0"), f.dev(), PROTO).withOnlink(true);
            Nexthop v6 = Nexthop.via(0x56000001, ip("fd00:42:2::"), f.dev(), PROTO).withOnlink(true);
            f.rtnl().replaceNexthop(v4);
            f.rtnl().replaceNexthop(v4); // replace is idempotent
            f.rtnl().addNexthop(v6);
            ns.ip("nexthop", "add", "id", "7", "via", "198.18.0.2", "dev", "u0"); // someone else's

            assertThat(Json.parseArray(ns.ip("-j", "nexthop", "show", "id", Integer.toString(ID))))
                    .singleElement().satisfies(m -> {
                        assertThat(m).containsEntry("gateway", "10.42.2.0").containsEntry("dev", "flannel.1")
                                .containsEntry("protocol", "87").containsEntry("flags", List.of("onlink"));
                    });
            assertThat(f.rtnl().nexthops()).containsExactlyInAnyOrder(v4, v6,
                    new Nexthop(7, java.util.Optional.of(IpFamily.V4), java.util.Optional.of(ip("198.18.0.2")),
                            java.util.OptionalInt.of(f.underlay()), 0, false, false, false, false));
            assertThat(f.rtnl().nexthops(f.dev())).containsExactlyInAnyOrder(v4, v6);
            assertThatThrownBy(() -> f.rtnl().addNexthop(v4))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isExists()).isTrue());

            Nexthop moved = Nexthop.via(ID, ip("10.42.9.0"), f.dev(), PROTO).withOnlink(true);
            f.rtnl().replaceNexthop(moved);
            assertThat(f.rtnl().nexthops(f.dev())).contains(moved).doesNotContain(v4);

            f.rtnl().deleteNexthop(ID);
            assertThat(ns.ip("nexthop", "show", "proto", "87")).doesNotContain("10.42.9.0").contains("fd00:42:2::");
            assertThatThrownBy(() -> f.rtnl().deleteNexthop(ID))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isNotFound()).isTrue());
        }
    }

    @Test
    void routesThroughANexthopReadBackWithItsIdAndGoWithIt(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            Route plain = Route.via(IpPrefix.parse("10.42.2.0/24"), ip("10.42.2.0"), f.dev(), PROTO).withOnlink(true);
            f.rtnl().replaceNexthop(Nexthop.via(ID, ip("10.42.2.0"), f.dev(), PROTO).withOnlink(true));
            f.rtnl().replaceRoute(plain.withNexthop(ID));

            assertThat(ns.ip("route", "show", "proto", "87"))
                    .contains("10.42.2.0/24 nhid " + ID + " via 10.42.2.0 dev flannel.1 onlink");
            RouteFilter mine = RouteFilter.main(IpFamily.V4).onDevice(f.dev()).withProtocol(PROTO);
            assertThat(f.rtnl().routes(mine)).containsExactly(plain.withNexthop(ID));
            assertThat(f.rtnl().routeGet(ip("10.42.2.7")).gateway()).contains(ip("10.42.2.0"));

            f.rtnl().replaceRoute(plain); // back to the route's own gateway, in place
            assertThat(f.rtnl().routes(mine)).containsExactly(plain);
            f.rtnl().replaceRoute(plain.withNexthop(ID));

            f.rtnl().deleteRoute(plain.withNexthop(ID)); // a delete names the id, as ip route del ... nhid does
            assertThat(f.rtnl().routes(mine)).isEmpty();
            f.rtnl().replaceRoute(plain.withNexthop(ID));
            f.rtnl().deleteNexthop(ID);
            assertThat(f.rtnl().routes(mine)).as("the kernel drops the routes of a deleted nexthop").isEmpty();
            assertThatThrownBy(() -> f.rtnl().replaceRoute(plain.withNexthop(ID)))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.extAck()).isPresent());
        }
    }

    @Test
    void ipv6RoutesThroughNexthopsToo(TestNetns ns) throws Exception {
        try (KernelFixtures f = KernelFixtures.vxlan(ns)) {
            Route plain = Route.via(IpPrefix.parse("fd00:42:2::/64"), ip("fd00:42:2::"), f.dev(), PROTO).withOnlink(true);
            f.rtnl().replaceRoute(plain);
            f.rtnl().replaceNexthop(Nexthop.via(0x56000002, ip("fd00:42:2::"), f.dev(), PROTO).withOnlink(true));
            f.rtnl().replaceRoute(plain.withNexthop(0x56000002)); // in place, from the gateway form
            List<Route> mine = f.rtnl().routes(RouteFilter.main(IpFamily.V6).onDevice(f.dev()).withProtocol(PROTO));
            assertThat(mine).singleElement().satisfies(r -> {
                assertThat(r.nexthopId()).hasValue(0x56000002);
                assertThat(r.gateway()).contains(ip("fd00:42:2::"));
            });
            assertThat(Json.parseArray(ns.ip("-6", "-j", "route", "show", "proto", "87")))
                    .extracting(m -> m.get("dst"), m -> ((Number) m.get("nhid")).intValue())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("fd00:42:2::/64", 0x56000002));
        }
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
