package dev.weft.vtep;

import dev.weft.net.IpPrefix;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.Neighbour;
import dev.weft.rtnl.Route;

import java.net.InetAddress;
import java.util.List;

/**
 * What the kernel should hold for a set of peers, computed by {@link Vtep#plan}: per tunnelled
 * peer a neighbour, an FDB entry and a route on the VTEP; per direct peer a route on the underlay.
 *
 * @param deviceIndex   the VTEP's interface index
 * @param underlayIndex the underlay's interface index (direct routes)
 * @param neighbours    permanent neighbours on the VTEP
 * @param fdb           permanent FDB entries on the VTEP
 * @param routes        routes, on the VTEP or (direct) on the underlay
 * @param skipped       peers left out, with the reason (duplicate subnet or MAC, family mismatch)
 */
public record DesiredEntries(int deviceIndex, int underlayIndex, List<Neighbour> neighbours, List<FdbEntry> fdb,
                             List<Route> routes, List<SkippedPeer> skipped) {
    /** A peer plan() refused, and why. */
    public record SkippedPeer(IpPrefix subnet, InetAddress publicIp, String reason) {
    }

    public DesiredEntries {
        neighbours = List.copyOf(neighbours);
        fdb = List.copyOf(fdb);
        routes = List.copyOf(routes);
        skipped = List.copyOf(skipped);
    }

    /** Total number of kernel entries wanted. */
    public int size() {
        return neighbours.size() + fdb.size() + routes.size();
    }
}
