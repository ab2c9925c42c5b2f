package dev.weft.nl;

/** Link attributes and flags ({@code linux/if_link.h}, {@code linux/if.h}). */
public final class Ifla {
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_EXT_MASK = 29;
    public static final int IFLA_ALT_IFNAME = 53;
    /** Highest IFLA_* this code reads; bigger ones are skipped. */
    public static final int IFLA_MAX_READ = IFLA_ALT_IFNAME;

    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;

    public static final int IFLA_VXLAN_ID = 1;
    public static final int IFLA_VXLAN_LINK = 3;
    public static final int IFLA_VXLAN_LOCAL = 4;
    public static final int IFLA_VXLAN_LEARNING = 7;
    public static final int IFLA_VXLAN_PORT = 15;
    public static final int IFLA_VXLAN_LOCAL6 = 17;
    public static final int IFLA_VXLAN_GBP = 23;
    public static final int IFLA_VXLAN_MAX_READ = IFLA_VXLAN_GBP;

    /** IFLA_EXT_MASK bit: leave the (large) statistics out of link replies. */
    public static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    public static final int IFF_UP = 0x1;
    public static final int IFF_LOWER_UP = 0x10000;

    /** sizeof(struct ifinfomsg). */
    public static final int IFINFOMSG_SIZE = 16;

    private Ifla() {
    }
}
