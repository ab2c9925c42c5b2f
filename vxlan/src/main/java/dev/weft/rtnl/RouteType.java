package dev.weft.rtnl;

/** Route type ({@code ip route}: unicast, local, blackhole ...), in the kernel's numbering order. */
public enum RouteType {
    UNSPEC, UNICAST, LOCAL, BROADCAST, ANYCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW, NAT, XRESOLVE,
    /** A type number newer than this list. */
    OTHER;

    int code() {
        return this == OTHER ? -1 : ordinal();
    }

    static RouteType of(int code) {
        return code >= 0 && code < OTHER.ordinal() ? values()[code] : OTHER;
    }
}
