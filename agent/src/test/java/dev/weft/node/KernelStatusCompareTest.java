package dev.weft.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.net.IpPrefix;
import dev.weft.rtnl.MacAddress;
import dev.weft.rtnl.Nexthop;
import dev.weft.rtnl.Route;
import dev.weft.rtnl.RtnlRequest;
import dev.weft.status.PeerState;
import dev.weft.status.StatusReport;
import dev.weft.vtep.DesiredEntries;
import dev.weft.vtep.DriftReport;
import dev.weft.vtep.DriftReport.Change;
import dev.weft.vtep.DriftReport.Kind;
import dev.weft.vtep.EnsureOutcome;
import dev.weft.vtep.PeerSpec;
import dev.weft.vtep.Vtep;
import dev.weft.vtep.VtepDevice;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code weft status} rows from a drift report when routes go through nexthop objects. */
class KernelStatusCompareTest {
    private static final VtepDevice DEV = new VtepDevice(7, "flannel.1", MacAddress.parse("0a:58:0a:2a:01:00"), 1450,
            EnsureOutcome.FOUND);
    private static final int ID3 = 0x570A2A03;

    @Test
    void aPeerMissingItsNexthopIsMissingAndAStaleNexthopIsStale() {
        PeerRow a = row("node-a", "10.42.2.0/24", "198.18.0.2", "0a:58:0a:2a:02:00");
        PeerRow b = row("node-b", "10.42.3.0/24", "198.18.0.3", "0a:58:0a:2a:03:00");
        DesiredEntries desired = new Vtep(null).plan(DEV, List.of(spec(a), spec(b)), 2);
        Route bRoute = desired.routes().get(1);
        DriftReport drift = new DriftReport(List.of(
                new DriftReport.Drift(Kind.NEXTHOP, Change.MISSING, RtnlRequest.replaceNexthop(
                        Nexthop.via(ID3, bRoute.gateway().orElseThrow(), DEV.index(), 87).withOnlink(true)).summary()),
                new DriftReport.Drift(Kind.ROUTE, Change.WRONG, RtnlRequest.replaceRoute(bRoute.withNexthop(ID3)).summary()),
                new DriftReport.Drift(Kind.NEXTHOP, Change.UNEXPECTED, RtnlRequest.deleteNexthop(0x570A2A09).summary())), 7);

        List<StatusReport.Peer> rows = KernelStatus.compare(List.of(a, b), desired, drift);
        assertThat(rows).extracting(StatusReport.Peer::node, StatusReport.Peer::state, StatusReport.Peer::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("node-a", PeerState.PROGRAMMED, ""),
                org.assertj.core.groups.Tuple.tuple("node-b", PeerState.MISSING, "nexthop missing, route wrong"),
                org.assertj.core.groups.Tuple.tuple("-", PeerState.STALE, "nexthop: nexthop del id " + 0x570A2A09));
    }

    private static PeerRow row(String node, String subnet, String ip, String mac) {
        return new PeerRow(node, IpPrefix.parse(subnet), InetAddress.ofLiteral(ip), mac);
    }

    private static PeerSpec spec(PeerRow r) {
        return new PeerSpec(r.subnet(), r.publicIp(), MacAddress.parse(r.mac()), false);
    }
}
