package dev.weft.vtep;

import dev.weft.net.IpFamily;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.Neighbour;
import dev.weft.rtnl.Nexthop;
import dev.weft.rtnl.Route;

import java.util.List;
import java.util.Set;

/**
 * What sync read from the kernel: the VTEP's neighbours and FDB, weft's routes (by protocol
 * number) on the VTEP and the underlay, for the overlay families in play, and every nexthop
 * object in the namespace (ids are shared by all, so a new one must dodge them all).
 */
record KernelState(Set<IpFamily> families, List<Neighbour> neighbours, List<FdbEntry> fdb, List<Route> routes,
                   List<Nexthop> nexthops) {
    KernelState {
        families = Set.copyOf(families);
        neighbours = List.copyOf(neighbours);
        fdb = List.copyOf(fdb);
        routes = List.copyOf(routes);
        nexthops = List.copyOf(nexthops);
    }

    /** A kernel without nexthop objects, or none in it. */
    KernelState(Set<IpFamily> families, List<Neighbour> neighbours, List<FdbEntry> fdb, List<Route> routes) {
        this(families, neighbours, fdb, routes, List.of());
    }
}
