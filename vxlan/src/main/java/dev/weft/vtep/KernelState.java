package dev.weft.vtep;

import dev.weft.net.IpFamily;
import dev.weft.rtnl.FdbEntry;
import dev.weft.rtnl.Neighbour;
import dev.weft.rtnl.Route;

import java.util.List;
import java.util.Set;

/**
 * What sync read from the kernel: the VTEP's neighbours and FDB, and weft's routes (by protocol
 * number) on the VTEP and the underlay, for the overlay families in play.
 */
record KernelState(Set<IpFamily> families, List<Neighbour> neighbours, List<FdbEntry> fdb, List<Route> routes) {
    KernelState {
        families = Set.copyOf(families);
        neighbours = List.copyOf(neighbours);
        fdb = List.copyOf(fdb);
        routes = List.copyOf(routes);
    }
}
