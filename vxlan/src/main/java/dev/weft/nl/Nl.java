package dev.weft.nl;

/**
 * Netlink core spellings ({@code linux/netlink.h}) and the address families rtnetlink uses.
 * Kernel names live in this package only; the layers above speak in records and enums.
 */
public final class Nl {
    public static final int NETLINK_ROUTE = 0;

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_BRIDGE = 7;
    public static final int AF_INET6 = 10;

    /** sizeof(struct nlmsghdr): len u32, type u16, flags u16, seq u32, pid u32. */
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLA_HDRLEN = 4;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP_FILTERED = 0x20;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    /** On an NLMSG_ERROR: the echoed request was cut to its header (NETLINK_CAP_ACK). */
    public static final int NLM_F_CAPPED = 0x100;
    /** On an NLMSG_ERROR or DONE: extended-ack TLVs follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;

    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;

    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NETLINK_GET_STRICT_CHK = 12;

    private Nl() {
    }

    /** NLMSG_ALIGN / NLA_ALIGN: round up to 4 bytes. */
    public static int align(int n) {
        return (n + 3) & ~3;
    }
}
