package dev.weft.vtep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.net.IpPrefix;
import dev.weft.rtnl.Route;
import dev.weft.vtep.HostGw.GatewayPeer;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class HostGwPlanTest {
    @Test
    void oneRoutePerPeerViaItsPublicIpInSubnetOrder() {
        DesiredEntries d = HostGw.plan(List.of(peer("10.42.3.0/24", "198.18.0.13"), peer("10.42.2.0/24", "198.18.0.12")), 7,
                p -> true);
        assertThat(d.neighbours()).isEmpty();
        assertThat(d.fdb()).isEmpty();
        assertThat(d.routes()).extracting(r -> r.destination().toString(), r -> r.gateway().map(IpPrefix::format).orElse(""))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.42.2.0/24", "198.18.0.12"),
                        org.assertj.core.groups.Tuple.tuple("10.42.3.0/24", "198.18.0.13"));
        assertThat(d.routes()).allSatisfy(r -> {
            assertThat(r.device()).hasValue(7);
            assertThat(r.protocol()).isEqualTo(Vtep.ROUTE_PROTOCOL);
            assertThat(r.table()).isEqualTo(Route.MAIN_TABLE);
        });
    }

    @Test
    void skipsWhatCannotBeRoutedRight() {
        DesiredEntries d = HostGw.plan(List.of(
                peer("10.42.2.0/24", "198.18.0.12"),
                peer("10.42.2.0/24", "198.18.0.99"), // the same subnet claimed twice
                peer("10.42.4.0/24", "2001:db8::4"), // an IPv4 subnet via an IPv6 next hop
                peer("10.42.5.0/24", "198.51.100.5")), 3, p -> !p.gateway().getHostAddress().startsWith("198.51."));
        assertThat(d.routes()).singleElement().satisfies(r -> assertThat(r.destination()).hasToString("10.42.2.0/24"));
        assertThat(d.skipped()).extracting(DesiredEntries.SkippedPeer::reason).satisfiesExactly(
                r -> assertThat(r).contains("already claimed by peer 198.18.0.12"),
                r -> assertThat(r).contains("public IP of the subnet's family"),
                r -> assertThat(r).contains("198.51.100.5 is not on this node's link"));
    }

    @Test
    void rejectsHostBitsAndNonUnicastGateways() {
        assertThatThrownBy(() -> peer("10.42.2.1/24", "198.18.0.12")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> peer("10.42.2.0/24", "0.0.0.0")).hasMessageContaining("not a unicast");
        assertThatThrownBy(() -> peer("10.42.2.0/24", "224.0.0.1")).hasMessageContaining("not a unicast");
        assertThatThrownBy(() -> peer("10.42.2.0/24", "127.0.0.1")).hasMessageContaining("not a unicast");
    }

    private static GatewayPeer peer(String subnet, String gateway) {
        return new GatewayPeer(IpPrefix.parse(subnet), InetAddress.ofLiteral(gateway));
    }
}
