package dev.weft.status;

import java.util.Locale;

/** How one peer looks from this node, comparing its Node annotations with the kernel. */
public enum PeerState {
    /** Neighbour, FDB and route entries are in the kernel and match the annotations. */
    PROGRAMMED,
    /** The peer is valid but some of its entries are missing from the kernel. */
    MISSING,
    /** Kernel entries that match no current peer (node gone, or its data changed). */
    STALE,
    /** The Node's annotations are missing or malformed; it is skipped on purpose. */
    INVALID,
    /**
     * Valid, but this node cannot program it without getting it wrong (host-gw: its public IP is
     * not on this node's link; a subnet or VtepMAC another peer already claims). Not drift: the
     * agent leaves it alone on purpose, and says why.
     */
    SKIPPED;

    /** Lower-case, as printed. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True for states that mean this node's data plane differs from what it should be. */
    public boolean drift() {
        return this == MISSING || this == STALE;
    }
}
