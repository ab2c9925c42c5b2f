package dev.weft.rtnl;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A forwarding-database entry of a VXLAN (or bridge) device ({@code bridge fdb show}).
 *
 * @param index       interface index
 * @param mac         the destination MAC
 * @param destination the remote VTEP's IP address (VXLAN {@code dst}), if any
 * @param state       PERMANENT for static entries, REACHABLE/STALE for learned ones
 * @param self        the entry lives in the device's own table ({@code self}) rather than a master bridge's
 */
public record FdbEntry(int index, MacAddress mac, Optional<InetAddress> destination, NeighbourState state,
                       boolean self) {
    public FdbEntry {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(state, "state");
    }

    /** A permanent self entry towards {@code destination}, the kind weft writes. */
    public static FdbEntry permanent(int index, MacAddress mac, InetAddress destination) {
        return new FdbEntry(index, mac, Optional.of(destination), NeighbourState.PERMANENT, true);
    }
}
