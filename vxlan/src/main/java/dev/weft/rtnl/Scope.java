package dev.weft.rtnl;

/** Address and route scope, as {@code ip} names them. */
public enum Scope {
    UNIVERSE(0, "global"),
    SITE(200, "site"),
    LINK(253, "link"),
    HOST(254, "host"),
    NOWHERE(255, "nowhere"),
    /** A scope number {@code ip} has no name for. */
    OTHER(-1, "other");

    private final int code;
    private final String ipName;

    Scope(int code, String ipName) {
        this.code = code;
        this.ipName = ipName;
    }

    int code() {
        return code;
    }

    /** The word {@code ip} prints, e.g. "global". */
    public String ipName() {
        return ipName;
    }

    static Scope of(int code) {
        for (Scope s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return OTHER;
    }
}
