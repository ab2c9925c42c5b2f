package dev.weft.nl;

/** Nexthop object attributes ({@code linux/nexthop.h}), for RTM_*NEXTHOP with a struct nhmsg header. */
public final class Nha {
    /** u32; the object's id (0 in a create asks the kernel to pick one, which weft never does). */
    public static final int NHA_ID = 1;
    /** array of struct nexthop_grp: the object is a group of other nexthops. */
    public static final int NHA_GROUP = 2;
    /** flag: packets using it are dropped. */
    public static final int NHA_BLACKHOLE = 4;
    /** u32; the output device. In a dump request: only nexthops on that device. */
    public static final int NHA_OIF = 5;
    /** be32 (IPv4) or in6_addr (IPv6): the gateway. */
    public static final int NHA_GATEWAY = 6;
    /** flag: the nexthop belongs to a bridge/VXLAN FDB, not to routes. */
    public static final int NHA_FDB = 11;
    public static final int NHA_MAX_READ = NHA_FDB;

    /** sizeof(struct nhmsg). */
    public static final int NHMSG_SIZE = 8;

    private Nha() {
    }
}
