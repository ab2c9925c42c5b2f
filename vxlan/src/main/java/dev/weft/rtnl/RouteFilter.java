package dev.weft.rtnl;

import java.util.Objects;
import java.util.OptionalInt;

import dev.weft.net.IpFamily;

/**
 * Which routes {@link RtnlClient#routes} lists; the kernel does the filtering, so a dump of one
 * device's routes costs what that device has, not the whole table.
 *
 * @param family   IPv4 or IPv6
 * @param table    only this table, or all tables
 * @param device   only routes out of this interface index
 * @param protocol only routes with this protocol number
 */
public record RouteFilter(IpFamily family, OptionalInt table, OptionalInt device, OptionalInt protocol) {
    public RouteFilter {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** All routes of the main table of a family ({@code ip route show}). */
    public static RouteFilter main(IpFamily family) {
        return new RouteFilter(family, OptionalInt.of(Route.MAIN_TABLE), OptionalInt.empty(), OptionalInt.empty());
    }

    public RouteFilter onDevice(int index) {
        return new RouteFilter(family, table, OptionalInt.of(index), protocol);
    }

    public RouteFilter withProtocol(int value) {
        return new RouteFilter(family, table, device, OptionalInt.of(value));
    }

    public RouteFilter anyTable() {
        return new RouteFilter(family, OptionalInt.empty(), device, protocol);
    }
}
