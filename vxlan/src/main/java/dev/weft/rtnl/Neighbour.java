package dev.weft.rtnl;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A neighbour (ARP/NDP) entry ({@code ip neigh show}).
 *
 * @param index   interface index
 * @param address the neighbour's IP address
 * @param mac     its link-layer address; empty while unresolved
 * @param state   cache state
 */
public record Neighbour(int index, InetAddress address, Optional<MacAddress> mac, NeighbourState state) {
    public Neighbour {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(state, "state");
    }

    /** A permanent entry, the kind weft writes. */
    public static Neighbour permanent(int index, InetAddress address, MacAddress mac) {
        return new Neighbour(index, address, Optional.of(mac), NeighbourState.PERMANENT);
    }
}
