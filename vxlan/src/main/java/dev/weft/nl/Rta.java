package dev.weft.nl;

/** Route attributes and rtmsg field values ({@code linux/rtnetlink.h}). */
public final class Rta {
    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_MULTIPATH = 9;
    public static final int RTA_TABLE = 15;
    /** u32: the nexthop object ({@code ip nexthop}) the route uses, instead of a gateway and device of its own. */
    public static final int RTA_NH_ID = 30;
    public static final int RTA_MAX_READ = RTA_NH_ID;

    public static final int RTN_UNSPEC = 0;
    public static final int RTN_UNICAST = 1;

    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    /** In a delete request: match routes of any scope. */
    public static final int RT_SCOPE_NOWHERE = 255;

    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_TABLE_MAIN = 254;

    public static final int RTPROT_UNSPEC = 0;
    public static final int RTNH_F_ONLINK = 4;
    /** In a route get: report the table the answer came from (RTA_TABLE), as {@code ip route get} asks. */
    public static final int RTM_F_LOOKUP_TABLE = 0x1000;

    /** sizeof(struct rtmsg). */
    public static final int RTMSG_SIZE = 12;

    private Rta() {
    }
}
