package dev.weft.rtnl;

import dev.weft.net.IpFamily;
import dev.weft.net.IpPrefix;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A kernel nexthop object ({@code ip nexthop show}): a gateway and device that routes refer to by
 * id ({@code ip route ... nhid ID}) instead of carrying their own. Build the ones to write with
 * {@link #via}.
 *
 * @param id        the object's id, unique in the namespace across families (never 0)
 * @param family    address family of the gateway; empty for groups and family-less blackholes
 * @param gateway   next hop address, if any
 * @param device    output interface index, if any
 * @param protocol  who installed it (the {@code proto} number), as on routes
 * @param onlink    gateway assumed on-link even without a matching prefix on the device
 * @param group     a group of other nexthops (multipath), not a single hop
 * @param blackhole packets using it are dropped
 * @param fdb       an FDB nexthop (used by bridge/VXLAN FDB entries, not by routes)
 */
public record Nexthop(int id, Optional<IpFamily> family, Optional<InetAddress> gateway, OptionalInt device, int protocol,
                      boolean onlink, boolean group, boolean blackhole, boolean fdb) {
    public Nexthop {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(device, "device");
        if (id == 0) {
            throw new IllegalArgumentException("nexthop id 0 means 'kernel picks one'; give an id");
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("nexthop protocol " + protocol + " out of range 0-255");
        }
        gateway.ifPresent(g -> {
            if (family.isEmpty() || IpFamily.of(g) != family.get()) {
                throw new IllegalArgumentException("gateway " + IpPrefix.format(g) + " does not fit family " + family);
            }
        });
    }

    /** {@code id ID via GATEWAY dev DEVICE proto PROTOCOL}. */
    public static Nexthop via(int id, InetAddress gateway, int device, int protocol) {
        return new Nexthop(id, Optional.of(IpFamily.of(gateway)), Optional.of(gateway), OptionalInt.of(device), protocol,
                false, false, false, false);
    }

    public Nexthop withOnlink(boolean value) {
        return new Nexthop(id, family, gateway, device, protocol, value, group, blackhole, fdb);
    }

    /** A single gateway-and-device hop, the only kind weft writes. */
    public boolean isGatewayHop() {
        return !group && !blackhole && !fdb && gateway.isPresent() && device.isPresent();
    }

    /** Same gateway, device and on-link flag: routes using either go the same way. */
    public boolean sameHop(Nexthop o) {
        return gateway.equals(o.gateway) && device.equals(o.device) && onlink == o.onlink && group == o.group
                && blackhole == o.blackhole && fdb == o.fdb;
    }

    /** The id as {@code ip nexthop} prints it (u32). */
    public String idString() {
        return Integer.toUnsignedString(id);
    }
}
