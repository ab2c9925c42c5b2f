package dev.weft.nl;

/** Legacy ethtool ioctl commands ({@code linux/ethtool.h}) used with SIOCETHTOOL. */
public final class Ethtool {
    /** Get TX checksum offload (struct ethtool_value). */
    public static final int ETHTOOL_GTXCSUM = 0x16;
    /** Set TX checksum offload (struct ethtool_value). */
    public static final int ETHTOOL_STXCSUM = 0x17;

    private Ethtool() {
    }
}
