package dev.weft.rtnl;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;

/**
 * A route ({@code ip route show}). Build the ones to write with {@link #via} or {@link #onDevice}.
 *
 * @param destination     destination prefix, host bits clear
 * @param gateway         next hop, if any
 * @param device          output interface index, if any
 * @param table           routing table (254 is main)
 * @param protocol        who installed it (the {@code proto} number); weft marks its own routes with one
 * @param scope           route scope
 * @param type            route type
 * @param onlink          next hop assumed on-link even without a matching prefix on the device
 * @param metric          priority/metric, if set
 * @param preferredSource preferred source address, if set
 * @param nexthopId       the nexthop object the route uses ({@code nhid}), if any: then the kernel takes gateway,
 *                        device and on-link flag from that object, and {@code gateway}/{@code device}/{@code onlink}
 *                        here only describe it (as the kernel's dumps do); they are not written
 */
public record Route(IpPrefix destination, Optional<InetAddress> gateway, OptionalInt device, int table, int protocol,
                    Scope scope, RouteType type, boolean onlink, OptionalInt metric,
                    Optional<InetAddress> preferredSource, OptionalInt nexthopId) {
    public static final int MAIN_TABLE = 254;

    public Route {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(preferredSource, "preferredSource");
        Objects.requireNonNull(nexthopId, "nexthopId");
        if (nexthopId.isPresent() && nexthopId.getAsInt() == 0) {
            throw new IllegalArgumentException("nexthop id 0 is not an id");
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("route protocol " + protocol + " out of range 0-255");
        }
        gateway.ifPresent(g -> {
            if (IpFamily.of(g) != destination.family()) {
                throw new IllegalArgumentException("gateway " + IpPrefix.format(g) + " is not of the family of "
                        + destination);
            }
        });
    }

    /** {@code DST via GATEWAY dev DEVICE proto PROTOCOL} in the main table. */
    public static Route via(IpPrefix destination, InetAddress gateway, int device, int protocol) {
        requireNetwork(destination);
        return new Route(destination, Optional.of(gateway), OptionalInt.of(device), MAIN_TABLE, protocol,
                Scope.UNIVERSE, RouteType.UNICAST, false, OptionalInt.empty(), Optional.empty(), OptionalInt.empty());
    }

    /** {@code DST dev DEVICE proto PROTOCOL scope link} in the main table. */
    public static Route onDevice(IpPrefix destination, int device, int protocol) {
        requireNetwork(destination);
        return new Route(destination, Optional.empty(), OptionalInt.of(device), MAIN_TABLE, protocol,
                Scope.LINK, RouteType.UNICAST, false, OptionalInt.empty(), Optional.empty(), OptionalInt.empty());
    }

    public Route withOnlink(boolean value) {
        return new Route(destination, gateway, device, table, protocol, scope, type, value, metric, preferredSource,
                nexthopId);
    }

    /**
     * The same route through nexthop object {@code id} ({@code DST nhid ID}); gateway, device and
     * on-link flag stay as the description of that object.
     */
    public Route withNexthop(int id) {
        return new Route(destination, gateway, device, table, protocol, scope, type, onlink, metric, preferredSource,
                OptionalInt.of(id));
    }

    /** The same route with its own gateway and device again, no nexthop object. */
    public Route withoutNexthop() {
        return new Route(destination, gateway, device, table, protocol, scope, type, onlink, metric, preferredSource,
                OptionalInt.empty());
    }

    /** The same route on interface {@code index} (a dump filtered by device knows it when the kernel leaves it out). */
    public Route withDevice(int index) {
        return new Route(destination, gateway, OptionalInt.of(index), table, protocol, scope, type, onlink, metric,
                preferredSource, nexthopId);
    }

    public Route withTable(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("routing table " + Integer.toUnsignedString(value) + " is not a table id");
        }
        return new Route(destination, gateway, device, value, protocol, scope, type, onlink, metric, preferredSource,
                nexthopId);
    }

    public IpFamily family() {
        return destination.family();
    }

    private static void requireNetwork(IpPrefix p) {
        if (!p.isNetwork()) {
            throw new IllegalArgumentException("route destination " + p + " has host bits set; did you mean " + p.network() + "?");
        }
    }
}
